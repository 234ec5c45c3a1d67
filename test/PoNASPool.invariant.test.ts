// Randomised whole-pool test: seeded rounds with random miners, claims (primary and backup),
// commits, honest, slightly high and inflated claims, duplicates (across overlapping tasks),
// no-shows, backups taking over, reveals outside a slot's part of the window, challenges, sealed
// attestations (VerifierCommittee, in the phases of libraries/Windows.sol: the members the round's
// seed draws for a submission commit in the drawn-commit phase — a reference re-training's truth
// and true weights digest, a cross-backend score with digest 0, one at the tolerance's edge, a
// lying score or a lying digest —, now and then one it did not draw tries (NotDrawn); random
// reveals in the drawn-reveal phase, some committers never revealing, a few wrong openings; a
// disputed submission takes escalation commits of the same kinds from members it did not draw (a
// drawn one is refused WasDrawn, an undisputed or decided submission NotDisputed or
// AlreadyDecided), opened in the escalation-reveal phase; random decide() calls from the end of the
// drawn reveals, refused Escalated while the model says an escalation is open), penalty changes,
// time jumps, pauses, finalisation, withdrawals/settlements, sweeps, stakes and unstakes (miners on
// the pool, verifiers on its VerifierCommittee). After every successful transaction the
// conservation invariant must hold for each contract on its own:
//   token.balanceOf(pool)      == Σ miner balances + Σ_rounds (rewardTotal + forfeited − paid − swept)
//   token.balanceOf(committee) == Σ verifier stakes + Σ verifier fees
//                                 + Σ_rounds unswept (feeBudget − fees spent + penalties)
// where forfeited is the round's slashed stake (less the verifiers' share) and no-show fees, the
// treasury's, never the pot's, and penalties what the round's attestations lost (the treasury's
// too): every round pays at most its pot (rewardTotal), spends at most its fee budget and, once
// settled and swept (sweep and sweepFees), holds nothing in either contract. Every judgement (at a
// submission's last reveal, or by decide) is checked against a TypeScript model of the rule
// (helpers/attest.ts judge): the verdict is the median of the revealed scores when at least quorum
// were revealed (else Undecided); fees go, in commit order while the budget lasts, to the winners
// whose digest is the agreed one (nobody when none is agreed); the penalty, from fees first and
// then stake, to every committer that never revealed and, with a verdict, to every revealed
// attestation off the median or contradicting the agreed digest; the slash's verifier share to the
// winners. The committee's draw, disputes and phases follow a model of their own (commitVerdict,
// decideVerdict, isDisputed): the roster (every member ever enrolled, in enrolment order) as it was
// when the round opened, `quorum` consecutive seats from one the seed picks; a submission is
// disputed when its drawn reveals are fewer than quorum, agree on no weights digest, carry another
// non-zero one, or stray from their median by more than the tolerance; a reveal judges when no
// other seal of its phase is still closed (a drawn one only if its reveals are undisputed or nobody
// undrawn could escalate); every commit, reveal and decide must succeed or be refused exactly as
// the model says, and the lens's phases and isEscalated, isDrawn and getAttestations must agree
// with it. Every settlement's P, reward and no-show fee follow the documented rules
// (RewardMath.paidScore, the noShowBps fee of a claim that holds nothing in ΣP — never revealed,
// revealed with P = 0, voided — as its task's primary or a backup of a task nothing counts for). At
// the end the committee's events account for every fee, penalty and slash share, and each round's
// forfeited = Σ Slashed.toTreasury + Σ NoShowFined. Round parameters are drawn from what openRound
// accepts (odd quorum 3..9 with 9 verifiers enrolled, slashBps < 10000, noShowBps 0..10000, a
// minSafeStake-safe minStake), and pauses fall in the commit, reveal and verify windows: unpause
// must lengthen the miner window each pause cut into by its length, moving the later ends with it
// (WindowsExtended: twice the length in the primaries' half, whose end is a midpoint), leave rounds
// already verifying alone, and while a round is held by a pause (its reveal window not over when it
// began) a fixSampleSeed requests nothing and finalize refuses (EnforcedPause). The miners' reveal
// window also follows a model of which submission counts for each task: a reveal counts only with P
// > 0 (a claim at or below the baseline delivers nothing), a backup is accepted only while nothing
// counts for its task, only a counting submission or one with P = 0 is voided, and the top-K holds
// only counting claims. The sampling seed follows the pool's randomness source: fixSampleSeed calls
// come at random times after revealEnd (the first requests the value, a later one, once the target
// block is mined, fixes the seed), each checked against a model of the request; once fixed a seed
// never changes; while it is 0 no submission is randomly drawn (a commit succeeds only on a
// challenged or top-K one); and a finalize succeeds only with the seed fixed (while it is pending
// it must revert PoNASPoolSeedNotFixed, an allowed refusal).
import { expect } from "chai";
import type { ContractTransactionReceipt, ContractTransactionResponse, LogDescription } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  BPS,
  MIN_VERIFIER_STAKE,
  RANDOMNESS_DELAY,
  TOKEN,
  deployPool,
  ethers,
  genes,
  GENE_ARITIES,
  genomeIn,
  holdings,
  honestSeal,
  liabilities,
  networkHelpers,
  roundParams,
  type Deployed,
} from "./helpers/pool.js";
import { Rng } from "./helpers/rng.js";
import { agreedDigestOf, judge, medianOf, trueDigest } from "./helpers/attest.js";
import { minSafeStake, paidScore, performance, seedOf } from "./helpers/rules.js";

const { loadFixture, time } = networkHelpers;

const CHALLENGED = 1n;
const VERIFIED = 2n;
const FRAUD = 4n;
const DUPLICATE = 8n;

/** Verifiers the fixture enrols (3) plus the extra signers each episode enrols: enough for quorum 9. */
const VERIFIERS = 9;
const QUORUMS = [3, 3, 3, 5, 5, 7, 9];

interface Sub {
  miner: HardhatEthersSigner;
  task: number;
  slot: number;
  truth: number;
  claim: number;
  /** The weights digest its reveal seals: mostly the true one; else a made-up one (no training), sometimes a liar's. */
  sealed: string;
  genome: string;
  salt: string;
  committed: boolean;
  revealed: boolean;
  settled: boolean;
}

interface RoundModel {
  id: bigint;
  prefixes: number[][]; // task index → fixed leading genes
  subs: Sub[];
  rewardTotal: bigint;
  minStake: bigint;
  sampleBps: number;
  noShowBps: number;
  quorum: number;
  tolerance: number;
  baseline: number;
  commitEnd: bigint;
  revealEnd: bigint;
  verifyEnd: bigint;
  finalized: boolean;
  pot: bigint; // from RoundFinalized
  sumP: bigint;
  seed: string | null; // the sampling seed, once seen fixed
  slashBps: number;
  verifierFee: bigint;
  /** Roster seats the round draws its verifiers from (committeeSize: everyone enrolled when it opened). */
  size: number;
  /** Sealed attestations by submission ("task:slot"), in commit order, drawn and escalation alike. */
  atts: Map<string, Att[]>;
  /** Submissions ("task:slot") judged so far, at a reveal or by decide. */
  decided: Set<string>;
}

/** One sealed attestation as its verifier committed it, in which phase (drawn, or escalation), and whether it was opened. */
interface Att {
  verifier: HardhatEthersSigner;
  score: number;
  digest: string;
  salt: string;
  revealed: boolean;
  escalation: boolean;
}

/** Expected pool errors: `PoNASPool<name>` (EnforcedPause as is). */
const E = (...names: string[]) => names.map((n) => (n.startsWith("PoNASPool") || n === "EnforcedPause" ? n : `PoNASPool${n}`));
/** Expected committee errors: `VerifierCommittee<name>`. */
const C = (...names: string[]) => names.map((n) => `VerifierCommittee${n}`);

class Harness {
  failures: string[] = [];
  ok = 0;
  /** The custom error of the last transaction sent with tx(), or null if it succeeded. */
  lastError: string | null = null;
  expectedReverts = new Map<string, number>();
  checks = 0;
  settleCredited = 0;
  slashShares = 0;
  paused = false;
  /** When the current pause began (its block's timestamp). */
  pausedAt = 0n;
  noShowFines = 0;
  /** Judgements (FeePaid and Penalised events, Undecided ones) and how they were reached. */
  feesPaid = 0;
  penalised = 0;
  undecided = 0;
  /** Verdicts of fraud by a weights seal the agreed digest did not open. */
  forged = 0;
  judgedAtReveal = 0;
  judgedAtEscalation = 0;
  judgedByDecide = 0;
  /** Submissions escalated (their first escalation commit), escalation commits, and decide() calls refused while an escalation was open. */
  escalations = 0;
  escalationCommits = 0;
  escalatedRefusals = 0;
  /** Drawn commits accepted while the round's seed was still 0 (on challenged or top-K submissions). */
  drawnBeforeSeed = 0;
  penaltySet = 0;
  windowsExtended = 0;
  /** Settlements of a counting claim verified below its claim (paid below the median). */
  paidBelowMedian = 0;
  /** fixSampleSeed calls while paused on a round not yet requested. */
  pausedFixSeed = 0;
  /** Every verifier: the fixture's three and the extra ones enrolled for quorums up to 9. */
  verifiers: HardhatEthersSigner[];
  /** The committee's roster: every address ever enrolled, in enrolment order (seat = index + 1), so far the fixture's three. */
  roster: string[];
  accounts: string[];
  /** Every round opened, for the seed checks. */
  rounds: RoundModel[] = [];
  /** Seeds fixed, by the kind of transaction that fixed them. */
  seedFixedBy = new Map<string, number>();
  constructor(
    readonly d: Deployed,
    readonly rng: Rng,
    extraVerifiers: HardhatEthersSigner[],
  ) {
    this.verifiers = [...d.actors.verifiers, ...extraVerifiers];
    this.roster = d.actors.verifiers.map((v) => v.address);
    this.accounts = [...d.actors.miners, ...this.verifiers, d.actors.outsider].map((s) => s.address);
  }

  errorName(e: unknown): string {
    const err = e as { data?: string; message?: string; error?: { data?: string } };
    for (const data of [err.data, err.error?.data]) {
      if (typeof data === "string" && data.length >= 10) {
        for (const iface of [this.d.pool.interface, this.d.committee.interface]) {
          try {
            const parsed = iface.parseError(data);
            if (parsed) return parsed.name;
          } catch {
            /* not this contract's error */
          }
        }
      }
    }
    const m = /custom error '(\w+)\(/.exec(err.message ?? "");
    return m ? m[1] : `UNKNOWN(${(err.message ?? String(e)).slice(0, 200)})`;
  }

  /** Sends a transaction; on success checks the invariant; a revert must be one of `expected`. */
  async tx(label: string, send: () => Promise<ContractTransactionResponse>, expected: string[]) {
    let rc: ContractTransactionReceipt | null;
    try {
      rc = await (await send()).wait();
    } catch (e) {
      const name = this.errorName(e);
      this.lastError = name;
      if (expected.includes(name)) {
        this.expectedReverts.set(name, (this.expectedReverts.get(name) ?? 0) + 1);
      } else {
        this.failures.push(`${label}: unexpected revert ${name}`);
      }
      return null;
    }
    this.lastError = null;
    this.ok++;
    await this.checkConservation(label);
    await this.checkSeeds(label, rc);
    return rc;
  }

  /**
   * Once fixed, a round's seed never changes; it is fixed only after the round's reveal window,
   * and a fixing transaction emits SampleSeedFixed with it.
   */
  async checkSeeds(label: string, rc: ContractTransactionReceipt | null) {
    const states = await Promise.all(this.rounds.map((r) => this.d.pool.getRoundState(r.id)));
    const fixedNow = rc ? this.logs(rc, "SampleSeedFixed") : [];
    for (let i = 0; i < this.rounds.length; i++) {
      const r = this.rounds[i];
      const seed = states[i].seed;
      if (r.seed !== null) {
        if (seed !== r.seed) this.failures.push(`${label}: round ${r.id}'s seed changed from ${r.seed} to ${seed}`);
        if (fixedNow.some((e) => e.args.roundId === r.id)) this.failures.push(`${label}: round ${r.id}'s seed fixed twice`);
      } else if (BigInt(seed) !== 0n) {
        r.seed = seed;
        const ev = fixedNow.filter((e) => e.args.roundId === r.id);
        if (ev.length !== 1 || ev[0].args.seed !== seed) this.failures.push(`${label}: round ${r.id}'s seed fixed without its SampleSeedFixed`);
        const block = rc ? await ethers.provider.getBlock(rc.blockNumber) : null;
        if (!block || BigInt(block.timestamp) <= r.revealEnd) this.failures.push(`${label}: round ${r.id}'s seed fixed before revealEnd`);
        const kind = label.split(" ")[0];
        this.seedFixedBy.set(kind, (this.seedFixedBy.get(kind) ?? 0) + 1);
      }
    }
  }

