// The report's figures: Vega-Lite specs built from the report (and the per-round incomes), compiled
// to Vega, rendered headless to SVG by Vega's own renderer, then rasterised to PNG by resvg (a Rust
// SVG renderer shipped as an npm binary: no browser, no node-canvas, no download at install).
// Text is laid out with the system's DejaVu Sans, which resvg loads from the system fonts.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { POLICIES, type Policy } from "./completion.js";
import { PAPER, type SimReport } from "./report.js";
import type { RewardResult } from "./rewards.js";

const FONT = "DejaVu Sans";
const CONFIG = {
  font: FONT,
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: "bottom", direction: "vertical", labelLimit: 500, symbolOpacity: 1, symbolStrokeWidth: 2.5 },
  title: { fontSize: 14, anchor: "start" },
} as const;

/** SVG of a Vega-Lite spec, rendered without a browser. */
export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG of an SVG at twice its size (sharp on high-density screens). */
export function toPng(svg: string): Buffer {
  const r = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: FONT },
  });
  return r.render().asPng();
}

const COMPARISON = {
  vsSolo: "pool of N vs one solo miner",
  vsIndependent: "pool of N vs N independent solo miners",
} as const;

export function speedupSpec(r: SimReport): TopLevelSpec {
  const ns = Object.keys(r.speedup).map(Number).sort((a, b) => a - b);
  const rows = ns.flatMap((n) => {
    const e = r.speedup[String(n)];
    return [
      { N: n, target: "top 1%", comparison: COMPARISON.vsSolo, speedup: e.vsSolo, lo: e.ci95[0], hi: e.ci95[1] },
      { N: n, target: "top 1%", comparison: COMPARISON.vsIndependent, speedup: e.vsIndependent, lo: e.ci95Independent[0], hi: e.ci95Independent[1] },
      { N: n, target: "best", comparison: COMPARISON.vsSolo, speedup: e.best.vsSolo, lo: e.best.ci95[0], hi: e.best.ci95[1] },
      { N: n, target: "best", comparison: COMPARISON.vsIndependent, speedup: e.best.vsIndependent, lo: e.best.ci95Independent[0], hi: e.best.ci95Independent[1] },
    ];
  });
  const top = Math.max(...rows.map((x) => x.hi));
  const maxY = 2 ** Math.max(5, Math.ceil(Math.log2(top)));
  const minY = 2 ** Math.min(-1, Math.floor(Math.log2(Math.min(...rows.map((x) => x.lo)))));
  const ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128].filter((t) => t >= minY && t <= maxY);
  const PAPER_LABEL = `paper: ${PAPER.speedup}× (N not stated)`;
  const LINEAR = "N× (linear in N)";
  const color = {
    field: "comparison",
    title: null,
    scale: { domain: [COMPARISON.vsSolo, COMPARISON.vsIndependent, LINEAR, PAPER_LABEL], range: ["#f58518", "#4c78a8", "#aaaaaa", "#d62728"] },
    legend: { labelLimit: 400, symbolType: "stroke" },
  } as const;
  const x = { field: "N", type: "quantitative", scale: { type: "log", base: 2, domain: [1.6, 20] }, axis: { values: ns, title: "miners N" } } as const;
  const y = { type: "quantitative", scale: { type: "log", domain: [minY, maxY] }, axis: { values: ticks, title: "speedup (× faster, log scale)" } } as const;
  const panel = (target: string, title: string) => ({
    width: 330,
    height: 300,
    title,
    layer: [
      {
        data: { values: ns.map((n) => ({ N: n, speedup: n, comparison: LINEAR })) },
        mark: { type: "line", strokeDash: [3, 3] },
        encoding: { x, y: { ...y, field: "speedup" }, color },
      },
      {
        data: { values: [{ s: PAPER.speedup, comparison: PAPER_LABEL }] },
        mark: { type: "rule", strokeDash: [6, 3], strokeWidth: 1.5 },
        encoding: { y: { ...y, field: "s" }, color },
      },
      {
        data: { values: rows },
        transform: [{ filter: { field: "target", equal: target } }],
        layer: [
          { mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color } },
          { mark: { type: "line", point: { size: 40 } }, encoding: { x, y: { ...y, field: "speedup" }, color } },
        ],
      },
    ],
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Time to a top-1% / the best architecture: pool vs solo mining",
      subtitle: [
        `mean over ${r.setup.seeds} seeds, 95% bootstrap CI`,
        `${r.setup.strategy} search on the ${r.setup.bench.architectures}-architecture MNIST table, each evaluation costing its measured training time`,
      ],
    },
    hconcat: [panel("top 1%", `to a top-1% architecture (≥ ${r.setup.bench.top1ThresholdBps} bps)`), panel("best", `to the best architecture (${r.setup.bench.bestScoreBps} bps)`)],
    resolve: { scale: { y: "shared" } },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

