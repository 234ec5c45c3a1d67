// Getting a new task (a restarted miner first looks for the one it holds with chain's claimsOf,
// so it never claims twice). With --task auto a primary takes the first task without a primary;
// when another miner takes it between our look and our claim (PoNASPoolTaskTaken), it moves on to
// the next. A backup (--backup) joins the first task that accepts backups (new or unreliable
// primary, free slot) and that it is not already on.
import { parseEventLogs } from "viem";
import { poolError, sendPool, type Claim, type PoolConnection } from "../chain/node.js";
import { poNASPoolAbi } from "../deployments/index.js";
import { MinerError, RETRY } from "./errors.js";

/** Tasks of `roundId` that have no primary yet, in task order. */
export async function openTasks(conn: PoolConnection, roundId: bigint, taskCount: number): Promise<number[]> {
  const out: number[] = [];
  for (let t = 0; t < taskCount; t++) {
    const s = await conn.poolContract.read.getSubmission([roundId, BigInt(t), 0n]);
    if (/^0x0{40}$/i.test(s.miner)) out.push(t);
  }
  return out;
}

/** Tasks of `roundId` this miner could join as a backup now, in task order. */
export async function backupTasks(conn: PoolConnection, roundId: bigint, taskCount: number, maxBackups: number): Promise<number[]> {
  const me = conn.account!.address.toLowerCase();
  const out: number[] = [];
  for (let t = 0; t < taskCount; t++) {
    const primary = await conn.poolContract.read.getSubmission([roundId, BigInt(t), 0n]);
    if (primary.miner.toLowerCase() === me || primary.backups >= maxBackups) continue;
    if (!(await conn.lensContract.read.backupsAllowed([roundId, BigInt(t)]))) continue;
    out.push(t);
  }
  return out;
}

/** Claims the first of `candidates` still free as primary; PoNASPoolTaskTaken moves on to the next. */
export async function claimFirst(conn: PoolConnection, roundId: bigint, candidates: number[]): Promise<Claim> {
  for (const [i, task] of candidates.entries()) {
    try {
      await sendPool(conn, "claim", [roundId, BigInt(task)], RETRY);
      return { task, slot: 0 };
    } catch (e) {
      if (poolError(e)?.name !== "PoNASPoolTaskTaken" || candidates.length === 1) throw e; // one named task: explainError says it
      if (i < candidates.length - 1) continue;
      throw new MinerError(`every task of round ${roundId} got a primary before this miner could claim one; run with --backup, or wait for the next round`);
    }
  }
  throw new MinerError(`every task of round ${roundId} already has a primary miner; run with --backup to back up an unreliable primary, or wait for the next round`);
}

/** Joins the first of `candidates` as a backup; a task that filled up or closed meanwhile moves on. */
export async function joinFirst(conn: PoolConnection, roundId: bigint, candidates: number[]): Promise<Claim> {
  const skippable = new Set(["PoNASPoolBackupSlotsFull", "PoNASPoolBackupsNotAllowed", "PoNASPoolAlreadyOnTask"]);
  for (const [i, task] of candidates.entries()) {
    try {
      const { receipt } = await sendPool(conn, "joinAsBackup", [roundId, BigInt(task)], RETRY);
      const [claimed] = parseEventLogs({ abi: poNASPoolAbi, logs: receipt.logs, eventName: "Claimed" });
      return { task, slot: Number(claimed.args.slot) };
    } catch (e) {
      if (skippable.has(poolError(e)?.name ?? "") && i < candidates.length - 1) continue;
      throw e;
    }
  }
  throw new MinerError(`no task of round ${roundId} takes a backup now (backups open for new or unreliable primaries while slots are free); run without --backup to claim a task as primary`);
}
