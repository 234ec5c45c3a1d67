// The payout audit: recomputes every payout of a round from the pool's event logs alone and compares
// it with what was paid (Withdrawn) or what the contract still owes (the lens's projectedReward),
// plus the round totals (pot, ΣP, paid, forfeited) against contract state. Pure: no I/O, no node:
// imports, so the web app runs it in the browser and the unit tests feed it hand-built rounds.
//
//   pot       = RoundOpened.rewardTotal (slashes and no-show fees never enter it)
//   P_i       = Revealed.p of the submission that counts for its task (a primary's reveal; a backup's
//               ActiveChanged take-over), replaced by Verified.p (0 when fraud); none counts after a
//               DuplicateVoided/ActiveChanged(NO_SLOT). The pool emits P under its payout rule
//               (RewardMath.paidScore), so the audit takes it from the events and does not restate it.
//   ΣP        = Σ P_i of the counting submissions
//   R_i       = floor(P_i · pot / ΣP), or 0 when the submission was sampled but never verified
//               (Withdrawn.unverified; only legitimate when no Verified event exists for it)
//   dust      = pot − Σ floor(P_i · pot / ΣP)
//   fine      = floor(minStake · noShowBps / 10000) for a settled claim that delivered nothing (a
//               primary that never revealed, a backup of a task nothing counts for), else 0: NoShowFined
//   forfeited = Σ Slashed.toTreasury + Σ NoShowFined.amount: the treasury's, swept, never the miners'
//
// The other audit of a round, that its subspaces cover the search space without overlap, is a NAS
// rule: checkPartition in nas/space/partitionCheck.ts.
import type { Address } from "viem";

/** ActiveChanged.slot meaning "no submission counts for this task". */
export const NO_SLOT = 2n ** 256n - 1n;

/** The pool's events as viem decodes them (eventName + args), in chain order. Others are ignored. */
export type PoolEvent =
  // minStake and noShowBps (decoded RoundOpened events carry them) let the audit check each no-show fee
  | { eventName: "RoundOpened"; args: { roundId: bigint; params: { rewardTotal: bigint; minStake?: bigint; noShowBps?: number } } }
  | { eventName: "Claimed"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address } }
  | { eventName: "Revealed"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; p: bigint } }
  | { eventName: "ActiveChanged"; args: { roundId: bigint; task: bigint; slot: bigint; p: bigint; sumP: bigint } }
  | { eventName: "DuplicateVoided"; args: { roundId: bigint; task: bigint; slot: bigint; sumP: bigint } }
  | { eventName: "Verified"; args: { roundId: bigint; task: bigint; slot: bigint; fraud: boolean; p: bigint; sumP: bigint } }
  | { eventName: "Slashed"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; amount: bigint; toVerifiers: bigint; toTreasury: bigint } }
  | { eventName: "NoShowFined"; args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; amount: bigint } }
  | { eventName: "RoundFinalized"; args: { roundId: bigint; pot: bigint; sumP: bigint } }
  | {
      eventName: "Withdrawn";
      args: { roundId: bigint; task: bigint; slot: bigint; miner: Address; p: bigint; reward: bigint; unverified: boolean };
    };

/** The names of the events the audit reads. */
export const AUDITED_EVENTS: ReadonlySet<string> = new Set<PoolEvent["eventName"]>([
  "RoundOpened", "Claimed", "Revealed", "ActiveChanged", "DuplicateVoided", "Verified", "Slashed", "NoShowFined", "RoundFinalized", "Withdrawn",
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
  /** NoShowFined.amount: what this claim paid for delivering nothing (0 when it delivered or is not settled). */
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
  verdict: "pass" | "fail" | "pending";
}

const key = (task: bigint | number, slot: bigint | number) => `${task}:${slot}`;

/** R_i = floor(P · pot / ΣP) (RewardMath.share). */
export function share(p: bigint, pot: bigint, sumP: bigint): bigint {
  return sumP === 0n ? 0n : (p * pot) / sumP;
}

/** NoShowFined.amount for a claim that delivered nothing: floor(minStake · noShowBps / 10000) (PoNASPool.withdraw). */
export function noShowFine(minStake: bigint, noShowBps: number): bigint {
  return (minStake * BigInt(noShowBps)) / 10_000n;
}

/** Recomputes a round's payouts from its events (RoundOpened of the round must be among them, or rewardTotal given). */
export function auditRound(input: { roundId: bigint; events: readonly PoolEvent[]; rewardTotal?: bigint; state?: ContractState }): AuditResult {
  const { roundId } = input;
  const events = input.events.filter((e) => e.args.roundId === roundId);
  let rewardTotal = input.rewardTotal;
  let fineRule: bigint | null = null; // the fee of one no-show, when RoundOpened gives minStake and noShowBps
  const subs = new Map<string, { task: number; slot: number; miner: Address; revealedP: bigint | null; verified: boolean; fraud: boolean; verifiedP: bigint | null; slashed: bigint; fined: bigint }>();
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
        // a primary's reveal makes it count without an ActiveChanged event
        if (e.args.slot === 0n) active.set(s.task, key(e.args.task, 0n));
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
    if (w) {
      if (w.reward !== expected) problems.push(`paid ${w.reward}, expected ${expected}`);
      if (w.p !== p) problems.push(`Withdrawn.p ${w.p} ≠ recomputed P ${p}`);
      if (unverified && s.verified) problems.push("paid as unverified although a Verified event exists");
      // delivered nothing: never revealed, and (a backup) its task has nothing that counts
      const noShow = s.revealedP === null && (s.slot === 0 || !active.get(s.task));
      const fine = fineRule === null ? null : noShow ? fineRule : 0n;
      if (fine !== null && s.fined !== fine) problems.push(`fined ${s.fined}, expected ${fine}${noShow ? " (a no-show)" : ""}`);
    } else if (s.fined !== 0n) {
      problems.push(`fined ${s.fined} before it was settled`);
    } else if (projected !== null && projected !== expected) {
      problems.push(`contract projects ${projected}, expected ${expected}`);
    }
    const note = problems.length
      ? problems.join("; ")
      : s.fraud
        ? "fraud: slashed, paid nothing"
        : unverified
          ? "sampled but not verified: share withheld"
          : !counts
            ? s.revealedP === null
              ? s.fined
                ? "did not deliver: no-show fee to the treasury"
                : "did not reveal"
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
    verdict: !allOk ? "fail" : isFinal ? "pass" : "pending",
  };
}

/** CSV of an audit, one line per submission (amounts in the token's smallest unit). */
export function auditCsv(a: AuditResult): string {
  const head = "round,task,slot,miner,P,counts,verified,fraud,slashed,fined,expected,paid,projected,ok,note";
  const lines = a.rows.map((r) =>
    [a.roundId, r.task, r.slot, r.miner, r.p, r.counts, r.verified, r.fraud, r.slashed, r.fined, r.expected, r.paid ?? "", r.projected ?? "", r.ok ? "ok" : "MISMATCH", `"${r.note.replace(/"/g, '""')}"`].join(","),
  );
  const foot = [`# pot,${a.pot}`, `# sumP,${a.sumP}`, `# dust,${a.dust}`, `# withheld,${a.withheld}`, `# forfeited,${a.forfeited}`, `# verdict,${a.verdict}`];
  return [head, ...lines, ...foot].join("\n") + "\n";
}
