// A surrogate benchmark for a space too large to tabulate (the NAS-Bench-301 approach): a model
// fitted to the sampled benchmark (`npm run bench:space`, reports/space-<id>.json) stands in for
// the scores of the architectures nobody trained, so the simulation's miners can run the real
// search over all of them. The model is ridge regression on each gene's one-hot choice, where a
// cell edge that no path from the cell's input to its output uses counts as "none" (it builds no
// layer: nas/space/families/cell.ts), plus a flag for a cell whose output nothing reaches. The
// part the model does not explain comes back as one of its held-out residuals, drawn per
// architecture by a seed, so the surrogate's scores spread like measured ones. Seconds come from
// the engine's time model fitted to the same sample; over-limit genomes score 0, as the trainer
// scores them. How well it ranks unseen architectures is measured, not assumed: k-fold Spearman.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";
import {
  archCost,
  decodeGenome,
  enumerateSubspace,
  fitTimeModel,
  limitBreach,
  loadSpace,
  partitionCost,
  Rng,
  spaceId,
  type SearchSpace,
  type Table,
  type TableEntry,
  type TimeModel,
} from "../nas/index.js";
import { CELL_EDGE_GENES, cellArch } from "../nas/space/families/cell.js";
import { quantileOf, sampledReportUrl, spearman } from "../nas/bench/sample.js";

export { sampledReportUrl };
import { benchOf, type Bench } from "./bench.js";
import { deriveSeed } from "./seeds.js";

/** What the surrogate reads of a sampled benchmark report. */
export interface SampledReport {
  spaceId: Hex;
  space: string;
  recipe: string;
  complete: boolean;
  entries: Record<string, TableEntry>;
}

/** Feature vector of one genome: one-hot effective choices (see the file comment). */
export function features(space: SearchSpace, genome: string): number[] {
  const choices = decodeGenome(space, genome);
  const out: number[] = [];
  let dead = 0;
  if (space.family === "cell") {
    const a = cellArch(space, genome);
    for (const [k, name] of CELL_EDGE_GENES.entries()) {
      const i = space.genes.findIndex((g) => g.name === name);
      if (!a.live[k]) choices[i] = space.genes[i].options.findIndex((o) => o.value === "none");
    }
    dead = a.live.some(Boolean) ? 0 : 1; // no live edge: nothing reaches the cell's output
  }
  space.genes.forEach((g, i) => g.options.forEach((_, j) => out.push(choices[i] === j ? 1 : 0)));
  out.push(dead);
  return out;
}

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
export function solveSpd(A: number[][], b: number[]): number[] {
  const n = b.length;
  const L = A.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) throw new Error("solveSpd: the matrix is not positive definite");
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
    y[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

export interface Ridge {
  weights: number[];
  intercept: number;
}

/** Ridge regression (unpenalised intercept): minimises Σ(y − b − w·x)² + λ|w|². */
export function fitRidge(xs: readonly number[][], ys: readonly number[], lambda: number): Ridge {
  const n = xs.length;
  const p = xs[0].length;
  const mx = Array.from({ length: p }, (_, j) => xs.reduce((a, x) => a + x[j], 0) / n);
  const my = ys.reduce((a, y) => a + y, 0) / n;
  const A = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? lambda : 0)));
  const b = new Array<number>(p).fill(0);
  for (let r = 0; r < n; r++) {
    const x = xs[r];
    for (let i = 0; i < p; i++) {
      const xi = x[i] - mx[i];
      b[i] += xi * (ys[r] - my);
      for (let j = 0; j <= i; j++) A[i][j] += xi * (x[j] - mx[j]);
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) A[j][i] = A[i][j];
  const weights = solveSpd(A, b);
  return { weights, intercept: my - weights.reduce((a, w, j) => a + w * mx[j], 0) };
}

export const predictRidge = (m: Ridge, x: readonly number[]) => m.intercept + m.weights.reduce((a, w, j) => a + w * x[j], 0);

export interface SurrogateFit {
  model: Ridge;
  lambda: number;
  /** Spearman's ρ between held-out predictions and measured scores (k-fold over the sample). */
  heldOutSpearman: number;
  /** RMS of the held-out residuals (bps). */
  residualBps: number;
  /** The measured scores the fit used, ascending: the distribution the surrogate's scores follow. */
  measured: number[];
  /** The held-out residuals (measured − predicted, bps, ascending): what the per-architecture noise draws from. */
  residuals: number[];
  folds: number;
  samples: number;
  time: TimeModel;
}

/** The ridge penalties the cross-validation chooses among. */
export const LAMBDAS = [0.01, 0.1, 1, 10, 100] as const;

/**
 * Fits the surrogate to the measured, within-limits architectures of a sample: λ by k-fold
 * cross-validation (folds by sample order, which is the seeded draw order), then refitted on all.
 */
