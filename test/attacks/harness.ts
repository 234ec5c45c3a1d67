// Attack harness (issue 10): plays one scenario twice on a fresh deployment — once with the
// attacker cheating, once with the same actor playing honestly — and measures every tracked
// actor's token balance change. A strategy file (test/attacks/<name>.ts) describes the scenario;
// this module drives rounds, settles everything at the end and does the bookkeeping.
//
// What "net" means: for an address, token wallet + miner stake balance (in the pool) + verifier
// stake + verifier fees (in the pool's VerifierCommittee): everything it owns, inside either
// contract or out, at the end minus at the start of the play. A verifier's penalties (lost
// stake, or fees it had not withdrawn) therefore count against it. At the end every round is
// finalised, every submission withdrawn, every round swept (the pool's sweep and the
// committee's sweepFees, so the treasury's take of unspent fee budgets and of the attestation
// penalties is counted), every
// verifier's fees and every miner's free stake withdrawn, so the nets are what the actors walk
// away with. Gas is paid in ETH and is not counted; nor is the cost of re-training.
//
// Conservation (checked by test/attacks.test.ts): Σ over tracked actors (manager, treasury,
// miners, verifiers, outsiders, extra addresses) of net + the change of what the pool and the
// committee hold beyond their accounts = 0. It fails if tokens reach an address the harness
// does not track, or if the harness misreads an account. Solvency, per contract: at the end the
// pool and the committee each hold exactly what they owe (test/helpers/pool.ts liabilities:
// accounts plus each round's unpaid pot, resp. unswept unspent fee budget and penalties).
//
// Verification follows the committee's sealed protocol (contracts/VerifierCommittee.sol): in the
// drawn-commit phase of the verify window each verifier the round's randomness drew for a
// submission seals a score and the digest of the weights it trained (World.attest; an honest
// re-training on the reference backend seals the submission's true digest, World.digestOf);
// commits close at 1/2 of the window, before any reveal, so nobody sees another's score before
// fixing its own; then every drawn commit is opened (World.revealAttestations); a disputed
// submission takes escalation commits from members who were not drawn (World.escalate), opened in
// turn; and what is left is decided (World.decideAll). World.verifyHonestly does all of it for
// the honest verifiers. A three-member committee at quorum 3 draws everyone and never escalates.
//
// Randomness: each play starts from the same snapshot (networkHelpers.loadFixture), mines a
// seed-dependent number of blocks, and takes its truths, claims, salts and orderings from the
// seed (mulberry32), identically in both plays. The sample itself comes from the pool's
// randomness source (the fixture's FutureBlockRandomness: the hash of the block after the
// round's first fixSampleSeed), and block hashes in EDR also depend on wall-clock timestamps,
// so a run is not bit-reproducible; the bench averages over many seeds. Wherever a play needs
// the seed (verifiers sampling, finalize) it fixes it as a verifier node does: World.fixSeed.
import type { ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Interface } from "ethers";
import type { FutureBlockRandomness, PoNASLens, PoNASPool, PoolToken, VerifierCommittee } from "../../types/ethers-contracts/index.js";
import {
  MIN_VERIFIER_STAKE,
  RANDOMNESS_DELAY,
  TOKEN,
  deployPool,
  deployPoolWithSupply,
  ethers,
  genes,
  genomeIn,
  holdings,
  honestSeal,
  liabilities,
  networkHelpers,
  roundParams,
  type Actors,
} from "../helpers/pool.js";
import { Rng } from "../helpers/rng.js";
import { trueDigest } from "../helpers/attest.js";
import { seedOf } from "../helpers/rules.js";
import { ROUND_DEFAULTS } from "../../chain/actions/openRound.js";

export { Rng };

export type Signer = HardhatEthersSigner;
export type Mode = "attack" | "honest";

/** One play's outcome, kept so the test can check conservation. */
export interface PlayRecord {
  mode: Mode;
  /** Σ net of the attacker's addresses. */
  net: bigint;
  /** Net change of every tracked address. */
  nets: Map<string, bigint>;
  /**
   * Σ nets + Δ(pool balance − Σ miner accounts) + Δ(committee balance − Σ verifier accounts):
   * 0 when every token is accounted for.
   */
  imbalance: bigint;
  /** What the pool holds at the end beyond the miner accounts of tracked actors (0 once all is settled and swept). */
  leftInPool: bigint;
  /** What the committee holds at the end beyond the verifier accounts of tracked actors (0 once every fee budget and its penalties are swept). */
  leftInCommittee: bigint;
  /**
   * Balance − liabilities (test/helpers/pool.ts) of each contract at the end: what it holds beyond
   * what it owes (accounts + each round's unpaid pot, resp. unswept unspent fee budget and
   * penalties). 0 for both when each contract is exactly solvent on its own.
   */
  surplus: { pool: bigint; committee: bigint };
  /** Each contract holds at least what it owes at the end (surplus ≥ 0 for both). */
  solvent: boolean;
  /** Transactions the drain (or a round's reveals and decides) could not complete (label: error). */
  drainErrors: string[];
}

export interface StrategyResult {
  attackerNet: bigint;
  honestNet: bigint;
  notes?: string;
  plays?: PlayRecord[];
}

