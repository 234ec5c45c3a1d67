// Function-by-function tests of VerifierCommittee, the pool's verifier committee, one describe per
// concern: enrolment (setVerifier, sinceRound, isMember), verifier stakes and fees, the penalty
// (setPenalty), the sealed attestations (attestationSeal, commitAttestation in the commit phase,
// revealAttestation in the reveal phase, decide after it: docs/verification-redesign.md, "Sealed
// attestations"), the judgement (the verdict, winners and slash shares, fees for proven work,
// penalties), the sweep of a round's unspent budget and penalties, getAttestations and
// isDecided, the solvency of the committee, the calls that link it to its pool, and the attack of
// issue 10 property 2 (a lazy verifier cannot copy another's result). What the pool does with a
// verdict (Verified, the sample, the windows) is tested in PoNASPool.functions.test.ts.
// Expected values are derived from the documented rules (NatSpec, the design note), never read
// back from the contracts.
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
  DEFAULT_TIMING,
  fixSeed,
  honestSeal,
  type Deployed,
  type Timing,
} from "./helpers/pool.js";
import {
  attestAll,
  byVerifiers,
  commitAttestations,
  commitSealed,
  drawnOf,
  escalate,
  phases,
  revealAttestation,
  revealAttestations,
  sealAttestation,
  toAttestDecide,
  toAttestReveals,
  toEscalation,
  toEscalationReveals,
  toFinalDecide,
  trueDigest,
  type Attestation,
  type Sealed,
} from "./helpers/attest.js";
import { paidScore } from "./helpers/rules.js";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import type { VerifierCommittee } from "../types/ethers-contracts/index.js";

const { loadFixture, time } = networkHelpers;

const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const MANAGER_ROLE = ethers.id("MANAGER_ROLE");
const MINER_STAKE = 1000n * TOKEN;
const ZERO = ethers.ZeroHash;
/** The penalty a committee starts with: a tenth of minVerifierStake (constructor NatSpec). */
const PENALTY = MIN_VERIFIER_STAKE / 10n;
/** Submission.flags bit of a claim found false (IPoNASPool.sol). */
const FRAUD = 4n;
const VERIFIED = 2n;
/** Attestation states (IVerifierCommittee.Attestation). */
const COMMITTED = 1n;
const REVEALED = 2n;

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
/** A weights digest no honest re-training yields (a guess, or a colluders' shared fake). */
const fake = (tag: string) => ethers.id(`fake-weights:${tag}`);
const perf = (score: bigint | number) => (BigInt(score) > BASELINE ? BigInt(score) - BASELINE : 0n);
/** P of a verified, non-fraud claim by the documented rule (RewardMath.paidScore, test/helpers/rules.ts). */
const verifiedPerf = (claimed: number | bigint, median: number | bigint, sampleBps = SAMPLE_BPS) => perf(paidScore(claimed, median, sampleBps));
/** The slash share of each of `winners` verifiers, by the documented rule: minStake·slashBps/BPS split evenly. */
const eachShare = (winners: bigint) => (MIN_STAKE * SLASH_BPS) / BPS / winners;

/** attestationSeal's documented formula: keccak256(abi.encode(chainid, committee, r, t, s, verifier, scoreBps, weightsDigest, salt)). */
function sealFormula(chainId: bigint, committee: string, r: bigint, t: number, s: number, verifier: string, score: number, digest: string, saltValue: string) {
  const types = ["uint256", "address", "uint256", "uint256", "uint256", "address", "uint16", "bytes32", "bytes32"];
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(types, [chainId, committee, r, t, s, verifier, score, digest, saltValue]));
}

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

/** Every `name` event of the committee so far (all transactions), in log order. */
async function committeeLogs(d: Deployed, name: string) {
  const logs = await ethers.provider.getLogs({ address: d.committeeAddress, fromBlock: 0, toBlock: "latest" });
  return logs
    .map((l) => d.committee.interface.parseLog(l))
    .filter((e) => e !== null && e.name === name)
    .map((e) => e!.args);
}

/** A submission's attestations as plain [verifier, scoreBps, state, seal] rows. */
async function rows(d: Deployed, r: bigint, t: number, s: number) {
  return (await d.committee.getAttestations(r, t, s)).map((a) => [a.verifier, a.scoreBps, a.state, a.seal]);
}

/**
 * Seals `list` in the commit phase, moves into the reveal phase and opens every seal but the last;
 * returns the last reveal, which judges the submission when every committer has revealed.
 */
async function lastReveal(d: Deployed, roundId: bigint, list: Attestation[]) {
  const sealed = await commitAttestations(d, roundId, list);
  await toAttestReveals(d, roundId);
  await revealAttestations(d, sealed.slice(0, -1));
  return revealAttestation(d, sealed[sealed.length - 1]);
}

/** Every account that can hold a stake or fees in the fixture. */
function accounts(d: Deployed) {
  return [...d.actors.miners, ...d.actors.verifiers, d.actors.outsider].map((x) => x.address);
}

/** A verifier's stake and unwithdrawn fees, as a plain object. */
async function stakeAndFees(d: Deployed, who: string) {
  const v = await d.committee.verifierAccount(who);
  return { stake: v.stake, fees: v.fees };
}

/** A verifier's tokens wherever they are: its wallet, plus its stake and unwithdrawn fees in the committee. */
async function tokensOf(d: Deployed, who: string) {
  const v = await d.committee.verifierAccount(who);
  return (await d.token.balanceOf(who)) + v.stake + v.fees;
}

/** Enrols and stakes `signers` as verifiers (the admin funds them). */
async function enrol(d: Deployed, signers: HardhatEthersSigner[]) {
  const { admin } = d.actors;
  for (const v of signers) {
    if ((await d.token.balanceOf(v.address)) < MIN_VERIFIER_STAKE) await d.token.connect(admin).transfer(v.address, MIN_VERIFIER_STAKE);
    await d.token.connect(v).approve(d.committeeAddress, ethers.MaxUint256);
    await d.committee.connect(admin).setVerifier(v.address, true);
    await d.committee.connect(v).stakeVerifier(MIN_VERIFIER_STAKE);
  }
}

// =============================================================================================
// Fixtures
// =============================================================================================

/**
 * A default round (quorum 3: all three verifiers, topK 3): m0 revealed G[0] at 9500 on task 0 and m1 G[1] at 9700 on
 * task 1 (both in the top-K, so sampled); m2 claimed task 2 and never revealed. Past the reveal window: in the commit phase.
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

/** fxVerify with the round's sample seed fixed (commits are refused while it is pending). */
async function fxVerifySeeded() {
  const f = await fxVerify();
  await fixSeed(f, f.roundId);
  return f;
}

/** Opens a round with `overrides` in which m0 alone claims task 0 and reveals `score`; returns inside the reveal window. */
async function claimRevealed(d: Deployed, overrides: Record<string, unknown>, score: number, tag: string, timing: Timing = DEFAULT_TIMING, sealedDigest?: string) {
  const [m0] = d.actors.miners;
  const { roundId, params } = await openRound(d, overrides, partition(1), timing);
  if ((await d.pool.minerAccount(m0.address)).balance === 0n) await d.pool.connect(m0).stake(MINER_STAKE);
  await d.pool.connect(m0).claim(roundId, 0);
  const r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score, salt: salt(tag) });
  await after(d, roundId, "commit");
  // the seal of `sealedDigest` (default the true digest: m0 trained what it claims)
  await revealFor(d, m0, { ...r, seal: await honestSeal(d.pool, m0, roundId, 0, 0, sealedDigest) });
  return { roundId, params };
}

/** claimRevealed, then past the reveal window (in the commit phase of the attestations). */
async function singleClaim(d: Deployed, overrides: Record<string, unknown>, score: number, tag: string, sealedDigest?: string) {
  const out = await claimRevealed(d, overrides, score, tag, DEFAULT_TIMING, sealedDigest);
  await after(d, out.roundId, "reveal");
  await fixSeed(d, out.roundId); // commits wait for the seed
  return out;
}

/** Quorum 3, m0 claims 9500 on task 0: in the commit phase, nobody attested yet. */
async function fxQuorum3() {
  const d = await deployPool();
  return { ...d, ...(await singleClaim(d, { quorum: 3 }, 9500, "q3")) };
}

/** Quorum 3, m0 claims 9900 on task 0 (a false claim when verifiers measure ~9500). */
async function fxQuorum3Fraud() {
  const d = await deployPool();
  return { ...d, ...(await singleClaim(d, { quorum: 3 }, 9900, "q3f")) };
}

/** The fixture's three verifiers and six more (the signers it leaves unused), plus the outsider as a tenth member. */
async function deployNine() {
  const d = await deployPool();
  const extra = (await ethers.getSigners()).slice(14, 20);
  expect(extra.length).to.equal(6);
  await enrol(d, [...extra, d.actors.outsider]);
  return { ...d, nine: [...d.actors.verifiers, ...extra], tenth: d.actors.outsider };
}

/** Nine verifiers (and a tenth member), quorum 3, m0 claims 9500 on task 0: in the commit phase. */
async function fxNine() {
  const d = await deployNine();
  return { ...d, ...(await singleClaim(d, { quorum: 3 }, 9500, "n3")) };
}

/** Nine verifiers, quorum 3, m0 claims 9900 on task 0 (false). */
async function fxNineFraud() {
  const d = await deployNine();
  return { ...d, ...(await singleClaim(d, { quorum: 3 }, 9900, "n3f")) };
}

/** A verify window of 1001 s (the phases round down); m0 revealed 9500 on task 0 and m1 9700 on task 1; still inside the reveal window. */
async function fxPhases() {
  const d = await deployPool();
  const { roundId, params } = await openRound(d, {}, partition(1), { commit: 3600, reveal: 3600, verify: 1001 });
  const [m0, m1] = d.actors.miners;
  for (const m of [m0, m1]) await d.pool.connect(m).stake(MINER_STAKE);
  await d.pool.connect(m0).claim(roundId, 0);
  await d.pool.connect(m1).claim(roundId, 1);
  const r0 = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("p0") });
  const r1 = await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: G[1], score: 9700, salt: salt("p1") });
  await after(d, roundId, "commit");
  await revealFor(d, m0, r0);
  await revealFor(d, m1, r1);
  return { ...d, roundId, params };
}

/**
 * The attack of issue 10 property 2: m0's honest claim of 9500 (re-training measures 9500); the
 * honest verifiers v0 and v1 have re-trained and sealed 9500 with the reference digest; v2, the
 * lazy one, has not committed yet. In the commit phase.
 */
