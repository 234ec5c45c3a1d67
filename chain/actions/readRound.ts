// A round as everyone reads it — the manager's status, the miner, the oracle, the demo and the web
// app's pages: its parameters and state, the one Phase by chain time, and (readRoundDetail) every
// task with its slots, their decoded submission, sampling, revealed genome, projected and paid
// reward, plus the round's event log for the audit. The pool's raw getters give parameters, state
// and submissions; its lens (pool.lens()) the derived views: backupRevealStart, projectedReward,
// isSampled, backupsAllowed. Browser-safe: the app runs it through the public client wagmi gives
// it. Words for subspaces and genomes are the caller's (nas/space).
import type { Hex } from "viem";
import { poNASLensAbi, poNASPoolAbi } from "../../deployments/abi.js";
import type { PoolReader } from "../client.js";
import { ChainError } from "../errors.js";
import { phaseAndEnd, slotKey, type Phase, type RoundParams, type RoundState } from "../round.js";
import { submissionView, type SubmissionView } from "../submission.js";
import { roundEvents, type PoolLog } from "./history.js";

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
  const [params, state, split, block] = await Promise.all([
    pc.readContract({ ...k, functionName: "getRound", args: [roundId] }),
    pc.readContract({ ...k, functionName: "getRoundState", args: [roundId] }),
    pc.readContract({ ...lens(c), functionName: "backupRevealStart", args: [roundId] }),
    pc.getBlock({ blockTag: "latest" }),
  ]);
  const now = Number(block.timestamp);
  const backupRevealStart = Number(split);
  const { phase, endsAt } = phaseAndEnd(now, { commitEnd: params.commitEnd, backupRevealStart, revealEnd: params.revealEnd, verifyEnd: params.verifyEnd, finalized: state.finalized });
  return { roundId, params, state, backupRevealStart, now, phase, endsAt };
}

/** readRound plus every task, slot and event of the round. */
export async function readRoundDetail(c: PoolReader, roundId: bigint): Promise<RoundDetail> {
  const pc = c.publicClient;
  const k = contract(c);
  const l = lens(c);
  const [summary, events] = await Promise.all([readRound(c, roundId), roundEvents(c, roundId)]);
  const { state } = summary;
  const genomeOf = new Map<string, Hex>();
  const paidOf = new Map<string, bigint>();
  const attestedOf = new Map<string, number>();
  const pOf = new Map<string, bigint>();
  for (const e of events) {
    if (e.eventName === "Attested") attestedOf.set(slotKey(e.args.task, e.args.slot), (attestedOf.get(slotKey(e.args.task, e.args.slot)) ?? 0) + 1);
    if (e.eventName === "Revealed") genomeOf.set(slotKey(e.args.task, e.args.slot), e.args.genome);
    if (e.eventName === "Withdrawn") paidOf.set(slotKey(e.args.task, e.args.slot), e.args.reward);
    // a verification replaces the P a reveal holds (events come in chain order)
    if (e.eventName === "Revealed" || e.eventName === "Verified") pOf.set(slotKey(e.args.task, e.args.slot), e.args.p);
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
        slots.push({ ...submissionView(raw, primary, slot, attestedOf.get(key) ?? 0), sampled, genome: genomeOf.get(key), p: pOf.get(key) ?? null, projectedReward, paid: paidOf.get(key) ?? null });
      }
      return { task: t, mask: sub.mask, value: sub.value, backupsAllowed: Boolean(backupsAllowed), slots };
    }),
  );
  return { ...summary, pot: summary.params.rewardTotal, forfeited: state.forfeited, sumP: BigInt(state.sumP), seedFixed, tasks, events };
}