export interface Strategy {
  name: string;
  property: string;
  description: string;
  run(seed: number): Promise<StrategyResult>;
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/** Extra funded addresses (sybils, squatters, enrolled verifiers): 10,000 tokens each, approved. */
export const EXTRA_ACTORS = 24;

export interface Fixture {
  token: PoolToken;
  pool: PoNASPool;
  poolAddress: string;
  committee: VerifierCommittee;
  committeeAddress: string;
  /** The pool's read-only views (top-K, sampled, projected reward, sweepable). */
  lens: PoNASLens;
  /** The pool's randomness source (FutureBlockRandomness, delay RANDOMNESS_DELAY). */
  randomness: FutureBlockRandomness;
  actors: Actors;
  extras: Signer[];
}

async function impersonated(n: number, base: number, fund: (s: Signer) => Promise<void>): Promise<Signer[]> {
  const out: Signer[] = [];
  for (let i = 0; i < n; i++) {
    const addr = ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(base + i), 20));
    await networkHelpers.impersonateAccount(addr);
    await networkHelpers.setBalance(addr, 10n ** 21n);
    const s = await ethers.getSigner(addr);
    await fund(s);
    out.push(s);
  }
  return out;
}

/** The shared pool fixture (test/helpers/pool.ts deployPool) plus EXTRA_ACTORS funded addresses. */
export async function attackFixture(): Promise<Fixture> {
  const d = await deployPool();
  const extras = await impersonated(EXTRA_ACTORS, 0xa77ac000, async (s) => {
    await (await d.token.connect(d.actors.admin).transfer(s.address, 10_000n * TOKEN)).wait();
    await (await d.token.connect(s).approve(d.poolAddress, ethers.MaxUint256)).wait();
    await (await d.token.connect(s).approve(d.committeeAddress, ethers.MaxUint256)).wait();
  });
  return { ...d, extras };
}

/**
 * Supply of the large token of bigSupplyFixture: the largest the pool accepts, 2^96 − 1 wei
 * (~7.9e10 tokens). A supply of 2^96 or more is refused at deployment
 * (PoNASPoolTokenSupplyTooLarge, test/PoNASPool.narrowing.test.ts); before that rule the
 * narrowing strategies ran with 2^130 wei and rewards of 2^99 and 2^120 wei.
 */
export const BIG_SUPPLY = 2n ** 96n - 1n;

/**
 * The real PoolToken and PoNASPool, deployed like deployPool but with a supply of BIG_SUPPLY
 * instead of 10^7 tokens (PoolToken takes any supply at construction; the Ignition default is
 * 10^8 tokens = 10^26 wei). For rewards as large as the pool can ever hold (property 9).
 */
export async function bigSupplyFixture(): Promise<Fixture> {
  return { ...(await deployPoolWithSupply(BIG_SUPPLY)), extras: [] };
}

// ---------------------------------------------------------------------------------------------
// Scenario randomness
// ---------------------------------------------------------------------------------------------

// Rng (test/helpers/rng.ts, re-exported above): `new Rng(seed, streamOf(name))` gives the same
// sequence in both plays of a scenario.

