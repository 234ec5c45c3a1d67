// BeaconRandomness: the round's value from the inner source (a future block hash) mixed with the
// committee's commit-reveal beacon, as the pool's own source (issue 10, property 1, second half).
// Commits close when the pool requests the value; reveals open only once the inner value is
// fixed (so the builder of the target block never knows a secret) and last revealWindow seconds;
// the value waits for every committer or the window; a withheld secret costs the penalty.
import { expect } from "chai";
import type { BeaconRandomness } from "../types/ethers-contracts/index.js";
import { commitFor, deployPoolWithSupply, ethers, networkHelpers, openRound, partition, genes, genomeIn, revealFor, roundParams, BEACON_WINDOW, TOKEN, type Deployed } from "./helpers/pool.js";
import { drawn, seedOf } from "./helpers/rules.js";

const { loadFixture, time, mine } = networkHelpers;
const secretOf = (tag: string) => ethers.id(`beacon secret:${tag}`);
const MAX = 2n ** 256n - 1n;

async function fxBeacon() {
  const d = await deployPoolWithSupply(10_000_000n * TOKEN, "BeaconRandomness");
  const beacon = d.randomness as unknown as BeaconRandomness;
  // a round with one revealed claim, in its reveal window
  const { roundId, params } = await openRound(d, {}, partition(1));
  const [m0] = d.actors.miners;
  await d.pool.connect(m0).stake(2000n * TOKEN);
  await d.pool.connect(m0).claim(roundId, 0);
  const r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: genes([0, 1, 1, 4]), score: 9500 });
  await time.increaseTo(params.commitEnd + 1n);
  await revealFor(d, m0, r);
  return { ...d, beacon, roundId, params };
}

async function commitAll(d: Deployed & { beacon: BeaconRandomness }, roundId: bigint, who = d.actors.verifiers) {
  const pool = await d.pool.getAddress();
  for (const v of who) await d.beacon.connect(v).commit(pool, roundId, await d.beacon.commitmentOf(pool, roundId, v.address, secretOf(v.address)));
}

