// A round as everyone reads it — the manager's status, the miner, the oracle, the demo and the web
// app's pages: its parameters and state, the one Phase by chain time, and (readRoundDetail) every
// task with its slots, their decoded submission, sampling, revealed genome, projected and paid
// reward, plus the round's event log for the audit. The pool's raw getters give parameters, state
// and submissions; its lens (pool.lens()) the derived views: backupRevealStart, projectedReward,
// isSampled, backupsAllowed, and the verify window's phases (challengeEnd, attestPhases). Each
// sampled slot carries its sealed attestations (who committed when, what each revealed, the fee it
// was paid or the penalty it lost) from the committee's events, and whether it was decided.
// Browser-safe: the app runs it through the public client wagmi gives it. Words for subspaces and
// genomes are the caller's (nas/space).
import type { Address, Hex, PublicClient } from "viem";
import { poNASLensAbi, poNASPoolAbi, verifierCommitteeAbi } from "../../deployments/abi.js";
import type { PoolReader } from "../client.js";
import { ChainError } from "../errors.js";
import { phaseAndEnd, slotKey, type Phase, type RoundParams, type RoundState } from "../round.js";
import { submissionView, type SubmissionView } from "../submission.js";
import { attestPhaseAt, readAttestPhases, type AttestPhase, type AttestPhases } from "./attest.js";
import { getPoolEvents, roundEvents, type PoolLog } from "./history.js";

export interface RoundSummary {
  roundId: bigint;
  params: RoundParams;
  state: RoundState;
  /** Chain time from which backups reveal (the lens's backupRevealStart). */
  backupRevealStart: number;
  /** The latest block's timestamp when read. */
  now: number;
  phase: Phase;
  /** When the current phase's window ends (null when finalizable or finalized). */
  endsAt: number | null;
  /** The verify window's phases (the lens's challengeEnd and attestPhases). */
  attestPhases: AttestPhases;
  /** Where chain time is in the verify window: "before" it, its commit, reveal or decide phase, or "after" it. */
  attestPhase: AttestPhase;
}

/** One verifier's sealed attestation of a slot, from the committee's events. */
export interface AttestationDetail {
  verifier: Address;
  /** "committed": sealed only; "revealed": opened (score and digest known). */
  state: "committed" | "revealed";
  /** The commitment (AttestationCommitted.seal). */
  seal: Hex;
  /** Committed in the escalation phase of a disputed submission (else by a verifier the round drew for it). */
  escalation: boolean;
  /** Block and chain time of the commit (time null when the block could not be read). */
  committedBlock: bigint;
  committedAt: number | null;
  /** Revealed score and weights digest (Attested); null until revealed. ZERO digest: a cross-backend (score-only) re-training. */
  scoreBps: number | null;
  weightsDigest: Hex | null;
  revealedAt: number | null;
  /** FeePaid.fee once decided and paid; null when none was paid. */
  fee: bigint | null;
  /** Penalised.amount once decided and penalised (never revealed, off the median, or a contradicted digest); null otherwise. */
  penalty: bigint | null;
  /** SlashShareCredited.amount: its share of a fraudulent miner's slash; null otherwise. */
  slashShare: bigint | null;
}

