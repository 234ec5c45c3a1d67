// The pool's sampling seed and its randomness source (issue 10, property 1: "nobody who chooses
// when to send a transaction can choose or predict the sample"). The seed is no longer hashed
// from prevrandao and the parent hash of the block that fixes it (both known a block ahead):
// the first fixSampleSeed / commitAttestation / finalize after revealEnd requests the round's value from
// the pool's IRandomnessSource (here FutureBlockRandomness, delay RANDOMNESS_DELAY = 1: the
// hash of the block after the request block), and a later call, once that block is mined,
// fixes seed = keccak256(abi.encode(value, roundId)). Expected values are derived here from the
// documented formulas and the chain's block hashes, never read back from the pool.
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  BPS,
  MIN_VERIFIER_STAKE,
  RANDOMNESS_DELAY,
  after,
  commitFor,
  deployPool,
  deployPoolWithSupply,
  ethers,
  fixSeed,
  genomeIn,
  networkHelpers,
  openRound,
  partition,
  revealFor,
  roundParams,
  type Deployed,
} from "./helpers/pool.js";
import type { PoNASPool } from "../types/ethers-contracts/index.js";
import { attestAll, commitSealed, sealAttestation } from "./helpers/attest.js";
import { drawn, seedOf } from "./helpers/rules.js";

const { loadFixture, takeSnapshot, mine } = networkHelpers;
const coder = ethers.AbiCoder.defaultAbiCoder();

// ---------------------------------------------------------------------------------------------
// The documented formulas
// ---------------------------------------------------------------------------------------------

/** FutureBlockRandomness: keccak256(abi.encode(blockhash(target), consumer, key)). */
const sourceValue = (blockHash: string, consumer: string, key: bigint) =>
  ethers.keccak256(coder.encode(["bytes32", "address", "uint256"], [blockHash, consumer, key]));
/** The seed the pool would fix if `blockHash` were the target's hash. */
const seedFromHash = (blockHash: string, pool: string, roundId: bigint) => seedOf(sourceValue(blockHash, pool, roundId), roundId);
/** The old seed: keccak256(abi.encode(prevrandao, blockhash(n − 1), roundId)) of the block n that fixed it. */
const oldSeed = (prevrandao: string, parentHash: string, roundId: bigint) =>
  ethers.keccak256(coder.encode(["uint256", "bytes32", "uint256"], [prevrandao, parentHash, roundId]));

/** A block as the node reports it (prevrandao is the post-merge mixHash field). */
async function rawBlock(n: bigint | number) {
  const b = await ethers.provider.send("eth_getBlockByNumber", [ethers.toQuantity(n), false]);
  return { hash: b.hash as string, parentHash: b.parentHash as string, prevrandao: (b.prevRandao ?? b.mixHash) as string, timestamp: BigInt(b.timestamp) };
}

async function blockOf(tx: Promise<{ wait: () => Promise<unknown> }>) {
  const rc = (await (await tx).wait()) as { blockNumber: number };
  return BigInt(rc.blockNumber);
}

/** `d` with its pool called by `who` (fixSeed sends from d.pool's signer). */
const as = (d: Deployed, who: HardhatEthersSigner): Deployed => ({ ...d, pool: d.pool.connect(who) as PoNASPool });

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

// 12 tasks (partition(2)); sampleBps 5000, topK 3, quorum 3, slashBps 2000, minStake 320 (the
// fixture's defaults, minSafeStake-safe). Four honest miners claim the truth of good genomes on tasks 8–11:
// the first three fill the top-K, the fourth (9450) is drawn or not. The attacker holds tasks
// 0–5, whose genomes are worth 7000–8900 bps (below the 9000 baseline: P = 0); attacking, it
// claims 9150–9400 for each (P 150–400, all outside the top-K).
const HONEST = [
  { task: 8, score: 9800 },
  { task: 9, score: 9700 },
  { task: 10, score: 9600 },
  { task: 11, score: 9450 },
];
const FALSE_TASKS = [0, 1, 2, 3, 4, 5];
const FALSE_TRUTH = [7000, 7400, 7900, 8300, 8600, 8900];
const FALSE_CLAIM = [9150, 9200, 9250, 9300, 9350, 9400];
const prefixOf = (t: number) => [t >> 2, t & 3];

