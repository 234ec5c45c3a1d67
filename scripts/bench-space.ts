// `npm run bench:space -- --space <file> --recipe <short> --sample N`: the sampled benchmark of a
// space too large to tabulate. Trains a seeded uniform sample of N architectures under the short
// recipe on every core (one worker process each), then the first --standard-sample of them under
// the standard recipe, and writes reports/space-<space-id-prefix>.json: the score distribution,
// seconds per architecture, parameter and FLOP ranges, the short-vs-standard rank correlation and
// every entry (in the tabular benchmark's entry shape), plus a histogram SVG beside it.
// Resumable: each result is appended to reports/space-<prefix>.partial.jsonl as it arrives and a
// restart (after a crash, a kill or Ctrl-C) trains only what is missing; `--report-only` writes the
// report from what is there.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import cliProgress from "cli-progress";
import { Command } from "commander";
import type { Hex } from "viem";
import { tableEntryOf, type TableEntry } from "../nas/bench/table.js";
import { fiveNumbers, sampledReportUrl, sampleGenomes, spearman } from "../nas/bench/sample.js";
import { NasError } from "../nas/errors.js";
import { loadSpace } from "../nas/space/files.js";
import { spaceId, spaceSize } from "../nas/space/space.js";
import { parseBackend } from "../nas/train/backend.js";
import { TrainerPool } from "../nas/train/pool.js";
import { recipeId, resolveRecipe, type Recipe } from "../nas/train/recipe.js";
import { toSvg } from "../sim/plots.js";

const program = new Command()
  .name("bench:space")
  .description("Train a seeded random sample of a search space and write its sampled benchmark report")
  .option("-s, --space <path>", "search space JSON", fileURLToPath(new URL("../nas/spaces/fashion-cell-v1.json", import.meta.url)))
  .option("-r, --recipe <name|path>", "the short recipe every sampled architecture is trained under", "fashion-short-v1")
  .option("--standard <name|path>", "the standard recipe of the rank-correlation subsample", "fashion-standard-v1")
  .option("-n, --sample <n>", "architectures in the sample", "300")
  .option("--standard-sample <n>", "of those, how many (the first ones drawn) to train under the standard recipe too (0: none)", "12")
  .option("--seed <n>", "seed of the sample", "1")
  .option("-b, --backend <name>", "training backend", "wasm")
  .option("-w, --workers <n>", "worker processes", String(availableParallelism()))
  .option("-o, --out <path>", "report file (default reports/space-<space-id-prefix>.json)")
  .option("--report-only", "write the report from the results already on disk, training nothing (marked incomplete if some are missing)")
  .parse();
const opts = program.opts<{ space: string; recipe: string; standard: string; sample: string; standardSample: string; seed: string; backend: string; workers: string; out?: string; reportOnly?: boolean }>();

const posInt = (v: string, flag: string, min = 1) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new NasError(`${flag} ${v}: give an integer ≥ ${min}`);
  return n;
};
const space = loadSpace(opts.space);
const short = resolveRecipe(opts.recipe);
const standard = resolveRecipe(opts.standard);
const n = posInt(opts.sample, "--sample");
const nStandard = Math.min(n, posInt(opts.standardSample, "--standard-sample", 0));
const seed = posInt(opts.seed, "--seed", 0);
const backend = parseBackend(opts.backend);
const workers = posInt(opts.workers, "--workers");
const out = opts.out ?? fileURLToPath(sampledReportUrl(space));
const partial = out.replace(/\.json$/, "") + ".partial.jsonl";
mkdirSync(dirname(out), { recursive: true });

const genomes = sampleGenomes(space, n, seed);
const header = { spaceId: spaceId(space), shortRecipeId: recipeId(short), standardRecipeId: recipeId(standard), seed };
type Which = "short" | "standard";
const done: Record<Which, Map<string, TableEntry>> = { short: new Map(), standard: new Map() };
let priorWall = 0;