/** A stable stream number for a strategy name, so strategies do not share sequences. */
export function streamOf(name: string): number {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

export interface Tasks {
  masks: string[];
  values: string[];
  prefixes: number[][];
}

/** ARITIES (3, 4, 2, 5) partitioned by its first `depth` genes: 3, 12 or 24 tasks. */
export function tasksOf(depth: 1 | 2 | 3): Tasks {
  const prefixes: number[][] = [];
  for (let a = 0; a < 3; a++) {
    if (depth === 1) prefixes.push([a]);
    else
      for (let b = 0; b < 4; b++) {
        if (depth === 2) prefixes.push([a, b]);
        else for (let c = 0; c < 2; c++) prefixes.push([a, b, c]);
      }
  }
  return {
    masks: prefixes.map((p) => genes(p.map(() => 0xff))),
    values: prefixes.map((p) => genes(p)),
    prefixes,
  };
}

// ---------------------------------------------------------------------------------------------
// The world of one play
// ---------------------------------------------------------------------------------------------

export interface Sub {
  round: bigint;
  task: number;
  slot: number;
  miner: Signer;
  genome: string;
  /** The score re-training under the round's recipe gives (bit-exact reference backend). */
  truth: number;
  /** The score the miner commits to and reveals. */
  claim: number;
  salt: string;
  revealed: boolean;
  /** The weights digest its reveal seals (WeightsSeal); default the true one (it trained). */
  sealed?: string;
}

/** An attestation the harness sealed and committed for a verifier, and whether it was opened. */
export interface SealedAttestation {
  round: bigint;
  task: number;
  slot: number;
  verifier: Signer;
  score: number;
  /** The weights digest sealed with the score (0x00…0: a score-only, cross-backend attestation). */
  digest: string;
  salt: string;
  revealed: boolean;
  /** Committed in the escalation phase of a disputed submission (else drawn). */
  escalation: boolean;
}

const CHALLENGED = 1n;
const VERIFIED = 2n;
const FRAUD = 4n;

export class World {
  readonly subs: Sub[] = [];
  /** Every attestation committed in this play, in commit order. */
  readonly sealed: SealedAttestation[] = [];
  /** Verifiers enrolled in this play (enrolVerifiers), in order. */
  readonly enrolled: Signer[] = [];
  readonly prefixes = new Map<bigint, number[][]>();
  readonly signerOf = new Map<string, Signer>();
  /** Errors of transactions the scenario expected might fail (e.g. blocked claims). */
  readonly refused: string[] = [];
  /** Reveals and decides finishVerification could not complete (none expected). */
  readonly verifyErrors: string[] = [];

  constructor(
    readonly f: Fixture,
    readonly mode: Mode,
    readonly seed: number,
  ) {
    for (const s of this.actorSigners()) this.signerOf.set(s.address, s);
  }

  get pool() {
    return this.f.pool;
  }
  get lens() {
    return this.f.lens;
  }
  /** The pool's verifier committee: verifiers stake, challenge, commit and reveal attestations and withdraw fees here. */
  get committee() {
    return this.f.committee;
  }
  get token() {
    return this.f.token;
  }
  get a() {
    return this.f.actors;
  }
  get attack() {
    return this.mode === "attack";
  }

  actorSigners(): Signer[] {
    const { admin, treasury, outsider, miners, verifiers } = this.f.actors;
    return [admin, treasury, outsider, ...miners, ...verifiers, ...this.f.extras];
  }

  addresses(): string[] {
    return [...new Set(this.actorSigners().map((s) => s.address))];
  }

  // ---- bookkeeping ----

  /** Tokens `addr` owns inside the pool (miner stake balance) and inside the committee (verifier stake + fees). */
  async owned(addr: string): Promise<{ inPool: bigint; inCommittee: bigint }> {
    const [m, v] = await Promise.all([this.pool.minerAccount(addr), this.committee.verifierAccount(addr)]);
    return { inPool: m.balance, inCommittee: v.stake + v.fees };
  }

  /** Every address's wallet and what it owns in each contract, and the two contracts' balances. */
  async snapshot(addrs: string[]) {
    const wallet = new Map<string, bigint>();
    const inPool = new Map<string, bigint>();
    const inCommittee = new Map<string, bigint>();
    for (const a of addrs) {
      wallet.set(a, await this.token.balanceOf(a));
      const o = await this.owned(a);
      inPool.set(a, o.inPool);
      inCommittee.set(a, o.inCommittee);
    }
    const [pool, committee] = await Promise.all([
      this.token.balanceOf(this.f.poolAddress),
      this.token.balanceOf(this.f.committeeAddress),
    ]);
    return { wallet, inPool, inCommittee, pool, committee };
  }

  // ---- transactions ----

  /** The custom error's name, decoded with the pool's or the committee's ABI. */
  static errorName(interfaces: Interface[], e: unknown): string {
    const err = e as { data?: string; message?: string; error?: { data?: string } };
    for (const data of [err.data, err.error?.data]) {
      if (typeof data === "string" && data.length >= 10) {
        for (const iface of interfaces) {
          try {
            const parsed = iface.parseError(data);
            if (parsed) return parsed.name;
          } catch {
            /* not this contract's error */
          }
        }
      }
    }
    const m = /custom error '(\w+)\(/.exec(err.message ?? "") ?? /reverted with custom error '(\w+)/.exec(err.message ?? "");
    return m ? m[1] : `error: ${(err.message ?? String(e)).slice(0, 160)}`;
  }

  /** Sends and waits; throws on revert. */
  async tx(p: Promise<ContractTransactionResponse>) {
    const rc = await (await p).wait();
    if (!rc) throw new Error("no receipt");
    return rc;
  }

  /** Sends and waits; returns null on success, the error name on revert. */
  async tryTx(p: () => Promise<ContractTransactionResponse>): Promise<string | null> {
    try {
      await this.tx(p());
      return null;
    } catch (e) {
      return World.errorName([this.pool.interface, this.committee.interface], e);
    }
  }

  // ---- rounds ----

  /** Mines `n` empty blocks (seed-dependent start of every play). */
  async mine(n: number) {
    if (n > 0) await networkHelpers.mine(n);
  }

  /** Opens a round: the contract tests' parameters with the manager's no-show fee (ROUND_DEFAULTS), then `overrides`. */
  async open(overrides: Record<string, unknown> = {}, tasks: Tasks = tasksOf(1)): Promise<bigint> {
    const p = await roundParams({ noShowBps: ROUND_DEFAULTS.noShowBps, ...overrides });
    await this.tx(this.pool.connect(this.a.admin).openRound(p, tasks.masks, tasks.values));
    const id = await this.pool.roundCount();
    this.prefixes.set(id, tasks.prefixes);
    return id;
  }

  async params(round: bigint) {
    return this.pool.getRound(round);
  }

  async stake(miner: Signer, amount: bigint) {
    if (amount > 0n) await this.tx(this.pool.connect(miner).stake(amount));
  }

  /** Stakes exactly what `claims` claims of `round` lock. */
  async stakeFor(round: bigint, miner: Signer, claims: number) {
    const p = await this.params(round);
    await this.stake(miner, p.minStake * BigInt(claims));
  }

  /** A genome of `round`'s task `task`: the `index`-th one in its subspace. */
  genome(round: bigint, task: number, index: number): string {
    const prefix = this.prefixes.get(round)![task];
    return genomeIn(prefix, index);
  }

  /** Claims the task as primary (slot 0). */
  async claim(round: bigint, miner: Signer, task: number) {
    await this.tx(this.pool.connect(miner).claim(round, task));
    return 0;
  }

  /** Joins as a backup; returns the slot. */
  async backup(round: bigint, miner: Signer, task: number): Promise<number> {
    const before = (await this.pool.getSubmission(round, task, 0)).backups;
    await this.tx(this.pool.connect(miner).joinAsBackup(round, task));
    return Number(before) + 1;
  }

  /** Commits a submission (salt derived from seed, round, task, slot) and records it. */
  async commit(s: Omit<Sub, "salt" | "revealed">): Promise<Sub> {
    const salt = ethers.solidityPackedKeccak256(["string", "uint256", "uint256", "uint256", "uint256"], [
      "attack-salt",
      this.seed,
      s.round,
      s.task,
      s.slot,
    ]);
    const h = await this.pool.computeCommitment(s.round, s.task, s.miner.address, s.genome, s.claim, salt);
    await this.tx(this.pool.connect(s.miner).commit(s.round, h));
    const sub: Sub = { ...s, salt, revealed: false };
    this.subs.push(sub);
    return sub;
  }

  /** Claims (primary) and commits in one go. */
  async claimAndCommit(round: bigint, miner: Signer, task: number, truth: number, claim: number, genomeIndex = 0) {
    await this.claim(round, miner, task);
    return this.commit({ round, task, slot: 0, miner, genome: this.genome(round, task, genomeIndex), truth, claim });
  }

  /** Stakes for and claims (primary) + commits each entry of `miner`. */
  async enter(round: bigint, miner: Signer, entries: { task: number; truth: number; claim: number; genomeIndex?: number }[]) {
    await this.stakeFor(round, miner, entries.length);
    const out: Sub[] = [];
    for (const e of entries) out.push(await this.claimAndCommit(round, miner, e.task, e.truth, e.claim, e.genomeIndex ?? 0));
    return out;
  }

  /** The submission of `round` at (task, slot), as recorded by commit(). */
  sub(round: bigint, task: number, slot = 0): Sub {
    const s = this.subs.find((x) => x.round === round && x.task === task && x.slot === slot);
    if (!s) throw new Error(`no submission ${round}/${task}/${slot}`);
    return s;
  }

  async reveal(s: Sub): Promise<string | null> {
    const seal = await honestSeal(this.pool, s.miner, s.round, s.task, s.slot, s.sealed ?? this.digestOf(s));
    const err = await this.tryTx(() => this.pool.connect(s.miner).reveal(s.round, s.task, s.slot, s.genome, s.claim, s.salt, seal));
    if (err === null) s.revealed = true;
    return err;
  }

  async revealAll(round: bigint, slot0Only = true) {
    const errors: string[] = [];
    for (const s of this.subs) {
      if (s.round !== round || s.revealed || (slot0Only && s.slot !== 0)) continue;
      const e = await this.reveal(s);
      if (e) errors.push(e);
    }
    return errors;
  }

  async toCommitEnd(round: bigint) {
    await this.timeTo((await this.params(round)).commitEnd + 1n);
  }
  async toBackupReveals(round: bigint) {
    const p = await this.params(round);
    await this.timeTo((p.commitEnd + p.revealEnd) / 2n + 1n);
  }
  async toRevealEnd(round: bigint) {
    await this.timeTo((await this.params(round)).revealEnd + 1n);
  }
  async toVerifyEnd(round: bigint) {
    await this.timeTo((await this.params(round)).verifyEnd + 1n);
  }
  async timeTo(t: bigint) {
    const now = BigInt(await networkHelpers.time.latest());
    if (now < t) await networkHelpers.time.increaseTo(t);
  }

  /** The round's sampling seed, 0x00…0 while it is not fixed. */
  async seedOf(round: bigint): Promise<string> {
    return (await this.pool.getRoundState(round)).seed;
  }

  /**
   * Fixes the round's sampling seed the way a verifier node does, once its reveal window is over:
   * fixSampleSeed until the seed is fixed (the first call requests the randomness source's value,
   * the following ones mine the blocks up to its target and fulfil it). Returns the seed.
   */
  async fixSeed(round: bigint, by: Signer = this.a.outsider): Promise<string> {
    for (let i = 0n; i <= RANDOMNESS_DELAY + 2n; i++) {
      const seed = await this.seedOf(round);
      if (BigInt(seed) !== 0n) return seed;
      await this.tx(this.pool.connect(by).fixSampleSeed(round));
    }
    const seed = await this.seedOf(round);
    if (BigInt(seed) === 0n) throw new Error(`round ${round}: seed still pending after ${RANDOMNESS_DELAY + 3n} fixSampleSeed calls`);
    return seed;
  }

  /** Sends the round's first fixSampleSeed: the request to the randomness source (seed still 0 after it). */
  async requestSeed(round: bigint, by: Signer = this.a.outsider) {
    return this.tx(this.pool.connect(by).fixSampleSeed(round));
  }

  async flags(s: { round: bigint; task: number; slot: number }) {
    return BigInt((await this.pool.getSubmission(s.round, s.task, s.slot)).flags);
  }
  async isVerified(s: { round: bigint; task: number; slot: number }) {
    return ((await this.flags(s)) & VERIFIED) !== 0n;
  }
  async isFraud(s: { round: bigint; task: number; slot: number }) {
    return ((await this.flags(s)) & FRAUD) !== 0n;
  }
  async isChallenged(s: { round: bigint; task: number; slot: number }) {
    return ((await this.flags(s)) & CHALLENGED) !== 0n;
  }
  async isSampled(s: { round: bigint; task: number; slot: number }) {
    return this.lens.isSampled(s.round, s.task, s.slot);
  }

  /**
   * Enrols `signers` as staked committee verifiers (before the round they serve opens: a round's
   * committee is fixed when it opens) and returns the whole committee, the fixture's 3 first.
   */
  async enrolVerifiers(signers: Signer[]): Promise<Signer[]> {
    for (const x of signers) {
      await this.tx(this.committee.connect(this.a.admin).setVerifier(x.address, true));
      await this.tx(this.committee.connect(x).stakeVerifier(MIN_VERIFIER_STAKE));
      if (!this.enrolled.includes(x)) this.enrolled.push(x);
    }
    return this.members();
  }

  /** The committee as this play enrolled it: the fixture's three verifiers, then those enrolVerifiers added. */
  members(): Signer[] {
    return [...this.a.verifiers, ...this.enrolled];
  }

  /**
   * The digest of the weights an honest re-training of `s` under the round's reference backend
   * yields (bit-exact, so every honest re-trainer seals the same one; test/helpers/attest.ts
   * trueDigest). A verifier that did not re-train does not know it.
   */
  digestOf(s: { round: bigint; task: number; slot: number }): string {
    return trueDigest(s.round, s.task, s.slot);
  }

  /**
   * The round's attestation phases: drawn commits until `commitEnd`, their reveals until
   * `revealEnd`; a disputed submission's escalation commits until `escalationCommitEnd` and their
   * reveals until `escalationRevealEnd`; then decide until verifyEnd.
   */
  async attestPhases(round: bigint) {
    const [commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd] = await this.lens.attestPhases(round);
    return { commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd };
  }

  /** Whether the round's randomness drew `v` for `s` (the seed must be fixed). */
  async isDrawn(v: Signer, s: { round: bigint; task: number; slot: number }): Promise<boolean> {
    return this.committee.isDrawn(s.round, s.task, s.slot, v.address);
  }

  /**
   * Commits `v`'s sealed attestation of `s`: `score` (clamped to [0, 10000]) and `digest`, by
   * default the true digest (`v` re-trained on the reference backend); 0x00…0 for a score-only
   * attestation (what a verifier that never re-trained can send), or anything else for a lie.
   * The salt is derived from the play's seed. Open in the drawn-commit phase to drawn verifiers
   * and in the escalation-commit phase of a disputed submission to the others. Returns null on
   * success, the error name on refusal.
   */
  async attest(v: Signer, s: { round: bigint; task: number; slot: number }, score: number, digest: string = this.digestOf(s)): Promise<string | null> {
    const clamped = Math.max(0, Math.min(10_000, score));
    const salt = ethers.solidityPackedKeccak256(
      ["string", "uint256", "uint256", "uint256", "uint256", "address"],
      ["attest-salt", this.seed, s.round, s.task, s.slot, v.address],
    );
    const seal = await this.committee.attestationSeal(s.round, s.task, s.slot, v.address, clamped, digest, salt);
    const err = await this.tryTx(() => this.committee.connect(v).commitAttestation(s.round, s.task, s.slot, seal));
    if (err === null) {
      const escalation = BigInt(await networkHelpers.time.latest()) > (await this.attestPhases(s.round)).commitEnd;
      this.sealed.push({ round: s.round, task: s.task, slot: s.slot, verifier: v, score: clamped, digest, salt, revealed: false, escalation });
    }
    return err;
  }

  /** Whether `v` has committed an attestation of `s` in this play. */
  committed(v: Signer, s: { round: bigint; task: number; slot: number }): boolean {
    return this.sealed.some((a) => a.round === s.round && a.task === s.task && a.slot === s.slot && a.verifier.address === v.address);
  }

  /** The attestations committed on `s`, in commit order. */
  attestationsOf(s: { round: bigint; task: number; slot: number }): SealedAttestation[] {
    return this.sealed.filter((a) => a.round === s.round && a.task === s.task && a.slot === s.slot);
  }

  /**
   * Opens every commit of `round` not yet opened that `open` accepts (default: all; a committer
   * that never reveals is penalised at the judgement): the drawn ones in the drawn-reveal phase,
   * the escalation ones in the escalation-reveal phase (time moves into each as needed). A
   * submission whose drawn reveals agree, or whose escalation committers all revealed, is judged
   * by its last reveal. Returns the errors of refused reveals.
   */
  async revealAttestations(round: bigint, open: (a: SealedAttestation) => boolean = () => true): Promise<string[]> {
    const errors: string[] = [];
    const ph = await this.attestPhases(round);
    for (const escalation of [false, true]) {
      const pending = this.sealed.filter((a) => a.round === round && !a.revealed && a.escalation === escalation && open(a));
      if (pending.length === 0) continue;
      await this.timeTo((escalation ? ph.escalationCommitEnd : ph.commitEnd) + 1n);
      for (const a of pending) {
        const err = await this.tryTx(() => this.committee.connect(a.verifier).revealAttestation(a.round, a.task, a.slot, a.score, a.digest, a.salt));
        if (err === null) a.revealed = true;
        else errors.push(`reveal(${a.round},${a.task},${a.slot}) by ${a.verifier.address}: ${err}`);
      }
    }
    return errors;
  }

  /**
   * The escalation of every disputed submission of `round` (committee.isEscalated): moves into
   * the escalation-commit phase and has each verifier of `order(sub)` that has not attested it
   * seal its truth with the true digest (an honest re-training). Returns the number of commits.
   */
  async escalate(round: bigint, order: (s: Sub) => Signer[] = () => this.members()): Promise<number> {
    const keys = new Map<string, Sub>();
    for (const a of this.sealed) if (a.round === round) keys.set(`${a.task}:${a.slot}`, this.sub(round, a.task, a.slot));
    for (const s of this.revealed(round)) if (await this.isSampled(s)) keys.set(`${s.task}:${s.slot}`, s);
    const ph = await this.attestPhases(round);
    await this.timeTo(ph.revealEnd + 1n);
    if (BigInt(await networkHelpers.time.latest()) >= ph.escalationCommitEnd) return 0;
    let commits = 0;
    for (const s of keys.values()) {
      if (!(await this.committee.isEscalated(round, s.task, s.slot))) continue;
      for (const v of order(s)) {
        if (this.committed(v, s)) continue;
        if ((await this.attest(v, s, s.truth)) === null) commits++;
      }
    }
    return commits;
  }

  /**
   * Decides every submission of `round` with commits that is not judged yet: in the decide phase
   * those that are not escalated, after the escalation the rest. Returns errors.
   */
  async decideAll(round: bigint): Promise<string[]> {
    const keys = new Map<string, { task: number; slot: number }>();
    for (const a of this.sealed) if (a.round === round) keys.set(`${a.task}:${a.slot}`, { task: a.task, slot: a.slot });
    const ph = await this.attestPhases(round);
    const errors: string[] = [];
    for (const after of [ph.revealEnd, ph.escalationRevealEnd]) {
      const open = [];
      for (const k of keys.values()) if (!(await this.committee.isDecided(round, k.task, k.slot))) open.push(k);
      if (open.length === 0) return errors;
      await this.timeTo(after + 1n);
      const last = after === ph.escalationRevealEnd;
      for (const k of open) {
        if (!last && (await this.committee.isEscalated(round, k.task, k.slot))) continue;
        const err = await this.tryTx(() => this.committee.connect(this.a.outsider).decide(round, k.task, k.slot));
        if (err) errors.push(`decide(${round},${k.task},${k.slot}): ${err}`);
      }
    }
    return errors;
  }

  /**
   * The end of a round's verification: every drawn commit `open` accepts is revealed, disputed
   * submissions are escalated to `escalators` (default: every member, re-training honestly;
   * `() => []` for nobody), their commits revealed, then what is left decided. Refusals are
   * recorded in `verifyErrors` (reported with the drain's errors).
   */
  async finishVerification(round: bigint, open?: (a: SealedAttestation) => boolean, escalators?: (s: Sub) => Signer[]): Promise<string[]> {
    const errors = [...(await this.revealAttestations(round, open))];
    if ((await this.escalate(round, escalators)) > 0) errors.push(...(await this.revealAttestations(round, open)));
    errors.push(...(await this.decideAll(round)));
    this.verifyErrors.push(...errors);
    return errors;
  }

  /**
   * Verifies `round`'s sampled submissions with `members` sealing what `seal` says: each member the
   * round drew commits in the drawn phase; all are opened; every member not yet committed joins
   * each disputed submission in its escalation (`onEscalated` hears of each), opened in turn; the
   * rest is decided. Returns the sampled submissions. The echo strategies' committee play.
   */
  async attestWith(round: bigint, members: Signer[], seal: (v: Signer, s: Sub) => { score: number; digest: string }, onEscalated: (s: Sub) => void = () => {}): Promise<Sub[]> {
    const sampled: Sub[] = [];
    for (const s of this.revealed(round)) if (await this.isSampled(s)) sampled.push(s);
    // drawn commits: each member tries; only those the round drew for a submission get in
    for (const s of sampled) {
      for (const v of members) {
        if (!(await this.isDrawn(v, s))) continue;
        const a = seal(v, s);
        await this.attest(v, s, a.score, a.digest);
      }
    }
    await this.revealAttestations(round);
    // escalation: every member not drawn joins each disputed submission
    await this.timeTo((await this.attestPhases(round)).revealEnd + 1n);
    for (const s of sampled) {
      if (!(await this.committee.isEscalated(round, s.task, s.slot))) continue;
      onEscalated(s);
      for (const v of members) {
        if (this.committed(v, s)) continue;
        const a = seal(v, s);
        await this.attest(v, s, a.score, a.digest);
      }
    }
    await this.finishVerification(round, undefined, () => []);
    return sampled;
  }

  /**
   * What the committee's events of this play say `addr` earned and lost as a verifier: fees paid
   * (FeePaid), penalties (Penalised), slash shares (SlashShareCredited), each count and total.
   * Read them inside a play (the next play reverts the chain).
   */
  async verifierRecord(addr: string) {
    const c = this.committee;
    const [paid, penalised, shares] = await Promise.all([
      c.queryFilter(c.filters.FeePaid(), 0),
      c.queryFilter(c.filters.Penalised(), 0),
      c.queryFilter(c.filters.SlashShareCredited(), 0),
    ]);
    const mine = <T extends { args: { verifier: string } }>(xs: T[]) => xs.filter((e) => e.args.verifier === addr);
    const sum = (xs: { args: { amount?: bigint; fee?: bigint } }[]) => xs.reduce((a, e) => a + (e.args.fee ?? e.args.amount ?? 0n), 0n);
    return {
      fees: mine(paid).length,
      feeTokens: mine(paid).reduce((a, e) => a + e.args.fee, 0n),
      penalties: mine(penalised).length,
      penaltyTokens: sum(mine(penalised)),
      slashShares: mine(shares).length,
      slashTokens: sum(mine(shares)),
    };
  }

  /** Revealed submissions of a round, in reveal order. */
  revealed(round: bigint): Sub[] {
    return this.subs.filter((s) => s.round === round && s.revealed);
  }

  /**
   * Honest drawn commits: for every revealed, sampled submission of `round` (not skipped), each
   * verifier of `order(sub)` the round drew for it that has not committed on it yet re-trains it
   * and commits its truth with the true weights digest (the others are refused: NotDrawn; they
   * join an escalation, World.escalate). Returns the number of commits.
   */
  async commitHonestly(round: bigint, order: (s: Sub) => Signer[] = () => this.members(), skip: (s: Sub) => boolean = () => false) {
    let commits = 0;
    await this.fixSeed(round, this.a.verifiers[0]); // a verifier node fixes the seed before it samples
    for (const s of this.revealed(round)) {
      if (skip(s) || !(await this.isSampled(s))) continue;
      for (const v of order(s)) {
        if (this.committed(v, s)) continue;
        if ((await this.attest(v, s, s.truth)) === null) commits++;
      }
    }
    return commits;
  }

  /**
   * Honest verification of `round`: commitHonestly, then every commit of the round is revealed
   * and what is left decided (finishVerification). Must start in the commit phase; ends in the
   * decide phase. Returns the number of honest commits.
   */
  async verifyHonestly(round: bigint, order: (s: Sub) => Signer[] = () => this.members(), skip: (s: Sub) => boolean = () => false) {
    const commits = await this.commitHonestly(round, order, skip);
    await this.finishVerification(round);
    return commits;
  }

  // ---- seed prediction (property 1) ----

  /**
   * What the pool's old seed would be if fixed in the next block n: keccak256(abi.encode(
   * prevrandao, blockhash(n−1), roundId)). blockhash(n−1) is the latest block's hash; the next
   * block's prevrandao is public one block ahead on mainnet (the RANDAO mix after block n−1),
   * constant 1 on Arbitrum, chosen by the sequencer on OP Stack; EDR derives it as keccak256 of
   * the latest block's mixHash. Against the old contract this predicted the seed exactly; the
   * seed-grinding strategy still tries it against the randomness source.
   */
  async predictOldSeed(round: bigint): Promise<string> {
    const b = (await ethers.provider.send("eth_getBlockByNumber", ["latest", false])) as { hash: string; mixHash: string };
    const prevrandao = ethers.keccak256(b.mixHash);
    return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "bytes32", "uint256"], [prevrandao, b.hash, round]));
  }

  /**
   * The seed the pool fixes from a FutureBlockRandomness value whose target block hash is
   * `blockHash`: keccak256(abi.encode(keccak256(abi.encode(blockHash, pool, roundId)), roundId))
   * (contracts/randomness/FutureBlockRandomness.sol fulfill, PoNASPool _fixSeed).
   */
  seedFromBlockHash(round: bigint, blockHash: string): string {
    const coder = ethers.AbiCoder.defaultAbiCoder();
    let value = ethers.keccak256(coder.encode(["bytes32", "address", "uint256"], [blockHash, this.f.poolAddress, round]));
    if (BigInt(value) === 0n) value = ethers.zeroPadValue("0x01", 32);
    return seedOf(value, round);
  }

  // ---- the end of a play ----

  /**
   * Finalises every round, withdraws every submission, sweeps every round (the pool's leftovers
   * and the committee's unspent fee budget), withdraws every tracked verifier's fees and every
   * tracked miner's free stake. Failures are recorded, not thrown.
   */
  async drain(): Promise<string[]> {
    const errors: string[] = [];
    const { outsider } = this.a;
    const n = await this.pool.roundCount();
    let last = 0n;
    for (let r = 1n; r <= n; r++) {
      const p = await this.pool.getRound(r);
      if (p.verifyEnd > last) last = p.verifyEnd;
    }
    await this.timeTo(last + 1n);
    if ((await this.pool.paused()) === true) await this.tx(this.pool.connect(this.a.admin).unpause());
    for (let r = 1n; r <= n; r++) {
      if (!(await this.pool.getRoundState(r)).finalized) {
        // finalize needs the seed (its own request would be rolled back by its revert)
        try {
          await this.fixSeed(r, outsider);
        } catch (e) {
          errors.push(`fixSeed(${r}): ${World.errorName([this.pool.interface, this.committee.interface], e)}`);
        }
        const e = await this.tryTx(() => this.pool.connect(outsider).finalize(r));
        if (e) errors.push(`finalize(${r}): ${e}`);
      }
    }
    for (let r = 1n; r <= n; r++) {
      const taskCount = Number((await this.pool.getRoundState(r)).taskCount);
      for (let t = 0; t < taskCount; t++) {
        const primary = await this.pool.getSubmission(r, t, 0);
        for (let slot = 0; slot <= Number(primary.backups); slot++) {
          const sub = slot === 0 ? primary : await this.pool.getSubmission(r, t, slot);
          const st = Number(sub.status);
          if (st === 1 || st === 2) {
            const e = await this.tryTx(() => this.pool.connect(outsider).withdraw(r, t, slot));
            if (e) errors.push(`withdraw(${r},${t},${slot}): ${e}`);
          }
        }
      }
      if ((await this.lens.sweepable(r)) > 0n) {
        const e = await this.tryTx(() => this.pool.connect(outsider).sweep(r));
        if (e) errors.push(`sweep(${r}): ${e}`);
      }
      const fees = await this.committee.roundFees(r);
      if (!fees.swept && fees.budget - fees.spent + fees.penalties > 0n) {
        const e = await this.tryTx(() => this.committee.connect(outsider).sweepFees(r));
        if (e) errors.push(`sweepFees(${r}): ${e}`);
      }
    }
    for (const addr of this.addresses()) {
      const s = this.signerOf.get(addr)!;
      const v = await this.committee.verifierAccount(addr);
      if (v.fees > 0n) {
        const e = await this.tryTx(() => this.committee.connect(s).withdrawFees());
        if (e) errors.push(`withdrawFees(${addr}): ${e}`);
      }
      const m = await this.pool.minerAccount(addr);
      const free = m.balance - m.locked;
      if (free > 0n) {
        const e = await this.tryTx(() => this.pool.connect(s).unstake(free));
        if (e) errors.push(`unstake(${addr}): ${e}`);
      }
    }
    return errors;
  }
}

