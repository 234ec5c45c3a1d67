// The search checkpoint: a persisted file format of its own, like the miner's and the oracle's
// state files. The driver (run.ts) rewrites it after every evaluation and resumes from it; this
// file says what it holds, reads and checks it, and tells whose search it is. The atomic JSON
// writer lives here too because the checkpoint is its first user; the miner and the oracle write
// their state files with it, so there is one write-temp-fsync-rename in the house, not three.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import canonicalize from "canonicalize";
import type { Hex } from "viem";
import { SearchError } from "../errors.js";
import type { RngState } from "../rng.js";
import type { Subspace } from "../space/subspace.js";
import type { Evaluated, Json } from "./strategy.js";

export const CHECKPOINT_FORMAT = "ponas-search-checkpoint/1";

/** What a checkpoint file holds (JSON, one object). */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  strategy: string;
  strategyConfig: { [key: string]: Json };
  /** keccak256 of the canonical space (the contract's spaceId); `spaceName` is for humans. */
  spaceId: Hex;
  spaceName: string;
  subspace: Subspace;
  seed: number;
  elapsedSeconds: number;
  rng: RngState;
  state: Json;
  history: Evaluated[];
}

/** The fields that say whose search a checkpoint is: a search resumes only its own. */
export type CheckpointIdentity = Omit<Checkpoint, "elapsedSeconds" | "rng" | "state" | "history">;

/** The end of every message about a checkpoint that cannot be resumed. */
export const CHECKPOINT_FIX = "delete the file to start a new search, or pass a different checkpoint path";

const hexLower = (h: string): Hex => h.toLowerCase() as Hex;

/** The checkpoint in `path`, checked for shape (not for whose it is: see mismatch); SearchError otherwise. */
export function readCheckpoint(path: string): Checkpoint {
  let cp: Partial<Checkpoint>;
  try {
    cp = JSON.parse(readFileSync(path, "utf8")) as Partial<Checkpoint>;
  } catch (e) {
    throw new SearchError(`checkpoint ${path} cannot be read as JSON (${(e as Error).message}); ${CHECKPOINT_FIX}`);
  }
  if (typeof cp !== "object" || cp === null || cp.format !== CHECKPOINT_FORMAT) {
    throw new SearchError(`${path} is not a search checkpoint (format "${CHECKPOINT_FORMAT}"); ${CHECKPOINT_FIX}`);
  }
  const ok =
    Array.isArray(cp.history) &&
    typeof cp.elapsedSeconds === "number" &&
    typeof cp.rng === "object" &&
    cp.rng !== null &&
    ["a", "b", "c", "d"].every((k) => Number.isInteger((cp.rng as unknown as Record<string, unknown>)[k])) &&
    "state" in cp;
  if (!ok)
    throw new SearchError(
      `checkpoint ${path} is incomplete (history, elapsedSeconds, rng or state missing); ${CHECKPOINT_FIX}`,
    );
  return cp as Checkpoint;
}

/**
 * Evaluations held by the checkpoint in `path`: 0 when there is no file or it is not a readable
 * checkpoint (what a progress display shows; resuming it is what reports the error).
 */
export function checkpointEvaluations(path: string): number {
  if (!existsSync(path)) return 0;
  try {
    return readCheckpoint(path).history.length;
  } catch {
    return 0;
  }
}

/** The first identity field where the checkpoint differs from this search, or null. */
export function mismatch(cp: Checkpoint, mine: CheckpointIdentity): string | null {
  const fields: [string, unknown, unknown][] = [
    ["strategy", cp.strategy, mine.strategy],
    ["strategyConfig", canonicalize(cp.strategyConfig), canonicalize(mine.strategyConfig)],
    ["spaceId", cp.spaceId, mine.spaceId],
    [
      "subspace.mask",
      typeof cp.subspace?.mask === "string" ? hexLower(cp.subspace.mask) : cp.subspace?.mask,
      mine.subspace.mask,
    ],
    [
      "subspace.value",
      typeof cp.subspace?.value === "string" ? hexLower(cp.subspace.value) : cp.subspace?.value,
      mine.subspace.value,
    ],
    ["seed", cp.seed, mine.seed],
  ];
  for (const [field, theirs, ours] of fields) {
    if (theirs !== ours) {
      const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
      const extra = field === "spaceId" ? ` (checkpoint space "${cp.spaceName}", this space "${mine.spaceName}")` : "";
      return `${field} differs: checkpoint has ${show(theirs)}, this search has ${show(ours)}${extra}`;
    }
  }
  return null;
}

/**
 * Writes `value` as JSON to `path` so that a crash at any moment leaves either the old file or
 * the new one, never half of one: write a temp file in the same folder, fsync it, rename it over
 * `path`, then fsync the folder so the rename itself survives a power cut. Creates the folder.
 * Pretty-printed (2 spaces, final newline) for state files people read; `compact` for the
 * checkpoint, which is rewritten after every evaluation and grows with the history.
 */
export function writeJsonAtomic(path: string, value: unknown, options: { compact?: boolean } = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const text = options.compact ? JSON.stringify(value) : JSON.stringify(value, null, 2) + "\n";
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, "w");
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/** Where the platform allows it: Windows cannot open a folder, and some filesystems refuse to fsync one. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // the rename is then as durable as the OS makes it on its own
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