  async checkConservation(label: string) {
    this.checks++;
    const [bal, owed] = await Promise.all([holdings(this.d), liabilities(this.d, this.accounts)]);
    if (bal.pool !== owed.pool) this.failures.push(`${label}: pool holds ${bal.pool} but owes ${owed.pool}`);
    if (bal.committee !== owed.committee) this.failures.push(`${label}: committee holds ${bal.committee} but owes ${owed.committee}`);
  }

  async checkRound(label: string, r: bigint, mustBeEmpty: boolean) {
    const p = await this.d.pool.getRound(r);
    const s = await this.d.pool.getRoundState(r);
    const f = await this.d.committee.roundFees(r);
    if (s.paid > p.rewardTotal) this.failures.push(`${label}: round ${r} paid ${s.paid} > its pot ${p.rewardTotal}`);
    const held = p.rewardTotal + s.forfeited - s.paid - s.swept;
    if (held < 0n) this.failures.push(`${label}: round ${r} holds ${held}`);
    if (f.budget !== p.feeBudget) this.failures.push(`${label}: round ${r} fee budget ${f.budget} != feeBudget ${p.feeBudget}`);
    if (f.spent > f.budget) this.failures.push(`${label}: round ${r} spent ${f.spent} fees of a ${f.budget} budget`);
    const fees = f.swept ? 0n : f.budget - f.spent + f.penalties;
    if (mustBeEmpty && held !== 0n) this.failures.push(`${label}: round ${r} still holds ${held} after settlement and sweep`);
    if (mustBeEmpty && fees !== 0n) this.failures.push(`${label}: round ${r} fee budget and penalties still hold ${fees} after sweepFees`);
  }

  /** The receipt's events `name` emitted by the pool. */
  logs(rc: ContractTransactionReceipt, name: string): LogDescription[] {
    const out: LogDescription[] = [];
    for (const l of rc.logs) {
      if (l.address.toLowerCase() !== this.d.poolAddress.toLowerCase()) continue;
      const e = this.d.pool.interface.parseLog(l);
      if (e && e.name === name) out.push(e);
    }
    return out;
  }

  /** The receipt's events `name` emitted by the committee. */
  clogs(rc: ContractTransactionReceipt, name: string): LogDescription[] {
    const out: LogDescription[] = [];
    for (const l of rc.logs) {
      if (l.address.toLowerCase() !== this.d.committeeAddress.toLowerCase()) continue;
      const e = this.d.committee.interface.parseLog(l);
      if (e && e.name === name) out.push(e);
    }
    return out;
  }
}

function freeCount(prefix: number[]) {
  return GENE_ARITIES.slice(prefix.length).reduce((a, b) => a * b, 1);
}

async function jumpTo(t: bigint) {
  const now = BigInt(await time.latest());
  if (t > now) await time.increaseTo(t);
}

/** The seed the pool fixes from FutureBlockRandomness's value for a target block hashing to `h`. */
function seedFromTarget(d: Deployed, r: RoundModel, h: string): string {
  const coder = ethers.AbiCoder.defaultAbiCoder();
  let value = ethers.keccak256(coder.encode(["bytes32", "address", "uint256"], [h, d.poolAddress, r.id]));
  if (BigInt(value) === 0n) value = ethers.zeroPadValue("0x01", 32);
  return seedOf(value, r.id);
}

/** Where the round's request stands before a transaction: fixed, not requested, or pending on `target`. */
async function seedStatus(d: Deployed, r: RoundModel) {
  const [state, requested, target, latest] = await Promise.all([
    d.pool.getRoundState(r.id),
    d.randomness.requested(d.poolAddress, r.id),
    d.randomness.targetOf(d.poolAddress, r.id),
    time.latestBlock(),
  ]);
  const next = BigInt(latest) + 1n; // the block the next transaction lands in (automine)
  const fixed = BigInt(state.seed) !== 0n;
  // a call in block `next` fixes the seed when the target is mined and within blockhash's 256 blocks
  const fulfils = !fixed && requested && next > target && next - target <= 256n;
  return { fixed, requested, target, next, fulfils };
}

/**
 * One fixSampleSeed by anyone, after revealEnd, checked against the request model: the first call
 * requests the value for block `its block + RANDOMNESS_DELAY` and leaves the seed 0; a call before
 * the target is mined changes nothing; one after it fixes the seed from the target's hash; one
 * after the target aged out of blockhash re-targets.
 */
async function fixSeedAction(h: Harness, r: RoundModel, label = "fixSampleSeed") {
  const { d, rng } = h;
  const before = await seedStatus(d, r);
  const caller = rng.pick([d.actors.outsider, ...d.actors.verifiers, ...d.actors.miners]);
  const rc = await h.tx(label, () => d.pool.connect(caller).fixSampleSeed(r.id), []);
  if (!rc) return;
  const where = `${label} ${r.id} in block ${rc.blockNumber}`;
  if (BigInt(rc.blockNumber) !== before.next) h.failures.push(`${where}: expected block ${before.next}`);
  const seed = (await d.pool.getRoundState(r.id)).seed;
  const target = await d.randomness.targetOf(d.poolAddress, r.id);
  if (before.fixed) return; // checkSeeds: unchanged
  if (!before.requested && h.paused && r.revealEnd >= h.pausedAt) {
    // a pause holds back the request of a round it will move (its reveal window had not ended)
    h.pausedFixSeed++;
    if (await d.randomness.requested(d.poolAddress, r.id)) h.failures.push(`${where}: requested while paused`);
    if (BigInt(seed) !== 0n) h.failures.push(`${where}: seed fixed while paused without a request`);
  } else if (!before.requested) {
    if (target !== before.next + RANDOMNESS_DELAY) h.failures.push(`${where}: requested for block ${target}, not ${before.next + RANDOMNESS_DELAY}`);
    if (BigInt(seed) !== 0n) h.failures.push(`${where}: the request fixed the seed at once`);
  } else if (before.fulfils) {
    const block = await ethers.provider.getBlock(Number(before.target));
    const want = seedFromTarget(d, r, block!.hash!);
    if (seed !== want) h.failures.push(`${where}: seed ${seed}, from the target block ${before.target}'s hash ${want}`);
  } else if (BigInt(seed) !== 0n) {
    h.failures.push(`${where}: seed fixed before its target block ${before.target} was usable`);
  } else if (before.next > before.target && target !== before.next + RANDOMNESS_DELAY) {
    h.failures.push(`${where}: an aged-out target ${before.target} was not re-targeted`);
  }
}

/** Finalize at a random moment: succeeds only if the seed is fixed (or fixed by this call); else PoNASPoolSeedNotFixed. */
async function tryFinalize(h: Harness, r: RoundModel) {
  const { d, rng } = h;
  const { outsider, admin, miners } = d.actors;
  const st = await seedStatus(d, r);
  const held = h.paused && r.revealEnd >= h.pausedAt;
  const canFix = (st.fixed || st.fulfils) && !held;
  const rc = await h.tx("finalize", () => d.pool.connect(rng.pick([outsider, admin, miners[0]])).finalize(r.id), held ? E("EnforcedPause") : canFix ? [] : E("SeedNotFixed"));
  if (!rc) {
    // finalize's own request is rolled back with its revert
    if (!st.requested && (await d.randomness.requested(d.poolAddress, r.id))) h.failures.push(`finalize ${r.id}: a reverted finalize left a request`);
    return null;
  }
  if (!canFix) h.failures.push(`finalize ${r.id}: succeeded while the seed could not be fixed`);
  if (BigInt((await d.pool.getRoundState(r.id)).seed) === 0n) h.failures.push(`finalize ${r.id}: finalised with seed 0`);
  return rc;
}

async function blockTime(rc: ContractTransactionReceipt) {
  return BigInt((await ethers.provider.getBlock(rc.blockNumber))!.timestamp);
}

async function pauseAction(h: Harness, label = "pause") {
  const rc = await h.tx(label, () => h.d.pool.connect(h.d.actors.admin).pause(), []);
  if (!rc) return;
  h.paused = true;
  h.pausedAt = await blockTime(rc);
}

/**
 * Lifts the pause and checks the time given back: every round not finalised whose reveal window
 * had not ended when the pause began moves revealEnd and verifyEnd later by the pause's length
 * (twice it when the pause began in the primaries' half, after commitEnd and at or before the
 * split), and commitEnd by the length if it had not passed, with one WindowsExtended(roundId,
 * shift); every other round keeps its windows.
 */
async function unpauseAction(h: Harness, label = "unpause") {
  const rc = await h.tx(label, () => h.d.pool.connect(h.d.actors.admin).unpause(), []);
  if (!rc) return;
  h.paused = false;
  const from = h.pausedAt;
  const by = (await blockTime(rc)) - from;
  const events = h.logs(rc, "WindowsExtended");
  h.windowsExtended += events.length;
  for (const r of h.rounds) {
    const open = !r.finalized && r.revealEnd >= from;
    const primariesHalf = r.commitEnd < from && from <= (r.commitEnd + r.revealEnd) / 2n;
    const shift = primariesHalf ? 2n * by : by;
    const ev = events.filter((e) => e.args.roundId === r.id);
    if (ev.length !== (open ? 1 : 0) || (open && ev[0].args.by !== shift)) {
      h.failures.push(`${label}: round ${r.id} (open ${open}) WindowsExtended ${ev.map((e) => e.args.by).join(",")}, pause ${by} s`);
    }
    const want = open
      ? [r.commitEnd >= from ? r.commitEnd + by : r.commitEnd, r.revealEnd + shift, r.verifyEnd + shift]
      : [r.commitEnd, r.revealEnd, r.verifyEnd];
    const p = await h.d.pool.getRound(r.id);
    const got = [p.commitEnd, p.revealEnd, p.verifyEnd];
    if (got.some((x, i) => x !== want[i])) h.failures.push(`${label}: round ${r.id} windows ${got.join("/")}, expected ${want.join("/")}`);
    [r.commitEnd, r.revealEnd, r.verifyEnd] = got;
  }
}

// ---------------------------------------------------------------------------------------------

async function miscActions(h: Harness, pending: RoundModel[]) {
  const { d, rng } = h;
  const { miners, admin, outsider } = d.actors;
  const verifiers = h.verifiers;
  // miner stake / unstake
  for (let i = 0; i < 2; i++) {
    const m = rng.pick(miners);
    if (rng.chance(0.5)) {
      const amt = rng.chance(0.1) ? 0n : rng.big(1n, 800n * TOKEN);
      if ((await d.token.balanceOf(m.address)) >= amt)
        await h.tx("stake", () => d.pool.connect(m).stake(amt), E("ZeroAmount"));
    } else {
      const a = await d.pool.minerAccount(m.address);
      const free = a.balance - a.locked;
      const amt = rng.chance(0.3) ? free + rng.big(1n, 100n * TOKEN) : free === 0n ? 0n : rng.big(1n, free);
      await h.tx("unstake", () => d.pool.connect(m).unstake(amt), E("ZeroAmount", "InsufficientFreeStake"));
    }
  }
  // verifier fees / stake (the committee)
  const { committee } = d;
  if (rng.chance(0.3)) {
    const v = rng.pick([...verifiers, outsider]);
    await h.tx("withdrawFees", () => committee.connect(v).withdrawFees(), C("NothingToWithdraw"));
  }
  if (rng.chance(0.2)) {
    const v = rng.pick([...verifiers, outsider]);
    const amt = rng.big(1n, 60n * TOKEN);
    await h.tx("unstakeVerifier", () => committee.connect(v).unstakeVerifier(amt), C("StakeTooLow"));
  }
  if (rng.chance(0.3)) {
    const v = rng.pick([...verifiers, outsider]);
    await h.tx("stakeVerifier", () => committee.connect(v).stakeVerifier(rng.big(1n, 80n * TOKEN)), []);
  }
  if (rng.chance(0.1)) {
    const active = (await committee.verifierAccount(outsider.address)).active;
    const rc = await h.tx("setVerifier", () => committee.connect(admin).setVerifier(outsider.address, !active), []);
    // a first enrolment takes the next seat; removal and re-enrolment keep it
    if (rc && !active && !h.roster.includes(outsider.address)) h.roster.push(outsider.address);
  }
  // verifier nodes top their stake back up to the minimum after penalties
  for (const v of verifiers) {
    if (!rng.chance(0.5)) continue;
    const st = (await committee.verifierAccount(v.address)).stake;
    if (st < MIN_VERIFIER_STAKE && (await d.token.balanceOf(v.address)) >= MIN_VERIFIER_STAKE - st) {
      await h.tx("restakeVerifier", () => committee.connect(v).stakeVerifier(MIN_VERIFIER_STAKE - st), []);
    }
  }
  // the admin sets the penalty: at most minVerifierStake (PenaltyTooLarge above), sometimes 0
  if (rng.chance(0.08)) {
    const amt = rng.chance(0.2) ? MIN_VERIFIER_STAKE + rng.big(1n, TOKEN) : rng.chance(0.15) ? 0n : rng.big(1n, MIN_VERIFIER_STAKE);
    const rc = await h.tx("setPenalty", () => committee.connect(admin).setPenalty(amt), C("PenaltyTooLarge"));
    if (rc) {
      h.penaltySet++;
      if ((await committee.penalty()) !== amt) h.failures.push(`setPenalty ${amt}: penalty is ${await committee.penalty()}`);
    } else if (amt <= MIN_VERIFIER_STAKE) {
      h.failures.push(`setPenalty ${amt}: refused at or below minVerifierStake`);
    }
  }
  // late settlements of earlier rounds
  for (const r of pending) {
    for (const s of r.subs) if (!s.settled && rng.chance(0.3)) await settleSub(h, r, s);
    if (rng.chance(0.3)) await sweepRound(h, r);
    if (rng.chance(0.3)) await sweepFees(h, r);
  }
}