export interface SlotDetail extends SubmissionView {
  /** Whether this slot is in the verification sample; null until the seed is fixed. */
  sampled: boolean | null;
  /** The revealed genome (from the Revealed event). */
  genome?: Hex;
  /**
   * P this slot holds under the pool's payout rule, as the pool emitted it: Verified.p once
   * verified (0 for fraud), else its Revealed.p; null before a reveal. From the events, so no
   * reader re-implements the rule (RewardMath.paidScore).
   */
  p: bigint | null;
  /** The lens's projectedReward: what withdraw would pay if the round were finalised now. */
  projectedReward: bigint;
  /** Withdrawn.reward once settled; null before. */
  paid: bigint | null;
  /** How it was settled, from its Withdrawn event (null before): where the reward went, the stake released, whether it was left unverified. */
  settlement: { reward: bigint; toStake: boolean; stakeReleased: bigint; unverified: boolean } | null;
  /** Slashed.amount: the stake a fraud verdict took; null when not slashed. */
  slashed: bigint | null;
  /** NoShowFined.amount: what a claim that delivered nothing paid the treasury at settlement; null otherwise. */
  noShowFine: bigint | null;
  /** The committee's attestations of this slot, in commit order. */
  attestations: AttestationDetail[];
  /** Whether the committee judged them (a Verified event: a verdict; an Undecided event: fewer than quorum revealed). */
  decided: boolean;
  /** Undecided: judged without a verdict (the sampled claim stays unverified, paid 0). */
  undecided: boolean;
}

export interface TaskDetail {
  task: number;
  mask: Hex;
  value: Hex;
  /** Whether the task takes a backup now (false when the pool says no or cannot say). */
  backupsAllowed: boolean;
  /** Slot 0 is the primary; empty when the task is unclaimed. */
  slots: SlotDetail[];
}

export interface RoundDetail extends RoundSummary {
  /** What the miners share: rewardTotal. Slashes and no-show fees never enter it (state.forfeited, the treasury's). */
  pot: bigint;
  /** Slashed stake (less the verifiers' share) and no-show fees: the treasury's, taken by sweep (state.forfeited). */
  forfeited: bigint;
  sumP: bigint;
  seedFixed: boolean;
  tasks: TaskDetail[];
  /** All of the round's pool and committee events in chain order. */
  events: PoolLog[];
  /** The committee's roundFees: the verifiers' fee budget, what was paid of it, the penalties taken, whether swept. */
  fees: { budget: bigint; spent: bigint; penalties: bigint; swept: boolean };
}

const contract = (c: PoolReader) => ({ address: c.pool, abi: poNASPoolAbi }) as const;
const lens = (c: PoolReader) => ({ address: c.lens, abi: poNASLensAbi }) as const;

/** The latest round id, or a one-line error when the pool has none. */
export async function latestRound(c: PoolReader): Promise<bigint> {
  const n = await c.publicClient.readContract({ ...contract(c), functionName: "roundCount" });
  if (n === 0n) throw new ChainError("the pool has no rounds yet: open one with `npm run manager -- open-round`");
  return n;
}

/** A round's parameters, state and phase by chain time (a round that does not exist: the pool's PoNASPoolUnknownRound). */
export async function readRound(c: PoolReader, roundId: bigint): Promise<RoundSummary> {
  const pc = c.publicClient;
  const k = contract(c);
  const [params, state, split, attestPhases, block] = await Promise.all([
    pc.readContract({ ...k, functionName: "getRound", args: [roundId] }),
    pc.readContract({ ...k, functionName: "getRoundState", args: [roundId] }),
    pc.readContract({ ...lens(c), functionName: "backupRevealStart", args: [roundId] }),
    readAttestPhases(c, roundId),
    pc.getBlock({ blockTag: "latest" }),
  ]);
  const now = Number(block.timestamp);
  const backupRevealStart = Number(split);
  const { phase, endsAt } = phaseAndEnd(now, { commitEnd: params.commitEnd, backupRevealStart, revealEnd: params.revealEnd, verifyEnd: params.verifyEnd, finalized: state.finalized });
  const attestPhase = attestPhaseAt(now, params, attestPhases);
  return { roundId, params, state, backupRevealStart, now, phase, endsAt, attestPhases, attestPhase };
}

