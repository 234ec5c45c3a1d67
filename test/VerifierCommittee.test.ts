// Function-by-function tests of VerifierCommittee, the pool's verifier committee: enrolment
// (setVerifier, sinceRound, isMember), verifier stakes and fees, attestations and their fees
// (getAttestations, the round's fee budget, clawbacks), the slash shares of a fraud verdict, the
// sweep of an unspent fee budget, and the two calls that link it to its pool (fundRound only from
// the pool; onChallenge, beginVerification, onVerdict only from the committee). What the pool does
// with a verdict (Verified, the sample, the windows) is tested in PoNASPool.functions.test.ts.
// Expected values are derived from the documented rules (NatSpec), never read back from the contracts.
import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployPool,
  openRound,
  roundParams,
  partition,
  genes,
  commitFor,
  revealFor,
  after,
  liabilities,
  holdings,
  TOKEN,
  BPS,
  MIN_VERIFIER_STAKE,
  RANDOMNESS_DELAY,
  fixSeed,
  type Deployed,
} from "./helpers/pool.js";
import type { ContractTransactionResponse } from "ethers";
import type { VerifierCommittee } from "../types/ethers-contracts/index.js";

const { loadFixture, time } = networkHelpers;

const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const MANAGER_ROLE = ethers.id("MANAGER_ROLE");
const MINER_STAKE = 1000n * TOKEN;

// Defaults of roundParams() in the shared fixture.
const BASELINE = 9000n;
const REWARD = 1000n * TOKEN;
const MIN_STAKE = 320n * TOKEN;
const FEE = 1n * TOKEN;
const FEE_BUDGET = 50n * TOKEN;
const SLASH_BPS = 2000n;
const SAMPLE_BPS = 5000n;

// One genome inside each task of partition(1) (the first gene fixes the task).
const G = [genes([0, 1, 1, 4]), genes([1, 2, 0, 3]), genes([2, 0, 1, 0])];
const salt = (s: string) => ethers.id(`salt:${s}`);
const perf = (score: bigint | number) => (BigInt(score) > BASELINE ? BigInt(score) - BASELINE : 0n);
/**
 * P of a verified, non-fraud claim by the documented rule (RewardMath.paidScore): at or below the
 * median its claim; above it by `over`, median − ceil(over·(BPS − p)/p) (p = sampleBps), floored at 0.
 */
function verifiedPerf(claimed: number | bigint, median: number | bigint, sampleBps = SAMPLE_BPS) {
  const c = BigInt(claimed);
  const m = BigInt(median);
  if (c <= m) return perf(c);
  const penalty = ((c - m) * (BPS - sampleBps) + sampleBps - 1n) / sampleBps;
  return perf(m > penalty ? m - penalty : 0n);
}
/** The slash share of each of `winners` verifiers, by the documented rule: minStake·slashBps/BPS split evenly. */
const eachShare = (winners: bigint) => (MIN_STAKE * SLASH_BPS) / BPS / winners;

/** The decoded events `name` that `contract` emitted in a transaction, in log order. */
async function eventsOf(contract: VerifierCommittee, tx: Promise<ContractTransactionResponse>, name: string) {
  const rc = (await (await tx).wait())!;
  const at = (await contract.getAddress()).toLowerCase();
  return rc.logs
    .filter((l) => l.address.toLowerCase() === at)
    .map((l) => contract.interface.parseLog(l))
    .filter((e) => e !== null && e.name === name)
    .map((e) => e!.args);
}

/** Every account that can hold a stake or fees in the fixture. */
function accounts(d: Deployed) {
  return [...d.actors.miners, ...d.actors.verifiers, d.actors.outsider].map((x) => x.address);
}

// =============================================================================================
// Fixtures
// =============================================================================================

/**
 * A default round (quorum 3: all three verifiers, topK 3): m0 revealed G[0] at 9500 on task 0 and m1 G[1] at 9700 on
 * task 1 (both in the top-K, so sampled); m2 claimed task 2 and never revealed. Past the reveal window.
 */
async function fxVerify() {
  const d = await deployPool();
  const { roundId, params } = await openRound(d);
  const [m0, m1, m2] = d.actors.miners;
  for (const m of [m0, m1, m2]) await d.pool.connect(m).stake(MINER_STAKE);
  await d.pool.connect(m0).claim(roundId, 0);
  await d.pool.connect(m1).claim(roundId, 1);
  await d.pool.connect(m2).claim(roundId, 2);
  const r0 = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("v0") });
  const r1 = await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: G[1], score: 9700, salt: salt("v1") });
  await after(d, roundId, "commit");
  await revealFor(d, m0, r0);
  await revealFor(d, m1, r1);
  await after(d, roundId, "reveal");
  return { ...d, roundId, params };
}

/** Opens a round with `overrides` in which m0 alone claims task 0 and reveals `score`; returns past the reveal window. */
async function singleClaim(d: Deployed, overrides: Record<string, unknown>, score: number, tag: string) {
  const [m0] = d.actors.miners;
  const { roundId, params } = await openRound(d, overrides);
  if ((await d.pool.minerAccount(m0.address)).balance === 0n) await d.pool.connect(m0).stake(MINER_STAKE);
  await d.pool.connect(m0).claim(roundId, 0);
  const r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score, salt: salt(tag) });
  await after(d, roundId, "commit");
  await revealFor(d, m0, r);
  await after(d, roundId, "reveal");
  return { roundId, params };
}

/** Quorum 3, m0 claims 9500 on task 0: past the reveal window, nobody attested yet. */
async function fxQuorum3() {
  const d = await deployPool();
  return { ...d, ...(await singleClaim(d, { quorum: 3 }, 9500, "q3")) };
}

/** Quorum 3, m0 claims 9900 on task 0 (a false claim when verifiers measure ~9500). */
async function fxQuorum3Fraud() {
  const d = await deployPool();
  return { ...d, ...(await singleClaim(d, { quorum: 3 }, 9900, "q3f")) };
}

// =============================================================================================