async function settleSub(h: Harness, r: RoundModel, s: Sub) {
  const { d, rng } = h;
  const useSettle = rng.chance(0.4);
  const caller = rng.pick([s.miner, d.actors.outsider]);
  // what the documented rules make of this submission, from its state before settlement
  const [sub, primary, acctBefore] = await Promise.all([
    d.pool.getSubmission(r.id, s.task, s.slot),
    d.pool.getSubmission(r.id, s.task, 0),
    d.pool.minerAccount(s.miner.address),
  ]);
  const flags = BigInt(sub.flags);
  const verified = (flags & VERIFIED) !== 0n;
  const counts = s.revealed && (flags & (FRAUD | DUPLICATE)) === 0n && primary.active === BigInt(s.slot + 1);
  const wantP = counts
    ? performance(paidScore(BigInt(sub.claimedBps), verified ? BigInt(sub.finalBps) : null, BigInt(r.sampleBps)), BigInt(r.baseline))
    : 0n;
  const wantUnverified = counts && !verified && (await d.lens.isSampled(r.id, s.task, s.slot));
  // a claim that holds nothing in ΣP (never revealed, revealed with P = 0, voided as a duplicate),
  // as its task's primary or as a backup of a task nothing counts for, pays the no-show fee; a
  // slashed claim pays its slash instead
  const noShow = wantP === 0n && (flags & FRAUD) === 0n && (s.slot === 0 || primary.active === 0n);
  const wantFine = noShow ? (r.minStake * BigInt(r.noShowBps)) / BPS : 0n;
  const wantReleased = (flags & FRAUD) !== 0n ? 0n : r.minStake;
  const rc = await h.tx(
    useSettle ? "settle" : "withdraw",
    () => (useSettle ? d.pool.connect(caller).settle(r.id, s.task, s.slot) : d.pool.connect(caller).withdraw(r.id, s.task, s.slot)),
    [],
  );
  if (!rc) return;
  s.settled = true;
  const where = `withdraw ${r.id}:${s.task}:${s.slot}`;
  const w = h.logs(rc, "Withdrawn")[0].args;
  if (useSettle && w.reward > 0n) h.settleCredited++;
  if (counts && verified && sub.claimedBps > sub.finalBps) h.paidBelowMedian++;
  if (w.p !== wantP) h.failures.push(`${where}: P ${w.p} != ${wantP} (paidScore of claim ${sub.claimedBps}, verified ${verified} at ${sub.finalBps})`);
  if (w.unverified !== wantUnverified) h.failures.push(`${where}: unverified ${w.unverified} != ${wantUnverified}`);
  if (w.stakeReleased !== wantReleased) h.failures.push(`${where}: released ${w.stakeReleased} != ${wantReleased}`);
  const want = wantUnverified ? 0n : r.sumP === 0n ? 0n : (wantP * r.rewardTotal) / r.sumP;
  if (w.reward !== want) h.failures.push(`${where}: reward ${w.reward} != ${want}`);
  const fines = h.logs(rc, "NoShowFined");
  const fined = fines.reduce((a, e) => a + (e.args.amount as bigint), 0n);
  if (fined !== wantFine || fines.length !== (wantFine > 0n ? 1 : 0)) h.failures.push(`${where}: no-show fee ${fined} (${fines.length} events) != ${wantFine}`);
  if (fines.length > 0) h.noShowFines++;
  const acct = await d.pool.minerAccount(s.miner.address);
  const wantBalance = acctBefore.balance - wantFine + (useSettle ? want : 0n);
  if (acct.balance !== wantBalance || acct.locked !== acctBefore.locked - wantReleased) {
    h.failures.push(`${where}: account ${acct.balance}/${acct.locked}, expected ${wantBalance}/${acctBefore.locked - wantReleased}`);
  }
  await h.checkRound("withdraw", r.id, false);
  // a second settlement is always rejected
  if (rng.chance(0.1)) await h.tx("withdraw twice", () => d.pool.withdraw(r.id, s.task, s.slot), E("AlreadySettled"));
}

async function sweepRound(h: Harness, r: RoundModel) {
  await h.tx("sweep", () => h.d.pool.connect(h.rng.pick([h.d.actors.outsider, h.d.actors.treasury])).sweep(r.id), E("NothingToSweep"));
  await h.checkRound("sweep", r.id, false);
}

/** The committee's sweep of a round's unspent fee budget and its penalties (after verifyEnd); must send it all, once. */
async function sweepFees(h: Harness, r: RoundModel) {
  const { d } = h;
  const f = await d.committee.roundFees(r.id);
  const unspent = f.swept ? 0n : f.budget - f.spent + f.penalties;
  const tBefore = await d.token.balanceOf(d.actors.treasury.address);
  const caller = h.rng.pick([d.actors.outsider, d.actors.treasury, d.actors.miners[0]]);
  const rc = await h.tx("sweepFees", () => d.committee.connect(caller).sweepFees(r.id), C("NothingToSweep"));
  if (rc) {
    if (unspent === 0n) h.failures.push(`sweepFees ${r.id}: swept with nothing unspent`);
    const got = (await d.token.balanceOf(d.actors.treasury.address)) - tBefore; // gas is ETH: exact for any caller
    if (got !== unspent) h.failures.push(`sweepFees ${r.id}: treasury got ${got}, unspent + penalties was ${unspent}`);
    if (!(await d.committee.roundFees(r.id)).swept) h.failures.push(`sweepFees ${r.id}: not marked swept`);
  } else if (unspent !== 0n && h.lastError !== null) {
    h.failures.push(`sweepFees ${r.id}: ${h.lastError} with ${unspent} unspent`);
  }
  await h.checkRound("sweepFees", r.id, false);
}

/** What a judgement starts from: the committers' accounts, the round's fee budget and the penalty. */
async function judgementBefore(h: Harness, r: RoundModel, list: Att[]) {
  const accounts = new Map<string, { stake: bigint; fees: bigint }>();
  for (const a of list) {
    const v = await h.d.committee.verifierAccount(a.verifier.address);
    accounts.set(a.verifier.address, { stake: v.stake, fees: v.fees });
  }
  const f = await h.d.committee.roundFees(r.id);
  return { accounts, budget: f.budget, spent: f.spent, penalties: f.penalties, penalty: await h.d.committee.penalty() };
}

/**
 * Checks one judgement (the last reveal, or decide) against the documented rule (helpers/attest.ts
 * judge, VerifierCommittee._decide): the verdict is the median of the revealed scores when at least
 * quorum were revealed (else Undecided); in commit order, each winner that proved the work (its
 * digest the agreed one; nobody when none is agreed) is paid verifierFee while the budget lasts
 * (FeePaid), and each committer that never revealed or, with a verdict, lost, pays the penalty from
 * its fees first, then its stake, capped at what it has (Penalised); the pool's fraud rule decides
 * the slash, whose slashBps share goes to the winners (SlashShareCredited). Accounts and RoundFees
 * must move by exactly that.
 */
async function checkJudgement(h: Harness, r: RoundModel, s: Sub, list: Att[], before: Awaited<ReturnType<typeof judgementBefore>>, rc: ContractTransactionReceipt, where: string) {
  const { d } = h;
  const j = judge(
    list.map((a) => ({ verifier: a.verifier.address, revealed: a.revealed, score: a.score, digest: a.digest })),
    r.quorum,
    r.tolerance,
  );
  const acct = new Map([...before.accounts].map(([k, v]) => [k, { ...v }]));
  let left = before.budget - before.spent;
  const wantFees: string[] = [];
  const wantPen: string[] = [];
  let paid = 0n;
  let taken = 0n;
  for (const a of list) {
    const who = a.verifier.address;
    const x = acct.get(who)!;
    if (j.proved.includes(who)) {
      const fee = r.verifierFee < left ? r.verifierFee : left;
      if (fee > 0n) {
        left -= fee;
        paid += fee;
        x.fees += fee;
        wantFees.push(`${who}:${fee}`);
      }
    } else if (j.penalised.includes(who) && before.penalty > 0n) {
      const fromFees = before.penalty < x.fees ? before.penalty : x.fees;
      let fromStake = before.penalty - fromFees;
      if (fromStake > x.stake) fromStake = x.stake;
      x.fees -= fromFees;
      x.stake -= fromStake;
      taken += fromFees + fromStake;
      wantPen.push(`${who}:${fromFees + fromStake}`);
    }
  }
  const mine = (e: LogDescription) => Number(e.args.task) === s.task && Number(e.args.slot) === s.slot && e.args.roundId === r.id;
  const gotFees = h.clogs(rc, "FeePaid").filter(mine).map((e) => `${e.args.verifier}:${e.args.fee}`);
  const gotPen = h.clogs(rc, "Penalised").filter(mine).map((e) => `${e.args.verifier}:${e.args.amount}`);
  if (gotFees.join() !== wantFees.join()) h.failures.push(`${where}: FeePaid ${gotFees.join()} != ${wantFees.join()} (agreed ${j.agreed})`);
  if (gotPen.join() !== wantPen.join()) h.failures.push(`${where}: Penalised ${gotPen.join()} != ${wantPen.join()}`);
  h.feesPaid += gotFees.length;
  h.penalised += gotPen.length;
  const ver = h.logs(rc, "Verified");
  const und = h.clogs(rc, "Undecided").filter(mine);
  const slashed = h.logs(rc, "Slashed");
  const shares = h.clogs(rc, "SlashShareCredited").filter(mine);
  if (!j.verdict) {
    h.undecided++;
    if (und.length !== 1 || Number(und[0].args.revealed) !== j.revealed || Number(und[0].args.quorum) !== r.quorum) {
      h.failures.push(`${where}: no verdict (${j.revealed} of quorum ${r.quorum} revealed) without its Undecided`);
    }
    if (ver.length + slashed.length + shares.length > 0) h.failures.push(`${where}: Verified/Slashed/SlashShareCredited without a verdict`);
  } else {
    if (und.length > 0) h.failures.push(`${where}: Undecided with ${j.revealed} of quorum ${r.quorum} revealed`);
    if (ver.length !== 1 || ver[0].args.medianBps !== j.median) {
      h.failures.push(`${where}: Verified ${ver.map((e) => e.args.medianBps).join()} != median ${j.median} of the revealed scores`);
    } else {
      const claimed = BigInt((await d.pool.getSubmission(r.id, s.task, s.slot)).claimedBps);
      const med = j.median!;
      const perf = performance(paidScore(claimed, med, BigInt(r.sampleBps)), BigInt(r.baseline));
      // a seal the agreed digest does not open is fraud whatever the score (WeightsSeal)
      const forged = BigInt(j.agreed) !== 0n && j.agreed !== s.sealed.toLowerCase();
      const fraud = claimed > med + BigInt(r.tolerance) || (claimed > med && perf === 0n && performance(claimed, BigInt(r.baseline)) !== 0n) || forged;
      if (forged) h.forged++;
      if (ver[0].args.fraud !== fraud) h.failures.push(`${where}: fraud ${ver[0].args.fraud} != ${fraud} (claim ${claimed}, median ${med}, forged seal ${forged})`);
      if (ver[0].args.weightsDigest.toLowerCase() !== j.agreed.toLowerCase()) h.failures.push(`${where}: Verified.weightsDigest ${ver[0].args.weightsDigest} != agreed ${j.agreed}`);
      const n = BigInt(j.winners.length);
      const toVerifiers = fraud && n > 0n ? ((r.minStake * BigInt(r.slashBps)) / BPS / n) * n : 0n;
      if (slashed.length !== (fraud ? 1 : 0) || (fraud && slashed[0].args.toVerifiers !== toVerifiers)) {
        h.failures.push(`${where}: Slashed ${slashed.map((e) => e.args.toVerifiers).join()} != ${fraud ? toVerifiers : "none"} (${n} winners)`);
      }
      const wantShares = toVerifiers === 0n ? [] : j.winners.map((w) => `${w}:${toVerifiers / n}`);
      const gotShares = shares.map((e) => `${e.args.verifier}:${e.args.amount}`);
      if (gotShares.join() !== wantShares.join()) h.failures.push(`${where}: SlashShareCredited ${gotShares.join()} != ${wantShares.join()}`);
      if (toVerifiers > 0n) for (const w of j.winners) acct.get(w)!.fees += toVerifiers / n;
    }
  }
  for (const [who, x] of acct) {
    const v = await d.committee.verifierAccount(who);
    if (v.stake !== x.stake || v.fees !== x.fees) h.failures.push(`${where}: verifier ${who} stake/fees ${v.stake}/${v.fees}, expected ${x.stake}/${x.fees}`);
  }
  const f = await d.committee.roundFees(r.id);
  if (f.spent - before.spent !== paid || f.penalties - before.penalties !== taken) {
    h.failures.push(`${where}: round fees spent +${f.spent - before.spent} (want ${paid}), penalties +${f.penalties - before.penalties} (want ${taken})`);
  }
  if (!(await d.committee.isDecided(r.id, s.task, s.slot))) h.failures.push(`${where}: judged but not isDecided`);
}

