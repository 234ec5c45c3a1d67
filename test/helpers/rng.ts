// The seeded generator of the randomised tests (test/PoNASPool.invariant.test.ts) and of the
// attack harness (test/attacks/harness.ts): the same seed gives the same sequence, so every
// "random" episode or scenario is reproducible.
import { mulberry32 } from "./pool.js";

/** A seeded generator over mulberry32. `stream` separates sequences that share a seed. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number, stream?: number) {
    // Without a stream the seed is used as is (the invariant test's episodes are named by it).
    this.next = mulberry32(stream === undefined ? seed : (seed * 0x9e3779b1 + stream * 0x85ebca6b) >>> 0);
  }
  /** Uniform in [0, 1). */
  float() {
    return this.next();
  }
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** True with probability p. */
  chance(p: number) {
    return this.next() < p;
  }
  /** A bigint in [lo, hi], from 52 random bits (uniform while hi − lo + 1 ≪ 2^52). */
  big(lo: bigint, hi: bigint) {
    const span = hi - lo + 1n;
    const r = (BigInt(Math.floor(this.next() * 2 ** 26)) << 26n) | BigInt(Math.floor(this.next() * 2 ** 26));
    return lo + (r % span);
  }
  /** A uniformly chosen element. */
  pick<T>(xs: T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(xs: T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}
