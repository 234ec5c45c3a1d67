// The payout audit: recomputes every payout of a round from the pool's event logs alone and compares
// it with what was paid (Withdrawn) or what the contract still owes (the lens's projectedReward),
// plus the round totals (pot, ΣP, paid, forfeited) against contract state. Pure: no I/O, no node:
// imports, so the web app runs it in the browser and the unit tests feed it hand-built rounds.
//
//   pot       = RoundOpened.rewardTotal (slashes and no-show fees never enter it)
//   P_i       = Revealed.p of the submission that counts for its task (a primary's reveal with P > 0;
//               a backup's ActiveChanged take-over; a reveal with P = 0 never counts), replaced by
//               Verified.p (0 when fraud); none counts after a DuplicateVoided/ActiveChanged(NO_SLOT).
//               The pool emits P under its payout rule
//               (RewardMath.paidScore), so the audit takes it from the events and does not restate it.
//   ΣP        = Σ P_i of the counting submissions
//   R_i       = floor(P_i · pot / ΣP), or 0 when the submission was sampled but never verified
//               (Withdrawn.unverified; only legitimate when no Verified event exists for it)
//   dust      = pot − Σ floor(P_i · pot / ΣP)
//   seal      = with `seals` (chain and pool) given: a Verified whose weightsDigest (the committee's
//               agreed digest, 0 if none) does not open the Revealed.weightsSeal (its first 4
//               bytes, which the pool keeps) must be fraud (WeightsSeal, chain/seals.ts)
//   fine      = floor(minStake · noShowBps / 10000) for a settled claim that delivered nothing: one
//               whose recomputed P_i is 0 (never revealed, revealed with P = 0, voided as a duplicate;
//               not a slashed one) that is its task's primary or whose task nothing counts for; else 0:
//               NoShowFined
//   forfeited = Σ Slashed.toTreasury + Σ NoShowFined.amount: the treasury's, swept, never the miners'
//
// The verifiers' side, from the committee's events (auditVerifiers): each decided submission's
// sealed attestations (AttestationCommitted, then Attested: score and weights digest) are judged
// again under VerifierCommittee's rule and compared with what it paid and took:
//   verdict   = at least `quorum` revealed: median of the revealed scores (= Verified.medianBps); else Undecided
//   agreed    = the non-zero digest revealed most often, if at least twice and strictly most often
//   winner    = revealed, |score − median| ≤ toleranceBps, digest ∈ {agreed, 0} (or no agreed digest)
//   fee       = FeePaid to a winner whose digest is the agreed one (every winner when none is agreed):
//               min(verifierFee, budget left), in chain order, from FeeBudgetFunded
//   penalty   = Penalised for a committer that never revealed, and (with a verdict) for every
//               revealed non-winner: at most the penalty in force (PenaltySet, or `penalty` given)
//   share     = SlashShareCredited: Slashed.toVerifiers / winners to each winner of a fraud verdict
//
// The other audit of a round, that its subspaces cover the search space without overlap, is a NAS
// rule: checkPartition in nas/space/partitionCheck.ts.
import { maxUint256, type Address, type Hex } from "viem";
import { weightsSeal } from "./seals.js";

/** ActiveChanged.slot meaning "no submission counts for this task". */
export const NO_SLOT = 2n ** 256n - 1n;

/** The pool's events as viem decodes them (eventName + args), in chain order. Others are ignored. */
export type PoolEvent =
  // minStake and noShowBps (decoded RoundOpened events carry them) let the audit check each no-show
  // fee; quorum, toleranceBps, verifierFee and feeBudget each verifier's fee and penalty
  | {
      eventName: "RoundOpened";
      args: { roundId: bigint; params: { rewardTotal: bigint; minStake?: bigint; noShowBps?: number; quorum?: number; toleranceBps?: number; verifierFee?: bigint; feeBudget?: bigint } };
    }
  | { eventName: "Claimed"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address } }
  | { eventName: "Revealed"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; p: bigint; weightsSeal?: Hex } }
  | { eventName: "ActiveChanged"; args: { roundId: bigint; task: bigint; slot: bigint; p: bigint; sumP: bigint } }
  | { eventName: "DuplicateVoided"; args: { roundId: bigint; task: bigint; slot: bigint; sumP: bigint } }
  | { eventName: "Verified"; args: { roundId: bigint; task: bigint; slot: bigint; medianBps?: bigint; fraud: boolean; p: bigint; sumP: bigint; weightsDigest?: Hex } }
  | { eventName: "Slashed"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; amount: bigint; toVerifiers: bigint; toTreasury: bigint } }
  | { eventName: "NoShowFined"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; amount: bigint } }
  | { eventName: "RoundFinalized"; args: { roundId: bigint; pot: bigint; sumP: bigint } }
  | {
      eventName: "Withdrawn";
      args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; p: bigint; reward: bigint; unverified: boolean };
    }
  // the committee's
  | { eventName: "FeeBudgetFunded"; args: { roundId: bigint; amount: bigint } }
  | { eventName: "AttestationCommitted"; args: { roundId: bigint; task: bigint; slot: bigint; verifier: Address } }
  | { eventName: "Attested"; args: { roundId: bigint; task: bigint; slot: bigint; verifier: Address; scoreBps: bigint; weightsDigest: Hex } }
  | { eventName: "FeePaid"; args: { roundId: bigint; task: bigint; slot: bigint; verifier: Address; fee: bigint } }
  | { eventName: "Penalised"; args: { roundId: bigint; task: bigint; slot: bigint; verifier: Address; amount: bigint } }
  | { eventName: "SlashShareCredited"; args: { roundId: bigint; task: bigint; slot: bigint; verifier: Address; amount: bigint } }
  | { eventName: "Undecided"; args: { roundId: bigint; task: bigint; slot: bigint } }
  // not a round's: the penalty in force from then on (kept whatever its round)
  | { eventName: "PenaltySet"; args: { amount: bigint } };