// resume: results already on disk, from a run with the same space, recipes and seed
if (existsSync(partial)) {
  for (const line of readFileSync(partial, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let rec: Partial<typeof header> & { recipe?: Which; genome?: string; entry?: TableEntry; wallSeconds?: number };
    try {
      rec = JSON.parse(line);
    } catch {
      continue; // a line cut short by a crash: that genome is simply trained again
    }
    if (rec.spaceId !== undefined && JSON.stringify(rec) !== JSON.stringify(header)) {
      throw new NasError(`${partial} belongs to another space, recipe or seed: delete it, or pass the same options, or another --out`);
    }
    if (rec.wallSeconds !== undefined) priorWall += rec.wallSeconds;
    if (rec.recipe && rec.genome && rec.entry) done[rec.recipe].set(rec.genome, rec.entry);
  }
} else {
  appendFileSync(partial, JSON.stringify(header) + "\n");
}

const jobs: { which: Which; recipe: Recipe; genomes: Hex[] }[] = [
  { which: "short", recipe: short, genomes: genomes.filter((g) => !done.short.has(g)) },
  { which: "standard", recipe: standard, genomes: genomes.slice(0, nStandard).filter((g) => !done.standard.has(g)) },
];
console.log(
  `${space.name}: ${spaceSize(space)} architectures; sample of ${n} (seed ${seed}) under ${short.name}, ${nStandard} of them under ${standard.name}; ` +
    `${done.short.size + done.standard.size} results on disk, ${jobs[0].genomes.length + jobs[1].genomes.length} to train on ${workers} ${backend} workers`,
);

let backendName: string = backend;
const start = performance.now();
if (!opts.reportOnly) {
  const bar = new cliProgress.MultiBar(
    { format: "{name} {bar} {value}/{total} | ETA {eta_formatted} | last {last}", etaBuffer: 30, noTTYOutput: true, notTTYSchedule: 30_000, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  // Ctrl-C (or a kill) simply ends the process: every finished result is already on disk, one
  // line each, and a line cut short is trained again on resume
  try {
    for (const job of jobs) {
      if (job.genomes.length === 0) continue;
      const total = job.which === "short" ? n : nStandard;
      const line = bar.create(total, total - job.genomes.length, { name: job.which.padEnd(8), last: "-" });
      const pool = new TrainerPool({ spacePath: opts.space, recipe: job.recipe, backend, workers });
      try {
        await pool.ready();
        await Promise.all(
          job.genomes.map(async (genome) => {
            const r = await pool.train(genome);
            backendName = r.backend;
            const entry = tableEntryOf(r);
            appendFileSync(partial, JSON.stringify({ recipe: job.which, genome, entry }) + "\n");
            done[job.which].set(genome, entry);
            line.increment({ last: `${r.scoreBps} bps in ${r.seconds.toFixed(1)} s` });
          }),
        );
      } finally {
        await pool.close();
      }
    }
  } finally {
    bar.stop();
    appendFileSync(partial, JSON.stringify({ wallSeconds: (performance.now() - start) / 1000 }) + "\n");
  }
}

// ---- the report ----
const shortEntries = genomes.filter((g) => done.short.has(g)).map((g) => [g, done.short.get(g)!] as const);
if (shortEntries.length === 0) throw new NasError(`no results in ${partial} yet: run without --report-only first`);
const pairs = genomes.slice(0, nStandard).filter((g) => done.short.has(g) && done.standard.has(g));
const scores = shortEntries.map(([, e]) => e.scoreBps);
const seconds = shortEntries.map(([, e]) => e.seconds);
const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });
const rho = spearman(pairs.map((g) => done.short.get(g)!.scoreBps), pairs.map((g) => done.standard.get(g)!.scoreBps));
const report = {
  space: space.name,
  spaceId: spaceId(space),
  spaceSize: spaceSize(space),
  recipe: short.name,
  recipeId: recipeId(short),
  standardRecipe: standard.name,
  standardRecipeId: recipeId(standard),
  seed,
  sample: n,
  complete: shortEntries.length === n && pairs.length === nStandard,
  trained: shortEntries.length,
  backend: backendName,
  workers,
  machine: { cpus: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), node: process.version },
  createdAt: new Date().toISOString(),
  wallSeconds: Math.round(priorWall + (opts.reportOnly ? 0 : (performance.now() - start) / 1000)),
  command: `npm run bench:space -- --space ${opts.space.replace(fileURLToPath(new URL("..", import.meta.url)), "")} --recipe ${short.name} --standard ${standard.name} --sample ${n} --standard-sample ${nStandard} --seed ${seed}`,
  scoreBps: { ...fiveNumbers(scores), failed: shortEntries.filter(([, e]) => e.reason).length },
  secondsPerArch: { ...fiveNumbers(seconds), mean: seconds.reduce((a, b) => a + b, 0) / seconds.length },
  params: range(shortEntries.map(([, e]) => e.params)),
  flops: range(shortEntries.map(([, e]) => e.flops)),
  rankCorrelation: {
    method: "Spearman's rho of the short and standard recipes' scores of the same architectures (ties averaged)",
    n: pairs.length,
    spearman: rho === null ? null : Math.round(rho * 1e4) / 1e4,
    pairs: pairs.map((g) => ({ genome: g, short: done.short.get(g)!.scoreBps, standard: done.standard.get(g)!.scoreBps })),
  },
  /** The sample in the tabular benchmark's entry shape (nas/bench/table.ts). */
  entries: Object.fromEntries(shortEntries),
};
writeFileSync(out + ".tmp", JSON.stringify(report, null, 1) + "\n");
renameSync(out + ".tmp", out);

const svg = await toSvg({
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  title: `${space.name}: ${shortEntries.length} sampled architectures under ${short.name}`,
  width: 520,
  height: 220,
  data: { values: shortEntries.map(([, e]) => ({ accuracy: e.scoreBps / 100 })) },
  mark: { type: "bar", color: "#4c78a8" },
  encoding: {
    x: { field: "accuracy", type: "quantitative", bin: { step: 2.5 }, title: "test accuracy (%)" },
    y: { aggregate: "count", type: "quantitative", title: "architectures" },
  },
  config: { font: "DejaVu Sans" },
});
writeFileSync(out.replace(/\.json$/, ".svg"), svg);
const s = report.scoreBps;
console.log(
  `wrote ${out}${report.complete ? "" : " (incomplete)"}: ${shortEntries.length} architectures, score min ${s.min} / q1 ${s.q1} / median ${s.median} / q3 ${s.q3} / max ${s.max} bps, ` +
    `median ${report.secondsPerArch.median.toFixed(1)} s each; short vs standard rho ${report.rankCorrelation.spearman} over ${pairs.length}`,
);
