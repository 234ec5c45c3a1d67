// Tests of PoNASLens, the pool's read-only derived views (`pool.lens()`): each view against the
// pool's raw state (getRound, getRoundState, getSubmission, topK, performanceStats) and against
// what the pool itself does with the same rule (reveal's split, onChallenge's close, the
// committee's attestation phases, the sample beginVerification accepts, what withdraw pays, what
// sweep sends). Expected values are derived
// from the documented rules (NatSpec of PoNASLens and the libraries), never read back from the
// lens. The pool's own functions are tested in PoNASPool.functions.test.ts.
import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployPool,
  openRound,
  partition,
  genes,
  commitFor,
  revealFor,
  after,
  afterPrimaryReveals,
  prefixTask,
  fixSeed,
  TOKEN,
  BPS,
  type Deployed,
  type Reveal,
} from "./helpers/pool.js";
import { attestAll, byVerifiers, commitAttestations, revealAttestation, revealAttestations, toAttestReveals, trueDigest } from "./helpers/attest.js";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ceilDiv, drawn, minSafeStake as minSafeStakeRule, paidScore as paidScoreRule, share } from "./helpers/rules.js";

const { loadFixture, time } = networkHelpers;

const SCALE = 1_000_000n;
const MINER_STAKE = 1000n * TOKEN;
// Defaults of roundParams() in the shared fixture.
const BASELINE = 9000n;
const REWARD = 1000n * TOKEN;
const SAMPLE_BPS = 5000n;
const SLASH_BPS = 2000n;
const SIGMA_THRESHOLD = 500n * SCALE;
const CHALLENGED = 1n;

// One genome inside each task of partition(1) (the first gene fixes the task).
const G = [genes([0, 1, 1, 4]), genes([1, 2, 0, 3]), genes([2, 0, 1, 0])];
const salt = (s: string) => ethers.id(`salt:${s}`);

const perf = (score: bigint | number) => (BigInt(score) > BASELINE ? BigInt(score) - BASELINE : 0n);
/** RewardMath.paidScore and minSafeStake (test/helpers/rules.ts) at this file's defaults. */
const paidScore = (claimed: bigint | number, median: bigint | number | null, sampleBps = SAMPLE_BPS) => paidScoreRule(claimed, median, sampleBps);
const minSafeStake = (pot: bigint, sampleBps: bigint, topK: bigint, slashBps = SLASH_BPS) => minSafeStakeRule(pot, sampleBps, topK, slashBps);
/** Decodes one packed top-K word (Sampling.entry: score << 48 | (task + 1) << 16 | slot << 8). */
const decode = (w: bigint) => ({ task: ((w >> 16n) & 0xffffffffn) - 1n, slot: (w >> 8n) & 0xffn, score: w >> 48n });
/** Welford σ from raw stats: floor(sqrt(floor(m2 / count) · 1e6)). */
function refSigma(count: bigint, m2: bigint) {
  if (count === 0n) return 0n;
  const n = (m2 / count) * SCALE;
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

// =============================================================================================
// Fixtures
// =============================================================================================

/** A default round (3 tasks by the first gene) with every miner staked. */
async function fxOpen() {
  const d = await deployPool();
  const { roundId, params } = await openRound(d);
  for (const m of d.actors.miners) await d.pool.connect(m).stake(MINER_STAKE);
  return { ...d, roundId, params };
}

/** m0 primary of task 0 (reveals 9500), m1 of task 1 (9700), m2 backup of task 0, m3 primary of task 2 (never reveals); past the reveal window. */
async function fxVerify() {
  const f = await fxOpen();
  const [m0, m1, m2, m3] = f.actors.miners;
  await f.pool.connect(m0).claim(f.roundId, 0);
  await f.pool.connect(m1).claim(f.roundId, 1);
  await f.pool.connect(m2).joinAsBackup(f.roundId, 0);
  await f.pool.connect(m3).claim(f.roundId, 2);
  const r0 = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("r0") });
  const r1 = await commitFor(f, m1, { roundId: f.roundId, task: 1, slot: 0, genome: G[1], score: 9700, salt: salt("r1") });
  await after(f, f.roundId, "commit");
  await revealFor(f, m0, r0);
  await revealFor(f, m1, r1);
  await after(f, f.roundId, "reveal");
  return f;
}