const POLICY_LABEL: Record<Policy, string> = {
  none: "no backups",
  all: "backups for every task",
  sigma: "σ_p rule (contract)",
};

export function completionSpec(r: SimReport): TopLevelSpec {
  const ds = Object.keys(r.completion).map(Number).sort((a, b) => a - b);
  const rows = ds.flatMap((d) =>
    POLICIES.map((p) => ({
      dropout: d * 100,
      policy: POLICY_LABEL[p],
      completion: r.completion[String(d)][p] * 100,
      lo: r.completion[String(d)].ci95[p][0] * 100,
      hi: r.completion[String(d)].ci95[p][1] * 100,
      slots: r.completion[String(d)].backupSlotsPerTask[p],
    })),
  );
  const minY = Math.floor(Math.min(...rows.map((x) => x.lo)) / 5) * 5;
  const x = { field: "dropout", type: "quantitative", axis: { title: "mean dropout per miner per round (%)" } } as const;
  const PAPER_LABEL = `paper: ${PAPER.completion * 100}% with backups (dropout not stated)`;
  const labels = POLICIES.map((p) => POLICY_LABEL[p]);
  const color = {
    field: "policy",
    type: "nominal",
    title: null,
    scale: { domain: [...labels, PAPER_LABEL], range: ["#e45756", "#4c78a8", "#f58518", "#888888"] },
    legend: { labelLimit: 500, symbolType: "stroke" },
  } as const;
  const yc = { type: "quantitative", scale: { domain: [minY, 100] }, axis: { title: "completed (%)" } } as const;
  const s = r.setup.completion;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Task completion under miner dropout",
      subtitle: [
        `${s.tasks} tasks, ${s.miners} miners, ${s.rounds} rounds × ${s.seeds} seeds; bands: 95% CI`,
        `maxBackups ${s.maxBackups}, maxTasksPerMiner ${s.maxTasksPerMiner}, σ threshold ${s.sigmaThresholdBps} bps`,
      ],
    },
    hconcat: [
      {
        width: 340,
        height: 300,
        title: "tasks completed (%)",
        layer: [
          {
            data: { values: [{ c: PAPER.completion * 100, policy: PAPER_LABEL }] },
            mark: { type: "rule", strokeDash: [6, 3] },
            encoding: { y: { ...yc, field: "c" }, color },
          },
          {
            data: { values: rows },
            layer: [
              { mark: { type: "area", opacity: 0.2 }, encoding: { x, y: { ...yc, field: "lo" }, y2: { field: "hi" }, color } },
              { mark: { type: "line", point: true }, encoding: { x, y: { ...yc, field: "completion" }, color } },
            ],
          },
        ],
      },
      {
        width: 260,
        height: 300,
        title: "backup slots filled per task",
        data: { values: rows },
        mark: { type: "line", point: true },
        encoding: { x, y: { field: "slots", type: "quantitative", axis: { title: "backup slots per task" } }, color },
      },
    ],
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

const REGIME = {
  solo: "solo mining (winner takes the block)",
  pool: "pool, R_i = P_i / ΣP · R",
  mixedPool: (k: number, m: number) => `pool of ${k} vs ${m - k} solo: pool member`,
  mixedSolo: (k: number, m: number) => `pool of ${k} vs ${m - k} solo: solo miner`,
} as const;

