// No silent narrowing (issue 10, property 9). The pool keeps stakes, locked stake, fees and
// rewards credited to a stake in 96 bits. A reward of 2^96 wei or more was truncated by `settle`
// (anyone may call it, so an attacker could make a victim's reward vanish) and a truncated `paid`
// let `sweep` take another round's funds. Such a reward needs a token supply of 2^96 or more:
// the pool now refuses that token at deployment, so every amount it can ever hold fits. The
// attack is run at the largest supply that is still accepted and the victim's loss measured.
import { expect } from "chai";
import { ARITIES, ethers, genomeIn, honestSeal, networkHelpers, partition, RANDOMNESS_DELAY, roundParams, TOKEN } from "./helpers/pool.js";
import { trueDigest } from "./helpers/attest.js";

const LIMIT = 1n << 96n;
const QUORUM = 3;

describe("PoNASPool: no silent narrowing", () => {
  async function deployWithSupply(supply: bigint) {
    const [admin, treasury, victim, attacker, ...rest] = await ethers.getSigners();
    // the smallest committee that can decide: openRound refuses a quorum below 3
    const verifiers = rest.slice(0, QUORUM);
    const token = await ethers.deployContract("PoolToken", ["PoNAS Pool Token", "PONAS", admin.address, supply]);
    const randomness = await ethers.deployContract("FutureBlockRandomness", [RANDOMNESS_DELAY]);
    return { token, randomness, admin, treasury, victim, attacker, verifiers };
  }

  it("refuses a token whose supply reaches 2^96 wei, the only way to a reward that would not fit", async () => {
    const { token, randomness, admin, treasury } = await deployWithSupply(LIMIT);
    const factory = await ethers.getContractFactory("PoNASPool");
    await expect(factory.deploy(await token.getAddress(), admin.address, treasury.address, TOKEN, await randomness.getAddress()))
      .to.be.revertedWithCustomError(factory, "PoNASPoolTokenSupplyTooLarge")
      .withArgs(LIMIT, LIMIT);
  });

  it("at the largest accepted supply, an attacker settling a victim's near-2^96 reward into its stake costs the victim nothing", async () => {
    const supply = LIMIT - 1n;
    const { token, randomness, admin, treasury, victim, attacker, verifiers } = await deployWithSupply(supply);
    const pool = await ethers.deployContract("PoNASPool", [
      await token.getAddress(),
      admin.address,
      treasury.address,
      TOKEN,
      await randomness.getAddress(),
    ]);
    const poolAddress = await pool.getAddress();
    const committeeAddress = await pool.committee();
    const committee = await ethers.getContractAt("VerifierCommittee", committeeAddress);
    for (const a of [victim, ...verifiers]) await token.connect(admin).transfer(a.address, 10n * TOKEN);
    for (const a of [admin, victim]) await token.connect(a).approve(poolAddress, ethers.MaxUint256);
    for (const v of verifiers) {
      await token.connect(v).approve(committeeAddress, ethers.MaxUint256);
      await committee.connect(admin).setVerifier(v.address, true);
      await committee.connect(v).stakeVerifier(TOKEN);
    }

    // the whole rest of the supply (less one fee per verifier) is the reward: one miner, so it is owed all of it
    const feeBudget = BigInt(QUORUM) * TOKEN;
    const reward = (await token.balanceOf(admin.address)) - feeBudget;
    const p = await roundParams({ rewardTotal: reward, feeBudget, verifierFee: TOKEN, minStake: TOKEN, sampleBps: 10_000, topK: 0, quorum: QUORUM, baselineBps: 0, arities: ARITIES });
    const tasks = partition(1);
    await pool.connect(admin).openRound(p, tasks.masks, tasks.values);
    const victimBefore = await token.balanceOf(victim.address);
    const attackerBefore = await token.balanceOf(attacker.address);

    await pool.connect(victim).stake(TOKEN);
    await pool.connect(victim).claim(1n, 0n);
    const genome = genomeIn([0], 0);
    const salt = ethers.id("salt");
    await pool.connect(victim).commit(1n, await pool.computeCommitment(1n, 0n, victim.address, genome, 8000, salt));
    await networkHelpers.time.increaseTo(p.commitEnd + 1n);
    await pool.connect(victim).reveal(1n, 0n, 0n, genome, 8000, salt, await honestSeal(pool, victim, 1n, 0, 0));
    await networkHelpers.time.increaseTo(p.revealEnd + 1n);
    // the victim's submission is drawn at random (topK 0): fix the seed first, as a verifier node
    // does: request, let the target block be mined, fulfil
    await pool.fixSampleSeed(1n);
    await networkHelpers.mine(Number(RANDOMNESS_DELAY));
    await pool.fixSampleSeed(1n);
    expect((await pool.getRoundState(1n)).seed).to.not.equal(ethers.ZeroHash);
    // each verifier seals its re-training (score 8000, the reference weights digest) in the
    // commit phase of the verify window and opens it in the reveal phase; the last reveal decides
    const digest = trueDigest(1n, 0, 0);
    const salts = verifiers.map((v) => ethers.id(`attest-salt:${v.address}`));
    for (const [i, v] of verifiers.entries()) {
      await committee.connect(v).commitAttestation(1n, 0n, 0n, await committee.attestationSeal(1n, 0n, 0n, v.address, 8000, digest, salts[i]));
    }
    const lens = await ethers.getContractAt("PoNASLens", await pool.lens());
    const [attestCommitEnd] = await lens.attestPhases(1n);
    await networkHelpers.time.increaseTo(attestCommitEnd + 1n);
    for (const [i, v] of verifiers.entries()) await committee.connect(v).revealAttestation(1n, 0n, 0n, 8000, digest, salts[i]);
    expect(await committee.isDecided(1n, 0n, 0n)).to.equal(true);
    await networkHelpers.time.increaseTo(p.verifyEnd + 1n);
    await pool.finalize(1n);

    // the attack: settle the victim's reward into its stake (anyone may call settle)
    await pool.connect(attacker).settle(1n, 0n, 0n);
    const acct = await pool.minerAccount(victim.address);
    expect(acct.balance).to.equal(TOKEN + reward); // credited exactly, nothing truncated
    expect(acct.balance).to.be.below(LIMIT);
    await pool.connect(victim).unstake(acct.balance);
    const victimNet = (await token.balanceOf(victim.address)) - victimBefore;
    const attackerNet = (await token.balanceOf(attacker.address)) - attackerBefore;
    expect(victimNet).to.equal(reward); // the honest outcome: its whole reward
    expect(attackerNet).to.equal(0n);
    // the pool has paid out everything it held; the committee holds exactly the verifiers'
    // stakes and the fees they earned (the whole fee budget: each proved the agreed digest and is paid verifierFee once)
    const s = await pool.getRoundState(1n);
    expect(s.paid).to.equal(reward);
    expect(await token.balanceOf(poolAddress)).to.equal(0n);
    const f = await committee.roundFees(1n);
    expect([f.budget, f.spent, f.penalties, f.swept]).to.deep.equal([feeBudget, feeBudget, 0n, false]); // nobody penalised
    for (const a of verifiers) {
      const v = await committee.verifierAccount(a.address);
      expect([v.stake, v.fees]).to.deep.equal([TOKEN, TOKEN]);
    }
    expect(await token.balanceOf(committeeAddress)).to.equal(BigInt(QUORUM) * (TOKEN /* verifier stake */ + TOKEN /* fee earned */));
  });
});