async function scenario(attack: boolean, deploy: () => Promise<Deployed> = deployPool) {
  const d = await deploy();
  const { roundId, params } = await openRound(d, { maxTasksPerMiner: FALSE_TASKS.length }, partition(2));
  const miners = d.actors.miners;
  const attacker = miners[4];
  const start = await d.token.balanceOf(attacker.address);
  const reveals = [];
  const subs: { miner: HardhatEthersSigner; task: number; truth: number }[] = [];
  for (const [i, h] of HONEST.entries()) {
    await d.pool.connect(miners[i]).stake(params.minStake);
    await d.pool.connect(miners[i]).claim(roundId, h.task);
    reveals.push({ miner: miners[i], r: await commitFor(d, miners[i], { roundId, task: h.task, slot: 0, genome: genomeIn(prefixOf(h.task), 0), score: h.score }) });
    subs.push({ miner: miners[i], task: h.task, truth: h.score });
  }
  await d.pool.connect(attacker).stake(params.minStake * BigInt(FALSE_TASKS.length));
  for (const [i, t] of FALSE_TASKS.entries()) {
    await d.pool.connect(attacker).claim(roundId, t);
    const score = attack ? FALSE_CLAIM[i] : FALSE_TRUTH[i];
    reveals.push({ miner: attacker, r: await commitFor(d, attacker, { roundId, task: t, slot: 0, genome: genomeIn(prefixOf(t), 0), score }) });
    subs.push({ miner: attacker, task: t, truth: FALSE_TRUTH[i] });
  }
  await after(d, roundId, "commit");
  for (const { miner, r } of reveals) await revealFor(d, miner, r);
  // still inside the reveal window
  return { ...d, roundId, params, attacker, start, subs };
}
const fxAttack = () => scenario(true);
const fxHonest = () => scenario(false);
type Scenario = Awaited<ReturnType<typeof scenario>>;

/**
 * The three verifiers (the quorum) attest every sampled submission at its truth (sealed with its
 * true weights digest, then revealed: each is judged at its last reveal); then finalize and
 * withdraw everything. Starts in the commit phase of the verify window.
 */
async function completeRound(f: Scenario) {
  const sampled: number[] = [];
  const list = [];
  for (const s of f.subs) {
    if (!(await f.lens.isSampled(f.roundId, s.task, 0))) continue;
    sampled.push(s.task);
    for (const v of f.actors.verifiers) list.push({ verifier: v, task: s.task, slot: 0, score: s.truth });
  }
  await attestAll(f, f.roundId, list);
  await after(f, f.roundId, "verify");
  await f.pool.finalize(f.roundId);
  for (const s of f.subs) await f.pool.withdraw(f.roundId, s.task, 0);
  return sampled;
}

/** The attacker's net tokens: wallet + pool account, against what it started with. */
async function attackerNet(f: Scenario) {
  const acct = await f.pool.minerAccount(f.attacker.address);
  expect(acct.locked).to.equal(0n);
  return (await f.token.balanceOf(f.attacker.address)) + acct.balance - f.start;
}

/**
 * The attacker's net when its false claims in `drawnSet` are drawn, from the documented rules:
 * a drawn false claim is verified at its truth, found fraud (its claim is far above the median),
 * paid nothing and slashed its minStake; an undrawn one is unverified, counts at its claimed P and
 * is paid floor(P·pot/ΣP). The pot is rewardTotal: a slash never joins it (slashBps of it to the
 * three honest verifiers, the rest forfeited to the treasury), so the attacker's undrawn claims
 * win none of it back. Honest claims are verified at their claim (paid on it): their P never changes.
 */
function modelNet(drawnSet: Set<number>, minStake: bigint, rewardTotal: bigint) {
  const perf = (s: number) => BigInt(Math.max(0, s - 9000));
  const pot = rewardTotal;
  const kept = FALSE_TASKS.filter((t) => !drawnSet.has(t)).map((t) => perf(FALSE_CLAIM[t]));
  const sumP = HONEST.reduce((a, h) => a + perf(h.score), 0n) + kept.reduce((a, p) => a + p, 0n);
  return kept.reduce((a, p) => a + (p * pot) / sumP, 0n) - BigInt(drawnSet.size) * minStake;
}

