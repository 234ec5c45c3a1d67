// Function-by-function tests of PoNASPool: for every external function its success path (state
// and events) and every revert path with its exact custom error. Expected values are derived
// from the documented rules (README "Contracts" / NatSpec), never read back from the contract.
// Verifiers act through the pool's VerifierCommittee: here only what the pool does with their
// calls (challenges, the sample, verdicts, slashing); the committee's own bookkeeping (enrolment,
// stakes, sealed attestations, fees, penalties, fee budgets) is tested in VerifierCommittee.test.ts.
// Attestations are sealed in the commit phase of the verify window and opened in its reveal
// phase (test/helpers/attest.ts); a submission is judged at the last reveal of its committers.
import { expect } from "chai";
import {
  ethers,
  networkHelpers,
  deployPool,
  openRound,
  roundParams,
  partition,
  prefixTask,
  genes,
  commitFor,
  revealFor,
  after,
  afterPrimaryReveals,
  backupRevealStart,
  liabilities,
  holdings,
  ARITIES,
  TOKEN,
  BPS,
  MIN_VERIFIER_STAKE,
  RANDOMNESS_DELAY,
  fixSeed,
  honestSeal,
  trueDigest,
  type Deployed,
  type Reveal,
} from "./helpers/pool.js";
import {
  attestAll,
  byVerifiers,
  commitAttestations,
  commitSealed,
  phases,
  revealAttestation,
  revealAttestations,
  sealAttestation,
  toAttestReveals,
  type Attestation,
} from "./helpers/attest.js";
import { ceilDiv, drawn, minSafeStake as minSafeStakeRule, paidScore as paidScoreRule, seedOf, share } from "./helpers/rules.js";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { PoNASPool, VerifierCommittee } from "../types/ethers-contracts/index.js";

const { loadFixture, time } = networkHelpers;

const SCALE = 1_000_000n;
const NO_SLOT = ethers.MaxUint256;
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const MANAGER_ROLE = ethers.id("MANAGER_ROLE");
const PAUSER_ROLE = ethers.id("PAUSER_ROLE");
const MINER_STAKE = 1000n * TOKEN;
// Submission.flags bits and Status values, as documented in the contract.
const CHALLENGED = 1n;
const VERIFIED = 2n;
const FRAUD = 4n;
const DUPLICATE = 8n;
const Status = { None: 0n, Claimed: 1n, Revealed: 2n, Settled: 3n };
// IPoNASPool.ParamRule: the rule PoNASPoolInvalidParams reports, in declaration order.
const ParamRule = {
  Windows: 0n,
  Arities: 1n,
  RewardTotal: 2n,
  MinStake: 3n,
  Bps: 4n,
  Quorum: 5n,
  TopK: 6n,
  MaxBackups: 7n,
  MaxTasksPerMiner: 8n,
  VerifierFee: 9n,
  Tasks: 10n,
};

// Defaults of roundParams() in the shared fixture.
const BASELINE = 9000n;
const REWARD = 1000n * TOKEN;
const MIN_STAKE = 320n * TOKEN;
const FEE = 1n * TOKEN;
const FEE_BUDGET = 50n * TOKEN;
const SLASH_BPS = 2000n;
const SAMPLE_BPS = 5000n;
const TOP_K = 3n;
const QUORUM = 3;
const SIGMA_THRESHOLD = 500n * SCALE;

// One genome inside each task of partition(1) (the first gene fixes the task).
const G = [genes([0, 1, 1, 4]), genes([1, 2, 0, 3]), genes([2, 0, 1, 0])];
const TASK = [prefixTask([0]), prefixTask([1]), prefixTask([2])];
const salt = (s: string) => ethers.id(`salt:${s}`);

const perf = (score: bigint | number) => (BigInt(score) > BASELINE ? BigInt(score) - BASELINE : 0n);
/** RewardMath.paidScore (test/helpers/rules.ts) at the default sampleBps unless given. */
const paidScore = (claimed: bigint | number, median: bigint | number | null, sampleBps = SAMPLE_BPS) => paidScoreRule(claimed, median, sampleBps);
/** P of an unverified counting claim. */
const perfU = (claimed: bigint | number) => perf(paidScore(claimed, null));
/** P of a claim verified at `median` (not fraud), at the default sampleBps. */
const perfV = (claimed: bigint | number, median: bigint | number) => perf(paidScore(claimed, median));
/** RewardMath.minSafeStake (test/helpers/rules.ts) at the default slashBps unless given. */
const minSafeStake = (pot: bigint, sampleBps: bigint, topK: bigint, slashBps = SLASH_BPS) => minSafeStakeRule(pot, sampleBps, topK, slashBps);
/** What onVerdict sends the committee for `winners` honest verifiers: floor(minStake·s/BPS/w)·w. */
const slashToVerifiers = (winners: bigint, stake = MIN_STAKE, slashBps = SLASH_BPS) => ((stake * slashBps) / BPS / winners) * winners;
/**
 * Seals `list` in the commit phase, moves into the reveal phase and opens every seal but the last;
 * returns the last reveal, which judges the submission (the pool's onVerdict runs in it).
 */
async function lastReveal(d: Deployed, roundId: bigint, list: Attestation[]) {
  const sealed = await commitAttestations(d, roundId, list);
  await toAttestReveals(d, roundId);
  await revealAttestations(d, sealed.slice(0, -1));
  return revealAttestation(d, sealed[sealed.length - 1]);
}
/** Sampling.entry: the packed top-K word (claimed score << 48 | (task + 1) << 16 | slot << 8). */
const topEntry = (score: bigint | number, task: bigint | number, slot: bigint | number) =>
  (BigInt(score) << 48n) | ((BigInt(task) + 1n) << 16n) | (BigInt(slot) << 8n);
/** The commitment, computed off-chain from the documented encoding. */
function commitment(chainId: bigint, pool: string, roundId: bigint, task: number, miner: string, genome: string, score: number, s: string) {
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "uint256", "uint256", "address", "bytes32", "uint16", "bytes32"],
      [chainId, pool, roundId, task, miner, genome, score, s],
    ),
  );
}
/** RoundParams as a tuple in the ABI's field order (read from the ABI, so packing changes don't matter). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function paramsTuple(pool: PoNASPool, p: any): unknown[] {
  const fields = pool.interface.getEvent("RoundOpened")!.inputs[2].components!.map((c) => c.name);
  return fields.map((name) => {
    const v = p[name];
    if (v === undefined) throw new Error(`missing RoundParams field ${name}`);
    return typeof v === "number" ? BigInt(v) : v;
  });
}
/** The pool's commit block of a commitment is the block of its first Committed log. */
async function blockOf(tx: Promise<{ wait: () => Promise<unknown> }>) {
  const rc = (await (await tx).wait()) as { blockNumber: number };
  return BigInt(rc.blockNumber);
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

/** m0 primary of task 0, m1 primary of task 1, m2 backup (slot 1) of task 0. */
async function fxClaimed() {
  const f = await fxOpen();
  const [m0, m1, m2] = f.actors.miners;
  await f.pool.connect(m0).claim(f.roundId, 0);
  await f.pool.connect(m1).claim(f.roundId, 1);
  await f.pool.connect(m2).joinAsBackup(f.roundId, 0);
  return f;
}

/** fxClaimed plus: m0 committed G[0] at 9500 and m1 G[1] at 9700. Still in the commit window. */
async function fxCommitted() {
  const f = await fxClaimed();
  const [m0, m1] = f.actors.miners;
  const r0 = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("r0") });
  const r1 = await commitFor(f, m1, { roundId: f.roundId, task: 1, slot: 0, genome: G[1], score: 9700, salt: salt("r1") });
  return { ...f, r0, r1 };
}

/** fxCommitted, both revealed; m3 claimed task 2 and never revealed. Now past the reveal window. */
async function fxVerify() {
  const f = await fxCommitted();
  const [, , , m3] = f.actors.miners;
  await f.pool.connect(m3).claim(f.roundId, 2);
  await after(f, f.roundId, "commit");
  await revealFor(f, f.actors.miners[0], f.r0);
  await revealFor(f, f.actors.miners[1], f.r1);
  await after(f, f.roundId, "reveal");
  return f;
}

/**
 * A settled-round scenario, verified and finalised:
 *  task 0: m0 primary reveals 9500, verified at 9500 (P 500)
 *  task 1: m1 primary no-show; m3 backup (slot 1) reveals 9800, verified at 9800 (P 800)
 *  task 2: m2 primary claims 9900, verified at 9500: fraud, slashed
 */
async function fxFinalized() {
  const d = await deployPool();
  const { roundId } = await openRound(d);
  const [m0, m1, m2, m3] = d.actors.miners;
  const vs = d.actors.verifiers; // all three: the quorum
  for (const m of [m0, m1, m2, m3]) await d.pool.connect(m).stake(MINER_STAKE);
  await d.pool.connect(m0).claim(roundId, 0);
  await d.pool.connect(m1).claim(roundId, 1);
  await d.pool.connect(m3).joinAsBackup(roundId, 1);
  await d.pool.connect(m2).claim(roundId, 2);
  const r0 = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("f0") });
  const r1 = await commitFor(d, m3, { roundId, task: 1, slot: 1, genome: G[1], score: 9800, salt: salt("f1") });
  const r2 = await commitFor(d, m2, { roundId, task: 2, slot: 0, genome: G[2], score: 9900, salt: salt("f2") });
  await after(d, roundId, "commit");
  await revealFor(d, m0, r0);
  await revealFor(d, m2, r2);
  await afterPrimaryReveals(d, roundId); // m1 did not reveal: its backup m3 may
  await revealFor(d, m3, r1);
  await after(d, roundId, "reveal");
  // the three submissions are sealed in the commit phase, then opened: each judged at its last reveal
  await attestAll(d, roundId, [...byVerifiers(vs, 0, 0, [9500, 9500, 9500]), ...byVerifiers(vs, 1, 1, [9800, 9800, 9800]), ...byVerifiers(vs, 2, 0, [9500, 9500, 9500])]);
  await after(d, roundId, "verify");
  await fixSeed(d, roundId);
  await d.pool.finalize(roundId);
  return { ...d, roundId };
}
// Expected numbers of fxFinalized, from the rules.
const FX_TO_VERIFIERS = slashToVerifiers(3n); // floor(64 tokens / 3) · 3
const FX_TO_TREASURY = MIN_STAKE - FX_TO_VERIFIERS; // the slash's rest: forfeited, never the pot's
const FX_POT = REWARD; // the pot is rewardTotal: slashed stake does not grow it
const FX_SUMP = perf(9500) + perf(9800); // 1300: both verified at their claims
const FX_FEES = 9n * FEE; // three submissions, three attestations each proving the agreed digest

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

/** m0 has a history of two identical performances (P 700 twice): σ_p = 0. */
async function fxLowSigmaPrimary() {
  const d = await deployPool();
  const [m0] = d.actors.miners;
  await d.pool.connect(m0).stake(MINER_STAKE);
  await historyRound(d, m0, 9700, "h1");
  await historyRound(d, m0, 9700, "h2");
  return d;
}

/** m0 has a history P = 1000 then P = 0 (no-show): σ_p = 500 bps exactly. */
async function fxSigma500Primary() {
  const d = await deployPool();
  const [m0] = d.actors.miners;
  await d.pool.connect(m0).stake(MINER_STAKE);
  await historyRound(d, m0, 10000, "s1");
  await historyRound(d, m0, null, "s2");
  return d;
}

/**
 * topK 0 and a 1 bps sample (so almost nothing is drawn); openRound requires
 * minStake >= minSafeStake(rewardTotal, 1, 0, 20%) = rewardTotal · 9999 / 0.8, so the pot is 1000 wei.
 * m0, m1, m2 reveal 9200, 9300, 9400 on tasks 0, 1, 2; now past the reveal window.
 */