/** readRound plus every task, slot and event of the round. */
export async function readRoundDetail(c: PoolReader, roundId: bigint): Promise<RoundDetail> {
  const pc = c.publicClient;
  const k = contract(c);
  const l = lens(c);
  const [summary, events, fees] = await Promise.all([
    readRound(c, roundId),
    roundEvents(c, roundId),
    pc.readContract({ address: c.committee, abi: verifierCommitteeAbi, functionName: "roundFees", args: [roundId] }),
  ]);
  const { state } = summary;
  const genomeOf = new Map<string, Hex>();
  const paidOf = new Map<string, bigint>();
  const pOf = new Map<string, bigint>();
  const settlementOf = new Map<string, NonNullable<SlotDetail["settlement"]>>();
  const slashedOf = new Map<string, bigint>();
  const fineOf = new Map<string, bigint>();
  const attestationsOf = attestationsBySlot(events, await blockTimes(pc, events));
  const decidedOf = new Map<string, "verified" | "undecided">();
  for (const e of events) {
    if (e.eventName === "Revealed") genomeOf.set(slotKey(e.args.task, e.args.slot), e.args.genome);
    if (e.eventName === "Withdrawn") {
      paidOf.set(slotKey(e.args.task, e.args.slot), e.args.reward);
      settlementOf.set(slotKey(e.args.task, e.args.slot), { reward: e.args.reward, toStake: false, stakeReleased: e.args.stakeReleased, unverified: e.args.unverified });
    }
    if (e.eventName === "Slashed") slashedOf.set(slotKey(e.args.task, e.args.slot), e.args.amount);
    if (e.eventName === "NoShowFined") fineOf.set(slotKey(e.args.task, e.args.slot), e.args.amount);
    // a verification replaces the P a reveal holds (events come in chain order)
    if (e.eventName === "Revealed" || e.eventName === "Verified") pOf.set(slotKey(e.args.task, e.args.slot), e.args.p);
    if (e.eventName === "Verified") decidedOf.set(slotKey(e.args.task, e.args.slot), "verified");
    if (e.eventName === "Undecided") decidedOf.set(slotKey(e.args.task, e.args.slot), "undecided");
  }
  // settle (not withdraw) credits the reward to the miner's stake: a Staked event in the same
  // transaction (Staked carries no round id, so roundEvents leaves it out)
  const settleTxs = new Map<string, string>();
  for (const e of events) if (e.eventName === "Withdrawn" && e.args.reward > 0n && e.transactionHash) settleTxs.set(e.transactionHash, slotKey(e.args.task, e.args.slot));
  if (settleTxs.size) {
    for (const st of await getPoolEvents(c, { eventName: "Staked" })) {
      const key = st.transactionHash ? settleTxs.get(st.transactionHash) : undefined;
      const set = key ? settlementOf.get(key) : undefined;
      if (set && st.args.amount === set.reward) set.toStake = true;
    }
  }
  const seedFixed = BigInt(state.seed) !== 0n;
  const tasks = await Promise.all(
    Array.from({ length: Number(state.taskCount) }, async (_, t): Promise<TaskDetail> => {
      const task = BigInt(t);
      const [sub, primary, backupsAllowed] = await Promise.all([
        pc.readContract({ ...k, functionName: "getTask", args: [roundId, task] }),
        pc.readContract({ ...k, functionName: "getSubmission", args: [roundId, task, 0n] }),
        pc.readContract({ ...l, functionName: "backupsAllowed", args: [roundId, task] }).catch(() => false),
      ]);
      const slots: SlotDetail[] = [];
      for (let slot = 0; slot <= primary.backups && primary.status !== 0; slot++) {
        const s = BigInt(slot);
        const [raw, projectedReward, sampled] = await Promise.all([
          slot === 0 ? primary : pc.readContract({ ...k, functionName: "getSubmission", args: [roundId, task, s] }),
          pc.readContract({ ...l, functionName: "projectedReward", args: [roundId, task, s] }),
          seedFixed ? pc.readContract({ ...l, functionName: "isSampled", args: [roundId, task, s] }) : null,
        ]);
        const key = slotKey(t, slot);
        slots.push({
          ...submissionView(raw, primary, slot),
          sampled,
          genome: genomeOf.get(key),
          p: pOf.get(key) ?? null,
          projectedReward,
          paid: paidOf.get(key) ?? null,
          settlement: settlementOf.get(key) ?? null,
          slashed: slashedOf.get(key) ?? null,
          noShowFine: fineOf.get(key) ?? null,
          attestations: attestationsOf.get(key) ?? [],
          decided: decidedOf.has(key),
          undecided: decidedOf.get(key) === "undecided",
        });
      }
      return { task: t, mask: sub.mask, value: sub.value, backupsAllowed: Boolean(backupsAllowed), slots };
    }),
  );
  return { ...summary, pot: summary.params.rewardTotal, forfeited: state.forfeited, sumP: BigInt(state.sumP), seedFixed, tasks, events, fees };
}

