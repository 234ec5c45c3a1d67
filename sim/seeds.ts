// Seed derivation for the simulation. Every random choice (a miner's search seed, who drops out
// in which round, which task a miner claims) comes from nas/ Rng streams derived here from the
// experiment's seed and a path of small integers, so streams never overlap by accident and a
// number of the report can be traced back to the exact draws behind it. No Math.random.
import { Rng } from "../nas/index.js";

/** Named stream roots, so that e.g. dropout draws and search seeds of one run are independent. */
export const STREAM = {
  search: 1,
  dropout: 2,
  assignment: 3,
  backups: 4,
  reliability: 5,
  bootstrap: 6,
  rewards: 7,
  performance: 8,
} as const;

/** An unsigned 32-bit seed determined by `seed` and `path` (the same inputs give the same seed). */
export function deriveSeed(seed: number, ...path: number[]): number {
  let x = seed >>> 0;
  for (const p of path) {
    // Mixing each step through a fresh Rng makes (1, 2) and (2, 1) unrelated seeds.
    x = new Rng((x ^ Math.imul((p >>> 0) + 1, 0x9e3779b1)) >>> 0).nextU32();
  }
  return x;
}

/** A generator seeded by `deriveSeed(seed, ...path)`. */
export function rngFor(seed: number, ...path: number[]): Rng {
  return new Rng(deriveSeed(seed, ...path));
}

/**
 * The search seed of a miner's j-th task (or j-th search) in run `seed`. A solo miner i and a
 * pool miner i share their first seed: with N = 1 the pool's only miner and the solo miner then
 * run the very same search, and N independent miners include the solo miner (common random
 * numbers make the comparisons between setups sharper than independent draws would).
 */
export function minerSeed(seed: number, miner: number, j = 0): number {
  return deriveSeed(seed, STREAM.search, miner, j);
}