describe("VerifierCommittee", () => {
  // -------------------------------------------------------------------------------------------
  describe("creation by the pool", () => {
    it("is created by the pool with the pool's token, admin and minimum stake, and is bound to that pool", async () => {
      const d = await loadFixture(deployPool);
      const { committee, actors } = d;
      expect(await committee.pool()).to.equal(d.poolAddress);
      expect(await committee.token()).to.equal(await d.token.getAddress());
      expect(await committee.minVerifierStake()).to.equal(MIN_VERIFIER_STAKE);
      expect(await committee.BPS()).to.equal(BPS);
      expect(await committee.hasRole(DEFAULT_ADMIN_ROLE, actors.admin.address)).to.equal(true);
      // the pool itself holds no role in its committee
      expect(await committee.hasRole(DEFAULT_ADMIN_ROLE, d.poolAddress)).to.equal(false);
      expect(await committee.getRoleAdmin(DEFAULT_ADMIN_ROLE)).to.equal(DEFAULT_ADMIN_ROLE);
      expect(await committee.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await committee.supportsInterface("0xffffffff")).to.equal(false);
      // the pool's deployment emitted the committee's MinVerifierStakeSet
      await expect(d.pool.deploymentTransaction()).to.emit(committee, "MinVerifierStakeSet").withArgs(MIN_VERIFIER_STAKE);
    });

    it("its admin role is its own: a new pool admin does not administer the committee until granted there", async () => {
      const { pool, committee, actors } = await loadFixture(deployPool);
      const { admin, outsider } = actors;
      await pool.connect(admin).grantRole(DEFAULT_ADMIN_ROLE, outsider.address);
      await expect(committee.connect(outsider).setVerifier(outsider.address, true))
        .to.be.revertedWithCustomError(committee, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
      await committee.connect(admin).grantRole(DEFAULT_ADMIN_ROLE, outsider.address);
      await expect(committee.connect(outsider).setVerifier(outsider.address, true)).to.emit(committee, "VerifierSet");
    });

    it("reverts VerifierCommitteeZeroAddress for a zero admin", async () => {
      const d = await loadFixture(deployPool);
      const factory = await ethers.getContractFactory("VerifierCommittee");
      await expect(factory.deploy(await d.token.getAddress(), ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        factory,
        "VerifierCommitteeZeroAddress",
      );
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("setMinVerifierStake", () => {
    it("sets the minimum (zero included) and emits MinVerifierStakeSet", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.admin).setMinVerifierStake(777n)).to.emit(committee, "MinVerifierStakeSet").withArgs(777n);
      expect(await committee.minVerifierStake()).to.equal(777n);
      await expect(committee.connect(actors.admin).setMinVerifierStake(0n)).to.emit(committee, "MinVerifierStakeSet").withArgs(0n);
      expect(await committee.minVerifierStake()).to.equal(0n);
    });
    it("reverts for a non-admin (the pool's manager included)", async () => {
      const { pool, committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.verifiers[0]).setMinVerifierStake(0n))
        .to.be.revertedWithCustomError(committee, "AccessControlUnauthorizedAccount")
        .withArgs(actors.verifiers[0].address, DEFAULT_ADMIN_ROLE);
      await pool.connect(actors.admin).grantRole(MANAGER_ROLE, actors.outsider.address);
      await expect(committee.connect(actors.outsider).setMinVerifierStake(0n))
        .to.be.revertedWithCustomError(committee, "AccessControlUnauthorizedAccount")
        .withArgs(actors.outsider.address, DEFAULT_ADMIN_ROLE);
      expect(await committee.minVerifierStake()).to.equal(MIN_VERIFIER_STAKE);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("setVerifier", () => {
    it("activates and deactivates a verifier without touching its stake, and emits VerifierSet with its first round", async () => {
      const d = await loadFixture(deployPool);
      const { committee, actors } = d;
      const [v0] = actors.verifiers;
      // enrolled before any round: first round 1
      await expect(committee.connect(actors.admin).setVerifier(v0.address, false))
        .to.emit(committee, "VerifierSet")
        .withArgs(v0.address, false, 1n);
      let acc = await committee.verifierAccount(v0.address);
      expect([acc.active, acc.stake, acc.sinceRound]).to.deep.equal([false, MIN_VERIFIER_STAKE, 1n]);
      await expect(committee.connect(actors.admin).setVerifier(actors.outsider.address, true))
        .to.emit(committee, "VerifierSet")
        .withArgs(actors.outsider.address, true, 1n);
      acc = await committee.verifierAccount(actors.outsider.address);
      expect([acc.active, acc.stake, acc.fees, acc.sinceRound]).to.deep.equal([true, 0n, 0n, 1n]);
      // enrolled once round 1 is open: first round 2; removal keeps the number
      await openRound(d);
      await expect(committee.connect(actors.admin).setVerifier(v0.address, true))
        .to.emit(committee, "VerifierSet")
        .withArgs(v0.address, true, 2n);
      await expect(committee.connect(actors.admin).setVerifier(v0.address, false))
        .to.emit(committee, "VerifierSet")
        .withArgs(v0.address, false, 2n);
      // re-enabling an active verifier keeps its first round
      await expect(committee.connect(actors.admin).setVerifier(actors.outsider.address, true))
        .to.emit(committee, "VerifierSet")
        .withArgs(actors.outsider.address, true, 1n);
    });

    it("fixes a round's committee when it opens: a verifier enrolled later attests and challenges only rounds opened after it", async () => {
      const f = await loadFixture(fxVerify);
      const { admin, outsider } = f.actors;
      await f.committee.connect(admin).setVerifier(outsider.address, true);
      await f.committee.connect(outsider).stakeVerifier(MIN_VERIFIER_STAKE);
      const since = f.roundId + 1n;
      expect((await f.committee.verifierAccount(outsider.address)).sinceRound).to.equal(since);
      await expect(f.committee.connect(outsider).attest(f.roundId, 0, 0, 9500))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInCommittee")
        .withArgs(f.roundId, outsider.address, since);
      await expect(f.committee.connect(outsider).challenge(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInCommittee")
        .withArgs(f.roundId, outsider.address, since);
      // re-enabling an active verifier does not move its first round; removing and re-adding does
      await f.committee.connect(admin).setVerifier(outsider.address, true);
      expect((await f.committee.verifierAccount(outsider.address)).sinceRound).to.equal(since);
      const [v0] = f.actors.verifiers;
      await f.committee.connect(admin).setVerifier(v0.address, false);
      await f.committee.connect(admin).setVerifier(v0.address, true);
      await expect(f.committee.connect(v0).attest(f.roundId, 0, 0, 9500))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInCommittee")
        .withArgs(f.roundId, v0.address, since);
      // a verifier of the round still attests
      await expect(f.committee.connect(f.actors.verifiers[1]).attest(f.roundId, 0, 0, 9500)).to.emit(f.committee, "Attested");
    });

    it("reverts VerifierCommitteeZeroAddress for the zero address", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.admin).setVerifier(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        committee,
        "VerifierCommitteeZeroAddress",
      );
    });

    it("reverts for a non-admin (a manager that is not admin included)", async () => {
      const { pool, committee, actors } = await loadFixture(deployPool);
      await pool.connect(actors.admin).grantRole(MANAGER_ROLE, actors.outsider.address);
      await expect(committee.connect(actors.outsider).setVerifier(actors.outsider.address, true))
        .to.be.revertedWithCustomError(committee, "AccessControlUnauthorizedAccount")
        .withArgs(actors.outsider.address, DEFAULT_ADMIN_ROLE);
      expect((await committee.verifierAccount(actors.outsider.address)).active).to.equal(false);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("isMember", () => {
    it("is true exactly for active verifiers enrolled before the round opened and staked at least minVerifierStake", async () => {
      const f = await loadFixture(fxVerify);
      const { admin, outsider } = f.actors;
      const [v0, v1] = f.actors.verifiers;
      const r = f.roundId;
      expect(await f.committee.isMember(r, v0.address)).to.equal(true);
      expect(await f.committee.isMember(0n, v0.address)).to.equal(false); // before its first round
      expect(await f.committee.isMember(r, outsider.address)).to.equal(false); // never enrolled
      // enrolled now: not in round 1, in round 2 once staked
      await f.committee.connect(admin).setVerifier(outsider.address, true);
      expect(await f.committee.isMember(r, outsider.address)).to.equal(false);
      expect(await f.committee.isMember(r + 1n, outsider.address)).to.equal(false); // no stake yet
      await f.committee.connect(outsider).stakeVerifier(MIN_VERIFIER_STAKE - 1n);
      expect(await f.committee.isMember(r + 1n, outsider.address)).to.equal(false);
      await f.committee.connect(outsider).stakeVerifier(1n);
      expect(await f.committee.isMember(r + 1n, outsider.address)).to.equal(true);
      // a higher minimum excludes v0 until it stakes more
      await f.committee.connect(admin).setMinVerifierStake(MIN_VERIFIER_STAKE + 1n);
      expect(await f.committee.isMember(r, v0.address)).to.equal(false);
      await expect(f.committee.connect(v0).attest(r, 0, 0, 9500)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeStakeTooLow");
      await f.committee.connect(v0).stakeVerifier(1n);
      expect(await f.committee.isMember(r, v0.address)).to.equal(true);
      await expect(f.committee.connect(v0).attest(r, 0, 0, 9500)).to.emit(f.committee, "Attested");
      // removal excludes at once
      await f.committee.connect(admin).setVerifier(v1.address, false);
      expect(await f.committee.isMember(r, v1.address)).to.equal(false);
      await expect(f.committee.connect(v1).attest(r, 0, 0, 9500)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("stakeVerifier", () => {
    it("adds to the verifier's stake, pulls the tokens into the committee and emits VerifierStaked (any account)", async () => {
      const { committee, pool, token, actors } = await loadFixture(deployPool);
      const [v0] = actors.verifiers;
      const tx = committee.connect(v0).stakeVerifier(5n * TOKEN);
      await expect(tx).to.emit(committee, "VerifierStaked").withArgs(v0.address, 5n * TOKEN, MIN_VERIFIER_STAKE + 5n * TOKEN);
      await expect(tx).to.changeTokenBalances(ethers, token, [v0, committee, pool], [-5n * TOKEN, 5n * TOKEN, 0n]);
      await expect(committee.connect(actors.outsider).stakeVerifier(1n))
        .to.emit(committee, "VerifierStaked")
        .withArgs(actors.outsider.address, 1n, 1n);
      const acc = await committee.verifierAccount(actors.outsider.address);
      expect([acc.stake, acc.active]).to.deep.equal([1n, false]);
    });
    it("pulls through the committee's allowance: one given to the pool does not do", async () => {
      const { committee, token, actors, committeeAddress, poolAddress } = await loadFixture(deployPool);
      const { outsider } = actors;
      await token.connect(outsider).approve(committeeAddress, 0n);
      expect(await token.allowance(outsider.address, poolAddress)).to.equal(ethers.MaxUint256);
      await expect(committee.connect(outsider).stakeVerifier(1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(committeeAddress, 0n, 1n);
    });
    it("reverts VerifierCommitteeZeroAmount for 0", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.verifiers[0]).stakeVerifier(0n)).to.be.revertedWithCustomError(
        committee,
        "VerifierCommitteeZeroAmount",
      );
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("unstakeVerifier", () => {
    it("an active verifier withdraws down to minVerifierStake and no further", async () => {
      const { committee, token, actors } = await loadFixture(deployPool);
      const [v0] = actors.verifiers;
      await committee.connect(v0).stakeVerifier(30n);
      const tx = committee.connect(v0).unstakeVerifier(30n);
      await expect(tx).to.emit(committee, "VerifierUnstaked").withArgs(v0.address, 30n, MIN_VERIFIER_STAKE);
      await expect(tx).to.changeTokenBalances(ethers, token, [v0, committee], [30n, -30n]);
      await expect(committee.connect(v0).unstakeVerifier(1n))
        .to.be.revertedWithCustomError(committee, "VerifierCommitteeStakeTooLow")
        .withArgs(v0.address, MIN_VERIFIER_STAKE, MIN_VERIFIER_STAKE + 1n);
    });
    it("an inactive verifier withdraws everything", async () => {
      const { committee, token, actors } = await loadFixture(deployPool);
      const [v0] = actors.verifiers;
      await committee.connect(actors.admin).setVerifier(v0.address, false);
      await expect(committee.connect(v0).unstakeVerifier(MIN_VERIFIER_STAKE)).to.changeTokenBalances(
        ethers,
        token,
        [v0, committee],
        [MIN_VERIFIER_STAKE, -MIN_VERIFIER_STAKE],
      );
      expect((await committee.verifierAccount(v0.address)).stake).to.equal(0n);
      await expect(committee.connect(v0).unstakeVerifier(1n))
        .to.be.revertedWithCustomError(committee, "VerifierCommitteeStakeTooLow")
        .withArgs(v0.address, 0n, 1n);
    });
    it("reverts VerifierCommitteeZeroAmount for 0", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.verifiers[0]).unstakeVerifier(0n)).to.be.revertedWithCustomError(
        committee,
        "VerifierCommitteeZeroAmount",
      );
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("withdrawFees", () => {
    it("pays the credited fees, zeroes them and emits FeesWithdrawn", async () => {
      const f = await loadFixture(fxVerify);
      const [v0] = f.actors.verifiers;
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await f.committee.connect(v0).attest(f.roundId, 1, 0, 9700);
      expect((await f.committee.verifierAccount(v0.address)).fees).to.equal(2n * FEE);
      const tx = f.committee.connect(v0).withdrawFees();
      await expect(tx).to.emit(f.committee, "FeesWithdrawn").withArgs(v0.address, 2n * FEE);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [v0, f.committee, f.pool], [2n * FEE, -2n * FEE, 0n]);
      expect((await f.committee.verifierAccount(v0.address)).fees).to.equal(0n);
      await expect(f.committee.connect(v0).withdrawFees())
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNothingToWithdraw")
        .withArgs(v0.address);
    });
    it("reverts VerifierCommitteeNothingToWithdraw without fees", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.outsider).withdrawFees())
        .to.be.revertedWithCustomError(committee, "VerifierCommitteeNothingToWithdraw")
        .withArgs(actors.outsider.address);
    });
    it("pays slash shares too", async () => {
      const f = await loadFixture(fxVerify);
      const [v0, v1] = f.actors.verifiers;
      const v2 = f.actors.verifiers[2];
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await f.committee.connect(v0).attest(f.roundId, 1, 0, 9500);
      await f.committee.connect(v1).attest(f.roundId, 1, 0, 9500);
      await f.committee.connect(v2).attest(f.roundId, 1, 0, 9500); // 9700 claimed: fraud, 3 winners
      const expected = 2n * FEE + eachShare(3n);
      expect((await f.committee.verifierAccount(v0.address)).fees).to.equal(expected);
      await expect(f.committee.connect(v0).withdrawFees()).to.changeTokenBalances(ethers, f.token, [v0, f.committee], [expected, -expected]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("fundRound (the pool's openRound)", () => {
    it("reverts VerifierCommitteeOnlyPool for anyone but the pool, its admin included", async () => {
      const d = await loadFixture(deployPool);
      const { admin, outsider, verifiers } = d.actors;
      await openRound(d);
      for (const who of [outsider, admin, verifiers[0]]) {
        await expect(d.committee.connect(who).fundRound(1n, 10n ** 30n))
          .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeOnlyPool")
          .withArgs(who.address);
        await expect(d.committee.connect(who).fundRound(2n, 1n))
          .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeOnlyPool")
          .withArgs(who.address);
      }
      const fees = await d.committee.roundFees(1n);
      expect([fees.budget, fees.spent, fees.swept]).to.deep.equal([FEE_BUDGET, 0n, false]);
      expect((await d.committee.roundFees(2n)).budget).to.equal(0n);
    });

    it("records each round's budget from openRound, with FeeBudgetFunded (a zero budget included)", async () => {
      const d = await loadFixture(deployPool);
      const { masks, values } = partition(1);
      const tx1 = d.pool.connect(d.actors.admin).openRound(await roundParams({ feeBudget: 0n }), masks, values);
      await expect(tx1).to.emit(d.committee, "FeeBudgetFunded").withArgs(1n, 0n);
      await expect(tx1).to.changeTokenBalances(ethers, d.token, [d.committee], [0n]);
      const { roundId } = await openRound(d, { feeBudget: 7n * FEE });
      expect(roundId).to.equal(2n);
      expect((await d.committee.roundFees(1n)).budget).to.equal(0n);
      expect((await d.committee.roundFees(2n)).budget).to.equal(7n * FEE);
      expect(await holdings(d)).to.deep.equal(await liabilities(d, accounts(d)));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("the pool's committee-only functions", () => {
    it("onChallenge, beginVerification and onVerdict revert PoNASPoolNotCommittee for anyone but the committee", async () => {
      const f = await loadFixture(fxVerify);
      const { admin, outsider, miners } = f.actors;
      const [v0] = f.actors.verifiers;
      for (const who of [outsider, admin, v0, miners[0]]) {
        await expect(f.pool.connect(who).onChallenge(f.roundId, 0, 0, who.address))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotCommittee")
          .withArgs(who.address);
        await expect(f.pool.connect(who).beginVerification(f.roundId, 0, 0))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotCommittee")
          .withArgs(who.address);
        // a verdict of 0 would slash m0's claim of 9500
        await expect(f.pool.connect(who).onVerdict(f.roundId, 0, 0, 0, 1))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotCommittee")
          .withArgs(who.address);
      }
      // nothing changed: no flag, no seed, no slash
      const sub = await f.pool.getSubmission(f.roundId, 0, 0);
      expect([sub.flags, sub.finalBps]).to.deep.equal([0n, 0n]);
      expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
      expect((await f.pool.minerAccount(miners[0].address)).balance).to.equal(MINER_STAKE);
      // through the committee the same steps work
      await expect(f.committee.connect(v0).challenge(f.roundId, 0, 0)).to.emit(f.pool, "Challenged").withArgs(f.roundId, 0n, 0n, v0.address);
      // the first attest (m0's claim is top-K, sampled while the seed is pending) requests the seed
      const tx = f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await expect(tx).to.emit(f.committee, "Attested");
      const target = BigInt((await (await tx).wait())!.blockNumber) + RANDOMNESS_DELAY;
      await expect(tx).to.emit(f.randomness, "RandomnessRequested").withArgs(f.poolAddress, f.roundId, target);
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(true);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("challenge (membership)", () => {
    it("reverts VerifierCommitteeNotVerifier and VerifierCommitteeStakeTooLow for callers outside the staked committee, before the pool is asked", async () => {
      const f = await loadFixture(fxVerify);
      const [v0] = f.actors.verifiers;
      await expect(f.committee.connect(f.actors.outsider).challenge(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier")
        .withArgs(f.actors.outsider.address);
      // membership is checked first: an outsider gets NotVerifier even for an unknown round
      await expect(f.committee.connect(f.actors.outsider).challenge(99n, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier")
        .withArgs(f.actors.outsider.address);
      await f.committee.connect(f.actors.admin).setMinVerifierStake(MIN_VERIFIER_STAKE + 1n);
      await expect(f.committee.connect(v0).challenge(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeStakeTooLow")
        .withArgs(v0.address, MIN_VERIFIER_STAKE, MIN_VERIFIER_STAKE + 1n);
      await f.committee.connect(f.actors.admin).setVerifier(v0.address, false);
      await expect(f.committee.connect(v0).challenge(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier")
        .withArgs(v0.address);
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).flags).to.equal(0n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("attest", () => {
    it("records the attestation, credits verifierFee from the round's budget (no transfer) and emits Attested", async () => {
      const f = await loadFixture(fxVerify);
      const [v0] = f.actors.verifiers;
      const tx = f.committee.connect(v0).attest(f.roundId, 0, 0, 9480);
      await expect(tx).to.emit(f.committee, "Attested").withArgs(f.roundId, 0n, 0n, v0.address, 9480n, FEE);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [v0, f.committee, f.pool], [0n, 0n, 0n]);
      const a = await f.committee.getAttestations(f.roundId, 0, 0);
      expect([a.verifiers, a.scores, a.fees]).to.deep.equal([[v0.address], [9480n], [FEE]]);
      expect((await f.committee.verifierAccount(v0.address)).fees).to.equal(FEE);
      const fees = await f.committee.roundFees(f.roundId);
      expect([fees.budget, fees.spent, fees.swept]).to.deep.equal([FEE_BUDGET, FEE, false]);
      // attestations of one submission do not show on another
      expect((await f.committee.getAttestations(f.roundId, 1, 0)).verifiers).to.deep.equal([]);
    });

    it("getAttestations returns every attestation in arrival order: verifiers, scores and the fees credited", async () => {
      const d = await loadFixture(deployPool);
      const [v0, v1, v2] = d.actors.verifiers;
      const { roundId } = await singleClaim(d, { quorum: 3, feeBudget: FEE + FEE / 2n }, 9500, "ga");
      await d.committee.connect(v1).attest(roundId, 0, 0, 8000); // FEE
      await d.committee.connect(v0).attest(roundId, 0, 0, 9500); // FEE / 2: what is left
      const tx = d.committee.connect(v2).attest(roundId, 0, 0, 9490); // 0; the quorum: median 9490
      await expect(tx).to.emit(d.committee, "FeeClawedBack").withArgs(roundId, 0n, 0n, v1.address, FEE);
      const a = await d.committee.getAttestations(roundId, 0, 0);
      expect(a.verifiers).to.deep.equal([v1.address, v0.address, v2.address]);
      expect(a.scores).to.deep.equal([8000n, 9500n, 9490n]);
      // the fees as credited when attesting (a clawback does not rewrite them)
      expect(a.fees).to.deep.equal([FEE, FEE / 2n, 0n]);
      expect((await d.committee.roundFees(roundId)).spent).to.equal(FEE / 2n);
      // the full result as a tuple too
      expect(await d.committee.getAttestations(roundId, 0, 0)).to.deep.equal([
        [v1.address, v0.address, v2.address],
        [8000n, 9500n, 9490n],
        [FEE, FEE / 2n, 0n],
      ]);
    });

    it("a quorum of MAX_QUORUM (9) fills every entry: getAttestations returns all nine, and a tenth attestation is refused", async () => {
      const d = await loadFixture(deployPool);
      const { admin } = d.actors;
      // six more verifiers (signers the fixture leaves unused), enrolled before the round opens
      const extra = (await ethers.getSigners()).slice(14, 20);
      expect(extra.length).to.equal(6);
      for (const v of extra) {
        await d.token.connect(admin).transfer(v.address, MIN_VERIFIER_STAKE);
        await d.token.connect(v).approve(d.committeeAddress, MIN_VERIFIER_STAKE);
        await d.committee.connect(admin).setVerifier(v.address, true);
        await d.committee.connect(v).stakeVerifier(MIN_VERIFIER_STAKE);
      }
      const nine = [...d.actors.verifiers, ...extra];
      const tenth = d.actors.outsider; // holds tokens and approved the committee in the fixture
      await d.committee.connect(admin).setVerifier(tenth.address, true);
      await d.committee.connect(tenth).stakeVerifier(MIN_VERIFIER_STAKE);
      const { roundId } = await singleClaim(d, { quorum: 9 }, 9500, "q9");
      for (const [i, v] of nine.entries()) {
        const tx = d.committee.connect(v).attest(roundId, 0, 0, 9490 + i);
        if (i < 8) await expect(tx).not.to.emit(d.pool, "Verified");
        // the median of 9490..9498 is 9494; the claim 9500 is 6 above it: paid on 9494 − 6
        else await expect(tx).to.emit(d.pool, "Verified").withArgs(roundId, 0n, 0n, 9494n, false, verifiedPerf(9500, 9494), verifiedPerf(9500, 9494));
      }
      const a = await d.committee.getAttestations(roundId, 0, 0);
      expect(a.verifiers).to.deep.equal(nine.map((v) => v.address));
      expect(a.scores).to.deep.equal(nine.map((_, i) => BigInt(9490 + i)));
      expect(a.fees).to.deep.equal(nine.map(() => FEE));
      expect((await d.committee.roundFees(roundId)).spent).to.equal(9n * FEE);
      // a tenth member of the round's committee is refused by the pool: the submission is verified
      expect(await d.committee.isMember(roundId, tenth.address)).to.equal(true);
      await expect(d.committee.connect(tenth).attest(roundId, 0, 0, 9500))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolAlreadyFinal")
        .withArgs(roundId, 0n, 0n);
      await expect(d.committee.connect(nine[0]).attest(roundId, 0, 0, 9500))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolAlreadyFinal")
        .withArgs(roundId, 0n, 0n);
    });

    it("pays what is left of the fee budget, then nothing", async () => {
      const d = await loadFixture(deployPool);
      const [v0, v1, v2] = d.actors.verifiers;
      const budget = FEE + FEE / 2n;
      const { roundId } = await singleClaim(d, { quorum: 3, feeBudget: budget }, 9500, "fb");
      await expect(d.committee.connect(v0).attest(roundId, 0, 0, 9500)).to.emit(d.committee, "Attested").withArgs(roundId, 0n, 0n, v0.address, 9500n, FEE);
      await expect(d.committee.connect(v1).attest(roundId, 0, 0, 9500))
        .to.emit(d.committee, "Attested")
        .withArgs(roundId, 0n, 0n, v1.address, 9500n, FEE / 2n);
      await expect(d.committee.connect(v2).attest(roundId, 0, 0, 9500)).to.emit(d.committee, "Attested").withArgs(roundId, 0n, 0n, v2.address, 9500n, 0n);
      expect((await d.committee.roundFees(roundId)).spent).to.equal(budget);
      expect((await d.committee.verifierAccount(v2.address)).fees).to.equal(0n);
    });

    it("reverts VerifierCommitteeAlreadyAttested when a verifier attests twice", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0] = f.actors.verifiers;
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await expect(f.committee.connect(v0).attest(f.roundId, 0, 0, 9400))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeAlreadyAttested")
        .withArgs(f.roundId, 0n, 0n, v0.address);
      expect((await f.committee.getAttestations(f.roundId, 0, 0)).scores).to.deep.equal([9500n]);
    });

    it("reverts VerifierCommitteeScoreOutOfRange above 10000; 10000 is accepted", async () => {
      const f = await loadFixture(fxVerify);
      const [v0] = f.actors.verifiers;
      await expect(f.committee.connect(v0).attest(f.roundId, 0, 0, 10001))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeScoreOutOfRange")
        .withArgs(10001n);
      await expect(f.committee.connect(v0).attest(f.roundId, 0, 0, 10000))
        .to.emit(f.committee, "Attested")
        .withArgs(f.roundId, 0n, 0n, v0.address, 10000n, FEE);
    });

    it("reverts VerifierCommitteeNotVerifier, VerifierCommitteeStakeTooLow and VerifierCommitteeNotInCommittee outside the round's staked committee", async () => {
      const f = await loadFixture(fxVerify);
      const [v0, v1] = f.actors.verifiers;
      await expect(f.committee.connect(f.actors.miners[0]).attest(f.roundId, 0, 0, 9500))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier")
        .withArgs(f.actors.miners[0].address);
      await f.committee.connect(f.actors.admin).setVerifier(v1.address, false);
      await expect(f.committee.connect(v1).attest(f.roundId, 0, 0, 9500))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier")
        .withArgs(v1.address);
      await f.committee.connect(f.actors.admin).setMinVerifierStake(200n * TOKEN);
      await expect(f.committee.connect(v0).attest(f.roundId, 0, 0, 9500))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeStakeTooLow")
        .withArgs(v0.address, MIN_VERIFIER_STAKE, 200n * TOKEN);
      // round 0 was never in anyone's committee (first rounds start at 1)
      await f.committee.connect(v0).stakeVerifier(100n * TOKEN);
      await expect(f.committee.connect(v0).attest(0n, 0, 0, 9500))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInCommittee")
        .withArgs(0n, v0.address, 1n);
      await expect(f.committee.connect(v0).attest(f.roundId, 0, 0, 9500)).to.emit(f.committee, "Attested");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("fee clawback", () => {
    it("claws back the fee of an attestation off the median by more than the tolerance, from fees then stake", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1, v2] = f.actors.verifiers;
      // v2 attests far off and withdraws its fee before the quorum
      await f.committee.connect(v2).attest(f.roundId, 0, 0, 8000);
      await f.committee.connect(v2).withdrawFees();
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      const tx = f.committee.connect(v1).attest(f.roundId, 0, 0, 9490);
      // median of (8000, 9500, 9490) = 9490; 8000 is 1490 off; the claim 9500 is paid on 9490 − 10
      await expect(tx).to.emit(f.committee, "FeeClawedBack").withArgs(f.roundId, 0n, 0n, v2.address, FEE);
      expect(verifiedPerf(9500, 9490)).to.equal(480n);
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9490n, false, verifiedPerf(9500, 9490), verifiedPerf(9500, 9490));
      // the stake is already in the committee: a clawback moves no tokens
      await expect(tx).to.changeTokenBalances(ethers, f.token, [v2, f.committee, f.pool], [0n, 0n, 0n]);
      const acc = await f.committee.verifierAccount(v2.address);
      expect([acc.fees, acc.stake]).to.deep.equal([0n, MIN_VERIFIER_STAKE - FEE]);
      // the clawed-back fee returns to the round's budget
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(2n * FEE);
      // below minVerifierStake it can no longer attest or challenge
      expect(await f.committee.isMember(f.roundId, v2.address)).to.equal(false);
      await expect(f.committee.connect(v2).challenge(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeStakeTooLow")
        .withArgs(v2.address, MIN_VERIFIER_STAKE - FEE, MIN_VERIFIER_STAKE);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("clawback from unwithdrawn fees; an off attestation earns no slash share", async () => {
      const f = await loadFixture(fxQuorum3Fraud);
      const [m0] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await f.committee.connect(v1).attest(f.roundId, 0, 0, 9520);
      const tx = f.committee.connect(v2).attest(f.roundId, 0, 0, 9900); // colludes with the miner
      // median 9520: fraud; v2 is 380 off: fee clawed back, excluded from the slash share
      const each = eachShare(2n);
      await expect(tx).to.emit(f.committee, "FeeClawedBack").withArgs(f.roundId, 0n, 0n, v2.address, FEE);
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 0n, 0n, m0.address, MIN_STAKE, 2n * each, MIN_STAKE - 2n * each);
      const credited = await eventsOf(f.committee, tx, "SlashShareCredited");
      expect(credited.map((e) => [e.verifier, e.amount])).to.deep.equal([
        [v0.address, each],
        [v1.address, each],
      ]);
      expect((await f.committee.verifierAccount(v2.address)).fees).to.equal(0n);
      expect((await f.committee.verifierAccount(v2.address)).stake).to.equal(MIN_VERIFIER_STAKE);
      expect((await f.committee.verifierAccount(v1.address)).fees).to.equal(FEE + each);
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(2n * FEE);
    });

    it("recovers at most what the verifier still holds: the fee escapes beyond its fees and stake", async () => {
      const d = await loadFixture(deployPool);
      const { admin, outsider } = d.actors;
      const [v0, v1] = d.actors.verifiers;
      // a verifier with a stake below one fee (the admin allows it)
      await d.committee.connect(admin).setMinVerifierStake(FEE / 4n);
      await d.committee.connect(admin).setVerifier(outsider.address, true);
      await d.committee.connect(outsider).stakeVerifier(FEE / 4n);
      const { roundId } = await singleClaim(d, { quorum: 3 }, 9500, "cap");
      await d.committee.connect(outsider).attest(roundId, 0, 0, 8000);
      await d.committee.connect(outsider).withdrawFees();
      await d.committee.connect(v0).attest(roundId, 0, 0, 9500);
      const tx = d.committee.connect(v1).attest(roundId, 0, 0, 9500);
      await expect(tx).to.emit(d.committee, "FeeClawedBack").withArgs(roundId, 0n, 0n, outsider.address, FEE / 4n);
      const acc = await d.committee.verifierAccount(outsider.address);
      expect([acc.fees, acc.stake]).to.deep.equal([0n, 0n]);
      expect((await d.committee.roundFees(roundId)).spent).to.equal(3n * FEE - FEE / 4n);
      expect(await holdings(d)).to.deep.equal(await liabilities(d, accounts(d)));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("slash shares", () => {
    it("credits each winning verifier its share (SlashShareCredited); the pool transfers exactly Slashed.toVerifiers to the committee", async () => {
      const f = await loadFixture(fxQuorum3Fraud);
      const [m0] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await f.committee.connect(v1).attest(f.roundId, 0, 0, 9500);
      const tx = f.committee.connect(v2).attest(f.roundId, 0, 0, 9520); // median 9500: 9900 is fraud; all three within tolerance
      // 64 tokens do not split evenly in three: the remainder goes to the treasury
      const each = eachShare(3n);
      expect(each * 3n).to.not.equal((MIN_STAKE * SLASH_BPS) / BPS);
      const toVerifiers = each * 3n;
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 0n, 0n, m0.address, MIN_STAKE, toVerifiers, MIN_STAKE - toVerifiers);
      for (const v of [v0, v1, v2]) {
        await expect(tx).to.emit(f.committee, "SlashShareCredited").withArgs(f.roundId, 0n, 0n, v.address, each);
        expect((await f.committee.verifierAccount(v.address)).fees).to.equal(FEE + each);
      }
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.pool, f.committee], [-toVerifiers, toVerifiers]);
      // the shares credited add up to what arrived, read from the logs
      const slashed = (await (await tx).wait())!.logs
        .map((l) => (l.address.toLowerCase() === f.poolAddress.toLowerCase() ? f.pool.interface.parseLog(l) : null))
        .find((e) => e?.name === "Slashed")!;
      const credited = await eventsOf(f.committee, tx, "SlashShareCredited");
      expect(credited.length).to.equal(3);
      expect(credited.reduce((a, e) => a + (e.amount as bigint), 0n)).to.equal(slashed.args.toVerifiers);
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(MIN_STAKE - toVerifiers);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("no fraud, no shares: no SlashShareCredited and no tokens move to the committee", async () => {
      const f = await loadFixture(fxVerify);
      const [v0, v1, v2] = f.actors.verifiers;
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await f.committee.connect(v1).attest(f.roundId, 0, 0, 9450);
      const tx = f.committee.connect(v2).attest(f.roundId, 0, 0, 9480);
      // median 9480: the claim 9500 is within the tolerance, paid on 9480 − 20; ΣP keeps m1's unverified 9700
      const p0 = verifiedPerf(9500, 9480);
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9480n, false, p0, p0 + perf(9700));
      await expect(tx).not.to.emit(f.committee, "SlashShareCredited");
      await expect(tx).not.to.emit(f.pool, "Slashed");
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.pool, f.committee], [0n, 0n]);
      expect((await f.committee.verifierAccount(v2.address)).fees).to.equal(FEE);
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(0n);
    });

    it("with only the median's attester near the median it alone takes the verifiers' share, the rest goes to the treasury via sweep, and the others' fees are clawed back", async () => {
      // An odd quorum always has a winner (the attester of the median is 0 off it), so a fraud
      // verdict always pays slashBps of the stake to verifiers; the rest is forfeited to the treasury.
      const f = await loadFixture(fxVerify);
      const [, m1] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      await f.committee.connect(v0).attest(f.roundId, 1, 0, 9000);
      await f.committee.connect(v2).attest(f.roundId, 1, 0, 9400);
      // median of 9000, 9400 and 9800 = 9400: the claim 9700 is fraud, 9000 and 9800 are 400 off it
      const tx = f.committee.connect(v1).attest(f.roundId, 1, 0, 9800);
      const toVerifiers = eachShare(1n);
      expect(toVerifiers).to.equal(64n * TOKEN);
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 1n, 0n, m1.address, MIN_STAKE, toVerifiers, MIN_STAKE - toVerifiers);
      await expect(tx).to.emit(f.committee, "FeeClawedBack").withArgs(f.roundId, 1n, 0n, v0.address, FEE);
      await expect(tx).to.emit(f.committee, "FeeClawedBack").withArgs(f.roundId, 1n, 0n, v1.address, FEE);
      const credited = await eventsOf(f.committee, tx, "SlashShareCredited");
      expect(credited.map((e) => [e.verifier, e.amount])).to.deep.equal([[v2.address, toVerifiers]]);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.pool, f.committee], [-toVerifiers, toVerifiers]);
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(FEE); // only the winner keeps its fee
      expect((await f.committee.verifierAccount(v2.address)).fees).to.equal(FEE + toVerifiers);
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(MIN_STAKE - toVerifiers);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
      // the forfeited stake is not the pot's: once finalised, sweep sends exactly it to the treasury
      // (m0's sampled claim was left unverified and m1's P is 0: nobody is paid, nothing else is surplus
      // while m0's submission is unsettled)
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      const fin = f.pool.finalize(f.roundId);
      await expect(fin).to.emit(f.pool, "RoundFinalized").withArgs(f.roundId, REWARD, perf(9500));
      const sweep = f.pool.connect(f.actors.outsider).sweep(f.roundId);
      await expect(sweep).to.emit(f.pool, "Swept").withArgs(f.roundId, f.actors.treasury.address, MIN_STAKE - toVerifiers);
      await expect(sweep).to.changeTokenBalances(ethers, f.token, [f.actors.treasury, f.pool], [MIN_STAKE - toVerifiers, -(MIN_STAKE - toVerifiers)]);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("sweepFees", () => {
    it("reverts VerifierCommitteeVerifyWindowOpen until verifyEnd has passed", async () => {
      const d = await loadFixture(deployPool);
      const { roundId, params } = await openRound(d);
      await expect(d.committee.sweepFees(roundId))
        .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeVerifyWindowOpen")
        .withArgs(roundId, params.verifyEnd);
      await time.setNextBlockTimestamp(params.verifyEnd);
      await expect(d.committee.sweepFees(roundId))
        .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeVerifyWindowOpen")
        .withArgs(roundId, params.verifyEnd);
      await time.setNextBlockTimestamp(params.verifyEnd + 1n);
      await expect(d.committee.sweepFees(roundId)).to.emit(d.committee, "FeesSwept").withArgs(roundId, d.actors.treasury.address, FEE_BUDGET);
    });

    it("sends budget − spent, clawed-back fees included, to the pool's current treasury, once; anyone may call, no finalisation needed", async () => {
      const f = await loadFixture(fxQuorum3);
      const { admin, outsider, treasury, miners } = f.actors;
      const [v0, v1, v2] = f.actors.verifiers;
      await f.committee.connect(v2).attest(f.roundId, 0, 0, 8000);
      await f.committee.connect(v0).attest(f.roundId, 0, 0, 9500);
      await f.committee.connect(v1).attest(f.roundId, 0, 0, 9490); // v2's fee clawed back
      const spent = 2n * FEE;
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(spent);
      await f.pool.connect(admin).setTreasury(outsider.address);
      await after(f, f.roundId, "verify");
      const amount = FEE_BUDGET - spent;
      expect(await f.committee.connect(miners[5]).sweepFees.staticCall(f.roundId)).to.equal(amount);
      const tx = f.committee.connect(miners[5]).sweepFees(f.roundId);
      await expect(tx).to.emit(f.committee, "FeesSwept").withArgs(f.roundId, outsider.address, amount);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [outsider, treasury, f.committee, f.pool], [amount, 0n, -amount, 0n]);
      const fees = await f.committee.roundFees(f.roundId);
      expect([fees.budget, fees.spent, fees.swept]).to.deep.equal([FEE_BUDGET, spent, true]);
      expect((await f.pool.getRoundState(f.roundId)).finalized).to.equal(false);
      await expect(f.committee.sweepFees(f.roundId))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNothingToSweep")
        .withArgs(f.roundId);
      // the verifiers' fees were not swept
      await expect(f.committee.connect(v0).withdrawFees()).to.changeTokenBalances(ethers, f.token, [v0], [FEE]);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("reverts VerifierCommitteeNothingToSweep for no budget, a budget spent to the last wei, or a round never opened", async () => {
      const d = await loadFixture(deployPool);
      const [v0, v1] = d.actors.verifiers;
      const { roundId: r1 } = await openRound(d, { feeBudget: 0n });
      const { roundId: r2 } = await singleClaim(d, { feeBudget: 2n * FEE }, 9500, "spent");
      await d.committee.connect(v0).attest(r2, 0, 0, 9500);
      await d.committee.connect(v1).attest(r2, 0, 0, 9500);
      expect((await d.committee.roundFees(r2)).spent).to.equal(2n * FEE);
      await after(d, r2, "verify");
      for (const r of [r1, r2, 99n]) {
        await expect(d.committee.sweepFees(r)).to.be.revertedWithCustomError(d.committee, "VerifierCommitteeNothingToSweep").withArgs(r);
      }
    });

    it("sweeps only its own round: a later round's budget stays until its own window ends", async () => {
      const d = await loadFixture(deployPool);
      const { roundId: r1 } = await openRound(d);
      await after(d, r1, "reveal");
      const { roundId: r2, params: p2 } = await openRound(d, { feeBudget: 3n * FEE });
      await after(d, r1, "verify");
      await expect(d.committee.sweepFees(r1)).to.changeTokenBalances(ethers, d.token, [d.committee], [-FEE_BUDGET]);
      await expect(d.committee.sweepFees(r2))
        .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeVerifyWindowOpen")
        .withArgs(r2, p2.verifyEnd);
      expect(await d.token.balanceOf(d.committeeAddress)).to.equal(3n * MIN_VERIFIER_STAKE + 3n * FEE);
      expect(await holdings(d)).to.deep.equal(await liabilities(d, accounts(d)));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("solvency of the pool and its committee", () => {
    it("after a round with a slash and a clawback each contract holds exactly what it owes, at every step, down to zero", async () => {
      const d = await loadFixture(deployPool);
      const { admin } = d.actors;
      const [m0, m1] = d.actors.miners;
      const [v0, v1, v2] = d.actors.verifiers;
      const accts = accounts(d);
      const check = async (step: string) => expect(await holdings(d), step).to.deep.equal(await liabilities(d, accts));

      const { roundId } = await openRound(d, { quorum: 3 });
      await check("opened");
      for (const m of [m0, m1]) await d.pool.connect(m).stake(MINER_STAKE);
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m1).claim(roundId, 1);
      const r0 = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9900, salt: salt("s0") }); // false
      const r1 = await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: G[1], score: 9500, salt: salt("s1") }); // honest
      await after(d, roundId, "commit");
      await revealFor(d, m0, r0);
      await revealFor(d, m1, r1);
      await after(d, roundId, "reveal");
      await check("revealed");
      // task 0: fraud; v2 colludes and loses its fee (from its unwithdrawn fees), v0 and v1 share the slash
      await d.committee.connect(v0).attest(roundId, 0, 0, 9500);
      await d.committee.connect(v1).attest(roundId, 0, 0, 9520);
      const tx = d.committee.connect(v2).attest(roundId, 0, 0, 9900);
      await expect(tx).to.emit(d.pool, "Slashed");
      await expect(tx).to.emit(d.committee, "FeeClawedBack").withArgs(roundId, 0n, 0n, v2.address, FEE);
      await check("slashed and clawed back from fees");
      // task 1: v2 attests far off and withdraws its fee; the clawback takes it from its stake
      await d.committee.connect(v2).attest(roundId, 1, 0, 8000);
      await d.committee.connect(v2).withdrawFees();
      await check("fee withdrawn");
      await d.committee.connect(v0).attest(roundId, 1, 0, 9500);
      await expect(d.committee.connect(v1).attest(roundId, 1, 0, 9490)).to.emit(d.committee, "FeeClawedBack").withArgs(roundId, 1n, 0n, v2.address, FEE);
      await check("clawed back from stake");
      expect((await d.committee.verifierAccount(v2.address)).stake).to.equal(MIN_VERIFIER_STAKE - FEE);
      expect((await d.committee.roundFees(roundId)).spent).to.equal(4n * FEE);
      await after(d, roundId, "verify");
      await fixSeed(d, roundId);
      await d.pool.finalize(roundId);
      await check("finalized");
      await d.pool.withdraw(roundId, 0, 0);
      await d.pool.settle(roundId, 1, 0);
      await check("settled");
      // m1 holds all of ΣP, so it was paid the whole pot: no dust; the slashed stake (less the
      // verifiers' share) is the treasury's, and the sweep sends exactly it
      expect((await d.pool.getRoundState(roundId)).paid).to.equal(REWARD);
      const forfeited = MIN_STAKE - 2n * eachShare(2n);
      expect((await d.pool.getRoundState(roundId)).forfeited).to.equal(forfeited);
      await expect(d.pool.sweep(roundId)).to.emit(d.pool, "Swept").withArgs(roundId, d.actors.treasury.address, forfeited);
      await check("pool swept");
      await expect(d.pool.sweep(roundId)).to.be.revertedWithCustomError(d.pool, "PoNASPoolNothingToSweep");
      await expect(d.committee.sweepFees(roundId)).to.emit(d.committee, "FeesSwept").withArgs(roundId, d.actors.treasury.address, FEE_BUDGET - 4n * FEE);
      await check("swept");
      // everyone takes everything out: both contracts end empty
      for (const v of [v0, v1]) await d.committee.connect(v).withdrawFees();
      for (const v of [v0, v1, v2]) {
        await d.committee.connect(admin).setVerifier(v.address, false);
        const stake = (await d.committee.verifierAccount(v.address)).stake;
        await d.committee.connect(v).unstakeVerifier(stake);
      }
      for (const m of [m0, m1]) await d.pool.connect(m).unstake((await d.pool.minerAccount(m.address)).balance);
      await check("emptied");
      expect(await holdings(d)).to.deep.equal({ pool: 0n, committee: 0n });
    });
  });
});