/**
 * topK 0, a 1 bps sample: almost nothing is drawn. m0, m1, m2 reveal 9200, 9300, 9400 on tasks
 * 0, 1, 2; now past the reveal window. (minStake is the bound for the 1000-wei pot.)
 */
const TINY_REWARD = 1000n;
const RARE_SCORE = (t: number) => 9200 + 100 * t;
async function fxRareSample() {
  const d = await deployPool();
  const overrides = { topK: 0, sampleBps: 1, rewardTotal: TINY_REWARD, minStake: minSafeStake(TINY_REWARD, 1n, 0n), feeBudget: 10n * TOKEN };
  const { roundId, params } = await openRound(d, overrides);
  const ms = d.actors.miners.slice(0, 3);
  const reveals: Reveal[] = [];
  for (const [i, m] of ms.entries()) {
    await d.pool.connect(m).stake(MINER_STAKE);
    await d.pool.connect(m).claim(roundId, i);
    reveals.push(await commitFor(d, m, { roundId, task: i, slot: 0, genome: G[i], score: RARE_SCORE(i), salt: salt(`t${i}`) }));
  }
  await after(d, roundId, "commit");
  for (const [i, m] of ms.entries()) await revealFor(d, m, reveals[i]);
  await after(d, roundId, "reveal");
  return { ...d, roundId, params };
}

/** A round whose primary `miner` claims task 0 and reveals `score` (or is a no-show), then settles. */
async function historyRound(d: Deployed, miner: HardhatEthersSigner, score: number | null, tag: string) {
  const { roundId } = await openRound(d);
  await d.pool.connect(miner).claim(roundId, 0);
  if (score !== null) {
    const r = await commitFor(d, miner, { roundId, task: 0, slot: 0, genome: G[0], score, salt: salt(tag) });
    await after(d, roundId, "commit");
    await revealFor(d, miner, r);
  }
  await after(d, roundId, "verify");
  await fixSeed(d, roundId);
  await d.pool.finalize(roundId);
  await d.pool.withdraw(roundId, 0, 0);
}

/** m0's history: P = 1000 (claim 10000, unverified: its claim) then P = 0 (no-show): σ_p = 500 bps exactly. m1's: P 700 twice, σ_p = 0. */
async function fxHistories() {
  const d = await deployPool();
  const [m0, m1] = d.actors.miners;
  for (const m of d.actors.miners) await d.pool.connect(m).stake(MINER_STAKE);
  await historyRound(d, m0, 10000, "s1");
  await historyRound(d, m0, null, "s2");
  await historyRound(d, m1, 9700, "l1");
  await historyRound(d, m1, 9700, "l2");
  return d;
}

// =============================================================================================