async function fxAttack() {
  const d = await deployPool();
  const { roundId, params } = await singleClaim(d, { quorum: 3 }, 9500, "honest");
  const [v0, v1] = d.actors.verifiers;
  const honest = await commitAttestations(d, roundId, byVerifiers([v0, v1], 0, 0, [9500, 9500]));
  return { ...d, roundId, params, honest };
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
      // the pool's deployment emitted the committee's MinVerifierStakeSet and PenaltySet
      await expect(d.pool.deploymentTransaction()).to.emit(committee, "MinVerifierStakeSet").withArgs(MIN_VERIFIER_STAKE);
      await expect(d.pool.deploymentTransaction()).to.emit(committee, "PenaltySet").withArgs(PENALTY);
    });

    it("starts its penalty at a tenth of minVerifierStake, rounded down", async () => {
      const d = await loadFixture(deployPool);
      expect(await d.committee.penalty()).to.equal(MIN_VERIFIER_STAKE / 10n);
      const factory = await ethers.getContractFactory("VerifierCommittee");
      const c = await factory.deploy(await d.token.getAddress(), d.actors.admin.address, 29n);
      await expect(c.deploymentTransaction()).to.emit(c, "PenaltySet").withArgs(2n); // 29 / 10
      expect(await c.penalty()).to.equal(2n);
      const none = await factory.deploy(await d.token.getAddress(), d.actors.admin.address, 9n);
      expect(await none.penalty()).to.equal(0n);
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
    it("leaves the penalty as it is (setPenalty alone moves it)", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.admin).setMinVerifierStake(5n * TOKEN)).not.to.emit(committee, "PenaltySet");
      expect(await committee.penalty()).to.equal(PENALTY);
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
  describe("setPenalty", () => {
    it("sets the penalty anywhere from 0 up to minVerifierStake and emits PenaltySet", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      for (const amount of [0n, 1n, 37n * TOKEN, MIN_VERIFIER_STAKE]) {
        await expect(committee.connect(actors.admin).setPenalty(amount)).to.emit(committee, "PenaltySet").withArgs(amount);
        expect(await committee.penalty()).to.equal(amount);
      }
    });

    it("reverts VerifierCommitteePenaltyTooLarge above minVerifierStake (so a staked verifier can always pay it), against the current minimum", async () => {
      const { committee, actors } = await loadFixture(deployPool);
      await expect(committee.connect(actors.admin).setPenalty(MIN_VERIFIER_STAKE + 1n))
        .to.be.revertedWithCustomError(committee, "VerifierCommitteePenaltyTooLarge")
        .withArgs(MIN_VERIFIER_STAKE + 1n, MIN_VERIFIER_STAKE);
      await committee.connect(actors.admin).setMinVerifierStake(5n * TOKEN);
      await expect(committee.connect(actors.admin).setPenalty(PENALTY))
        .to.be.revertedWithCustomError(committee, "VerifierCommitteePenaltyTooLarge")
        .withArgs(PENALTY, 5n * TOKEN);
      await expect(committee.connect(actors.admin).setPenalty(5n * TOKEN)).to.emit(committee, "PenaltySet").withArgs(5n * TOKEN);
    });

    it("reverts for a non-admin (the pool's manager and a verifier included)", async () => {
      const { pool, committee, actors } = await loadFixture(deployPool);
      await pool.connect(actors.admin).grantRole(MANAGER_ROLE, actors.outsider.address);
      for (const who of [actors.outsider, actors.verifiers[0]]) {
        await expect(committee.connect(who).setPenalty(0n))
          .to.be.revertedWithCustomError(committee, "AccessControlUnauthorizedAccount")
          .withArgs(who.address, DEFAULT_ADMIN_ROLE);
      }
      expect(await committee.penalty()).to.equal(PENALTY);
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

    it("fixes a round's committee when it opens: a verifier enrolled later commits and challenges only rounds opened after it", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const { admin, outsider } = f.actors;
      await f.committee.connect(admin).setVerifier(outsider.address, true);
      await f.committee.connect(outsider).stakeVerifier(MIN_VERIFIER_STAKE);
      const since = f.roundId + 1n;
      expect((await f.committee.verifierAccount(outsider.address)).sinceRound).to.equal(since);
      await expect(f.committee.connect(outsider).commitAttestation(f.roundId, 0, 0, ethers.id("seal")))
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
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 0, 0, ethers.id("seal")))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInCommittee")
        .withArgs(f.roundId, v0.address, since);
      // a verifier of the round still commits
      await expect(f.committee.connect(f.actors.verifiers[1]).commitAttestation(f.roundId, 0, 0, ethers.id("seal"))).to.emit(
        f.committee,
        "AttestationCommitted",
      );
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
      const f = await loadFixture(fxVerifySeeded);
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
      await expect(f.committee.connect(v0).commitAttestation(r, 0, 0, ethers.id("seal"))).to.be.revertedWithCustomError(
        f.committee,
        "VerifierCommitteeStakeTooLow",
      );
      await f.committee.connect(v0).stakeVerifier(1n);
      expect(await f.committee.isMember(r, v0.address)).to.equal(true);
      await expect(f.committee.connect(v0).commitAttestation(r, 0, 0, ethers.id("seal"))).to.emit(f.committee, "AttestationCommitted");
      // removal excludes at once
      await f.committee.connect(admin).setVerifier(v1.address, false);
      expect(await f.committee.isMember(r, v1.address)).to.equal(false);
      await expect(f.committee.connect(v1).commitAttestation(r, 0, 0, ethers.id("seal"))).to.be.revertedWithCustomError(
        f.committee,
        "VerifierCommitteeNotVerifier",
      );
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
      const f = await loadFixture(fxVerifySeeded);
      const [v0] = f.actors.verifiers;
      // both submissions verified at their claims; every attestation proves the agreed digest: one fee each
      await attestAll(f, f.roundId, [...byVerifiers(f.actors.verifiers, 0, 0, [9500, 9500, 9500]), ...byVerifiers(f.actors.verifiers, 1, 0, [9700, 9700, 9700])]);
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
      const f = await loadFixture(fxVerifySeeded);
      const [v0] = f.actors.verifiers;
      // task 0 verified at its claim; task 1 claimed 9700, verified at 9500: fraud, three winners
      await attestAll(f, f.roundId, [...byVerifiers(f.actors.verifiers, 0, 0, [9500, 9500, 9500]), ...byVerifiers(f.actors.verifiers, 1, 0, [9500, 9500, 9500])]);
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
      expect([fees.budget, fees.spent, fees.penalties, fees.swept]).to.deep.equal([FEE_BUDGET, 0n, 0n, false]);
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
        await expect(f.pool.connect(who).onVerdict(f.roundId, 0, 0, 0, 1, ethers.ZeroHash))
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
      // a commit while the seed is pending is refused (nobody is drawn yet), and its request is
      // undone with it; fixSampleSeed requests and fixes the seed, and then the commit goes in
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 0, 0, ethers.id("seal"))).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSeedPending");
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false);
      await fixSeed(f, f.roundId);
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(true);
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 0, 0, ethers.id("seal"))).to.emit(f.committee, "AttestationCommitted");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("challenge (membership)", () => {
    it("reverts VerifierCommitteeNotVerifier and VerifierCommitteeStakeTooLow for callers outside the staked committee, before the pool is asked", async () => {
      const f = await loadFixture(fxVerifySeeded);
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
  describe("the seal (attestationSeal)", () => {
    it("is keccak256(abi.encode(chainid, committee, roundId, task, slot, verifier, scoreBps, weightsDigest, salt))", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const chainId = (await ethers.provider.getNetwork()).chainId;
      const [v0, v1] = f.actors.verifiers;
      const cases: [bigint, number, number, string, number, string, string][] = [
        [f.roundId, 0, 0, v0.address, 9500, trueDigest(f.roundId, 0, 0), salt("a")],
        [7n, 11, 3, v1.address, 0, ZERO, ZERO], // a cross-backend re-training, an empty salt
        [f.roundId, 1, 0, f.actors.outsider.address, 10000, fake("x"), salt("b")],
        [2n ** 64n, 2 ** 31, 255, v0.address, 65535, ethers.toBeHex(ethers.MaxUint256, 32), salt("c")], // the largest uint16 and bytes32
      ];
      for (const c of cases) {
        expect(await f.committee.attestationSeal(...c)).to.equal(sealFormula(chainId, f.committeeAddress, ...c));
      }
      // each field is bound: changing any one of them changes the seal
      const base = cases[0];
      const seal = await f.committee.attestationSeal(...base);
      const variants: typeof base[] = [
        [base[0] + 1n, base[1], base[2], base[3], base[4], base[5], base[6]],
        [base[0], base[1] + 1, base[2], base[3], base[4], base[5], base[6]],
        [base[0], base[1], base[2] + 1, base[3], base[4], base[5], base[6]],
        [base[0], base[1], base[2], v1.address, base[4], base[5], base[6]],
        [base[0], base[1], base[2], base[3], base[4] + 1, base[5], base[6]],
        [base[0], base[1], base[2], base[3], base[4], ZERO, base[6]],
        [base[0], base[1], base[2], base[3], base[4], base[5], salt("other")],
      ];
      const seen = new Set([seal]);
      for (const v of variants) seen.add(await f.committee.attestationSeal(...v));
      expect(seen.size).to.equal(variants.length + 1);
      // another chain (the first word) seals the same attestation differently
      expect(sealFormula(chainId + 1n, f.committeeAddress, ...base)).to.not.equal(seal);
      // another pool's committee (the second word) too
      const other = await ethers.deployContract("PoNASPool", [
        await f.token.getAddress(),
        f.actors.admin.address,
        f.actors.treasury.address,
        MIN_VERIFIER_STAKE,
        await f.randomness.getAddress(),
      ]);
      const otherCommittee = (await ethers.getContractAt("VerifierCommittee", await other.committee())) as unknown as VerifierCommittee;
      const otherSeal = await otherCommittee.attestationSeal(...base);
      expect(otherSeal).to.equal(sealFormula(chainId, await otherCommittee.getAddress(), ...base));
      expect(otherSeal).to.not.equal(seal);
    });

    it("opens only to what it sealed: another score, digest, salt, verifier or submission reverts VerifierCommitteeSealMismatch", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const [v0, v1, v2] = f.actors.verifiers;
      const r = f.roundId;
      const s0 = await sealAttestation(f, r, { verifier: v0, task: 0, slot: 0, score: 9500, salt: salt("s0") });
      await commitSealed(f, s0);
      // v1 commits a verbatim copy of v0's seal; v2 commits on task 0 a seal it made for task 1
      await f.committee.connect(v1).commitAttestation(r, 0, 0, s0.seal);
      const forTask1 = await sealAttestation(f, r, { verifier: v2, task: 1, slot: 0, score: 9500, digest: trueDigest(r, 0, 0), salt: salt("s2") });
      await f.committee.connect(v2).commitAttestation(r, 0, 0, forTask1.seal);
      await toAttestReveals(f, r);
      const wrong: [HardhatEthersSigner, number, string, string][] = [
        [v0, 9501, s0.digest, s0.salt], // another score
        [v0, 9499, s0.digest, s0.salt],
        [v0, 9500, ZERO, s0.salt], // another digest: the cross-backend 0
        [v0, 9500, fake("other"), s0.salt],
        [v0, 9500, s0.digest, salt("other")], // another salt
        [v1, 9500, s0.digest, s0.salt], // another verifier: the copier, with the author's own opening
        [v2, 9500, trueDigest(r, 0, 0), salt("s2")], // a seal made for another submission
      ];
      for (const [v, score, digest, saltValue] of wrong) {
        await expect(f.committee.connect(v).revealAttestation(r, 0, 0, score, digest, saltValue))
          .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSealMismatch")
          .withArgs(r, 0n, 0n, v.address);
      }
      // nothing was opened
      expect(await rows(f, r, 0, 0)).to.deep.equal([
        [v0.address, 0n, COMMITTED, s0.seal],
        [v1.address, 0n, COMMITTED, s0.seal],
        [v2.address, 0n, COMMITTED, forTask1.seal],
      ]);
      // the author's exact opening works
      await expect(revealAttestation(f, s0)).to.emit(f.committee, "Attested").withArgs(r, 0n, 0n, v0.address, 9500n, s0.digest);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("commitAttestation", () => {
    it("records the seal (state 1, no score), emits AttestationCommitted, pays nothing and moves no tokens", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const [v0] = f.actors.verifiers;
      const s = await sealAttestation(f, f.roundId, { verifier: v0, task: 0, slot: 0, score: 9480 });
      const tx = commitSealed(f, s);
      await expect(tx).to.emit(f.committee, "AttestationCommitted").withArgs(f.roundId, 0n, 0n, v0.address, s.seal, false);
      await expect(tx).not.to.emit(f.committee, "FeePaid");
      await expect(tx).not.to.emit(f.committee, "Attested");
      await expect(tx).to.changeTokenBalances(ethers, f.token, [v0, f.committee, f.pool], [0n, 0n, 0n]);
      expect(await rows(f, f.roundId, 0, 0)).to.deep.equal([[v0.address, 0n, COMMITTED, s.seal]]);
      expect((await f.committee.verifierAccount(v0.address)).fees).to.equal(0n);
      const fees = await f.committee.roundFees(f.roundId);
      expect([fees.budget, fees.spent, fees.penalties, fees.swept]).to.deep.equal([FEE_BUDGET, 0n, 0n, false]);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      // attestations of one submission do not show on another
      expect(await f.committee.getAttestations(f.roundId, 1, 0)).to.deep.equal([]);
    });

    it("reverts VerifierCommitteeNotVerifier, VerifierCommitteeStakeTooLow and VerifierCommitteeNotInCommittee outside the round's staked committee", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const [v0, v1] = f.actors.verifiers;
      const seal = ethers.id("seal");
      await expect(f.committee.connect(f.actors.miners[0]).commitAttestation(f.roundId, 0, 0, seal))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier")
        .withArgs(f.actors.miners[0].address);
      await f.committee.connect(f.actors.admin).setVerifier(v1.address, false);
      await expect(f.committee.connect(v1).commitAttestation(f.roundId, 0, 0, seal))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotVerifier")
        .withArgs(v1.address);
      await f.committee.connect(f.actors.admin).setMinVerifierStake(200n * TOKEN);
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 0, 0, seal))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeStakeTooLow")
        .withArgs(v0.address, MIN_VERIFIER_STAKE, 200n * TOKEN);
      // round 0 was never in anyone's committee (first rounds start at 1)
      await f.committee.connect(v0).stakeVerifier(100n * TOKEN);
      await expect(f.committee.connect(v0).commitAttestation(0n, 0, 0, seal))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInCommittee")
        .withArgs(0n, v0.address, 1n);
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 0, 0, seal)).to.emit(f.committee, "AttestationCommitted");
    });

    it("one commit per verifier and submission: a second reverts VerifierCommitteeAlreadyAttested, whatever its seal; another submission is another commit", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const [v0] = f.actors.verifiers;
      const first = await sealAttestation(f, f.roundId, { verifier: v0, task: 0, slot: 0, score: 9500 });
      await commitSealed(f, first);
      for (const seal of [first.seal, ethers.id("another")]) {
        await expect(f.committee.connect(v0).commitAttestation(f.roundId, 0, 0, seal))
          .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeAlreadyAttested")
          .withArgs(f.roundId, 0n, 0n, v0.address);
      }
      expect(await rows(f, f.roundId, 0, 0)).to.deep.equal([[v0.address, 0n, COMMITTED, first.seal]]);
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 1, 0, first.seal)).to.emit(f.committee, "AttestationCommitted");
    });

    it("takes at most MAX_QUORUM (9) commits per submission, drawn and escalation together: a tenth member reverts VerifierCommitteeAttestationsFull", async () => {
      const f = await loadFixture(fxNine); // quorum 3, ten members
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      expect(drawn.length).to.equal(3);
      // the drawn three dispute it (9700 is 209 off their median 9491): the escalation takes six more
      const { last, sealed } = await escalate(f, f.roundId, byVerifiers(drawn, 0, 0, [9490, 9491, 9700]), byVerifiers(others.slice(0, 6), 0, 0, [9492, 9493, 9494, 9495, 9496, 9497]));
      const tenth = others[6];
      expect(await f.committee.isMember(f.roundId, await tenth.getAddress())).to.equal(true);
      const at = BigInt(await time.latest());
      expect(at > (await phases(f, f.roundId)).escalationCommitEnd).to.equal(true);
      expect((await f.committee.getAttestations(f.roundId, 0, 0)).map((a) => a.verifier)).to.deep.equal(await Promise.all(sealed.map((x) => x.verifier.getAddress())));
      // all nine reveal: the last decides, on the median of 9490..9497 and 9700 = 9494 (the claim 9500 is 6 above: paid on 9494 − 6)
      const p = verifiedPerf(9500, 9494);
      await expect(last).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9494n, false, p, p, trueDigest(f.roundId, 0, 0));
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(8n * FEE); // all but 9700 within 100 of 9494, with the agreed digest
    });

    it("a tenth commit on a submission holding nine reverts VerifierCommitteeAttestationsFull; a committer is told it already committed", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      await commitAttestations(f, f.roundId, byVerifiers(drawn, 0, 0, [9490, 9491, 9700]));
      await toEscalation(f, f.roundId); // nobody revealed: fewer than quorum, disputed
      await commitAttestations(f, f.roundId, byVerifiers(others.slice(0, 6), 0, 0, [9492, 9493, 9494, 9495, 9496, 9497]));
      await expect(f.committee.connect(others[6]).commitAttestation(f.roundId, 0, 0, ethers.id("tenth")))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeAttestationsFull")
        .withArgs(f.roundId, 0n, 0n);
      await expect(f.committee.connect(others[5]).commitAttestation(f.roundId, 0, 0, ethers.id("again")))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeAlreadyAttested")
        .withArgs(f.roundId, 0n, 0n, await others[5].getAddress());
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("phases of the verify window", () => {
    it("the lens's attestPhases is the documented split: drawn commits until revealEnd + 1/2 of the verify window, their reveals until 5/8, escalation commits until 7/8, their reveals until 15/16, rounded down", async () => {
      const f = await loadFixture(fxPhases);
      const p = f.params;
      const L = p.verifyEnd - p.revealEnd;
      expect(L).to.equal(1001n);
      expect(await phases(f, f.roundId)).to.deep.equal({
        commitEnd: p.revealEnd + L / 2n,
        revealEnd: p.revealEnd + (5n * L) / 8n,
        escalationCommitEnd: p.revealEnd + (7n * L) / 8n,
        escalationRevealEnd: p.revealEnd + (15n * L) / 16n,
      });
      // 1001/2 = 500.5, 5005/8 = 625.6, 7007/8 = 875.9, 15015/16 = 938.4
      expect(await phases(f, f.roundId)).to.deep.equal({ commitEnd: p.revealEnd + 500n, revealEnd: p.revealEnd + 625n, escalationCommitEnd: p.revealEnd + 875n, escalationRevealEnd: p.revealEnd + 938n });
    });

    it("commits: refused by the pool up to revealEnd and after verifyEnd, by the committee outside the drawn and escalation commit phases (VerifierCommitteeNotInPhase(roundId, attestRevealEnd, escalationCommitEnd))", async () => {
      const f = await loadFixture(fxPhases);
      const p = f.params;
      const { commitEnd, revealEnd, escalationCommitEnd } = await phases(f, f.roundId);
      const s: Sealed[] = [];
      for (const v of f.actors.verifiers) s.push(await sealAttestation(f, f.roundId, { verifier: v, task: 0, slot: 0, score: 9500 }));
      await time.setNextBlockTimestamp(p.revealEnd);
      await expect(commitSealed(f, s[0])).to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow").withArgs(f.roundId, p.revealEnd, p.verifyEnd);
      await time.setNextBlockTimestamp(p.revealEnd + 1n);
      await expect(commitSealed(f, s[0])).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSeedPending").withArgs(f.roundId);
      await fixSeed(f, f.roundId); // a few blocks, a second each
      await expect(commitSealed(f, s[0])).to.emit(f.committee, "AttestationCommitted");
      await time.setNextBlockTimestamp(commitEnd);
      await expect(commitSealed(f, s[1])).to.emit(f.committee, "AttestationCommitted");
      for (const at of [commitEnd + 1n, revealEnd, escalationCommitEnd + 1n, p.verifyEnd]) {
        await time.setNextBlockTimestamp(at);
        await expect(commitSealed(f, s[2]))
          .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
          .withArgs(f.roundId, revealEnd, escalationCommitEnd);
      }
      await time.setNextBlockTimestamp(p.verifyEnd + 1n);
      await expect(commitSealed(f, s[2])).to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow").withArgs(f.roundId, p.revealEnd, p.verifyEnd);
    });

    it("reveals: only in (attestCommitEnd, attestRevealEnd], else VerifierCommitteeNotInPhase(roundId, attestCommitEnd, attestRevealEnd)", async () => {
      const f = await loadFixture(fxPhases);
      const { commitEnd, revealEnd } = await phases(f, f.roundId);
      await after(f, f.roundId, "reveal");
      const s = await commitAttestations(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9500, 9500, 9500]));
      // in the commit phase (to its last second) nobody opens a seal
      for (const at of [BigInt(await time.latest()) + 1n, commitEnd]) {
        await time.setNextBlockTimestamp(at);
        await expect(revealAttestation(f, s[0]))
          .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
          .withArgs(f.roundId, commitEnd, revealEnd);
      }
      await time.setNextBlockTimestamp(commitEnd + 1n);
      await expect(revealAttestation(f, s[0])).to.emit(f.committee, "Attested");
      await time.setNextBlockTimestamp(revealEnd);
      await expect(revealAttestation(f, s[1])).to.emit(f.committee, "Attested");
      for (const at of [revealEnd + 1n, f.params.verifyEnd + 1n]) {
        await time.setNextBlockTimestamp(at);
        await expect(revealAttestation(f, s[2]))
          .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
          .withArgs(f.roundId, commitEnd, revealEnd);
      }
    });

    it("decide: only in (attestRevealEnd, verifyEnd], else VerifierCommitteeNotInPhase(roundId, attestRevealEnd, verifyEnd)", async () => {
      const f = await loadFixture(fxPhases);
      const p = f.params;
      const { revealEnd } = await phases(f, f.roundId);
      await after(f, f.roundId, "reveal");
      await commitAttestations(f, f.roundId, [...byVerifiers(f.actors.verifiers, 0, 0, [9500, 9500, 9500]), ...byVerifiers(f.actors.verifiers, 1, 0, [9700, 9700, 9700])]);
      // nobody reveals; decide is refused in the commit and the reveal phases
      for (const at of [BigInt(await time.latest()) + 1n, revealEnd]) {
        await time.setNextBlockTimestamp(at);
        await expect(f.committee.decide(f.roundId, 0, 0))
          .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
          .withArgs(f.roundId, revealEnd, p.verifyEnd);
      }
      await time.setNextBlockTimestamp(revealEnd + 1n);
      await expect(f.committee.decide(f.roundId, 0, 0)).to.emit(f.committee, "Undecided").withArgs(f.roundId, 0n, 0n, 0n, 3n);
      await time.setNextBlockTimestamp(p.verifyEnd);
      await expect(f.committee.decide(f.roundId, 1, 0)).to.emit(f.committee, "Undecided").withArgs(f.roundId, 1n, 0n, 0n, 3n);
      // after verifyEnd the phase is checked before anything else
      await time.setNextBlockTimestamp(p.verifyEnd + 1n);
      await expect(f.committee.decide(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
        .withArgs(f.roundId, revealEnd, p.verifyEnd);
      // a round never opened has no window at all
      await expect(f.committee.decide(99n, 0, 0)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase").withArgs(99n, 0n, 0n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("revealAttestation", () => {
    it("opens the seal: records score and weights digest (state 2), emits Attested; pays, penalises and moves nothing before the judgement", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1, v2] = f.actors.verifiers;
      const digests = [trueDigest(f.roundId, 0, 0), ZERO, trueDigest(f.roundId, 0, 0)];
      const s = await commitAttestations(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9480, 9500, 9490], digests));
      await toAttestReveals(f, f.roundId);
      const tx = revealAttestation(f, s[0]);
      await expect(tx).to.emit(f.committee, "Attested").withArgs(f.roundId, 0n, 0n, v0.address, 9480n, digests[0]);
      for (const name of ["FeePaid", "Penalised", "Undecided"]) await expect(tx).not.to.emit(f.committee, name);
      await expect(tx).not.to.emit(f.pool, "Verified");
      await expect(tx).to.changeTokenBalances(ethers, f.token, [v0, f.committee, f.pool], [0n, 0n, 0n]);
      // a cross-backend re-training reveals the 0 digest
      await expect(revealAttestation(f, s[1])).to.emit(f.committee, "Attested").withArgs(f.roundId, 0n, 0n, v1.address, 9500n, ZERO);
      expect(await rows(f, f.roundId, 0, 0)).to.deep.equal([
        [v0.address, 9480n, REVEALED, digests[0]],
        [v1.address, 9500n, REVEALED, ZERO],
        [v2.address, 0n, COMMITTED, s[2].seal],
      ]);
      expect((await f.committee.verifierAccount(v0.address)).fees).to.equal(0n);
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(0n);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
    });

    it("reverts VerifierCommitteeScoreOutOfRange above 10000, before anything else; 10000 opens", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1] = f.actors.verifiers;
      // a seal can bind any uint16; only its opening checks the range
      const [high, top] = await commitAttestations(f, f.roundId, byVerifiers([v0, v1], 0, 0, [10001, 10000]));
      await expect(revealAttestation(f, high)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeScoreOutOfRange").withArgs(10001n); // even in the commit phase
      await toAttestReveals(f, f.roundId);
      await expect(revealAttestation(f, high)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeScoreOutOfRange").withArgs(10001n);
      await expect(revealAttestation(f, top)).to.emit(f.committee, "Attested").withArgs(f.roundId, 0n, 0n, v1.address, 10000n, top.digest);
    });

    it("reverts VerifierCommitteeNotCommitted without a commit, for a commit on another submission, and the second time", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const [v0, v1, v2] = f.actors.verifiers;
      const [s0, s1] = await commitAttestations(f, f.roundId, [
        { verifier: v0, task: 0, slot: 0, score: 9500 },
        { verifier: v1, task: 1, slot: 0, score: 9700 },
      ]);
      await toAttestReveals(f, f.roundId);
      await expect(f.committee.connect(v2).revealAttestation(f.roundId, 0, 0, 9500, trueDigest(f.roundId, 0, 0), salt("none")))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotCommitted")
        .withArgs(f.roundId, 0n, 0n, v2.address);
      await expect(f.committee.connect(v1).revealAttestation(f.roundId, 0, 0, s1.score, s1.digest, s1.salt))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotCommitted")
        .withArgs(f.roundId, 0n, 0n, v1.address);
      await expect(revealAttestation(f, s0)).to.emit(f.committee, "Attested");
      await expect(revealAttestation(f, s0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotCommitted")
        .withArgs(f.roundId, 0n, 0n, v0.address);
    });

    it("is open to every committer: one removed from the committee or below the minimum stake since its commit still opens its seal", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1, v2] = f.actors.verifiers;
      const s = await commitAttestations(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500]));
      await f.committee.connect(f.actors.admin).setVerifier(v0.address, false);
      await f.committee.connect(f.actors.admin).setMinVerifierStake(MIN_VERIFIER_STAKE + 1n);
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 2));
      await expect(revealAttestation(f, s[2])).to.emit(f.pool, "Verified");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("decided at the last reveal", () => {
    it("when every committer has revealed and at least quorum did, the last reveal judges at once; decide() then reverts VerifierCommitteeAlreadyDecided", async () => {
      const f = await loadFixture(fxQuorum3);
      const s = await commitAttestations(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9500, 9490, 9510]));
      await toAttestReveals(f, f.roundId);
      for (const x of s.slice(0, 2)) await expect(revealAttestation(f, x)).not.to.emit(f.pool, "Verified");
      const tx = revealAttestation(f, s[2]);
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9500n, false, perf(9500), perf(9500), trueDigest(f.roundId, 0, 0));
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(true);
      expect((await eventsOf(f.committee, tx, "FeePaid")).length).to.equal(3);
      await toAttestDecide(f, f.roundId);
      await expect(f.committee.decide(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeAlreadyDecided")
        .withArgs(f.roundId, 0n, 0n);
    });

    it("with a drawn committer still sealed no reveal judges; agreeing drawn reveals judge at the last one, whoever else is in the committee", async () => {
      const f = await loadFixture(fxNine);
      const { drawn } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      expect(drawn.length).to.equal(3);
      const s = await commitAttestations(f, f.roundId, byVerifiers(drawn, 0, 0, [9500, 9500, 9520]));
      await toAttestReveals(f, f.roundId);
      for (const x of s.slice(0, 2)) await expect(revealAttestation(f, x)).not.to.emit(f.pool, "Verified");
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      await expect(revealAttestation(f, s[2])).to.emit(f.pool, "Verified");
    });

    it("disputed drawn reveals do not judge: the submission escalates, and the last escalation reveal judges it", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const s = await commitAttestations(f, f.roundId, byVerifiers(drawn, 0, 0, [9500, 9500, 9800]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 2));
      await expect(revealAttestation(f, s[2])).not.to.emit(f.pool, "Verified"); // 9800 is 300 off: disputed
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      await toEscalation(f, f.roundId);
      expect(await f.committee.isEscalated(f.roundId, 0, 0)).to.equal(true);
      const late = await commitAttestations(f, f.roundId, byVerifiers(others.slice(0, 2), 0, 0, [9500, 9510]));
      await toEscalationReveals(f, f.roundId);
      await expect(revealAttestation(f, late[0])).not.to.emit(f.pool, "Verified"); // another escalation seal is still closed
      await expect(revealAttestation(f, late[1])).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9500n, false, perf(9500), perf(9500), trueDigest(f.roundId, 0, 0));
    });

    it("with fewer committers than the quorum and nobody undrawn to escalate to (a three-member committee), the last reveal judges at once: Undecided", async () => {
      const f = await loadFixture(fxQuorum3);
      const s = await commitAttestations(f, f.roundId, byVerifiers(f.actors.verifiers.slice(0, 2), 0, 0, [9500, 9500]));
      await toAttestReveals(f, f.roundId);
      await expect(revealAttestation(f, s[0])).not.to.emit(f.pool, "Verified");
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      const tx = revealAttestation(f, s[1]);
      await expect(tx).to.emit(f.committee, "Undecided").withArgs(f.roundId, 0n, 0n, 2n, 3n);
      await expect(tx).not.to.emit(f.committee, "Penalised"); // both revealed
      await expect(tx).not.to.emit(f.committee, "FeePaid");
      expect(await f.committee.isEscalated(f.roundId, 0, 0)).to.equal(false);
    });

    it("with fewer committers than the quorum in a larger committee, all of them revealing escalates it: decide() waits for the escalation", async () => {
      const f = await loadFixture(fxNine);
      const { drawn } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const s = await commitAttestations(f, f.roundId, byVerifiers(drawn.slice(0, 2), 0, 0, [9500, 9500]));
      await toAttestReveals(f, f.roundId);
      for (const x of s) await expect(revealAttestation(f, x)).not.to.emit(f.pool, "Verified");
      await toAttestDecide(f, f.roundId);
      expect(await f.committee.isEscalated(f.roundId, 0, 0)).to.equal(true);
      const { escalationRevealEnd } = await phases(f, f.roundId);
      await expect(f.committee.decide(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeEscalated").withArgs(f.roundId, 0n, 0n, escalationRevealEnd);
      await toFinalDecide(f, f.roundId); // nobody joined
      await expect(f.committee.decide(f.roundId, 0, 0)).to.emit(f.committee, "Undecided").withArgs(f.roundId, 0n, 0n, 2n, 3n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("decide", () => {
    it("judges the committers that never revealed, drawn or escalation: each penalised, none paid; the verdict stands on the reveals (anyone may call)", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const [a, b, silent] = drawn;
      const [c, lateSilent] = others;
      const s = await commitAttestations(f, f.roundId, byVerifiers([a, b, silent], 0, 0, [9500, 9490, 9500]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 2));
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false); // one committer pending
      // two reveals are fewer than quorum: disputed, so decide waits for the escalation
      await toEscalation(f, f.roundId);
      const until = (await phases(f, f.roundId)).escalationRevealEnd;
      await expect(f.committee.decide(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeEscalated").withArgs(f.roundId, 0n, 0n, until);
      const late = await commitAttestations(f, f.roundId, byVerifiers([c, lateSilent], 0, 0, [9510, 9500]));
      await toEscalationReveals(f, f.roundId);
      await revealAttestation(f, late[0]);
      await expect(f.committee.decide(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeEscalated");
      await toFinalDecide(f, f.roundId);
      const tx = f.committee.connect(f.actors.miners[5]).decide(f.roundId, 0, 0);
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9500n, false, perf(9500), perf(9500), trueDigest(f.roundId, 0, 0));
      expect((await eventsOf(f.committee, tx, "FeePaid")).map((e) => [e.verifier, e.fee])).to.deep.equal([a, b, c].map((v) => [v.address, FEE]));
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => [e.verifier, e.amount])).to.deep.equal([[silent.address, PENALTY], [lateSilent.address, PENALTY]]);
      const acc = await f.committee.verifierAccount(silent.address);
      expect([acc.stake, acc.fees]).to.deep.equal([MIN_VERIFIER_STAKE - PENALTY, 0n]);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(true);
    });

    it("with fewer than quorum reveals: no verdict (Undecided), the sampled claim stays unverified and is paid 0; revealed attestations neither paid nor penalised, non-revealers penalised", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1, v2] = f.actors.verifiers;
      const [m0] = f.actors.miners;
      const s = await commitAttestations(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 2));
      await toAttestDecide(f, f.roundId);
      const tx = f.committee.decide(f.roundId, 0, 0);
      await expect(tx).to.emit(f.committee, "Undecided").withArgs(f.roundId, 0n, 0n, 2n, 3n);
      await expect(tx).not.to.emit(f.pool, "Verified");
      await expect(tx).not.to.emit(f.committee, "FeePaid");
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => [e.verifier, e.amount])).to.deep.equal([[v2.address, PENALTY]]);
      for (const v of [v0, v1]) expect(await stakeAndFees(f, v.address)).to.deep.equal({ stake: MIN_VERIFIER_STAKE, fees: 0n });
      const sub = await f.pool.getSubmission(f.roundId, 0, 0);
      expect([sub.flags, sub.finalBps]).to.deep.equal([0n, 0n]);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(true);
      await expect(f.committee.decide(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeAlreadyDecided")
        .withArgs(f.roundId, 0n, 0n);
      // the sampled claim, left unverified, is paid nothing
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const w = f.pool.withdraw(f.roundId, 0, 0);
      await expect(w).to.changeTokenBalances(ethers, f.token, [m0], [0n]);
      const rc = (await (await w).wait())!;
      const withdrawn = rc.logs.map((l) => f.pool.interface.parseLog(l)).find((e) => e?.name === "Withdrawn")!;
      expect([withdrawn.args.reward, withdrawn.args.unverified]).to.deep.equal([0n, true]);
    });

    it("with no reveal at all: Undecided with 0 revealed, every committer penalised", async () => {
      const f = await loadFixture(fxQuorum3);
      await commitAttestations(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9500, 9500, 9500]));
      await toAttestDecide(f, f.roundId);
      const tx = f.committee.decide(f.roundId, 0, 0);
      await expect(tx).to.emit(f.committee, "Undecided").withArgs(f.roundId, 0n, 0n, 0n, 3n);
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => e.verifier)).to.deep.equal(f.actors.verifiers.map((v) => v.address));
      expect((await f.committee.roundFees(f.roundId)).penalties).to.equal(3n * PENALTY);
    });

    it("reverts VerifierCommitteeNothingToDecide for a submission nobody committed on", async () => {
      const f = await loadFixture(fxVerifySeeded);
      await toAttestDecide(f, f.roundId);
      for (const [t, s] of [[0, 0], [2, 0], [1, 4]]) {
        await expect(f.committee.decide(f.roundId, t, s))
          .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNothingToDecide")
          .withArgs(f.roundId, BigInt(t), BigInt(s));
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("the verdict: the median of every reveal", () => {
    it("is the median of all revealed scores, not of the first quorum: 5 reveals at quorum 3", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const vs = [...drawn, ...others.slice(0, 2)];
      const scores = [9300, 9520, 9480, 9700, 9500];
      // the drawn three dispute it (9300 is 180 off their median 9480); with the escalation's two,
      // sorted 9300, 9480, 9500, 9520, 9700: median 9500 (the drawn three alone would give 9480)
      const { last: tx } = await escalate(f, f.roundId, byVerifiers(vs.slice(0, 3), 0, 0, scores.slice(0, 3)), byVerifiers(vs.slice(3), 0, 0, scores.slice(3)));
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9500n, false, perf(9500), perf(9500), trueDigest(f.roundId, 0, 0));
      // within 100 of 9500: 9520, 9480, 9500; the others are penalised
      expect((await eventsOf(f.committee, tx, "FeePaid")).map((e) => e.verifier)).to.deep.equal([vs[1], vs[2], vs[4]].map((v) => v.address));
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => e.verifier)).to.deep.equal([vs[0], vs[3]].map((v) => v.address));
    });

    it("an even count of reveals takes the floor of the mean of the two middle scores: 4 reveals at quorum 3", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const vs = [...drawn, others[0]];
      // drawn 9600, 9450, 9400 dispute it (9600 is 150 off 9450); with the escalation's 9501,
      // sorted 9400, 9450, 9501, 9600: (9450 + 9501) / 2 = 9475.5 -> 9475; the claim 9500 is 25 above it
      const { last: tx } = await escalate(f, f.roundId, byVerifiers(drawn, 0, 0, [9600, 9450, 9400]), byVerifiers([others[0]], 0, 0, [9501]));
      const p = verifiedPerf(9500, 9475);
      expect(p).to.equal(450n); // 9475 − ceil(25 · 0.5 / 0.5)
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9475n, false, p, p, trueDigest(f.roundId, 0, 0));
      // 9600 is 125 off: penalised; 9450, 9400 and 9501 are within 100
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => e.verifier)).to.deep.equal([vs[0].address]);
      expect((await eventsOf(f.committee, tx, "FeePaid")).map((e) => e.verifier)).to.deep.equal(vs.slice(1).map((v) => v.address));
    });

    it("with nobody within the tolerance of the median there is no winner: a fraud's stake is all forfeited, every revealer penalised", async () => {
      const f = await loadFixture(fxNineFraud); // claim 9900
      const [m0] = f.actors.miners;
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const vs = [...drawn, others[0]];
      // drawn 9000, 9800, 9000 dispute it; with the escalation's 9800 the median of 9000, 9000,
      // 9800, 9800 = 9400: everyone is 400 off; 9900 > 9400 + 100 is fraud
      const { last: tx } = await escalate(f, f.roundId, byVerifiers(drawn, 0, 0, [9000, 9800, 9000]), byVerifiers([others[0]], 0, 0, [9800]));
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 0n, 0n, m0.address, MIN_STAKE, 0n, MIN_STAKE);
      await expect(tx).not.to.emit(f.committee, "SlashShareCredited");
      await expect(tx).not.to.emit(f.committee, "FeePaid");
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.pool, f.committee], [0n, 0n]);
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => e.verifier)).to.deep.equal(vs.map((v) => v.address));
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(MIN_STAKE);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("winners and the slash share", () => {
    it("credits each winner its share (SlashShareCredited); the pool transfers exactly Slashed.toVerifiers to the committee", async () => {
      const f = await loadFixture(fxQuorum3Fraud);
      const [m0] = f.actors.miners;
      const vs = f.actors.verifiers;
      const tx = lastReveal(f, f.roundId, byVerifiers(vs, 0, 0, [9500, 9500, 9520])); // median 9500: 9900 is fraud; all three within tolerance
      // 64 tokens do not split evenly in three: the remainder goes to the treasury
      const each = eachShare(3n);
      expect(each * 3n).to.not.equal((MIN_STAKE * SLASH_BPS) / BPS);
      const toVerifiers = each * 3n;
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 0n, 0n, m0.address, MIN_STAKE, toVerifiers, MIN_STAKE - toVerifiers);
      for (const v of vs) {
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
      const f = await loadFixture(fxVerifySeeded);
      const tx = lastReveal(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9500, 9450, 9480]));
      // median 9480: the claim 9500 is within the tolerance, paid on 9480 − 20; ΣP keeps m1's unverified 9700
      const p0 = verifiedPerf(9500, 9480);
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9480n, false, p0, p0 + perf(9700), trueDigest(f.roundId, 0, 0));
      await expect(tx).not.to.emit(f.committee, "SlashShareCredited");
      await expect(tx).not.to.emit(f.pool, "Slashed");
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.pool, f.committee], [0n, 0n]);
      expect((await f.committee.verifierAccount(f.actors.verifiers[2].address)).fees).to.equal(FEE);
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(0n);
    });

    it("an attestation off the median is no winner: with only the median's attester near it, it alone takes the verifiers' share, the rest goes to the treasury via sweep", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const [, m1] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      // median of 9000, 9400 and 9800 = 9400: the claim 9700 is fraud, 9000 and 9800 are 400 off it
      const tx = lastReveal(f, f.roundId, byVerifiers([v0, v2, v1], 1, 0, [9000, 9400, 9800]));
      const toVerifiers = eachShare(1n);
      expect(toVerifiers).to.equal(64n * TOKEN);
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 1n, 0n, m1.address, MIN_STAKE, toVerifiers, MIN_STAKE - toVerifiers);
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => [e.verifier, e.amount])).to.deep.equal([
        [v0.address, PENALTY],
        [v1.address, PENALTY],
      ]);
      const credited = await eventsOf(f.committee, tx, "SlashShareCredited");
      expect(credited.map((e) => [e.verifier, e.amount])).to.deep.equal([[v2.address, toVerifiers]]);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.pool, f.committee], [-toVerifiers, toVerifiers]);
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(FEE); // only the winner is paid
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
      // and the committee's sweep sends the unspent budget with the two penalties
      await expect(f.committee.sweepFees(f.roundId)).to.emit(f.committee, "FeesSwept").withArgs(f.roundId, f.actors.treasury.address, FEE_BUDGET - FEE + 2n * PENALTY);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("a verifier echoing a false claim is off the median: penalised, and no share of the slash", async () => {
      const f = await loadFixture(fxQuorum3Fraud);
      const [m0] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      const tx = lastReveal(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9520, 9900])); // v2 colludes with the miner
      // median 9520: fraud; v2 is 380 off: penalised, excluded from the slash share
      const each = eachShare(2n);
      await expect(tx).to.emit(f.committee, "Penalised").withArgs(f.roundId, 0n, 0n, v2.address, PENALTY);
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 0n, 0n, m0.address, MIN_STAKE, 2n * each, MIN_STAKE - 2n * each);
      const credited = await eventsOf(f.committee, tx, "SlashShareCredited");
      expect(credited.map((e) => [e.verifier, e.amount])).to.deep.equal([
        [v0.address, each],
        [v1.address, each],
      ]);
      expect(await stakeAndFees(f, v2.address)).to.deep.equal({ fees: 0n, stake: MIN_VERIFIER_STAKE - PENALTY });
      expect((await f.committee.verifierAccount(v1.address)).fees).to.equal(FEE + each);
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(2n * FEE);
    });

    it("a score-only (0-digest) attestation near the median wins its share of the slash, but no fee where an agreed digest exists", async () => {
      const f = await loadFixture(fxQuorum3Fraud);
      const [v0, v1, v2] = f.actors.verifiers;
      const t = trueDigest(f.roundId, 0, 0);
      const tx = lastReveal(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500], [t, t, ZERO]));
      const each = eachShare(3n);
      expect((await eventsOf(f.committee, tx, "SlashShareCredited")).map((e) => [e.verifier, e.amount])).to.deep.equal([v0, v1, v2].map((v) => [v.address, each]));
      expect((await eventsOf(f.committee, tx, "FeePaid")).map((e) => e.verifier)).to.deep.equal([v0.address, v1.address]);
      await expect(tx).not.to.emit(f.committee, "Penalised");
      expect((await f.committee.verifierAccount(v2.address)).fees).to.equal(each);
    });

    it("a digest contradicting the agreed one is no winner, even at the median", async () => {
      const f = await loadFixture(fxQuorum3Fraud);
      const [v0, v1, v2] = f.actors.verifiers;
      const t = trueDigest(f.roundId, 0, 0);
      const tx = lastReveal(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500], [t, t, fake("v2")]));
      const each = eachShare(2n);
      expect((await eventsOf(f.committee, tx, "SlashShareCredited")).map((e) => [e.verifier, e.amount])).to.deep.equal([v0, v1].map((v) => [v.address, each]));
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => e.verifier)).to.deep.equal([v2.address]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("fees (FeePaid): for proven work, at the judgement", () => {
    it("are paid at the judgement, not at the reveal: FeePaid(roundId, task, slot, verifier, verifierFee) for each winner with the agreed digest, credited without a transfer", async () => {
      const f = await loadFixture(fxQuorum3);
      const vs = f.actors.verifiers;
      const s = await commitAttestations(f, f.roundId, byVerifiers(vs, 0, 0, [9500, 9490, 9510]));
      await toAttestReveals(f, f.roundId);
      for (const x of s.slice(0, 2)) await expect(revealAttestation(f, x)).not.to.emit(f.committee, "FeePaid");
      const tx = revealAttestation(f, s[2]);
      for (const v of vs) await expect(tx).to.emit(f.committee, "FeePaid").withArgs(f.roundId, 0n, 0n, v.address, FEE);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [...vs, f.committee, f.pool], [0n, 0n, 0n, 0n, 0n]);
      for (const v of vs) expect((await f.committee.verifierAccount(v.address)).fees).to.equal(FEE);
      const fees = await f.committee.roundFees(f.roundId);
      expect([fees.budget, fees.spent, fees.penalties]).to.deep.equal([FEE_BUDGET, 3n * FEE, 0n]);
    });

    it("a score-only (0-digest) winner is not paid where reference re-trainings agree on a digest, nor penalised", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1, v2] = f.actors.verifiers;
      const t = trueDigest(f.roundId, 0, 0);
      const tx = lastReveal(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500], [t, ZERO, t]));
      expect((await eventsOf(f.committee, tx, "FeePaid")).map((e) => e.verifier)).to.deep.equal([v0.address, v2.address]);
      await expect(tx).not.to.emit(f.committee, "Penalised");
      expect(await stakeAndFees(f, v1.address)).to.deep.equal({ fees: 0n, stake: MIN_VERIFIER_STAKE });
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(2n * FEE);
    });

    it("where no two digests agree (all different, all 0, or a tie), nobody is paid a fee: nothing proves the work; the winners are not penalised either", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const vs = f.actors.verifiers;
      // task 0: two different non-zero digests and a 0; task 1: three cross-backend re-trainings
      // (a three-member committee has nobody to escalate to: judged at the last reveal)
      await attestAll(f, f.roundId, [
        ...byVerifiers(vs, 0, 0, [9500, 9480, 9510], [fake("a"), fake("b"), ZERO]),
        ...byVerifiers(vs, 1, 0, [9700, 9700, 9690], [ZERO, ZERO, ZERO]),
      ]);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(true);
      expect(await f.committee.isDecided(f.roundId, 1, 0)).to.equal(true);
      expect(await committeeLogs(f, "FeePaid")).to.deep.equal([]);
      expect(await committeeLogs(f, "Penalised")).to.deep.equal([]);
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(0n);
      // a tie of two digests two times each: no agreement either (the drawn three, disputed for
      // want of an agreed digest, and one escalation attestation)
      const n = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(n, n.roundId, 0, 0, [...n.nine, n.tenth]);
      const { last: tx } = await escalate(n, n.roundId, byVerifiers(drawn, 0, 0, [9500, 9500, 9500], [fake("p"), fake("q"), fake("q")]), byVerifiers([others[0]], 0, 0, [9500], [fake("p")]));
      await expect(tx).to.emit(n.pool, "Verified");
      await expect(tx).not.to.emit(n.committee, "FeePaid");
      await expect(tx).not.to.emit(n.committee, "Penalised");
    });

    it("drawn reveals with no agreed digest are disputed: the escalation's re-trainings agree and are paid, the echoes are not", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const t = trueDigest(f.roundId, 0, 0);
      // two drawn verifiers echo the claim with digest 0; one re-trained: its digest is unmatched
      const first = await commitAttestations(f, f.roundId, byVerifiers(drawn, 0, 0, [9500, 9500, 9500], [ZERO, ZERO, t]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, first);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      await toEscalation(f, f.roundId);
      expect(await f.committee.isEscalated(f.roundId, 0, 0)).to.equal(true);
      const late = await commitAttestations(f, f.roundId, byVerifiers(others.slice(0, 2), 0, 0, [9500, 9500]));
      await toEscalationReveals(f, f.roundId);
      await revealAttestation(f, late[0]);
      const tx = revealAttestation(f, late[1]);
      await expect(tx).to.emit(f.pool, "Verified");
      const paid = (await eventsOf(f.committee, tx, "FeePaid")).map((e) => e.verifier);
      expect(paid).to.deep.equal([drawn[2], others[0], others[1]].map((v) => v.address));
      await expect(tx).not.to.emit(f.committee, "Penalised"); // an echo of a true claim is not wrong, only unpaid
    });

    it("an attestation off the median is not paid, even with the agreed digest", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1, v2] = f.actors.verifiers;
      const tx = lastReveal(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9000]));
      expect((await eventsOf(f.committee, tx, "FeePaid")).map((e) => e.verifier)).to.deep.equal([v0.address, v1.address]);
      expect((await eventsOf(f.committee, tx, "Penalised")).map((e) => e.verifier)).to.deep.equal([v2.address]);
    });

    it("pay what is left of the round's budget, then nothing", async () => {
      const d = await loadFixture(deployPool);
      const [v0, v1, v2] = d.actors.verifiers;
      const budget = FEE + FEE / 2n;
      const { roundId } = await singleClaim(d, { quorum: 3, feeBudget: budget }, 9500, "fb");
      const tx = lastReveal(d, roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500]));
      // in commit order: a whole fee, the half left, and nothing (no event for a zero fee)
      expect((await eventsOf(d.committee, tx, "FeePaid")).map((e) => [e.verifier, e.fee])).to.deep.equal([
        [v0.address, FEE],
        [v1.address, FEE / 2n],
      ]);
      expect((await d.committee.roundFees(roundId)).spent).to.equal(budget);
      expect((await d.committee.verifierAccount(v2.address)).fees).to.equal(0n);
      expect(await holdings(d)).to.deep.equal(await liabilities(d, accounts(d)));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("penalties (Penalised)", () => {
    it("an attestation off the median by more than the tolerance loses `penalty`, from its unwithdrawn fees first, then its stake; it stays in the committee (RoundFees.penalties)", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const vs = f.actors.verifiers;
      const v2 = vs[2];
      // task 0 honest (v2 earns a fee), task 1: v2 far off
      const s = await commitAttestations(f, f.roundId, [...byVerifiers(vs, 0, 0, [9500, 9500, 9500]), ...byVerifiers(vs, 1, 0, [9700, 9700, 8000])]);
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 5));
      expect((await f.committee.verifierAccount(v2.address)).fees).to.equal(FEE);
      const tx = revealAttestation(f, s[5]);
      await expect(tx).to.emit(f.committee, "Penalised").withArgs(f.roundId, 1n, 0n, v2.address, PENALTY);
      // the stake and fees are already in the committee: a penalty moves no tokens
      await expect(tx).to.changeTokenBalances(ethers, f.token, [v2, f.committee, f.pool], [0n, 0n, 0n]);
      expect(await stakeAndFees(f, v2.address)).to.deep.equal({ fees: 0n, stake: MIN_VERIFIER_STAKE - (PENALTY - FEE) });
      const fees = await f.committee.roundFees(f.roundId);
      expect([fees.spent, fees.penalties]).to.deep.equal([5n * FEE, PENALTY]);
      // below minVerifierStake it can no longer commit or challenge
      expect(await f.committee.isMember(f.roundId, v2.address)).to.equal(false);
      await expect(f.committee.connect(v2).challenge(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeStakeTooLow")
        .withArgs(v2.address, MIN_VERIFIER_STAKE - (PENALTY - FEE), MIN_VERIFIER_STAKE);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("withdrawing the fees before the judgement does not escape it: the whole penalty comes from stake", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const vs = f.actors.verifiers;
      const v2 = vs[2];
      const s = await commitAttestations(f, f.roundId, [...byVerifiers(vs, 0, 0, [9500, 9500, 9500]), ...byVerifiers(vs, 1, 0, [9700, 9700, 8000])]);
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 5));
      await expect(f.committee.connect(v2).withdrawFees()).to.changeTokenBalances(ethers, f.token, [v2], [FEE]);
      await expect(revealAttestation(f, s[5])).to.emit(f.committee, "Penalised").withArgs(f.roundId, 1n, 0n, v2.address, PENALTY);
      expect(await stakeAndFees(f, v2.address)).to.deep.equal({ fees: 0n, stake: MIN_VERIFIER_STAKE - PENALTY });
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("a non-zero digest that contradicts the agreed one loses `penalty`, even at the median", async () => {
      const f = await loadFixture(fxQuorum3);
      const [v0, v1, v2] = f.actors.verifiers;
      const t = trueDigest(f.roundId, 0, 0);
      const tx = lastReveal(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500], [t, fake("guess"), t]));
      await expect(tx).to.emit(f.committee, "Penalised").withArgs(f.roundId, 0n, 0n, v1.address, PENALTY);
      expect((await eventsOf(f.committee, tx, "FeePaid")).map((e) => e.verifier)).to.deep.equal([v0.address, v2.address]);
      expect(await stakeAndFees(f, v1.address)).to.deep.equal({ fees: 0n, stake: MIN_VERIFIER_STAKE - PENALTY });
    });

    it("takes at most what the verifier holds here: the penalty is capped at its fees and stake", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const vs = f.actors.verifiers;
      const v2 = vs[2];
      const big = 60n * TOKEN; // two of them exceed v2's 100-token stake
      await f.committee.connect(f.actors.admin).setPenalty(big);
      const s = await commitAttestations(f, f.roundId, [...byVerifiers(vs, 0, 0, [9500, 9500, 8000]), ...byVerifiers(vs, 1, 0, [9700, 9700, 8000])]);
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 2));
      await expect(revealAttestation(f, s[2])).to.emit(f.committee, "Penalised").withArgs(f.roundId, 0n, 0n, v2.address, big);
      await revealAttestations(f, s.slice(3, 5));
      const rest = MIN_VERIFIER_STAKE - big;
      await expect(revealAttestation(f, s[5])).to.emit(f.committee, "Penalised").withArgs(f.roundId, 1n, 0n, v2.address, rest);
      expect(await stakeAndFees(f, v2.address)).to.deep.equal({ fees: 0n, stake: 0n });
      expect((await f.committee.roundFees(f.roundId)).penalties).to.equal(MIN_VERIFIER_STAKE);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("a penalty of 0 takes nothing and emits nothing", async () => {
      const f = await loadFixture(fxQuorum3);
      await f.committee.connect(f.actors.admin).setPenalty(0n);
      const tx = lastReveal(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9500, 9500, 8000]));
      await expect(tx).to.emit(f.pool, "Verified");
      await expect(tx).not.to.emit(f.committee, "Penalised");
      expect((await f.committee.verifierAccount(f.actors.verifiers[2].address)).stake).to.equal(MIN_VERIFIER_STAKE);
      expect((await f.committee.roundFees(f.roundId)).penalties).to.equal(0n);
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

    it("sends budget − spent + penalties to the pool's current treasury, once; anyone may call, no finalisation needed", async () => {
      const f = await loadFixture(fxQuorum3);
      const { admin, outsider, treasury, miners } = f.actors;
      const [v0, v1, v2] = f.actors.verifiers;
      // median of 8000, 9500, 9490 = 9490: v2 penalised, v0 and v1 paid
      await lastReveal(f, f.roundId, byVerifiers([v2, v0, v1], 0, 0, [8000, 9500, 9490]));
      const spent = 2n * FEE;
      expect((await f.committee.roundFees(f.roundId)).spent).to.equal(spent);
      await f.pool.connect(admin).setTreasury(outsider.address);
      await after(f, f.roundId, "verify");
      const amount = FEE_BUDGET - spent + PENALTY;
      expect(await f.committee.connect(miners[5]).sweepFees.staticCall(f.roundId)).to.equal(amount);
      const tx = f.committee.connect(miners[5]).sweepFees(f.roundId);
      await expect(tx).to.emit(f.committee, "FeesSwept").withArgs(f.roundId, outsider.address, amount);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [outsider, treasury, f.committee, f.pool], [amount, 0n, -amount, 0n]);
      const fees = await f.committee.roundFees(f.roundId);
      expect([fees.budget, fees.spent, fees.penalties, fees.swept]).to.deep.equal([FEE_BUDGET, spent, PENALTY, true]);
      expect((await f.pool.getRoundState(f.roundId)).finalized).to.equal(false);
      await expect(f.committee.sweepFees(f.roundId))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNothingToSweep")
        .withArgs(f.roundId);
      // the verifiers' fees were not swept
      await expect(f.committee.connect(v0).withdrawFees()).to.changeTokenBalances(ethers, f.token, [v0], [FEE]);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, accounts(f)));
    });

    it("a budget spent to the last wei still sweeps the round's penalties", async () => {
      const d = await loadFixture(deployPool);
      const { roundId } = await singleClaim(d, { feeBudget: 2n * FEE }, 9500, "pen");
      await lastReveal(d, roundId, byVerifiers(d.actors.verifiers, 0, 0, [9500, 9500, 8000]));
      const fees = await d.committee.roundFees(roundId);
      expect([fees.spent, fees.penalties]).to.deep.equal([2n * FEE, PENALTY]);
      await after(d, roundId, "verify");
      await expect(d.committee.sweepFees(roundId)).to.emit(d.committee, "FeesSwept").withArgs(roundId, d.actors.treasury.address, PENALTY);
    });

    it("reverts VerifierCommitteeNothingToSweep for no budget, a budget spent to the last wei without penalties, or a round never opened", async () => {
      const d = await loadFixture(deployPool);
      const { roundId: r1 } = await openRound(d, { feeBudget: 0n });
      const { roundId: r2 } = await singleClaim(d, { feeBudget: 3n * FEE }, 9500, "spent");
      await lastReveal(d, r2, byVerifiers(d.actors.verifiers, 0, 0, [9500, 9500, 9500]));
      const fees = await d.committee.roundFees(r2);
      expect([fees.spent, fees.penalties]).to.deep.equal([3n * FEE, 0n]);
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
  describe("getAttestations and isDecided", () => {
    it("list the attestations in commit order: state 1 and the seal while sealed (no score), state 2 with score and weights digest once opened; isDecided once judged", async () => {
      const f = await loadFixture(fxVerifySeeded);
      const [v0, v1, v2] = f.actors.verifiers;
      const t = trueDigest(f.roundId, 0, 0);
      const s = await commitAttestations(f, f.roundId, byVerifiers([v1, v0, v2], 0, 0, [9450, 9500, 9480], [ZERO, t, t]));
      expect(await rows(f, f.roundId, 0, 0)).to.deep.equal([v1, v0, v2].map((v, i) => [v.address, 0n, COMMITTED, s[i].seal]));
      for (const x of s) expect(x.seal).to.not.equal(x.digest); // a seal shows neither score nor digest
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 2));
      expect(await rows(f, f.roundId, 0, 0)).to.deep.equal([
        [v1.address, 9450n, REVEALED, ZERO],
        [v0.address, 9500n, REVEALED, t],
        [v2.address, 0n, COMMITTED, s[2].seal],
      ]);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      await revealAttestation(f, s[2]);
      expect(await rows(f, f.roundId, 0, 0)).to.deep.equal([
        [v1.address, 9450n, REVEALED, ZERO],
        [v0.address, 9500n, REVEALED, t],
        [v2.address, 9480n, REVEALED, t],
      ]);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(true);
      // another submission, another round: nothing
      expect(await f.committee.getAttestations(f.roundId, 1, 0)).to.deep.equal([]);
      expect(await f.committee.getAttestations(f.roundId + 1n, 0, 0)).to.deep.equal([]);
      expect(await f.committee.isDecided(f.roundId, 1, 0)).to.equal(false);
    });

    it("a committer that never revealed keeps state 1 and its seal after the judgement; an undecided judgement is decided too", async () => {
      const f = await loadFixture(fxQuorum3);
      const s = await commitAttestations(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9500, 9500, 9500]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, s.slice(0, 2));
      await toAttestDecide(f, f.roundId);
      await expect(f.committee.decide(f.roundId, 0, 0)).to.emit(f.committee, "Undecided");
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(true);
      expect((await rows(f, f.roundId, 0, 0))[2]).to.deep.equal([f.actors.verifiers[2].address, 0n, COMMITTED, s[2].seal]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("solvency of the pool and its committee", () => {
    it("through a round with a slash, penalties and an undecided submission, each contract holds exactly what it owes at every step, down to zero", async () => {
      const d = await loadFixture(deployPool);
      const { admin } = d.actors;
      const [m0, m1, m2] = d.actors.miners;
      const [v0, v1, v2] = d.actors.verifiers;
      const accts = accounts(d);
      /** committee balance == Σ stakes + fees + Σ unswept rounds (budget − spent + penalties), written out */
      const committeeOwes = async () => {
        let owed = 0n;
        for (const a of accts) {
          const v = await d.committee.verifierAccount(a);
          owed += v.stake + v.fees;
        }
        for (let r = 1n; r <= (await d.pool.roundCount()); r++) {
          const f = await d.committee.roundFees(r);
          if (!f.swept) owed += f.budget - f.spent + f.penalties;
        }
        return owed;
      };
      const check = async (step: string) => {
        expect(await holdings(d), step).to.deep.equal(await liabilities(d, accts));
        expect(await d.token.balanceOf(d.committeeAddress), step).to.equal(await committeeOwes());
      };

      const { roundId } = await openRound(d, { quorum: 3 });
      await check("opened");
      for (const m of [m0, m1, m2]) await d.pool.connect(m).stake(MINER_STAKE);
      for (const [i, m] of [m0, m1, m2].entries()) await d.pool.connect(m).claim(roundId, i);
      const r0 = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9900, salt: salt("s0") }); // false
      const r1 = await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: G[1], score: 9500, salt: salt("s1") }); // honest
      const r2 = await commitFor(d, m2, { roundId, task: 2, slot: 0, genome: G[2], score: 9600, salt: salt("s2") }); // honest
      await after(d, roundId, "commit");
      for (const [m, r] of [[m0, r0], [m1, r1], [m2, r2]] as const) await revealFor(d, m, r);
      await after(d, roundId, "reveal");
      await check("revealed");
      // every submission is sealed before any is opened (all three are top-K)
      const s = await commitAttestations(d, roundId, [
        ...byVerifiers([v0, v1, v2], 1, 0, [9500, 9500, 9500]),
        ...byVerifiers([v0, v1, v2], 0, 0, [9500, 9520, 9900]),
        ...byVerifiers([v0, v1, v2], 2, 0, [9600, 9600, 9600]),
      ]);
      await check("committed");
      await toAttestReveals(d, roundId);
      // task 1: honest, verified, a fee each
      await revealAttestations(d, s.slice(0, 3));
      await check("task 1 verified");
      // task 0: fraud; v2 colludes: penalised from its fee, then its stake; v0 and v1 share the slash
      await revealAttestations(d, s.slice(3, 5));
      const tx = revealAttestation(d, s[5]);
      await expect(tx).to.emit(d.pool, "Slashed");
      await expect(tx).to.emit(d.committee, "Penalised").withArgs(roundId, 0n, 0n, v2.address, PENALTY);
      await check("slashed and penalised");
      expect(await stakeAndFees(d, v2.address)).to.deep.equal({ fees: 0n, stake: MIN_VERIFIER_STAKE - (PENALTY - FEE) });
      // task 2: v2 never opens its seal: undecided, v2 penalised again from stake
      await revealAttestations(d, s.slice(6, 8));
      await toAttestDecide(d, roundId);
      const dec = d.committee.decide(roundId, 2, 0);
      await expect(dec).to.emit(d.committee, "Undecided").withArgs(roundId, 2n, 0n, 2n, 3n);
      await expect(dec).to.emit(d.committee, "Penalised").withArgs(roundId, 2n, 0n, v2.address, PENALTY);
      await check("undecided and penalised");
      expect((await d.committee.verifierAccount(v2.address)).stake).to.equal(MIN_VERIFIER_STAKE - 2n * PENALTY + FEE);
      const fees = await d.committee.roundFees(roundId);
      expect([fees.spent, fees.penalties]).to.deep.equal([5n * FEE, 2n * PENALTY]);
      await after(d, roundId, "verify");
      await fixSeed(d, roundId);
      await d.pool.finalize(roundId);
      await check("finalized");
      for (const t of [0, 1, 2]) await d.pool.withdraw(roundId, t, 0);
      await check("settled");
      await expect(d.pool.sweep(roundId)).to.emit(d.pool, "Swept");
      await check("pool swept");
      await expect(d.committee.sweepFees(roundId))
        .to.emit(d.committee, "FeesSwept")
        .withArgs(roundId, d.actors.treasury.address, FEE_BUDGET - 5n * FEE + 2n * PENALTY);
      await check("swept");
      // everyone takes everything out: both contracts end empty
      for (const v of [v0, v1]) await d.committee.connect(v).withdrawFees();
      for (const v of [v0, v1, v2]) {
        await d.committee.connect(admin).setVerifier(v.address, false);
        const stake = (await d.committee.verifierAccount(v.address)).stake;
        await d.committee.connect(v).unstakeVerifier(stake);
      }
      for (const m of [m0, m1, m2]) await d.pool.connect(m).unstake((await d.pool.minerAccount(m.address)).balance);
      await check("emptied");
      expect(await holdings(d)).to.deep.equal({ pool: 0n, committee: 0n });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("drawn verifiers (issue 10, property 4): the round's randomness, not arrival order, picks who judges", () => {
    /** The documented draw: quorum consecutive seats of the roster at open, from keccak256(abi.encode(seed, roundId, task, slot, "drawn")) % size. */
    function drawnSeats(seed: string, roundId: bigint, task: number, slot: number, size: number, quorum: number): number[] {
      if (size <= quorum) return Array.from({ length: size }, (_, i) => i);
      const h = BigInt(ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256", "uint256", "uint256", "string"], [seed, roundId, task, slot, "drawn"])));
      const first = Number(h % BigInt(size));
      return Array.from({ length: quorum }, (_, i) => (first + i) % size);
    }

    it("draws exactly the documented quorum seats of the roster as it was at open, per submission; a verifier enrolled later is never drawn", async () => {
      const f = await loadFixture(fxNine);
      const roster = [...f.nine, f.tenth];
      expect(await f.committee.committeeSize(f.roundId)).to.equal(10n);
      const late = f.actors.miners[7];
      await enrol(f, [late]); // after the round opened: not in its committee, never drawn
      const seed = await fixSeed(f, f.roundId);
      const counts = new Array(roster.length).fill(0);
      for (let task = 0; task < 60; task++) {
        const want = drawnSeats(seed, f.roundId, task, 0, roster.length, 3);
        const got: number[] = [];
        for (const [i, v] of roster.entries()) if (await f.committee.isDrawn(f.roundId, task, 0, v.address)) got.push(i);
        expect(got, `task ${task}`).to.deep.equal([...want].sort((a, b) => a - b));
        for (const i of got) counts[i]++;
        expect(await f.committee.isDrawn(f.roundId, task, 0, late.address)).to.equal(false);
      }
      // every seat is drawn, about 3/10 of the time (18 of 60 expected)
      for (const [i, c] of counts.entries()) expect(c, `seat ${i}`).to.be.within(6, 32);
      // another slot of the same task is another draw
      const other = await Promise.all(roster.map((v) => f.committee.isDrawn(f.roundId, 0, 1, v.address)));
      expect(other.filter(Boolean).length).to.equal(3);
    });

    it("a roster no larger than the quorum draws everyone; no seed, no draw (a commit reverts VerifierCommitteeSeedPending and requests nothing)", async () => {
      const f = await loadFixture(fxVerify); // three verifiers, quorum 3, the seed pending
      await expect(f.committee.connect(f.actors.verifiers[0]).commitAttestation(f.roundId, 0, 0, ethers.id("early")))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSeedPending")
        .withArgs(f.roundId);
      expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
      for (const v of f.actors.verifiers) expect(await f.committee.isDrawn(f.roundId, 0, 0, v.address)).to.equal(false); // seed pending
      await fixSeed(f, f.roundId);
      for (const v of f.actors.verifiers) expect(await f.committee.isDrawn(f.roundId, 0, 0, v.address)).to.equal(true);
      expect(await f.committee.isDrawn(f.roundId, 0, 0, f.actors.outsider.address)).to.equal(false);
    });

    it("an undrawn member's drawn commit reverts VerifierCommitteeNotDrawn, however early it arrives; it may join only a disputed submission's escalation", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const early = await sealAttestation(f, f.roundId, { verifier: others[0], task: 0, slot: 0, score: 9500 });
      await expect(commitSealed(f, early))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotDrawn")
        .withArgs(f.roundId, 0n, 0n, await others[0].getAddress());
      const first = await commitAttestations(f, f.roundId, byVerifiers(drawn, 0, 0, [9500, 9500, 9510]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, first.slice(0, 2));
      // the third drawn seal is still closed: no judgement yet, and after the drawn reveals two of quorum 3 dispute it
      await toEscalation(f, f.roundId);
      const { escalationRevealEnd } = await phases(f, f.roundId);
      const tx = commitSealed(f, early);
      await expect(tx).to.emit(f.committee, "Escalated").withArgs(f.roundId, 0n, 0n, 2n, escalationRevealEnd);
      await expect(tx).to.emit(f.committee, "AttestationCommitted").withArgs(f.roundId, 0n, 0n, await others[0].getAddress(), early.seal, true);
      // a second escalation commit emits no second Escalated; a drawn member cannot come back
      const second = await sealAttestation(f, f.roundId, { verifier: others[1], task: 0, slot: 0, score: 9500 });
      await expect(commitSealed(f, second)).not.to.emit(f.committee, "Escalated");
      await expect(f.committee.connect(drawn[2]).commitAttestation(f.roundId, 0, 0, ethers.id("again"))).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeAlreadyAttested");
      expect((await f.committee.getAttestations(f.roundId, 0, 0)).map((a) => a.escalation)).to.deep.equal([false, false, false, true, true]);
    });

    it("an undisputed submission takes no escalation commit (VerifierCommitteeNotDisputed), and a drawn member that skipped its turn cannot come back (VerifierCommitteeWasDrawn)", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      // task 0: two drawn commit and reveal agreeing scores with the true digest, the third skipped
      const first = await commitAttestations(f, f.roundId, byVerifiers(drawn.slice(0, 2), 0, 0, [9500, 9500]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, first);
      await toEscalation(f, f.roundId);
      // two reveals are fewer than quorum: disputed; the drawn one that skipped cannot join
      await expect(f.committee.connect(drawn[2]).commitAttestation(f.roundId, 0, 0, ethers.id("x")))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeWasDrawn")
        .withArgs(f.roundId, 0n, 0n, await drawn[2].getAddress());
      // one undrawn member joins, the submission is judged at its reveal; then nobody can join
      const late = await commitAttestations(f, f.roundId, byVerifiers([others[0]], 0, 0, [9500]));
      await toEscalationReveals(f, f.roundId);
      await expect(revealAttestation(f, late[0])).to.emit(f.pool, "Verified");
      // an undisputed submission in a fresh round: three agreeing drawn reveals, judged at once
      const g = await loadFixture(fxNine);
      const d2 = await drawnOf(g, g.roundId, 0, 0, [...g.nine, g.tenth]);
      const all = await commitAttestations(g, g.roundId, byVerifiers(d2.drawn, 0, 0, [9500, 9500, 9500]));
      await toAttestReveals(g, g.roundId);
      await revealAttestations(g, all.slice(0, 2));
      await revealAttestation(g, all[2]);
      await toEscalation(g, g.roundId);
      // (the pool refuses first: its verdict is final)
      await expect(g.committee.connect(d2.others[0]).commitAttestation(g.roundId, 0, 0, ethers.id("y"))).to.be.revertedWithCustomError(g.pool, "PoNASPoolAlreadyFinal");
      expect(await g.committee.isEscalated(g.roundId, 0, 0)).to.equal(false);
    });

    it("reveals escalation seals only in the escalation-reveal phase (VerifierCommitteeNotInPhase(roundId, escalationCommitEnd, escalationRevealEnd))", async () => {
      const f = await loadFixture(fxNine);
      const { drawn, others } = await drawnOf(f, f.roundId, 0, 0, [...f.nine, f.tenth]);
      const first = await commitAttestations(f, f.roundId, byVerifiers(drawn, 0, 0, [9500, 9500, 9900]));
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, first);
      await toEscalation(f, f.roundId);
      const late = await commitAttestations(f, f.roundId, byVerifiers(others.slice(0, 1), 0, 0, [9500]));
      const { escalationCommitEnd, escalationRevealEnd } = await phases(f, f.roundId);
      await expect(revealAttestation(f, late[0]))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
        .withArgs(f.roundId, escalationCommitEnd, escalationRevealEnd);
      await time.increaseTo(escalationRevealEnd + 1n);
      await expect(revealAttestation(f, late[0]))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
        .withArgs(f.roundId, escalationCommitEnd, escalationRevealEnd);
      // judged on the drawn three; the escalation committer that never opened is penalised
      const tx = f.committee.decide(f.roundId, 0, 0);
      await expect(tx).to.emit(f.pool, "Verified");
      await expect(tx).to.emit(f.committee, "Penalised").withArgs(f.roundId, 0n, 0n, await others[0].getAddress(), PENALTY);
    });
  });

  describe("attack (issue 10, property 3): two echoers in a committee of five cannot pass an over-claim", () => {
    it("wherever the two are drawn, an honest drawn verifier disputes the claim and the escalation's median is the truth: the miner is slashed and the echoers penalised", async () => {
      // the same claim in ten rounds (ten draws): two echoers seal the +900 claim with the miner's
      // true digest wherever they can (drawn, or in the escalation); three honest members re-train
      const base = await deployPool();
      const five = [...base.actors.verifiers, ...(await ethers.getSigners()).slice(14, 16)];
      await enrol(base, five.slice(3));
      const [e1, e2] = five;
      for (const e of [e1, e2]) {
        // enough stake to keep paying penalties for ten rounds
        await base.token.connect(base.actors.admin).transfer(e.address, 10n * MIN_VERIFIER_STAKE);
        await base.token.connect(e).approve(base.committeeAddress, ethers.MaxUint256);
        await base.committee.connect(e).stakeVerifier(10n * MIN_VERIFIER_STAKE);
      }
      let bothDrawn = 0;
      await base.pool.connect(base.actors.miners[0]).stake(8n * MINER_STAKE); // ten slashes of MIN_STAKE
      for (let round = 0; round < 10; round++) {
        const { roundId } = await singleClaim(base, { quorum: 3 }, 9900, `echo${round}`);
        const t = trueDigest(roundId, 0, 0);
        const { drawn, others } = await drawnOf(base, roundId, 0, 0, five);
        const score = (v: HardhatEthersSigner) => (v === e1 || v === e2 ? 9900 : 9000);
        if (drawn.includes(e1) && drawn.includes(e2)) bothDrawn++;
        const first = await commitAttestations(base, roundId, drawn.map((v) => ({ verifier: v, task: 0, slot: 0, score: score(v), digest: t })));
        await toAttestReveals(base, roundId);
        await revealAttestations(base, first);
        const echoersLeft = others.filter((v) => v === e1 || v === e2);
        const disputed = await base.committee.isEscalated(roundId, 0, 0);
        // an echoer among the drawn is always beside an honest one: two echoers cannot fill three seats
        expect(disputed, `round ${round}`).to.equal(drawn.some((v) => v === e1 || v === e2));
        if (disputed) {
          await toEscalation(base, roundId);
          const late = await commitAttestations(base, roundId, others.map((v) => ({ verifier: v, task: 0, slot: 0, score: score(v), digest: t })));
          await toEscalationReveals(base, roundId);
          await revealAttestations(base, late);
          expect(echoersLeft.length + drawn.filter((v) => v === e1 || v === e2).length).to.equal(2);
        }
        const sub = await base.pool.getSubmission(roundId, 0, 0);
        expect(sub.finalBps, `round ${round}`).to.equal(9000n); // the truth
        expect(sub.flags & FRAUD, `round ${round}: slashed`).to.equal(FRAUD);
        await after(base, roundId, "verify");
      }
      expect(bothDrawn, "the two were drawn together in some rounds").to.be.at.least(1);
      // every echo that reached the chain lost the penalty, none was paid
      const pen = (await committeeLogs(base, "Penalised")).filter((e) => e.verifier === e1.address || e.verifier === e2.address);
      const fees = (await committeeLogs(base, "FeePaid")).filter((e) => e.verifier === e1.address || e.verifier === e2.address);
      expect(fees).to.deep.equal([]);
      expect(pen.length).to.be.at.least(10);
    });
  });

  describe("attack (issue 10, property 2, second half): the miner's weights seal", () => {
    it("a claim of the true score by a miner that did not train (a made-up digest sealed) is fraud: slashed, the re-trainers share the slash; the same claim sealed honestly is paid", async () => {
      const f = await deployPool();
      const [v0, v1, v2] = f.actors.verifiers;
      const m0 = f.actors.miners[0];
      const outcome = async (tag: string, sealed?: string) => {
        const { roundId } = await singleClaim(f, { quorum: 3 }, 9500, tag, sealed);
        const t = trueDigest(roundId, 0, 0);
        // three reference re-trainings: the true score and the true digest (the seal's truth)
        expect(await f.pool.weightsSealOpens(roundId, 0, 0, t)).to.equal(sealed === undefined);
        expect(await f.pool.weightsSealOpens(roundId, 0, 0, ethers.ZeroHash), "no agreed digest: nothing to contradict").to.equal(true);
        const sealedAtts = await commitAttestations(f, roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500]));
        await toAttestReveals(f, roundId);
        const balance = (await f.pool.minerAccount(m0.address)).balance;
        await revealAttestations(f, sealedAtts);
        const sub = await f.pool.getSubmission(roundId, 0, 0);
        const lost = balance - (await f.pool.minerAccount(m0.address)).balance;
        await after(f, roundId, "verify");
        return { fraud: (sub.flags & FRAUD) === FRAUD, finalBps: sub.finalBps, lost, roundId };
      };
      const honest = await outcome("trained");
      const lazy = await outcome("untrained", ethers.id("a digest nobody trained"));
      expect(honest).to.include({ fraud: false, finalBps: 9500n, lost: 0n });
      // the score is exactly right, and still: the agreed digest does not open the seal
      expect(lazy).to.include({ fraud: true, finalBps: 9500n });
      expect(lazy.lost).to.equal(BigInt((await f.pool.getRound(lazy.roundId)).minStake));
      const slashed = await f.pool.queryFilter(f.pool.filters.Verified(lazy.roundId));
      expect(slashed.map((e) => [e.args.fraud, e.args.weightsDigest])).to.deep.equal([[true, trueDigest(lazy.roundId, 0, 0)]]);
      const shares = (await committeeLogs(f, "SlashShareCredited")).filter((e) => e.roundId === lazy.roundId);
      expect(shares.map((e) => e.verifier).sort()).to.deep.equal([v0, v1, v2].map((v) => v.address).sort());
    });

    it("two drawn colluders agreeing on a made-up digest cannot frame an honest miner: the seal they fail to open disputes it, and the escalation's re-trainings clear it", async () => {
      // a committee of five; the colluders seal the true score with one made-up digest wherever
      // they are drawn together, beside a cross-backend honest member (digest 0: without the seal
      // check nothing disputed their digest, and the miner was slashed by it)
      const base = await deployPool();
      const five = [...base.actors.verifiers, ...(await ethers.getSigners()).slice(14, 16)];
      await enrol(base, five.slice(3));
      const [c1, c2] = five;
      const m0 = base.actors.miners[0];
      await base.pool.connect(m0).stake(8n * MINER_STAKE);
      let framed = 0;
      let tried = 0;
      for (let round = 0; round < 12 && tried < 2; round++) {
        const { roundId } = await singleClaim(base, { quorum: 3 }, 9500, `frame${round}`);
        const { drawn, others } = await drawnOf(base, roundId, 0, 0, five);
        if (!(drawn.includes(c1) && drawn.includes(c2))) {
          await after(base, roundId, "verify");
          continue;
        }
        tried++;
        const fake = ethers.id(`framing digest ${round}`);
        const t = trueDigest(roundId, 0, 0);
        const first = await commitAttestations(base, roundId, drawn.map((v) => ({ verifier: v, task: 0, slot: 0, score: 9500, digest: v === c1 || v === c2 ? fake : ethers.ZeroHash })));
        await toAttestReveals(base, roundId);
        await revealAttestations(base, first);
        expect(await base.committee.isDecided(roundId, 0, 0), "not decided on the colluders' digest").to.equal(false);
        expect(await base.committee.isEscalated(roundId, 0, 0), "the contradicted seal is a dispute").to.equal(true);
        await toEscalation(base, roundId);
        const late = await commitAttestations(base, roundId, others.map((v) => ({ verifier: v, task: 0, slot: 0, score: 9500, digest: t })));
        await toEscalationReveals(base, roundId);
        await revealAttestations(base, late);
        const sub = await base.pool.getSubmission(roundId, 0, 0);
        expect(sub.flags & VERIFIED, `round ${round}: judged`).to.equal(VERIFIED);
        if ((sub.flags & FRAUD) === FRAUD) framed++;
        await after(base, roundId, "verify");
      }
      expect(tried, "the two were drawn together in some round").to.be.at.least(1);
      expect(framed, "honest miner slashed").to.equal(0);
      // and they earned nothing for it
      const fees = (await committeeLogs(base, "FeePaid")).filter((e) => e.verifier === c1.address || e.verifier === c2.address);
      expect(fees).to.deep.equal([]);
    });
  });

  describe("attack (issue 10, property 2): a verifier cannot see another verifier's result before committing its own", () => {
    it("before the commit phase ends the chain shows only seals; a copied seal cannot be opened; once scores show, commits are closed", async () => {
      const f = await loadFixture(fxAttack);
      const [v0, v1, lazy] = f.actors.verifiers;
      const { commitEnd, revealEnd } = await phases(f, f.roundId);
      // what the lazy verifier can read of the honest verifiers' work: a seal each, no score, no digest
      const seen = await f.committee.getAttestations(f.roundId, 0, 0);
      expect(seen.map((a) => [a.verifier, a.scoreBps, a.state, a.seal])).to.deep.equal(f.honest.map((h, i) => [[v0, v1][i].address, 0n, COMMITTED, h.seal]));
      for (const h of f.honest) expect(h.seal).to.not.equal(h.digest);
      expect(await committeeLogs(f, "Attested")).to.deep.equal([]);
      // nobody can open a seal before the commit phase ends, so no score reaches the chain in it
      await expect(revealAttestation(f, f.honest[0]))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
        .withArgs(f.roundId, commitEnd, revealEnd);
      // copying a seal does not help: it binds its author (and a salt only the author knows)
      await f.committee.connect(lazy).commitAttestation(f.roundId, 0, 0, seen[0].seal);
      await toAttestReveals(f, f.roundId);
      await revealAttestations(f, f.honest);
      expect((await committeeLogs(f, "Attested")).map((e) => [e.verifier, e.scoreBps])).to.deep.equal([
        [v0.address, 9500n],
        [v1.address, 9500n],
      ]);
      // even with the author's opening now public, the copy does not open
      const h = f.honest[0];
      await expect(f.committee.connect(lazy).revealAttestation(f.roundId, 0, 0, h.score, h.digest, h.salt))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSealMismatch")
        .withArgs(f.roundId, 0n, 0n, lazy.address);
      // and the copier is penalised as a committer that never revealed
      await toAttestDecide(f, f.roundId);
      await expect(f.committee.decide(f.roundId, 0, 0)).to.emit(f.committee, "Penalised").withArgs(f.roundId, 0n, 0n, lazy.address, PENALTY);

      // the other way to copy, waiting for the scores, finds the commit phase closed
      const g = await loadFixture(fxAttack);
      await toAttestReveals(g, g.roundId);
      await revealAttestations(g, g.honest);
      const late = await sealAttestation(g, g.roundId, { verifier: lazy, task: 0, slot: 0, score: 9500 });
      const { revealEnd: drawnRevealEnd, escalationCommitEnd } = await phases(g, g.roundId);
      await expect(commitSealed(g, late))
        .to.be.revertedWithCustomError(g.committee, "VerifierCommitteeNotInPhase")
        .withArgs(g.roundId, drawnRevealEnd, escalationCommitEnd);
      // and two reveals are fewer than quorum, so the submission escalates; but the lazy verifier
      // was drawn (a three-member committee draws everyone) and cannot come back to copy them
      await toEscalation(g, g.roundId);
      await expect(commitSealed(g, late))
        .to.be.revertedWithCustomError(g.committee, "VerifierCommitteeWasDrawn")
        .withArgs(g.roundId, 0n, 0n, lazy.address);
    });

    it("a lazy verifier that echoes the public claim with digest 0 on an honest submission ends with fewer tokens than when it re-trains honestly", async () => {
      /** One play from the same snapshot: the lazy verifier seals (score, digest) with the honest two, everything is opened, and it takes out what it earned. */
      async function play(choose: (claimedBps: number, roundId: bigint) => { score: number; digest: string }) {
        const f = await loadFixture(fxAttack);
        const lazy = f.actors.verifiers[2];
        const before = await tokensOf(f, lazy.address);
        // all it can see of the submission is the miner's public claim
        const claimed = Number((await f.pool.getSubmission(f.roundId, 0, 0)).claimedBps);
        const mine = await commitAttestations(f, f.roundId, [{ verifier: lazy, task: 0, slot: 0, ...choose(claimed, f.roundId) }]);
        await toAttestReveals(f, f.roundId);
        await revealAttestations(f, [...f.honest, ...mine]);
        expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(true);
        expect((await f.pool.getSubmission(f.roundId, 0, 0)).finalBps).to.equal(9500n); // the honest median either way
        await after(f, f.roundId, "verify");
        if ((await f.committee.verifierAccount(lazy.address)).fees > 0n) await f.committee.connect(lazy).withdrawFees();
        return (await tokensOf(f, lazy.address)) - before;
      }
      // lazy: echoes the claim as a score-only (cross-backend) attestation: within tolerance, so not
      // penalised, but a 0 digest is never paid where the reference re-trainings agree
      const echo = await play((claimed) => ({ score: claimed, digest: ZERO }));
      // honest: re-trains under the reference backend, measures 9500 and the agreed digest
      const honest = await play((_, roundId) => ({ score: 9500, digest: trueDigest(roundId, 0, 0) }));
      // lazy and bluffing a digest: it contradicts the agreed one
      const bluff = await play((claimed) => ({ score: claimed, digest: fake("bluff") }));
      expect(echo).to.equal(0n);
      expect(honest).to.equal(FEE);
      expect(bluff).to.equal(-PENALTY);
      expect(echo).to.be.lessThan(honest);
      expect(bluff).to.be.lessThan(echo);
    });
  });
});
