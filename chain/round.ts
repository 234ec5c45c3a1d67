// The round's one vocabulary, for every reader (manager, miner, oracle, demo, web app): the
// pool's own types as viem decodes them from the generated ABI, and the one Phase a round is in
// by chain time, spelled as the contract spells it (finalize, not finalise). Pure, browser-safe.
import type { ContractFunctionReturnType } from "viem";
import type { poNASPoolAbi } from "../deployments/abi.js";

/** IPoNASPool.RoundParams (getRound): windows, rules, amounts. */
export type RoundParams = ContractFunctionReturnType<typeof poNASPoolAbi, "view", "getRound">;
/** IPoNASPool.RoundState (getRoundState): task count, seed, ΣP, pot, paid, finalized. */
export type RoundState = ContractFunctionReturnType<typeof poNASPoolAbi, "view", "getRoundState">;
/** IPoNASPool.Submission (getSubmission), raw. chain/submission.ts decodes it. */
export type RawSubmission = ContractFunctionReturnType<typeof poNASPoolAbi, "view", "getSubmission">;

/**
 * Where a round stands by chain time:
 * claim (claims and commits, until commitEnd) → reveal-primaries (until backupRevealStart) →
 * reveal-backups (until revealEnd) → verify (until verifyEnd) → finalizable → finalized.
 * Each bound is inclusive, as the contract's windows are (`block.timestamp <= commitEnd` commits).
 */
export type Phase = "claim" | "reveal-primaries" | "reveal-backups" | "verify" | "finalizable" | "finalized";

export interface RoundWindows {
  commitEnd: number;
  backupRevealStart: number;
  revealEnd: number;
  verifyEnd: number;
  finalized: boolean;
}

/** The phase at chain time `now`, and when it ends (null when nothing more is timed). */
export function phaseAt(now: number, r: RoundWindows): Phase {
  return phaseAndEnd(now, r).phase;
}

/** The phase at `now` and the chain time its window ends (null for finalizable/finalized). */
export function phaseAndEnd(now: number, r: RoundWindows): { phase: Phase; endsAt: number | null } {
  if (r.finalized) return { phase: "finalized", endsAt: null };
  if (now <= r.commitEnd) return { phase: "claim", endsAt: r.commitEnd };
  if (now <= r.backupRevealStart) return { phase: "reveal-primaries", endsAt: r.backupRevealStart };
  if (now <= r.revealEnd) return { phase: "reveal-backups", endsAt: r.revealEnd };
  if (now <= r.verifyEnd) return { phase: "verify", endsAt: r.verifyEnd };
  return { phase: "finalizable", endsAt: null };
}

/** Key of one submission slot, as event args and view functions name it. */
export const slotKey = (task: bigint | number, slot: bigint | number): string => `${task}:${slot}`;
