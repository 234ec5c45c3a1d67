// Statistics of the attack bench (pure, no chain): the mean of n runs and its 95% confidence
// interval by the normal approximation, mean ± 1.96·s/√n with s the sample standard deviation
// (n − 1 in the denominator). With n = 1 the interval is [mean, mean] (no spread to estimate).

export const Z95 = 1.96;
export const CI_METHOD = "normal approximation: mean ± 1.96·s/√n, s = sample standard deviation (n−1)";

export function mean(xs: number[]): number {
  if (xs.length === 0) throw new Error("mean of no values");
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function sampleStd(xs: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
}

export function ci95(xs: number[]): [number, number] {
  const m = mean(xs);
  const h = (Z95 * sampleStd(xs)) / Math.sqrt(xs.length);
  return [m - h, m + h];
}

/** wei → whole tokens as a JS number (exact to 1e-6 tokens below 2^53·1e-6 tokens). */
export function toTokens(wei: bigint): number {
  const neg = wei < 0n;
  const x = neg ? -wei : wei;
  const v = Number(x / 10n ** 12n) / 1e6;
  return neg ? -v : v;
}

export interface Summary {
  runs: number;
  attackerNetMean: number;
  ci95: [number, number];
  honestNetMean: number;
  honestCi95: [number, number];
  gainMean: number;
  gainCi95: [number, number];
}

/** Summarises paired runs: gain_i = attacker_i − honest_i (same seed), so its CI is paired. */
export function summarize(attacker: number[], honest: number[]): Summary {
  if (attacker.length !== honest.length) throw new Error("attacker and honest runs must pair up");
  const gains = attacker.map((a, i) => a - honest[i]);
  return {
    runs: attacker.length,
    attackerNetMean: mean(attacker),
    ci95: ci95(attacker),
    honestNetMean: mean(honest),
    honestCi95: ci95(honest),
    gainMean: mean(gains),
    gainCi95: ci95(gains),
  };
}