/** The names of the events the audit reads. */
export const AUDITED_EVENTS: ReadonlySet<string> = new Set<PoolEvent["eventName"]>([
  "RoundOpened", "Claimed", "Revealed", "ActiveChanged", "DuplicateVoided", "Verified", "Slashed", "NoShowFined", "RoundFinalized", "Withdrawn",
  "FeeBudgetFunded", "AttestationCommitted", "Attested", "FeePaid", "Penalised", "SlashShareCredited", "Undecided", "PenaltySet",
]);

/** The audited events out of all of a round's decoded events (e.g. readRoundDetail's, getPoolEvents'), in order. */
export function auditedEvents<L extends { eventName: string }>(logs: readonly L[]): Extract<L, { eventName: PoolEvent["eventName"] }>[] {
  return logs.filter((l): l is Extract<L, { eventName: PoolEvent["eventName"] }> => AUDITED_EVENTS.has(l.eventName));
}

/** What the contract says now, to compare with: getRoundState and the lens's projectedReward per open submission. */
export interface ContractState {
  finalized: boolean;
  paid: bigint;
  /** RoundState.forfeited: slashed stake (less the verifiers' share) and no-show fees. */
  forfeited: bigint;
  sumP: bigint;
  /** lens.projectedReward(round, task, slot) of submissions not yet settled, keyed `${task}:${slot}`. */
  projected?: Record<string, bigint>;
  /** The committee's roundFees(round): its fee budget, what was paid of it, the penalties taken. */
  fees?: { budget: bigint; spent: bigint; penalties: bigint };
}

export interface AuditRow {
  task: number;
  slot: number;
  miner: Address;
  /** P this submission holds in ΣP (0 when it does not count). */
  p: bigint;
  counts: boolean;
  verified: boolean;
  fraud: boolean;
  slashed: bigint;
  /** NoShowFined.amount: what this claim paid for delivering nothing, P = 0 (0 when it delivered or is not settled). */
  fined: bigint;
  unverified: boolean;
  /** floor(P · pot / ΣP), or 0 when not counting / unverified. */
  expected: bigint;
  /** Withdrawn.reward, or null while the submission is not settled. */
  paid: bigint | null;
  /** The lens's projectedReward for an unsettled submission, when given. */
  projected: bigint | null;
  ok: boolean;
  note: string;
}