// ---------------------------------------------------------------------------------------------
// Playing a scenario
// ---------------------------------------------------------------------------------------------

/**
 * Plays `body` once on a clean copy of `fixture` (loadFixture reverts to its snapshot), then
 * drains the pool and measures. `body` returns the attacker's addresses (all it controls).
 */
export async function play(
  fixture: () => Promise<Fixture>,
  mode: Mode,
  seed: number,
  premine: number,
  body: (w: World) => Promise<string[]>,
): Promise<{ record: PlayRecord; world: World }> {
  const f = await networkHelpers.loadFixture(fixture);
  const w = new World(f, mode, seed);
  const addrs = w.addresses();
  const before = await w.snapshot(addrs);
  await w.mine(premine);
  const attackers = await body(w);
  const drainErrors = [...(await w.drain()), ...w.verifyErrors.map((e) => `verification: ${e}`)];
  const after = await w.snapshot(addrs);

  const nets = new Map<string, bigint>();
  let sumNets = 0n;
  const owned = { before: { pool: 0n, committee: 0n }, after: { pool: 0n, committee: 0n } };
  for (const a of addrs) {
    const wealthBefore = before.wallet.get(a)! + before.inPool.get(a)! + before.inCommittee.get(a)!;
    const wealthAfter = after.wallet.get(a)! + after.inPool.get(a)! + after.inCommittee.get(a)!;
    const n = wealthAfter - wealthBefore;
    nets.set(a, n);
    sumNets += n;
    owned.before.pool += before.inPool.get(a)!;
    owned.before.committee += before.inCommittee.get(a)!;
    owned.after.pool += after.inPool.get(a)!;
    owned.after.committee += after.inCommittee.get(a)!;
  }
  // What each contract holds beyond the accounts of tracked actors (round funds not yet paid,
  // swept or spent, or tokens nobody owns).
  const unownedBefore = { pool: before.pool - owned.before.pool, committee: before.committee - owned.before.committee };
  const unownedAfter = { pool: after.pool - owned.after.pool, committee: after.committee - owned.after.committee };
  const imbalance =
    sumNets + (unownedAfter.pool - unownedBefore.pool) + (unownedAfter.committee - unownedBefore.committee);
  const [held, owed] = await Promise.all([holdings(w.f), liabilities(w.f, addrs)]);
  const surplus = { pool: held.pool - owed.pool, committee: held.committee - owed.committee };
  if (held.pool !== after.pool || held.committee !== after.committee) throw new Error("balances moved while measuring");
  let net = 0n;
  for (const a of new Set(attackers)) {
    if (!nets.has(a)) throw new Error(`attacker ${a} is not a tracked actor`);
    net += nets.get(a)!;
  }
  return {
    record: {
      mode,
      net,
      nets,
      imbalance,
      leftInPool: unownedAfter.pool,
      leftInCommittee: unownedAfter.committee,
      surplus,
      solvent: surplus.pool >= 0n && surplus.committee >= 0n,
      drainErrors,
    },
    world: w,
  };
}