const TINY_REWARD = 1000n;
const RARE_SCORE = (task: number) => 9200 + 100 * task;
async function fxRareSample() {
  const d = await deployPool();
  const overrides = {
    topK: 0,
    sampleBps: 1,
    rewardTotal: TINY_REWARD,
    minStake: minSafeStake(TINY_REWARD, 1n, 0n),
    feeBudget: 10n * TOKEN,
  };
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

// =============================================================================================

describe("PoNASPool functions", () => {
  // -------------------------------------------------------------------------------------------
  describe("constructor", () => {
    it("sets token, treasury, its deployment block and the admin's three roles, creates its committee, and emits both settings", async () => {
      const d = await loadFixture(deployPool);
      const { admin, treasury, outsider } = d.actors;
      const pool = (await ethers.deployContract("PoNASPool", [
        await d.token.getAddress(),
        outsider.address,
        treasury.address,
        123n,
        await d.randomness.getAddress(),
      ])) as unknown as PoNASPool;
      const tx = pool.deploymentTransaction();
      // the committee is created in the same transaction, with the pool's token and admin
      const committee = (await ethers.getContractAt("VerifierCommittee", await pool.committee())) as unknown as VerifierCommittee;
      expect(await ethers.provider.getCode(await committee.getAddress())).to.not.equal("0x");
      await expect(tx).to.emit(pool, "TreasurySet").withArgs(treasury.address);
      await expect(tx).to.emit(committee, "MinVerifierStakeSet").withArgs(123n);
      expect(await committee.pool()).to.equal(await pool.getAddress());
      expect(await committee.token()).to.equal(await d.token.getAddress());
      expect(await committee.minVerifierStake()).to.equal(123n);
      expect(await committee.hasRole(DEFAULT_ADMIN_ROLE, outsider.address)).to.equal(true);
      expect(await committee.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(false);
      expect(await pool.token()).to.equal(await d.token.getAddress());
      expect(await pool.treasury()).to.equal(treasury.address);
      expect(await pool.randomness()).to.equal(await d.randomness.getAddress());
      // ...and its lens, in the same transaction, reading this pool
      const lens = await ethers.getContractAt("PoNASLens", await pool.lens());
      expect(await ethers.provider.getCode(await lens.getAddress())).to.not.equal("0x");
      expect(await lens.pool()).to.equal(await pool.getAddress());
      expect(await pool.roundCount()).to.equal(0n);
      expect(await pool.deploymentBlock()).to.equal(BigInt((await tx!.wait())!.blockNumber));
      expect(await pool.paused()).to.equal(false);
      for (const role of [DEFAULT_ADMIN_ROLE, MANAGER_ROLE, PAUSER_ROLE]) {
        expect(await pool.hasRole(role, outsider.address)).to.equal(true);
        expect(await pool.hasRole(role, admin.address)).to.equal(false);
      }
    });

    it("reverts PoNASPoolZeroAddress for a zero token, admin, treasury or randomness source", async () => {
      const d = await loadFixture(deployPool);
      const factory = await ethers.getContractFactory("PoNASPool");
      const tok = await d.token.getAddress();
      const rnd = await d.randomness.getAddress();
      const { admin, treasury } = d.actors;
      const Z = ethers.ZeroAddress;
      await expect(factory.deploy(Z, admin.address, treasury.address, 1n, rnd)).to.be.revertedWithCustomError(factory, "PoNASPoolZeroAddress");
      await expect(factory.deploy(tok, Z, treasury.address, 1n, rnd)).to.be.revertedWithCustomError(factory, "PoNASPoolZeroAddress");
      await expect(factory.deploy(tok, admin.address, Z, 1n, rnd)).to.be.revertedWithCustomError(factory, "PoNASPoolZeroAddress");
      await expect(factory.deploy(tok, admin.address, treasury.address, 1n, Z)).to.be.revertedWithCustomError(factory, "PoNASPoolZeroAddress");
    });

    it("exposes its role constants; its numeric limits are internal (no room for getters) and enforced by openRound", async () => {
      const { pool } = await loadFixture(deployPool);
      expect(await pool.MANAGER_ROLE()).to.equal(MANAGER_ROLE);
      expect(await pool.PAUSER_ROLE()).to.equal(PAUSER_ROLE);
      expect(await pool.DEFAULT_ADMIN_ROLE()).to.equal(DEFAULT_ADMIN_ROLE);
      for (const name of ["BPS", "MAX_QUORUM", "MAX_BACKUPS", "NO_SLOT", "SEED_GRACE"]) expect(pool.interface.hasFunction(name), name).to.equal(false);
    });

    it("keeps only raw getters: the derived views live on its lens (PoNASLens.test.ts)", async () => {
      const { pool, lens } = await loadFixture(deployPool);
      for (const name of ["isSampled", "projectedReward", "getTopK", "sigma", "backupsAllowed", "sweepable", "backupRevealStart", "challengeEnd"]) {
        expect(pool.interface.hasFunction(name), `pool.${name}`).to.equal(false);
        expect(lens.interface.hasFunction(name), `lens.${name}`).to.equal(true);
      }
      for (const name of ["topK", "performanceStats", "getRound", "getRoundState", "getSubmission", "lens"]) {
        expect(pool.interface.hasFunction(name), `pool.${name}`).to.equal(true);
      }
      expect(await lens.pool()).to.equal(await pool.getAddress());
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("AccessControl (inherited)", () => {
    it("the admin grants and revokes roles; every role is administered by DEFAULT_ADMIN_ROLE", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      const { admin, outsider } = actors;
      for (const role of [DEFAULT_ADMIN_ROLE, MANAGER_ROLE, PAUSER_ROLE]) {
        expect(await pool.getRoleAdmin(role)).to.equal(DEFAULT_ADMIN_ROLE);
      }
      await expect(pool.connect(admin).grantRole(MANAGER_ROLE, outsider.address))
        .to.emit(pool, "RoleGranted")
        .withArgs(MANAGER_ROLE, outsider.address, admin.address);
      expect(await pool.hasRole(MANAGER_ROLE, outsider.address)).to.equal(true);
      await expect(pool.connect(admin).revokeRole(MANAGER_ROLE, outsider.address))
        .to.emit(pool, "RoleRevoked")
        .withArgs(MANAGER_ROLE, outsider.address, admin.address);
      expect(await pool.hasRole(MANAGER_ROLE, outsider.address)).to.equal(false);
    });

    it("non-admins cannot grant or revoke; only the holder can renounce", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      const { admin, outsider } = actors;
      await expect(pool.connect(outsider).grantRole(MANAGER_ROLE, outsider.address))
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
      await expect(pool.connect(outsider).revokeRole(MANAGER_ROLE, admin.address))
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, DEFAULT_ADMIN_ROLE);
      await expect(pool.connect(outsider).renounceRole(PAUSER_ROLE, admin.address)).to.be.revertedWithCustomError(
        pool,
        "AccessControlBadConfirmation",
      );
      await expect(pool.connect(admin).renounceRole(PAUSER_ROLE, admin.address))
        .to.emit(pool, "RoleRevoked")
        .withArgs(PAUSER_ROLE, admin.address, admin.address);
      await expect(pool.connect(admin).pause())
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, PAUSER_ROLE);
    });

    it("supportsInterface: ERC165 and IAccessControl yes, others no", async () => {
      const { pool } = await loadFixture(deployPool);
      expect(await pool.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await pool.supportsInterface("0x7965db0b")).to.equal(true);
      expect(await pool.supportsInterface("0xffffffff")).to.equal(false);
      expect(await pool.supportsInterface("0x12345678")).to.equal(false);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("setTreasury", () => {
    it("sets the treasury and emits TreasurySet", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await expect(pool.connect(actors.admin).setTreasury(actors.outsider.address))
        .to.emit(pool, "TreasurySet")
        .withArgs(actors.outsider.address);
      expect(await pool.treasury()).to.equal(actors.outsider.address);
    });
    it("reverts PoNASPoolZeroAddress for the zero address", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await expect(pool.connect(actors.admin).setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        pool,
        "PoNASPoolZeroAddress",
      );
    });
    it("reverts for a non-admin", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await expect(pool.connect(actors.outsider).setTreasury(actors.outsider.address))
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(actors.outsider.address, DEFAULT_ADMIN_ROLE);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("pause / unpause", () => {
    it("pause and unpause toggle paused() and emit Paused / Unpaused", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await expect(pool.connect(actors.admin).pause()).to.emit(pool, "Paused").withArgs(actors.admin.address);
      expect(await pool.paused()).to.equal(true);
      await expect(pool.connect(actors.admin).unpause()).to.emit(pool, "Unpaused").withArgs(actors.admin.address);
      expect(await pool.paused()).to.equal(false);
    });
    it("a granted PAUSER_ROLE may pause", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await pool.connect(actors.admin).grantRole(PAUSER_ROLE, actors.outsider.address);
      await expect(pool.connect(actors.outsider).pause()).to.emit(pool, "Paused").withArgs(actors.outsider.address);
    });
    it("reverts for a caller without PAUSER_ROLE", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await expect(pool.connect(actors.outsider).pause())
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(actors.outsider.address, PAUSER_ROLE);
      await pool.connect(actors.admin).pause();
      await expect(pool.connect(actors.outsider).unpause())
        .to.be.revertedWithCustomError(pool, "AccessControlUnauthorizedAccount")
        .withArgs(actors.outsider.address, PAUSER_ROLE);
    });
    it("pausing twice reverts EnforcedPause; unpausing when not paused reverts ExpectedPause", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await expect(pool.connect(actors.admin).unpause()).to.be.revertedWithCustomError(pool, "ExpectedPause");
      await pool.connect(actors.admin).pause();
      await expect(pool.connect(actors.admin).pause()).to.be.revertedWithCustomError(pool, "EnforcedPause");
    });

    it("while paused, claim, joinAsBackup, commit and reveal revert EnforcedPause", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0, , , m3, m4] = f.actors.miners;
      await f.pool.connect(f.actors.admin).pause();
      await expect(f.pool.connect(m3).claim(f.roundId, 2)).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
      await expect(f.pool.connect(m4).joinAsBackup(f.roundId, 0)).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
      await expect(f.pool.connect(m0).commit(f.roundId, ethers.id("x"))).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, m0, f.r0)).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
      // lifting the pause restores them, with the windows moved later by the pause (see below)
      await f.pool.connect(f.actors.admin).unpause();
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, m0, f.r0)).to.emit(f.pool, "Revealed");
    });

    it("while paused, stake, challenge, commit, reveal, finalize, withdraw, sweep, sweepFees, unstake, unstakeVerifier and withdrawFees still work", async () => {
      const f = await loadFixture(fxVerify);
      const [m0, m1, , m3, m4] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      // a pause stops seed requests (see below): the seed is fixed before it
      const seed = await fixSeed(f, f.roundId);
      await f.pool.connect(f.actors.admin).pause();
      await expect(f.pool.connect(m4).stake(5n)).to.emit(f.pool, "Staked");
      await expect(f.committee.connect(v2).challenge(f.roundId, 1, 0)).to.emit(f.pool, "Challenged");
      const sealed = [];
      for (const v of [v0, v1, v2]) sealed.push(await sealAttestation(f, f.roundId, { verifier: v, task: 0, slot: 0, score: 9500 }));
      for (const s of sealed) await expect(commitSealed(f, s)).to.emit(f.committee, "AttestationCommitted");
      await toAttestReveals(f, f.roundId);
      await expect(revealAttestation(f, sealed[0])).to.emit(f.committee, "Attested");
      await expect(revealAttestation(f, sealed[1])).to.emit(f.committee, "Attested");
      await expect(revealAttestation(f, sealed[2])).to.emit(f.pool, "Verified");
      await after(f, f.roundId, "verify");
      expect(await fixSeed(f, f.roundId)).to.equal(seed);
      await expect(f.pool.finalize(f.roundId)).to.emit(f.pool, "RoundFinalized");
      await expect(f.pool.withdraw(f.roundId, 0, 0)).to.emit(f.pool, "Withdrawn");
      await expect(f.pool.withdraw(f.roundId, 1, 0)).to.emit(f.pool, "Withdrawn");
      await expect(f.pool.withdraw(f.roundId, 2, 0)).to.emit(f.pool, "Withdrawn");
      await expect(f.pool.sweep(f.roundId)).to.emit(f.pool, "Swept");
      await expect(f.committee.sweepFees(f.roundId)).to.emit(f.committee, "FeesSwept");
      await expect(f.pool.connect(m0).unstake(MINER_STAKE)).to.changeTokenBalances(ethers, f.token, [m0], [MINER_STAKE]);
      await expect(f.pool.connect(m1).unstake(1n)).to.emit(f.pool, "Unstaked");
      await expect(f.pool.connect(m3).unstake(1n)).to.emit(f.pool, "Unstaked");
      await expect(f.committee.connect(v0).withdrawFees()).to.changeTokenBalances(ethers, f.token, [v0], [FEE]);
      await f.committee.connect(f.actors.admin).setVerifier(v2.address, false);
      await expect(f.committee.connect(v2).unstakeVerifier(MIN_VERIFIER_STAKE)).to.emit(f.committee, "VerifierUnstaked");
      expect(await f.pool.paused()).to.equal(true);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("unpause gives the pause's time back (WindowsExtended)", () => {
    /** The block timestamp of a mined transaction. */
    async function timeOf(tx: Promise<{ wait: () => Promise<unknown> }>) {
      const rc = (await (await tx).wait()) as { blockNumber: number };
      return BigInt((await ethers.provider.getBlock(rc.blockNumber))!.timestamp);
    }
    /** The WindowsExtended events of a transaction, as [roundId, by], in order. */
    async function extended(d: Deployed, tx: Promise<{ wait: () => Promise<unknown> }>) {
      const rc = (await (await tx).wait()) as { logs: { topics: string[]; data: string }[] };
      return rc.logs
        .map((l) => d.pool.interface.parseLog(l))
        .filter((e) => e?.name === "WindowsExtended")
        .map((e) => e!.args.toArray() as bigint[]);
    }
    const ends = async (d: Deployed, r: bigint) => {
      const p = await d.pool.getRound(r);
      return [p.commitEnd, p.revealEnd, p.verifyEnd];
    };

    it("moves commitEnd, revealEnd and verifyEnd of a round open at the pause later by exactly the pause length", async () => {
      const d = await loadFixture(deployPool);
      const { roundId, params: p } = await openRound(d);
      const [m0] = d.actors.miners;
      await d.pool.connect(m0).stake(MINER_STAKE);
      const from = await timeOf(d.pool.connect(d.actors.admin).pause());
      await time.increase(5000); // past the original commitEnd
      const unpause = d.pool.connect(d.actors.admin).unpause();
      const to = await timeOf(unpause);
      const by = to - from;
      expect(by).to.be.greaterThan(5000n);
      await expect(unpause).to.emit(d.pool, "WindowsExtended").withArgs(roundId, by);
      expect(await ends(d, roundId)).to.deep.equal([p.commitEnd + by, p.revealEnd + by, p.verifyEnd + by]);
      // the claim window the pause took is given back: a claim after the original commitEnd works
      expect(BigInt(await time.latest())).to.be.greaterThan(p.commitEnd);
      await expect(d.pool.connect(m0).claim(roundId, 0)).to.emit(d.pool, "Claimed");
      // the lens reads the moved windows
      expect(await d.lens.backupRevealStart(roundId)).to.equal((p.commitEnd + p.revealEnd + 2n * by) / 2n);
      expect(await d.lens.challengeEnd(roundId)).to.equal(p.revealEnd + by + (p.verifyEnd - p.revealEnd) / 4n);
      // a second pause moves them again, by its own length only
      const from2 = await timeOf(d.pool.connect(d.actors.admin).pause());
      await time.increase(100);
      const un2 = d.pool.connect(d.actors.admin).unpause();
      const by2 = (await timeOf(un2)) - from2;
      await expect(un2).to.emit(d.pool, "WindowsExtended").withArgs(roundId, by2);
      expect(await ends(d, roundId)).to.deep.equal([p.commitEnd + by + by2, p.revealEnd + by + by2, p.verifyEnd + by + by2]);
    });

    it("a pause in the primaries' half moves revealEnd and verifyEnd by twice its length (the split by its length); one in the backups' half by its length; a round already verifying or past is not touched", async () => {
      const d = await loadFixture(deployPool);
      const { roundId: past } = await openRound(d, {}, partition(1), { commit: 60, reveal: 60, verify: 60 });
      const { roundId: verifying } = await openRound(d, {}, partition(1), { commit: 600, reveal: 600, verify: 7200 });
      const { roundId: revealing, params: p } = await openRound(d); // 3600 s windows
      const before = { past: await ends(d, past), verifying: await ends(d, verifying), revealing: await ends(d, revealing) };
      const split = (p.commitEnd + p.revealEnd) / 2n;
      await after(d, revealing, "commit");
      const from = await timeOf(d.pool.connect(d.actors.admin).pause());
      expect(from).to.be.greaterThan(p.commitEnd);
      expect(from).to.be.at.most(split);
      expect(from).to.be.greaterThan(before.verifying[1]);
      expect(from).to.be.greaterThan(before.past[2]);
      await time.increase(1000);
      const unpause = d.pool.connect(d.actors.admin).unpause();
      const to = await timeOf(unpause);
      const by = to - from;
      expect(await extended(d, unpause)).to.deep.equal([[revealing, 2n * by]]);
      expect(await ends(d, revealing)).to.deep.equal([p.commitEnd, p.revealEnd + 2n * by, p.verifyEnd + 2n * by]);
      // the primaries get back exactly the time the pause took from their half
      expect((await d.lens.backupRevealStart(revealing)) - to).to.equal(split - from);
      expect(await ends(d, verifying)).to.deep.equal(before.verifying);
      expect(await ends(d, past)).to.deep.equal(before.past);

      // now a pause in the backups' half: revealEnd and verifyEnd move by its length
      const q = await d.pool.getRound(revealing);
      const split2 = (q.commitEnd + q.revealEnd) / 2n;
      await time.increaseTo(split2 + 10n);
      const from2 = await timeOf(d.pool.connect(d.actors.admin).pause());
      await time.increase(500);
      const un2 = d.pool.connect(d.actors.admin).unpause();
      const to2 = await timeOf(un2);
      const by2 = to2 - from2;
      expect(await extended(d, un2)).to.deep.equal([[revealing, by2]]);
      expect(await ends(d, revealing)).to.deep.equal([q.commitEnd, q.revealEnd + by2, q.verifyEnd + by2]);
      // the backups keep the time they had left; the primaries' half does not reopen
      expect(q.revealEnd + by2 - to2).to.equal(q.revealEnd - from2);
      expect(await d.lens.backupRevealStart(revealing)).to.be.lessThan(to2);
    });

    it("an end exactly at the pause's start counts as not passed and moves", async () => {
      const d = await loadFixture(deployPool);
      const { roundId, params: p } = await openRound(d);
      await time.setNextBlockTimestamp(p.commitEnd);
      const from = await timeOf(d.pool.connect(d.actors.admin).pause());
      expect(from).to.equal(p.commitEnd);
      await time.increase(10);
      const unpause = d.pool.connect(d.actors.admin).unpause();
      const by = (await timeOf(unpause)) - from;
      await expect(unpause).to.emit(d.pool, "WindowsExtended").withArgs(roundId, by);
      expect(await ends(d, roundId)).to.deep.equal([p.commitEnd + by, p.revealEnd + by, p.verifyEnd + by]);
    });

    it("leaves a finalised round untouched, even one finalised during the pause", async () => {
      const d = await loadFixture(deployPool);
      const { roundId: done } = await openRound(d, {}, partition(1), { commit: 60, reveal: 60, verify: 60 });
      const { roundId: open, params: p } = await openRound(d);
      await after(d, done, "reveal");
      await fixSeed(d, done); // a pause stops requests: fixed before it
      const from = await timeOf(d.pool.connect(d.actors.admin).pause()); // inside done's verify window
      const doneEnds = await ends(d, done);
      expect(from).to.be.at.most(doneEnds[2]);
      await after(d, done, "verify");
      await expect(d.pool.finalize(done)).to.emit(d.pool, "RoundFinalized"); // finalisation works while paused
      const unpause = d.pool.connect(d.actors.admin).unpause();
      const by = (await timeOf(unpause)) - from;
      expect((await extended(d, unpause)).map((e) => e[0])).to.deep.equal([open]);
      expect(await ends(d, done)).to.deep.equal(doneEnds);
      expect(await ends(d, open)).to.deep.equal([p.commitEnd + by, p.revealEnd + by, p.verifyEnd + by]);
    });

    it("with no round open it only unpauses (no WindowsExtended)", async () => {
      const d = await loadFixture(deployPool);
      await d.pool.connect(d.actors.admin).pause();
      await time.increase(100);
      const tx = d.pool.connect(d.actors.admin).unpause();
      await expect(tx).to.emit(d.pool, "Unpaused");
      await expect(tx).not.to.emit(d.pool, "WindowsExtended");
    });

    it("a pause that begins after revealEnd holds nothing back: the seed is requested and fixed, the round finalised while paused, and unpause leaves its windows", async () => {
      const f = await loadFixture(fxVerify); // past revealEnd, nothing requested yet
      const before = await f.pool.getRound(f.roundId);
      await f.pool.connect(f.actors.admin).pause();
      await expect(f.pool.fixSampleSeed(f.roundId)).to.emit(f.randomness, "RandomnessRequested");
      expect(await fixSeed(f, f.roundId)).to.not.equal(ethers.ZeroHash);
      await after(f, f.roundId, "verify");
      await expect(f.pool.finalize(f.roundId)).to.emit(f.pool, "RoundFinalized");
      const unpause = f.pool.connect(f.actors.admin).unpause();
      await expect(unpause).not.to.emit(f.pool, "WindowsExtended");
      const now = await f.pool.getRound(f.roundId);
      expect([now.commitEnd, now.revealEnd, now.verifyEnd]).to.deep.equal([before.commitEnd, before.revealEnd, before.verifyEnd]);
    });

    it("a pause that began before revealEnd holds the round: no seed request and no finalize while paused, however long; the seed only after the moved revealEnd", async () => {
      const f = await loadFixture(fxCommitted);
      const p = f.params;
      const from = await timeOf(f.pool.connect(f.actors.admin).pause()); // in the commit window
      await time.increaseTo(p.verifyEnd + 10n);
      await expect(f.pool.fixSampleSeed(f.roundId)).not.to.emit(f.randomness, "RandomnessRequested");
      expect(await f.pool.fixSampleSeed.staticCall(f.roundId)).to.equal(ethers.ZeroHash);
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false);
      // nor is it finalised while held, however long the pause: SEED_GRACE cannot run out under it
      await time.increaseTo(p.verifyEnd + 2n * 86_400n);
      await expect(f.pool.finalize(f.roundId)).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
      const by = (await timeOf(f.pool.connect(f.actors.admin).unpause())) - from;
      const moved = await f.pool.getRound(f.roundId);
      expect([moved.commitEnd, moved.revealEnd, moved.verifyEnd]).to.deep.equal([p.commitEnd + by, p.revealEnd + by, p.verifyEnd + by]);
      await expect(f.pool.fixSampleSeed(f.roundId))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow")
        .withArgs(f.roundId, moved.revealEnd, moved.verifyEnd);
      // the reveal the pause blocked fits in the moved window
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, f.actors.miners[0], f.r0)).to.emit(f.pool, "Revealed");
      await after(f, f.roundId, "reveal");
      await expect(f.pool.fixSampleSeed(f.roundId)).to.emit(f.randomness, "RandomnessRequested");
      expect(await fixSeed(f, f.roundId)).to.not.equal(ethers.ZeroHash);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("openRound", () => {
    it("stores the round, adds its tasks, pulls rewardTotal into the pool and feeBudget into the committee, and emits RoundOpened and TaskAdded", async () => {
      const d = await loadFixture(deployPool);
      const { admin } = d.actors;
      const p = await roundParams();
      const { masks, values } = partition(1);
      expect(await d.pool.connect(admin).openRound.staticCall(p, masks, values)).to.equal(1n);
      const tx = d.pool.connect(admin).openRound(p, masks, values);
      await expect(tx).to.emit(d.pool, "RoundOpened").withArgs(1n, admin.address, paramsTuple(d.pool, p));
      for (let i = 0; i < 3; i++) await expect(tx).to.emit(d.pool, "TaskAdded").withArgs(1n, i, masks[i], values[i]);
      await expect(tx).to.changeTokenBalances(
        ethers,
        d.token,
        [admin, d.pool, d.committee],
        [-(REWARD + FEE_BUDGET), REWARD, FEE_BUDGET],
      );
      await expect(tx).to.emit(d.committee, "FeeBudgetFunded").withArgs(1n, FEE_BUDGET);
      const fees = await d.committee.roundFees(1n);
      expect([fees.budget, fees.spent, fees.swept]).to.deep.equal([FEE_BUDGET, 0n, false]);
      expect(await d.pool.roundCount()).to.equal(1n);
      const stored = await d.pool.getRound(1n);
      expect(paramsTuple(d.pool, stored)).to.deep.equal(paramsTuple(d.pool, p));
      const s = await d.pool.getRoundState(1n);
      expect(s.taskCount).to.equal(3n);
      expect(s.sumP).to.equal(0n);
      expect(s.finalized).to.equal(false);
      expect(s.seed).to.equal(ethers.ZeroHash);
      for (let i = 0; i < 3; i++) {
        const t = await d.pool.getTask(1n, i);
        expect([t.mask, t.value]).to.deep.equal([masks[i], values[i]]);
      }
      // ids increase
      const p2 = await roundParams();
      await expect(d.pool.connect(admin).openRound(p2, masks, values)).to.emit(d.pool, "RoundOpened").withArgs(2n, admin.address, paramsTuple(d.pool, p2));
      expect(await d.pool.roundCount()).to.equal(2n);
    });

    it("accepts every parameter at its documented limit", async () => {
      const d = await loadFixture(deployPool);
      const p = await roundParams({
        baselineBps: 9999,
        toleranceBps: 10000,
        sampleBps: 10000,
        slashBps: 9999,
        noShowBps: 10000,
        quorum: 9,
        topK: 8,
        maxBackups: 8,
        maxTasksPerMiner: 255,
        verifierFee: 2n ** 80n - 1n,
        minStake: 1n, // minSafeStake at sampleBps 10000 is 0
        feeBudget: 0n,
      });
      await expect(d.pool.connect(d.actors.admin).openRound(p, [ethers.ZeroHash], [ethers.ZeroHash]))
        .to.emit(d.pool, "TaskAdded")
        .withArgs(1n, 0n, ethers.ZeroHash, ethers.ZeroHash);
    });

    it("reverts for a caller without MANAGER_ROLE", async () => {
      const d = await loadFixture(deployPool);
      const p = await roundParams();
      const { masks, values } = partition(1);
      await expect(d.pool.connect(d.actors.outsider).openRound(p, masks, values))
        .to.be.revertedWithCustomError(d.pool, "AccessControlUnauthorizedAccount")
        .withArgs(d.actors.outsider.address, MANAGER_ROLE);
    });

    it("pulls both amounts from the calling manager through the pool's allowance (reverts without it)", async () => {
      const d = await loadFixture(deployPool);
      const { admin, treasury } = d.actors; // treasury holds no tokens and approved nothing
      await d.pool.connect(admin).grantRole(MANAGER_ROLE, treasury.address);
      const p = await roundParams();
      const { masks, values } = partition(1);
      await expect(d.pool.connect(treasury).openRound(p, masks, values))
        .to.be.revertedWithCustomError(d.token, "ERC20InsufficientAllowance")
        .withArgs(d.poolAddress, 0n, REWARD);
      await d.token.connect(admin).transfer(treasury.address, REWARD + FEE_BUDGET);
      // an allowance for the reward alone: the fee budget's transfer into the committee fails,
      // and approving the committee does not help (the pool moves both amounts)
      await d.token.connect(treasury).approve(d.poolAddress, REWARD);
      await d.token.connect(treasury).approve(d.committeeAddress, FEE_BUDGET);
      await expect(d.pool.connect(treasury).openRound(p, masks, values))
        .to.be.revertedWithCustomError(d.token, "ERC20InsufficientAllowance")
        .withArgs(d.poolAddress, 0n, FEE_BUDGET);
      await d.token.connect(treasury).approve(d.poolAddress, REWARD + FEE_BUDGET);
      await expect(d.pool.connect(treasury).openRound(p, masks, values)).to.changeTokenBalances(
        ethers,
        d.token,
        [treasury, d.pool, d.committee],
        [-(REWARD + FEE_BUDGET), REWARD, FEE_BUDGET],
      );
      expect(await d.token.allowance(treasury.address, d.committeeAddress)).to.equal(FEE_BUDGET);
    });

    const WINDOWS = ParamRule.Windows;
    const RANGES = ParamRule.Bps;
    it("reverts PoNASPoolInvalidParams when the windows are out of order", async () => {
      const d = await loadFixture(deployPool);
      const { masks, values } = partition(1);
      const admin = d.actors.admin;
      const p = await roundParams();
      // commitEnd equal to the block's timestamp
      const t = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(t);
      await expect(d.pool.connect(admin).openRound({ ...p, commitEnd: t }, masks, values))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(WINDOWS);
      const q = await roundParams();
      await expect(d.pool.connect(admin).openRound({ ...q, revealEnd: q.commitEnd }, masks, values))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(WINDOWS);
      await expect(d.pool.connect(admin).openRound({ ...q, verifyEnd: q.revealEnd }, masks, values))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(WINDOWS);
      // every phase of the verify window (down to the escalation reveals, a sixteenth) needs a
      // second: 15 s is too short, 16 s is accepted
      await expect(d.pool.connect(admin).openRound({ ...q, verifyEnd: q.revealEnd + 15n }, masks, values))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(WINDOWS);
      await expect(d.pool.connect(admin).openRound({ ...q, verifyEnd: q.revealEnd + 16n }, masks, values)).to.emit(d.pool, "RoundOpened");
      await expect(d.pool.connect(admin).openRound({ ...q, revealEnd: q.commitEnd - 1n }, masks, values))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(WINDOWS);
      // a one-second reveal window would leave the primaries' half empty
      await expect(d.pool.connect(admin).openRound({ ...q, revealEnd: q.commitEnd + 1n }, masks, values))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(WINDOWS);
      // two seconds is the shortest window with a non-empty half for each side
      await expect(d.pool.connect(admin).openRound({ ...q, revealEnd: q.commitEnd + 2n }, masks, values)).to.emit(
        d.pool,
        "RoundOpened",
      );
    });

    const cases: [string, Record<string, unknown>, bigint][] = [
      ["zero arities", { arities: ethers.ZeroHash }, ParamRule.Arities],
      ["zero rewardTotal", { rewardTotal: 0n }, ParamRule.RewardTotal],
      ["zero minStake", { minStake: 0n }, ParamRule.MinStake],
      ["baselineBps 10000", { baselineBps: 10000 }, RANGES],
      ["toleranceBps 10001", { toleranceBps: 10001 }, RANGES],
      ["sampleBps 10001", { sampleBps: 10001 }, RANGES],
      // slashBps 100% would leave a self-attesting cheater nothing to lose (minSafeStake has 1 - s below)
      ["slashBps 10000", { slashBps: 10000 }, RANGES],
      ["noShowBps 10001", { noShowBps: 10001 }, RANGES],
      // quorum: odd, 3..9 (no single verifier decides; an even count's median is a mean one verifier moves)
      ["quorum 0", { quorum: 0 }, ParamRule.Quorum],
      ["quorum 1", { quorum: 1 }, ParamRule.Quorum],
      ["quorum 2", { quorum: 2 }, ParamRule.Quorum],
      ["quorum 4", { quorum: 4 }, ParamRule.Quorum],
      ["quorum 10", { quorum: 10 }, ParamRule.Quorum],
      ["topK 9", { topK: 9 }, ParamRule.TopK],
      ["maxBackups 9", { maxBackups: 9 }, ParamRule.MaxBackups],
      ["maxTasksPerMiner 0", { maxTasksPerMiner: 0 }, ParamRule.MaxTasksPerMiner],
      ["verifierFee 2^80", { verifierFee: 2n ** 80n }, ParamRule.VerifierFee],
    ];
    for (const [name, overrides, reason] of cases) {
      it(`reverts PoNASPoolInvalidParams for ${name}`, async () => {
        const d = await loadFixture(deployPool);
        const { masks, values } = partition(1);
        const p = await roundParams(overrides);
        await expect(d.pool.connect(d.actors.admin).openRound(p, masks, values))
          .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
          .withArgs(reason);
      });
    }

    it("accepts every odd quorum from 3 to 9 (3, 5, 9) and refuses every even one in between", async () => {
      const d = await loadFixture(deployPool);
      const { masks, values } = partition(1);
      for (const quorum of [3, 5, 9]) {
        const p = await roundParams({ quorum });
        await expect(d.pool.connect(d.actors.admin).openRound(p, masks, values)).to.emit(d.pool, "RoundOpened");
        expect((await d.pool.getRound(await d.pool.roundCount())).quorum).to.equal(BigInt(quorum));
      }
      for (const quorum of [6, 8]) {
        await expect(d.pool.connect(d.actors.admin).openRound(await roundParams({ quorum }), masks, values))
          .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
          .withArgs(ParamRule.Quorum);
      }
    });

    it("stores noShowBps and sigmaThreshold (uint32) as given", async () => {
      const d = await loadFixture(deployPool);
      const { roundId } = await openRound(d, { noShowBps: 1234, sigmaThreshold: 2n ** 32n - 1n });
      const p = await d.pool.getRound(roundId);
      expect([p.noShowBps, p.sigmaThreshold]).to.deep.equal([1234n, 2n ** 32n - 1n]);
    });

    it("reverts PoNASPoolInvalidParams for empty or mismatched masks and values", async () => {
      const d = await loadFixture(deployPool);
      const p = await roundParams();
      const reason = ParamRule.Tasks;
      const { masks, values } = partition(1);
      await expect(d.pool.connect(d.actors.admin).openRound(p, [], []))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(reason);
      await expect(d.pool.connect(d.actors.admin).openRound(p, masks, values.slice(0, 2)))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidParams")
        .withArgs(reason);
    });

    it("reverts PoNASPoolUnsafeStake(minStake, required) below minSafeStake(rewardTotal, sampleBps, topK, slashBps)", async () => {
      const d = await loadFixture(deployPool);
      const { masks, values } = partition(1);
      const admin = d.actors.admin;
      const open = async (o: Record<string, unknown>) => d.pool.connect(admin).openRound(await roundParams(o), masks, values);
      // defaults: 1000 tokens, 50%, K = 3, slash 20%: 1000 · 0.5 / (0.5 · 4 · 0.8) = 312.5 tokens exactly
      const required = minSafeStake(REWARD, SAMPLE_BPS, TOP_K, SLASH_BPS);
      expect(required).to.equal(3125n * TOKEN / 10n);
      expect(MIN_STAKE).to.be.at.least(required); // the fixture's default is safe
      await expect(open({ minStake: required - 1n }))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
        .withArgs(required - 1n, required);
      await expect(open({ minStake: required })).to.emit(d.pool, "RoundOpened");
      // the old bound (no slash term: 250 tokens) is no longer enough
      const oldBound = ceilDiv(REWARD * (BPS - SAMPLE_BPS), SAMPLE_BPS * (TOP_K + 1n));
      expect(oldBound).to.equal(250n * TOKEN);
      await expect(open({ minStake: oldBound }))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
        .withArgs(oldBound, required);
      // the bound grows with the verifiers' share: slash 0 is the old bound, 50% doubles it
      await expect(open({ slashBps: 0, minStake: oldBound })).to.emit(d.pool, "RoundOpened");
      const half = minSafeStake(REWARD, SAMPLE_BPS, TOP_K, 5000n);
      expect(half).to.equal(500n * TOKEN);
      await expect(open({ slashBps: 5000, minStake: half - 1n }))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
        .withArgs(half - 1n, half);
      // 30%, K = 0, slash 20% rounds up: 1000 · 0.7 / (0.3 · 0.8) = 2916.67 tokens
      const r2 = minSafeStake(REWARD, 3000n, 0n);
      expect(r2).to.equal(ceilDiv(REWARD * 7n * 10n, 3n * 8n));
      await expect(open({ sampleBps: 3000, topK: 0, minStake: r2 - 1n }))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
        .withArgs(r2 - 1n, r2);
      await expect(open({ sampleBps: 3000, topK: 0, minStake: r2 })).to.emit(d.pool, "RoundOpened");
      // no random sample at all: no stake is safe
      await expect(open({ sampleBps: 0, minStake: 2n ** 128n - 1n }))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
        .withArgs(2n ** 128n - 1n, ethers.MaxUint256);
    });

    it("reverts PoNASPoolInvalidSubspace with the index of the first bad task", async () => {
      const d = await loadFixture(deployPool);
      const p = await roundParams();
      const admin = d.actors.admin;
      const ff = genes([0xff]);
      // task 1 fixes gene 0 to 3 = its arity: an empty subspace
      await expect(d.pool.connect(admin).openRound(p, [ff, ff], [genes([0]), genes([3])]))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidSubspace")
        .withArgs(1n, ff, genes([3]));
      // task 0's value fixes a bit outside its mask
      await expect(d.pool.connect(admin).openRound(p, [ff], [genes([0, 1])]))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolInvalidSubspace")
        .withArgs(0n, ff, genes([0, 1]));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("addTasks", () => {
    it("appends tasks after the existing ones and emits TaskAdded", async () => {
      const f = await loadFixture(fxOpen);
      const a = prefixTask([0, 1]);
      const b = prefixTask([2, 3]);
      const tx = f.pool.connect(f.actors.admin).addTasks(f.roundId, [a.mask, b.mask], [a.value, b.value]);
      await expect(tx).to.emit(f.pool, "TaskAdded").withArgs(f.roundId, 3n, a.mask, a.value);
      await expect(tx).to.emit(f.pool, "TaskAdded").withArgs(f.roundId, 4n, b.mask, b.value);
      expect((await f.pool.getRoundState(f.roundId)).taskCount).to.equal(5n);
      const t = await f.pool.getTask(f.roundId, 4);
      expect([t.mask, t.value]).to.deep.equal([b.mask, b.value]);
      // the new task can be claimed
      await expect(f.pool.connect(f.actors.miners[0]).claim(f.roundId, 4)).to.emit(f.pool, "Claimed");
    });

    it("works at commitEnd and reverts PoNASPoolClaimWindowClosed after it", async () => {
      const f = await loadFixture(fxOpen);
      const a = prefixTask([0, 1]);
      await time.setNextBlockTimestamp(f.params.commitEnd);
      await expect(f.pool.connect(f.actors.admin).addTasks(f.roundId, [a.mask], [a.value])).to.emit(f.pool, "TaskAdded");
      await expect(f.pool.connect(f.actors.admin).addTasks(f.roundId, [a.mask], [a.value]))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolClaimWindowClosed")
        .withArgs(f.roundId, f.params.commitEnd);
    });

    it("reverts PoNASPoolUnknownRound, PoNASPoolInvalidSubspace, PoNASPoolInvalidParams and for non-managers", async () => {
      const f = await loadFixture(fxOpen);
      const admin = f.actors.admin;
      const a = prefixTask([0, 1]);
      await expect(f.pool.connect(admin).addTasks(99n, [a.mask], [a.value]))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound")
        .withArgs(99n);
      await expect(f.pool.connect(admin).addTasks(0n, [a.mask], [a.value]))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound")
        .withArgs(0n);
      const bad = { mask: genes([0xff, 0xff]), value: genes([0, 4]) }; // gene 1 = 4 = its arity
      await expect(f.pool.connect(admin).addTasks(f.roundId, [a.mask, bad.mask], [a.value, bad.value]))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInvalidSubspace")
        .withArgs(4n, bad.mask, bad.value);
      await expect(f.pool.connect(admin).addTasks(f.roundId, [], []))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInvalidParams")
        .withArgs(ParamRule.Tasks);
      await expect(f.pool.connect(f.actors.outsider).addTasks(f.roundId, [a.mask], [a.value]))
        .to.be.revertedWithCustomError(f.pool, "AccessControlUnauthorizedAccount")
        .withArgs(f.actors.outsider.address, MANAGER_ROLE);
      expect((await f.pool.getRoundState(f.roundId)).taskCount).to.equal(3n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("stake", () => {
    it("credits the balance, pulls the tokens and emits Staked", async () => {
      const { pool, token, actors } = await loadFixture(deployPool);
      const [m0] = actors.miners;
      const tx = pool.connect(m0).stake(300n);
      await expect(tx).to.emit(pool, "Staked").withArgs(m0.address, 300n, 300n);
      await expect(tx).to.changeTokenBalances(ethers, token, [m0, pool], [-300n, 300n]);
      await expect(pool.connect(m0).stake(200n)).to.emit(pool, "Staked").withArgs(m0.address, 200n, 500n);
      const a = await pool.minerAccount(m0.address);
      expect(a.balance).to.equal(500n);
      expect(a.locked).to.equal(0n);
    });
    it("reverts PoNASPoolZeroAmount for 0", async () => {
      const { pool, actors } = await loadFixture(deployPool);
      await expect(pool.connect(actors.miners[0]).stake(0n)).to.be.revertedWithCustomError(pool, "PoNASPoolZeroAmount");
    });
    it("reverts with the token's error without an allowance", async () => {
      const { pool, token, actors, poolAddress } = await loadFixture(deployPool);
      await expect(pool.connect(actors.treasury).stake(5n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(poolAddress, 0n, 5n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("unstake", () => {
    it("returns free stake and emits Unstaked", async () => {
      const f = await loadFixture(fxOpen);
      const [m0] = f.actors.miners;
      const tx = f.pool.connect(m0).unstake(400n * TOKEN);
      await expect(tx).to.emit(f.pool, "Unstaked").withArgs(m0.address, 400n * TOKEN, MINER_STAKE - 400n * TOKEN);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m0, f.pool], [400n * TOKEN, -400n * TOKEN]);
      expect((await f.pool.minerAccount(m0.address)).balance).to.equal(MINER_STAKE - 400n * TOKEN);
    });
    it("reverts PoNASPoolInsufficientFreeStake beyond balance - locked", async () => {
      const f = await loadFixture(fxClaimed);
      const [m0] = f.actors.miners;
      const free = MINER_STAKE - MIN_STAKE;
      await expect(f.pool.connect(m0).unstake(free + 1n))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInsufficientFreeStake")
        .withArgs(m0.address, free, free + 1n);
      await expect(f.pool.connect(m0).unstake(free)).to.changeTokenBalances(ethers, f.token, [m0], [free]);
      const a = await f.pool.minerAccount(m0.address);
      expect([a.balance, a.locked]).to.deep.equal([MIN_STAKE, MIN_STAKE]);
    });
    it("reverts PoNASPoolZeroAmount for 0", async () => {
      const f = await loadFixture(fxOpen);
      await expect(f.pool.connect(f.actors.miners[0]).unstake(0n)).to.be.revertedWithCustomError(f.pool, "PoNASPoolZeroAmount");
    });
    it("releases the locked stake after settlement", async () => {
      const f = await loadFixture(fxFinalized);
      const [m0] = f.actors.miners;
      await expect(f.pool.connect(m0).unstake(MINER_STAKE))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInsufficientFreeStake")
        .withArgs(m0.address, MINER_STAKE - MIN_STAKE, MINER_STAKE);
      await f.pool.withdraw(f.roundId, 0, 0);
      await expect(f.pool.connect(m0).unstake(MINER_STAKE)).to.changeTokenBalances(ethers, f.token, [m0], [MINER_STAKE]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("claim", () => {
    it("makes the caller the primary, locks minStake and emits Claimed", async () => {
      const f = await loadFixture(fxOpen);
      const [m0] = f.actors.miners;
      await expect(f.pool.connect(m0).claim(f.roundId, 2))
        .to.emit(f.pool, "Claimed")
        .withArgs(f.roundId, 2n, 0n, m0.address, MIN_STAKE);
      const sub = await f.pool.getSubmission(f.roundId, 2, 0);
      expect(sub.miner).to.equal(m0.address);
      expect(sub.status).to.equal(Status.Claimed);
      const a = await f.pool.minerAccount(m0.address);
      expect([a.balance, a.locked, a.lastClaimRound, a.claimsInRound]).to.deep.equal([MINER_STAKE, MIN_STAKE, f.roundId, 1n]);
      await f.pool.connect(m0).claim(f.roundId, 1);
      const b = await f.pool.minerAccount(m0.address);
      expect([b.locked, b.claimsInRound]).to.deep.equal([2n * MIN_STAKE, 2n]);
    });

    it("works at commitEnd and reverts PoNASPoolClaimWindowClosed after it", async () => {
      const f = await loadFixture(fxOpen);
      const [m0, m1] = f.actors.miners;
      await time.setNextBlockTimestamp(f.params.commitEnd);
      await expect(f.pool.connect(m0).claim(f.roundId, 0)).to.emit(f.pool, "Claimed");
      await expect(f.pool.connect(m1).claim(f.roundId, 1))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolClaimWindowClosed")
        .withArgs(f.roundId, f.params.commitEnd);
    });

    it("reverts PoNASPoolUnknownRound and PoNASPoolUnknownTask", async () => {
      const f = await loadFixture(fxOpen);
      const [m0] = f.actors.miners;
      await expect(f.pool.connect(m0).claim(7n, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(7n);
      await expect(f.pool.connect(m0).claim(f.roundId, 3))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownTask")
        .withArgs(f.roundId, 3n);
    });

    it("reverts PoNASPoolTaskTaken when the task has a primary (the same miner included)", async () => {
      const f = await loadFixture(fxClaimed);
      const [m0, , , m3] = f.actors.miners;
      await expect(f.pool.connect(m3).claim(f.roundId, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolTaskTaken")
        .withArgs(f.roundId, 0n, m0.address);
      await expect(f.pool.connect(m0).claim(f.roundId, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolTaskTaken")
        .withArgs(f.roundId, 0n, m0.address);
    });

    it("reverts PoNASPoolInsufficientFreeStake without minStake free", async () => {
      const f = await loadFixture(fxOpen);
      const { outsider } = f.actors; // approved, nothing staked
      await expect(f.pool.connect(outsider).claim(f.roundId, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInsufficientFreeStake")
        .withArgs(outsider.address, 0n, MIN_STAKE);
      await f.pool.connect(outsider).stake(MIN_STAKE - 1n);
      await expect(f.pool.connect(outsider).claim(f.roundId, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInsufficientFreeStake")
        .withArgs(outsider.address, MIN_STAKE - 1n, MIN_STAKE);
      await f.pool.connect(outsider).stake(1n);
      await expect(f.pool.connect(outsider).claim(f.roundId, 0)).to.emit(f.pool, "Claimed");
    });

    it("reverts PoNASPoolTooManyTasks past maxTasksPerMiner, counting backups; the count restarts in a later round", async () => {
      const d = await loadFixture(deployPool);
      const [m0, m1] = d.actors.miners;
      await d.pool.connect(m0).stake(MINER_STAKE);
      await d.pool.connect(m1).stake(MINER_STAKE);
      const { roundId } = await openRound(d, { maxTasksPerMiner: 2 });
      await d.pool.connect(m1).claim(roundId, 2);
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m0).joinAsBackup(roundId, 2);
      await expect(d.pool.connect(m0).claim(roundId, 1))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolTooManyTasks")
        .withArgs(m0.address, roundId, 2n);
      const { roundId: r2 } = await openRound(d, { maxTasksPerMiner: 1 });
      await expect(d.pool.connect(m0).claim(r2, 1)).to.emit(d.pool, "Claimed");
      const a = await d.pool.minerAccount(m0.address);
      expect([a.lastClaimRound, a.claimsInRound]).to.deep.equal([r2, 1n]);
      await expect(d.pool.connect(m0).claim(r2, 2))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolTooManyTasks")
        .withArgs(m0.address, r2, 1n);
    });

    it("reverts PoNASPoolClaimOutOfOrder when claiming in an older round than the last claim", async () => {
      const d = await loadFixture(deployPool);
      const [m0] = d.actors.miners;
      await d.pool.connect(m0).stake(MINER_STAKE);
      const { roundId: r1 } = await openRound(d);
      const { roundId: r2 } = await openRound(d);
      await d.pool.connect(m0).claim(r2, 0);
      await expect(d.pool.connect(m0).claim(r1, 0))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolClaimOutOfOrder")
        .withArgs(m0.address, r1, r2);
      // joining as a backup is a claim too
      const m1 = d.actors.miners[1];
      await d.pool.connect(m1).stake(MINER_STAKE);
      await d.pool.connect(m1).claim(r1, 1);
      await expect(d.pool.connect(m0).joinAsBackup(r1, 1))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolClaimOutOfOrder")
        .withArgs(m0.address, r1, r2);
      // the newer round still accepts further claims
      await expect(d.pool.connect(m0).claim(r2, 1)).to.emit(d.pool, "Claimed");
    });

    it("reverts EnforcedPause while paused", async () => {
      const f = await loadFixture(fxOpen);
      await f.pool.connect(f.actors.admin).pause();
      await expect(f.pool.connect(f.actors.miners[0]).claim(f.roundId, 0)).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("joinAsBackup", () => {
    it("adds the caller in the next backup slot, locks minStake and emits Claimed", async () => {
      const f = await loadFixture(fxClaimed); // m2 already in slot 1 of task 0
      const [, , m2, m3] = f.actors.miners;
      expect(await f.pool.connect(m3).joinAsBackup.staticCall(f.roundId, 0)).to.equal(2n);
      await expect(f.pool.connect(m3).joinAsBackup(f.roundId, 0))
        .to.emit(f.pool, "Claimed")
        .withArgs(f.roundId, 0n, 2n, m3.address, MIN_STAKE);
      const primary = await f.pool.getSubmission(f.roundId, 0, 0);
      expect(primary.backups).to.equal(2n);
      const s1 = await f.pool.getSubmission(f.roundId, 0, 1);
      const s2 = await f.pool.getSubmission(f.roundId, 0, 2);
      expect([s1.miner, s1.status]).to.deep.equal([m2.address, Status.Claimed]);
      expect([s2.miner, s2.status]).to.deep.equal([m3.address, Status.Claimed]);
      expect((await f.pool.minerAccount(m3.address)).locked).to.equal(MIN_STAKE);
    });

    it("reverts PoNASPoolBackupSlotsFull when maxBackups have joined", async () => {
      const f = await loadFixture(fxClaimed);
      const [, , , m3, m4] = f.actors.miners;
      await f.pool.connect(m3).joinAsBackup(f.roundId, 0);
      await expect(f.pool.connect(m4).joinAsBackup(f.roundId, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolBackupSlotsFull")
        .withArgs(f.roundId, 0n, 2n);
    });

    it("reverts PoNASPoolBackupSlotsFull at once when maxBackups is 0", async () => {
      const d = await loadFixture(deployPool);
      const [m0, m1] = d.actors.miners;
      const { roundId } = await openRound(d, { maxBackups: 0 });
      await d.pool.connect(m0).stake(MINER_STAKE);
      await d.pool.connect(m1).stake(MINER_STAKE);
      await d.pool.connect(m0).claim(roundId, 0);
      await expect(d.pool.connect(m1).joinAsBackup(roundId, 0))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolBackupSlotsFull")
        .withArgs(roundId, 0n, 0n);
    });

    it("reverts PoNASPoolAlreadyOnTask for the primary or a miner already a backup", async () => {
      const f = await loadFixture(fxClaimed);
      const [m0, , m2] = f.actors.miners;
      await expect(f.pool.connect(m0).joinAsBackup(f.roundId, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadyOnTask")
        .withArgs(f.roundId, 0n, m0.address);
      await expect(f.pool.connect(m2).joinAsBackup(f.roundId, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadyOnTask")
        .withArgs(f.roundId, 0n, m2.address);
    });

    it("reverts PoNASPoolNoPrimary, PoNASPoolUnknownTask, PoNASPoolUnknownRound and PoNASPoolClaimWindowClosed", async () => {
      const f = await loadFixture(fxClaimed);
      const [, , , m3] = f.actors.miners;
      await expect(f.pool.connect(m3).joinAsBackup(f.roundId, 2))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNoPrimary")
        .withArgs(f.roundId, 2n);
      await expect(f.pool.connect(m3).joinAsBackup(f.roundId, 3))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownTask")
        .withArgs(f.roundId, 3n);
      await expect(f.pool.connect(m3).joinAsBackup(5n, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(5n);
      await after(f, f.roundId, "commit");
      await expect(f.pool.connect(m3).joinAsBackup(f.roundId, 1))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolClaimWindowClosed")
        .withArgs(f.roundId, f.params.commitEnd);
    });

    it("reverts PoNASPoolInsufficientFreeStake without minStake free", async () => {
      const f = await loadFixture(fxClaimed);
      const { outsider } = f.actors; // approved, nothing staked
      await expect(f.pool.connect(outsider).joinAsBackup(f.roundId, 1))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInsufficientFreeStake")
        .withArgs(outsider.address, 0n, MIN_STAKE);
      await f.pool.connect(outsider).stake(MIN_STAKE);
      await expect(f.pool.connect(outsider).joinAsBackup(f.roundId, 1))
        .to.emit(f.pool, "Claimed")
        .withArgs(f.roundId, 1n, 1n, outsider.address, MIN_STAKE);
    });

    it("reverts PoNASPoolTooManyTasks for a backup beyond maxTasksPerMiner", async () => {
      const d = await loadFixture(deployPool);
      const [m0, m1, m2] = d.actors.miners;
      for (const m of [m0, m1, m2]) await d.pool.connect(m).stake(MINER_STAKE);
      const { roundId } = await openRound(d, { maxTasksPerMiner: 1 });
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m1).claim(roundId, 1);
      await d.pool.connect(m2).joinAsBackup(roundId, 0);
      await expect(d.pool.connect(m2).joinAsBackup(roundId, 1))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolTooManyTasks")
        .withArgs(m2.address, roundId, 1n);
    });

    it("reverts PoNASPoolBackupsNotAllowed when the primary's history has σ_p below the threshold (σ 0 after identical performances)", async () => {
      const d = await loadFixture(fxLowSigmaPrimary);
      const [m0, m1] = d.actors.miners;
      const st = await d.pool.performanceStats(m0.address);
      expect([st.count, st.mean, st.m2]).to.deep.equal([2n, 700n * SCALE, 0n]);
      expect(await d.lens.sigma(m0.address)).to.equal(0n);
      const { roundId } = await openRound(d);
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m1).stake(MINER_STAKE);
      expect(await d.lens.backupsAllowed(roundId, 0)).to.equal(false);
      await expect(d.pool.connect(m1).joinAsBackup(roundId, 0))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolBackupsNotAllowed")
        .withArgs(roundId, 0n, 0n, SIGMA_THRESHOLD);
      // a round with threshold 0 lets backups in whatever the history
      const { roundId: r2 } = await openRound(d, { sigmaThreshold: 0n });
      await d.pool.connect(m0).claim(r2, 0);
      expect(await d.lens.backupsAllowed(r2, 0)).to.equal(true);
      await expect(d.pool.connect(m1).joinAsBackup(r2, 0)).to.emit(d.pool, "Claimed");
    });

    it("allows backups when σ_p equals the threshold and refuses them one unit above", async () => {
      const d = await loadFixture(fxSigma500Primary);
      const [m0, m1] = d.actors.miners;
      // P = 1000 then 0: mean 500, σ_p = sqrt(((1000-500)^2 + (0-500)^2) / 2) = 500 bps
      expect(await d.lens.sigma(m0.address)).to.equal(500n * SCALE);
      await d.pool.connect(m1).stake(MINER_STAKE);
      const { roundId } = await openRound(d, { sigmaThreshold: 500n * SCALE });
      await d.pool.connect(m0).claim(roundId, 0);
      expect(await d.lens.backupsAllowed(roundId, 0)).to.equal(true);
      await expect(d.pool.connect(m1).joinAsBackup(roundId, 0)).to.emit(d.pool, "Claimed").withArgs(roundId, 0n, 1n, m1.address, MIN_STAKE);
      const { roundId: r2 } = await openRound(d, { sigmaThreshold: 500n * SCALE + 1n });
      await d.pool.connect(m0).claim(r2, 0);
      expect(await d.lens.backupsAllowed(r2, 0)).to.equal(false);
      await expect(d.pool.connect(m1).joinAsBackup(r2, 0))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolBackupsNotAllowed")
        .withArgs(r2, 0n, 500n * SCALE, 500n * SCALE + 1n);
    });

    it("reverts EnforcedPause while paused", async () => {
      const f = await loadFixture(fxClaimed);
      await f.pool.connect(f.actors.admin).pause();
      await expect(f.pool.connect(f.actors.miners[4]).joinAsBackup(f.roundId, 1)).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("commit", () => {
    it("records the commitment and emits Committed (anyone, any hash; recommitting is accepted)", async () => {
      const f = await loadFixture(fxOpen);
      const [m0] = f.actors.miners;
      const h = ethers.id("any commitment");
      await expect(f.pool.connect(m0).commit(f.roundId, h)).to.emit(f.pool, "Committed").withArgs(f.roundId, m0.address, h);
      await expect(f.pool.connect(f.actors.outsider).commit(f.roundId, h))
        .to.emit(f.pool, "Committed")
        .withArgs(f.roundId, f.actors.outsider.address, h);
    });

    it("works at commitEnd and reverts PoNASPoolClaimWindowClosed after it", async () => {
      const f = await loadFixture(fxOpen);
      const [m0] = f.actors.miners;
      await time.setNextBlockTimestamp(f.params.commitEnd);
      await expect(f.pool.connect(m0).commit(f.roundId, ethers.id("a"))).to.emit(f.pool, "Committed");
      await expect(f.pool.connect(m0).commit(f.roundId, ethers.id("b")))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolClaimWindowClosed")
        .withArgs(f.roundId, f.params.commitEnd);
    });

    it("reverts PoNASPoolUnknownRound and EnforcedPause", async () => {
      const f = await loadFixture(fxOpen);
      const [m0] = f.actors.miners;
      await expect(f.pool.connect(m0).commit(2n, ethers.id("a"))).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(2n);
      await f.pool.connect(f.actors.admin).pause();
      await expect(f.pool.connect(m0).commit(f.roundId, ethers.id("a"))).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("computeCommitment", () => {
    it("is keccak256(abi.encode(chainid, pool, round, task, miner, genome, score, salt))", async () => {
      const f = await loadFixture(fxOpen);
      const [m0] = f.actors.miners;
      const chainId = (await ethers.provider.getNetwork()).chainId;
      const s = salt("cc");
      const h = await f.pool.computeCommitment(f.roundId, 1, m0.address, G[1], 9123, s);
      expect(h).to.equal(commitment(chainId, f.poolAddress, f.roundId, 1, m0.address, G[1], 9123, s));
      // every input is bound
      expect(h).to.not.equal(commitment(chainId + 1n, f.poolAddress, f.roundId, 1, m0.address, G[1], 9123, s));
      const variants = await Promise.all([
        f.pool.computeCommitment(f.roundId + 1n, 1, m0.address, G[1], 9123, s),
        f.pool.computeCommitment(f.roundId, 2, m0.address, G[1], 9123, s),
        f.pool.computeCommitment(f.roundId, 1, f.actors.miners[1].address, G[1], 9123, s),
        f.pool.computeCommitment(f.roundId, 1, m0.address, G[2], 9123, s),
        f.pool.computeCommitment(f.roundId, 1, m0.address, G[1], 9124, s),
        f.pool.computeCommitment(f.roundId, 1, m0.address, G[1], 9123, salt("other")),
      ]);
      expect(new Set([h, ...variants]).size).to.equal(7);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("reveal", () => {
    it("primary reveal: records the claim, makes it count, updates ΣP and the top-K, emits Revealed and ActiveChanged", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0] = f.actors.miners;
      await after(f, f.roundId, "commit");
      const tx = revealFor(f, m0, f.r0);
      await expect(tx).to.emit(f.pool, "Revealed").withArgs(f.roundId, 0n, 0n, m0.address, G[0], 9500n, perfU(9500), await honestSeal(f.pool, m0, f.roundId, 0, 0));
      // a primary's reveal on a task where nothing counts yet makes it count without ActiveChanged
      await expect(tx).not.to.emit(f.pool, "ActiveChanged");
      const sub = await f.pool.getSubmission(f.roundId, 0, 0);
      expect([sub.status, sub.claimedBps, sub.active, sub.flags]).to.deep.equal([Status.Revealed, 9500n, 1n, 0n]);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500));
      const top = await f.lens.getTopK(f.roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[0n], [0n], [9500n]]);
      expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(REWARD); // the only counting submission
      // a second task adds to ΣP
      await revealFor(f, f.actors.miners[1], f.r1);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500) + perfU(9700));
      expect((await f.pool.getSubmission(f.roundId, 1, 0)).active).to.equal(1n);
    });

    it("a score at or below the baseline reveals with P = 0 and counts for nothing (no ΣP, not active, not top-K); 10000 is accepted; the unverified claim counts in full", async () => {
      const f = await loadFixture(fxClaimed);
      const [m0, m1, , m3] = f.actors.miners;
      await f.pool.connect(m3).claim(f.roundId, 2);
      const a = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: G[0], score: 8000, salt: salt("lo") });
      const b = await commitFor(f, m1, { roundId: f.roundId, task: 1, slot: 0, genome: G[1], score: 10000, salt: salt("hi") });
      const c = await commitFor(f, m3, { roundId: f.roundId, task: 2, slot: 0, genome: G[2], score: 9000, salt: salt("at") });
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, m0, a)).to.emit(f.pool, "Revealed").withArgs(f.roundId, 0n, 0n, m0.address, G[0], 8000n, 0n, await honestSeal(f.pool, m0, f.roundId, 0, 0));
      await expect(revealFor(f, m1, b)).to.emit(f.pool, "Revealed").withArgs(f.roundId, 1n, 0n, m1.address, G[1], 10000n, perfU(10000), await honestSeal(f.pool, m1, f.roundId, 1, 0));
      await expect(revealFor(f, m3, c)).to.emit(f.pool, "Revealed").withArgs(f.roundId, 2n, 0n, m3.address, G[2], 9000n, 0n, await honestSeal(f.pool, m3, f.roundId, 2, 0)); // at the baseline
      expect(perfU(10000)).to.equal(1000n);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(1000n);
      expect((await f.pool.getSubmission(f.roundId, 1, 0)).claimedBps).to.equal(10000n);
      // a P = 0 reveal is recorded but delivers nothing: its task has no active submission
      for (const t of [0, 2]) {
        const sub = await f.pool.getSubmission(f.roundId, t, 0);
        expect([sub.status, sub.active], `task ${t}`).to.deep.equal([Status.Revealed, 0n]);
        expect(await f.lens.projectedReward(f.roundId, t, 0)).to.equal(0n);
      }
      expect((await f.pool.getSubmission(f.roundId, 1, 0)).active).to.equal(1n);
      const top = await f.lens.getTopK(f.roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[1n], [0n], [10000n]]);
    });

    it("a backup may reveal over a P = 0 primary and takes the task; a backup's own P = 0 reveal takes nothing and leaves the task to the next backup", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0, , m2, m3] = f.actors.miners;
      await f.pool.connect(m3).joinAsBackup(f.roundId, 0); // slot 2
      const junk = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: genes([0, 1, 1, 0]), score: 8900, salt: salt("j0") });
      const rb = await commitFor(f, m2, { roundId: f.roundId, task: 0, slot: 1, genome: genes([0, 2, 0, 0]), score: 9000, salt: salt("j1") });
      const rb2 = await commitFor(f, m3, { roundId: f.roundId, task: 0, slot: 2, genome: genes([0, 3, 0, 0]), score: 9300, salt: salt("j2") });
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, m0, junk)).to.emit(f.pool, "Revealed").withArgs(f.roundId, 0n, 0n, m0.address, genes([0, 1, 1, 0]), 8900n, 0n, await honestSeal(f.pool, m0, f.roundId, 0, 0));
      await afterPrimaryReveals(f, f.roundId);
      const tb = revealFor(f, m2, rb); // at the baseline: P = 0
      await expect(tb).to.emit(f.pool, "Revealed").withArgs(f.roundId, 0n, 1n, m2.address, genes([0, 2, 0, 0]), 9000n, 0n, await honestSeal(f.pool, m2, f.roundId, 0, 1));
      await expect(tb).not.to.emit(f.pool, "ActiveChanged");
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).active).to.equal(0n);
      const tx = revealFor(f, m3, rb2);
      await expect(tx).to.emit(f.pool, "ActiveChanged").withArgs(f.roundId, 0n, 2n, perfU(9300), perfU(9300));
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).active).to.equal(3n);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9300));
      expect(await f.lens.projectedReward(f.roundId, 0, 2)).to.equal(REWARD);
      for (const slot of [0, 1]) expect(await f.lens.projectedReward(f.roundId, 0, slot)).to.equal(0n);
      const top = await f.lens.getTopK(f.roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[0n], [2n], [9300n]]);
    });

    it("a backup reveals after backupRevealStart when its primary did not: it takes over the task (ActiveChanged) and enters the top-K", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0, m1, m2, m3] = f.actors.miners;
      await f.pool.connect(m3).joinAsBackup(f.roundId, 0); // slot 2
      const g = genes([0, 2, 0, 0]);
      const rb = await commitFor(f, m2, { roundId: f.roundId, task: 0, slot: 1, genome: g, score: 9600, salt: salt("b") });
      const rb2 = await commitFor(f, m3, { roundId: f.roundId, task: 0, slot: 2, genome: genes([0, 3, 0, 0]), score: 9900, salt: salt("b2") });
      await after(f, f.roundId, "commit");
      await revealFor(f, m1, f.r1); // task 1 is delivered by its primary; m0 (task 0) does not reveal
      await afterPrimaryReveals(f, f.roundId);
      const sumP = perfU(9700) + perfU(9600);
      const tx = revealFor(f, m2, rb);
      await expect(tx).to.emit(f.pool, "Revealed").withArgs(f.roundId, 0n, 1n, m2.address, g, 9600n, perfU(9600), await honestSeal(f.pool, m2, f.roundId, 0, 1));
      await expect(tx).to.emit(f.pool, "ActiveChanged").withArgs(f.roundId, 0n, 1n, perfU(9600), sumP);
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).active).to.equal(2n);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(sumP);
      expect(await f.lens.projectedReward(f.roundId, 0, 1)).to.equal(share(perfU(9600), REWARD, sumP));
      // the backup's claim counts, so it is a top-K claim
      let top = await f.lens.getTopK(f.roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[1n, 0n], [0n, 1n], [9700n, 9600n]]);
      // the first backup to reveal keeps the task: a second backup cannot reveal, even with a higher claim
      await expect(revealFor(f, m3, rb2))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolTaskDelivered")
        .withArgs(f.roundId, 0n, 1n);
      // and the primary's part of the window is over: it can no longer displace the backup
      await expect(revealFor(f, m0, f.r0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInRevealWindow")
        .withArgs(f.roundId, f.params.commitEnd, await backupRevealStart(f, f.roundId));
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).active).to.equal(2n);
      expect((await f.pool.getSubmission(f.roundId, 0, 2)).status).to.equal(Status.Claimed);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(sumP);
      top = await f.lens.getTopK(f.roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[1n, 0n], [0n, 1n], [9700n, 9600n]]);
    });

    it("a backup cannot reveal once its primary delivered: PoNASPoolTaskDelivered, nothing changes", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0, , m2] = f.actors.miners;
      const rb = await commitFor(f, m2, { roundId: f.roundId, task: 0, slot: 1, genome: genes([0, 3, 0, 0]), score: 9900, salt: salt("b") });
      await after(f, f.roundId, "commit");
      await revealFor(f, m0, f.r0);
      await afterPrimaryReveals(f, f.roundId);
      await expect(revealFor(f, m2, rb))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolTaskDelivered")
        .withArgs(f.roundId, 0n, 0n);
      expect((await f.pool.getSubmission(f.roundId, 0, 1)).status).to.equal(Status.Claimed);
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).active).to.equal(1n);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500));
      expect(await f.lens.projectedReward(f.roundId, 0, 1)).to.equal(0n);
      // a claim that was not accepted does not enter the always-verified top-K, even with a higher score
      const top = await f.lens.getTopK(f.roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[0n], [0n], [9500n]]);
    });

    it("primaries reveal in (commitEnd, backupRevealStart], backups in (backupRevealStart, revealEnd]; PoNASPoolNotInRevealWindow outside, with the slot's bounds", async () => {
      const d = await loadFixture(deployPool);
      const { roundId, params: p } = await openRound(d, {}, partition(2)); // 12 tasks: (gene0, gene1)
      const split = (p.commitEnd + p.revealEnd) / 2n;
      const ms = d.actors.miners;
      for (const m of ms.slice(0, 6)) await d.pool.connect(m).stake(MINER_STAKE);
      // tasks 0..3: primaries m0..m3; tasks 2 and 3 also have a backup (slot 1): m4 and m5
      for (let t = 0; t < 4; t++) await d.pool.connect(ms[t]).claim(roundId, t);
      await d.pool.connect(ms[4]).joinAsBackup(roundId, 2);
      await d.pool.connect(ms[5]).joinAsBackup(roundId, 3);
      const g = (t: number, i: number) => genes([t >> 2, t & 3, i, 0]);
      const prim: Reveal[] = [];
      for (let t = 0; t < 4; t++) {
        prim.push(await commitFor(d, ms[t], { roundId, task: t, slot: 0, genome: g(t, 0), score: 9500, salt: salt(`w${t}`) }));
      }
      const back: Reveal[] = [];
      for (const t of [2, 3]) {
        back.push(await commitFor(d, ms[t + 2], { roundId, task: t, slot: 1, genome: g(t, 1), score: 9600, salt: salt(`wb${t}`) }));
      }
      const primaryWindow = [roundId, p.commitEnd, split];
      const backupWindow = [roundId, split, p.revealEnd];
      const notInWindow = (tx: Promise<unknown>, bounds: unknown[]) =>
        expect(tx).to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow").withArgs(...bounds);
      // during the commit window and at commitEnd nobody reveals
      await notInWindow(revealFor(d, ms[0], prim[0]), primaryWindow);
      await notInWindow(revealFor(d, ms[4], back[0]), backupWindow);
      await time.setNextBlockTimestamp(p.commitEnd);
      await notInWindow(revealFor(d, ms[0], prim[0]), primaryWindow);
      await time.setNextBlockTimestamp(p.commitEnd);
      await notInWindow(revealFor(d, ms[4], back[0]), backupWindow);
      // primaries from commitEnd + 1 up to backupRevealStart; backups not yet, even at backupRevealStart
      await time.setNextBlockTimestamp(p.commitEnd + 1n);
      await expect(revealFor(d, ms[0], prim[0])).to.emit(d.pool, "Revealed");
      await time.setNextBlockTimestamp(split);
      await notInWindow(revealFor(d, ms[4], back[0]), backupWindow);
      await time.setNextBlockTimestamp(split);
      await expect(revealFor(d, ms[1], prim[1])).to.emit(d.pool, "Revealed");
      // from backupRevealStart + 1 up to revealEnd: backups, no longer primaries
      await time.setNextBlockTimestamp(split + 1n);
      await notInWindow(revealFor(d, ms[2], prim[2]), primaryWindow);
      await time.setNextBlockTimestamp(split + 1n);
      await expect(revealFor(d, ms[4], back[0])).to.emit(d.pool, "ActiveChanged").withArgs(roundId, 2n, 1n, perfU(9600), 2n * perfU(9500) + perfU(9600));
      await time.setNextBlockTimestamp(p.revealEnd);
      await expect(revealFor(d, ms[5], back[1])).to.emit(d.pool, "ActiveChanged").withArgs(roundId, 3n, 1n, perfU(9600), 2n * perfU(9500) + 2n * perfU(9600));
      // after revealEnd nobody reveals (the window check comes first)
      await notInWindow(revealFor(d, ms[3], prim[3]), primaryWindow);
      await notInWindow(revealFor(d, ms[4], back[0]), backupWindow);
      expect((await d.pool.getRoundState(roundId)).sumP).to.equal(2n * perfU(9500) + 2n * perfU(9600));
    });

    it("reverts PoNASPoolUnknownRound", async () => {
      const f = await loadFixture(fxCommitted);
      await expect(f.pool.connect(f.actors.miners[0]).reveal(9n, 0, 0, G[0], 9500, f.r0.salt, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound")
        .withArgs(9n);
    });

    it("reverts PoNASPoolNotYourSubmission for another miner's slot or an empty slot", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0, m1] = f.actors.miners;
      await after(f, f.roundId, "commit");
      await expect(f.pool.connect(m1).reveal(f.roundId, 0, 0, G[0], 9500, f.r0.salt, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotYourSubmission")
        .withArgs(f.roundId, 0n, 0n, m1.address);
      await expect(f.pool.connect(m0).reveal(f.roundId, 2, 0, G[2], 9500, f.r0.salt, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotYourSubmission")
        .withArgs(f.roundId, 2n, 0n, m0.address);
      // backup slots, in the backups' part of the window: an empty slot and another miner's
      await afterPrimaryReveals(f, f.roundId);
      await expect(f.pool.connect(m0).reveal(f.roundId, 0, 2, G[0], 9500, f.r0.salt, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotYourSubmission")
        .withArgs(f.roundId, 0n, 2n, m0.address);
      await expect(f.pool.connect(m0).reveal(f.roundId, 0, 1, G[0], 9500, f.r0.salt, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotYourSubmission")
        .withArgs(f.roundId, 0n, 1n, m0.address);
    });

    it("reverts PoNASPoolAlreadyRevealed on a second reveal", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0] = f.actors.miners;
      await after(f, f.roundId, "commit");
      await revealFor(f, m0, f.r0);
      await expect(revealFor(f, m0, f.r0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadyRevealed")
        .withArgs(f.roundId, 0n, 0n);
    });

    it("reverts PoNASPoolScoreOutOfRange above 10000", async () => {
      const f = await loadFixture(fxClaimed);
      const [m0] = f.actors.miners;
      const r = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: G[0], score: 10001, salt: salt("oor") });
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, m0, r)).to.be.revertedWithCustomError(f.pool, "PoNASPoolScoreOutOfRange").withArgs(10001n);
    });

    it("reverts PoNASPoolCommitmentNotFound for a wrong salt, score or genome", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0] = f.actors.miners;
      await after(f, f.roundId, "commit");
      const cases: [string, number, string][] = [
        [G[0], 9500, salt("wrong")],
        [G[0], 9501, f.r0.salt],
        [genes([0, 1, 1, 3]), 9500, f.r0.salt],
      ];
      for (const [g, score, s] of cases) {
        const h = await f.pool.computeCommitment(f.roundId, 0, m0.address, g, score, s);
        await expect(f.pool.connect(m0).reveal(f.roundId, 0, 0, g, score, s, ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolCommitmentNotFound")
          .withArgs(h);
      }
      await expect(revealFor(f, m0, f.r0)).to.emit(f.pool, "Revealed");
    });

    it("reverts PoNASPoolInvalidGenome for a gene at its arity or a nonzero unused gene", async () => {
      const f = await loadFixture(fxClaimed);
      const [m0, m1] = f.actors.miners;
      const atArity = genes([0, 4, 0, 0]); // gene 1 has 4 options: 0..3
      const unused = genes([1, 0, 0, 0, 1]); // gene 4 is unused
      const a = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: atArity, score: 9500, salt: salt("ia") });
      const b = await commitFor(f, m1, { roundId: f.roundId, task: 1, slot: 0, genome: unused, score: 9500, salt: salt("ib") });
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, m0, a)).to.be.revertedWithCustomError(f.pool, "PoNASPoolInvalidGenome").withArgs(atArity, ARITIES);
      await expect(revealFor(f, m1, b)).to.be.revertedWithCustomError(f.pool, "PoNASPoolInvalidGenome").withArgs(unused, ARITIES);
    });

    it("reverts PoNASPoolGenomeOutsideSubspace for a valid genome of another task", async () => {
      const f = await loadFixture(fxClaimed);
      const [m0] = f.actors.miners;
      const r = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: G[1], score: 9500, salt: salt("os") });
      await after(f, f.roundId, "commit");
      await expect(revealFor(f, m0, r))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolGenomeOutsideSubspace")
        .withArgs(G[1], TASK[0].mask, TASK[0].value);
    });

    it("reverts EnforcedPause while paused", async () => {
      const f = await loadFixture(fxCommitted);
      await after(f, f.roundId, "commit");
      await f.pool.connect(f.actors.admin).pause();
      await expect(revealFor(f, f.actors.miners[0], f.r0)).to.be.revertedWithCustomError(f.pool, "EnforcedPause");
    });

    describe("replay protection", () => {
      it("a commitment for round A cannot be revealed in round B, even if its hash is committed there", async () => {
        const f = await loadFixture(fxCommitted); // m0 committed r0 in round 1
        const [m0] = f.actors.miners;
        const { roundId: rB } = await openRound(f);
        await f.pool.connect(m0).claim(rB, 0);
        await f.pool.connect(m0).commit(rB, f.r0.commitment); // the copied hash
        await after(f, rB, "commit"); // also inside round A's reveal window
        const hB = await f.pool.computeCommitment(rB, 0, m0.address, G[0], 9500, f.r0.salt);
        expect(hB).to.not.equal(f.r0.commitment);
        await expect(f.pool.connect(m0).reveal(rB, 0, 0, G[0], 9500, f.r0.salt, ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolCommitmentNotFound")
          .withArgs(hB);
        await expect(revealFor(f, m0, f.r0)).to.emit(f.pool, "Revealed"); // in round A it is fine
      });

      it("a commitment for task 0 cannot be revealed on another task of the same miner", async () => {
        const f = await loadFixture(fxCommitted);
        const [m0] = f.actors.miners;
        await f.pool.connect(m0).claim(f.roundId, 2);
        await after(f, f.roundId, "commit");
        const h2 = await f.pool.computeCommitment(f.roundId, 2, m0.address, G[0], 9500, f.r0.salt);
        await expect(f.pool.connect(m0).reveal(f.roundId, 2, 0, G[0], 9500, f.r0.salt, ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolCommitmentNotFound")
          .withArgs(h2);
      });

      it("another miner cannot reveal a copied commitment", async () => {
        const f = await loadFixture(fxCommitted);
        const [, , m2] = f.actors.miners; // backup of task 0
        await f.pool.connect(m2).commit(f.roundId, f.r0.commitment);
        await afterPrimaryReveals(f, f.roundId); // the primary did not reveal: the backup may
        const h = await f.pool.computeCommitment(f.roundId, 0, m2.address, G[0], 9500, f.r0.salt);
        await expect(f.pool.connect(m2).reveal(f.roundId, 0, 1, G[0], 9500, f.r0.salt, ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolCommitmentNotFound")
          .withArgs(h);
      });

      it("a commitment made for another pool (or chain) cannot be revealed here", async () => {
        const f = await loadFixture(fxCommitted);
        const [, , , m3] = f.actors.miners;
        const other = (await ethers.deployContract("PoNASPool", [
          await f.token.getAddress(),
          f.actors.admin.address,
          f.actors.treasury.address,
          0n,
          await f.randomness.getAddress(),
        ])) as unknown as PoNASPool;
        await f.pool.connect(m3).claim(f.roundId, 2);
        const s = salt("xpool");
        const hOther = await other.computeCommitment(f.roundId, 2, m3.address, G[2], 9500, s);
        const chainId = (await ethers.provider.getNetwork()).chainId;
        const hOtherChain = commitment(chainId + 1n, f.poolAddress, f.roundId, 2, m3.address, G[2], 9500, s);
        await f.pool.connect(m3).commit(f.roundId, hOther);
        await f.pool.connect(m3).commit(f.roundId, hOtherChain);
        await after(f, f.roundId, "commit");
        const hHere = await f.pool.computeCommitment(f.roundId, 2, m3.address, G[2], 9500, s);
        expect(hHere).to.not.equal(hOther);
        expect(hHere).to.not.equal(hOtherChain);
        await expect(f.pool.connect(m3).reveal(f.roundId, 2, 0, G[2], 9500, s, ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolCommitmentNotFound")
          .withArgs(hHere);
      });
    });

    describe("duplicate genomes (earliest commit wins)", () => {
      // In a disjoint partition a genome lies in one task only, and at most one submission of a
      // task is ever accepted, so duplicates need tasks whose subspaces overlap.
      /**
       * Tasks 0 and 1 are the same subspace (gene 0 = 0); task 3 (genes 1, 2) is nested in task 2
       * (gene 0 = 1). Primaries: m0, m1, m4, m5 on tasks 0..3; backups (slot 1): m2 on task 0,
       * m3 on task 1. Still in the commit window; nothing committed.
       */
      async function fxOverlap() {
        const d = await deployPool();
        const tasks = [prefixTask([0]), prefixTask([0]), prefixTask([1]), prefixTask([1, 2])];
        const { roundId, params } = await openRound(d, {}, { masks: tasks.map((t) => t.mask), values: tasks.map((t) => t.value) });
        const [m0, m1, m2, m3, m4, m5] = d.actors.miners;
        for (const m of [m0, m1, m2, m3, m4, m5]) await d.pool.connect(m).stake(MINER_STAKE);
        await d.pool.connect(m0).claim(roundId, 0);
        await d.pool.connect(m1).claim(roundId, 1);
        await d.pool.connect(m4).claim(roundId, 2);
        await d.pool.connect(m5).claim(roundId, 3);
        await d.pool.connect(m2).joinAsBackup(roundId, 0);
        await d.pool.connect(m3).joinAsBackup(roundId, 1);
        return { ...d, roundId, params };
      }
      /** fxOverlap plus: m0 (task 0) commits G[0] at 9500, then m1 (task 1) commits G[0] at 9600. */
      async function fxDup() {
        const f = await fxOverlap();
        const [m0, m1] = f.actors.miners;
        const early = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("e") });
        const late = await commitFor(f, m1, { roundId: f.roundId, task: 1, slot: 0, genome: G[0], score: 9600, salt: salt("l") });
        return { ...f, early, late };
      }

      it("the later commit revealing second reverts PoNASPoolDuplicateGenome; its task stays open to its backup", async () => {
        const f = await loadFixture(fxDup);
        const [m0, m1, , m3] = f.actors.miners;
        const rb = await commitFor(f, m3, { roundId: f.roundId, task: 1, slot: 1, genome: genes([0, 2, 0, 0]), score: 9400, salt: salt("b") });
        await after(f, f.roundId, "commit");
        await revealFor(f, m0, f.early);
        await expect(revealFor(f, m1, f.late))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolDuplicateGenome")
          .withArgs(G[0], 0n, 0n);
        expect((await f.pool.getSubmission(f.roundId, 1, 0)).status).to.equal(Status.Claimed);
        expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500));
        // the rejected primary delivered nothing, so its backup may take the task
        await afterPrimaryReveals(f, f.roundId);
        await expect(revealFor(f, m3, rb))
          .to.emit(f.pool, "ActiveChanged")
          .withArgs(f.roundId, 1n, 1n, perfU(9400), perfU(9500) + perfU(9400));
      });

      it("the later commit revealing first is voided (DuplicateVoided) when the earlier one reveals: it leaves ΣP and the top-K", async () => {
        const f = await loadFixture(fxDup);
        const [m0, m1] = f.actors.miners;
        await after(f, f.roundId, "commit");
        await revealFor(f, m1, f.late);
        let top = await f.lens.getTopK(f.roundId);
        expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[1n], [0n], [9600n]]);
        const tx = revealFor(f, m0, f.early);
        await expect(tx).to.emit(f.pool, "DuplicateVoided").withArgs(f.roundId, 1n, 0n, G[0], 0n);
        await expect(tx).to.emit(f.pool, "ActiveChanged").withArgs(f.roundId, 1n, NO_SLOT, 0n, 0n);
        await expect(tx).to.emit(f.pool, "Revealed").withArgs(f.roundId, 0n, 0n, m0.address, G[0], 9500n, perfU(9500), await honestSeal(f.pool, m0, f.roundId, 0, 0));
        const dup = await f.pool.getSubmission(f.roundId, 1, 0);
        expect(dup.flags & DUPLICATE).to.equal(DUPLICATE);
        expect(dup.active).to.equal(0n);
        expect((await f.pool.getSubmission(f.roundId, 0, 0)).active).to.equal(1n);
        expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500));
        expect(await f.lens.projectedReward(f.roundId, 1, 0)).to.equal(0n);
        expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(REWARD);
        top = await f.lens.getTopK(f.roundId);
        expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[0n], [0n], [9500n]]);
      });

      it("nested subspaces collide too: a genome of the inner task revealed on the outer one", async () => {
        const f = await loadFixture(fxOverlap);
        const [, , , , m4, m5] = f.actors.miners;
        const early = await commitFor(f, m5, { roundId: f.roundId, task: 3, slot: 0, genome: G[1], score: 9700, salt: salt("in") });
        const late = await commitFor(f, m4, { roundId: f.roundId, task: 2, slot: 0, genome: G[1], score: 9800, salt: salt("out") });
        await after(f, f.roundId, "commit");
        await revealFor(f, m4, late);
        await expect(revealFor(f, m5, early)).to.emit(f.pool, "DuplicateVoided").withArgs(f.roundId, 2n, 0n, G[1], 0n);
        expect((await f.pool.getSubmission(f.roundId, 2, 0)).flags & DUPLICATE).to.equal(DUPLICATE);
        expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9700));
      });

      it("a voided duplicate is settled with no reward and its stake released; a voided primary records P = 0", async () => {
        const f = await loadFixture(fxDup);
        const [m0, m1] = f.actors.miners;
        await after(f, f.roundId, "commit");
        await revealFor(f, m1, f.late);
        await revealFor(f, m0, f.early);
        await after(f, f.roundId, "verify");
        await fixSeed(f, f.roundId);
        await f.pool.finalize(f.roundId);
        await expect(f.pool.withdraw(f.roundId, 1, 0))
          .to.emit(f.pool, "Withdrawn")
          .withArgs(f.roundId, 1n, 0n, m1.address, 0n, 0n, MIN_STAKE, false);
        expect((await f.pool.minerAccount(m1.address)).locked).to.equal(0n);
        const st = await f.pool.performanceStats(m1.address);
        expect([st.count, st.mean]).to.deep.equal([1n, 0n]);
      });

      it("recommitting does not move a commitment's block: the first commit still wins", async () => {
        const f = await loadFixture(fxDup);
        const [m0, m1] = f.actors.miners;
        const again = f.pool.connect(m0).commit(f.roundId, f.early.commitment); // same hash, a later block
        await expect(again).to.emit(f.pool, "Committed").withArgs(f.roundId, m0.address, f.early.commitment);
        await after(f, f.roundId, "commit");
        await revealFor(f, m1, f.late);
        await expect(revealFor(f, m0, f.early)).to.emit(f.pool, "DuplicateVoided").withArgs(f.roundId, 1n, 0n, G[0], 0n);
      });

      it("an earlier-committed backup of an overlapping task voids a primary's duplicate; the voided primary's backup may then take its task", async () => {
        const f = await loadFixture(fxOverlap);
        const [m0, m1, m2, m3] = f.actors.miners;
        // task 0: primary m0 is a no-show; its backup m2 committed G[0] first
        const early = await commitFor(f, m2, { roundId: f.roundId, task: 0, slot: 1, genome: G[0], score: 9600, salt: salt("be") });
        const late = await commitFor(f, m1, { roundId: f.roundId, task: 1, slot: 0, genome: G[0], score: 9500, salt: salt("pl") });
        const rb1 = await commitFor(f, m3, { roundId: f.roundId, task: 1, slot: 1, genome: genes([0, 2, 0, 0]), score: 9400, salt: salt("b1") });
        await after(f, f.roundId, "commit");
        await revealFor(f, m1, late);
        expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500));
        await afterPrimaryReveals(f, f.roundId);
        // while m1 counts, its own backup cannot reveal
        await expect(revealFor(f, m3, rb1))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolTaskDelivered")
          .withArgs(f.roundId, 1n, 0n);
        const tx = revealFor(f, m2, early);
        await expect(tx).to.emit(f.pool, "DuplicateVoided").withArgs(f.roundId, 1n, 0n, G[0], 0n);
        await expect(tx).to.emit(f.pool, "ActiveChanged").withArgs(f.roundId, 1n, NO_SLOT, 0n, 0n);
        await expect(tx).to.emit(f.pool, "ActiveChanged").withArgs(f.roundId, 0n, 1n, perfU(9600), perfU(9600));
        expect((await f.pool.getSubmission(f.roundId, 0, 0)).active).to.equal(2n);
        const voided = await f.pool.getSubmission(f.roundId, 1, 0);
        expect([voided.active, voided.flags & DUPLICATE]).to.deep.equal([0n, DUPLICATE]);
        expect(await f.lens.projectedReward(f.roundId, 0, 1)).to.equal(REWARD);
        expect(await f.lens.projectedReward(f.roundId, 1, 0)).to.equal(0n);
        let top = await f.lens.getTopK(f.roundId);
        expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[0n], [1n], [9600n]]);
        // nothing counts for task 1 any more: its backup takes it over
        await expect(revealFor(f, m3, rb1))
          .to.emit(f.pool, "ActiveChanged")
          .withArgs(f.roundId, 1n, 1n, perfU(9400), perfU(9600) + perfU(9400));
        expect((await f.pool.getSubmission(f.roundId, 1, 0)).active).to.equal(2n);
        top = await f.lens.getTopK(f.roundId);
        expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([[0n, 1n], [1n, 1n], [9600n, 9400n]]);
        // the voided primary settles with P = 0 in its history and its stake back
        await after(f, f.roundId, "verify");
        await fixSeed(f, f.roundId);
        await f.pool.finalize(f.roundId);
        await expect(f.pool.withdraw(f.roundId, 1, 0))
          .to.emit(f.pool, "Withdrawn")
          .withArgs(f.roundId, 1n, 0n, m1.address, 0n, 0n, MIN_STAKE, false);
        const st = await f.pool.performanceStats(m1.address);
        expect([st.count, st.mean]).to.deep.equal([1n, 0n]);
        // the no-show primary of task 0 too
        await expect(f.pool.withdraw(f.roundId, 0, 0))
          .to.emit(f.pool, "Withdrawn")
          .withArgs(f.roundId, 0n, 0n, m0.address, 0n, 0n, MIN_STAKE, false);
      });

      it("a backup's earlier commit of its own primary's genome cannot void the delivering primary: PoNASPoolTaskDelivered", async () => {
        const f = await loadFixture(fxOverlap);
        const [m0, , m2] = f.actors.miners;
        const early = await commitFor(f, m2, { roundId: f.roundId, task: 0, slot: 1, genome: G[0], score: 9600, salt: salt("be") });
        const late = await commitFor(f, m0, { roundId: f.roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("pl") });
        await after(f, f.roundId, "commit");
        await revealFor(f, m0, late);
        await afterPrimaryReveals(f, f.roundId);
        await expect(revealFor(f, m2, early))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolTaskDelivered")
          .withArgs(f.roundId, 0n, 0n);
        const primary = await f.pool.getSubmission(f.roundId, 0, 0);
        expect([primary.active, primary.flags & DUPLICATE]).to.deep.equal([1n, 0n]);
        expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500));
      });

      it("commits in the same block: the lower (task, slot) wins whatever the reveal order", async () => {
        const f = await loadFixture(fxOverlap);
        const [, m1, m2, , m4, m5] = f.actors.miners;
        // G[0]: m1 (task 1, slot 0) and m2 (task 0, slot 1, lower); G[1]: m4 (task 2, lower) and m5 (task 3)
        const c1 = { roundId: f.roundId, task: 1, slot: 0, genome: G[0], score: 9500, salt: salt("t1") };
        const c2 = { roundId: f.roundId, task: 0, slot: 1, genome: G[0], score: 9600, salt: salt("t2") };
        const c4 = { roundId: f.roundId, task: 2, slot: 0, genome: G[1], score: 9700, salt: salt("t4") };
        const c5 = { roundId: f.roundId, task: 3, slot: 0, genome: G[1], score: 9800, salt: salt("t5") };
        const pairs: [HardhatEthersSigner, Reveal][] = [
          [m1, c1],
          [m2, c2],
          [m4, c4],
          [m5, c5],
        ];
        await ethers.provider.send("evm_setAutomine", [false]);
        const txs: Promise<{ wait: () => Promise<unknown> }>[] = [];
        try {
          for (const [m, r] of pairs) {
            const h = await f.pool.computeCommitment(r.roundId, r.task, m.address, r.genome, r.score, r.salt);
            txs.push(f.pool.connect(m).commit(f.roundId, h));
          }
          await Promise.all(txs);
          await networkHelpers.mine();
          const blocks = await Promise.all(txs.map(blockOf));
          expect(new Set(blocks).size).to.equal(1);
        } finally {
          await ethers.provider.send("evm_setAutomine", [true]);
        }
        await after(f, f.roundId, "commit");
        // the lower revealing first: the higher one is rejected
        await revealFor(f, m4, c4);
        await expect(revealFor(f, m5, c5))
          .to.be.revertedWithCustomError(f.pool, "PoNASPoolDuplicateGenome")
          .withArgs(G[1], 2n, 0n);
        // the higher revealing first: the lower one voids it (task 0's primary m0 is a no-show)
        await revealFor(f, m1, c1);
        await afterPrimaryReveals(f, f.roundId);
        await expect(revealFor(f, m2, c2))
          .to.emit(f.pool, "DuplicateVoided")
          .withArgs(f.roundId, 1n, 0n, G[0], perfU(9700));
      });
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("topK (the raw list; lens.getTopK decodes it)", () => {
    it("keeps the topK highest claims, highest first; an equal later claim ranks after the earlier one", async () => {
      const d = await loadFixture(deployPool);
      const { roundId } = await openRound(d, {}, partition(2)); // 12 tasks: (gene0, gene1)
      const scores = [9500, 9700, 9600, 9700, 9100];
      const reveals: Reveal[] = [];
      for (const [t, score] of scores.entries()) {
        const m = d.actors.miners[t];
        await d.pool.connect(m).stake(MINER_STAKE);
        await d.pool.connect(m).claim(roundId, t);
        const genome = genes([Math.floor(t / 4), t % 4, 0, 0]);
        reveals.push(await commitFor(d, m, { roundId, task: t, slot: 0, genome, score, salt: salt(`k${t}`) }));
      }
      await after(d, roundId, "commit");
      for (const [t, r] of reveals.entries()) await revealFor(d, d.actors.miners[t], r);
      // stored as packed words (Sampling.entry), highest first, the unused places 0
      const raw = await d.pool.topK(roundId);
      expect(raw.length).to.equal(8);
      expect([...raw]).to.deep.equal([topEntry(9700, 1, 0), topEntry(9700, 3, 0), topEntry(9600, 2, 0), 0n, 0n, 0n, 0n, 0n]);
      const top = await d.lens.getTopK(roundId);
      expect([[...top.tasks], [...top.slots], [...top.scores]]).to.deep.equal([
        [1n, 3n, 2n],
        [0n, 0n, 0n],
        [9700n, 9700n, 9600n],
      ]);
    });

    it("holds only counting claims: a voided duplicate leaves it and a later claim takes the freed place", async () => {
      // Intent (PoNASPool.reveal, _voidDuplicate, RewardMath.minSafeStake): a claim that earns
      // nothing must not push a paid claim out of the always-verified top-K.
      const d = await loadFixture(deployPool);
      const [m0, m1, m2] = d.actors.miners;
      // tasks 0 and 1 overlap (both gene 0 = 0); task 2 is gene 0 = 1
      const tasks = [prefixTask([0]), prefixTask([0]), prefixTask([1])];
      const { roundId } = await openRound(
        d,
        { topK: 2, minStake: minSafeStake(REWARD, 5000n, 2n) },
        { masks: tasks.map((t) => t.mask), values: tasks.map((t) => t.value) },
      );
      for (const m of [m0, m1, m2]) await d.pool.connect(m).stake(MINER_STAKE);
      for (const [t, m] of [m0, m1, m2].entries()) await d.pool.connect(m).claim(roundId, t);
      const rp = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9500, salt: salt("kp") });
      const rd = await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: G[0], score: 9900, salt: salt("kd") });
      const r2 = await commitFor(d, m2, { roundId, task: 2, slot: 0, genome: G[1], score: 9700, salt: salt("k2") });
      await after(d, roundId, "commit");
      const topOf = async () => {
        const top = await d.lens.getTopK(roundId);
        for (let i = 0; i < top.tasks.length; i++) {
          const active = (await d.pool.getSubmission(roundId, top.tasks[i], 0)).active;
          expect(active, `top-K entry (${top.tasks[i]}, ${top.slots[i]}) does not count`).to.equal(top.slots[i] + 1n);
        }
        return [[...top.tasks], [...top.slots], [...top.scores]];
      };
      await revealFor(d, m1, rd); // the later commit: counts for now
      expect(await topOf()).to.deep.equal([[1n], [0n], [9900n]]);
      await revealFor(d, m0, rp); // the earlier commit voids it: it leaves the top-K
      expect(await d.lens.projectedReward(roundId, 1, 0)).to.equal(0n);
      expect(await topOf()).to.deep.equal([[0n], [0n], [9500n]]);
      await revealFor(d, m2, r2); // the freed place is taken by the next claim
      expect(await topOf()).to.deep.equal([
        [2n, 0n],
        [0n, 0n],
        [9700n, 9500n],
      ]);
    });

    it("is empty (all 8 words 0) for a round with topK 0 and for an unknown round", async () => {
      const f = await loadFixture(fxRareSample);
      expect([...(await f.pool.topK(f.roundId))]).to.deep.equal(Array(8).fill(0n));
      expect([...(await f.pool.topK(42n))]).to.deep.equal(Array(8).fill(0n));
      const top = await f.lens.getTopK(f.roundId);
      expect(top.tasks.length).to.equal(0);
      expect((await f.lens.getTopK(42n)).tasks.length).to.equal(0);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("onChallenge (through committee.challenge)", () => {
    it("flags a revealed submission as challenged (from its reveal on) and emits Challenged; it is then sampled", async () => {
      const f = await loadFixture(fxRareSample);
      const [v0] = f.actors.verifiers;
      const seed = await fixSeed(f, f.roundId);
      const undrawn = [0, 1, 2].find((t) => !drawn(seed, f.roundId, t, 0, 1n));
      expect(undrawn, "some task not drawn at 1 bps").to.not.equal(undefined);
      const t = undrawn!;
      expect(await f.lens.isSampled(f.roundId, t, 0)).to.equal(false);
      await expect(f.committee.connect(v0).challenge(f.roundId, t, 0)).to.emit(f.pool, "Challenged").withArgs(f.roundId, t, 0n, v0.address);
      expect((await f.pool.getSubmission(f.roundId, t, 0)).flags & CHALLENGED).to.equal(CHALLENGED);
      expect(await f.lens.isSampled(f.roundId, t, 0)).to.equal(true);
    });

    it("can challenge during the reveal window, right after the reveal", async () => {
      const f = await loadFixture(fxCommitted);
      await after(f, f.roundId, "commit");
      await revealFor(f, f.actors.miners[0], f.r0);
      await expect(f.committee.connect(f.actors.verifiers[1]).challenge(f.roundId, 0, 0))
        .to.emit(f.pool, "Challenged")
        .withArgs(f.roundId, 0n, 0n, f.actors.verifiers[1].address);
    });

    it("reverts PoNASPoolUnknownRound, PoNASPoolNotRevealed, PoNASPoolAlreadyChallenged (bubbling up through the committee); a verified claim is past the challenge window", async () => {
      const f = await loadFixture(fxVerify);
      const [v0, v1, v2] = f.actors.verifiers;
      await expect(f.committee.connect(v0).challenge(8n, 0, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(8n);
      // task 2 was claimed but never revealed; slot 1 of task 0 (backup) neither
      await expect(f.committee.connect(v0).challenge(f.roundId, 2, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotRevealed")
        .withArgs(f.roundId, 2n, 0n);
      await expect(f.committee.connect(v0).challenge(f.roundId, 0, 1))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotRevealed")
        .withArgs(f.roundId, 0n, 1n);
      await f.committee.connect(v0).challenge(f.roundId, 1, 0);
      await expect(f.committee.connect(v1).challenge(f.roundId, 1, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadyChallenged")
        .withArgs(f.roundId, 1n, 0n);
      // task 0 is in the top-K: verified without any challenge. A verdict comes at the earliest in
      // the reveal phase, after the commit phase, which ends after the challenge window: so a
      // verified claim is refused as out of the window (the pool's AlreadyFinal check comes later)
      await attestAll(f, f.roundId, byVerifiers([v0, v1, v2], 0, 0, [9500, 9500, 9500]));
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).flags & VERIFIED).to.equal(VERIFIED);
      const challengeEnd = f.params.revealEnd + (f.params.verifyEnd - f.params.revealEnd) / 4n;
      expect((await phases(f, f.roundId)).commitEnd).to.be.greaterThan(challengeEnd);
      await expect(f.committee.connect(v2).challenge(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolChallengeWindowClosed")
        .withArgs(f.roundId, challengeEnd);
    });

    it("works until a quarter into the verify window and reverts PoNASPoolChallengeWindowClosed after it (issue 10, property 5)", async () => {
      const f = await loadFixture(fxVerify);
      const p = f.params;
      const challengeEnd = p.revealEnd + (p.verifyEnd - p.revealEnd) / 4n;
      expect(challengeEnd - p.revealEnd).to.be.at.least((p.verifyEnd - p.revealEnd) / 4n - 1n);
      await time.setNextBlockTimestamp(challengeEnd);
      await expect(f.committee.connect(f.actors.verifiers[0]).challenge(f.roundId, 0, 0)).to.emit(f.pool, "Challenged");
      await expect(f.committee.connect(f.actors.verifiers[0]).challenge(f.roundId, 1, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolChallengeWindowClosed")
        .withArgs(f.roundId, challengeEnd);
      await fixSeed(f, f.roundId);
      // a challenge at challengeEnd leaves a quarter of the window to re-train and seal: drawn
      // commits work until attestCommitEnd = revealEnd + 1/2 of the window, and are refused after it
      const { commitEnd, revealEnd, escalationCommitEnd } = await phases(f, f.roundId);
      expect(commitEnd).to.equal(p.revealEnd + (p.verifyEnd - p.revealEnd) / 2n);
      expect(commitEnd - challengeEnd).to.be.at.least((p.verifyEnd - p.revealEnd) / 4n);
      const [s1, s2] = [
        await sealAttestation(f, f.roundId, { verifier: f.actors.verifiers[1], task: 0, slot: 0, score: 9000 }),
        await sealAttestation(f, f.roundId, { verifier: f.actors.verifiers[2], task: 0, slot: 0, score: 9000 }),
      ];
      await time.setNextBlockTimestamp(commitEnd);
      await expect(commitSealed(f, s1)).to.emit(f.committee, "AttestationCommitted");
      await expect(commitSealed(f, s2)).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase").withArgs(f.roundId, revealEnd, escalationCommitEnd);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("fixSampleSeed", () => {
    it("requests the round's value first, then fixes keccak256(abi.encode(value, roundId)) once the target block is mined, emitting SampleSeedFixed once", async () => {
      const f = await loadFixture(fxVerify);
      const source = await f.randomness.getAddress();
      // the first call requests: the target is a block that does not exist yet; no seed
      expect(await f.pool.fixSampleSeed.staticCall(f.roundId)).to.equal(ethers.ZeroHash);
      const tx = await f.pool.connect(f.actors.outsider).fixSampleSeed(f.roundId);
      const rc = await tx.wait();
      const target = BigInt(rc!.blockNumber) + RANDOMNESS_DELAY;
      await expect(tx).to.emit(f.randomness, "RandomnessRequested").withArgs(f.poolAddress, f.roundId, target);
      await expect(tx).not.to.emit(f.pool, "SampleSeedFixed");
      expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(true);
      expect(await f.randomness.targetOf(f.poolAddress, f.roundId)).to.equal(target);
      // in the target block itself the value is still unknown: the seed stays 0
      const inTarget = await f.pool.fixSampleSeed(f.roundId);
      expect(BigInt((await inTarget.wait())!.blockNumber)).to.equal(target);
      await expect(inTarget).not.to.emit(f.pool, "SampleSeedFixed");
      expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
      // the next block's call fixes it from the target block's hash
      const fix = await f.pool.fixSampleSeed(f.roundId);
      const targetHash = (await ethers.provider.getBlock(target))!.hash!;
      const coder = ethers.AbiCoder.defaultAbiCoder();
      const value = ethers.keccak256(coder.encode(["bytes32", "address", "uint256"], [targetHash, f.poolAddress, f.roundId]));
      const seed = seedOf(value, f.roundId);
      await expect(fix).to.emit(f.pool, "SampleSeedFixed").withArgs(f.roundId, seed);
      await expect(fix).to.emit(f.randomness, "RandomnessFulfilled").withArgs(f.poolAddress, f.roundId, value);
      expect(await f.randomness.randomnessOf(f.poolAddress, f.roundId)).to.equal(value);
      expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(seed);
      expect(source).to.equal(await f.pool.randomness());
      // later calls return the same seed and emit nothing
      expect(await f.pool.fixSampleSeed.staticCall(f.roundId)).to.equal(seed);
      await expect(f.pool.fixSampleSeed(f.roundId)).not.to.emit(f.pool, "SampleSeedFixed");
      expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(seed);
      expect(await fixSeed(f, f.roundId)).to.equal(seed);
    });

    it("reverts PoNASPoolNotInVerifyWindow until revealEnd has passed, and PoNASPoolUnknownRound", async () => {
      const f = await loadFixture(fxCommitted);
      const p = f.params;
      await expect(f.pool.fixSampleSeed(f.roundId))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow")
        .withArgs(f.roundId, p.revealEnd, p.verifyEnd);
      await time.setNextBlockTimestamp(p.revealEnd);
      await expect(f.pool.fixSampleSeed(f.roundId))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow")
        .withArgs(f.roundId, p.revealEnd, p.verifyEnd);
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false); // nothing requested before revealEnd
      await time.setNextBlockTimestamp(p.revealEnd + 1n);
      await expect(f.pool.fixSampleSeed(f.roundId)).to.emit(f.randomness, "RandomnessRequested");
      expect(await fixSeed(f, f.roundId)).to.not.equal(ethers.ZeroHash);
      await expect(f.pool.fixSampleSeed(3n)).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(3n);
    });

    it("can still be requested and fixed after verifyEnd", async () => {
      const f = await loadFixture(fxVerify);
      await after(f, f.roundId, "verify");
      await expect(f.pool.fixSampleSeed(f.roundId)).to.emit(f.randomness, "RandomnessRequested");
      await networkHelpers.mine(Number(RANDOMNESS_DELAY));
      await expect(f.pool.fixSampleSeed(f.roundId)).to.emit(f.pool, "SampleSeedFixed");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("beginVerification / onVerdict (through the committee's commitAttestation and revealAttestation)", () => {
    it("a commit while the seed is pending is refused (VerifierCommitteeSeedPending) and requests nothing; once fixSampleSeed fixed it, the submission stays unverified until the quorum's reveals", async () => {
      const f = await loadFixture(fxVerify);
      const [v0, v1, v2] = f.actors.verifiers;
      const sealed = [];
      for (const v of [v0, v1, v2]) sealed.push(await sealAttestation(f, f.roundId, { verifier: v, task: 0, slot: 0, score: 9480 }));
      expect((await f.pool.getRoundState(f.roundId)).seed).to.equal(ethers.ZeroHash);
      // the top-K claim is sampled while the seed is pending (the pool's rule), but nobody is drawn without it
      await expect(commitSealed(f, sealed[0])).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSeedPending").withArgs(f.roundId);
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false); // the revert undid the request
      // the first fixSampleSeed requests the value; the seed is still pending until its target block
      const req = f.pool.fixSampleSeed(f.roundId);
      const target = BigInt((await (await req).wait())!.blockNumber) + RANDOMNESS_DELAY;
      await expect(req).to.emit(f.randomness, "RandomnessRequested").withArgs(f.poolAddress, f.roundId, target);
      await expect(commitSealed(f, sealed[0])).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSeedPending");
      // after the target block, a commit fixes the seed on its way (beginVerification) and goes in
      await networkHelpers.mine(Number(RANDOMNESS_DELAY));
      const tx = commitSealed(f, sealed[0]);
      await expect(tx).to.emit(f.pool, "SampleSeedFixed");
      await expect(tx).to.emit(f.committee, "AttestationCommitted");
      await expect(tx).not.to.emit(f.pool, "Verified");
      expect((await f.pool.getRoundState(f.roundId)).seed).to.not.equal(ethers.ZeroHash);
      const sub = await f.pool.getSubmission(f.roundId, 0, 0);
      expect([sub.flags, sub.finalBps]).to.deep.equal([0n, 0n]);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(perfU(9500) + perfU(9700));
      for (const x of sealed.slice(1)) await expect(commitSealed(f, x)).not.to.emit(f.pool, "Verified");
      // in the reveal phase, 2 reveals of 3 committers do not verify it; the third does
      await toAttestReveals(f, f.roundId);
      await expect(revealAttestation(f, sealed[0])).not.to.emit(f.pool, "Verified");
      await expect(revealAttestation(f, sealed[1])).not.to.emit(f.pool, "Verified");
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).flags).to.equal(0n);
      await expect(revealAttestation(f, sealed[2])).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9480n, false, perfV(9500, 9480), perfV(9500, 9480) + perfU(9700), trueDigest(f.roundId, 0, 0));
    });

    it("at quorum fixes the median as the verified score (not fraud within tolerance) and emits Verified", async () => {
      const f = await loadFixture(fxVerify);
      // median of 9500, 9440 and 9380 = 9440; the claim 9500 is 60 above: within the 100 tolerance
      const tx = lastReveal(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9500, 9440, 9380]));
      // paid below the median by the over-claim's penalty: 9440 - ceil(60 · (1 - 0.5) / 0.5) = 9380
      expect(paidScore(9500, 9440)).to.equal(9380n);
      const sumP = perfV(9500, 9440) + perfU(9700);
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9440n, false, perfV(9500, 9440), sumP, trueDigest(f.roundId, 0, 0));
      await expect(tx).not.to.emit(f.pool, "Slashed");
      await expect(tx).not.to.emit(f.committee, "Penalised");
      const sub = await f.pool.getSubmission(f.roundId, 0, 0);
      expect([sub.finalBps, sub.flags & VERIFIED, sub.flags & FRAUD]).to.deep.equal([9440n, VERIFIED, 0n]);
      expect((await f.committee.getAttestations(f.roundId, 0, 0)).length).to.equal(QUORUM);
      expect((await f.pool.getRoundState(f.roundId)).sumP).to.equal(sumP);
      // the reward uses the same paid score
      expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(share(perfV(9500, 9440), REWARD, sumP));
    });

    it("a verified score above the claim does not raise P", async () => {
      const f = await loadFixture(fxVerify);
      // a median at or above the claim pays the claim: never more than what was claimed
      expect(paidScore(9500, 9600)).to.equal(9500n);
      await expect(lastReveal(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9600, 9600, 9600])))
        .to.emit(f.pool, "Verified")
        .withArgs(f.roundId, 0n, 0n, 9600n, false, perf(9500), perf(9500) + perfU(9700), trueDigest(f.roundId, 0, 0));
    });

    it("a claim above median + tolerance is fraud: P = 0, stake slashed, a slashBps share to honest verifiers and the rest forfeited to the treasury, never the pot", async () => {
      const f = await loadFixture(fxVerify);
      const [m0] = f.actors.miners;
      const vs = f.actors.verifiers;
      const tx = lastReveal(f, f.roundId, byVerifiers(vs, 0, 0, [9399, 9399, 9399])); // 9500 > 9399 + 100
      const each = (MIN_STAKE * SLASH_BPS) / BPS / 3n;
      const toVerifiers = slashToVerifiers(3n);
      expect(toVerifiers).to.equal(3n * each);
      const toTreasury = MIN_STAKE - toVerifiers;
      await expect(tx).to.emit(f.pool, "Verified").withArgs(f.roundId, 0n, 0n, 9399n, true, 0n, perfU(9700), trueDigest(f.roundId, 0, 0));
      await expect(tx).to.emit(f.pool, "Slashed").withArgs(f.roundId, 0n, 0n, m0.address, MIN_STAKE, toVerifiers, toTreasury);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.pool, f.committee], [-toVerifiers, toVerifiers]);
      const a = await f.pool.minerAccount(m0.address);
      expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE - MIN_STAKE, 0n]);
      for (const v of vs) expect((await f.committee.verifierAccount(v.address)).fees).to.equal(FEE + each);
      const s = await f.pool.getRoundState(f.roundId);
      expect([s.forfeited, s.sumP]).to.deep.equal([toTreasury, perfU(9700)]);
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).flags & FRAUD).to.equal(FRAUD);
      expect(await f.lens.projectedReward(f.roundId, 0, 0)).to.equal(0n);
      // the slashed stake does not grow the pot: the honest miner's projection is the pot, no more
      expect(await f.lens.projectedReward(f.roundId, 1, 0)).to.equal(REWARD);
    });

    it("exactly median + tolerance is not fraud (paid the median less the full penalty)", async () => {
      const f = await loadFixture(fxVerify);
      expect(paidScore(9500, 9400)).to.equal(9300n); // 9400 - 100 · 0.5 / 0.5
      await expect(lastReveal(f, f.roundId, byVerifiers(f.actors.verifiers, 0, 0, [9400, 9400, 9400])))
        .to.emit(f.pool, "Verified")
        .withArgs(f.roundId, 0n, 0n, 9400n, false, perfV(9500, 9400), perfV(9500, 9400) + perfU(9700), trueDigest(f.roundId, 0, 0));
    });

    it("the over-claim penalty scales with (1 - p) / p: at sampleBps 20% a 25 bps over-claim costs 100 bps below the median", async () => {
      const d = await loadFixture(deployPool);
      const sampleBps = 2000n;
      const { roundId } = await openRound(d, { sampleBps: Number(sampleBps), minStake: minSafeStake(REWARD, sampleBps, TOP_K) });
      const [m0] = d.actors.miners;
      await d.pool.connect(m0).stake(3000n * TOKEN);
      await d.pool.connect(m0).claim(roundId, 0);
      const r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9525, salt: salt("pen") });
      await after(d, roundId, "commit");
      await revealFor(d, m0, r);
      await after(d, roundId, "reveal");
      const paid = paidScore(9525, 9500, sampleBps);
      expect(paid).to.equal(9400n); // 9500 - 25 · 0.8 / 0.2
      await expect(lastReveal(d, roundId, byVerifiers(d.actors.verifiers, 0, 0, [9500, 9500, 9500])))
        .to.emit(d.pool, "Verified")
        .withArgs(roundId, 0n, 0n, 9500n, false, perf(paid), perf(paid), trueDigest(roundId, 0, 0));
    });

    it("an over-claim within the tolerance whose penalty would take all its verified performance is fraud and slashed (the floor would cap its loss)", async () => {
      const d = await loadFixture(deployPool);
      const sampleBps = 2000n;
      const { roundId, params } = await openRound(d, { sampleBps: Number(sampleBps), minStake: minSafeStake(REWARD, sampleBps, TOP_K) });
      const [m0] = d.actors.miners;
      await d.pool.connect(m0).stake(3000n * TOKEN);
      await d.pool.connect(m0).claim(roundId, 0);
      // truth 9050 (P 50); claim 9090 is 40 bps over, within the 100-bps tolerance; its penalty
      // 40 · 0.8 / 0.2 = 160 bps would leave P 0, so unsampled it gains 40 at no risk but its stake
      const r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9090, salt: salt("weak") });
      await after(d, roundId, "commit");
      await revealFor(d, m0, r);
      await after(d, roundId, "reveal");
      expect(paidScore(9090, 9050, sampleBps)).to.be.at.most(9000n);
      const tx = lastReveal(d, roundId, byVerifiers(d.actors.verifiers, 0, 0, [9050, 9050, 9050]));
      await expect(tx).to.emit(d.pool, "Verified").withArgs(roundId, 0n, 0n, 9050n, true, 0n, 0n, trueDigest(roundId, 0, 0));
      await expect(tx).to.emit(d.pool, "Slashed");
      expect((await d.pool.minerAccount(m0.address)).balance).to.equal(3000n * TOKEN - BigInt(params.minStake));
      // an over-claim the penalty can absorb is not: claim 9060 on truth 9050 (penalty 40, P 10 left)
      expect(paidScore(9060, 9050, sampleBps)).to.equal(9010n);
    });

    it("reverts PoNASPoolAlreadyFinal once the submission is verified", async () => {
      const f = await loadFixture(fxVerify);
      const vs = f.actors.verifiers;
      await attestAll(f, f.roundId, byVerifiers(vs, 0, 0, [9500, 9500, 9500]));
      // the pool refuses before the committee looks at the phase or a repeated verifier
      const again = await sealAttestation(f, f.roundId, { verifier: vs[0], task: 0, slot: 0, score: 9500 });
      await expect(commitSealed(f, again))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadyFinal")
        .withArgs(f.roundId, 0n, 0n);
    });

    it("reverts PoNASPoolNotSampled for a submission outside the sample, until it is challenged", async () => {
      const f = await loadFixture(fxRareSample);
      const [v0, v1] = f.actors.verifiers;
      const seed = await fixSeed(f, f.roundId);
      const t = [0, 1, 2].find((x) => !drawn(seed, f.roundId, x, 0, 1n));
      expect(t, "some task not drawn at 1 bps").to.not.equal(undefined);
      const s = await sealAttestation(f, f.roundId, { verifier: v0, task: t!, slot: 0, score: 9000 });
      await expect(commitSealed(f, s))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotSampled")
        .withArgs(f.roundId, BigInt(t!), 0n);
      await f.committee.connect(v1).challenge(f.roundId, t!, 0);
      await expect(commitSealed(f, s)).to.emit(f.committee, "AttestationCommitted");
    });

    it("reverts PoNASPoolNotRevealed for a claimed-only or empty slot", async () => {
      const f = await loadFixture(fxVerify);
      const [v0] = f.actors.verifiers;
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 2, 0, ethers.id("seal")))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotRevealed")
        .withArgs(f.roundId, 2n, 0n);
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 1, 3, ethers.id("seal")))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotRevealed")
        .withArgs(f.roundId, 1n, 3n);
    });

    it("reverts PoNASPoolNotInVerifyWindow at revealEnd and after verifyEnd; commits work from revealEnd + 1 (the committee closes them after attestCommitEnd)", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0] = f.actors.miners;
      const [v0, v1, v2] = f.actors.verifiers;
      const p = f.params;
      await after(f, f.roundId, "commit");
      await revealFor(f, m0, f.r0);
      const sealed = [];
      for (const v of [v0, v1, v2]) sealed.push(await sealAttestation(f, f.roundId, { verifier: v, task: 0, slot: 0, score: 9500 }));
      await time.setNextBlockTimestamp(p.revealEnd);
      await expect(commitSealed(f, sealed[0]))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow")
        .withArgs(f.roundId, p.revealEnd, p.verifyEnd);
      await time.setNextBlockTimestamp(p.revealEnd + 1n);
      await expect(commitSealed(f, sealed[0])).to.be.revertedWithCustomError(f.committee, "VerifierCommitteeSeedPending");
      await fixSeed(f, f.roundId); // a block or two after revealEnd + 1
      await expect(commitSealed(f, sealed[0])).to.emit(f.committee, "AttestationCommitted");
      // inside the verify window but past the commit phases: the pool lets it through, the committee refuses
      const { revealEnd, escalationCommitEnd } = await phases(f, f.roundId);
      await time.setNextBlockTimestamp(p.verifyEnd);
      await expect(commitSealed(f, sealed[1]))
        .to.be.revertedWithCustomError(f.committee, "VerifierCommitteeNotInPhase")
        .withArgs(f.roundId, revealEnd, escalationCommitEnd);
      await time.setNextBlockTimestamp(p.verifyEnd + 1n);
      await expect(commitSealed(f, sealed[2]))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNotInVerifyWindow")
        .withArgs(f.roundId, p.revealEnd, p.verifyEnd);
    });

    it("reverts PoNASPoolUnknownRound for a round never opened (bubbling up through the committee)", async () => {
      const f = await loadFixture(fxVerify);
      const [v0] = f.actors.verifiers;
      await expect(f.committee.connect(v0).commitAttestation(6n, 0, 0, ethers.id("seal"))).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(6n);
      await fixSeed(f, f.roundId);
      await expect(f.committee.connect(v0).commitAttestation(f.roundId, 0, 0, ethers.id("seal"))).to.emit(f.committee, "AttestationCommitted");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("finalize", () => {
    it("closes the round: pot (rewardTotal, a slash aside) and ΣP fixed, emits RoundFinalized (anyone)", async () => {
      const f = await loadFixture(fxVerify);
      await attestAll(f, f.roundId, byVerifiers(f.actors.verifiers, 1, 0, [9000, 9000, 9000])); // 9700 claimed: fraud
      await after(f, f.roundId, "verify");
      const toTreasury = MIN_STAKE - slashToVerifiers(3n);
      const tx = f.pool.connect(f.actors.outsider).finalize(f.roundId);
      await expect(tx).to.emit(f.pool, "RoundFinalized").withArgs(f.roundId, REWARD, perfU(9500));
      await expect(tx).not.to.emit(f.pool, "SampleSeedFixed"); // fixed already
      const s = await f.pool.getRoundState(f.roundId);
      expect([s.finalized, s.remainingP, s.sumP, s.forfeited]).to.deep.equal([true, perfU(9500), perfU(9500), toTreasury]);
    });

    it("reverts PoNASPoolSeedNotFixed while nobody requested the seed (its own request is rolled back) or it is pending; completes a delivered one", async () => {
      const f = await loadFixture(fxVerify);
      await after(f, f.roundId, "verify");
      await expect(f.pool.finalize(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolSeedNotFixed").withArgs(f.roundId);
      expect(await f.randomness.requested(f.poolAddress, f.roundId)).to.equal(false); // rolled back with the revert
      await f.pool.fixSampleSeed(f.roundId); // requested; the next block is the target
      // in the target block the value is still pending (a reverted call mines no block here)
      await expect(f.pool.finalize(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolSeedNotFixed").withArgs(f.roundId);
      expect((await f.pool.getRoundState(f.roundId)).finalized).to.equal(false);
      await networkHelpers.mine(Number(RANDOMNESS_DELAY));
      // past the target block, finalize fixes the seed itself
      const tx = f.pool.finalize(f.roundId);
      await expect(tx).to.emit(f.pool, "SampleSeedFixed");
      await expect(tx).to.emit(f.pool, "RoundFinalized").withArgs(f.roundId, REWARD, perfU(9500) + perfU(9700));
    });

    it("reverts PoNASPoolVerifyWindowOpen until verifyEnd has passed, then PoNASPoolAlreadyFinalized", async () => {
      const f = await loadFixture(fxVerify);
      const p = f.params;
      await fixSeed(f, f.roundId);
      await time.setNextBlockTimestamp(p.verifyEnd);
      await expect(f.pool.finalize(f.roundId))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolVerifyWindowOpen")
        .withArgs(f.roundId, p.verifyEnd);
      await time.setNextBlockTimestamp(p.verifyEnd + 1n);
      await expect(f.pool.finalize(f.roundId)).to.emit(f.pool, "RoundFinalized");
      await expect(f.pool.finalize(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadyFinalized").withArgs(f.roundId);
    });

    it("reverts PoNASPoolUnknownRound", async () => {
      const { pool } = await loadFixture(deployPool);
      await expect(pool.finalize(1n)).to.be.revertedWithCustomError(pool, "PoNASPoolUnknownRound").withArgs(1n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("withdraw", () => {
    it("pays a verified counting primary P·pot/ΣP, releases its stake, records its performance (caller need not be the miner)", async () => {
      const f = await loadFixture(fxFinalized);
      const [m0] = f.actors.miners;
      const reward = share(perf(9500), FX_POT, FX_SUMP);
      const tx = f.pool.connect(f.actors.outsider).withdraw(f.roundId, 0, 0);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 0n, 0n, m0.address, perf(9500), reward, MIN_STAKE, false);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m0, f.actors.outsider, f.pool], [reward, 0n, -reward]);
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).status).to.equal(Status.Settled);
      expect((await f.pool.minerAccount(m0.address)).locked).to.equal(0n);
      const s = await f.pool.getRoundState(f.roundId);
      expect([s.remainingP, s.paid]).to.deep.equal([FX_SUMP - perf(9500), reward]);
      const st = await f.pool.performanceStats(m0.address);
      expect([st.count, st.mean, st.m2]).to.deep.equal([1n, perf(9500) * SCALE, 0n]);
    });

    it("a no-show primary gets nothing, its whole stake back at noShowBps 0, and a performance of 0 in its history", async () => {
      const f = await loadFixture(fxFinalized);
      const [, m1] = f.actors.miners;
      const tx = f.pool.withdraw(f.roundId, 1, 0);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 1n, 0n, m1.address, 0n, 0n, MIN_STAKE, false);
      await expect(tx).not.to.emit(f.pool, "NoShowFined");
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m1, f.pool], [0n, 0n]);
      const a = await f.pool.minerAccount(m1.address);
      expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE, 0n]);
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(FX_TO_TREASURY); // the slash alone
      const st = await f.pool.performanceStats(m1.address);
      expect([st.count, st.mean, st.m2]).to.deep.equal([1n, 0n, 0n]);
    });

    it("the backup that took over a no-show's task is paid, without a history entry", async () => {
      const f = await loadFixture(fxFinalized);
      const [, , , m3] = f.actors.miners;
      const reward = share(perf(9800), FX_POT, FX_SUMP);
      const tx = f.pool.withdraw(f.roundId, 1, 1);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 1n, 1n, m3.address, perf(9800), reward, MIN_STAKE, false);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m3, f.pool], [reward, -reward]);
      expect((await f.pool.performanceStats(m3.address)).count).to.equal(0n);
    });

    it("a fraudulent primary gets nothing and no stake back (it was slashed); history records 0", async () => {
      const f = await loadFixture(fxFinalized);
      const [, , m2] = f.actors.miners;
      const tx = f.pool.withdraw(f.roundId, 2, 0);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 2n, 0n, m2.address, 0n, 0n, 0n, false);
      const st = await f.pool.performanceStats(m2.address);
      expect([st.count, st.mean, st.m2]).to.deep.equal([1n, 0n, 0n]);
      const a = await f.pool.minerAccount(m2.address);
      expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE - MIN_STAKE, 0n]);
    });

    it("a sampled submission that never reached quorum is paid nothing (unverified) but gets its stake back", async () => {
      const f = await loadFixture(fxVerify); // both reveals are in the top-K, nobody attests
      const [m0] = f.actors.miners;
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const tx = f.pool.withdraw(f.roundId, 0, 0);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 0n, 0n, m0.address, perfU(9500), 0n, MIN_STAKE, true);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m0, f.pool], [0n, 0n]);
      // the claimed P (unverified: RewardMath.paidScore's claim) still enters the history
      const st = await f.pool.performanceStats(m0.address);
      expect([st.count, st.mean]).to.deep.equal([1n, perfU(9500) * SCALE]);
      const s = await f.pool.getRoundState(f.roundId);
      expect([s.remainingP, s.paid]).to.deep.equal([perfU(9700), 0n]);
    });

    it("a submission outside the sample is paid without verification, on its claim", async () => {
      const f = await loadFixture(fxRareSample);
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const s = await f.pool.getRoundState(f.roundId);
      const sumP = [0, 1, 2].reduce((a, t) => a + perfU(RARE_SCORE(t)), 0n);
      expect(s.sumP).to.equal(sumP);
      const t = [0, 1, 2].find((x) => !drawn(s.seed, f.roundId, x, 0, 1n))!;
      const m = f.actors.miners[t];
      const p = perfU(RARE_SCORE(t));
      const reward = share(p, TINY_REWARD, sumP);
      const tx = f.pool.withdraw(f.roundId, t, 0);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, t, 0n, m.address, p, reward, f.params.minStake, false);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m, f.pool], [reward, -reward]);
    });

    it("a backup that could not reveal (its primary delivered) gets no reward and no history, but its stake back", async () => {
      const f = await loadFixture(fxCommitted);
      const [m0, , m2] = f.actors.miners;
      const rb = await commitFor(f, m2, { roundId: f.roundId, task: 0, slot: 1, genome: genes([0, 3, 0, 0]), score: 9900, salt: salt("bb") });
      await after(f, f.roundId, "commit");
      await revealFor(f, m0, f.r0);
      await afterPrimaryReveals(f, f.roundId);
      await expect(revealFor(f, m2, rb)).to.be.revertedWithCustomError(f.pool, "PoNASPoolTaskDelivered");
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const tx = f.pool.withdraw(f.roundId, 0, 1);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 0n, 1n, m2.address, 0n, 0n, MIN_STAKE, false);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m2, f.pool], [0n, 0n]);
      expect((await f.pool.minerAccount(m2.address)).locked).to.equal(0n);
      expect((await f.pool.performanceStats(m2.address)).count).to.equal(0n); // backups keep no history
    });

    it("reverts PoNASPoolUnknownRound, PoNASPoolNotFinalized, PoNASPoolNoSubmission and PoNASPoolAlreadySettled", async () => {
      const f = await loadFixture(fxVerify);
      await expect(f.pool.withdraw(9n, 0, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(9n);
      await expect(f.pool.withdraw(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolNotFinalized").withArgs(f.roundId);
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      await expect(f.pool.withdraw(f.roundId, 1, 1))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNoSubmission")
        .withArgs(f.roundId, 1n, 1n);
      await expect(f.pool.withdraw(f.roundId, 7, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNoSubmission")
        .withArgs(f.roundId, 7n, 0n);
      await f.pool.withdraw(f.roundId, 0, 0);
      await expect(f.pool.withdraw(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadySettled")
        .withArgs(f.roundId, 0n, 0n);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("settle", () => {
    it("settles like withdraw but credits the reward to the miner's stake (Withdrawn + Staked, no transfer)", async () => {
      const f = await loadFixture(fxFinalized);
      const [m0] = f.actors.miners;
      const reward = share(perf(9500), FX_POT, FX_SUMP);
      const tx = f.pool.connect(f.actors.outsider).settle(f.roundId, 0, 0);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 0n, 0n, m0.address, perf(9500), reward, MIN_STAKE, false);
      await expect(tx).to.emit(f.pool, "Staked").withArgs(m0.address, reward, MINER_STAKE + reward);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m0, f.pool], [0n, 0n]);
      const a = await f.pool.minerAccount(m0.address);
      expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE + reward, 0n]);
      const s = await f.pool.getRoundState(f.roundId);
      expect([s.remainingP, s.paid]).to.deep.equal([FX_SUMP - perf(9500), reward]);
      expect((await f.pool.getSubmission(f.roundId, 0, 0)).status).to.equal(Status.Settled);
      const st = await f.pool.performanceStats(m0.address);
      expect([st.count, st.mean]).to.deep.equal([1n, perf(9500) * SCALE]);
      // the credited reward can be unstaked with the stake
      await expect(f.pool.connect(m0).unstake(MINER_STAKE + reward)).to.changeTokenBalances(ethers, f.token, [m0], [MINER_STAKE + reward]);
      // the pool and its committee still hold exactly their liabilities
      const all = [...f.actors.miners, ...f.actors.verifiers].map((x) => x.address);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, all));
    });

    it("settles a no-show without its miner: stake released, history 0, no Staked event", async () => {
      const f = await loadFixture(fxFinalized);
      const [, m1] = f.actors.miners;
      const tx = f.pool.connect(f.actors.outsider).settle(f.roundId, 1, 0);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 1n, 0n, m1.address, 0n, 0n, MIN_STAKE, false);
      await expect(tx).not.to.emit(f.pool, "Staked");
      const a = await f.pool.minerAccount(m1.address);
      expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE, 0n]);
      expect((await f.pool.performanceStats(m1.address)).count).to.equal(1n);
    });

    it("reverts PoNASPoolUnknownRound, PoNASPoolNotFinalized, PoNASPoolNoSubmission and PoNASPoolAlreadySettled", async () => {
      const f = await loadFixture(fxVerify);
      await expect(f.pool.settle(9n, 0, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolUnknownRound").withArgs(9n);
      await expect(f.pool.settle(f.roundId, 0, 0)).to.be.revertedWithCustomError(f.pool, "PoNASPoolNotFinalized").withArgs(f.roundId);
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      await expect(f.pool.settle(f.roundId, 0, 4))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolNoSubmission")
        .withArgs(f.roundId, 0n, 4n);
      await f.pool.settle(f.roundId, 0, 0);
      await expect(f.pool.settle(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadySettled")
        .withArgs(f.roundId, 0n, 0n);
      await expect(f.pool.withdraw(f.roundId, 0, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadySettled")
        .withArgs(f.roundId, 0n, 0n);
      await f.pool.withdraw(f.roundId, 1, 0);
      await expect(f.pool.settle(f.roundId, 1, 0))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolAlreadySettled")
        .withArgs(f.roundId, 1n, 0n);
    });

    it("works while paused", async () => {
      const f = await loadFixture(fxFinalized);
      await f.pool.connect(f.actors.admin).pause();
      await expect(f.pool.settle(f.roundId, 1, 1)).to.emit(f.pool, "Staked");
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("no-show fee (settle / withdraw, noShowBps)", () => {
    const NO_SHOW_BPS = 2500n;
    const FINE = (MIN_STAKE * NO_SHOW_BPS) / BPS; // 80 tokens
    /**
     * noShowBps 25%, finalised, nothing verified (both deliveries are top-K, left unverified):
     *  task 0: primary m0 never reveals; backup m1 (slot 1) reveals 9600 and takes the task; backup m2 (slot 2) never reveals
     *  task 1: primary m3 reveals 9500; its backup m4 never reveals (it could not: the task was delivered)
     *  task 2: primary m5 and backup m6 both never reveal: nobody delivered
     */
    async function fxNoShows() {
      const d = await deployPool();
      const { roundId, params } = await openRound(d, { noShowBps: Number(NO_SHOW_BPS) });
      const [m0, m1, m2, m3, m4, m5, m6] = d.actors.miners;
      for (const m of [m0, m1, m2, m3, m4, m5, m6]) await d.pool.connect(m).stake(MINER_STAKE);
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m1).joinAsBackup(roundId, 0);
      await d.pool.connect(m2).joinAsBackup(roundId, 0);
      await d.pool.connect(m3).claim(roundId, 1);
      await d.pool.connect(m4).joinAsBackup(roundId, 1);
      await d.pool.connect(m5).claim(roundId, 2);
      await d.pool.connect(m6).joinAsBackup(roundId, 2);
      const rb = await commitFor(d, m1, { roundId, task: 0, slot: 1, genome: G[0], score: 9600, salt: salt("ns1") });
      const rp = await commitFor(d, m3, { roundId, task: 1, slot: 0, genome: G[1], score: 9500, salt: salt("ns3") });
      await after(d, roundId, "commit");
      await revealFor(d, m3, rp);
      await afterPrimaryReveals(d, roundId);
      await revealFor(d, m1, rb);
      await after(d, roundId, "verify");
      await fixSeed(d, roundId);
      await d.pool.finalize(roundId);
      return { ...d, roundId, params };
    }

    it("a primary that never revealed pays minStake · noShowBps to forfeited (NoShowFined); stakeReleased stays minStake; history records 0", async () => {
      const f = await loadFixture(fxNoShows);
      const [m0] = f.actors.miners;
      expect(FINE).to.equal(80n * TOKEN);
      const tx = f.pool.connect(f.actors.outsider).withdraw(f.roundId, 0, 0);
      await expect(tx).to.emit(f.pool, "NoShowFined").withArgs(f.roundId, 0n, 0n, m0.address, FINE);
      await expect(tx).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 0n, 0n, m0.address, 0n, 0n, MIN_STAKE, false);
      // no tokens move: the fine stays in the pool, now the treasury's
      await expect(tx).to.changeTokenBalances(ethers, f.token, [m0, f.pool, f.actors.treasury], [0n, 0n, 0n]);
      const a = await f.pool.minerAccount(m0.address);
      expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE - FINE, 0n]);
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(FINE);
      const st = await f.pool.performanceStats(m0.address);
      expect([st.count, st.mean]).to.deep.equal([1n, 0n]);
      // what is left is free: the miner can unstake all of it, no more
      await expect(f.pool.connect(m0).unstake(MINER_STAKE))
        .to.be.revertedWithCustomError(f.pool, "PoNASPoolInsufficientFreeStake")
        .withArgs(m0.address, MINER_STAKE - FINE, MINER_STAKE);
      await expect(f.pool.connect(m0).unstake(MINER_STAKE - FINE)).to.changeTokenBalances(ethers, f.token, [m0], [MINER_STAKE - FINE]);
    });

    it("a backup of a task someone delivered is not fined, whether the primary or another backup delivered", async () => {
      const f = await loadFixture(fxNoShows);
      const [, , m2, , m4] = f.actors.miners;
      // task 1: its primary delivered
      const t1 = f.pool.settle(f.roundId, 1, 1);
      await expect(t1).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 1n, 1n, m4.address, 0n, 0n, MIN_STAKE, false);
      await expect(t1).not.to.emit(f.pool, "NoShowFined");
      // task 0: backup slot 1 delivered, so slot 2 owes nothing either
      const t0 = f.pool.withdraw(f.roundId, 0, 2);
      await expect(t0).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 0n, 2n, m2.address, 0n, 0n, MIN_STAKE, false);
      await expect(t0).not.to.emit(f.pool, "NoShowFined");
      for (const m of [m2, m4]) {
        const a = await f.pool.minerAccount(m.address);
        expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE, 0n]);
      }
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(0n);
    });

    it("a P = 0 reveal is fined like a no-show: the primary, and a backup of a task only P = 0 reached; a backup that took over a P = 0 primary is paid, not fined", async () => {
      const d = await loadFixture(deployPool);
      const [m0, m1, m2, m3] = d.actors.miners;
      for (const m of [m0, m1, m2, m3]) await d.pool.connect(m).stake(MINER_STAKE);
      const { roundId } = await openRound(d, { noShowBps: Number(NO_SHOW_BPS) });
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m1).joinAsBackup(roundId, 0);
      await d.pool.connect(m2).claim(roundId, 1);
      await d.pool.connect(m3).joinAsBackup(roundId, 1);
      const r0 = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 8000, salt: salt("z0") });
      const r1 = await commitFor(d, m1, { roundId, task: 0, slot: 1, genome: genes([0, 1, 0, 0]), score: 9500, salt: salt("z1") });
      const r2 = await commitFor(d, m2, { roundId, task: 1, slot: 0, genome: G[1], score: 9000, salt: salt("z2") });
      await after(d, roundId, "commit");
      await revealFor(d, m0, r0);
      await revealFor(d, m2, r2);
      await afterPrimaryReveals(d, roundId);
      await revealFor(d, m1, r1);
      await after(d, roundId, "verify");
      await fixSeed(d, roundId);
      await d.pool.finalize(roundId);
      // task 0: the P = 0 primary is fined and records 0; its backup took the task (top-K, left unverified: paid 0, not fined)
      const t0 = d.pool.withdraw(roundId, 0, 0);
      await expect(t0).to.emit(d.pool, "NoShowFined").withArgs(roundId, 0n, 0n, m0.address, FINE);
      await expect(t0).to.emit(d.pool, "Withdrawn").withArgs(roundId, 0n, 0n, m0.address, 0n, 0n, MIN_STAKE, false);
      const b0 = d.pool.withdraw(roundId, 0, 1);
      await expect(b0).not.to.emit(d.pool, "NoShowFined");
      await expect(b0).to.emit(d.pool, "Withdrawn").withArgs(roundId, 0n, 1n, m1.address, perfU(9500), 0n, MIN_STAKE, true);
      // task 1: the primary at the baseline (P = 0) and its idle backup are both fined
      await expect(d.pool.settle(roundId, 1, 0)).to.emit(d.pool, "NoShowFined").withArgs(roundId, 1n, 0n, m2.address, FINE);
      await expect(d.pool.settle(roundId, 1, 1)).to.emit(d.pool, "NoShowFined").withArgs(roundId, 1n, 1n, m3.address, FINE);
      for (const [m, bal] of [[m0, MINER_STAKE - FINE], [m1, MINER_STAKE], [m2, MINER_STAKE - FINE], [m3, MINER_STAKE - FINE]] as const) {
        const a = await d.pool.minerAccount(m.address);
        expect([a.balance, a.locked]).to.deep.equal([bal, 0n]);
      }
      expect((await d.pool.getRoundState(roundId)).forfeited).to.equal(3n * FINE);
      expect(await holdings(d)).to.deep.equal(await liabilities(d, [m0, m1, m2, m3, ...d.actors.verifiers].map((x) => x.address)));
    });

    it("a delivering submission is never fined: the revealed backup and the revealed primary", async () => {
      const f = await loadFixture(fxNoShows);
      const [, m1, , m3] = f.actors.miners;
      for (const [task, slot, m] of [[0, 1, m1], [1, 0, m3]] as const) {
        const tx = f.pool.withdraw(f.roundId, task, slot);
        await expect(tx).not.to.emit(f.pool, "NoShowFined");
        expect((await f.pool.minerAccount(m.address)).balance).to.equal(MINER_STAKE);
      }
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(0n);
    });

    it("a task nobody delivered fines its primary and its backup; the fines are swept to the treasury with the round's surplus", async () => {
      const f = await loadFixture(fxNoShows);
      const [m0, m1, m2, m3, m4, m5, m6] = f.actors.miners;
      const backup = f.pool.settle(f.roundId, 2, 1);
      await expect(backup).to.emit(f.pool, "NoShowFined").withArgs(f.roundId, 2n, 1n, m6.address, FINE);
      await expect(backup).to.emit(f.pool, "Withdrawn").withArgs(f.roundId, 2n, 1n, m6.address, 0n, 0n, MIN_STAKE, false);
      await expect(backup).not.to.emit(f.pool, "Staked"); // no reward to credit
      await expect(f.pool.withdraw(f.roundId, 2, 0)).to.emit(f.pool, "NoShowFined").withArgs(f.roundId, 2n, 0n, m5.address, FINE);
      for (const m of [m5, m6]) {
        const a = await f.pool.minerAccount(m.address);
        expect([a.balance, a.locked]).to.deep.equal([MINER_STAKE - FINE, 0n]);
      }
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(2n * FINE);
      // settle the rest: m0 (task 0's no-show primary) is fined too; the deliveries were sampled
      // (top-K) and never verified, so nothing is paid and the whole pot is surplus
      await f.pool.withdraw(f.roundId, 0, 0);
      for (const [task, slot] of [[0, 1], [0, 2], [1, 0], [1, 1]]) await f.pool.withdraw(f.roundId, task, slot);
      const s = await f.pool.getRoundState(f.roundId);
      expect([s.forfeited, s.paid, s.remainingP]).to.deep.equal([3n * FINE, 0n, 0n]);
      expect(await f.lens.sweepable(f.roundId)).to.equal(REWARD + 3n * FINE);
      const tx = f.pool.sweep(f.roundId);
      await expect(tx).to.emit(f.pool, "Swept").withArgs(f.roundId, f.actors.treasury.address, REWARD + 3n * FINE);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [f.actors.treasury, f.pool], [REWARD + 3n * FINE, -(REWARD + 3n * FINE)]);
      const all = [m0, m1, m2, m3, m4, m5, m6, ...f.actors.verifiers].map((x) => x.address);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, all));
    });

    it("noShowBps 10000 takes the whole stake; noShowBps 0 takes nothing (no NoShowFined)", async () => {
      const d = await loadFixture(deployPool);
      const [m0, m1] = d.actors.miners;
      for (const m of [m0, m1]) await d.pool.connect(m).stake(MINER_STAKE);
      const { roundId: whole } = await openRound(d, { noShowBps: 10000 });
      const { roundId: none } = await openRound(d, { noShowBps: 0 });
      await d.pool.connect(m0).claim(whole, 0);
      await d.pool.connect(m1).claim(none, 0);
      await after(d, none, "verify");
      for (const r of [whole, none]) {
        await fixSeed(d, r);
        await d.pool.finalize(r);
      }
      await expect(d.pool.withdraw(whole, 0, 0)).to.emit(d.pool, "NoShowFined").withArgs(whole, 0n, 0n, m0.address, MIN_STAKE);
      expect((await d.pool.minerAccount(m0.address)).balance).to.equal(MINER_STAKE - MIN_STAKE);
      expect((await d.pool.getRoundState(whole)).forfeited).to.equal(MIN_STAKE);
      const tx = d.pool.withdraw(none, 0, 0);
      await expect(tx).to.emit(d.pool, "Withdrawn").withArgs(none, 0n, 0n, m1.address, 0n, 0n, MIN_STAKE, false);
      await expect(tx).not.to.emit(d.pool, "NoShowFined");
      expect((await d.pool.minerAccount(m1.address)).balance).to.equal(MINER_STAKE);
      expect((await d.pool.getRoundState(none)).forfeited).to.equal(0n);
    });

    it("a slashed claim pays no fine on top (its stake is slashed); a primary voided as a duplicate holds no P and is fined", async () => {
      const d = await loadFixture(deployPool);
      const [m0, m1] = d.actors.miners;
      for (const m of [m0, m1]) await d.pool.connect(m).stake(MINER_STAKE);
      // tasks 0 and 1 overlap, so m1's later commit of the same genome is voided by m0's reveal
      const tasks = [prefixTask([0]), prefixTask([0]), prefixTask([1])];
      const { roundId } = await openRound(d, { noShowBps: Number(NO_SHOW_BPS) }, { masks: tasks.map((t) => t.mask), values: tasks.map((t) => t.value) });
      await d.pool.connect(m0).claim(roundId, 0);
      await d.pool.connect(m1).claim(roundId, 1);
      const early = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: G[0], score: 9900, salt: salt("sl0") });
      const late = await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: G[0], score: 9500, salt: salt("sl1") });
      await after(d, roundId, "commit");
      await revealFor(d, m1, late);
      await revealFor(d, m0, early);
      await after(d, roundId, "reveal");
      await attestAll(d, roundId, byVerifiers(d.actors.verifiers, 0, 0, [9000, 9000, 9000])); // fraud
      await after(d, roundId, "verify");
      await fixSeed(d, roundId);
      await d.pool.finalize(roundId);
      const slashed = d.pool.withdraw(roundId, 0, 0);
      await expect(slashed).to.emit(d.pool, "Withdrawn").withArgs(roundId, 0n, 0n, m0.address, 0n, 0n, 0n, false);
      await expect(slashed).not.to.emit(d.pool, "NoShowFined");
      await expect(d.pool.withdraw(roundId, 1, 0)).to.emit(d.pool, "NoShowFined").withArgs(roundId, 1n, 0n, m1.address, FINE);
      expect((await d.pool.minerAccount(m0.address)).balance).to.equal(MINER_STAKE - MIN_STAKE);
      expect((await d.pool.minerAccount(m1.address)).balance).to.equal(MINER_STAKE - FINE);
      expect((await d.pool.getRoundState(roundId)).forfeited).to.equal(MIN_STAKE - slashToVerifiers(3n) + FINE);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("sweep and sweepable", () => {
    it("sweepable is 0 before finalisation, and sweep reverts PoNASPoolNothingToSweep", async () => {
      const f = await loadFixture(fxVerify);
      expect(await f.lens.sweepable(f.roundId)).to.equal(0n);
      await expect(f.pool.sweep(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolNothingToSweep").withArgs(f.roundId);
    });

    it("reverts PoNASPoolUnknownRound", async () => {
      const { pool, lens } = await loadFixture(deployPool);
      await expect(pool.sweep(1n)).to.be.revertedWithCustomError(pool, "PoNASPoolUnknownRound").withArgs(1n);
      expect(await lens.sweepable(1n)).to.equal(0n);
    });

    it("with ΣP = 0 the whole pot goes to the treasury, once; the fee budget is not the pool's to sweep", async () => {
      const d = await loadFixture(deployPool);
      const { roundId } = await openRound(d);
      await after(d, roundId, "verify");
      await fixSeed(d, roundId);
      await d.pool.finalize(roundId);
      expect(await d.lens.sweepable(roundId)).to.equal(REWARD);
      const tx = d.pool.connect(d.actors.outsider).sweep(roundId);
      await expect(tx).to.emit(d.pool, "Swept").withArgs(roundId, d.actors.treasury.address, REWARD);
      await expect(tx).to.changeTokenBalances(ethers, d.token, [d.actors.treasury, d.pool, d.committee], [REWARD, -REWARD, 0n]);
      expect((await d.pool.getRoundState(roundId)).swept).to.equal(REWARD);
      expect(await d.lens.sweepable(roundId)).to.equal(0n);
      await expect(d.pool.sweep(roundId)).to.be.revertedWithCustomError(d.pool, "PoNASPoolNothingToSweep").withArgs(roundId);
      // the unspent fee budget is still in the committee, which sweeps it itself
      expect((await d.committee.roundFees(roundId)).swept).to.equal(false);
      await expect(d.committee.sweepFees(roundId)).to.changeTokenBalances(ethers, d.token, [d.actors.treasury, d.committee], [FEE_BUDGET, -FEE_BUDGET]);
      expect(await holdings(d)).to.deep.equal(await liabilities(d, [...d.actors.miners, ...d.actors.verifiers].map((x) => x.address)));
    });

    it("sweeps the forfeited slash at once (the treasury's, not the pot's), nothing while every reward is owed, then the rounding dust; goes to the current treasury", async () => {
      const f = await loadFixture(fxFinalized);
      const { treasury, outsider, admin } = f.actors;
      // owed = ceil(ΣP·pot/ΣP) = pot: all the pool holds beyond it is the slash's treasury part
      expect((await f.pool.getRoundState(f.roundId)).forfeited).to.equal(FX_TO_TREASURY);
      expect(await f.lens.sweepable(f.roundId)).to.equal(FX_TO_TREASURY);
      const first = f.pool.sweep(f.roundId);
      await expect(first).to.emit(f.pool, "Swept").withArgs(f.roundId, treasury.address, FX_TO_TREASURY);
      await expect(first).to.changeTokenBalances(ethers, f.token, [treasury, f.pool], [FX_TO_TREASURY, -FX_TO_TREASURY]);
      expect(await f.lens.sweepable(f.roundId)).to.equal(0n);
      await expect(f.pool.sweep(f.roundId)).to.be.revertedWithCustomError(f.pool, "PoNASPoolNothingToSweep").withArgs(f.roundId);
      // the unspent fees are in the committee
      await expect(f.committee.sweepFees(f.roundId)).to.changeTokenBalances(
        ethers,
        f.token,
        [treasury, f.committee, f.pool],
        [FEE_BUDGET - FX_FEES, -(FEE_BUDGET - FX_FEES), 0n],
      );
      expect(await f.lens.sweepable(f.roundId)).to.equal(0n);
      const r0 = share(perf(9500), FX_POT, FX_SUMP);
      await f.pool.withdraw(f.roundId, 0, 0);
      // remaining holder P 800: owed = ceil(800·pot/1300)
      const owed = ceilDiv(perf(9800) * FX_POT, FX_SUMP);
      expect(await f.lens.sweepable(f.roundId)).to.equal(FX_POT - r0 - owed);
      const r1 = share(perf(9800), FX_POT, FX_SUMP);
      await f.pool.withdraw(f.roundId, 1, 1);
      await f.pool.withdraw(f.roundId, 1, 0);
      await f.pool.withdraw(f.roundId, 2, 0);
      // all settled: nothing is owed, the rest of the pot is rounding dust
      const dust = FX_POT - r0 - r1;
      expect(dust).to.be.greaterThan(0n); // 500·pot/1300 is not an integer
      expect(await f.lens.sweepable(f.roundId)).to.equal(dust);
      await f.pool.connect(admin).setTreasury(outsider.address);
      const tx = f.pool.sweep(f.roundId);
      await expect(tx).to.emit(f.pool, "Swept").withArgs(f.roundId, outsider.address, dust);
      await expect(tx).to.changeTokenBalances(ethers, f.token, [outsider, treasury], [dust, 0n]);
      const s = await f.pool.getRoundState(f.roundId);
      expect(s.swept).to.equal(FX_TO_TREASURY + dust);
      expect(s.paid).to.equal(r0 + r1);
      // everything the round held is accounted for: rewards, fees, the slashed stake and dust
      expect(s.paid + s.swept).to.equal(FX_POT + s.forfeited);
      const all = [...f.actors.miners, ...f.actors.verifiers].map((x) => x.address);
      expect(await holdings(f)).to.deep.equal(await liabilities(f, all));
    });

    it("the share of an unverified sampled submission is swept after it settles", async () => {
      const f = await loadFixture(fxVerify);
      await after(f, f.roundId, "verify");
      await fixSeed(f, f.roundId);
      await f.pool.finalize(f.roundId);
      const sumP = perfU(9500) + perfU(9700);
      await f.pool.withdraw(f.roundId, 0, 0); // unverified: pays 0
      const owed = ceilDiv(perfU(9700) * REWARD, sumP);
      expect(await f.lens.sweepable(f.roundId)).to.equal(REWARD - owed);
      await f.pool.withdraw(f.roundId, 1, 0);
      expect(await f.lens.sweepable(f.roundId)).to.equal(REWARD);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe("views: performanceStats, accounts", () => {
    it("performanceStats follows the withdrawals of primaries (Welford, mean and M2 scaled 1e6); lens.sigma reads it", async () => {
      const d = await loadFixture(fxSigma500Primary);
      const [m0] = d.actors.miners;
      const st = await d.pool.performanceStats(m0.address);
      // samples 1000, 0: mean 500, M2 = 2·500² bps²
      expect([st.count, st.mean, st.m2]).to.deep.equal([2n, 500n * SCALE, 2n * 500n * 500n * SCALE]);
      expect(await d.lens.sigma(m0.address)).to.equal(500n * SCALE);
      expect(await d.lens.sigma(d.actors.outsider.address)).to.equal(0n);
    });

    it("getAttestations of an unattested submission is empty; getSubmission of an empty slot is zero", async () => {
      const f = await loadFixture(fxVerify);
      expect(await f.committee.getAttestations(f.roundId, 0, 0)).to.deep.equal([]);
      expect(await f.committee.isDecided(f.roundId, 0, 0)).to.equal(false);
      const s = await f.pool.getSubmission(f.roundId, 2, 4);
      expect([s.miner, s.status]).to.deep.equal([ethers.ZeroAddress, Status.None]);
      const r = await f.pool.getRound(55n);
      expect(r.commitEnd).to.equal(0n);
    });
  });
});