// ---- the committee's drawing, disputes and phases, from the documented rules ----

/**
 * The verify window's phases (libraries/Windows.sol), from r = revealEnd and V = verifyEnd − r,
 * each rounded down: challenges to r + V/4; drawn commits to r + V/2, their reveals to r + 5V/8;
 * escalation commits to r + 7V/8, their reveals to r + 15V/16; decide from r + 5V/8 (a disputed
 * submission only after r + 15V/16) to verifyEnd.
 */
function verifyPhases(r: RoundModel) {
  const V = r.verifyEnd - r.revealEnd;
  return {
    challengeEnd: r.revealEnd + V / 4n,
    commitEnd: r.revealEnd + V / 2n,
    revealEnd: r.revealEnd + (V * 5n) / 8n,
    escalationCommitEnd: r.revealEnd + (V * 7n) / 8n,
    escalationRevealEnd: r.revealEnd + (V * 15n) / 16n,
  };
}
type Phases = ReturnType<typeof verifyPhases>;

/** Whether `t` is within `margin` seconds of a phase boundary (where the next block's time is not known exactly). */
function nearEdge(r: RoundModel, ph: Phases, t: bigint, margin = 3n) {
  return [r.revealEnd, ph.commitEnd, ph.revealEnd, ph.escalationCommitEnd, ph.escalationRevealEnd, r.verifyEnd].some((b) => t + margin >= b && t <= b + margin);
}

/**
 * The roster seats (1-based, enrolment order) drawn for a submission under `seed`: every seat of
 * the round's committee when it has no more than `quorum`; else the `quorum` consecutive seats
 * (mod the size) from keccak256(abi.encode(seed, roundId, task, slot, "drawn")) % size.
 */
function drawnSeats(r: RoundModel, seed: string, s: Sub): Set<number> {
  const size = r.size;
  if (size <= r.quorum) return new Set(Array.from({ length: size }, (_, i) => i + 1));
  const h = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256", "uint256", "uint256", "string"], [seed, r.id, s.task, s.slot, "drawn"]));
  const first = Number(BigInt(h) % BigInt(size));
  return new Set(Array.from({ length: r.quorum }, (_, i) => ((first + i) % size) + 1));
}

/** Whether `who` holds a drawn seat for `s` under `seed` (no seat, or one enrolled after the round opened: never). */
function isDrawnModel(h: Harness, r: RoundModel, seed: string, s: Sub, who: string) {
  const seat = h.roster.indexOf(who) + 1;
  return seat > 0 && seat <= r.size && drawnSeats(r, seed, s).has(seat);
}

/**
 * Whether the drawn reveals dispute a submission (VerifierCommittee._disputed's NatSpec): fewer
 * than quorum of them, no weights digest two of them agree on (Sampling.agreedDigest: nobody
 * proved the work, so an echo of the claim cannot be told from a re-training), a non-zero digest
 * other than the agreed one, or one of their scores off their median by more than the tolerance.
 * Escalation attestations and unopened seals do not count.
 */
function isDisputed(r: RoundModel, list: Att[], s: Sub) {
  const drawn = list.filter((a) => !a.escalation && a.revealed);
  if (drawn.length < r.quorum) return true;
  const agreed = agreedDigestOf(drawn.map((a) => a.digest));
  if (BigInt(agreed) === 0n) return true;
  if (drawn.some((a) => BigInt(a.digest) !== 0n && a.digest.toLowerCase() !== agreed)) return true;
  if (agreed !== s.sealed.toLowerCase()) return true; // the agreed digest does not open the miner's seal
  const m = medianOf(drawn.map((a) => a.score));
  const tol = BigInt(r.tolerance);
  return drawn.some((a) => BigInt(a.score) > m + tol || BigInt(a.score) + tol < m);
}

/** Members who were not drawn exist (the committee is larger than the quorum) and there is room (fewer than 9 attestations). */
const canEscalate = (r: RoundModel, list: Att[]) => r.size > r.quorum && list.length < 9;

/** A disputed submission whose escalation can bring attestations: some already came, or it could take some. */
const escalationOpen = (r: RoundModel, list: Att[], s: Sub) => isDisputed(r, list, s) && (list.some((a) => a.escalation) || canEscalate(r, list));

/**
 * The seed the next commitAttestation draws with: its beginVerification fixes the round's seed
 * first when it can (the request's target block mined and within blockhash's reach) and returns
 * the seed "that draws its verifiers", so the round's seed, the one that transaction fixes, or 0
 * (not fixable yet). With 0 the committee refuses every commit (VerifierCommitteeSeedPending:
 * a draw with a pending seed would be public in advance), so drawnBeforeSeed must stay 0.
 */
async function nextSeed(h: Harness, r: RoundModel): Promise<string> {
  if (r.seed !== null) return r.seed;
  const st = await seedStatus(h.d, r);
  if (!st.fulfils) return ethers.ZeroHash;
  const block = await ethers.provider.getBlock(Number(st.target));
  return seedFromTarget(h.d, r, block!.hash!);
}

/** Refusals of a commit the model does not follow (membership and stake, the pool's sample and verdict); they come before the committee's own checks. */
const COMMIT_GENERAL = [
  ...E("NotSampled", "AlreadyFinal", "NotRevealed", "NotInVerifyWindow"),
  ...C("StakeTooLow", "NotVerifier", "NotInCommittee"),
];
const COMMIT_MODELLED = C("SeedPending", "AlreadyAttested", "AttestationsFull", "NotInPhase", "NotDrawn", "WasDrawn", "AlreadyDecided", "NotDisputed");

/**
 * What the committee's rules make of a commit by `who` on `s` at time `t` drawing with `seed`,
 * once the member and pool checks passed: AlreadyAttested (a second commit), AttestationsFull (9
 * already), then by phase: a drawn commit (r, r + V/2] only by a drawn member (NotDrawn); an
 * escalation commit (r + 5V/8, r + 7V/8] only by one not drawn (WasDrawn), on a submission not
 * decided (AlreadyDecided) and disputed (NotDisputed); in between and after, NotInPhase. null:
 * accepted.
 */
function commitVerdict(h: Harness, r: RoundModel, ph: Phases, s: Sub, list: Att[], who: string, t: bigint, seed: string): string | null {
  if (t <= r.revealEnd || t > r.verifyEnd) return "PoNASPoolNotInVerifyWindow";
  // no seed, no draw (the commit's own request is undone with its revert)
  if (BigInt(seed) === 0n) return "VerifierCommitteeSeedPending";
  if (list.some((a) => a.verifier.address === who)) return "VerifierCommitteeAlreadyAttested";
  if (list.length >= 9) return "VerifierCommitteeAttestationsFull";
  const drawn = isDrawnModel(h, r, seed, s, who);
  if (t <= ph.commitEnd) return drawn ? null : "VerifierCommitteeNotDrawn";
  if (t <= ph.revealEnd || t > ph.escalationCommitEnd) return "VerifierCommitteeNotInPhase";
  if (drawn) return "VerifierCommitteeWasDrawn";
  if (r.decided.has(`${s.task}:${s.slot}`)) return "VerifierCommitteeAlreadyDecided";
  return isDisputed(r, list, s) ? null : "VerifierCommitteeNotDisputed";
}

/**
 * What decide() makes of a submission at time `t`: NotInPhase outside (r + 5V/8, verifyEnd],
 * NothingToDecide without commits, AlreadyDecided once judged, Escalated up to r + 15V/16 while
 * its escalation is open; null: it judges.
 */
function decideVerdict(r: RoundModel, ph: Phases, s: Sub, list: Att[], t: bigint): string | null {
  if (t <= ph.revealEnd || t > r.verifyEnd) return "VerifierCommitteeNotInPhase";
  if (list.length === 0) return "VerifierCommitteeNothingToDecide";
  if (r.decided.has(`${s.task}:${s.slot}`)) return "VerifierCommitteeAlreadyDecided";
  if (t <= ph.escalationRevealEnd && escalationOpen(r, list, s)) return "VerifierCommitteeEscalated";
  return null;
}

/**
 * One attestation a member seals: a reference (bit-exact) re-training, the truth and its weights'
 * digest; a cross-backend one, near the truth, digest 0; one at the tolerance's edge (just in or
 * just out); a lie about the score (any digest); a lie about the digest (two fakes per
 * submission, so liars sometimes agree on one).
 */
function attestationFor(rng: Rng, r: RoundModel, s: Sub): [number, string] {
  const truthDigest = trueDigest(r.id, s.task, s.slot);
  const fakes = [0, 1].map((k) => ethers.id(`fake weights:${r.id}:${s.task}:${s.slot}:${k}`));
  const half = Math.floor(r.tolerance / 2);
  const clamp = (x: number) => Math.max(0, Math.min(10_000, x));
  const kind = rng.float();
  return kind < 0.5
    ? [s.truth, truthDigest]
    : kind < 0.7
      ? [clamp(s.truth + rng.int(-half, half)), ethers.ZeroHash]
      : kind < 0.77
        ? [clamp(s.truth + rng.pick([-1, 1]) * (r.tolerance + rng.int(0, 1))), rng.pick([truthDigest, ethers.ZeroHash])]
        : kind < 0.89
          ? [rng.int(0, 10_000), rng.pick([truthDigest, ethers.ZeroHash, ...fakes])]
          : [s.truth, rng.pick(fakes)];
}

