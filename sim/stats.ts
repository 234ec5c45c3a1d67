// Summary statistics for the report: means, population variances, and percentile bootstrap
// confidence intervals. The bootstrap resamples whole seeds (or rounds), so a ratio such as
// mean(solo time) / mean(pool time) keeps the pairing of setups that share a seed. Resampling uses
// nas/ Rng with a fixed seed: the report is identical run to run.
import { quantileOf as quantile } from "../nas/bench/sample.js";
import { Rng } from "../nas/index.js";

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("mean of no values");
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population variance (divide by n), as σ_p in the paper and the contract. */
export function variance(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return s / xs.length;
}

/** Linear-interpolated quantile of sorted values, q in [0, 1]: the NAS engine's, which the sampled benchmark reports with. */
export { quantile };

export const BOOTSTRAP_RESAMPLES = 2000;

/**
 * 95% percentile bootstrap interval of `stat` over n units (seeds or rounds): `stat` gets the
 * indices of one resample (drawn with replacement) and returns the statistic on them.
 */
export function bootstrapCI(
  n: number,
  stat: (indices: readonly number[]) => number,
  seed: number,
  resamples = BOOTSTRAP_RESAMPLES,
): [number, number] {
  if (n < 1) throw new RangeError("bootstrap of no units");
  const rng = new Rng(seed);
  const values: number[] = [];
  const idx = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    values.push(stat(idx));
  }
  values.sort((a, b) => a - b);
  return [quantile(values, 0.025), quantile(values, 0.975)];
}

/** Mean of xs at the given indices. */
export function meanAt(xs: readonly number[], indices: readonly number[]): number {
  let s = 0;
  for (const i of indices) s += xs[i];
  return s / indices.length;
}

/** Rounds for the report: enough digits to read, few enough to diff. */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Rounds to `digits` significant digits (for values spanning orders of magnitude, e.g. variances). */
export function sig(x: number, digits = 4): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}