export interface MinerSummary {
  miner: Address;
  submissions: number;
  expected: bigint;
  paid: bigint;
  slashed: bigint;
  fined: bigint;
  ok: boolean;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface AuditResult {
  roundId: bigint;
  rewardTotal: bigint;
  /** Σ Slashed.toTreasury + Σ NoShowFined.amount: the treasury's (RoundState.forfeited). */
  forfeited: bigint;
  pot: bigint;
  sumP: bigint;
  finalized: boolean;
  rows: AuditRow[];
  miners: MinerSummary[];
  totalExpected: bigint;
  totalPaid: bigint;
  /** Rounding dust: pot − Σ floor(P_i · pot / ΣP) over every counting submission. */
  dust: bigint;
  /** Shares withheld from sampled-but-unverified submissions (go to the treasury by sweep). */
  withheld: bigint;
  checks: Check[];
  /** The verifiers' fees, penalties and slash shares re-judged from the committee's events; null when the round has no attestations. */
  verifiers: VerifierAudit | null;
  verdict: "pass" | "fail" | "pending";
}

const key = (task: bigint | number, slot: bigint | number) => `${task}:${slot}`;

/** R_i = floor(P · pot / ΣP) (RewardMath.share). */
export function share(p: bigint, pot: bigint, sumP: bigint): bigint {
  return sumP === 0n ? 0n : (p * pot) / sumP;
}

/** NoShowFined.amount for a claim that delivered nothing (P = 0): floor(minStake · noShowBps / 10000) (PoNASPool.withdraw). */
export function noShowFine(minStake: bigint, noShowBps: number): bigint {
  return (minStake * BigInt(noShowBps)) / 10_000n;
}

/** Recomputes a round's payouts from its events (RoundOpened of the round must be among them, or rewardTotal given). */
export function auditRound(input: {
  roundId: bigint;
  events: readonly PoolEvent[];
  rewardTotal?: bigint;
  state?: ContractState;
  penalty?: bigint;
  /** The chain and pool the events come from: then each verdict is checked against the miner's weights seal. */
  seals?: { chainId: number | bigint; pool: Address };
}): AuditResult {
  const { roundId } = input;
  const events = input.events.filter((e) => e.eventName !== "PenaltySet" && e.args.roundId === roundId);
  let rewardTotal = input.rewardTotal;
  let fineRule: bigint | null = null; // the fee of one no-show, when RoundOpened gives minStake and noShowBps
  const subs = new Map<string, { task: number; slot: number; miner: Address; revealedP: bigint | null; verified: boolean; fraud: boolean; verifiedP: bigint | null; slashed: bigint; fined: bigint; seal?: Hex; agreed?: Hex }>();
  const active = new Map<number, string | null>(); // task → counting submission key
  const withdrawn = new Map<string, Extract<PoolEvent, { eventName: "Withdrawn" }>["args"]>();
  let forfeited = 0n;
  let finalized: { pot: bigint; sumP: bigint } | null = null;
  let lastSumP: bigint | null = null;

  const sub = (task: bigint, slot: bigint, miner?: Address) => {
    const k = key(task, slot);
    let s = subs.get(k);
    if (!s) {
      s = { task: Number(task), slot: Number(slot), miner: miner ?? ("0x" as Address), revealedP: null, verified: false, fraud: false, verifiedP: null, slashed: 0n, fined: 0n };
      subs.set(k, s);
    } else if (miner && s.miner === "0x") s.miner = miner;
    return s;
  };

  for (const e of events) {
    switch (e.eventName) {
      case "RoundOpened": {
        const { rewardTotal: r, minStake, noShowBps } = e.args.params;
        rewardTotal = r;
        if (minStake !== undefined && noShowBps !== undefined) fineRule = noShowFine(minStake, noShowBps);
        break;
      }
      case "Claimed":
        sub(e.args.task, e.args.slot, e.args.miner);
        break;
      case "Revealed": {
        const s = sub(e.args.task, e.args.slot, e.args.miner);
        s.revealedP = e.args.p;
        s.seal = e.args.weightsSeal;
        // a primary's reveal with P > 0 makes it count without an ActiveChanged event; P = 0 never counts
        if (e.args.slot === 0n && e.args.p !== 0n) active.set(s.task, key(e.args.task, 0n));
        break;
      }
      case "ActiveChanged":
        active.set(Number(e.args.task), e.args.slot === NO_SLOT ? null : key(e.args.task, e.args.slot));
        lastSumP = e.args.sumP;
        break;
      case "DuplicateVoided":
        lastSumP = e.args.sumP;
        break;
      case "Verified": {
        const s = sub(e.args.task, e.args.slot);
        s.verified = true;
        s.fraud = e.args.fraud;
        s.verifiedP = e.args.p;
        s.agreed = e.args.weightsDigest;
        lastSumP = e.args.sumP;
        break;
      }
      case "Slashed": {
        sub(e.args.task, e.args.slot, e.args.miner).slashed += e.args.amount;
        forfeited += e.args.toTreasury;
        break;
      }
      case "NoShowFined": {
        sub(e.args.task, e.args.slot, e.args.miner).fined += e.args.amount;
        forfeited += e.args.amount;
        break;
      }
      case "RoundFinalized":
        finalized = { pot: e.args.pot, sumP: e.args.sumP };
        break;
      case "Withdrawn":
        sub(e.args.task, e.args.slot, e.args.miner);
        withdrawn.set(key(e.args.task, e.args.slot), e.args);
        break;
    }
  }
  if (rewardTotal === undefined) throw new Error(`round ${roundId}: no RoundOpened event and no rewardTotal given`);

  const pot = rewardTotal;
  const countingKeys = new Set([...active.values()].filter((k): k is string => k !== null));
  // The no-show fee's rule (PoNASPool._settle): a settled claim that holds no P (never revealed,
  // revealed with P = 0, voided as a duplicate) pays it as its task's primary, or as a backup when
  // nothing counts for its task. A slashed claim pays its slash instead (its stake is not released).
  const deliveredNothing = (s: { task: number; slot: number; fraud: boolean }, p: bigint) =>
    p === 0n && !s.fraud && (s.slot === 0 || !active.get(s.task));
  const pOf = (k: string) => {
    const s = subs.get(k)!;
    if (s.fraud) return 0n;
    return s.verifiedP ?? s.revealedP ?? 0n;
  };
  let sumP = 0n;
  for (const k of countingKeys) sumP += pOf(k);

  const rows: AuditRow[] = [];
  let dust = pot;
  let withheld = 0n;
  const sorted = [...subs.entries()].sort(([, a], [, b]) => a.task - b.task || a.slot - b.slot);
  for (const [k, s] of sorted) {
    const counts = countingKeys.has(k);
    const p = counts ? pOf(k) : 0n;
    const w = withdrawn.get(k);
    const unverified = w?.unverified ?? false;
    const fullShare = counts ? share(p, pot, sumP) : 0n;
    const expected = unverified ? 0n : fullShare;
    dust -= fullShare;
    if (unverified) withheld += fullShare;
    const projected = w ? null : (input.state?.projected?.[k] ?? null);
    const problems: string[] = [];
    const forged = sealContradicted(s, input.seals, roundId);
    if (forged && !s.fraud) problems.push("the agreed weights digest does not open the miner's weights seal, yet the verdict is not fraud");
    if (w) {
      if (w.reward !== expected) problems.push(`paid ${w.reward}, expected ${expected}`);
      if (w.p !== p) problems.push(`Withdrawn.p ${w.p} ≠ recomputed P ${p}`);
      if (unverified && s.verified) problems.push("paid as unverified although a Verified event exists");
      const noShow = deliveredNothing(s, p);
      const fine = fineRule === null ? null : noShow ? fineRule : 0n;
      if (fine !== null && s.fined !== fine) problems.push(`fined ${s.fined}, expected ${fine}${noShow ? ` (${s.revealedP === null ? "a no-show" : "it delivered nothing"})` : ""}`);
    } else if (s.fined !== 0n) {
      problems.push(`fined ${s.fined} before it was settled`);
    } else if (projected !== null && projected !== expected) {
      problems.push(`contract projects ${projected}, expected ${expected}`);
    }
    const note = problems.length
      ? problems.join("; ")
      : s.fraud
        ? forged
          ? "fraud: its weights seal does not open to the re-trainings' agreed digest; slashed, paid nothing"
          : "fraud: slashed, paid nothing"
        : unverified
          ? "sampled but not verified: share withheld"
          : !counts
            ? s.revealedP === null
              ? s.fined
                ? "did not deliver: no-show fee to the treasury"
                : "did not reveal"
              : s.fined
                ? "revealed but counts for nothing (P = 0 or a voided duplicate): no-show fee to the treasury"
                : "does not count for its task"
            : w
              ? "paid as recomputed"
              : finalized
                ? "not withdrawn yet"
                : "round not finalised";
    rows.push({
      task: s.task,
      slot: s.slot,
      miner: s.miner,
      p,
      counts,
      verified: s.verified,
      fraud: s.fraud,
      slashed: s.slashed,
      fined: s.fined,
      unverified,
      expected,
      paid: w ? w.reward : null,
      projected,
      ok: problems.length === 0,
      note,
    });
  }
  if (sumP === 0n) dust = 0n; // nothing to share: the whole pot goes back by sweep

  const byMiner = new Map<Address, MinerSummary>();
  for (const r of rows) {
    const m = byMiner.get(r.miner) ?? { miner: r.miner, submissions: 0, expected: 0n, paid: 0n, slashed: 0n, fined: 0n, ok: true };
    m.submissions++;
    m.expected += r.expected;
    m.paid += r.paid ?? 0n;
    m.slashed += r.slashed;
    m.fined += r.fined;
    m.ok &&= r.ok;
    byMiner.set(r.miner, m);
  }

  const totalExpected = rows.reduce((a, r) => a + r.expected, 0n);
  const totalPaid = rows.reduce((a, r) => a + (r.paid ?? 0n), 0n);
  const checks: Check[] = [];
  if (finalized) {
    checks.push({ name: "pot = rewardTotal", ok: finalized.pot === pot, detail: `RoundFinalized.pot ${finalized.pot}, recomputed ${pot}` });
    checks.push({ name: "ΣP from reveals, take-overs and verifications", ok: finalized.sumP === sumP, detail: `RoundFinalized.sumP ${finalized.sumP}, recomputed ${sumP}` });
  } else if (lastSumP !== null) {
    checks.push({ name: "ΣP from reveals, take-overs and verifications", ok: true, detail: `recomputed ${sumP} (last event ΣP ${lastSumP})` });
  }
  checks.push({ name: "payouts never exceed the pot", ok: totalPaid <= pot && totalExpected <= pot, detail: `expected ${totalExpected}, paid ${totalPaid}, pot ${pot}` });
  checks.push({ name: "every settled payout matches R_i = P_i / ΣP × pot", ok: rows.every((r) => r.ok), detail: `${rows.filter((r) => r.ok).length}/${rows.length} submissions ✓` });
  if (input.state) {
    const st = input.state;
    checks.push({ name: "contract paid = Σ Withdrawn.reward", ok: st.paid === totalPaid, detail: `state ${st.paid}, logs ${totalPaid}` });
    checks.push({ name: "contract forfeited = Σ Slashed.toTreasury + Σ NoShowFined.amount", ok: st.forfeited === forfeited, detail: `state ${st.forfeited}, logs ${forfeited}` });
    checks.push({ name: "contract ΣP = recomputed ΣP", ok: st.sumP === sumP, detail: `state ${st.sumP}, logs ${sumP}` });
  }
  const verifiers = auditVerifiers({ roundId, events: input.events, penalty: input.penalty, fees: input.state?.fees });
  if (verifiers) checks.push(...verifiers.checks);
  const allOk = checks.every((c) => c.ok);
  const isFinal = finalized !== null || input.state?.finalized === true;
  return {
    roundId,
    rewardTotal,
    forfeited,
    pot,
    sumP,
    finalized: isFinal,
    rows,
    miners: [...byMiner.values()],
    totalExpected,
    totalPaid,
    dust,
    withheld,
    checks,
    verifiers,
    verdict: !allOk ? "fail" : isFinal ? "pass" : "pending",
  };
}

/** CSV of an audit, one line per submission (amounts in the token's smallest unit). */
/** Whether a verdict's agreed digest fails to open the miner's revealed seal (false when either is unknown or no digest was agreed). */
function sealContradicted(s: { task: number; slot: number; miner: Address; seal?: Hex; agreed?: Hex }, seals: { chainId: number | bigint; pool: Address } | undefined, roundId: bigint): boolean {
  if (!seals || !s.seal || !s.agreed || BigInt(s.agreed) === 0n || s.miner === "0x") return false;
  // the pool keeps and compares the seal's first 4 bytes (Submission.weightsSeal)
  const expected = weightsSeal({ ...seals, roundId, task: BigInt(s.task), miner: s.miner, weightsDigest: s.agreed });
  return expected.slice(0, 10).toLowerCase() !== s.seal.slice(0, 10).toLowerCase();
}

export function auditCsv(a: AuditResult): string {
  const head = "round,task,slot,miner,P,counts,verified,fraud,slashed,fined,expected,paid,projected,ok,note";
  const lines = a.rows.map((r) =>
    [a.roundId, r.task, r.slot, r.miner, r.p, r.counts, r.verified, r.fraud, r.slashed, r.fined, r.expected, r.paid ?? "", r.projected ?? "", r.ok ? "ok" : "MISMATCH", `"${r.note.replace(/"/g, '""')}"`].join(","),
  );
  const foot = [`# pot,${a.pot}`, `# sumP,${a.sumP}`, `# dust,${a.dust}`, `# withheld,${a.withheld}`, `# forfeited,${a.forfeited}`, `# verdict,${a.verdict}`];
  return [head, ...lines, ...foot].join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------
// Verifiers
// ---------------------------------------------------------------------------------------------

export interface VerifierAuditRow {
  task: number;
  slot: number;
  verifier: Address;
  revealed: boolean;
  scoreBps: number | null;
  weightsDigest: Hex | null;
  /** Whether the submission was decided (a verdict or Undecided). */
  decided: boolean;
  /** On the winning side of a verdict (within the tolerance of the median, digest not contradicted). */
  winner: boolean;
  expectedFee: bigint;
  fee: bigint;
  /** Whether the committee's rule takes a penalty here. */
  penalised: boolean;
  penalty: bigint;
  expectedSlashShare: bigint;
  slashShare: bigint;
  ok: boolean;
  note: string;
}

export interface VerifierSummary {
  verifier: Address;
  attestations: number;
  fees: bigint;
  penalties: bigint;
  slashShares: bigint;
  ok: boolean;
}

export interface VerifierAudit {
  rows: VerifierAuditRow[];
  /** Members penalised for withholding their secret of the round's randomness beacon (Penalised on task = slot = 2^256 − 1): paid no fee in the round from then on. */
  beaconNoShows: { verifier: Address; penalty: bigint }[];
  verifiers: VerifierSummary[];
  budget: bigint | null;
  totalFees: bigint;
  totalPenalties: bigint;
  totalSlashShares: bigint;
  checks: Check[];
}

/** The median of the committee (Sampling.median): the middle value, or the floor of the two middle ones' mean. */
export function medianBps(scores: readonly number[]): number {
  const v = [...scores].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 === 1 ? v[(n - 1) / 2] : Math.floor((v[n / 2 - 1] + v[n / 2]) / 2);
}

const ZERO: Hex = `0x${"00".repeat(32)}`;
const isZero = (d: Hex) => BigInt(d) === 0n;

/** The agreed weights digest (Sampling.agreedDigest): the non-zero digest seen most often, at least twice and strictly most; else 0. */
export function agreedDigest(digests: readonly Hex[]): Hex {
  const count = new Map<string, number>();
  for (const d of digests) if (!isZero(d)) count.set(d.toLowerCase(), (count.get(d.toLowerCase()) ?? 0) + 1);
  let best = 0;
  let agreed: string | null = null;
  let tie = false;
  for (const [d, c] of count) {
    if (c > best) [best, agreed, tie] = [c, d, false];
    else if (c === best) tie = true;
  }
  return best < 2 || tie || agreed === null ? ZERO : (agreed as Hex);
}

/**
 * Re-judges the round's attestations from the committee's events (see the file header) and
 * compares with FeePaid, Penalised and SlashShareCredited; null when the round has none.
 */
export function auditVerifiers(input: { roundId: bigint; events: readonly PoolEvent[]; penalty?: bigint; fees?: ContractState["fees"] }): VerifierAudit | null {
  const { roundId } = input;
  let rules: { quorum: number; toleranceBps: number; verifierFee: bigint } | null = null;
  let budget: bigint | null = null;
  let penaltyRate = input.penalty ?? null;
  let spent = 0n; // recomputed, in chain order
  interface Att { verifier: Address; revealed: boolean; score: number; digest: Hex; fee: bigint; penalty: bigint; penalties: number; share: bigint }
  interface Slot { task: number; slot: number; list: Att[]; decided: boolean; expected: Map<string, { fee: bigint; penalised: boolean; winner: boolean; share: bigint }>; problems: string[]; median: number | null; winners: Att[] }
  const slots = new Map<string, Slot>();
  const slotOf = (task: bigint, slot: bigint) => {
    const k = key(task, slot);
    let s = slots.get(k);
    if (!s) slots.set(k, (s = { task: Number(task), slot: Number(slot), list: [], decided: false, expected: new Map(), problems: [], median: null, winners: [] }));
    return s;
  };
  const lower = (a: Address) => a.toLowerCase();
  const attOf = (s: Slot, v: Address) => s.list.find((a) => lower(a.verifier) === lower(v));
  let any = false;
  // VerifierCommittee.penaliseBeaconNoShow: on no submission, and no fee in the round after it
  const beaconNoShows: { verifier: Address; penalty: bigint }[] = [];
  const beaconProblems: string[] = [];
  const noFee = new Set<string>();

  /** Judges a submission as the committee's _decide does, once, when its first decision event arrives. */
  const judge = (s: Slot) => {
    if (s.decided) return;
    s.decided = true;
    if (!rules) return void s.problems.push("no RoundOpened event: the round's quorum, tolerance and fee are unknown");
    const revealed = s.list.filter((a) => a.revealed);
    const verdict = revealed.length >= rules.quorum && revealed.length > 0;
    const med = verdict ? medianBps(revealed.map((a) => a.score)) : null;
    s.median = med;
    const agreed = agreedDigest(revealed.map((a) => a.digest));
    for (const a of s.list) {
      let winner = false;
      let fee = 0n;
      if (a.revealed && med !== null) {
        const near = Math.abs(a.score - med) <= rules.toleranceBps;
        const digestOk = isZero(agreed) || lower(a.digest) === agreed || isZero(a.digest);
        winner = near && digestOk;
        if (winner && !noFee.has(lower(a.verifier)) && (isZero(agreed) || lower(a.digest) === agreed)) {
          const left = budget === null ? rules.verifierFee : budget - spent;
          fee = rules.verifierFee < left ? rules.verifierFee : left;
          spent += fee;
        }
      }
      if (winner) s.winners.push(a);
      const penalised = !winner && (!a.revealed || verdict) && penaltyRate !== 0n;
      s.expected.set(lower(a.verifier), { fee, penalised, winner, share: 0n });
    }
  };

  for (const e of input.events) {
    if (e.eventName === "PenaltySet") {
      if (input.penalty === undefined) penaltyRate = e.args.amount;
      continue;
    }
    if (e.args.roundId !== roundId) continue;
    switch (e.eventName) {
      case "RoundOpened": {
        const p = e.args.params;
        if (p.quorum !== undefined && p.toleranceBps !== undefined && p.verifierFee !== undefined) rules = { quorum: p.quorum, toleranceBps: p.toleranceBps, verifierFee: p.verifierFee };
        if (p.feeBudget !== undefined) budget = p.feeBudget;
        break;
      }
      case "FeeBudgetFunded":
        budget = e.args.amount;
        break;
      case "AttestationCommitted": {
        any = true;
        const s = slotOf(e.args.task, e.args.slot);
        if (s.decided) s.problems.push(`${e.args.verifier} committed after the submission was decided`);
        else if (attOf(s, e.args.verifier)) s.problems.push(`${e.args.verifier} committed twice`);
        else s.list.push({ verifier: e.args.verifier, revealed: false, score: 0, digest: ZERO, fee: 0n, penalty: 0n, penalties: 0, share: 0n });
        break;
      }
      case "Attested": {
        const s = slotOf(e.args.task, e.args.slot);
        const a = attOf(s, e.args.verifier);
        if (!a || a.revealed || s.decided) s.problems.push(`${e.args.verifier} revealed without an open commitment`);
        else Object.assign(a, { revealed: true, score: Number(e.args.scoreBps), digest: e.args.weightsDigest });
        break;
      }
      case "FeePaid": {
        const s = slotOf(e.args.task, e.args.slot);
        judge(s);
        const a = attOf(s, e.args.verifier);
        if (!a) s.problems.push(`fee paid to ${e.args.verifier}, which did not attest`);
        else a.fee += e.args.fee;
        break;
      }
      case "Penalised": {
        if (e.args.task === maxUint256 && e.args.slot === maxUint256) {
          beaconNoShows.push({ verifier: e.args.verifier, penalty: e.args.amount });
          if (noFee.has(lower(e.args.verifier))) beaconProblems.push(`${e.args.verifier} penalised twice as a beacon no-show`);
          if (penaltyRate !== null && e.args.amount > penaltyRate) beaconProblems.push(`${e.args.verifier} penalised ${e.args.amount} as a beacon no-show, above the penalty ${penaltyRate}`);
          noFee.add(lower(e.args.verifier));
          break;
        }
        const s = slotOf(e.args.task, e.args.slot);
        judge(s);
        const a = attOf(s, e.args.verifier);
        if (!a) s.problems.push(`${e.args.verifier} penalised without attesting`);
        else {
          a.penalty += e.args.amount;
          a.penalties++;
          if (penaltyRate !== null && e.args.amount > penaltyRate) s.problems.push(`${e.args.verifier} penalised ${e.args.amount}, above the penalty ${penaltyRate}`);
        }
        break;
      }
      case "Undecided":
      case "Verified": {
        const s = slotOf(e.args.task, e.args.slot);
        if (e.eventName === "Verified" && s.list.length === 0) break; // a verdict without attestations in these events: not the committee's to audit here
        judge(s);
        if (e.eventName === "Verified" && e.args.medianBps !== undefined && s.median !== null && Number(e.args.medianBps) !== s.median) {
          s.problems.push(`Verified.medianBps ${e.args.medianBps} ≠ the median of the revealed scores ${s.median}`);
        }
        if (e.eventName === "Verified" && s.median === null && rules) s.problems.push("a verdict with fewer than quorum reveals");
        if (e.eventName === "Undecided" && s.median !== null) s.problems.push("undecided although quorum was revealed");
        break;
      }
      case "Slashed": {
        const s = slots.get(key(e.args.task, e.args.slot));
        if (!s || s.winners.length === 0) break;
        const each = e.args.toVerifiers / BigInt(s.winners.length);
        for (const w of s.winners) s.expected.get(lower(w.verifier))!.share = each;
        break;
      }
      case "SlashShareCredited": {
        const s = slotOf(e.args.task, e.args.slot);
        const a = attOf(s, e.args.verifier);
        if (!a) s.problems.push(`slash share to ${e.args.verifier}, which did not attest`);
        else a.share += e.args.amount;
        break;
      }
    }
  }
  if (!any && beaconNoShows.length === 0) return null;

  const rows: VerifierAuditRow[] = [];
  const sorted = [...slots.values()].sort((a, b) => a.task - b.task || a.slot - b.slot);
  for (const s of sorted) {
    for (const a of s.list) {
      const x = s.expected.get(lower(a.verifier)) ?? { fee: 0n, penalised: false, winner: false, share: 0n };
      const problems = [...s.problems];
      if (a.fee !== x.fee) problems.push(`fee ${a.fee}, expected ${x.fee}`);
      if (x.penalised !== a.penalties > 0) problems.push(x.penalised ? "not penalised, though the rule takes a penalty" : "penalised, though the rule takes none");
      if (a.penalties > 1) problems.push(`penalised ${a.penalties} times`);
      if (a.share !== x.share) problems.push(`slash share ${a.share}, expected ${x.share}`);
      const note = problems.length
        ? problems.join("; ")
        : !s.decided
          ? a.revealed
            ? "revealed; not decided yet"
            : "committed; not revealed yet"
          : !a.revealed
            ? "never revealed: penalised"
            : x.winner
              ? x.fee > 0n
                ? "agrees and proved the work: paid"
                : a.fee === 0n && isZero(a.digest)
                  ? "agrees, score only (digest 0): no fee"
                  : "agrees: no fee left in the budget"
              : x.penalised
                ? "off the median or a contradicted digest: penalised"
                : "no verdict (fewer than quorum revealed)";
      rows.push({
        task: s.task,
        slot: s.slot,
        verifier: a.verifier,
        revealed: a.revealed,
        scoreBps: a.revealed ? a.score : null,
        weightsDigest: a.revealed ? a.digest : null,
        decided: s.decided,
        winner: x.winner,
        expectedFee: x.fee,
        fee: a.fee,
        penalised: a.penalties > 0,
        penalty: a.penalty,
        expectedSlashShare: x.share,
        slashShare: a.share,
        ok: problems.length === 0,
        note,
      });
    }
    if (s.list.length === 0 && s.problems.length) {
      rows.push({ task: s.task, slot: s.slot, verifier: "0x0000000000000000000000000000000000000000", revealed: false, scoreBps: null, weightsDigest: null, decided: s.decided, winner: false, expectedFee: 0n, fee: 0n, penalised: false, penalty: 0n, expectedSlashShare: 0n, slashShare: 0n, ok: false, note: s.problems.join("; ") });
    }
  }
  const byVerifier = new Map<string, VerifierSummary>();
  for (const r of rows) {
    const v = byVerifier.get(lower(r.verifier)) ?? { verifier: r.verifier, attestations: 0, fees: 0n, penalties: 0n, slashShares: 0n, ok: true };
    v.attestations++;
    v.fees += r.fee;
    v.penalties += r.penalty;
    v.slashShares += r.slashShare;
    v.ok &&= r.ok;
    byVerifier.set(lower(r.verifier), v);
  }
  const totalFees = rows.reduce((t, r) => t + r.fee, 0n);
  for (const n of beaconNoShows) {
    const v = byVerifier.get(lower(n.verifier)) ?? { verifier: n.verifier, attestations: 0, fees: 0n, penalties: 0n, slashShares: 0n, ok: true };
    v.penalties += n.penalty;
    byVerifier.set(lower(n.verifier), v);
  }
  const totalPenalties = rows.reduce((t, r) => t + r.penalty, 0n) + beaconNoShows.reduce((t, n) => t + n.penalty, 0n);
  const totalSlashShares = rows.reduce((t, r) => t + r.slashShare, 0n);
  const checks: Check[] = [
    { name: "every verifier fee, penalty and slash share follows the committee's rule", ok: rows.every((r) => r.ok), detail: `${rows.filter((r) => r.ok).length}/${rows.length} attestations ✓` },
  ];
  if (beaconNoShows.length > 0) {
    checks.push({ name: "each beacon no-show penalised once, at most the penalty, and paid no fee after it", ok: beaconProblems.length === 0, detail: beaconProblems.join("; ") || `${beaconNoShows.length} no-show(s)` });
  }
  if (budget !== null) checks.push({ name: "verifier fees never exceed the fee budget", ok: totalFees <= budget, detail: `Σ FeePaid ${totalFees}, budget ${budget}` });
  if (input.fees) {
    checks.push({ name: "committee spent = Σ FeePaid", ok: input.fees.spent === totalFees, detail: `state ${input.fees.spent}, logs ${totalFees}` });
    checks.push({ name: "committee penalties = Σ Penalised", ok: input.fees.penalties === totalPenalties, detail: `state ${input.fees.penalties}, logs ${totalPenalties}` });
  }
  return { rows, beaconNoShows, verifiers: [...byVerifier.values()], budget, totalFees, totalPenalties, totalSlashShares, checks };
}
