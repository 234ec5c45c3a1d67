// The port of the contract's Welford statistics and backup rule, against the contract tests' own
// known answers (test/libraries.test.ts) and a floating-point reference.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Rng } from "../nas/index.js";
import { EMPTY, SCALE, add, backupsAllowed, isqrt, sigma, varianceOf, type Stats } from "./welford.js";

const run = (xs: number[]): Stats => xs.reduce(add, EMPTY);

describe("sim/welford: the contract's σ_p, ported", () => {
  it("matches the contract's known answers", () => {
    expect(sigma(EMPTY)).to.equal(0n);
    const one = add(EMPTY, 7321);
    expect(one).to.deep.equal({ count: 1, mean: 7321n * SCALE, m2: 0n });
    const two = run([1000, 0]);
    expect(two).to.deep.equal({ count: 2, mean: 500n * SCALE, m2: 2n * 500n * 500n * SCALE });
    expect(sigma(two)).to.equal(500n * SCALE);
    const alt = run(Array.from({ length: 20 }, (_, i) => (i % 2 ? 10000 : 0)));
    expect(alt.mean).to.equal(5000n * SCALE);
    expect(sigma(alt)).to.equal(5000n * SCALE);
    expect(sigma(run(Array(25).fill(4242)))).to.equal(0n);
  });

  it("matches the shared vectors the contract's tests also check (test/vectors/welford.json)", () => {
    const shared = JSON.parse(readFileSync(new URL("../test/vectors/welford.json", import.meta.url), "utf8")) as {
      cases: { name: string; xs: number[]; count: number; mean: string; m2: string; sigma: string }[];
    };
    for (const v of shared.cases) {
      const s = run(v.xs);
      expect({ count: s.count, mean: s.mean, m2: s.m2, sigma: sigma(s) }, v.name).to.deep.equal({
        count: v.count,
        mean: BigInt(v.mean),
        m2: BigInt(v.m2),
        sigma: BigInt(v.sigma),
      });
    }
  });

  it("agrees with the floating-point population σ within 1 bps", () => {
    const rng = new Rng(9);
    for (let t = 0; t < 50; t++) {
      const xs = Array.from({ length: 1 + rng.int(60) }, () => (rng.next() < 0.2 ? 0 : 7000 + rng.int(1500)));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const ref = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
      const s = run(xs);
      expect(Number(sigma(s)) / 1e6).to.be.closeTo(ref, 1);
      expect(Number(varianceOf(s)) / 1e6).to.be.closeTo(ref * ref, Math.max(1, ref * 2));
    }
  });

  it("isqrt is the exact floor square root", () => {
    for (const v of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 30n, 10n ** 30n - 1n, (2n ** 64n + 3n) ** 2n - 1n]) {
      const r = isqrt(v);
      expect(r * r <= v && (r + 1n) * (r + 1n) > v, `isqrt(${v}) = ${r}`).to.equal(true);
    }
  });

  it("the backup rule: a new primary opens slots; then σ_p ≥ threshold does, a steady one does not", () => {
    const threshold = 500n * SCALE;
    expect(backupsAllowed(EMPTY, threshold)).to.equal(true);
    expect(backupsAllowed(run([8000, 8100, 7900, 8050]), threshold)).to.equal(false);
    // one no-show among 10 deliveries of ~8000: σ ≈ 8000·sqrt(0.1·0.9) ≈ 2400 bps
    expect(backupsAllowed(run([...Array(10).fill(8000), 0]), threshold)).to.equal(true);
    // σ exactly at the threshold counts (≥)
    expect(backupsAllowed(run([1000, 0]), threshold)).to.equal(true);
    expect(backupsAllowed(run([998, 0]), threshold)).to.equal(false);
  });
});