describe("PoNASLens", () => {
  // -------------------------------------------------------------------------------------------
  describe("deployment", () => {
    it("is created by its pool and reads it: lens.pool() is the pool; it holds no tokens and has only views", async () => {
      const d = await loadFixture(deployPool);
      expect(await d.lens.pool()).to.equal(d.poolAddress);
      expect(await d.pool.lens()).to.equal(await d.lens.getAddress());
      expect(await d.token.balanceOf(await d.lens.getAddress())).to.equal(0n);
      d.lens.interface.forEachFunction((fn) => expect(fn.stateMutability, fn.name).to.be.oneOf(["view", "pure"]));
      // a second pool has its own lens
      const other = await ethers.deployContract("PoNASPool", [
        await d.token.getAddress(),
        d.actors.admin.address,
        d.actors.treasury.address,
        1n,
        await d.randomness.getAddress(),
      ]);
      const otherLens = await ethers.getContractAt("PoNASLens", await other.lens());
      expect(await otherLens.getAddress()).to.not.equal(await d.lens.getAddress());
      expect(await otherLens.pool()).to.equal(await other.getAddress());
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("getTopK", () => {
    it("decodes the pool's raw topK words: (task, slot, claimedBps), highest first, stopping at the first empty word", async () => {
      const f = await loadFixture(fxOpen);
      const [m0, m1, m2, m3] = f.actors.miners;
      // task 0: primary m0 a no-show, backup m2 (slot 1) delivers 9600; task 1: m1 9700; task 2: m3 9100
      await f.pool.connect(m0).claim(f.roundId, 0);
      await f.pool.connect(m2).joinAsBackup(f.roundId, 0);
      await f.pool.connect(m1).claim(f.roundId, 1);
      await f.pool.connect(m3).claim(f.roundId, 2);
      const rb = await commitFor(f, m2, { roundId: f.roundId, task: 0, slot: 1, genome: G[0], score: 9600, salt: salt("b") });
      const r1 = await commitFor(f, m1, { roundId: f.roundId, task: 1, slot: 0, genome: G[1], score: 9700, salt: salt("1") });
      const r2 = await commitFor(f, m3, { roundId: f.roundId, task: 2, slot: 0, genome: G[2], score: 9100, salt: salt("2") });
      await after(f, f.roundId, "commit");
      expect((await f.lens.getTopK(f.roundId)).tasks.length).to.equal(0); // nothing revealed yet
      await revealFor(f, m1, r1);
      await revealFor(f, m3, r2);
      await afterPrimaryReveals(f, f.roundId);
      await revealFor(f, m2, rb);
      const raw = [...(await f.pool.topK(f.roundId))];
      const used = raw.filter((w) => w !== 0n);
      expect(used.length).to.equal(3);
      expect(raw.slice(3)).to.deep.equal(Array(5).fill(0n));
      const top = await f.lens.getTopK(f.roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([
        used.map((w) => decode(w).task),
        used.map((w) => decode(w).slot),
        used.map((w) => decode(w).score),
      ]);
      // and that is the documented order and content
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([
        [1n, 0n, 2n],
        [0n, 1n, 0n],
        [9700n, 9600n, 9100n],
      ]);
    });

    it("is empty for a round with topK 0 and for an unknown round", async () => {
      const f = await loadFixture(fxRareSample);
      for (const r of [f.roundId, 42n, 0n]) {
        const top = await f.lens.getTopK(r);
        expect([top.tasks.length, top.slots.length, top.scores.length]).to.deep.equal([0, 0, 0]);
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("isSampled", () => {
    it("reverts PoNASPoolSeedNotFixed before the seed (requested or not) and PoNASPoolUnknownRound", async () => {
      const f = await loadFixture(fxVerify);
      await expect(f.lens.isSampled(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.lens, "PoNASPoolSeedNotFixed").withArgs(f.roundId);
      await f.pool.fixSampleSeed(f.roundId); // requested, not yet delivered
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(true);
      await expect(f.lens.isSampled(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.lens, "PoNASPoolSeedNotFixed").withArgs(f.roundId);
      await expect(f.lens.isSampled(4n, 0, 0)).to.be.revertedWithCustomError(f.lens, "PoNASPoolUnknownRound").withArgs(4n);
      await expect(f.lens.isSampled(0n, 0, 0)).to.be.revertedWithCustomError(f.lens, "PoNASPoolUnknownRound").withArgs(0n);
      await fixSeed(f, f.roundId);
      expect(await f.lens.isSampled(f.roundId, 0, 0)).to.equal(true);
    });

    it("top-K claims are always sampled; unrevealed slots never", async () => {
      const f = await loadFixture(fxVerify);
      await fixSeed(f, f.roundId);
      expect(await f.lens.isSampled(f.roundId, 0, 0)).to.equal(true);
      expect(await f.lens.isSampled(f.roundId, 1, 0)).to.equal(true);
      expect(await f.lens.isSampled(f.roundId, 2, 0)).to.equal(false); // claimed, not revealed
      expect(await f.lens.isSampled(f.roundId, 0, 1)).to.equal(false); // backup, not revealed
      expect(await f.lens.isSampled(f.roundId, 0, 5)).to.equal(false); // nobody
    });

    it("a challenged claim is sampled even when not drawn", async () => {
      const f = await loadFixture(fxRareSample);
      const seed = await fixSeed(f, f.roundId);
      const t = [0, 1, 2].find((x) => !drawn(seed, f.roundId, x, 0, 1n));
      expect(t, "some task not drawn at 1 bps").to.not.equal(undefined);
      expect(await f.lens.isSampled(f.roundId, t!, 0)).to.equal(false);
      await f.committee.connect(f.actors.verifiers[0]).challenge(f.roundId, t!, 0);
      expect((await f.pool.getSubmission(f.roundId, t!, 0)).flags & CHALLENGED).to.equal(CHALLENGED);
      expect(await f.lens.isSampled(f.roundId, t!, 0)).to.equal(true);
    });

    it("outside the top-K it is the seeded draw keccak256(seed, round, task, slot) % 10000 < sampleBps, and the pool verifies exactly those", async () => {
      const d = await loadFixture(deployPool);
      const sampleBps = 5000n;
      const { roundId } = await openRound(d, { topK: 0, minStake: minSafeStake(REWARD, sampleBps, 0n) }, partition(2));
      const n = 12;
      const reveals: Reveal[] = [];
      for (let t = 0; t < n; t++) {
        const m = d.actors.miners[t % 8];
        if (t < 8) await d.pool.connect(m).stake(3000n * TOKEN);
        await d.pool.connect(m).claim(roundId, t);
        const genome = genes([Math.floor(t / 4), t % 4, 0, 0]);
        reveals.push(await commitFor(d, m, { roundId, task: t, slot: 0, genome, score: 9100, salt: salt(`s${t}`) }));
      }
      await after(d, roundId, "commit");
      for (let t = 0; t < n; t++) await revealFor(d, d.actors.miners[t % 8], reveals[t]);
      await after(d, roundId, "reveal");
      const seed = await fixSeed(d, roundId);
      const expected = Array.from({ length: n }, (_, t) => drawn(seed, roundId, t, 0, sampleBps));
      const actual = [];
      for (let t = 0; t < n; t++) actual.push(await d.lens.isSampled(roundId, t, 0));
      expect(actual).to.deep.equal(expected);
      expect(new Set(actual).size, "both outcomes occur").to.equal(2);
      // the pool applies the same rule: an attestation is sealed exactly where the lens says sampled
      const [v0] = d.actors.verifiers;
      for (let t = 0; t < n; t++) {
        const seal = await d.committee.attestationSeal(roundId, t, 0, v0.address, 9100, trueDigest(roundId, t, 0), salt(`a${t}`));
        const tx = d.committee.connect(v0).commitAttestation(roundId, t, 0, seal);
        if (actual[t]) await expect(tx).to.emit(d.committee, "AttestationCommitted").withArgs(roundId, BigInt(t), 0n, v0.address, seal, false);
        else await expect(tx).to.be.revertedWithCustomError(d.pool, "PoNASPoolNotSampled").withArgs(roundId, BigInt(t), 0n);
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("projectedReward", () => {
    it("an unverified counting claim: share(P of its claim, pot, ΣP); 0 for anything that does not count", async () => {
      const f = await loadFixture(fxVerify);
      const sumP = perf(paidScore(9500, null)) + perf(paidScore(9700, null));
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(sumP);
      expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(share(perf(paidScore(9500, null)), REWARD, sumP));
      expect(await f.lens.projectedReward(f.roundId, 1, 0)).to.equal(share(perf(paidScore(9700, null)), REWARD, sumP));
      expect(await f.lens.projectedReward(f.roundId, 2, 0)).to.equal(0n); // claimed, not revealed
      expect(await f.lens.projectedReward(f.roundId, 0, 1)).to.equal(0n); // unrevealed backup
      expect(await f.lens.projectedReward(f.roundId, 9, 0)).to.equal(0n); // no such task
      expect(await f.lens.projectedReward(77n, 0, 0)).to.equal(0n); // no such round
    });

    it("after verification: share(P of RewardMath.paidScore(claim, median), pot, ΣP), with the over-claim penalty; a fraud 0", async () => {
      const f = await loadFixture(fxVerify);
      const vs = f.actors.verifiers;
      // both submissions are sealed in the commit phase; task 0's seals are opened first, then task 1's
      const sealed = await commitAttestations(f, f.roundId, [...byVerifiers(vs, 0, 0, [9500, 9440, 9380]), ...byVerifiers(vs, 1, 0, [9500, 9500, 9500])]);
      await toAttestReveals(f, f.roundId);
      // task 0: claim 9500, median 9440 (within tolerance): paid 9440 - ceil(60 · 0.5 / 0.5) = 9380
      await revealAttestations(f, sealed.slice(0, 3));
      const p0 = perf(paidScore(9500, 9440));
      expect(p0).to.equal(380n);
      let sumP = p0 + perf(paidScore(9700, null));
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(sumP);
      expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(share(p0, REWARD, sumP));
      expect(await f.lens.projectedReward(f.roundId, 1, 0)).to.equal(share(perf(9700), REWARD, sumP));
      // task 1: claim 9700 verified at 9500: fraud, P 0; the slash does not enter the pot
      await revealAttestations(f, sealed.slice(3));
      sumP = p0;
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(sumP);
      expect(await f.lens.projectedReward(f.roundId, 1, 0)).to.equal(0n);
      expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(REWARD); // the only counting claim: the pot, no more
      // it is what withdraw pays once the round is finalised
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const projected = await f.lens.projectedReward(f.roundId, 0, 0);
      await expect(f.pool.withdraw(f.roundId, 0, 0)).to.changeTokenBalances(ethers, f.token, [f.actors.miners[0]], [projected]);
      expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(0n); // settled
    });

    it("an unverified claim outside the sample is paid exactly its projection", async () => {
      const f = await loadFixture(fxRareSample);
      await after(f, f.roundId, "verify");
      const seed = await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const sumP = [0, 1, 2].reduce((a, t) => a + perf(paidScore(RARE_SCORE(t), null)), 0n);
      for (const t of [0, 1, 2].filter((x) => !drawn(seed, f.roundId, x, 0, 1n))) {
        const projected = await f.lens.projectedReward(f.roundId, t, 0);
        expect(projected).to.equal(share(perf(RARE_SCORE(t)), TINY_REWARD, sumP));
        await expect(f.pool.withdraw(f.roundId, t, 0)).to.changeTokenBalances(ethers, f.token, [f.actors.miners[t]], [projected]);
      }
    });

    it("a voided duplicate projects 0 and its place goes to the earlier commit", async () => {
      const d = await loadFixture(deployPool);
      const [m0, m1] = d.actors.miners;
      const tasks = [prefixTask([0]), prefixTask([0]), prefixTask([1])]; // tasks 0 and 1 overlap
      const { roundId } = await openRound(d, {}, { masks: tasks.map((t) => t.mask), values: tasks.map((t) => t.value) });
      for (const m of [m0, m1]) await d.pool.connect(m).stake(MINER_STAKE);
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m1).claim(roundId, 1);
      const early = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("e") });
      const late = await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: G[0], score: 9600, salt: salt("l") });
      await after(d, roundId, "commit");
      await revealFor(d, m1, late);
      expect(await d.lens.projectedReward(roundId, 1, 0)).to.equal(REWARD);
      await revealFor(d, m0, early);
      expect(await d.lens.projectedReward(roundId, 1, 0)).to.equal(0n);
      expect(await d.lens.projectedReward(roundId, 0, 0)).to.equal(REWARD);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("sigma", () => {
    it("is σ_p of the miner's performanceStats: floor(sqrt(floor(m2 / count) · 1e6)); 0 without history", async () => {
      const d = await loadFixture(fxHistories);
      const [m0, m1, m2] = d.actors.miners;
      const s0 = await d.pool.performanceStats(m0.address);
      // samples 1000 and 0: mean 500, M2 = 2·500² bps² (scaled 1e6)
      expect([s0.count, s0.mean, s0.m2]).to.deep.equal([2n, 500n * SCALE, 2n * 500n * 500n * SCALE]);
      expect(await d.lens.sigma(m0.address)).to.equal(500n * SCALE);
      expect(await d.lens.sigma(m0.address)).to.equal(refSigma(s0.count, s0.m2));
      const s1 = await d.pool.performanceStats(m1.address);
      expect([s1.count, s1.mean, s1.m2]).to.deep.equal([2n, 700n * SCALE, 0n]);
      expect(await d.lens.sigma(m1.address)).to.equal(0n);
      expect(await d.lens.sigma(m2.address)).to.equal(0n); // no history
      expect(await d.lens.sigma(ethers.ZeroAddress)).to.equal(0n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("backupsAllowed", () => {
    it("is false without a primary (and for an unknown round), true for a primary without history", async () => {
      const d = await loadFixture(fxHistories);
      const [, , m2] = d.actors.miners;
      const { roundId } = await openRound(d);
      await d.pool.connect(m2).claim(roundId, 0);
      expect(await d.lens.backupsAllowed(roundId, 0)).to.equal(true);
      expect(await d.lens.backupsAllowed(roundId, 1)).to.equal(false);
      expect(await d.lens.backupsAllowed(99n, 0)).to.equal(false);
    });

    it("for a primary with history: σ_p >= the round's sigmaThreshold (equal allowed, one unit above not), and joinAsBackup agrees", async () => {
      const d = await loadFixture(fxHistories);
      const [m0, m1, , m3, m4] = d.actors.miners; // m0: σ 500 bps; m1: σ 0
      const cases: [HardhatEthersSigner, bigint, boolean][] = [
        [m0, SIGMA_THRESHOLD, true],
        [m0, SIGMA_THRESHOLD + 1n, false],
        [m1, SIGMA_THRESHOLD, false],
        [m1, 0n, true],
      ];
      for (const [primary, sigmaThreshold, allowed] of cases) {
        const { roundId } = await openRound(d, { sigmaThreshold });
        await d.pool.connect(primary).claim(roundId, 0);
        expect(await d.lens.backupsAllowed(roundId, 0), `σ ${await d.lens.sigma(primary.address)} vs ${sigmaThreshold}`).to.equal(allowed);
        const join = d.pool.connect(primary === m0 ? m3 : m4).joinAsBackup(roundId, 0);
        if (allowed) await expect(join).to.emit(d.pool, "Claimed");
        else {
          await expect(join)
            .to.be.revertedWithCustomError(d.pool, "PoNASPoolBackupsNotAllowed")
            .withArgs(roundId, 0n, await d.lens.sigma(primary.address), sigmaThreshold);
        }
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("sweepable", () => {
    it("is 0 before finalisation, even with forfeited stake in the round", async () => {
      const f = await loadFixture(fxVerify);
      expect(await f.lens.sweepable(f.roundId)).to.equal(0n);
      await attestAll(f, f.roundId, byVerifiers(f.actors.verifiers, 1, 0, [9000, 9000, 9000])); // fraud: slashed
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.be.greaterThan(0n);
      expect(await f.lens.sweepable(f.roundId)).to.equal(0n);
      await expect(f.pool.sweep(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolNothingToSweep").withArgs(f.roundId);
      expect(await f.lens.sweepable(99n)).to.equal(0n); // unknown round
    });

    it("after finalisation is pot + forfeited - paid - swept - ceil(remainingP · pot / ΣP), and exactly what sweep sends", async () => {
      const f = await loadFixture(fxVerify);
      const vs = f.actors.verifiers;
      // task 0: verified at its claim; task 1: fraud (both sealed before either is opened)
      await attestAll(f, f.roundId, [...byVerifiers(vs, 0, 0, [9500, 9500, 9500]), ...byVerifiers(vs, 1, 0, [9000, 9000, 9000])]);
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const expectedSurplus = async () => {
        const s = await f.pool.getRoundState(f.roundId);
        const held = REWARD + s.forfeited - s.paid - s.swept;
        const owed = s.sumP === 0n ? 0n : ceilDiv(s.remainingP * REWARD, s.sumP);
        return held > owed ? held - owed : 0n;
      };
      const forfeited = (await f.pool.getRoundState(f.roundId)).forfeited;
      expect(await f.lens.sweepable(f.roundId)).to.equal(await expectedSurplus());
      expect(await f.lens.sweepable(f.roundId)).to.equal(forfeited); // every reward owed: only the slash's rest
      const amount = await f.lens.sweepable(f.roundId);
      const tx = f.pool.sweep(f.roundId);
      await expect(tx).to.emit(f.pool, "Swept").withArgs(f.roundId, f.actors.treasury.address, amount);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.actors.treasury, f.pool], [amount, -amount]);
      expect(await f.lens.sweepable(f.roundId)).to.equal(0n);
      // after every settlement: the only counting claim took the whole pot, so nothing is left
      for (const [task, slot] of [[0, 0], [0, 1], [1, 0], [2, 0]]) await f.pool.withdraw(f.roundId, task, slot);
      expect(await expectedSurplus()).to.equal(0n);
      expect(await f.lens.sweepable(f.roundId)).to.equal(0n);
      await expect(f.pool.sweep(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolNothingToSweep").withArgs(f.roundId);
    });

    it("is the whole pot when ΣP is 0", async () => {
      const d = await loadFixture(deployPool);
      const { roundId } = await openRound(d);
      await after(d, roundId, "verify");
      await fixSeed(d, roundId);
      await d.pool.finalize(roundId);
      expect(await d.lens.sweepable(roundId)).to.equal(REWARD);
      await expect(d.pool.sweep(roundId)).to.emit(d.pool, "Swept").withArgs(roundId, d.actors.treasury.address, REWARD);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("backupRevealStart, challengeEnd and attestPhases", () => {
    it("backupRevealStart is (commitEnd + revealEnd) / 2, rounded down, and is where reveal splits the window", async () => {
      const f = await loadFixture(fxOpen);
      expect(await f.lens.backupRevealStart(f.roundId)).to.equal(f.params.commitEnd + 1800n); // default: 3600 s reveal window
      // an odd reveal window of 7 s: the primaries get the shorter part, (commitEnd, commitEnd + 3]
      const { roundId, params: p } = await openRound(f, {}, partition(1), { commit: 600, reveal: 7, verify: 600 });
      const split = await f.lens.backupRevealStart(roundId);
      expect(split).to.equal(p.commitEnd + 3n);
      expect(split).to.equal((p.commitEnd + p.revealEnd) / 2n);
      const [m0, m1] = f.actors.miners;
      await f.pool.connect(m0).claim(roundId, 0);
      await f.pool.connect(m1).joinAsBackup(roundId, 0);
      const r0 = await commitFor(f, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("v0") });
      const r1 = await commitFor(f, m1, { roundId, task: 0, slot: 1, genome: genes([0, 2, 0, 0]), score: 9600, salt: salt("v1") });
      await time.setNextBlockTimestamp(split + 1n);
      await expect(revealFor(f, m0, r0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInRevealWindow")
        .withArgs(roundId, p.commitEnd, split);
      await time.setNextBlockTimestamp(split + 1n);
      await expect(revealFor(f, m1, r1)).to.emit(f.pool, "ActiveChanged");
    });

    it("challengeEnd is revealEnd + (verifyEnd − revealEnd) / 4, rounded down, and is where onChallenge closes", async () => {
      const f = await loadFixture(fxOpen);
      expect(await f.lens.challengeEnd(f.roundId)).to.equal(f.params.revealEnd + 900n); // default: 3600 s verify window
      // a verify window of 19 s: challenges until revealEnd + 4 (19/4 = 4.75)
      const { roundId, params: p } = await openRound(f, {}, partition(1), { commit: 600, reveal: 600, verify: 19 });
      const end = await f.lens.challengeEnd(roundId);
      expect(end).to.equal(p.revealEnd + 4n);
      expect(end).to.equal(p.revealEnd + (p.verifyEnd - p.revealEnd) / 4n);
      const [m0, m1] = f.actors.miners;
      await f.pool.connect(m0).claim(roundId, 0);
      await f.pool.connect(m1).claim(roundId, 1);
      const r0 = await commitFor(f, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("c0") });
      const r1 = await commitFor(f, m1, { roundId, task: 1, slot: 0, genome: G[1], score: 9500, salt: salt("c1") });
      await after(f, roundId, "commit");
      await revealFor(f, m0, r0);
      await revealFor(f, m1, r1);
      const [v0] = f.actors.verifiers;
      await time.setNextBlockTimestamp(end);
      await expect(f.committee.connect(v0).challenge(roundId, 0, 0)).to.emit(f.pool, "Challenged");
      await expect(f.committee.connect(v0).challenge(roundId, 1, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolChallengeWindowClosed")
        .withArgs(roundId, end);
    });

    it("attestPhases is revealEnd + (1/2, 5/8, 7/8, 15/16) of the verify window, rounded down, and is where the committee's drawn and escalation phases close", async () => {
      const f = await loadFixture(fxOpen);
      // default: 3600 s verify window
      const re = f.params.revealEnd;
      expect(await f.lens.attestPhases(f.roundId)).to.deep.equal([re + 1800n, re + 2250n, re + 3150n, re + 3375n]);
      // a verify window of 1001 s: drawn commits until revealEnd + 500 (500.5), their reveals until + 625 (625.6)
      const { roundId, params: p } = await openRound(f, {}, partition(1), { commit: 600, reveal: 600, verify: 1001 });
      const [commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd] = await f.lens.attestPhases(roundId);
      expect([commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd]).to.deep.equal([p.revealEnd + 500n, p.revealEnd + 625n, p.revealEnd + 875n, p.revealEnd + 938n]);
      const L = p.verifyEnd - p.revealEnd;
      expect(commitEnd).to.equal(p.revealEnd + L / 2n);
      expect(revealEnd).to.equal(p.revealEnd + (L * 5n) / 8n);
      const [m0, m1] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      await f.pool.connect(m0).claim(roundId, 0);
      await f.pool.connect(m1).claim(roundId, 1);
      const r0 = await commitFor(f, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("p0") });
      const r1 = await commitFor(f, m1, { roundId, task: 1, slot: 0, genome: G[1], score: 9500, salt: salt("p1") });
      await after(f, roundId, "commit");
      await revealFor(f, m0, r0);
      await revealFor(f, m1, r1);
      await after(f, roundId, "reveal");
      // both top-K claims are sampled; the last commit lands at commitEnd, one second later the committee refuses
      const sealed = await commitAttestations(f, roundId, [{ verifier: v0, task: 0, slot: 0, score: 9500 }, { verifier: v1, task: 0, slot: 0, score: 9500 }]);
      await time.setNextBlockTimestamp(commitEnd);
      sealed.push(...(await commitAttestations(f, roundId, [{ verifier: v2, task: 0, slot: 0, score: 9500 }])));
      const late = await f.committee.attestationSeal(roundId, 1, 0, v0.address, 9500, trueDigest(roundId, 1, 0), salt("late"));
      await time.setNextBlockTimestamp(commitEnd + 1n);
      await expect(f.committee.connect(v0).commitAttestation(roundId, 1, 0, late))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
        .withArgs(roundId, revealEnd, escalationCommitEnd);
      // reveals from commitEnd + 1 to revealEnd
      await time.setNextBlockTimestamp(commitEnd + 1n);
      await expect(revealAttestation(f, sealed[0])).to.emit(f.committee, "Attested");
      await time.setNextBlockTimestamp(revealEnd);
      await expect(revealAttestation(f, sealed[1])).to.emit(f.committee, "Attested");
      await time.setNextBlockTimestamp(revealEnd + 1n);
      await expect(revealAttestation(f, sealed[2]))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
        .withArgs(roundId, commitEnd, revealEnd);
      // what is left is decided from revealEnd + 1 (a three-member committee has nobody to
      // escalate to): two reveals of a quorum of 3, no verdict
      await time.setNextBlockTimestamp(revealEnd + 1n);
      await expect(f.committee.decide(roundId, 0, 0)).to.emit(f.committee, "Undecided").withArgs(roundId, 0n, 0n, 2n, 3n);
      expect(escalationRevealEnd).to.equal(p.revealEnd + (L * 15n) / 16n);
    });

    it("all three revert PoNASPoolUnknownRound for a round never opened (0 included)", async () => {
      const { lens } = await loadFixture(deployPool);
      for (const r of [0n, 1n, 9n]) {
        await expect(lens.backupRevealStart(r)).to.be.revertedWithCustomError(lens, "PoNASPoolUnknownRound").withArgs(r);
        await expect(lens.challengeEnd(r)).to.be.revertedWithCustomError(lens, "PoNASPoolUnknownRound").withArgs(r);
        await expect(lens.attestPhases(r)).to.be.revertedWithCustomError(lens, "PoNASPoolUnknownRound").withArgs(r);
      }
    });

    it("all three follow the windows unpause moved", async () => {
      const f = await loadFixture(fxOpen);
      await f.pool.connect(f.actors.admin).pause();
      await time.increase(1000);
      await f.pool.connect(f.actors.admin).unpause();
      const p = await f.pool.getRound(f.roundId);
      expect(p.commitEnd).to.be.greaterThan(f.params.commitEnd); // moved
      expect(await f.lens.backupRevealStart(f.roundId)).to.equal((p.commitEnd + p.revealEnd) / 2n);
      const L = p.verifyEnd - p.revealEnd;
      expect(await f.lens.challengeEnd(f.roundId)).to.equal(p.revealEnd + L / 4n);
      expect(await f.lens.attestPhases(f.roundId)).to.deep.equal([p.revealEnd + L / 2n, p.revealEnd + (L * 5n) / 8n, p.revealEnd + (L * 7n) / 8n, p.revealEnd + (L * 15n) / 16n]);
    });
  });
});
