// What a miner must remember across crashes, persisted as one JSON file in its state directory
// next to the search checkpoint (nas/search writes that one). The chain is the truth for what
// happened (claims, reveals, settlements); this file holds only what the chain cannot tell us:
// the search seed and, above all, the commit's secret salt. The salt is written here before the
// commit transaction is sent, so a miner that crashes right after committing can still reveal.
// Writes are atomic (nas's writeJsonAtomic: temp file, fsync, rename): a crash leaves the old or
// the new state, never half of one.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { writeJsonAtomic } from "../nas/index.js";
import { MinerError } from "./errors.js";

export const STATE_FORMAT = "ponas-miner-state/1";

/** The commitment a miner sent (or is about to send). */
export interface CommitRecord {
  genome: Hex;
  /** The score committed and revealed (the search's best, plus --inflate in the demo). */
  claimedBps: number;
  /** The score the search measured. */
  bestScoreBps: number;
  /** Secret until the reveal. */
  salt: Hex;
  commitment: Hex;
  /**
   * The digest of the weights trained under the recipe on the reference backend, sealed in the
   * reveal (chain/seals.ts). Absent in a state written before seals: derived again at the reveal.
   */
  weightsDigest?: Hex;
  /** Set once the commit transaction is mined. */
  txHash?: Hex;
}

export interface MinerState {
  format: typeof STATE_FORMAT;
  chainId: number;
  pool: Address;
  /** Decimal string (JSON has no bigint). */
  roundId: string;
  miner: Address;
  /** Search seed: fixed on the first run so a restarted search replays the same proposals. */
  seed: number;
  strategy: string;
  task?: number;
  slot?: number;
  commit?: CommitRecord;
  droppedOut?: boolean;
}

/** `.ponas/miner-<address>-round<id>` under the working directory. */
export function defaultStateDir(miner: Address, roundId: bigint): string {
  return join(".ponas", `miner-${miner.toLowerCase()}-round${roundId}`);
}

export const stateFile = (dir: string) => join(dir, "state.json");
export const checkpointFile = (dir: string) => join(dir, "search.json");

/** Writes the state atomically, creating `dir` when needed. */
export function saveState(dir: string, state: MinerState): void {
  writeJsonAtomic(stateFile(dir), state);
}

/** The state in `dir`, or null when there is none yet. */
export function loadState(dir: string): MinerState | null {
  const file = stateFile(dir);
  if (!existsSync(file)) return null;
  let s: Partial<MinerState>;
  try {
    s = JSON.parse(readFileSync(file, "utf8")) as Partial<MinerState>;
  } catch (e) {
    throw new MinerError(`miner state ${file} is not JSON (${(e as Error).message}); restore it from a backup, or use another --state-dir (an unrevealed commit is then lost)`);
  }
  if (s?.format !== STATE_FORMAT || typeof s.seed !== "number" || typeof s.roundId !== "string") {
    throw new MinerError(`${file} is not a miner state file (format "${STATE_FORMAT}"); use another --state-dir`);
  }
  return s as MinerState;
}

/**
 * The state for this (chain, pool, round, miner): loaded when `dir` holds it, created otherwise.
 * A directory of another pool, round or miner is refused rather than mixed up.
 */
export function openState(dir: string, id: Pick<MinerState, "chainId" | "pool" | "roundId" | "miner">, fresh: () => Pick<MinerState, "seed" | "strategy">): MinerState {
  const existing = loadState(dir);
  if (existing) {
    const fields = ["chainId", "pool", "roundId", "miner"] as const;
    for (const f of fields) {
      const a = String(existing[f]).toLowerCase();
      const b = String(id[f]).toLowerCase();
      if (a !== b) throw new MinerError(`state dir ${dir} belongs to ${f} ${existing[f]}, not ${id[f]}; pass another --state-dir for this ${f === "miner" ? "key" : f}`);
    }
    return existing;
  }
  const state: MinerState = { format: STATE_FORMAT, ...id, ...fresh() };
  saveState(dir, state);
  return state;
}
