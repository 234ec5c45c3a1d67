// A seeded random sample of a search space too large to tabulate, and the statistics the sampled
// benchmark reports (scripts/bench-space.ts): quartiles and the Spearman rank correlation between
// two recipes' scores of the same architectures. Pure, so the tests pin each number.
import type { Hex } from "viem";
import { NasError } from "../errors.js";
import { Rng } from "../rng.js";
import { encodeGenome } from "../space/genome.js";
import { arityList, spaceId, spaceSize, type SearchSpace } from "../space/space.js";

/** Where bench:space writes the sampled benchmark of `space`: reports/space-<id prefix>.json. */
export function sampledReportUrl(space: SearchSpace): URL {
  return new URL(`../../reports/space-${spaceId(space).slice(2, 10)}.json`, import.meta.url);
}

/**
 * `n` distinct genomes drawn uniformly from `space` (each gene's option drawn independently, which
 * is uniform over the product), in draw order, so a larger n extends a smaller one's sample.
 */
export function sampleGenomes(space: SearchSpace, n: number, seed: number): Hex[] {
  const size = spaceSize(space);
  if (!Number.isInteger(n) || n < 1 || n > size) throw new NasError(`cannot sample ${n} architectures of space "${space.name}" (${size} in all): ask for 1..${size}`);
  const rng = new Rng(seed);
  const ar = arityList(space);
  const seen = new Set<Hex>();
  const out: Hex[] = [];
  while (out.length < n) {
    const g = encodeGenome(space, ar.map((a) => rng.int(a)));
    if (!seen.has(g)) {
      seen.add(g);
      out.push(g);
    }
  }
  return out;
}

/** Linear-interpolated quantile of an ascending array (q in [0, 1]). */
export function quantileOf(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new NasError("quantile of no values");
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export interface FiveNumbers {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export function fiveNumbers(xs: readonly number[]): FiveNumbers {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], q1: quantileOf(s, 0.25), median: quantileOf(s, 0.5), q3: quantileOf(s, 0.75), max: s[s.length - 1] };
}

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's ρ: Pearson's correlation of the ranks (ties averaged); null when either side is constant or n < 2. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length) throw new NasError(`spearman: ${a.length} values against ${b.length}`);
  if (a.length < 2) return null;
  const ra = ranks(a);
  const rb = ranks(b);
  const m = (ra.length + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < ra.length; i++) {
    sab += (ra[i] - m) * (rb[i] - m);
    saa += (ra[i] - m) ** 2;
    sbb += (rb[i] - m) ** 2;
  }
  return saa === 0 || sbb === 0 ? null : sab / Math.sqrt(saa * sbb);
}