/** What the round forfeits to the treasury by the same rules: per drawn false claim, minStake less the three verifiers' slashBps share. */
function modelForfeited(drawnSet: Set<number>, minStake: bigint, slashBps: bigint) {
  const toVerifiers = ((minStake * slashBps) / BPS / 3n) * 3n;
  return BigInt(drawnSet.size) * (minStake - toVerifiers);
}

// =============================================================================================

describe("PoNASPool: the sampling seed comes from its randomness source", function () {
  this.timeout(60_000);

  it("stores its source, fixed for its life, and refuses address 0 (PoNASPoolZeroAddress)", async () => {
    const d = await loadFixture(deployPool);
    expect(await d.pool.randomness()).to.equal(await d.randomness.getAddress());
    expect(await d.randomness.kind()).to.equal("future-blockhash");
    expect(await d.randomness.delay()).to.equal(RANDOMNESS_DELAY);
    // nothing can swap it: `randomness()` is the only function about it
    const fns: string[] = [];
    d.pool.interface.forEachFunction((fn) => fns.push(fn.name));
    expect(fns.filter((n) => /random/i.test(n))).to.deep.equal(["randomness"]);
    const factory = await ethers.getContractFactory("PoNASPool");
    const { admin, treasury } = d.actors;
    await expect(factory.deploy(await d.token.getAddress(), admin.address, treasury.address, MIN_VERIFIER_STAKE, ethers.ZeroAddress))
      .to.be.revertedWithCustomError(factory, "PoNASPoolZeroAddress");
  });

  it("fixSampleSeed reverts PoNASPoolNotInVerifyWindow until revealEnd has passed, and requests nothing", async () => {
    const f = await loadFixture(fxHonest);
    const p = await f.pool.getRound(f.roundId);
    await expect(f.pool.fixSampleSeed(f.roundId))
      .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow")
      .withArgs(f.roundId, p.revealEnd, p.verifyEnd);
    await networkHelpers.time.setNextBlockTimestamp(p.revealEnd);
    await expect(f.pool.fixSampleSeed(f.roundId))
      .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow")
      .withArgs(f.roundId, p.revealEnd, p.verifyEnd);
    expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false);
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
  });

  it("the first call after revealEnd requests (target = its block + delay) and keeps seed 0; in the target block it stays 0; the next block fixes keccak256(value, roundId) from the target's hash, once", async () => {
    const f = await loadFixture(fxHonest);
    const { outsider, verifiers } = f.actors;
    await after(f, f.roundId, "reveal");
    expect(await f.pool.fixSampleSeed.staticCall(f.roundId)).to.equal(ethers.ZeroHash);
    const req = f.pool.connect(outsider).fixSampleSeed(f.roundId);
    const n = await blockOf(req);
    const target = n + RANDOMNESS_DELAY;
    await expect(req).to.emit(f.randomness, "RandomnessRequested").withArgs(f.poolAddress, f.roundId, target);
    await expect(req).not.to.emit(f.pool, "SampleSeedFixed");
    expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(true);
    expect(await f.randomness.targetOf(f.poolAddress, f.roundId)).to.equal(target);
    expect(await f.randomness.randomnessOf(f.poolAddress, f.roundId)).to.equal(ethers.ZeroHash);
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
    await expect(f.lens.isSampled(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolSeedNotFixed");

    // a call mined in the target block itself: its hash is not known yet
    const inTarget = f.pool.connect(verifiers[0]).fixSampleSeed(f.roundId);
    expect(await blockOf(inTarget)).to.equal(target);
    await expect(inTarget).not.to.emit(f.pool, "SampleSeedFixed");
    await expect(inTarget).not.to.emit(f.randomness, "RandomnessFulfilled");
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);

    // the next block's call fixes it
    const fix = f.pool.connect(verifiers[1]).fixSampleSeed(f.roundId);
    expect(await blockOf(fix)).to.equal(target + 1n);
    const targetHash = (await ethers.provider.getBlock(target))!.hash!;
    const value = await f.randomness.randomnessOf(f.poolAddress, f.roundId);
    expect(value).to.equal(sourceValue(targetHash, f.poolAddress, f.roundId));
    const seed = seedOf(value, f.roundId);
    await expect(fix).to.emit(f.pool, "SampleSeedFixed").withArgs(f.roundId, seed);
    await expect(fix).to.emit(f.randomness, "RandomnessFulfilled").withArgs(f.poolAddress, f.roundId, value);
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(seed);

    // later calls (and attestations' commits, and finalize) change nothing and emit nothing
    expect(await f.pool.fixSampleSeed.staticCall(f.roundId)).to.equal(seed);
    await expect(f.pool.fixSampleSeed(f.roundId)).not.to.emit(f.pool, "SampleSeedFixed");
    await mine(10);
    await expect(commitSealed(f, await sealAttestation(f, f.roundId, { verifier: verifiers[0], task: 8, slot: 0, score: 9800 }))).not.to.emit(
      f.pool,
      "SampleSeedFixed",
    );
    await after(f, f.roundId, "verify");
    const fin = f.pool.finalize(f.roundId);
    await expect(fin).to.emit(f.pool, "RoundFinalized");
    await expect(fin).not.to.emit(f.pool, "SampleSeedFixed");
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(seed);
    const fixed = await f.pool.queryFilter(f.pool.filters.SampleSeedFixed(f.roundId), 0, "latest");
    expect(fixed.map((e) => e.args.seed)).to.deep.equal([seed]);
  });

  it("once the target block is mined, the seed does not depend on who fulfils or when", async () => {
    const f = await loadFixture(fxHonest);
    const { outsider, verifiers } = f.actors;
    await after(f, f.roundId, "reveal");
    const target = (await blockOf(f.pool.connect(outsider).fixSampleSeed(f.roundId))) + RANDOMNESS_DELAY;
    await mine(Number(RANDOMNESS_DELAY)); // the target block exists now
    const expected = seedFromHash((await ethers.provider.getBlock(target))!.hash!, f.poolAddress, f.roundId);
    const snap = await takeSnapshot();

    // a verifier node, at once
    await f.pool.connect(verifiers[0]).fixSampleSeed(f.roundId);
    const seedA = (await f.pool.getRoundState(f.roundId)).seed;
    await snap.restore();
    // an outsider, 50 blocks later
    await mine(50);
    await f.pool.connect(outsider).fixSampleSeed(f.roundId);
    const seedB = (await f.pool.getRoundState(f.roundId)).seed;
    await snap.restore();
    // a committee attestation's commit of a top-K claim, on its way
    await mine(7);
    await expect(commitSealed(f, await sealAttestation(f, f.roundId, { verifier: verifiers[2], task: 8, slot: 0, score: 9800 }))).to.emit(
      f.pool,
      "SampleSeedFixed",
    );
    const seedC = (await f.pool.getRoundState(f.roundId)).seed;
    await snap.restore();
    // anyone, straight at the source; the pool then reads the stored value
    await mine(3);
    await f.randomness.connect(f.actors.miners[7]).fulfill(f.poolAddress, f.roundId);
    await mine(3);
    await f.pool.fixSampleSeed(f.roundId);
    const seedD = (await f.pool.getRoundState(f.roundId)).seed;

    expect([seedA, seedB, seedC, seedD]).to.deep.equal([expected, expected, expected, expected]);
  });

  it("while the seed is pending only top-K and challenged submissions are sampled, yet none can be attested (nobody is drawn); random draws follow the seed once fixed", async () => {
    const f = await loadFixture(fxHonest);
    const [v0, v1, v2] = f.actors.verifiers;
    await after(f, f.roundId, "reveal");
    const top = (await f.lens.getTopK(f.roundId)).tasks.map(Number);
    expect(top).to.deep.equal([8, 9, 10]);
    await f.committee.connect(v2).challenge(f.roundId, 0, 0); // challenging requests nothing
    expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false);
    // an attestation's commit, sealed by verifier v at `score` (the submission's true digest)
    const commit = async (v: HardhatEthersSigner, task: number, score: number) =>
      commitSealed(f, await sealAttestation(f, f.roundId, { verifier: v, task, slot: 0, score }));
    // before any request: a random-draw submission is not sampled, and the attempt requests nothing (rolled back)
    await expect(commit(v0, 11, 9450))
      .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotSampled")
      .withArgs(f.roundId, 11n, 0n);
    expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false);
    // a top-K claim and the challenged one are sampled, but with the seed pending nobody is drawn
    // to attest them: refused, and the request their beginVerification made is rolled back too
    for (const t of [8, 0]) {
      await expect(commit(v0, t, 9800)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSeedPending").withArgs(f.roundId);
    }
    expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false);
    // fixSampleSeed requests the value; as of the target block a random draw is still not sampled
    const req = f.pool.fixSampleSeed(f.roundId);
    const target = (await blockOf(req)) + RANDOMNESS_DELAY;
    await expect(req).to.emit(f.randomness, "RandomnessRequested").withArgs(f.poolAddress, f.roundId, target);
    await expect(commit(v1, 11, 9450))
      .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotSampled")
      .withArgs(f.roundId, 11n, 0n);
    const seed = await fixSeed(f, f.roundId);
    await expect(commit(v1, 0, FALSE_TRUTH[0])).to.emit(f.committee, "AttestationCommitted");
    await expect(commit(v0, 8, 9800)).to.emit(f.committee, "AttestationCommitted");
    // every other submission outside the top-K is attestable exactly when the seed draws it
    for (const t of [1, 2, 3, 4, 5, 11]) {
      const truth = t === 11 ? 9450 : FALSE_TRUTH[t];
      const attest = commit(v1, t, truth);
      if (drawn(seed, f.roundId, t, 0, BigInt(f.params.sampleBps))) {
        await expect(attest, `task ${t}`).to.emit(f.committee, "AttestationCommitted");
      } else {
        await expect(attest, `task ${t}`).to.be.revertedWithCustomError(f.pool, "PoNASPoolNotSampled").withArgs(f.roundId, BigInt(t), 0n);
      }
    }
  });

  it("finalize reverts PoNASPoolSeedNotFixed while no seed is fixed (its own request rolls back with it), and succeeds after fixSeed", async () => {
    const f = await loadFixture(fxHonest);
    await after(f, f.roundId, "verify");
    await expect(f.pool.finalize(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolSeedNotFixed").withArgs(f.roundId);
    expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false);
    await f.pool.fixSampleSeed(f.roundId); // the request (after verifyEnd is still fine)
    // as of the target block: still pending
    await expect(f.pool.finalize(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolSeedNotFixed").withArgs(f.roundId);
    expect((await f.pool.getRoundState(f.roundId)).finalized).to.equal(false);
    const seed = await fixSeed(f, f.roundId);
    expect(seed).to.not.equal(ethers.ZeroHash);
    const fin = f.pool.finalize(f.roundId);
    await expect(fin).to.emit(f.pool, "RoundFinalized");
    await expect(fin).not.to.emit(f.pool, "SampleSeedFixed");
    expect((await f.pool.getRoundState(f.roundId)).finalized).to.equal(true);
  });

  it("a target nobody fulfilled for over 256 blocks is not read as an old or zero hash: the source re-targets to a future block, which then decides", async () => {
    const f = await loadFixture(fxHonest);
    await after(f, f.roundId, "reveal");
    const oldTarget = (await blockOf(f.pool.fixSampleSeed(f.roundId))) + RANDOMNESS_DELAY;
    await mine(300); // nobody calls: blockhash(oldTarget) is 0 from 257 blocks on
    const late = f.pool.connect(f.actors.outsider).fixSampleSeed(f.roundId);
    const n = await blockOf(late);
    expect(n - oldTarget).to.be.greaterThan(256n);
    const next = n + RANDOMNESS_DELAY;
    await expect(late).to.emit(f.randomness, "RandomnessRetargeted").withArgs(f.poolAddress, f.roundId, next);
    await expect(late).not.to.emit(f.pool, "SampleSeedFixed");
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
    expect(await f.randomness.targetOf(f.poolAddress, f.roundId)).to.equal(next);
    expect(await f.randomness.randomnessOf(f.poolAddress, f.roundId)).to.equal(ethers.ZeroHash);
    const seed = await fixSeed(f, f.roundId);
    expect(seed).to.equal(seedFromHash((await ethers.provider.getBlock(next))!.hash!, f.poolAddress, f.roundId));
    expect(seed).to.not.equal(seedFromHash(ethers.ZeroHash, f.poolAddress, f.roundId));
    expect(seed).to.not.equal(seedFromHash((await ethers.provider.getBlock(oldTarget))!.hash!, f.poolAddress, f.roundId));
    await expect(f.pool.fixSampleSeed(f.roundId)).not.to.emit(f.randomness, "RandomnessRetargeted");
  });

  it("one source serves two pools without interference: values are keyed by consumer, even from the same target block", async () => {
    const d = await loadFixture(deployPool);
    const { admin, treasury, outsider, verifiers } = d.actors;
    const pool2 = (await ethers.deployContract("PoNASPool", [
      await d.token.getAddress(),
      admin.address,
      treasury.address,
      MIN_VERIFIER_STAKE,
      await d.randomness.getAddress(),
    ])) as unknown as PoNASPool;
    const pool2Address = await pool2.getAddress();
    await d.token.connect(admin).approve(pool2Address, ethers.MaxUint256);
    const { masks, values } = partition(1);
    const p = await roundParams();
    await d.pool.connect(admin).openRound(p, masks, values);
    await pool2.connect(admin).openRound(p, masks, values);
    const roundId = 1n;
    expect([await d.pool.roundCount(), await pool2.roundCount()]).to.deep.equal([1n, 1n]);
    await networkHelpers.time.increaseTo(p.revealEnd + 1n);

    // somebody else asking the source for key 1 asks for itself, not for either pool
    await d.randomness.connect(outsider).request(roundId);
    expect(await d.randomness.requested(outsider.address, roundId)).to.equal(true);
    expect(await d.randomness.requested(d.poolAddress, roundId)).to.equal(false);
    expect(await d.randomness.requested(pool2Address, roundId)).to.equal(false);
    // both pools request in the same block: the same target
    await ethers.provider.send("evm_setAutomine", [false]);
    try {
      await d.pool.connect(verifiers[0]).fixSampleSeed(roundId);
      await pool2.connect(verifiers[1]).fixSampleSeed(roundId);
      await mine(1);
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
    const t1 = await d.randomness.targetOf(d.poolAddress, roundId);
    const t2 = await d.randomness.targetOf(pool2Address, roundId);
    expect(t1).to.equal(t2);
    expect(t1).to.not.equal(0n);
    await mine(Number(RANDOMNESS_DELAY));
    await d.pool.fixSampleSeed(roundId);
    expect((await pool2.getRoundState(roundId)).seed).to.equal(ethers.ZeroHash); // pool 1's fulfilment is not pool 2's
    await pool2.fixSampleSeed(roundId);
    const h = (await ethers.provider.getBlock(t1))!.hash!;
    const v1 = await d.randomness.randomnessOf(d.poolAddress, roundId);
    const v2 = await d.randomness.randomnessOf(pool2Address, roundId);
    expect(v1).to.equal(sourceValue(h, d.poolAddress, roundId));
    expect(v2).to.equal(sourceValue(h, pool2Address, roundId));
    expect(v1).to.not.equal(v2);
    expect((await d.pool.getRoundState(roundId)).seed).to.equal(seedOf(v1, roundId));
    expect((await pool2.getRoundState(roundId)).seed).to.equal(seedOf(v2, roundId));
    // the outsider's own request is still its own, untouched by either pool
    expect(await d.randomness.randomnessOf(outsider.address, roundId)).to.equal(ethers.ZeroHash);
    await d.randomness.fulfill(outsider.address, roundId);
    expect(await d.randomness.randomnessOf(outsider.address, roundId)).to.not.equal(v1);
    expect((await d.pool.getRoundState(roundId)).seed).to.equal(seedOf(v1, roundId));
  });

  // -------------------------------------------------------------------------------------------
  // The attack (issue 10, property 1), measured against the honest play.
  //
  // A miner with 6 false claims outside the top-K sends the round's seed request itself, in the
  // block it likes best among the next 8 (each tried from a snapshot). Before each candidate
  // block n it knows — generously — everything that exists when n is built: block n − 1, n's
  // prevrandao and parent hash (so the old seed formula), and even n's own hash (as n's builder
  // would). It predicts the sample from each, and picks the block whose prediction spares most of
  // its false claims. The seed is the hash of block n + 1, so none of this determines it: the
  // picked block's sample is a fresh draw, and the attacker's expected tokens are those of a
  // random sample, below what it earns honestly.
  // -------------------------------------------------------------------------------------------
  it("ATTACK: choosing the request block from what is known at request time does not choose the sample; the attacker expects less than its honest play", async () => {
    const CANDIDATES = 8;
    const f = await loadFixture(fxAttack);
    const verifier = f.actors.verifiers[2];
    const sampleBps = BigInt(f.params.sampleBps);
    await after(f, f.roundId, "reveal");
    const top = (await f.lens.getTopK(f.roundId)).tasks.map(Number);
    expect(top.filter((t) => FALSE_TASKS.includes(t))).to.deep.equal([]); // all false claims are outside the top-K
    const spared = (seed: string) => FALSE_TASKS.filter((t) => !drawn(seed, f.roundId, t, 0, sampleBps)).length;
    const base = await takeSnapshot();

    type Candidate = { k: number; n: bigint; guesses: string[]; predicted: number; seed: string; drawnSet: Set<number>; net: bigint };
    const candidates: Candidate[] = [];
    for (let k = 0; k < CANDIDATES; k++) {
      await base.restore();
      if (k > 0) await mine(k);
      const n = await blockOf(f.pool.connect(f.attacker).fixSampleSeed(f.roundId)); // the attacker's request
      const blk = await rawBlock(n);
      const prev = await rawBlock(n - 1n);
      expect(blk.parentHash).to.equal(prev.hash);
      // every value the attacker could compute before (or while building) block n
      const guesses = [
        oldSeed(blk.prevrandao, blk.parentHash, f.roundId), // the old contract's seed of block n
        seedFromHash(prev.hash, f.poolAddress, f.roundId), // the source's formula on the latest known hash
        seedFromHash(blk.hash, f.poolAddress, f.roundId), // ... on n's own hash (n's builder)
      ];
      // a verifier node fulfils as soon as it can
      const seed = await fixSeed(as(f, verifier), f.roundId);
      expect(await f.randomness.targetOf(f.poolAddress, f.roundId)).to.equal(n + RANDOMNESS_DELAY);
      expect(seed).to.equal(seedFromHash((await rawBlock(n + RANDOMNESS_DELAY)).hash, f.poolAddress, f.roundId));
      expect(guesses, `candidate ${k}: a value known at request time is the seed`).to.not.include(seed);
      const drawnSet = new Set(FALSE_TASKS.filter((t) => drawn(seed, f.roundId, t, 0, sampleBps)));
      // play the round out honestly (verifiers attest what is sampled at its truth) and measure
      const sampled = await completeRound(f);
      expect(sampled.filter((t) => FALSE_TASKS.includes(t)).sort()).to.deep.equal([...drawnSet].sort());
      const net = await attackerNet(f);
      expect(net, `candidate ${k}: on-chain net = the documented rules`).to.equal(
        modelNet(drawnSet, f.params.minStake, f.params.rewardTotal),
      );
      const st = await f.pool.getRoundState(f.roundId);
      expect(st.forfeited, `candidate ${k}: forfeited = the documented rules`).to.equal(
        modelForfeited(drawnSet, f.params.minStake, BigInt(f.params.slashBps)),
      );
      expect(st.paid, `candidate ${k}: the pot bounds the payouts`).to.be.lessThanOrEqual(f.params.rewardTotal);
      const predicted = guesses.reduce((a, g) => a + spared(g), 0) / guesses.length;
      candidates.push({ k, n, guesses, predicted, seed, drawnSet, net });
    }
    // 8 request blocks, 8 different samples, none of them a value known when its request was sent
    expect(new Set(candidates.map((c) => c.seed)).size).to.equal(CANDIDATES);
    const known = new Set(candidates.flatMap((c) => c.guesses));
    for (const c of candidates) expect(known.has(c.seed), `candidate ${c.k}`).to.equal(false);
    // the predictions carry no information about the draw: each guess agrees with the actual draw
    // of a false claim about half the time (a working predictor would agree 48 times of 48;
    // chance is 24 ± 3.5, and [8, 40] fails by chance with probability < 1e-5)
    for (let g = 0; g < 3; g++) {
      let agree = 0;
      for (const c of candidates) {
        for (const t of FALSE_TASKS) if (drawn(c.guesses[g], f.roundId, t, 0, sampleBps) === c.drawnSet.has(t)) agree++;
      }
      expect(agree, `guess ${g}`).to.be.within(8, 40);
    }
    // the attacker's pick: the block whose prediction spares most of its claims
    const pick = candidates.reduce((best, c) => (c.predicted > best.predicted ? c : best));

    // the honest baseline: the same miner claims the truth of the same genomes (P = 0)
    const h = await loadFixture(fxHonest);
    await after(h, h.roundId, "reveal");
    await fixSeed(as(h, verifier), h.roundId);
    await completeRound(h);
    const honestNet = await attackerNet(h);
    expect(honestNet).to.equal(0n); // its stake back, nothing earned, nothing slashed

    // chance: since nothing known at request time decides the draw, each false claim is drawn with
    // probability sampleBps / BPS = 1/2 independently; the attacker's expectation over all 2^6 draws
    const subsets = 1 << FALSE_TASKS.length;
    let sum = 0n;
    for (let m = 0; m < subsets; m++) {
      const s = new Set(FALSE_TASKS.filter((_, i) => (m >> i) & 1));
      sum += modelNet(s, f.params.minStake, f.params.rewardTotal);
    }
    const expected = sum / BigInt(subsets);
    expect(expected, "the attacker's expected net at a random sample").to.be.lessThan(honestNet);
    // what it picked: a block whose guesses spared the most; what it got: that block's fresh draw
    expect(pick.predicted).to.equal(Math.max(...candidates.map((c) => c.predicted)));
    expect(pick.net).to.equal(modelNet(pick.drawnSet, f.params.minStake, f.params.rewardTotal));
  });

  it("a source that never delivers cannot lock the round: SEED_GRACE (1 day) after verifyEnd, finalize goes ahead without the seed and nothing counts as randomly drawn", async () => {
    for (const broken of [false, true]) {
      const f = await scenario(false, broken ? () => deployPoolWithSupply(10_000_000n * 10n ** 18n, "BrokenRandomness") : deployPool);
      await after(f, f.roundId, "reveal");
      const src = await ethers.getContractAt("BrokenRandomness", await f.randomness.getAddress());
      if (broken) await expect(f.pool.fixSampleSeed(f.roundId), "a broken source refuses the request").to.be.revertedWithCustomError(src, "BrokenRandomnessDown");
      const verifyEnd = BigInt(f.params.verifyEnd);
      await networkHelpers.time.setNextBlockTimestamp(verifyEnd + 86_400n);
      const early = f.pool.finalize(f.roundId); // still inside the grace: it tries the source
      if (broken) await expect(early, "at verifyEnd + 1 day").to.be.revertedWithCustomError(src, "BrokenRandomnessDown");
      else await expect(early, "at verifyEnd + 1 day").to.be.revertedWithCustomError(f.pool, "PoNASPoolSeedNotFixed");
      expect((await f.pool.getRoundState(f.roundId)).finalized).to.equal(false);
      await networkHelpers.time.setNextBlockTimestamp(verifyEnd + 86_401n);
      await expect(f.pool.finalize(f.roundId)).to.emit(f.pool, "RoundFinalized");
      const st = await f.pool.getRoundState(f.roundId);
      expect([st.finalized, st.seed]).to.deep.equal([true, ethers.ZeroHash]);
      // the top-K (tasks 8-10) could have been verified and were not: unpaid; task 11 and the
      // attacker's honest claims were never drawn: paid; every stake comes back
      const paid = new Map<number, boolean>();
      for (const s of f.subs) {
        const tx = f.pool.withdraw(f.roundId, s.task, 0);
        await expect(tx).to.emit(f.pool, "Withdrawn");
        const ev = (await f.pool.queryFilter(f.pool.filters.Withdrawn(f.roundId, s.task))).at(-1)!;
        paid.set(s.task, !ev.args.unverified);
      }
      expect([8, 9, 10].map((t) => paid.get(t)), broken ? "broken source" : "silent source").to.deep.equal([false, false, false]);
      expect(paid.get(11)).to.equal(true);
      for (const m of f.actors.miners) expect((await f.pool.minerAccount(m.address)).locked).to.equal(0n);
    }
  });
});