/** Share of miner-rounds per income bin, income in fair shares (R / M). */
function histogram(values: number[], width: number, regime: string) {
  const counts = new Map<number, number>();
  for (const v of values) {
    const b = Math.floor(v / width + 1e-9) * width;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return [...counts.entries()].map(([b, c]) => ({ regime, lo: b, hi: b + width, share: c / values.length }));
}

export function rewardsSpec(r: SimReport, raw: RewardResult["raw"]): TopLevelSpec {
  const M = r.rewards.setup.miners;
  const sizes = Object.keys(raw.mixed).map(Number).sort((a, b) => a - b);
  const k = sizes.includes(M / 2) ? M / 2 : sizes[sizes.length - 1];
  const mixedRows = raw.mixed[String(k)];
  const fair = (x: number) => x * M;
  const flat = (rows: number[][], cols: number[]) => rows.flatMap((row) => cols.map((c) => fair(row[c])));
  const all = [...Array(M).keys()];
  const width = 0.25;
  const hist = [
    ...histogram(flat(raw.solo, all), width, REGIME.solo),
    ...histogram(flat(raw.pool, all), width, REGIME.pool),
    ...histogram(flat(mixedRows, all.slice(0, k)), width, REGIME.mixedPool(k, M)),
    ...histogram(flat(mixedRows, all.slice(k)), width, REGIME.mixedSolo(k, M)),
  ];
  const cumulative: { round: number; miner: number; regime: string; income: number }[] = [];
  for (const [regime, rows] of [[REGIME.solo, raw.solo], [REGIME.pool, raw.pool]] as const) {
    const sum = new Array<number>(M).fill(0);
    rows.forEach((row, t) =>
      row.forEach((x, i) => {
        sum[i] += x;
        cumulative.push({ round: t + 1, miner: i, regime, income: sum[i] });
      }),
    );
  }
  const order = [REGIME.solo, REGIME.pool, REGIME.mixedPool(k, M), REGIME.mixedSolo(k, M)];
  const color = { field: "regime", type: "nominal", title: null, scale: { domain: order, range: ["#e45756", "#4c78a8", "#72b7b2", "#f58518"] } } as const;
  const rw = r.rewards;
  const reductions = [
    ...sizes.flatMap((s) => [
      { k: `${s} of ${M}`, measure: "variance", value: rw.mixed[String(s)].varianceReduction * 100 },
      { k: `${s} of ${M}`, measure: "CV", value: rw.mixed[String(s)].cvReduction * 100 },
    ]),
    { k: `all ${M}`, measure: "variance", value: rw.varianceReduction * 100 },
    { k: `all ${M}`, measure: "CV", value: rw.cvReduction * 100 },
  ];
  const paperLabel = `paper: −${PAPER.varianceReduction * 100}% variance`;
  const reductionColor = {
    field: "measure",
    type: "nominal",
    scale: { domain: ["variance", "CV", paperLabel], range: ["#4c78a8", "#9ecae9", "#d62728"] },
    legend: { orient: "bottom", title: null },
  } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `Miner income per round: variance −${(rw.varianceReduction * 100).toFixed(3)}% in the pool (paper: −${PAPER.varianceReduction * 100}%)`,
      subtitle: [
        `${M} equal miners, ${rw.setup.rounds} rounds of ${rw.setup.roundSeconds} s simulated training each`,
        `income in fair shares (R / ${M}); paper's number is for an unstated setup`,
      ],
    },
    hconcat: [
      {
        data: { values: hist },
        facet: { row: { field: "regime", title: null, sort: order, header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top", labelFontSize: 11 } } },
        spec: {
          width: 330,
          height: 70,
          mark: { type: "rect" },
          encoding: {
            x: { field: "lo", type: "quantitative", scale: { domain: [0, M + 1] }, axis: { title: "income in a round (fair shares R / M)" } },
            x2: { field: "hi" },
            y: { field: "share", type: "quantitative", scale: { domain: [0, 1] }, axis: { title: "share", format: "%", tickCount: 3 } },
            color: { ...color, legend: null },
          },
        },
      },
      {
        width: 200,
        height: 330,
        title: { text: "reduction for a pool member", subtitle: ["vs a solo miner of the same network", `(all ${M}: vs an all-solo network)`] },
        layer: [
          {
            data: { values: reductions },
            mark: { type: "bar" },
            encoding: {
              x: { field: "k", type: "nominal", sort: null, axis: { title: "miners in the pool", labelAngle: 0 } },
              xOffset: { field: "measure", sort: ["variance", "CV"] },
              y: { field: "value", type: "quantitative", scale: { domain: [0, 100] }, axis: { title: "reduction (%)" } },
              color: reductionColor,
            },
          },
          {
            data: { values: [{ v: PAPER.varianceReduction * 100, measure: paperLabel }] },
            mark: { type: "rule", strokeDash: [6, 3], strokeWidth: 1.5 },
            encoding: { y: { field: "v", type: "quantitative" }, color: reductionColor },
          },
        ],
      },
      {
        width: 300,
        height: 330,
        title: "cumulative income of each miner (units of R)",
        data: { values: cumulative },
        mark: { type: "line", strokeWidth: 1, opacity: 0.7, interpolate: "step-after" },
        encoding: {
          x: { field: "round", type: "quantitative", axis: { title: "round" } },
          y: { field: "income", type: "quantitative", axis: { title: "income so far (R)" } },
          color: {
            ...color,
            scale: { domain: [REGIME.solo, REGIME.pool], range: ["#e45756", "#4c78a8"] },
            legend: { orient: "bottom", symbolType: "stroke" },
          },
          detail: { field: "miner" },
        },
      },
    ],
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/** Writes sim-speedup, sim-completion and sim-rewards as .svg and .png under `dir`; returns the paths. */
export async function writePlots(dir: string, r: SimReport, raw: RewardResult["raw"]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const [name, spec] of [
    ["sim-speedup", speedupSpec(r)],
    ["sim-completion", completionSpec(r)],
    ["sim-rewards", rewardsSpec(r, raw)],
  ] as const) {
    const svg = await toSvg(spec);
    writeFileSync(join(dir, `${name}.svg`), svg);
    writeFileSync(join(dir, `${name}.png`), toPng(svg));
    out.push(join(dir, `${name}.svg`), join(dir, `${name}.png`));
  }
  return out;
}