describe("BeaconRandomness (the committee's beacon mixed into the round's seed)", () => {
  it("takes commits from the round's committee members only, once each, until the pool requests the value", async () => {
    const f = await loadFixture(fxBeacon);
    const pool = await f.pool.getAddress();
    const [v0] = f.actors.verifiers;
    const c = await f.beacon.commitmentOf(pool, f.roundId, v0.address, secretOf("v0"));
    await expect(f.beacon.connect(f.actors.outsider).commit(pool, f.roundId, c))
      .to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessNotMember")
      .withArgs(pool, f.roundId, f.actors.outsider.address);
    await expect(f.beacon.connect(v0).commit(pool, f.roundId, ethers.ZeroHash)).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessInvalidCommitment");
    await expect(f.beacon.connect(v0).commit(pool, f.roundId, c)).to.emit(f.beacon, "BeaconCommitted").withArgs(pool, f.roundId, v0.address, c);
    await expect(f.beacon.connect(v0).commit(pool, f.roundId, c)).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessAlreadyCommitted");
    // the pool's first fixSampleSeed after revealEnd requests the value: commits close
    await time.increaseTo(f.params.revealEnd + 1n);
    await f.pool.fixSampleSeed(f.roundId);
    const [, v1] = f.actors.verifiers;
    await expect(f.beacon.connect(v1).commit(pool, f.roundId, await f.beacon.commitmentOf(pool, f.roundId, v1.address, secretOf("v1"))))
      .to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessCommitsClosed")
      .withArgs(pool, f.roundId);
  });

  it("opens reveals only once the inner value is fixed, and fixes the seed from the inner value and every secret once all have revealed", async () => {
    const f = await loadFixture(fxBeacon);
    const pool = await f.pool.getAddress();
    await commitAll(f, f.roundId);
    await time.increaseTo(f.params.revealEnd + 1n);
    await f.pool.fixSampleSeed(f.roundId); // the request: the inner target is the next block
    const [v0, v1, v2] = f.actors.verifiers;
    // the inner value does not exist yet: nobody's secret can be chosen knowing it
    await expect(f.beacon.connect(v0).reveal(pool, f.roundId, secretOf(v0.address)))
      .to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessInnerPending")
      .withArgs(pool, f.roundId);
    await mine(1);
    await expect(f.beacon.connect(v0).reveal(pool, f.roundId, secretOf("not mine"))).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessWrongSecret");
    await expect(f.beacon.connect(v0).reveal(pool, f.roundId, secretOf(v0.address))).to.emit(f.beacon, "BeaconInnerFixed");
    await expect(f.beacon.connect(f.actors.outsider).reveal(pool, f.roundId, secretOf("x"))).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessNotCommitted");
    // two of three revealed: the seed waits for the third (or the window)
    await f.beacon.connect(v1).reveal(pool, f.roundId, secretOf(v1.address));
    await f.pool.fixSampleSeed(f.roundId);
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
    await expect(f.beacon.connect(v1).reveal(pool, f.roundId, secretOf(v1.address))).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessNotCommitted");
    await f.beacon.connect(v2).reveal(pool, f.roundId, secretOf(v2.address));
    await f.pool.fixSampleSeed(f.roundId);
    const b = await f.beacon.beaconOf(pool, f.roundId);
    const xor = [v0, v1, v2].map((v) => BigInt(secretOf(v.address))).reduce((a, x) => a ^ x, 0n);
    expect(BigInt(b.mix)).to.equal(xor);
    const expected = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32", "address", "uint256"], [b.inner, b.mix, pool, f.roundId]));
    expect(b.value).to.equal(expected);
    // the pool's seed is the source's value hashed with the round (PoNASPool._fixSeed)
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(seedOf(expected, f.roundId));
    // and nobody who revealed can be penalised
    await expect(f.beacon.penaliseNoShow(pool, f.roundId, v0.address)).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessNotCommitted");
  });

  it("a withheld secret cannot hold the seed past the window, and costs its committer the penalty (once)", async () => {
    const f = await loadFixture(fxBeacon);
    const pool = await f.pool.getAddress();
    const [v0, v1, v2] = f.actors.verifiers;
    await commitAll(f, f.roundId);
    await time.increaseTo(f.params.revealEnd + 1n);
    await f.pool.fixSampleSeed(f.roundId);
    await mine(1);
    await f.beacon.connect(v0).reveal(pool, f.roundId, secretOf(v0.address));
    await f.beacon.connect(v1).reveal(pool, f.roundId, secretOf(v1.address));
    // v2 withholds: before the window closes nothing is fixed and v2 cannot be penalised yet
    await expect(f.beacon.penaliseNoShow(pool, f.roundId, v2.address)).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessNotFixed");
    const { revealsUntil } = await f.beacon.beaconOf(pool, f.roundId);
    await time.increaseTo(revealsUntil + 1n);
    await expect(f.beacon.connect(v2).reveal(pool, f.roundId, secretOf(v2.address))).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessRevealsClosed");
    await f.pool.fixSampleSeed(f.roundId);
    const seed = (await f.pool.getRoundState(f.roundId)).seed;
    expect(seed).to.not.equal(ethers.ZeroHash);
    const penalty = await f.committee.penalty();
    expect(penalty).to.be.greaterThan(0n);
    const before = (await f.committee.verifierAccount(v2.address)).stake;
    await expect(f.beacon.connect(f.actors.outsider).penaliseNoShow(pool, f.roundId, v2.address))
      .to.emit(f.committee, "Penalised")
      .withArgs(f.roundId, MAX, MAX, v2.address, penalty);
    expect((await f.committee.verifierAccount(v2.address)).stake).to.equal(before - penalty);
    await expect(f.beacon.penaliseNoShow(pool, f.roundId, v2.address)).to.be.revertedWithCustomError(f.beacon, "BeaconRandomnessNotCommitted");
    // the penalty is the treasury's, like an attestation's (the round's sweepable penalties)
    expect((await f.committee.roundFees(f.roundId)).penalties).to.equal(penalty);
  });

  it("a withheld secret samples every submission of the round (FULL_SAMPLE): withholding to re-roll the sample never spares a claim", async () => {
    const d = await deployPoolWithSupply(10_000_000n * TOKEN, "BeaconRandomness");
    const beacon = d.randomness as unknown as BeaconRandomness;
    const f = { ...d, beacon };
    const pool = await f.pool.getAddress();
    // sampleBps 10% and no top-K (a small pot keeps the stake bound low): without the rule,
    // all four re-trained has probability 1e-4
    const { roundId, params } = await openRound(f, { sampleBps: 1000, topK: 0, rewardTotal: 10n * TOKEN }, partition(2));
    for (let t = 0; t < 4; t++) {
      const m = f.actors.miners[t];
      await f.pool.connect(m).stake(2000n * TOKEN);
      await f.pool.connect(m).claim(roundId, t);
    }
    const commits = [];
    for (let t = 0; t < 4; t++) commits.push(await commitFor(f, f.actors.miners[t], { roundId, task: t, slot: 0, genome: genomeIn([0, t], 0), score: 9500 }));
    await time.increaseTo(params.commitEnd + 1n);
    for (let t = 0; t < 4; t++) await revealFor(f, f.actors.miners[t], commits[t]);
    const [v0, v1, v2] = f.actors.verifiers;
    await commitAll(f, roundId);
    await time.increaseTo(params.revealEnd + 1n);
    await f.pool.fixSampleSeed(roundId);
    await mine(1);
    await f.beacon.connect(v0).reveal(pool, roundId, secretOf(v0.address));
    await f.beacon.connect(v1).reveal(pool, roundId, secretOf(v1.address));
    expect(await f.beacon.entryOf(pool, roundId, v0.address)).to.equal(ethers.toBeHex(1, 32));
    expect(await f.beacon.entryOf(pool, roundId, v2.address)).to.equal(await f.beacon.commitmentOf(pool, roundId, v2.address, secretOf(v2.address)));
    expect(await f.beacon.withheld(pool, roundId), "pending: not withheld yet").to.equal(false);
    // v2 saw the inner value and both secrets, and keeps its own back
    await time.increaseTo((await f.beacon.beaconOf(pool, roundId)).revealsUntil + 1n);
    await f.pool.fixSampleSeed(roundId);
    const b = await f.beacon.beaconOf(pool, roundId);
    expect(await f.beacon.withheld(pool, roundId)).to.equal(true);
    const seed = (await f.pool.getRoundState(roundId)).seed;
    expect(seed).to.equal(seedOf(b.value, roundId, true));
    for (let t = 0; t < 4; t++) expect(await f.lens.isSampled(roundId, t, 0), `task ${t} sampled`).to.equal(true);
    // what the same value would have sampled had v2 revealed nothing different: not all four
    const plain = seedOf(b.value, roundId, false);
    expect([0, 1, 2, 3].filter((t) => drawn(plain, roundId, t, 0, 1000n)).length).to.be.below(4);
  });

  it("openRound refuses a verify window shorter than 4 x the source's delayBound (its reveal window): a withheld secret must not hold the seed past the challenges", async () => {
    const d = await deployPoolWithSupply(10_000_000n * TOKEN, "BeaconRandomness");
    const beacon = d.randomness as unknown as BeaconRandomness;
    expect(await beacon.delayBound()).to.equal(BEACON_WINDOW);
    const short = { commit: 3600, reveal: 3600, verify: Number(4n * BEACON_WINDOW) - 1 };
    const p = await roundParams({}, short);
    const tasks = partition(1);
    await expect(d.pool.connect(d.actors.admin).openRound(p, tasks.masks, tasks.values))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
      .withArgs(11); // ParamRule.RandomnessDelay
    await d.lens.checkRoundParams({ ...p, verifyEnd: p.revealEnd + 4n * BEACON_WINDOW }); // a view: throws if it reverts
    // a source with no wait of its own adds nothing to the windows rule
    const plain = await deployPoolWithSupply(10_000_000n * TOKEN);
    expect(await plain.randomness.delayBound()).to.equal(0n);
    await plain.lens.checkRoundParams(p);
  });

  it("with no commits the seed follows the inner value alone; the committee takes penalties only from its pool's own source", async () => {
    const f = await loadFixture(fxBeacon);
    const pool = await f.pool.getAddress();
    await time.increaseTo(f.params.revealEnd + 1n);
    await f.pool.fixSampleSeed(f.roundId);
    await mine(1);
    await f.pool.fixSampleSeed(f.roundId);
    const b = await f.beacon.beaconOf(pool, f.roundId);
    expect(b.committed).to.equal(0n);
    expect(b.value).to.not.equal(ethers.ZeroHash);
    expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(seedOf(b.value, f.roundId));
    expect(b.value).to.equal(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32", "address", "uint256"], [b.inner, ethers.ZeroHash, pool, f.roundId])));
    const [v0] = f.actors.verifiers;
    await expect(f.committee.connect(f.actors.outsider).penaliseBeaconNoShow(pool, f.roundId, v0.address))
      .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeOnlyRandomness")
      .withArgs(f.actors.outsider.address, pool);
    expect(await f.beacon.kind()).to.equal("committee-beacon");
  });
});