async function playRound(h: Harness, pending: RoundModel[]) {
  const { d, rng } = h;
  const { miners, admin, outsider } = d.actors;
  const verifiers = h.verifiers;

  // ---- open ----
  const depth = rng.chance(0.6) ? 2 : 1;
  const all = depth === 1 ? [[0], [1], [2]] : [0, 1, 2].flatMap((a) => [0, 1, 2, 3].map((b) => [a, b]));
  const base = rng.shuffle(all).slice(0, rng.int(2, Math.min(6, all.length)));
  // Often add tasks that overlap another one (a copy of its subspace, its parent or a child):
  // in a disjoint partition no genome can be revealed twice, so these are the only source of
  // duplicate genomes.
  const extra: number[][] = [];
  if (rng.chance(0.8)) {
    for (let i = rng.int(1, 2); i > 0; i--) {
      const pr = rng.pick(base);
      extra.push(rng.chance(0.5) ? [...pr] : pr.length === 2 ? [pr[0]] : [pr[0], rng.int(0, 3)]);
    }
  }
  const prefixes = rng.shuffle([...base, ...extra]);
  // Only parameters openRound accepts: slashBps < 10000 (mostly moderate, so stakes stay affordable;
  // sometimes 0 or near 10000), noShowBps in [0, 10000], an odd quorum in [3, 9] (9 verifiers
  // are enrolled), a minStake at or above the safe bound.
  const sampleBps = rng.chance(0.2) ? 10_000 : rng.int(2500, 9999);
  const topK = rng.int(0, 3);
  const rewardTotal = rng.big(1n, 300n * TOKEN);
  const slashBps = rng.chance(0.15) ? 0 : rng.chance(0.1) ? rng.int(9000, 9999) : rng.int(1, 6000);
  const noShowBps = rng.chance(0.25) ? 0 : rng.chance(0.15) ? 10_000 : rng.int(1, 9999);
  const quorum = rng.pick(QUORUMS);
  if (quorum > verifiers.length) throw new Error(`quorum ${quorum} with ${verifiers.length} verifiers`);
  const safe = minSafeStake(rewardTotal, BigInt(sampleBps), BigInt(topK), BigInt(slashBps));
  const minStake = safe + rng.big(1n, 100n * TOKEN);
  const tolerance = rng.int(0, 200);
  const baseline = rng.int(8000, 9500);
  // the verify window V is split (libraries/Windows.sol): challenges to V/4, drawn commits to V/2,
  // their reveals to 5V/8, escalation commits to 7V/8, their reveals to 15V/16, decide to the end;
  // long enough that a round's commits, reveals and decides (a block, ≥ 1 s, each) fit the
  // shortest phases (V/16 ≥ 150 s)
  const timing = { commit: rng.int(300, 4000), reveal: rng.int(300, 4000), verify: rng.int(2400, 8000) };
  const verifierFee = rng.chance(0.2) ? 0n : rng.big(1n, 3n * TOKEN);
  const p = await roundParams(
    {
      rewardTotal,
      minStake,
      sampleBps,
      topK,
      toleranceBps: tolerance,
      baselineBps: baseline,
      slashBps,
      noShowBps,
      quorum,
      verifierFee,
      feeBudget: rng.chance(0.2) ? 0n : rng.big(1n, 20n * TOKEN),
      sigmaThreshold: rng.chance(0.5) ? 0n : rng.big(0n, 2000n * 1_000_000n),
      maxBackups: rng.int(0, 2),
      maxTasksPerMiner: rng.int(1, 3),
    },
    timing,
  );
  const masks = prefixes.map((pr) => genes(pr.map(() => 0xff)));
  const values = prefixes.map((pr) => genes(pr));
  const orc = await h.tx("openRound", () => d.pool.connect(admin).openRound(p, masks, values), []);
  if (!orc) return;
  const r: RoundModel = {
    id: await d.pool.roundCount(),
    prefixes,
    subs: [],
    rewardTotal,
    minStake,
    sampleBps,
    noShowBps,
    quorum,
    tolerance,
    baseline,
    commitEnd: p.commitEnd,
    revealEnd: p.revealEnd,
    verifyEnd: p.verifyEnd,
    finalized: false,
    pot: 0n,
    sumP: 0n,
    seed: null,
    slashBps,
    verifierFee,
    size: h.roster.length,
    atts: new Map(),
    decided: new Set(),
  };
  h.rounds.push(r);
  // the round draws from the roster as it opened
  if ((await d.committee.committeeSize(r.id)) !== BigInt(r.size)) h.failures.push(`round ${r.id}: committeeSize ${await d.committee.committeeSize(r.id)}, roster ${r.size}`);

  await miscActions(h, pending);

  // ---- claim, join, commit ----
  const claimErrs = E("InsufficientFreeStake", "TooManyTasks", "TaskTaken", "EnforcedPause", "ClaimWindowClosed");
  for (let task = 0; task < prefixes.length; task++) {
    if (!rng.chance(0.85)) continue;
    const m = rng.pick(miners);
    if (rng.chance(0.5) && (await d.token.balanceOf(m.address)) >= minStake) {
      await h.tx("stake", () => d.pool.connect(m).stake(minStake), []);
    }
    const rc = await h.tx("claim", () => d.pool.connect(m).claim(r.id, task), claimErrs);
    if (rc) r.subs.push(newSub(m, task, 0));
    for (let j = 0; j < 2; j++) {
      if (!rng.chance(0.45)) continue;
      const b = rng.pick(miners);
      const brc = await h.tx(
        "joinAsBackup",
        () => d.pool.connect(b).joinAsBackup(r.id, task),
        [...claimErrs, ...E("BackupsNotAllowed", "BackupSlotsFull", "AlreadyOnTask", "NoPrimary")],
      );
      if (brc) r.subs.push(newSub(b, task, Number(h.logs(brc, "Claimed")[0].args.slot)));
    }
  }
  if (rng.chance(0.08)) await pauseAction(h, "pause in commit");
  for (const s of rng.shuffle(r.subs)) {
    if (!rng.chance(0.85)) continue; // never commits: a no-show
    const prefix = prefixes[s.task];
    s.truth = rng.int(Math.max(0, baseline - 300), 9990);
    const kind = rng.float();
    // 45% the truth, 35% within the tolerance (paid below the median when verified: rare
    // enough to need this share and the challenges below), 20% beyond it
    s.claim = kind < 0.45 ? s.truth : kind < 0.8 ? Math.min(10_000, s.truth + Math.floor(tolerance / 2)) : Math.min(10_000, s.truth + tolerance + rng.int(1, 1200));
    // a miner that did not train seals a digest of its own making, or colludes with the liars'
    // first fake (then two liars agreeing on it open its seal); a within-tolerance over-claimer
    // trained (its made-up seal would make it fraud, and paid-below-median needs it counting)
    const withinTolerance = s.claim > s.truth && s.claim <= s.truth + tolerance;
    s.sealed = withinTolerance || rng.chance(0.75) ? trueDigest(r.id, s.task, s.slot) : rng.pick([ethers.id(`untrained:${r.id}:${s.task}:${s.slot}`), ethers.id(`fake weights:${r.id}:${s.task}:${s.slot}:0`)]);
    // mostly in its subspace (often an "obvious" best genome shared with the overlapping tasks,
    // so submissions of different tasks collide and the earliest commit must win); sometimes
    // outside it (the reveal must fail)
    const inner = prefixes.filter((q) => q.length >= prefix.length && prefix.every((g, i) => q[i] === g));
    s.genome = rng.chance(0.04)
      ? genomeIn(prefixes[(s.task + 1) % prefixes.length], 0)
      : rng.chance(0.5)
        ? genomeIn(rng.pick(inner), 1)
        : genomeIn(prefix, rng.int(0, freeCount(prefix) - 1));
    s.salt = ethers.hexlify(Uint8Array.from({ length: 32 }, () => rng.int(0, 255)));
    const h_ = await d.pool.computeCommitment(r.id, s.task, s.miner.address, s.genome, s.claim, s.salt);
    const crc = await h.tx("commit", () => d.pool.connect(s.miner).commit(r.id, h_), E("EnforcedPause", "ClaimWindowClosed"));
    if (crc) s.committed = true;
    if (rng.chance(0.05)) await time.increase(rng.int(1, Math.max(1, Number(r.commitEnd - BigInt(await time.latest())) + 60))); // may close the window
  }
  if (h.paused && rng.chance(0.7)) await unpauseAction(h); // moves the windows: r's are re-read

  // ---- reveal: primaries in (commitEnd, backupRevealStart], backups in (backupRevealStart, revealEnd] ----
  const split = (r.commitEnd + r.revealEnd) / 2n;
  const third = Math.max(1, Math.floor(Number(split - r.commitEnd) / 3));
  const counting = new Map<number, number>(); // task → the slot that counts for it
  const revealErrs = E("DuplicateGenome", "GenomeOutsideSubspace", "EnforcedPause", "NotInRevealWindow", "TaskDelivered");
  const revealSub = async (s: Sub) => {
    const before = counting.get(s.task);
    const seal = await honestSeal(d.pool, s.miner, r.id, s.task, s.slot, s.sealed);
    const rc = await h.tx("reveal", () => d.pool.connect(s.miner).reveal(r.id, s.task, s.slot, s.genome, s.claim, s.salt, seal), revealErrs);
    const where = `reveal ${r.id}:${s.task}:${s.slot}`;
    if (!rc) {
      if (h.lastError === "PoNASPoolTaskDelivered" && before === undefined) h.failures.push(`${where}: TaskDelivered but nothing counts`);
      // a backup of a delivered task is refused for that (the window and pause checks come first)
      if (before !== undefined && !E("TaskDelivered", "NotInRevealWindow", "EnforcedPause").includes(h.lastError ?? "")) {
        h.failures.push(`${where}: ${h.lastError} instead of TaskDelivered while slot ${before} counts`);
      }
      return;
    }
    s.revealed = true;
    if (before !== undefined) h.failures.push(`${where}: accepted while slot ${before} counts`);
    for (const e of h.logs(rc, "DuplicateVoided")) {
      // the genome's earlier owner: a counting submission, or one revealed at or below the baseline (P = 0)
      const [t, sl] = [Number(e.args.task), Number(e.args.slot)];
      const voided = r.subs.find((x) => x.task === t && x.slot === sl);
      if (counting.get(t) === sl) counting.delete(t);
      else if (!voided?.revealed || performance(BigInt(voided.claim), BigInt(r.baseline)) !== 0n) h.failures.push(`${where}: voided ${t}:${sl}, which did not count and had P > 0`);
    }
    const took = h.logs(rc, "ActiveChanged").filter((e) => e.args.slot === BigInt(s.slot) && Number(e.args.task) === s.task);
    if (performance(BigInt(s.claim), BigInt(r.baseline)) === 0n) {
      // a claim at or below the baseline delivers nothing: recorded, but it does not count, so the task stays open to its backups
      if (took.length > 0) h.failures.push(`${where}: a reveal with P = 0 took the task`);
    } else {
      if (s.slot > 0 && took.length !== 1) h.failures.push(`${where}: a backup's reveal without ActiveChanged`);
      counting.set(s.task, s.slot);
    }
    if (rng.chance(0.1)) {
      const t = rng.pick(r.subs);
      await h.tx(
        "challenge",
        () => d.committee.connect(rng.pick([...verifiers, outsider])).challenge(r.id, t.task, t.slot),
        [...E("NotRevealed", "AlreadyChallenged"), ...C("NotVerifier", "NotInCommittee", "StakeTooLow")],
      );
    }
  };
  /** A reveal outside the slot's part of the window must revert NotInRevealWindow (or EnforcedPause). */
  const revealOutside = async (s: Sub) => {
    const rc = await h.tx(
      "reveal outside",
      () => d.pool.connect(s.miner).reveal(r.id, s.task, s.slot, s.genome, s.claim, s.salt, ethers.ZeroHash),
      E("NotInRevealWindow", "EnforcedPause"),
    );
    if (rc) h.failures.push(`reveal ${r.id}:${s.task}:${s.slot} accepted outside its part of the reveal window`);
  };
  const primaries = r.subs.filter((s) => s.slot === 0);
  const backups = r.subs.filter((s) => s.slot > 0);
  await jumpTo(r.commitEnd + BigInt(rng.int(1, third)));
  for (const s of rng.shuffle(primaries)) {
    if (!s.committed || !rng.chance(0.9)) continue;
    await revealSub(s);
    if (backups.length > 0 && rng.chance(0.2)) await revealOutside(rng.pick(backups)); // a backup too early
  }
  await jumpTo(split + BigInt(rng.int(1, third)));
  for (const s of rng.shuffle(backups)) {
    if (!s.committed || !rng.chance(0.9)) continue;
    await revealSub(s);
    const late = primaries.filter((p) => p.committed && !p.revealed);
    if (late.length > 0 && rng.chance(0.5)) await revealOutside(rng.pick(late)); // a primary too late
  }
  // The fourth round of every episode is paused late in its reveal window and held past it (the
  // commit window's pauses, lifted early 70% of the time, outlast it in about one round an
  // episode, and the outcome counter must see the case in every run, whatever the seeds drawn)
  if (r.id === 4n && !h.paused && (await time.latest()) + 1 <= Number(r.revealEnd)) await pauseAction(h, "pause in reveal");
  // the always-verified top-K holds only counting claims
  const top = await d.lens.getTopK(r.id);
  for (let i = 0; i < top.tasks.length; i++) {
    const [t, sl] = [Number(top.tasks[i]), Number(top.slots[i])];
    if (counting.get(t) !== sl) h.failures.push(`round ${r.id}: top-K entry ${t}:${sl} does not count`);
  }
  for (const [t, sl] of counting) {
    if ((await d.pool.getSubmission(r.id, t, 0)).active !== BigInt(sl + 1)) h.failures.push(`round ${r.id}: task ${t} should count slot ${sl}`);
  }
  if (h.paused) {
    // a pause that outlasts the reveal window holds the round: past its (unmoved) revealEnd,
    // fixSampleSeed requests nothing until unpause has moved the windows (always tried: pauses
    // that last this long are rare in the generator, and the outcome counter needs the case)
    await jumpTo(r.revealEnd + BigInt(rng.int(1, 200)));
    await fixSeedAction(h, r, "fixSampleSeed held");
    await unpauseAction(h);
  }

  // ---- verify: sealed attestations (VerifierCommittee) ----
  if (rng.chance(0.2)) await h.tx("finalize early", () => d.pool.finalize(r.id), E("VerifyWindowOpen"));
  if (rng.chance(0.2) && BigInt(await time.latest()) + 1n <= r.revealEnd) {
    const rc = await h.tx("fixSampleSeed early", () => d.pool.connect(outsider).fixSampleSeed(r.id), E("NotInVerifyWindow"));
    if (rc) h.failures.push(`fixSampleSeed ${r.id} accepted before revealEnd`);
  }
  if (rng.chance(0.2)) {
    const rc = await h.tx("sweepFees early", () => d.committee.connect(outsider).sweepFees(r.id), C("VerifyWindowOpen"));
    if (rc) h.failures.push(`sweepFees ${r.id} accepted before verifyEnd`);
  }
  await jumpTo(r.revealEnd + BigInt(rng.int(1, 200)));
  // the phases (libraries/Windows.sol), as the lens reports them
  const ph = verifyPhases(r);
  const lensPhases = await d.lens.attestPhases(r.id);
  const wantPhases = [ph.commitEnd, ph.revealEnd, ph.escalationCommitEnd, ph.escalationRevealEnd];
  if (lensPhases.length !== 4 || wantPhases.some((x, i) => lensPhases[i] !== x)) {
    h.failures.push(`round ${r.id}: attestPhases ${[...lensPhases].join("/")}, Windows says ${wantPhases.join("/")}`);
  }
  if ((await d.lens.challengeEnd(r.id)) !== ph.challengeEnd) h.failures.push(`round ${r.id}: challengeEnd ${await d.lens.challengeEnd(r.id)}, Windows says ${ph.challengeEnd}`);
  const committee = [...verifiers, outsider];
  const keyOf = (s: Sub) => `${s.task}:${s.slot}`;
  const attsOf = (s: Sub) => {
    const k = keyOf(s);
    if (!r.atts.has(k)) r.atts.set(k, []);
    return r.atts.get(k)!;
  };
  const now1 = async () => BigInt(await time.latest()) + 1n; // the next block's time, unless the clock has run on
  // sometimes a pause inside the verify window: attestations and seed requests go on (the pause
  // does not hold a round whose reveal window had ended), and unpause leaves its windows
  const verifyPause = rng.chance(0.12);
  if (verifyPause) {
    await pauseAction(h, "pause in verify");
    if (rng.chance(0.7)) await fixSeedAction(h, r, "fixSampleSeed paused");
  }
  /**
   * One sealed commit, checked against commitVerdict: a refusal must be the model's (or one of
   * the member and pool checks before it); a success must be what the model accepts at its
   * block's time with the seed it drew with (the one fixed by then, 0 if none), emit
   * AttestationCommitted with its seal and phase and, for the first escalation commit of a
   * submission, Escalated with its drawn reveals and escalationRevealEnd; while the seed is still
   * 0 afterwards only on a challenged or top-K submission.
   */
  const commitAtt = async (s: Sub, v: HardhatEthersSigner, score: number, digest: string, label = "commitAttestation") => {
    const salt = ethers.hexlify(Uint8Array.from({ length: 32 }, () => rng.int(0, 255)));
    const seal = await d.committee.attestationSeal(r.id, s.task, s.slot, v.address, score, digest, salt);
    const list = attsOf(s);
    const t = await now1();
    const want = commitVerdict(h, r, ph, s, list, v.address, t, await nextSeed(h, r));
    const rc = await h.tx(label, () => d.committee.connect(v).commitAttestation(r.id, s.task, s.slot, seal), [...COMMIT_GENERAL, ...COMMIT_MODELLED]);
    const where = `${label} ${r.id}:${s.task}:${s.slot} by ${v.address}`;
    if (!rc) {
      const err = h.lastError!;
      if (!COMMIT_GENERAL.includes(err) && err !== want && !nearEdge(r, ph, t)) h.failures.push(`${where}: ${err} at ~${t}, the model expected ${want ?? "success"}`);
      return;
    }
    const at = await blockTime(rc);
    const used = r.seed ?? ethers.ZeroHash; // checkSeeds has seen the seed this commit may have fixed
    const now = commitVerdict(h, r, ph, s, list, v.address, at, used);
    if (now !== null) h.failures.push(`${where}: accepted at ${at}, the model expected ${now}`);
    const escalation = at > ph.commitEnd;
    const ev = h.clogs(rc, "AttestationCommitted");
    if (ev.length !== 1 || ev[0].args.seal !== seal || ev[0].args.verifier !== v.address || ev[0].args.escalation !== escalation) {
      h.failures.push(`${where}: no AttestationCommitted with its seal and escalation ${escalation}`);
    }
    const esc = h.clogs(rc, "Escalated");
    const first = escalation && !list.some((a) => a.escalation);
    const drawnRevealed = list.filter((a) => !a.escalation && a.revealed).length;
    if (esc.length !== (first ? 1 : 0) || (first && (Number(esc[0].args.revealed) !== drawnRevealed || esc[0].args.until !== ph.escalationRevealEnd))) {
      h.failures.push(`${where}: Escalated ${esc.map((e) => `${e.args.revealed}/${e.args.until}`).join()} (first escalation ${first}, ${drawnRevealed} drawn reveals)`);
    }
    if (first) h.escalations++;
    if (escalation) h.escalationCommits++;
    else if (BigInt(used) === 0n) h.failures.push(`${where}: a drawn commit accepted while the seed was pending`);
    list.push({ verifier: v, score, digest, salt, revealed: false, escalation });
    if (BigInt(used) !== 0n) {
      // the committee's view of the draw agrees once the seed is fixed
      if (!escalation && !(await d.committee.isDrawn(r.id, s.task, s.slot, v.address))) h.failures.push(`${where}: a drawn commit by a member isDrawn says was not drawn`);
      return;
    }
    const flags = BigInt((await d.pool.getSubmission(r.id, s.task, s.slot)).flags);
    const top = await d.lens.getTopK(r.id);
    const inTop = top.tasks.some((t, i) => Number(t) === s.task && Number(top.slots[i]) === s.slot);
    if ((flags & CHALLENGED) === 0n && !inTop) h.failures.push(`${where}: accepted by a random draw while the seed is 0`);
  };

  // ---- drawn commits: (revealEnd, revealEnd + V/2] ----
  // verifier nodes (or anyone) move the seed on at random moments of the verify window
  if (rng.chance(0.4)) await fixSeedAction(h, r);
  for (const s of rng.shuffle(r.subs)) {
    if (rng.chance(0.12)) await fixSeedAction(h, r);
    if (rng.chance(0.05)) await networkHelpers.mine(rng.int(1, 3));
    // a within-tolerance over-claim is challenged more often: verified, it is the one outcome
    // (paid below its verified median) that the random sample alone made too rare to count on
    // (a CI run saw none in six seeds)
    const withinTolerance = s.claim > s.truth && s.claim <= s.truth + r.tolerance;
    if (rng.chance(withinTolerance ? 0.7 : 0.15)) {
      const rc = await h.tx(
        "challenge",
        () => d.committee.connect(rng.pick(committee)).challenge(r.id, s.task, s.slot),
        [...E("NotRevealed", "AlreadyChallenged", "AlreadyFinal", "NotInVerifyWindow", "ChallengeWindowClosed"), ...C("NotVerifier", "NotInCommittee", "StakeTooLow")],
      );
      if (rc && (await blockTime(rc)) > ph.challengeEnd) h.failures.push(`challenge ${r.id}:${s.task}:${s.slot} accepted after challengeEnd ${ph.challengeEnd}`);
    }
    if (!s.revealed && !rng.chance(0.1)) continue;
    const skipAll = rng.chance(0.1); // leaves the submission without quorum
    // every member the model draws for it (under the seed this commit will see) seals, each may
    // skip; now and then one it did not draw tries and must be refused (NotDrawn)
    for (const v of rng.shuffle(committee)) {
      const drawn = isDrawnModel(h, r, await nextSeed(h, r), s, v.address);
      if (drawn ? skipAll || !rng.chance(0.95) : !rng.chance(0.08)) continue;
      const [score, digest] = attestationFor(rng, r, s);
      await commitAtt(s, v, score, digest, drawn ? "commitAttestation" : "commitAttestation undrawn");
      if (rng.chance(0.04)) await commitAtt(s, v, score, digest, "commitAttestation twice"); // AlreadyAttested (or earlier refusals)
    }
    if (rng.chance(0.05)) await time.increase(rng.int(1, 1000)); // may close the commit phase (or more) early
  }

  /**
   * One reveal, checked against the rules: only a seal's own opening, a drawn seal only in
   * (r + V/2, r + 5V/8], an escalation seal only in (r + 7V/8, r + 15V/16]. It judges the
   * submission when no other seal of its phase is still closed: an escalation reveal at once, a
   * drawn one unless its reveals dispute the submission and members who were not drawn could
   * still escalate it.
   */
  const openErrs = C("NotInPhase", "SealMismatch", "NotCommitted", "AlreadyDecided");
  const reveal = async (s: Sub, a: Att, score: number, salt: string, label = "revealAttestation") => {
    const list = attsOf(s);
    const opens = !a.revealed && score === a.score && salt === a.salt;
    let judges = opens && list.every((x) => x === a || x.escalation !== a.escalation || x.revealed);
    if (judges && !a.escalation) {
      const after = list.map((x) => (x === a ? { ...x, revealed: true } : x));
      judges = !(canEscalate(r, after) && isDisputed(r, after, s));
    }
    const [from, to] = a.escalation ? [ph.escalationCommitEnd, ph.escalationRevealEnd] : [ph.commitEnd, ph.revealEnd];
    const t = await now1();
    const before = judges ? await judgementBefore(h, r, list) : null;
    const rc = await h.tx(label, () => d.committee.connect(a.verifier).revealAttestation(r.id, s.task, s.slot, score, a.digest, salt), openErrs);
    const where = `${label} ${r.id}:${s.task}:${s.slot} by ${a.verifier.address}${a.escalation ? " (escalation)" : ""}`;
    if (!rc) {
      if (h.lastError === "VerifierCommitteeSealMismatch" && score === a.score && salt === a.salt) h.failures.push(`${where}: SealMismatch on its own seal`);
      if (h.lastError === "VerifierCommitteeNotCommitted" && !a.revealed) h.failures.push(`${where}: NotCommitted while its commit is pending`);
      if (h.lastError === "VerifierCommitteeNotInPhase" && t > from && t <= to && !nearEdge(r, ph, t)) h.failures.push(`${where}: NotInPhase at ~${t}, inside (${from}, ${to}]`);
      if (h.lastError === "VerifierCommitteeAlreadyDecided" && !(judges && r.decided.has(keyOf(s)))) h.failures.push(`${where}: AlreadyDecided from a reveal that does not judge`);
      return;
    }
    if (a.revealed) h.failures.push(`${where}: revealed twice`);
    if (score !== a.score || salt !== a.salt) h.failures.push(`${where}: a reveal that does not open its seal was accepted`);
    const at = await blockTime(rc);
    if (at <= from || at > to) h.failures.push(`${where}: revealed at ${at}, outside (${from}, ${to}]`);
    a.revealed = true;
    const ev = h.clogs(rc, "Attested");
    if (ev.length !== 1 || Number(ev[0].args.scoreBps) !== a.score || ev[0].args.weightsDigest !== a.digest) h.failures.push(`${where}: Attested does not carry its score and digest`);
    if (before) {
      if (r.decided.has(keyOf(s))) h.failures.push(`${where}: judged a second time`);
      if (a.escalation) h.judgedAtEscalation++;
      else h.judgedAtReveal++;
      r.decided.add(keyOf(s));
      await checkJudgement(h, r, s, list, before, rc, where);
    } else {
      for (const name of ["Verified", "Undecided"]) if (h.logs(rc, name).length + h.clogs(rc, name).length > 0) h.failures.push(`${where}: judged (${name}) while a seal of its phase is closed or its escalation is open`);
      if (h.clogs(rc, "FeePaid").length + h.clogs(rc, "Penalised").length > 0) h.failures.push(`${where}: fees or penalties from a reveal that does not judge`);
      if (await d.committee.isDecided(r.id, s.task, s.slot)) h.failures.push(`${where}: decided by a reveal that should not decide`);
    }
  };
  /** decide() by anyone, checked against decideVerdict; a judgement against the rule (checkJudgement). */
  const decideSub = async (s: Sub, label: string) => {
    const list = attsOf(s);
    const where = `${label} ${r.id}:${s.task}:${s.slot}`;
    const decided = await d.committee.isDecided(r.id, s.task, s.slot);
    if (decided !== r.decided.has(keyOf(s))) h.failures.push(`${where}: isDecided ${decided}, the model says ${!decided}`);
    const t = await now1();
    const want = decideVerdict(r, ph, s, list, t);
    const before = list.length > 0 && !decided ? await judgementBefore(h, r, list) : null;
    const caller = rng.pick([outsider, miners[0], ...verifiers]);
    const rc = await h.tx(label, () => d.committee.connect(caller).decide(r.id, s.task, s.slot), C("NothingToDecide", "AlreadyDecided", "NotInPhase", "Escalated"));
    if (!rc) {
      if (h.lastError !== want && !nearEdge(r, ph, t)) h.failures.push(`${where}: ${h.lastError} at ~${t}, the model expected ${want ?? "success"}`);
      if (h.lastError === "VerifierCommitteeEscalated") h.escalatedRefusals++;
      return false;
    }
    const now = decideVerdict(r, ph, s, list, await blockTime(rc));
    if (now !== null || !before) {
      h.failures.push(`${where}: accepted with ${list.length} commits, decided ${decided}; the model expected ${now}`);
      return false;
    }
    h.judgedByDecide++;
    r.decided.add(keyOf(s));
    await checkJudgement(h, r, s, list, before, rc, where);
    return true;
  };

  // ---- drawn reveals: (r + V/2, r + 5V/8] ----
  const sealed = (escalation: boolean) =>
    [...r.atts.entries()].flatMap(([k, list]) => list.filter((a) => a.escalation === escalation).map((a) => ({ s: r.subs.find((x) => keyOf(x) === k)!, a })));
  const drawnSeals = sealed(false);
  if (drawnSeals.length > 0 && rng.chance(0.3)) {
    const { s, a } = rng.pick(drawnSeals);
    await reveal(s, a, a.score, a.salt, "revealAttestation early"); // in the commit phase: NotInPhase
  }
  await jumpTo(ph.commitEnd + BigInt(rng.int(1, Math.max(1, Math.floor(Number(ph.revealEnd - ph.commitEnd) / 8)))));
  if (rng.chance(0.3) && r.subs.length > 0) {
    const s = rng.pick(r.subs);
    await commitAtt(s, rng.pick(verifiers), ...attestationFor(rng, r, s), "commitAttestation late"); // NotInPhase
  }
  for (const { s, a } of rng.shuffle(drawnSeals)) {
    if (!rng.chance(0.93)) continue; // this committer never reveals
    if (rng.chance(0.05)) await reveal(s, a, a.score === 10_000 ? a.score - 1 : a.score + 1, a.salt, "revealAttestation wrong score"); // SealMismatch
    if (rng.chance(0.03)) await reveal(s, a, a.score, ethers.ZeroHash, "revealAttestation wrong salt"); // SealMismatch
    await reveal(s, a, a.score, a.salt);
    if (rng.chance(0.04)) await reveal(s, a, a.score, a.salt, "revealAttestation twice"); // NotCommitted
  }
  if (rng.chance(0.2) && r.subs.length > 0 && (await now1()) + 10n < ph.revealEnd) await decideSub(rng.pick(r.subs), "decide early"); // NotInPhase

  // ---- escalation commits: (r + 5V/8, r + 7V/8]; undisputed submissions are decided from now on ----
  await jumpTo(ph.revealEnd + BigInt(rng.int(1, Math.max(1, Math.floor(Number(ph.escalationCommitEnd - ph.revealEnd) / 8)))));
  for (const s of r.subs) {
    const list = attsOf(s);
    const want = !r.decided.has(keyOf(s)) && escalationOpen(r, list, s);
    if ((await d.committee.isEscalated(r.id, s.task, s.slot)) !== want) h.failures.push(`isEscalated ${r.id}:${s.task}:${s.slot}: ${!want}, the model says ${want}`);
  }
  // a node decides what its drawn reveals settled (a disputed one must wait: Escalated)
  for (const s of rng.shuffle(r.subs)) if (rng.chance(0.25)) await decideSub(s, "decide after drawn reveals");
  for (const s of rng.shuffle(r.subs)) {
    if (!s.revealed && !rng.chance(0.1)) continue;
    const list = attsOf(s);
    const seed = await nextSeed(h, r);
    const members = rng.shuffle(committee);
    const undrawn = members.filter((v) => !isDrawnModel(h, r, seed, s, v.address));
    const drawn = members.filter((v) => isDrawnModel(h, r, seed, s, v.address));
    if (!r.decided.has(keyOf(s)) && isDisputed(r, list, s) && rng.chance(0.8)) {
      // some of the members it did not draw seal their own attestations (honest or not, as the drawn do)
      for (const v of undrawn.slice(0, rng.int(1, Math.max(1, Math.min(undrawn.length, r.quorum))))) {
        if (!rng.chance(0.9)) continue;
        const [score, digest] = attestationFor(rng, r, s);
        await commitAtt(s, v, score, digest, "commitAttestation escalation");
        if (rng.chance(0.03)) await commitAtt(s, v, score, digest, "commitAttestation escalation twice"); // AlreadyAttested
      }
    } else if (undrawn.length > 0 && rng.chance(0.3)) {
      // one not drawn tries anyway: NotDisputed, or AlreadyDecided (the pool's AlreadyFinal after a verdict)
      await commitAtt(s, undrawn[0], ...attestationFor(rng, r, s), "commitAttestation undisputed");
    }
    if (drawn.length > 0 && rng.chance(0.25)) await commitAtt(s, rng.pick(drawn), ...attestationFor(rng, r, s), "commitAttestation drawn again"); // WasDrawn (AlreadyAttested if it committed)
  }
  const escalationSeals = sealed(true);
  if (escalationSeals.length > 0 && rng.chance(0.3)) {
    const { s, a } = rng.pick(escalationSeals);
    await reveal(s, a, a.score, a.salt, "revealAttestation escalation early"); // in its commit phase: NotInPhase
  }

  // ---- escalation reveals: (r + 7V/8, r + 15V/16] ----
  await jumpTo(ph.escalationCommitEnd + BigInt(rng.int(1, Math.max(1, Math.floor(Number(ph.escalationRevealEnd - ph.escalationCommitEnd) / 8)))));
  if (rng.chance(0.2) && r.subs.length > 0) {
    const s = rng.pick(r.subs);
    await commitAtt(s, rng.pick(committee), ...attestationFor(rng, r, s), "commitAttestation after escalation"); // NotInPhase
  }
  for (const { s, a } of rng.shuffle(escalationSeals)) {
    if (!rng.chance(0.93)) continue; // this escalation committer never reveals
    if (rng.chance(0.05)) await reveal(s, a, a.score === 10_000 ? a.score - 1 : a.score + 1, a.salt, "revealAttestation escalation wrong score"); // SealMismatch
    await reveal(s, a, a.score, a.salt, "revealAttestation escalation");
    if (rng.chance(0.04)) await reveal(s, a, a.score, a.salt, "revealAttestation escalation twice"); // NotCommitted
  }
  const unopened = drawnSeals.filter(({ a }) => !a.revealed);
  if (unopened.length > 0 && rng.chance(0.3)) {
    const { s, a } = rng.pick(unopened);
    await reveal(s, a, a.score, a.salt, "revealAttestation drawn late"); // a drawn seal in the escalation reveals: NotInPhase
  }
  for (const s of rng.shuffle(r.subs)) if (rng.chance(0.1)) await decideSub(s, "decide in escalation"); // Escalated while open

  // ---- decide phase: (r + 15V/16, verifyEnd], anyone decides what is left ----
  await jumpTo(ph.escalationRevealEnd + BigInt(rng.int(1, Math.max(1, Math.floor(Number(r.verifyEnd - ph.escalationRevealEnd) / 8)))));
  for (const s of rng.shuffle(r.subs)) {
    if (!rng.chance(0.8)) continue; // some are never decided: no verdict, and no penalty either
    const list = attsOf(s);
    // the committee's record of the submission is the model's: commit order, phase, opened or not, score
    const onChain = await d.committee.getAttestations(r.id, s.task, s.slot);
    const mirror = (xs: { verifier: string; state: number; escalation: boolean; score: number }[]) => xs.map((x) => `${x.verifier}/${x.state}/${x.escalation}/${x.score}`).join();
    const got = mirror(onChain.map((x) => ({ verifier: x.verifier, state: Number(x.state), escalation: x.escalation, score: Number(x.scoreBps) })));
    const want = mirror(list.map((a) => ({ verifier: a.verifier.address, state: a.revealed ? 2 : 1, escalation: a.escalation, score: a.revealed ? a.score : 0 })));
    if (got !== want) h.failures.push(`getAttestations ${r.id}:${s.task}:${s.slot}: ${got} != ${want}`);
    if ((await decideSub(s, "decide")) && rng.chance(0.1)) await decideSub(s, "decide twice"); // AlreadyDecided
  }
  if (h.paused) await unpauseAction(h, "unpause in verify");
  await miscActions(h, pending);

  // ---- finalize: needs the seed; fixSampleSeed (still open after verifyEnd) until it is fixed ----
  await jumpTo(r.verifyEnd + BigInt(rng.int(1, 200)));
  if (rng.chance(0.3)) await fixSeedAction(h, r, "fixSampleSeed late");
  let frc: ContractTransactionReceipt | null = null;
  for (let i = 0; i < 12 && !frc; i++) {
    if (r.seed !== null || rng.chance(0.5)) frc = await tryFinalize(h, r);
    if (frc) break;
    await fixSeedAction(h, r, "fixSampleSeed late");
    if (rng.chance(0.2)) await networkHelpers.mine(rng.int(1, 2));
  }
  if (!frc) {
    h.failures.push(`round ${r.id}: not finalised after 12 tries (seed ${r.seed})`);
    return;
  }
  const fin = h.logs(frc, "RoundFinalized")[0].args;
  r.finalized = true;
  r.pot = fin.pot;
  r.sumP = fin.sumP;
  if (fin.pot !== r.rewardTotal) h.failures.push(`round ${r.id}: RoundFinalized pot ${fin.pot} != rewardTotal ${r.rewardTotal}`);
  await h.tx("finalize twice", () => d.pool.finalize(r.id), E("AlreadyFinalized"));

  // ---- settle a random subset now, the rest later ----
  for (const s of rng.shuffle(r.subs)) if (rng.chance(0.6)) await settleSub(h, r, s);
  if (rng.chance(0.5)) await sweepRound(h, r);
  if (rng.chance(0.5)) await sweepFees(h, r);
  if (rng.chance(0.1)) await h.tx("withdraw empty slot", () => d.pool.withdraw(r.id, 0, 7), E("NoSubmission"));
  pending.push(r);
}

