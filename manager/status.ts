// A round as its manager (or anyone) sees it: the phase by chain time, each task in words with
// its claims, reveals, verification state and projected payout. Read-only; one place that turns
// the pool's view functions into a report, used by the manager CLI and the demo.
import { formatUnits, type Address, type Hex } from "viem";
import type { PoolConnection } from "../chain/connect.js";
import { ChainError } from "../chain/errors.js";
import { submissionView, type SubmissionView } from "../chain/submission.js";
import { describeGenome, describeSubspace, spaceById, type SearchSpace } from "../nas/index.js";

export type Phase = "claim" | "reveal-primaries" | "reveal-backups" | "verify" | "finalizable" | "finalized";


export interface SlotView extends SubmissionView {
  sampled: boolean | null;
  genome?: Hex;
  description?: string;
  projectedReward: bigint;
}

export interface TaskView {
  task: number;
  mask: Hex;
  value: Hex;
  description: string;
  slots: SlotView[];
}

export interface RoundView {
  roundId: bigint;
  phase: Phase;
  now: number;
  commitEnd: number;
  backupRevealStart: number;
  revealEnd: number;
  verifyEnd: number;
  rewardTotal: bigint;
  pot: bigint;
  sumP: bigint;
  finalized: boolean;
  seedFixed: boolean;
  tasks: TaskView[];
}

export function phaseAt(now: number, r: { commitEnd: number; backupRevealStart: number; revealEnd: number; verifyEnd: number; finalized: boolean }): Phase {
  if (r.finalized) return "finalized";
  if (now <= r.commitEnd) return "claim";
  if (now <= r.backupRevealStart) return "reveal-primaries";
  if (now <= r.revealEnd) return "reveal-backups";
  if (now <= r.verifyEnd) return "verify";
  return "finalizable";
}

/** The latest round id, or an error when the pool has none. */
export async function latestRound(c: PoolConnection): Promise<bigint> {
  const n = await c.poolContract.read.roundCount();
  if (n === 0n) throw new ChainError("the pool has no rounds yet: open one with `npm run manager -- open-round`");
  return n;
}

export async function roundView(c: PoolConnection, roundId: bigint): Promise<RoundView> {
  const pool = c.poolContract.read;
  const p = await pool.getRound([roundId]);
  if (p.commitEnd === 0) throw new ChainError(`round ${roundId} does not exist on this pool; check --round`);
  const s = await pool.getRoundState([roundId]);
  const split = Number(await pool.backupRevealStart([roundId]));
  const now = Number((await c.publicClient.getBlock()).timestamp);
  let space: SearchSpace | undefined;
  try {
    space = spaceById(p.spaceId);
  } catch {
    space = undefined; // a space this checkout does not ship: show raw masks and genomes
  }
  const reveals = await c.publicClient.getContractEvents({
    address: c.pool,
    abi: c.poolContract.abi,
    eventName: "Revealed",
    args: { roundId },
    fromBlock: c.fromBlock,
  });
  const genomeOf = new Map(reveals.map((e) => [`${e.args.task}:${e.args.slot}`, e.args.genome as Hex]));
  const seedFixed = BigInt(s.seed) !== 0n;
  const tasks: TaskView[] = [];
  for (let t = 0; t < s.taskCount; t++) {
    const task = await pool.getTask([roundId, BigInt(t)]);
    const primary = await pool.getSubmission([roundId, BigInt(t), 0n]);
    const slots: SlotView[] = [];
    for (let slot = 0; slot <= primary.backups && primary.status !== 0; slot++) {
      const sub = slot === 0 ? primary : await pool.getSubmission([roundId, BigInt(t), BigInt(slot)]);
      const genome = genomeOf.get(`${t}:${slot}`);
      slots.push({
        ...submissionView(sub, primary, slot),
        sampled: seedFixed ? await pool.isSampled([roundId, BigInt(t), BigInt(slot)]) : null,
        genome,
        description: genome && space ? describeGenome(space, genome) : undefined,
        projectedReward: await pool.projectedReward([roundId, BigInt(t), BigInt(slot)]),
      });
    }
    tasks.push({ task: t, mask: task.mask, value: task.value, description: space ? describeSubspace(space, task) : `${task.mask}/${task.value}`, slots });
  }
  const r = { commitEnd: p.commitEnd, backupRevealStart: split, revealEnd: p.revealEnd, verifyEnd: p.verifyEnd, finalized: s.finalized };
  return {
    roundId,
    phase: phaseAt(now, r),
    now,
    ...r,
    rewardTotal: p.rewardTotal,
    pot: p.rewardTotal + s.slashedToPot,
    sumP: BigInt(s.sumP),
    seedFixed,
    tasks,
  };
}

/** Human-readable report of a RoundView. */
export function formatRound(v: RoundView): string {
  const tok = (x: bigint) => Number(formatUnits(x, 18)).toFixed(4);
  const lines = [
    `round ${v.roundId}: ${v.phase} (chain time ${new Date(v.now * 1000).toISOString()})`,
    `  windows: commit until ${iso(v.commitEnd)}, backups reveal from ${iso(v.backupRevealStart)}, reveal until ${iso(v.revealEnd)}, verify until ${iso(v.verifyEnd)}`,
    `  reward ${tok(v.rewardTotal)} PONAS, pot ${tok(v.pot)}, ΣP ${v.sumP}`,
  ];
  for (const t of v.tasks) {
    lines.push(`  task ${t.task}: ${t.description}${t.slots.length ? "" : "  — unclaimed"}`);
    for (const s of t.slots) {
      const verdict = s.fraud ? "FRAUD" : s.finalBps !== null ? `verified ${s.finalBps}` : s.sampled ? `sampled, ${s.attestations} attestations` : s.sampled === false ? "not sampled" : "";
      lines.push(
        `    ${s.slot === 0 ? "primary" : `backup ${s.slot}`} ${s.miner} ${s.status}${s.status === "revealed" || s.status === "settled" ? ` claims ${s.claimedBps}` : ""} ${verdict}${s.counts ? " [counts]" : ""}${s.duplicate ? " [duplicate]" : ""} → ${tok(s.projectedReward)} PONAS${s.description ? `  (${s.description})` : ""}`,
      );
    }
  }
  return lines.join("\n");
}

function iso(t: number) {
  return new Date(t * 1000).toISOString();
}
