// A round as its manager (or anyone) sees it, in words: chain/'s read model (readRoundDetail: the
// phase by chain time, every task's claims, reveals, verification and projected payout) with the
// subspaces and genomes described by the NAS codec, and its text report for the manager's CLI.
import type { Hex } from "viem";
import { readRoundDetail, type PoolReader, type RoundDetail, type SlotDetail, type TaskDetail } from "../chain/index.js";
import { fmtTokens, isoTime } from "../chain/format.js";
import { describeGenome, describeSubspace, spaceById, type SearchSpace } from "../nas/index.js";

export interface SlotView extends SlotDetail {
  description?: string;
}

export interface TaskView extends TaskDetail {
  description: string;
  slots: SlotView[];
}

export interface RoundView extends RoundDetail {
  tasks: TaskView[];
}

/** The round with its tasks and genomes in words (raw masks and genomes for a space this checkout does not ship). */
export async function roundView(c: PoolReader, roundId: bigint): Promise<RoundView> {
  const d = await readRoundDetail(c, roundId);
  let space: SearchSpace | undefined;
  try {
    space = spaceById(d.params.spaceId);
  } catch {
    space = undefined;
  }
  const words = (g: Hex | undefined) => (g && space ? describeGenome(space, g) : undefined);
  return {
    ...d,
    tasks: d.tasks.map((t) => ({
      ...t,
      description: space ? describeSubspace(space, t) : `${t.mask}/${t.value}`,
      slots: t.slots.map((s) => ({ ...s, description: words(s.genome) })),
    })),
  };
}

/** Human-readable report of a RoundView. */
export function formatRound(v: RoundView): string {
  const lines = [
    `round ${v.roundId}: ${v.phase} (chain time ${isoTime(v.now)})`,
    `  windows: commit until ${isoTime(v.params.commitEnd)}, backups reveal from ${isoTime(v.backupRevealStart)}, reveal until ${isoTime(v.params.revealEnd)}, verify until ${isoTime(v.params.verifyEnd)}`,
    `  verify window: challenges until ${isoTime(v.attestPhases.challengeEnd)}, sealed attestations committed until ${isoTime(v.attestPhases.commitEnd)}, revealed until ${isoTime(v.attestPhases.revealEnd)}, then decided${v.phase === "verify" ? ` (now: ${v.attestPhase})` : ""}`,
    `  pot ${fmtTokens(v.pot)} (the reward; slashes and no-show fees go to the treasury), ΣP ${v.sumP}, forfeited to treasury ${fmtTokens(v.forfeited)}`,
  ];
  for (const t of v.tasks) {
    lines.push(`  task ${t.task}: ${t.description}${t.slots.length ? "" : "  — unclaimed"}`);
    for (const s of t.slots) {
      const revealed = s.attestations.filter((a) => a.state === "revealed").length;
      const sealed = `${s.attestations.length} committed, ${revealed} revealed`;
      const verdict = s.fraud ? "FRAUD" : s.finalBps !== null ? `verified ${s.finalBps}` : s.undecided ? `undecided (${sealed})` : s.sampled ? `sampled, ${sealed}` : s.sampled === false ? "not sampled" : "";
      const amount = s.paid !== null ? `paid ${fmtTokens(s.paid)}` : `→ ${fmtTokens(s.projectedReward)}`;
      lines.push(
        `    ${s.slot === 0 ? "primary" : `backup ${s.slot}`} ${s.miner} ${s.status}${s.status === "revealed" || s.status === "settled" ? ` claims ${s.claimedBps}` : ""} ${verdict}${s.counts ? " [counts]" : ""}${s.duplicate ? " [duplicate]" : ""} ${amount}${s.description ? `  (${s.description})` : ""}`,
      );
    }
  }
  return lines.join("\n");
}