function newSub(miner: HardhatEthersSigner, task: number, slot: number): Sub {
  return { miner, task, slot, truth: 0, claim: 0, sealed: ethers.ZeroHash, genome: ethers.ZeroHash, salt: ethers.ZeroHash, committed: false, revealed: false, settled: false };
}

async function closeEpisode(h: Harness, pending: RoundModel[]) {
  const { d } = h;
  for (const r of pending) {
    for (const s of r.subs) if (!s.settled) await settleSub(h, r, s);
    await h.tx("final sweep", () => d.pool.sweep(r.id), E("NothingToSweep"));
    await sweepFees(h, r);
    await h.checkRound("closed", r.id, true);
    if ((await d.lens.sweepable(r.id)) !== 0n) h.failures.push(`round ${r.id}: sweepable after final sweep`);
    await h.tx("sweepFees twice", () => d.committee.sweepFees(r.id), C("NothingToSweep"));
    if (h.lastError === null) h.failures.push(`round ${r.id}: sweepFees accepted after the final one`);
  }
  await auditCommitteeLogs(h, pending);
  // every stake is free again: every miner can take all of it out
  for (const m of d.actors.miners) {
    const a = await d.pool.minerAccount(m.address);
    if (a.locked !== 0n) h.failures.push(`miner ${m.address} still has ${a.locked} locked`);
    if (a.balance > 0n) await h.tx("unstake all", () => d.pool.connect(m).unstake(a.balance), []);
  }
  for (const v of [...h.verifiers, d.actors.outsider]) {
    if ((await d.committee.verifierAccount(v.address)).fees > 0n) {
      await h.tx("withdrawFees all", () => d.committee.connect(v).withdrawFees(), []);
    }
  }
  // the pool is empty; only verifier stakes remain, in the committee
  let stakes = 0n;
  for (const v of [...h.verifiers, d.actors.outsider]) stakes += (await d.committee.verifierAccount(v.address)).stake;
  const bal = await holdings(d);
  if (bal.pool !== 0n) h.failures.push(`after closing: pool still holds ${bal.pool}`);
  if (bal.committee !== stakes) h.failures.push(`after closing: committee holds ${bal.committee}, verifier stakes ${stakes}`);
}