/** Block timestamps by block hash, kept across reads (a block's time never changes; a restarted dev chain has new hashes). */
const timeOfBlock = new Map<Hex, number>();

/** The chain time of every block holding an attestation event (commit or reveal); blocks that cannot be read are left out. */
async function blockTimes(pc: PublicClient, events: readonly PoolLog[]): Promise<Map<Hex, number>> {
  const hashes = new Set<Hex>();
  for (const e of events) if ((e.eventName === "AttestationCommitted" || e.eventName === "Attested") && e.blockHash) hashes.add(e.blockHash);
  await Promise.all(
    [...hashes].filter((h) => !timeOfBlock.has(h)).map(async (blockHash) => {
      const b = await pc.getBlock({ blockHash }).catch(() => undefined);
      if (b) timeOfBlock.set(blockHash, Number(b.timestamp));
    }),
  );
  return new Map([...hashes].flatMap((h) => (timeOfBlock.has(h) ? [[h, timeOfBlock.get(h)!] as const] : [])));
}

/** Each slot's attestations from the committee's events, in commit order: commits, reveals, then fees, penalties and slash shares. */
export function attestationsBySlot(events: readonly PoolLog[], times: ReadonlyMap<Hex, number> = new Map()): Map<string, AttestationDetail[]> {
  const out = new Map<string, AttestationDetail[]>();
  const find = (task: bigint, slot: bigint, verifier: Address) =>
    out.get(slotKey(task, slot))?.find((a) => a.verifier.toLowerCase() === verifier.toLowerCase());
  const timeOf = (e: PoolLog) => (e.blockHash ? (times.get(e.blockHash) ?? null) : null);
  for (const e of events) {
    switch (e.eventName) {
      case "AttestationCommitted": {
        const key = slotKey(e.args.task, e.args.slot);
        const list = out.get(key) ?? [];
        list.push({
          verifier: e.args.verifier,
          state: "committed",
          seal: e.args.seal,
          escalation: e.args.escalation,
          committedBlock: e.blockNumber ?? 0n,
          committedAt: timeOf(e),
          scoreBps: null,
          weightsDigest: null,
          revealedAt: null,
          fee: null,
          penalty: null,
          slashShare: null,
        });
        out.set(key, list);
        break;
      }
      case "Attested": {
        const a = find(e.args.task, e.args.slot, e.args.verifier);
        if (a) Object.assign(a, { state: "revealed", scoreBps: Number(e.args.scoreBps), weightsDigest: e.args.weightsDigest, revealedAt: timeOf(e) });
        break;
      }
      case "FeePaid": {
        const a = find(e.args.task, e.args.slot, e.args.verifier);
        if (a) a.fee = (a.fee ?? 0n) + e.args.fee;
        break;
      }
      case "Penalised": {
        const a = find(e.args.task, e.args.slot, e.args.verifier);
        if (a) a.penalty = (a.penalty ?? 0n) + e.args.amount;
        break;
      }
      case "SlashShareCredited": {
        const a = find(e.args.task, e.args.slot, e.args.verifier);
        if (a) a.slashShare = (a.slashShare ?? 0n) + e.args.amount;
        break;
      }
    }
  }
  return out;
}
