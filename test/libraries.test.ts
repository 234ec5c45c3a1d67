// Unit tests of the pool's pure libraries (Genome, Welford, Sampling, RewardMath, Windows) through
// contracts/test/LibraryHarness.sol. Expected values come from the shared vectors, from plain
// TypeScript references of the documented rules, or from hand arithmetic — never from running
// the contracts.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { ethers, mulberry32, networkHelpers } from "./helpers/pool.js";
import type { LibraryHarness } from "../types/ethers-contracts/index.js";
import { drawn, FULL_SAMPLE, seedOf } from "./helpers/rules.js";

interface GenomeCase {
  name: string;
  arities: string;
  genome: string;
  valid: boolean;
}
interface SubspaceCase {
  name: string;
  arities: string;
  mask: string;
  value: string;
  genome: string;
  inSubspace: boolean;
  isSubspace: boolean;
}
const vectors = JSON.parse(readFileSync(new URL("./vectors/genome.json", import.meta.url), "utf8")) as {
  description: string;
  cases: GenomeCase[];
  subspaces: SubspaceCase[];
};

const BPS = 10_000n;
const SCALE = 1_000_000n;

const randInt = (rnd: () => number, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

/** Integer square root (floor) of a bigint, by Newton's method. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

/** The documented genome rule, written independently of Genome.sol. */
function refIsValid(genome: string, arities: string): boolean {
  const g = ethers.getBytes(genome);
  const a = ethers.getBytes(arities);
  for (let i = 0; i < 32; i++) {
    if (a[i] === 0 ? g[i] !== 0 : g[i] >= a[i]) return false;
  }
  return true;
}
function and(x: string, y: string): string {
  const a = ethers.getBytes(x);
  const b = ethers.getBytes(y);
  return ethers.hexlify(a.map((v, i) => v & b[i]));
}
const ZERO32 = ethers.ZeroHash;
function not(x: string): string {
  return ethers.hexlify(ethers.getBytes(x).map((v) => ~v & 0xff));
}

async function deployHarness() {
  return (await ethers.deployContract("LibraryHarness")) as unknown as LibraryHarness;
}

describe("libraries", () => {
  let h: LibraryHarness;
  beforeEach(async () => {
    h = await networkHelpers.loadFixture(deployHarness);
  });

  describe("Genome (test/vectors/genome.json)", () => {
    it("has a description and enough vectors", () => {
      expect(vectors.description).to.be.a("string").and.not.equal("");
      expect(vectors.cases.length).to.be.at.least(20);
      expect(vectors.subspaces.length).to.be.at.least(10);
      expect(vectors.cases.some((c) => c.valid)).to.equal(true);
      expect(vectors.cases.some((c) => !c.valid)).to.equal(true);
    });

    for (const c of vectors.cases) {
      it(`isValid: ${c.name} -> ${c.valid}`, async () => {
        expect(refIsValid(c.genome, c.arities), "vector disagrees with the documented rule").to.equal(c.valid);
        expect(await h.isValid(c.genome, c.arities)).to.equal(c.valid);
      });
    }

    for (const s of vectors.subspaces) {
      it(`subspace: ${s.name} -> in ${s.inSubspace}, well-formed ${s.isSubspace}`, async () => {
        expect(and(s.genome, s.mask) === s.value, "vector disagrees with genome & mask == value").to.equal(
          s.inSubspace,
        );
        const refIsSubspace = and(s.value, not(s.mask)) === ZERO32 && refIsValid(s.value, s.arities);
        expect(refIsSubspace, "vector disagrees with the documented subspace rule").to.equal(s.isSubspace);
        expect(await h.inSubspace(s.genome, s.mask, s.value)).to.equal(s.inSubspace);
        expect(await h.isSubspace(s.mask, s.value, s.arities)).to.equal(s.isSubspace);
      });
    }

    it("isValid agrees with the reference on random genomes near the arity boundary", async () => {
      const rnd = mulberry32(0x5eed01);
      for (let n = 0; n < 60; n++) {
        const a = new Uint8Array(32);
        const g = new Uint8Array(32);
        const used = randInt(rnd, 1, 32);
        for (let i = 0; i < used; i++) {
          a[i] = randInt(rnd, 1, 255);
          // mostly valid genes, sometimes exactly the arity or above
          const r = rnd();
          g[i] = r < 0.9 ? randInt(rnd, 0, a[i] - 1) : Math.min(255, a[i] + randInt(rnd, 0, 1));
        }
        if (rnd() < 0.1 && used < 32) g[randInt(rnd, used, 31)] = randInt(rnd, 1, 255);
        const arities = ethers.hexlify(a);
        const genome = ethers.hexlify(g);
        expect(await h.isValid(genome, arities)).to.equal(refIsValid(genome, arities));
      }
    });

    it("disjoint: prefix tasks differing in a shared fixed gene are disjoint; nested or independent ones are not", async () => {
      const m = (bytes: number[]) => ethers.hexlify(Uint8Array.from({ length: 32 }, (_, i) => bytes[i] ?? 0));
      // gene0 = 0 vs gene0 = 1
      expect(await h.disjoint(m([0xff]), m([0]), m([0xff]), m([1]))).to.equal(true);
      // gene0 = 1 vs (gene0, gene1) = (1, 2): the second is inside the first
      expect(await h.disjoint(m([0xff]), m([1]), m([0xff, 0xff]), m([1, 2]))).to.equal(false);
      // gene0 = 1 vs gene1 = 2: independent genes, they intersect
      expect(await h.disjoint(m([0xff]), m([1]), m([0, 0xff]), m([0, 2]))).to.equal(false);
      // bit-level: gene3 odd vs gene3 even
      expect(await h.disjoint(m([0, 0, 0, 1]), m([0, 0, 0, 1]), m([0, 0, 0, 1]), m([0, 0, 0, 0]))).to.equal(true);
      // identical subspaces are not disjoint
      expect(await h.disjoint(m([0xff]), m([2]), m([0xff]), m([2]))).to.equal(false);
    });
  });

  describe("Welford", () => {
    /** Plain floating-point reference: count, mean and σ_p = sqrt(1/N Σ (x_i - mean)^2). */
    function reference(xs: number[]) {
      const n = xs.length;
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const sigma = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n);
      return { n, mean, sigma };
    }

    it("starts empty: variance and sigma of no samples are 0", async () => {
      expect(await h.welfordVariance(0, 0, 0)).to.equal(0n);
      expect(await h.welfordSigma(0, 0, 0)).to.equal(0n);
    });

    it("one sample: count 1, mean = x·1e6, M2 = 0, sigma 0", async () => {
      const [c, mean, m2] = await h.welfordAdd(0, 0, 0, 7321);
      expect(c).to.equal(1n);
      expect(mean).to.equal(7321n * SCALE);
      expect(m2).to.equal(0n);
      expect(await h.welfordSigma(c, mean, m2)).to.equal(0n);
    });

    it("two samples 1000 and 0: mean 500, sigma exactly 500 bps", async () => {
      let s = await h.welfordAdd(0, 0, 0, 1000);
      s = await h.welfordAdd(s[0], s[1], s[2], 0);
      expect(s[0]).to.equal(2n);
      expect(s[1]).to.equal(500n * SCALE);
      // M2 = Σ(x - mean)^2 = 2·500^2 bps², scaled by 1e6
      expect(s[2]).to.equal(2n * 500n * 500n * SCALE);
      expect(await h.welfordSigma(s[0], s[1], s[2])).to.equal(500n * SCALE);
    });

    it("alternating 0 and 10000 (the extremes): sigma exactly 5000 bps", async () => {
      const xs = Array.from({ length: 20 }, (_, i) => (i % 2 ? 10000 : 0));
      const [c, mean, m2, sigma] = await h.welfordRun(xs);
      expect(c).to.equal(20n);
      expect(mean).to.equal(5000n * SCALE);
      expect(m2).to.equal(20n * 5000n * 5000n * SCALE);
      expect(sigma).to.equal(5000n * SCALE);
    });

    it("matches the shared vectors (test/vectors/welford.json, also read by sim/welford.test.ts)", async () => {
      const shared = JSON.parse(readFileSync(new URL("./vectors/welford.json", import.meta.url), "utf8")) as {
        cases: { name: string; xs: number[]; count: number; mean: string; m2: string; sigma: string }[];
      };
      expect(shared.cases.length).to.be.at.least(10);
      for (const v of shared.cases) {
        const [c, mean, m2, sigma] = await h.welfordRun(v.xs);
        expect([c, mean, m2, sigma], v.name).to.deep.equal([BigInt(v.count), BigInt(v.mean), BigInt(v.m2), BigInt(v.sigma)]);
      }
    });

    it("a constant sequence has sigma exactly 0", async () => {
      const [c, mean, m2, sigma] = await h.welfordRun(Array(25).fill(4242));
      expect(c).to.equal(25n);
      expect(mean).to.equal(4242n * SCALE);
      expect(m2).to.equal(0n);
      expect(sigma).to.equal(0n);
    });

    it("sigma(count, mean, m2) = floor(sqrt(floor(m2 / count) · 1e6))", async () => {
      const rnd = mulberry32(0xabc);
      for (let i = 0; i < 20; i++) {
        const count = BigInt(randInt(rnd, 1, 1000));
        const m2 = BigInt(randInt(rnd, 0, 2 ** 30)) * BigInt(randInt(rnd, 1, 2 ** 20));
        const variance = m2 / count;
        expect(await h.welfordVariance(count, 0, m2)).to.equal(variance);
        expect(await h.welfordSigma(count, 0, m2)).to.equal(isqrt(variance * SCALE));
      }
    });

    it("step-by-step updates equal one batched run", async () => {
      const rnd = mulberry32(7);
      const xs = Array.from({ length: 15 }, () => randInt(rnd, 0, 10000));
      let s: [bigint, bigint, bigint] = [0n, 0n, 0n];
      for (const x of xs) s = (await h.welfordAdd(s[0], s[1], s[2], x)) as unknown as [bigint, bigint, bigint];
      const run = await h.welfordRun(xs);
      expect([run[0], run[1], run[2]]).to.deep.equal([s[0], s[1], s[2]]);
    });

    const seeds = [1, 2, 3, 42, 1337, 2024, 99991, 123456789];
    for (const seed of seeds) {
      it(`random sequence (seed ${seed}) matches the floating-point reference`, async () => {
        const rnd = mulberry32(seed);
        const n = randInt(rnd, 2, 120);
        // performances are bps above a baseline: spread widely, or clustered with a small spread
        const clustered = rnd() < 0.5;
        const centre = randInt(rnd, 0, 10000);
        const xs = Array.from({ length: n }, () =>
          clustered ? Math.max(0, Math.min(10000, centre + randInt(rnd, -30, 30))) : randInt(rnd, 0, 10000),
        );
        const ref = reference(xs);
        const [c, mean, , sigma] = await h.welfordRun(xs);
        expect(c).to.equal(BigInt(n));
        // Each update truncates the new mean by less than one unit (1e-6 bps) and shrinks the
        // error carried so far by (n-1)/n, so after n samples |error| < (n+1)/2 units.
        const meanErr = Math.abs(Number(mean) - ref.mean * 1e6);
        expect(meanErr, `mean error ${meanErr} units`).to.be.at.most((n + 1) / 2);
        // σ: M2 truncations (< 1 unit each, divided by n in the variance), the mean error (second
        // order in M2) and the final floor of the square root: a few units of 1e-6 bps. Allow
        // 10 units plus 1e-6 relative.
        const sigmaErr = Math.abs(Number(sigma) - ref.sigma * 1e6);
        expect(sigmaErr, `sigma error ${sigmaErr} units`).to.be.at.most(10 + ref.sigma);
        if (!clustered) expect(Number(sigma)).to.be.greaterThan(0);
      });
    }
  });

  describe("Sampling", () => {
    const E = (score: number, task: number, slot: number) =>
      (BigInt(score) << 48n) | (BigInt(task + 1) << 16n) | (BigInt(slot) << 8n);
    const EMPTY: bigint[] = Array(8).fill(0n);

    it("entry packs score, task + 1 and slot; entryScore reads the score back", async () => {
      expect(await h.entry(9876, 5, 3)).to.equal(E(9876, 5, 3));
      expect(await h.entryScore(E(9876, 5, 3))).to.equal(9876n);
      // task 0, slot 0 is a nonzero entry, so it cannot be mistaken for an empty place
      expect(await h.entry(0, 0, 0)).to.not.equal(0n);
    });

    it("insert keeps the k highest claims sorted, highest first", async () => {
      let list = EMPTY;
      const k = 3;
      const steps: [number, number, boolean][] = [
        [9000, 0, true], // empty list
        [9500, 1, true], // new best
        [8000, 2, true], // fills the last place
        [9200, 3, true], // pushes 8000 out
        [7000, 4, false], // below the lowest of a full list
      ];
      for (const [score, task, expected] of steps) {
        const [inserted, next] = await h.insert(list as any, k, E(score, task, 0));
        expect(inserted).to.equal(expected);
        list = [...next];
      }
      expect(list).to.deep.equal([E(9500, 1, 0), E(9200, 3, 0), E(9000, 0, 0), 0n, 0n, 0n, 0n, 0n]);
    });

    it("ties: an equal score does not displace an earlier entry", async () => {
      let list = [E(9500, 0, 0), E(9000, 1, 0), E(8000, 2, 0), 0n, 0n, 0n, 0n, 0n];
      // equal to the middle entry: goes after it, the lowest drops out
      let [inserted, next] = await h.insert(list as any, 3, E(9000, 3, 1));
      expect(inserted).to.equal(true);
      expect([...next]).to.deep.equal([E(9500, 0, 0), E(9000, 1, 0), E(9000, 3, 1), 0n, 0n, 0n, 0n, 0n]);
      list = [...next];
      // equal to the lowest of a full list: not inserted
      [inserted, next] = await h.insert(list as any, 3, E(9000, 4, 0));
      expect(inserted).to.equal(false);
      expect([...next]).to.deep.equal(list);
      // equal to the best: goes second
      [inserted, next] = await h.insert(list as any, 3, E(9500, 5, 0));
      expect(inserted).to.equal(true);
      expect([...next]).to.deep.equal([E(9500, 0, 0), E(9500, 5, 0), E(9000, 1, 0), 0n, 0n, 0n, 0n, 0n]);
    });

    it("insert with k = 0 never inserts; with k = 8 uses every place", async () => {
      const [inserted0, same] = await h.insert(EMPTY as any, 0, E(10000, 0, 0));
      expect(inserted0).to.equal(false);
      expect([...same]).to.deep.equal(EMPTY);
      let list = EMPTY;
      for (let i = 0; i < 9; i++) {
        const [, next] = await h.insert(list as any, 8, E(9000 + i, i, 0));
        list = [...next];
      }
      // 9 inserts of increasing scores: the 8 highest, highest first; 9000 (task 0) dropped out
      expect(list).to.deep.equal(Array.from({ length: 8 }, (_, j) => E(9008 - j, 8 - j, 0)));
    });

    it("insert matches a reference over random claims", async () => {
      const rnd = mulberry32(0x70b);
      for (let round = 0; round < 4; round++) {
        const k = randInt(rnd, 1, 8);
        let list = EMPTY;
        const ref: { score: number; task: number }[] = [];
        for (let i = 0; i < 12; i++) {
          const score = randInt(rnd, 9000, 9010); // narrow range: many ties
          const [, next] = await h.insert(list as any, k, E(score, i, 0));
          list = [...next];
          // reference: stable sort by score descending keeps the earlier of equal scores first
          ref.push({ score, task: i });
          ref.sort((a, b) => b.score - a.score);
        }
        const expected = ref.slice(0, k).map((r) => E(r.score, r.task, 0));
        while (expected.length < 8) expected.push(0n);
        expect(list).to.deep.equal(expected);
      }
    });

    it("contains finds (task, slot) whatever the score, and nothing past the first empty place", async () => {
      const list = [E(9500, 0, 0), E(9400, 7, 2), E(9300, 3, 0), 0n, E(9000, 5, 0), 0n, 0n, 0n];
      expect(await h.contains(list as any, 0, 0)).to.equal(true);
      expect(await h.contains(list as any, 7, 2)).to.equal(true);
      expect(await h.contains(list as any, 3, 0)).to.equal(true);
      expect(await h.contains(list as any, 7, 0)).to.equal(false); // same task, other slot
      expect(await h.contains(list as any, 2, 0)).to.equal(false); // task + 1 must not alias
      expect(await h.contains(list as any, 5, 0)).to.equal(false); // after the first empty place
      expect(await h.contains(EMPTY as any, 0, 0)).to.equal(false);
      const full = Array.from({ length: 8 }, (_, i) => E(9000 - i, i, 1));
      expect(await h.contains(full as any, 7, 1)).to.equal(true);
      expect(await h.contains(full as any, 8, 1)).to.equal(false);
    });

    it("remove closes the gap, keeps the order and zeroes the last place; absent entries change nothing", async () => {
      const list = [E(9500, 0, 0), E(9400, 7, 2), E(9300, 3, 0), 0n, 0n, 0n, 0n, 0n];
      const [removed, after] = await h.remove(list as any, 7, 2);
      expect(removed).to.equal(true);
      expect(after).to.deep.equal([E(9500, 0, 0), E(9300, 3, 0), 0n, 0n, 0n, 0n, 0n, 0n]);
      const [absent, same] = await h.remove(list as any, 7, 0);
      expect(absent).to.equal(false);
      expect(same).to.deep.equal(list);
      const full = Array.from({ length: 8 }, (_, i) => E(9000 - i, i, 1));
      const [lastRemoved, shorter] = await h.remove(full as any, 7, 1);
      expect(lastRemoved).to.equal(true);
      expect(shorter).to.deep.equal([...full.slice(0, 7), 0n]);
      const [firstRemoved, shifted] = await h.remove(full as any, 0, 1);
      expect(firstRemoved).to.equal(true);
      expect(shifted).to.deep.equal([...full.slice(1), 0n]);
    });

    it("median: odd counts take the middle value", async () => {
      expect(await h.median([7])).to.equal(7n);
      expect(await h.median([3, 1, 2])).to.equal(2n);
      expect(await h.median([9500, 9000, 10000, 0, 9100])).to.equal(9100n);
      expect(await h.median([5, 5, 1])).to.equal(5n);
    });

    it("median: even counts take the floor of the mean of the two middle values", async () => {
      expect(await h.median([1, 2, 3, 4])).to.equal(2n); // (2+3)/2 = 2.5 -> 2
      expect(await h.median([10000, 9999])).to.equal(9999n); // 9999.5 -> 9999
      expect(await h.median([9000, 9200])).to.equal(9100n);
      expect(await h.median([4, 4, 4, 4])).to.equal(4n);
    });

    it("median matches a sorted reference on random inputs of every quorum size", async () => {
      const rnd = mulberry32(31337);
      for (let q = 1; q <= 9; q++) {
        const xs = Array.from({ length: q }, () => randInt(rnd, 0, 10000));
        const s = [...xs].sort((a, b) => a - b);
        const expected = q % 2 ? s[(q - 1) / 2] : Math.floor((s[q / 2 - 1] + s[q / 2]) / 2);
        expect(await h.median(xs)).to.equal(BigInt(expected));
      }
    });

    it("drawn is keccak256(abi.encode(seed, round, task, slot)) mod 10000 < sampleBps", async () => {
      const coder = ethers.AbiCoder.defaultAbiCoder();
      const rnd = mulberry32(5);
      for (let i = 0; i < 10; i++) {
        const seed = ethers.keccak256(ethers.toBeHex(i + 1, 32));
        const [round, task, slot, bps] = [randInt(rnd, 1, 9), randInt(rnd, 0, 99), randInt(rnd, 0, 8), randInt(rnd, 0, 10000)];
        const v = BigInt(ethers.keccak256(coder.encode(["bytes32", "uint256", "uint256", "uint256"], [seed, round, task, slot]))) % BPS;
        expect(await h.drawn(seed, round, task, slot, bps)).to.equal(v < BigInt(bps));
      }
    });

    it("drawn: sampleBps 0 never draws, 10000 always draws", async () => {
      const seed0 = ethers.id("edges");
      expect(await h.countDrawn(seed0, 300, 1, 0, 0, 0)).to.equal(0n);
      expect(await h.countDrawn(seed0, 300, 1, 0, 0, 10000)).to.equal(300n);
    });

    it("seedOf hashes the value with the round and keeps bit 0 (FULL_SAMPLE) for a withheld value; a full-sample seed samples every submission, even at sampleBps 0", async () => {
      const rnd = mulberry32(11);
      for (let i = 0; i < 8; i++) {
        const value = ethers.keccak256(ethers.toBeHex(1000 + i, 32));
        const round = BigInt(randInt(rnd, 1, 50));
        for (const full of [false, true]) {
          const seed = await h.seedOf(value, round, full);
          expect(seed).to.equal(seedOf(value, round, full));
          expect(BigInt(seed) & FULL_SAMPLE).to.equal(full ? 1n : 0n);
          // and nothing else of the hash changes
          expect(BigInt(seed) >> 1n).to.equal(BigInt(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [value, round]))) >> 1n);
          const [task, slot] = [randInt(rnd, 0, 99), randInt(rnd, 0, 8)];
          expect(await h.isSampledBySeed(seed, round, task, slot, 0)).to.equal(full);
          expect(await h.isSampledBySeed(seed, round, task, slot, 5000)).to.equal(full || drawn(seed, round, task, slot, 5000n));
        }
      }
      expect(await h.isSampledBySeed(ethers.ZeroHash, 1, 0, 0, 10000), "a pending seed samples nothing").to.equal(false);
    });

    for (const bps of [100, 1000, 2500, 5000, 9000]) {
      it(`drawn frequency over many seeds is close to sampleBps = ${bps}`, async () => {
        const n = 4000;
        const hits = await h.countDrawn(ethers.id(`frequency-${bps}`), n, 3, 7, 1, bps);
        const p = bps / 10000;
        const freq = Number(hits) / n;
        // within 5 standard deviations of a Bernoulli(p) mean, and within 3 percentage points
        const tol = Math.min(0.03, 5 * Math.sqrt((p * (1 - p)) / n));
        expect(Math.abs(freq - p), `frequency ${freq} vs ${p}`).to.be.at.most(tol);
      });
    }
  });

  describe("WeightsSeal", () => {
    it("matches the shared vectors (test/vectors/weights-seal.json, also read by chain/seals.test.ts)", async () => {
      const shared = JSON.parse(readFileSync(new URL("./vectors/weights-seal.json", import.meta.url), "utf8")) as {
        cases: { name: string; chainId: number; pool: string; roundId: string; task: string; miner: string; weightsDigest: string; seal: string }[];
      };
      expect(shared.cases.length).to.be.at.least(4);
      const seals = new Set<string>();
      for (const v of shared.cases) {
        expect(await h.weightsSeal(v.chainId, v.pool, v.roundId, v.task, v.miner, v.weightsDigest), v.name).to.equal(v.seal);
        seals.add(v.seal);
      }
      // the same digest sealed for another miner or another round is another seal (no replay)
      expect(seals.size).to.equal(shared.cases.length);
    });
  });

  describe("Sampling.agreedDigest", () => {
    const D = (tag: string) => ethers.id(`digest:${tag}`);
    const Z = ZERO32;
    /** The documented rule, written independently: the non-zero digest occurring most often, if at least twice and strictly more often than any other; else 0. */
    function refAgreed(digests: string[]): string {
      const counts = new Map<string, number>();
      for (const d of digests) if (d !== Z) counts.set(d, (counts.get(d) ?? 0) + 1);
      const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      if (sorted.length === 0 || sorted[0][1] < 2) return Z;
      if (sorted.length > 1 && sorted[1][1] === sorted[0][1]) return Z;
      return sorted[0][0];
    }

    it("no digests, or only zeros (cross-backend re-trainings): none agreed", async () => {
      expect(await h.agreedDigest([])).to.equal(Z);
      expect(await h.agreedDigest([Z])).to.equal(Z);
      expect(await h.agreedDigest([Z, Z, Z, Z, Z])).to.equal(Z);
    });

    it("a digest revealed once is no agreement, however many zeros stand beside it", async () => {
      expect(await h.agreedDigest([D("a")])).to.equal(Z);
      expect(await h.agreedDigest([Z, D("a"), Z])).to.equal(Z);
      expect(await h.agreedDigest([D("a"), D("b"), D("c")])).to.equal(Z); // all different
    });

    it("twice is enough: zeros are ignored, not counted against it", async () => {
      expect(await h.agreedDigest([D("a"), D("a")])).to.equal(D("a"));
      expect(await h.agreedDigest([Z, D("a"), Z, Z, D("a")])).to.equal(D("a"));
      // two zeros never agree on a zero digest, even when they outnumber it
      expect(await h.agreedDigest([Z, Z, Z, D("a"), D("a")])).to.equal(D("a"));
    });

    it("majority and plurality: the most frequent wins against fewer occurrences, wherever it stands", async () => {
      expect(await h.agreedDigest([D("a"), D("a"), D("b")])).to.equal(D("a"));
      expect(await h.agreedDigest([D("b"), D("a"), D("a")])).to.equal(D("a"));
      expect(await h.agreedDigest([D("b"), D("b"), D("a"), D("a"), D("a")])).to.equal(D("a")); // 3 against 2
      expect(await h.agreedDigest([D("a"), D("b"), D("b"), D("c"), D("a"), D("b"), Z, D("c"), D("d")])).to.equal(D("b")); // 3 against 2, 2, 1
    });

    it("a tie for the most frequent is no agreement, in any order", async () => {
      expect(await h.agreedDigest([D("a"), D("a"), D("b"), D("b")])).to.equal(Z);
      expect(await h.agreedDigest([D("a"), D("b"), D("a"), D("b")])).to.equal(Z);
      expect(await h.agreedDigest([D("b"), D("a"), D("b"), D("a"), Z])).to.equal(Z);
      expect(await h.agreedDigest([D("a"), D("b"), D("c"), D("a"), D("b"), D("c")])).to.equal(Z); // three-way
      // a tie below the top does not matter
      expect(await h.agreedDigest([D("c"), D("a"), D("b"), D("a"), D("b"), D("c"), D("c")])).to.equal(D("c"));
      // a later, larger count breaks an earlier tie
      expect(await h.agreedDigest([D("a"), D("a"), D("b"), D("b"), D("c"), D("c"), D("c")])).to.equal(D("c"));
    });

    it("matches the reference on random lists of up to MAX_QUORUM (9) digests drawn from a few values", async () => {
      const rnd = mulberry32(2718);
      const pool = [Z, D("p"), D("q"), D("r")];
      let agreedSeen = 0;
      for (let i = 0; i < 60; i++) {
        const n = randInt(rnd, 0, 9);
        const list = Array.from({ length: n }, () => pool[randInt(rnd, 0, pool.length - 1)]);
        const expected = refAgreed(list);
        if (expected !== Z) agreedSeen++;
        expect(await h.agreedDigest(list), list.map((x) => pool.indexOf(x)).join(",")).to.equal(expected);
      }
      expect(agreedSeen, "both outcomes occur").to.be.within(1, 59);
    });
  });

  describe("Windows", () => {
    /** The documented split points, written independently of Windows.sol. */
    const ref = (c: bigint, r: bigint, v: bigint) => ({
      backupRevealStart: (c + r) / 2n,
      challengeEnd: r + (v - r) / 4n,
      attestCommitEnd: r + (v - r) / 2n,
      attestRevealEnd: r + ((v - r) * 5n) / 8n,
      escalationCommitEnd: r + ((v - r) * 7n) / 8n,
      escalationRevealEnd: r + ((v - r) * 15n) / 16n,
    });
    const get = async (c: bigint, r: bigint, v: bigint) => {
      const [backupRevealStart, challengeEnd, attestCommitEnd, attestRevealEnd, escalationCommitEnd, escalationRevealEnd] = await h.windows(c, r, v);
      return { backupRevealStart, challengeEnd, attestCommitEnd, attestRevealEnd, escalationCommitEnd, escalationRevealEnd };
    };

    it("hand vectors: the default 3600 s windows split at 1800 (backups), then 900, 1800, 2250, 3150 and 3375 s into the verify window", async () => {
      const c = 1_700_003_600n;
      const r = c + 3600n;
      const v = r + 3600n;
      expect(await get(c, r, v)).to.deep.equal({
        backupRevealStart: c + 1800n,
        challengeEnd: r + 900n,
        attestCommitEnd: r + 1800n,
        attestRevealEnd: r + 2250n,
        escalationCommitEnd: r + 3150n,
        escalationRevealEnd: r + 3375n,
      });
    });

    it("hand vectors: each split rounds down (a 7 s reveal window, a 1001 s verify window)", async () => {
      // (100 + 107) / 2 = 103.5; 1001/4 = 250.25; 1001/2 = 500.5; 5·1001/8 = 625.6; 7·1001/8 = 875.9; 15·1001/16 = 938.4
      expect(await get(100n, 107n, 108n + 1001n)).to.deep.include({ backupRevealStart: 103n });
      expect(await get(100n, 1108n, 2109n)).to.deep.equal({
        backupRevealStart: 604n,
        challengeEnd: 1358n,
        attestCommitEnd: 1608n,
        attestRevealEnd: 1733n,
        escalationCommitEnd: 1983n,
        escalationRevealEnd: 2046n,
      });
      // the product is taken before the division: 5·12/8 = 7 (5·(12/8) = 5)
      expect((await get(0n, 0n, 12n)).attestRevealEnd).to.equal(7n);
      expect((await get(0n, 0n, 20n)).escalationRevealEnd).to.equal(18n); // 300/16 = 18.75 (15·(20/16) = 15)
    });

    it("matches the formulas on random windows, and orders them: challenges end no later than drawn commits, then drawn reveals, escalation commits, escalation reveals, verifyEnd", async () => {
      const rnd = mulberry32(8080);
      for (let i = 0; i < 40; i++) {
        const c = BigInt(randInt(rnd, 0, 2_000_000_000));
        const r = c + BigInt(randInt(rnd, 2, 100_000));
        const v = r + BigInt(randInt(rnd, 1, 100_000));
        const w = await get(c, r, v);
        expect(w).to.deep.equal(ref(c, r, v));
        expect(c < w.backupRevealStart && w.backupRevealStart < r).to.equal(true);
        expect(r <= w.challengeEnd && w.challengeEnd <= w.attestCommitEnd).to.equal(true);
        expect(w.attestCommitEnd <= w.attestRevealEnd && w.attestRevealEnd <= w.escalationCommitEnd).to.equal(true);
        expect(w.escalationCommitEnd <= w.escalationRevealEnd && w.escalationRevealEnd <= v).to.equal(true);
      }
    });

    it("every attestation phase holds at least one second once the verify window is 16 s or longer (what openRound requires)", async () => {
      const r = 1000n;
      for (let len = 1n; len <= 40n; len++) {
        const w = await get(0n, r, r + len);
        const lengths = [
          w.attestCommitEnd - r, // drawn commits (revealEnd, attestCommitEnd]
          w.attestRevealEnd - w.attestCommitEnd, // drawn reveals
          w.escalationCommitEnd - w.attestRevealEnd, // escalation commits
          w.escalationRevealEnd - w.escalationCommitEnd, // escalation reveals
          r + len - w.escalationRevealEnd, // decide (disputed)
        ];
        expect(lengths).to.deep.equal([len / 2n, (5n * len) / 8n - len / 2n, (7n * len) / 8n - (5n * len) / 8n, (15n * len) / 16n - (7n * len) / 8n, len - (15n * len) / 16n]);
        expect(lengths[4], `decide phase of a ${len} s window`).to.be.at.least(1n);
        if (len >= 16n) expect(lengths.every((x) => x > 0n), `every phase of a ${len} s window`).to.equal(true);
      }
    });
  });

  describe("RewardMath", () => {
    it("performance is the score above the baseline, 0 at or below it", async () => {
      expect(await h.performance(9500, 9000)).to.equal(500n);
      expect(await h.performance(9001, 9000)).to.equal(1n);
      expect(await h.performance(9000, 9000)).to.equal(0n);
      expect(await h.performance(100, 9000)).to.equal(0n);
      expect(await h.performance(10000, 0)).to.equal(10000n);
      expect(await h.performance(0, 0)).to.equal(0n);
    });

    it("share = floor(p · pot / sumP), 0 when sumP is 0", async () => {
      expect(await h.share(0, 1000, 0)).to.equal(0n);
      expect(await h.share(5, 1000, 0)).to.equal(0n);
      expect(await h.share(1, 10, 3)).to.equal(3n); // 3.33
      expect(await h.share(2, 10, 3)).to.equal(6n); // 6.67
      expect(await h.share(3, 10, 3)).to.equal(10n);
      expect(await h.share(0, 10, 3)).to.equal(0n);
      expect(await h.share(800, 1000n * 10n ** 18n, 1100)).to.equal((800n * 1000n * 10n ** 18n) / 1100n);
    });

    it("share does not overflow when p · pot exceeds 256 bits", async () => {
      const big = 2n ** 200n;
      expect(await h.share(big, big, 2n * big)).to.equal(big / 2n);
      expect(await h.share(ethers.MaxUint256, ethers.MaxUint256, ethers.MaxUint256)).to.equal(ethers.MaxUint256);
    });

    it("owedUpperBound = ceil(remainingP · pot / sumP), 0 when sumP is 0", async () => {
      expect(await h.owedUpperBound(5, 1000, 0)).to.equal(0n);
      expect(await h.owedUpperBound(1, 10, 3)).to.equal(4n);
      expect(await h.owedUpperBound(3, 10, 3)).to.equal(10n);
      expect(await h.owedUpperBound(0, 10, 3)).to.equal(0n);
      expect(await h.owedUpperBound(2, 9, 3)).to.equal(6n); // exact
    });

    it("owedUpperBound bounds the floored shares of any set of unpaid holders", async () => {
      const rnd = mulberry32(0xfeed);
      for (let t = 0; t < 8; t++) {
        const ps = Array.from({ length: randInt(rnd, 1, 8) }, () => BigInt(randInt(rnd, 0, 1000)));
        const sumP = ps.reduce((a, b) => a + b, 0n);
        const pot = BigInt(randInt(rnd, 1, 1e9)) * 10n ** 9n + BigInt(randInt(rnd, 0, 999));
        let paid = 0n;
        for (const p of ps) paid += await h.share(p, pot, sumP);
        expect(paid).to.be.at.most(pot);
        // any unpaid subset: the first half of the holders
        const rest = ps.slice(0, Math.ceil(ps.length / 2));
        const restP = rest.reduce((a, b) => a + b, 0n);
        let owed = 0n;
        for (const p of rest) owed += await h.share(p, pot, sumP);
        const bound = await h.owedUpperBound(restP, pot, sumP);
        expect(owed).to.be.at.most(bound);
        // the bound is tight to within the number of holders (one unit of rounding each)
        if (sumP > 0n) expect(bound - owed).to.be.at.most(BigInt(rest.length));
      }
    });

    /**
     * RewardMath.paidScore from its documented rule: unverified, the claim; verified at or above the
     * claim, the claim; verified `over` below it, the median less ceil(over · (1 - p) / p), floored
     * at 0 (the median at p >= 100%, 0 at p = 0).
     */
    function refPaidScore(claimed: bigint, verifiedBps: bigint, verified: boolean, sampleBps: bigint): bigint {
      if (!verified || claimed <= verifiedBps) return claimed;
      if (sampleBps >= BPS) return verifiedBps;
      if (sampleBps === 0n) return 0n;
      const penalty = ((claimed - verifiedBps) * (BPS - sampleBps) + sampleBps - 1n) / sampleBps;
      return verifiedBps > penalty ? verifiedBps - penalty : 0n;
    }

    it("paidScore: an unverified claim is paid on the claim, whatever the other arguments", async () => {
      expect(await h.paidScore(9500, 0, false, 5000)).to.equal(9500n);
      expect(await h.paidScore(9500, 9000, false, 0)).to.equal(9500n);
      expect(await h.paidScore(10000, 0, false, 10000)).to.equal(10000n);
      expect(await h.paidScore(0, 10000, false, 1)).to.equal(0n);
    });

    it("paidScore: a claim verified at or above it is paid on the claim (never more)", async () => {
      expect(await h.paidScore(9500, 9500, true, 5000)).to.equal(9500n);
      expect(await h.paidScore(9500, 9600, true, 5000)).to.equal(9500n);
      expect(await h.paidScore(9500, 10000, true, 0)).to.equal(9500n); // no penalty, even at p = 0
      expect(await h.paidScore(0, 0, true, 0)).to.equal(0n);
    });

    it("paidScore: a claim verified `over` below it is paid the median less ceil(over · (1 - p) / p), floored at 0", async () => {
      expect(await h.paidScore(9500, 9440, true, 5000)).to.equal(9380n); // 60 · 1 = 60
      expect(await h.paidScore(9500, 9400, true, 5000)).to.equal(9300n); // the full tolerance, 100
      expect(await h.paidScore(9525, 9500, true, 2000)).to.equal(9400n); // 25 · 0.8 / 0.2 = 100
      expect(await h.paidScore(9510, 9500, true, 3000)).to.equal(9476n); // 10 · 7 / 3 = 23.3 -> 24
      expect(await h.paidScore(9501, 9500, true, 9999)).to.equal(9499n); // 1 · 1 / 9999 rounds up to 1
      expect(await h.paidScore(200, 100, true, 5000)).to.equal(0n); // penalty = median: 0
      expect(await h.paidScore(100, 50, true, 1)).to.equal(0n); // penalty far above the median: floored
    });

    it("paidScore: the median at sampleBps >= 10000 (no unsampled claim to win), 0 at sampleBps 0", async () => {
      expect(await h.paidScore(9500, 9440, true, 10000)).to.equal(9440n);
      expect(await h.paidScore(9500, 9440, true, 10001)).to.equal(9440n);
      expect(await h.paidScore(9500, 9440, true, 0)).to.equal(0n);
      expect(await h.paidScore(9441, 9440, true, 0)).to.equal(0n);
    });

    it("paidScore agrees with the reference, and over-claiming has non-positive expected gain: (1 - p)·over <= p·(median - paid)", async () => {
      const rnd = mulberry32(0x9a1d);
      for (let i = 0; i < 40; i++) {
        const verifiedBps = BigInt(randInt(rnd, 0, 10000));
        const claimed = i % 4 === 0 ? BigInt(randInt(rnd, 0, 10000)) : verifiedBps + BigInt(randInt(rnd, 0, Math.min(300, 10000 - Number(verifiedBps))));
        const sampleBps = BigInt([0, 1, 500, 2500, 5000, 9999, 10000][randInt(rnd, 0, 6)]);
        const verified = i % 5 !== 0;
        const got = await h.paidScore(claimed, verifiedBps, verified, sampleBps);
        expect(got, `paidScore(${claimed}, ${verifiedBps}, ${verified}, ${sampleBps})`).to.equal(refPaidScore(claimed, verifiedBps, verified, sampleBps));
        if (verified && claimed > verifiedBps && sampleBps > 0n && got > 0n) {
          const over = claimed - verifiedBps;
          expect((BPS - sampleBps) * over).to.be.at.most(sampleBps * (verifiedBps - got));
        }
      }
    });

    it("minSafeStake: 0 at sampleBps >= 10000, unbounded at sampleBps 0 or slashBps >= 10000", async () => {
      expect(await h.minSafeStake(1000, 10000, 0, 2000)).to.equal(0n);
      expect(await h.minSafeStake(1000, 10001, 3, 2000)).to.equal(0n);
      expect(await h.minSafeStake(1000, 10000, 3, 10000)).to.equal(0n); // p >= 100% wins: every claim is verified
      expect(await h.minSafeStake(1000, 0, 0, 2000)).to.equal(ethers.MaxUint256);
      expect(await h.minSafeStake(1, 0, 8, 0)).to.equal(ethers.MaxUint256);
      expect(await h.minSafeStake(1000, 5000, 3, 10000)).to.equal(ethers.MaxUint256);
      expect(await h.minSafeStake(1000, 5000, 3, 10001)).to.equal(ethers.MaxUint256);
      expect(await h.minSafeStake(1000, 1, 0, 9999)).to.not.equal(ethers.MaxUint256); // 99.99% still bounded
    });

    it("minSafeStake = ceil(pot · (1 - p) / (p · (K + 1) · (1 - s)))", async () => {
      const T = 10n ** 18n;
      // 50%, K = 3, s = 20%: 1000 · 0.5 / (0.5 · 4 · 0.8) = 312.5 (the fixture's round)
      expect(await h.minSafeStake(1000n * T, 5000, 3, 2000)).to.equal(3125n * T / 10n);
      // s = 0 is the bound without the self-attesting verifier: 1000 · 0.5 / (0.5 · 4) = 250
      expect(await h.minSafeStake(1000n * T, 5000, 3, 0)).to.equal(250n * T);
      // s = 50% doubles it
      expect(await h.minSafeStake(1000n * T, 5000, 3, 5000)).to.equal(500n * T);
      // 30%, K = 0, s = 20%: 10 · 0.7 / (0.3 · 0.8) = 29.17 -> 30
      expect(await h.minSafeStake(10, 3000, 0, 2000)).to.equal(30n);
      // 1 bps, K = 0, s = 20%: pot · 9999 / 0.8, exact here
      expect(await h.minSafeStake(1000, 1, 0, 2000)).to.equal(12_498_750n);
      // 99.99%, K = 8, s = 99.99%: 1e18 · 10000 · 1 / (9999 · 9 · 1) rounded up
      const num = 10n ** 18n * BPS;
      const den = 9999n * 9n;
      expect(await h.minSafeStake(10n ** 18n, 9999, 8, 9999)).to.equal((num + den - 1n) / den);
      // the largest pot a round holds (uint128) does not overflow
      const maxPot = 2n ** 128n - 1n;
      expect(await h.minSafeStake(maxPot, 1, 0, 9999)).to.equal(maxPot * BPS * 9999n); // / (1 · 1 · 1)
      // cheating has non-positive expected value at the bound: S·p·(K+1)·(1-s) >= pot·(1-p), and S is the least such
      for (const [pot, bps, k, slash] of [
        [777n, 1234n, 2n, 2000n],
        [10n ** 21n, 100n, 0n, 0n],
        [5n, 9999n, 7n, 9999n],
        [10n ** 18n + 7n, 4321n, 5n, 3333n],
      ]) {
        const s = await h.minSafeStake(pot, bps, k, slash);
        expect(s * bps * (k + 1n) * (BPS - slash)).to.be.at.least(pot * BPS * (BPS - bps));
        expect((s - 1n) * bps * (k + 1n) * (BPS - slash)).to.be.lessThan(pot * BPS * (BPS - bps));
      }
    });

    it("minSafeStake grows with slashBps: a verifier share of the slash is what a self-attesting cheater wins back", async () => {
      let last = 0n;
      for (const slash of [0, 1000, 2000, 5000, 8000, 9999]) {
        const s = await h.minSafeStake(1000n * 10n ** 18n, 5000, 3, slash);
        expect(s, `slashBps ${slash}`).to.be.greaterThan(last);
        last = s;
      }
    });
  });
});