/**
 * The committee's events account for every fee, penalty and slash share: per round, fees spent =
 * Σ FeePaid.fee, penalties = Σ Penalised.amount, the sweep sent budget − spent + penalties; per
 * fraud verdict, the pool's Slashed.toVerifiers = Σ SlashShareCredited of that submission,
 * credited only to verifiers that revealed an attestation of it, and Slashed.amount = minStake =
 * toVerifiers + toTreasury; every fee paid went to a revealed attestation. The pool's events
 * account for what each round forfeited to the treasury: forfeited = Σ Slashed.toTreasury +
 * Σ NoShowFined.amount.
 */
async function auditCommitteeLogs(h: Harness, rounds: RoundModel[]) {
  const { committee, pool } = h.d;
  const cf = committee.filters;
  const [attested, feePaid, penalised, credited, swept, funded, slashed, fined] = await Promise.all([
    committee.queryFilter(cf.Attested()),
    committee.queryFilter(cf.FeePaid()),
    committee.queryFilter(cf.Penalised()),
    committee.queryFilter(cf.SlashShareCredited()),
    committee.queryFilter(cf.FeesSwept()),
    committee.queryFilter(cf.FeeBudgetFunded()),
    pool.queryFilter(pool.filters.Slashed()),
    pool.queryFilter(pool.filters.NoShowFined()),
  ]);
  for (const r of rounds) {
    const f = await committee.roundFees(r.id);
    const of = <T extends { args: { roundId: bigint } }>(xs: T[]) => xs.filter((e) => e.args.roundId === r.id);
    const forfeited = (await pool.getRoundState(r.id)).forfeited;
    const fromLogs = of(slashed).reduce((a, e) => a + e.args.toTreasury, 0n) + of(fined).reduce((a, e) => a + e.args.amount, 0n);
    if (forfeited !== fromLogs) h.failures.push(`round ${r.id}: forfeited ${forfeited}, Slashed.toTreasury + NoShowFined say ${fromLogs}`);
    for (const sl of of(slashed)) {
      if (sl.args.amount !== r.minStake || sl.args.toVerifiers + sl.args.toTreasury !== sl.args.amount) {
        h.failures.push(`slash ${r.id}:${sl.args.task}:${sl.args.slot}: ${sl.args.amount} = ${sl.args.toVerifiers} + ${sl.args.toTreasury}, minStake ${r.minStake}`);
      }
    }
    const spent = of(feePaid).reduce((a, e) => a + e.args.fee, 0n);
    if (spent !== f.spent) h.failures.push(`round ${r.id}: fees spent ${f.spent}, FeePaid events say ${spent}`);
    const penalties = of(penalised).reduce((a, e) => a + e.args.amount, 0n);
    if (penalties !== f.penalties) h.failures.push(`round ${r.id}: penalties ${f.penalties}, Penalised events say ${penalties}`);
    const fund = of(funded);
    if (fund.length !== 1 || fund[0].args.amount !== f.budget) h.failures.push(`round ${r.id}: FeeBudgetFunded does not match the budget`);
    const sw = of(swept);
    const wantSwept = f.budget - f.spent + f.penalties;
    if (sw.length !== (wantSwept === 0n ? 0 : 1) || (sw.length === 1 && sw[0].args.amount !== wantSwept)) {
      h.failures.push(`round ${r.id}: FeesSwept ${sw.map((e) => e.args.amount).join(",")} for ${wantSwept} unspent + penalties`);
    }
    const revealedBy = (task: bigint, slot: bigint) =>
      new Set(of(attested).filter((e) => e.args.task === task && e.args.slot === slot).map((e) => e.args.verifier));
    for (const e of of(feePaid)) {
      if (!revealedBy(e.args.task, e.args.slot).has(e.args.verifier)) h.failures.push(`fee ${r.id}:${e.args.task}:${e.args.slot}: paid to ${e.args.verifier}, which revealed nothing`);
    }
    for (const sl of of(slashed)) {
      const { task, slot } = sl.args;
      const shares = of(credited).filter((e) => e.args.task === task && e.args.slot === slot);
      const total = shares.reduce((a, e) => a + e.args.amount, 0n);
      if (total !== sl.args.toVerifiers) h.failures.push(`slash ${r.id}:${task}:${slot}: ${sl.args.toVerifiers} to verifiers, ${total} credited`);
      const attesters = revealedBy(task, slot);
      for (const e of shares) if (!attesters.has(e.args.verifier)) h.failures.push(`slash ${r.id}:${task}:${slot}: share to non-attester ${e.args.verifier}`);
    }
  }
  h.slashShares += credited.length;
}

