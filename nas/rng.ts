// The engine's only source of randomness: a small seeded PRNG (sfc32 seeded through splitmix32).
// Nothing in nas/ may call Math.random (a test scans for it): every draw must be reproducible
// from a recipe or search seed.

/** splitmix32 step, used to expand one 32-bit seed into independent state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export interface RngState {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** sfc32: fast, 128-bit state, passes PractRand; state is plain data so it can be checkpointed. */
export class Rng {
  state: RngState;
  constructor(seed: number | RngState) {
    if (typeof seed === "number") {
      const sm = { s: seed | 0 };
      this.state = { a: splitmix32(sm), b: splitmix32(sm), c: splitmix32(sm), d: splitmix32(sm) };
      for (let i = 0; i < 12; i++) this.nextU32();
    } else {
      this.state = { ...seed };
    }
  }
  nextU32(): number {
    const s = this.state;
    const t = (((s.a + s.b) | 0) + s.d) | 0;
    s.d = (s.d + 1) | 0;
    s.a = s.b ^ (s.b >>> 9);
    s.b = (s.c + (s.c << 3)) | 0;
    s.c = (s.c << 21) | (s.c >>> 11);
    s.c = (s.c + t) | 0;
    return t >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}