/** Whole tokens, for notes. */
export function tokens(wei: bigint, digits = 2): string {
  const neg = wei < 0n;
  const x = neg ? -wei : wei;
  const s = (Number(x / 10n ** 12n) / 1e6).toFixed(digits);
  return (neg ? "-" : "") + s;
}

/** Σ nets of `addrs` in a play. */
export function netOf(r: PlayRecord, addrs: string[]): bigint {
  let n = 0n;
  for (const a of new Set(addrs)) n += r.nets.get(a) ?? 0n;
  return n;
}

/** The usual result of a strategy: attacker's net in both plays and both records. */
export function result(attack: PlayRecord, honest: PlayRecord, notes: string[]): StrategyResult {
  const issues = [...attack.drainErrors.map((e) => `attack drain: ${e}`), ...honest.drainErrors.map((e) => `honest drain: ${e}`)];
  return {
    attackerNet: attack.net,
    honestNet: honest.net,
    notes: [...notes, ...issues].join("; "),
    plays: [attack, honest],
  };
}

export { TOKEN };

/** The seeded draw (contracts/libraries/Sampling.sol drawn): keccak256(abi.encode(seed, roundId, task, slot)) % 10000 < sampleBps. */
export function drawn(seed: string, round: bigint, task: number, slot: number, sampleBps: bigint | number): boolean {
  const h = ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256", "uint256", "uint256"], [seed, round, task, slot]),
  );
  return BigInt(h) % 10_000n < BigInt(sampleBps);
}

/** Whether (task, slot) is in the round's always-verified top-K. */
export async function inTopK(w: World, round: bigint, task: number, slot: number): Promise<boolean> {
  const [tasks, slots] = await w.lens.getTopK(round);
  return tasks.some((t, i) => Number(t) === task && Number(slots[i]) === slot);
}