describe("PoNASPool invariant (randomised)", function () {
  this.timeout(120_000);

  // Six episodes: with the sealed attestations' draws, seeds 1–5 alone void no duplicate (seed 6 does).
  const EPISODES = [
    { seed: 0x5eed0001, rounds: 10 },
    { seed: 0x5eed0002, rounds: 10 },
    { seed: 0x5eed0003, rounds: 10 },
    { seed: 0x5eed0004, rounds: 10 },
    { seed: 0x5eed0005, rounds: 10 },
    { seed: 0x5eed0006, rounds: 10 },
  ];

  const outcomes = {
    Slashed: 0,
    forgedSeal: 0,
    unverified: 0,
    DuplicateVoided: 0,
    backupActive: 0,
    TaskDelivered: 0,
    FeePaid: 0,
    Penalised: 0,
    Undecided: 0,
    judgedAtReveal: 0,
    judgedAtEscalation: 0,
    judgedByDecide: 0,
    Escalated: 0,
    escalationCommits: 0,
    decideEscalated: 0,
    NotDrawn: 0,
    WasDrawn: 0,
    penaltySet: 0,
    SlashShareCredited: 0,
    FeesSwept: 0,
    settleCredited: 0,
    SeedNotFixed: 0,
    NoShowFined: 0,
    WindowsExtended: 0,
    paidBelowMedian: 0,
    pausedFixSeed: 0,
  };

  for (const ep of EPISODES) {
    it(`conserves tokens after every transaction over ${ep.rounds} random rounds (seed ${ep.seed.toString(16)})`, async () => {
      const d = await loadFixture(deployPool);
      // six more verifiers (signers the fixture leaves unused), enrolled before the first round, for quorums up to 9
      const extra = (await ethers.getSigners()).slice(14, 14 + VERIFIERS - d.actors.verifiers.length);
      const h = new Harness(d, new Rng(ep.seed), extra);
      expect(h.verifiers.length).to.equal(VERIFIERS);
      for (const v of extra) {
        await (await d.token.connect(d.actors.admin).transfer(v.address, 1000n * TOKEN)).wait();
        await (await d.token.connect(v).approve(d.committeeAddress, ethers.MaxUint256)).wait();
        if (await h.tx("enrol verifier", () => d.committee.connect(d.actors.admin).setVerifier(v.address, true), [])) h.roster.push(v.address);
        await h.tx("extra stakeVerifier", () => d.committee.connect(v).stakeVerifier(MIN_VERIFIER_STAKE), []);
      }
      // the outsider can join the committee later
      await h.tx("outsider stakeVerifier", () => d.committee.connect(d.actors.outsider).stakeVerifier(MIN_VERIFIER_STAKE), []);
      for (const m of d.actors.miners) await h.tx("initial stake", () => d.pool.connect(m).stake(1500n * TOKEN), []);
      const pending: RoundModel[] = [];
      for (let i = 0; i < ep.rounds; i++) await playRound(h, pending);
      await closeEpisode(h, pending);

      const f = d.pool.filters;
      outcomes.Slashed += (await d.pool.queryFilter(f.Slashed())).length;
      outcomes.DuplicateVoided += (await d.pool.queryFilter(f.DuplicateVoided())).length;
      outcomes.FeePaid += h.feesPaid;
      outcomes.forgedSeal += h.forged;
      outcomes.Penalised += h.penalised;
      outcomes.Undecided += h.undecided;
      outcomes.judgedAtReveal += h.judgedAtReveal;
      outcomes.judgedAtEscalation += h.judgedAtEscalation;
      outcomes.judgedByDecide += h.judgedByDecide;
      outcomes.Escalated += h.escalations;
      outcomes.escalationCommits += h.escalationCommits;
      outcomes.decideEscalated += h.escalatedRefusals;
      // (NotDisputed is left out: an undisputed submission is decided by its last drawn reveal, so
      // only one with more drawn seals than the quorum, one of them never opened, refuses it)
      for (const k of ["NotDrawn", "WasDrawn"] as const) outcomes[k] += h.expectedReverts.get(`VerifierCommittee${k}`) ?? 0;
      // every escalation the model saw is one the chain holds
      expect((await d.committee.queryFilter(d.committee.filters.Escalated())).length, "Escalated events").to.equal(h.escalations);
      outcomes.penaltySet += h.penaltySet;
      // every judgement was checked: the events the chain holds are the ones the model saw
      expect((await d.committee.queryFilter(d.committee.filters.FeePaid())).length, "FeePaid events").to.equal(h.feesPaid);
      expect((await d.committee.queryFilter(d.committee.filters.Penalised())).length, "Penalised events").to.equal(h.penalised);
      expect((await d.committee.queryFilter(d.committee.filters.Undecided())).length, "Undecided events").to.equal(h.undecided);
      outcomes.FeesSwept += (await d.committee.queryFilter(d.committee.filters.FeesSwept())).length;
      outcomes.SlashShareCredited += h.slashShares;
      outcomes.backupActive += (await d.pool.queryFilter(f.ActiveChanged())).filter((e) => e.args.slot > 0n && e.args.slot < 9n).length;
      outcomes.unverified += (await d.pool.queryFilter(f.Withdrawn())).filter((e) => e.args.unverified).length;
      outcomes.settleCredited += h.settleCredited;
      outcomes.TaskDelivered += h.expectedReverts.get("PoNASPoolTaskDelivered") ?? 0;
      outcomes.SeedNotFixed += h.expectedReverts.get("PoNASPoolSeedNotFixed") ?? 0;
      outcomes.NoShowFined += h.noShowFines;
      outcomes.WindowsExtended += h.windowsExtended;
      outcomes.paidBelowMedian += h.paidBelowMedian;
      outcomes.pausedFixSeed += h.pausedFixSeed;

      expect(h.failures, h.failures.slice(0, 10).join("\n")).to.deep.equal([]);
      expect(pending.length, "rounds played").to.equal(ep.rounds);
      expect(h.rounds.every((r) => r.seed !== null), "every round's seed fixed").to.equal(true);
      expect(h.checks).to.be.greaterThan(ep.rounds * 10);
      // the generator exercised the interesting paths
      const seen = (n: string) => h.expectedReverts.get(n) ?? 0;
      expect(seen("PoNASPoolNotSampled") + seen("PoNASPoolAlreadyFinal") + seen("VerifierCommitteeAlreadyAttested")).to.be.greaterThan(0);
      // eslint-disable-next-line no-console
      console.log(`      ${h.ok} txs, ${h.checks} invariant checks, reverts: ${JSON.stringify(Object.fromEntries(h.expectedReverts))}, seeds fixed by: ${JSON.stringify(Object.fromEntries(h.seedFixedBy))}, escalations: ${h.escalations} (${h.escalationCommits} commits, ${h.escalatedRefusals} decides refused), drawn commits before the seed: ${h.drawnBeforeSeed}, judgements: ${h.judgedAtReveal} at the last drawn reveal, ${h.judgedAtEscalation} at the last escalation reveal, ${h.judgedByDecide} by decide (${h.undecided} without a verdict), ${h.feesPaid} fees paid, ${h.penalised} penalties`);
    });
  }

  // Outcomes across all seeds: a generator change that stops producing slashes, unverified
  // settlements, duplicates, backups taking over, backups refused for delivered tasks, fees paid,
  // attestation penalties, judgements without a verdict, judgements by the last reveal and by
  // decide(), penalty changes, slash shares, fee sweeps, no-show fees, windows moved by an
  // unpause, claims paid below their verified median or seed requests refused while paused is
  // noticed.
  after(function () {
    if (this.test?.parent?.tests.some((t) => t.state !== "passed")) return;
    // eslint-disable-next-line no-console
    console.log(`      outcomes: ${JSON.stringify(outcomes)}`);
    for (const [k, v] of Object.entries(outcomes)) expect(v, `outcome ${k} never happened`).to.be.greaterThan(0);
  });
});
