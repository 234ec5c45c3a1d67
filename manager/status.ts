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

/**
 * What a slot's miner got or will get, in words: after settlement what its Withdrawn event says
 * (paid to the wallet or credited to stake, the stake released) with any slash or no-show fee;
 * before it, what is already decided (slashed, unverified and so unpaid) or else the lens's
 * projection under the current ΣP. A settled slot's projection is always 0 (the lens projects
 * only unsettled reveals), so it is never shown after settlement.
 */
export function slotMoney(v: Pick<RoundView, "phase">, s: SlotDetail): string {
  const parts: string[] = [];
  if (s.slashed !== null) parts.push(`slashed ${fmtTokens(s.slashed)}`);
  if (s.settlement) {
    const st = s.settlement;
    if (st.unverified) parts.push("unverified: paid 0");
    else parts.push(st.toStake ? `credited ${fmtTokens(st.reward)} to stake` : `paid ${fmtTokens(st.reward)}`);
    if (st.stakeReleased > 0n) parts.push(`stake ${fmtTokens(st.stakeReleased)} released`);
    if (s.noShowFine !== null) parts.push(`no-show fee ${fmtTokens(s.noShowFine)}`);
    return parts.join(", ");
  }
  if (s.slashed !== null) return parts.join(", ");
  const projected = `${v.phase === "finalized" ? "owed" : "→"} ${fmtTokens(s.projectedReward)}`;
  // a sampled claim nobody verified is paid 0 at settlement (the lens's projection does not know)
  if (s.sampled && s.finalBps === null && (v.phase === "finalized" || v.phase === "finalizable")) return "sampled but unverified: will be paid 0";
  return projected;
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
      const amount = slotMoney(v, s);
      lines.push(
        `    ${s.slot === 0 ? "primary" : `backup ${s.slot}`} ${s.miner} ${s.status}${s.status === "revealed" || s.status === "settled" ? ` claims ${s.claimedBps}` : ""} ${verdict}${s.counts ? " [counts]" : ""}${s.duplicate ? " [duplicate]" : ""} ${amount}${s.description ? `  (${s.description})` : ""}`,
      );
    }
  }
  return lines.join("\n");
}