export function fitSurrogate(space: SearchSpace, entries: Record<string, TableEntry>, folds = 5): SurrogateFit {
  const rows = Object.entries(entries).filter(([g, e]) => e.weightsHash !== null && limitBreach(space, g) === null);
  if (rows.length < 3 * folds) throw new Error(`a surrogate needs at least ${3 * folds} trained architectures, the sample has ${rows.length}: run npm run bench:space`);
  const xs = rows.map(([g]) => features(space, g));
  const ys = rows.map(([, e]) => e.scoreBps);
  let best: { lambda: number; rho: number; rms: number; residuals: number[] } | null = null;
  for (const lambda of LAMBDAS) {
    const pred = new Array<number>(rows.length);
    for (let f = 0; f < folds; f++) {
      const train = rows.map((_, i) => i).filter((i) => i % folds !== f);
      const m = fitRidge(train.map((i) => xs[i]), train.map((i) => ys[i]), lambda);
      for (let i = f; i < rows.length; i += folds) pred[i] = predictRidge(m, xs[i]);
    }
    const rho = spearman(pred, ys) ?? 0;
    const rms = Math.sqrt(pred.reduce((a, p, i) => a + (p - ys[i]) ** 2, 0) / rows.length);
    if (best === null || rho > best.rho) best = { lambda, rho, rms, residuals: ys.map((y, i) => y - pred[i]).sort((a, b) => a - b) };
  }
  return {
    model: fitRidge(xs, ys, best!.lambda),
    lambda: best!.lambda,
    heldOutSpearman: best!.rho,
    residualBps: best!.rms,
    residuals: best!.residuals,
    measured: [...ys].sort((a, b) => a - b),
    folds,
    samples: rows.length,
    time: fitTimeModel(space, rows.map(([genome, e]) => ({ genome, seconds: e.seconds }))),
  };
}

/** One of the held-out residuals, drawn by (seed, genome): fixed per architecture. */
function noiseOf(space: SearchSpace, fit: SurrogateFit, seed: number, genome: string): number {
  return fit.residuals[new Rng(deriveSeed(seed, ...decodeGenome(space, genome))).int(fit.residuals.length)];
}

/**
 * The surrogate table: every architecture of `space`, ranked by the fit plus its drawn residual,
 * and scored by mapping that rank onto the measured scores' distribution (the architecture at
 * rank quantile q scores the sample's q-quantile). Ranks come from the model and values from the
 * measurement: the additive fit plus a large residual would otherwise invent scores far above
 * anything trained (over 9,000 bps where the sample's best is under 8,000). Over the limits: 0.
 * Seconds: the fitted time model.
 */
export function surrogateTable(space: SearchSpace, fit: SurrogateFit, noiseSeed = 1): Table {
  const genomes = [...enumerateSubspace(space)];
  const within = genomes.filter((g) => limitBreach(space, g) === null);
  const raw = new Map(within.map((g) => [g, predictRidge(fit.model, features(space, g)) + noiseOf(space, fit, noiseSeed, g)]));
  const order = [...within].sort((a, b) => raw.get(a)! - raw.get(b)! || (a < b ? -1 : 1));
  const score = new Map(order.map((g, r) => [g, Math.round(quantileOf(fit.measured, order.length > 1 ? r / (order.length - 1) : 1))]));
  const entries: Record<string, TableEntry> = {};
  for (const g of genomes) {
    const { params, flops } = archCost(space, g);
    const s = score.get(g);
    entries[g] = {
      scoreBps: s ?? 0,
      params,
      flops,
      seconds: Math.round((fit.time.fixedSeconds + fit.time.secondsPerFlop * flops) * 1000) / 1000,
      weightsHash: s === undefined ? null : NO_WEIGHTS,
    };
  }
  return {
    spaceId: spaceId(space),
    space: space.name,
    recipeId: NO_WEIGHTS,
    recipe: "surrogate",
    backend: "surrogate",
    tfjs: "",
    workers: 0,
    createdAt: "",
    wallSeconds: 0,
    entries,
  };
}

/** A surrogate trained nothing: its hashes are zero (non-null marks "trained within the limits"). */
const NO_WEIGHTS = ("0x" + "00".repeat(32)) as Hex;

/** What the simulation's report says of the surrogate behind a sampled bench. */
export interface SurrogateSummary {
  /** The sampled benchmark report it was fitted to, and whether that sample was complete. */
  source: string;
  complete: boolean;
  samples: number;
  lambda: number;
  heldOutSpearman: number;
  residualBps: number;
  timeModelR2: number;
}

export function summarize(fit: SurrogateFit, source: string, complete: boolean): SurrogateSummary {
  const r = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    source,
    complete,
    samples: fit.samples,
    lambda: fit.lambda,
    heldOutSpearman: r(fit.heldOutSpearman, 3),
    residualBps: r(fit.residualBps, 1),
    timeModelR2: r(fit.time.r2, 3),
  };
}

/** The simulation's ground truth for a sampled space: the surrogate table, partitioned as the manager would (FLOPs: the space has no table). */
export function surrogateBench(space: SearchSpace, report: SampledReport, noiseSeed = 1): { bench: Bench; fit: SurrogateFit } {
  if (report.spaceId.toLowerCase() !== spaceId(space).toLowerCase()) {
    throw new Error(`the sampled report is of space ${report.spaceId.slice(0, 10)}…, not of "${space.name}" (${spaceId(space).slice(0, 10)}…): pass the report bench:space wrote for this space`);
  }
  const fit = fitSurrogate(space, report.entries);
  return { bench: benchOf(space, surrogateTable(space, fit, noiseSeed), partitionCost(space)), fit };
}

/**
 * The sampled bench of a bench:space report: its space is nas/spaces/<report.space>.json, which
 * must still have the report's id (a changed space file invalidates the sample).
 */
export function loadSampledBench(path: string | URL, noiseSeed = 1): { bench: Bench; fit: SurrogateSummary } {
  let report: SampledReport;
  try {
    report = JSON.parse(readFileSync(path, "utf8")) as SampledReport;
  } catch (e) {
    throw new Error(`cannot read the sampled benchmark ${path}: ${(e as Error).message} (write it with npm run bench:space, or pass --no-sampled)`, { cause: e });
  }
  const space = loadSpace(new URL(`../nas/spaces/${report.space}.json`, import.meta.url));
  const { bench, fit } = surrogateBench(space, report, noiseSeed);
  const source = path instanceof URL ? relative(process.cwd(), fileURLToPath(path)) : path;
  return { bench, fit: summarize(fit, source, report.complete) };
}
