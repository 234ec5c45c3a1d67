// The miner's state machine, callable in-process with a PoolConnection: round → stake → claim →
// search → commit → reveal → finalize → withdraw. Every step first asks the chain (and the
// persisted state) whether it already happened, so a miner restarted at any point — even after
// kill -9 — carries on: an existing claim is reused, a finished search is not redone, a
// commitment is revealed with the salt persisted before it was sent, a reveal is not repeated.
// Windows are judged by chain time (clock.ts), never by the local clock.
import { existsSync, readFileSync } from "node:fs";
import { randomBytes, randomInt } from "node:crypto";
import { toHex, type Hex } from "viem";
import type { PoolConnection } from "../chain/connect.js";
import { poNASPoolAbi } from "../deployments/index.js";
import { arities, describeGenome, recipeById, spaceById, type Recipe, type SearchSpace, type StrategyName } from "../nas/index.js";
import { backupTasks, claimFirst, findClaims, joinFirst, openTasks, type Claim } from "./claim.js";
import { ChainClock } from "./clock.js";
import { MinerError, revertName } from "./errors.js";
import type { MinerEvent } from "./events.js";
import { DEFAULTS, type MinerOptions } from "./options.js";
import { searchTask } from "./search.js";
import { fmtTokens } from "../chain/reverts.js";
import { ensureStake } from "./stake.js";
import { checkpointFile, defaultStateDir, openState, saveState, type MinerState } from "./state.js";
import { sendPool } from "./tx.js";

/** Submission.status in the contract. */
export const Status = { None: 0, Claimed: 1, Revealed: 2, Settled: 3 } as const;

export interface MinerSummary {
  roundId: bigint;
  task: number;
  slot: number;
  role: "primary" | "backup";
  /** What was committed (null when nothing was: the commit window closed first). */
  genome: Hex | null;
  description: string | null;
  bestScoreBps: number | null;
  claimedBps: number | null;
  /** Distinct architectures trained for this task, over all runs. */
  evaluations: number;
  revealed: boolean;
  droppedOut: boolean;
  /** Tokens paid (withdraw) or credited to the stake (settle); null when not settled. */
  reward: bigint | null;
  /** Sampled for verification, no quorum reached: paid nothing, not slashed. */
  unverified?: boolean;
  /** Stake the settlement released (0 when slashed); absent when not settled. */
  stakeReleased?: bigint;
  stateDir: string;
}

const iso = (t: bigint | number) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");

/** Runs one miner for one round to its end (or to its commit, with dropOut). */
export async function runMiner(conn: PoolConnection, options: MinerOptions = {}): Promise<MinerSummary> {
  const emit = (e: MinerEvent) => options.onEvent?.(e);
  const account = conn.account;
  if (!account || !conn.walletClient) throw new MinerError("no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY");
  const me = account.address;
  const pool = conn.poolContract;
  const clock = new ChainClock(conn.publicClient, options.pollMs ?? DEFAULTS.pollMs);
  const signal = options.signal;

  // ---- the round, and whether this miner can mine it ----
  const roundCount = await pool.read.roundCount();
  const roundId = options.round === undefined || options.round === "latest" ? roundCount : options.round;
  if (roundId === 0n) throw new MinerError(`no round has been opened on pool ${conn.pool} yet; wait for the manager to open one`);
  const p = await pool.read.getRound([roundId]);
  if (p.commitEnd === 0) throw new MinerError(`round ${roundId} does not exist on pool ${conn.pool} (it has ${roundCount} rounds); pass --round latest or an existing id`);
  const { space, recipe } = engineFor(roundId, p);
  emit({
    kind: "round",
    roundId,
    commitEnd: BigInt(p.commitEnd),
    revealEnd: BigInt(p.revealEnd),
    verifyEnd: BigInt(p.verifyEnd),
    message: `round ${roundId}: space ${space.name}, recipe ${recipe.name}; commit by ${iso(p.commitEnd)}, reveal by ${iso(p.revealEnd)}, verified by ${iso(p.verifyEnd)}; stake ${fmtTokens(p.minStake)} per task`,
  });

  // ---- persisted state ----
  const dir = options.stateDir ?? defaultStateDir(me, roundId);
  const state = openState(dir, { chainId: conn.chain.id, pool: conn.pool, roundId: String(roundId), miner: me }, () => ({
    seed: options.seed ?? randomInt(2 ** 32),
    strategy: options.strategy ?? DEFAULTS.strategy,
  }));
  if (options.seed !== undefined && options.seed !== state.seed) {
    throw new MinerError(`state dir ${dir} searches with seed ${state.seed}, not ${options.seed}; drop --seed to resume it, or pass another --state-dir`);
  }
  if (options.strategy !== undefined && options.strategy !== state.strategy) {
    throw new MinerError(`state dir ${dir} searches with strategy ${state.strategy}, not ${options.strategy}; drop --strategy to resume it, or pass another --state-dir`);
  }
  const save = () => saveState(dir, state);

  // ---- claim (or find the claim a previous run made) ----
  const claim = await getClaim(conn, clock, roundId, p, options, emit);
  state.task = claim.task;
  state.slot = claim.slot;
  save();
  const role = claim.slot === 0 ? "primary" : "backup";
  const task = BigInt(claim.task);
  const slot = BigInt(claim.slot);
  const submission = () => pool.read.getSubmission([roundId, task, slot]);
  const t = await pool.read.getTask([roundId, task]);
  const subspace = { mask: t.mask, value: t.value };

  // ---- search and commit ----
  // A commit the window closed on is not an error to stop at: the stake is still locked, and
  // only going on to finalize/withdraw releases it. So a missed commit is reported and skipped.
  let evaluations = countEvaluations(checkpointFile(dir));
  let missed: string | undefined;
  if ((await submission()).status === Status.Claimed && !state.commit?.txHash) {
    const landed = state.commit ? await committedTx(conn, roundId, state.commit.commitment) : undefined;
    if (!landed && !state.commit) {
      if ((await clock.now()) > p.commitEnd) missed = "the commit window closed before the search was done";
      else {
        const margin = options.commitMarginSeconds ?? DEFAULTS.commitMarginSeconds;
        const result = await searchTask({
          space,
          recipe,
          subspace,
          strategy: state.strategy as StrategyName,
          seed: state.seed,
          checkpoint: checkpointFile(dir),
          budget: options.budget,
          backend: options.backend ?? DEFAULTS.backend,
          deadline: { stopAt: Number(p.commitEnd) - margin, now: () => clock.now() },
          onEvent: emit,
          signal,
        });
        evaluations = result.history.length;
        if (!result.best) missed = `nothing was evaluated before the commit deadline (${iso(p.commitEnd)} − ${margin} s margin)`;
        else {
          const best = result.best.evaluation.scoreBps;
          const claimedBps = Math.min(10_000, best + Math.max(0, options.inflateBps ?? 0));
          const salt = toHex(randomBytes(32));
          const genome = result.best.genome;
          const commitment = await pool.read.computeCommitment([roundId, task, me, genome, claimedBps, salt]);
          // Persisted before the commit is sent: a crash after sending must still be able to reveal.
          state.commit = { genome, claimedBps, bestScoreBps: best, salt, commitment };
          save();
        }
      }
    }
    const c = state.commit;
    if (c && !missed) {
      if (!landed && (await clock.now()) > p.commitEnd) missed = "the commit window closed before the commit was sent";
      else {
        c.txHash = landed ?? (await sendPool(conn, "commit", [roundId, c.commitment])).hash;
        save();
        const what = `${c.claimedBps} bps${c.claimedBps !== c.bestScoreBps ? ` (measured ${c.bestScoreBps}, inflated: demo cheater)` : ""} for ${describeGenome(space, c.genome)} (commitment ${c.commitment})`;
        emit({
          kind: "committed",
          genome: c.genome,
          claimedBps: c.claimedBps,
          commitment: c.commitment,
          resumed: landed !== undefined,
          message: landed ? `found this miner's commit on chain (tx ${landed}): ${what}` : `committed ${what}`,
        });
      }
    }
    if (missed) {
      emit({ kind: "commit-missed", reason: missed, message: `no commit for round ${roundId}: ${missed} (deadline passed; the claim counts as a no-show); staying to release the stake after ${iso(p.verifyEnd)}` });
    }
  } else if (state.commit?.txHash) {
    emit({ kind: "committed", genome: state.commit.genome, claimedBps: state.commit.claimedBps, commitment: state.commit.commitment, resumed: true, message: `already committed ${state.commit.claimedBps} bps (tx ${state.commit.txHash})` });
  }
  const committed = Boolean(state.commit?.txHash);

  const summary = (revealed: boolean, reward: bigint | null, droppedOut = false): MinerSummary => ({
    roundId,
    task: claim.task,
    slot: claim.slot,
    role,
    genome: committed ? state.commit!.genome : null,
    description: committed ? describeGenome(space, state.commit!.genome) : null,
    bestScoreBps: committed ? state.commit!.bestScoreBps : null,
    claimedBps: committed ? state.commit!.claimedBps : null,
    evaluations,
    revealed,
    droppedOut,
    reward,
    stateDir: dir,
  });

  if (options.dropOut && committed) {
    emit({ kind: "dropped-out", message: "--drop-out (demo only): committed and stopping without revealing, like an unreliable primary" });
    return summary(false, null, true);
  }

  // ---- reveal ----
  let sub = await submission();
  let revealed = sub.status === Status.Revealed || (sub.status === Status.Settled && (await revealedOnChain(conn, roundId, task, slot)));
  if (sub.status !== Status.Claimed) {
    if (revealed) emit({ kind: "revealed", genome: state.commit?.genome ?? ("0x" as Hex), claimedBps: sub.claimedBps, resumed: true, message: `already revealed ${sub.claimedBps} bps` });
  } else if (!committed) {
    emit({ kind: "reveal-skipped", reason: "no commitment", message: "nothing to reveal: no commitment was made for this claim" });
  } else {
    revealed = await reveal(conn, clock, roundId, p, claim, state, space, emit, signal);
  }

  // ---- finalize and withdraw ----
  sub = await submission();
  if (sub.status !== Status.Settled) {
    if (!(await pool.read.getRoundState([roundId])).finalized) {
      emit({ kind: "waiting", until: BigInt(p.verifyEnd), what: "verify end", message: `waiting for the verify window to end at ${iso(p.verifyEnd)} (chain time)` });
      await clock.waitUntilAfter(BigInt(p.verifyEnd), { signal });
    }
    let byUs = false;
    if (!(await pool.read.getRoundState([roundId])).finalized) {
      try {
        await sendPool(conn, "finalize", [roundId]);
        byUs = true;
      } catch (e) {
        if (revertName(e) !== "PoNASPoolAlreadyFinalized") throw e; // another miner was faster: fine
      }
    }
    emit({ kind: "finalized", byUs, message: byUs ? `finalized round ${roundId}` : `round ${roundId} is finalized` });
    if ((await submission()).status !== Status.Settled) {
      try {
        await sendPool(conn, options.settle ? "settle" : "withdraw", [roundId, task, slot]);
      } catch (e) {
        if (revertName(e) !== "PoNASPoolAlreadySettled") throw e; // anyone may settle it for us
      }
    }
  }
  const w = await settlement(conn, roundId, task, slot);
  const how = options.settle ? "credited to the stake" : "transferred";
  emit({
    kind: "settled",
    reward: w.reward,
    resumed: sub.status === Status.Settled,
    message: `settled: reward ${fmtTokens(w.reward)}${w.reward > 0n ? ` ${how}` : ""}${w.unverified ? " (sampled for verification but no quorum was reached: unpaid, not slashed)" : ""}; stake ${w.stakeReleased > 0n ? `of ${fmtTokens(w.stakeReleased)} released` : "slashed (the verifiers found the claim false)"}`,
  });
  return { ...summary(revealed, w.reward), unverified: w.unverified, stakeReleased: w.stakeReleased };
}

/** The space and recipe of a round, from the engine's shipped files; a one-line fix otherwise. */
function engineFor(roundId: bigint, p: { spaceId: Hex; recipeId: Hex; arities: Hex }): { space: SearchSpace; recipe: Recipe } {
  let space: SearchSpace;
  let recipe: Recipe;
  try {
    space = spaceById(p.spaceId);
  } catch {
    throw new MinerError(`round ${roundId} searches space ${p.spaceId}, which this miner does not ship; update the miner (git pull) so nas/spaces/ has it`);
  }
  try {
    recipe = recipeById(p.recipeId);
  } catch {
    throw new MinerError(`round ${roundId} trains with recipe ${p.recipeId}, an unknown recipe id for this miner; update the miner (git pull) so nas/recipes/ has it`);
  }
  if (arities(space).toLowerCase() !== p.arities.toLowerCase()) {
    throw new MinerError(`round ${roundId} declares arities ${p.arities}, but space ${space.name} has ${arities(space)}; the round was opened wrongly, ask its manager`);
  }
  return { space, recipe };
}

/** The claim this miner already holds in the round, or a new one. */
async function getClaim(
  conn: PoolConnection,
  clock: ChainClock,
  roundId: bigint,
  p: { commitEnd: number; minStake: bigint; maxBackups: number },
  options: MinerOptions,
  emit: (e: MinerEvent) => void,
): Promise<Claim> {
  const explicit = typeof options.task === "number" ? options.task : undefined;
  const held = await findClaims(conn, roundId);
  const mine = held.find((c) => explicit === undefined || c.task === explicit) ?? held[0];
  if (mine) {
    emit({ kind: "claimed", ...mine, resumed: true, message: `already holds task ${mine.task} of round ${roundId} as ${mine.slot === 0 ? "primary" : `backup (slot ${mine.slot})`}` });
    return mine;
  }
  if ((await clock.now()) > p.commitEnd) {
    throw new MinerError(`round ${roundId} stopped taking claims at ${iso(p.commitEnd)} (chain time; deadline passed); wait for the next round and run with --round latest`);
  }
  const taskCount = Number((await conn.poolContract.read.getRoundState([roundId])).taskCount);
  if (explicit !== undefined && explicit >= taskCount) {
    throw new MinerError(`round ${roundId} has no task ${explicit}: its tasks are 0..${taskCount - 1}; pick one of them or --task auto`);
  }
  let candidates: number[];
  if (explicit !== undefined) candidates = [explicit];
  else if (options.backup) candidates = await backupTasks(conn, roundId, taskCount, p.maxBackups);
  else candidates = await openTasks(conn, roundId, taskCount);
  if (candidates.length === 0) {
    throw new MinerError(
      options.backup
        ? `no task of round ${roundId} takes a backup now (backups open for new or unreliable primaries while slots are free); run without --backup to claim a task as primary`
        : `every task of round ${roundId} already has a primary miner (task taken and no other); run with --backup to back up an unreliable primary, or wait for the next round`,
    );
  }
  const staked = await ensureStake(conn, p.minStake, options.stake);
  if (staked > 0n) emit({ kind: "staked", amount: staked, message: `staked ${fmtTokens(staked)}` });
  const c = options.backup ? await joinFirst(conn, roundId, candidates) : await claimFirst(conn, roundId, candidates);
  emit({ kind: "claimed", ...c, resumed: false, message: `claimed task ${c.task} of round ${roundId} as ${c.slot === 0 ? "primary" : `backup (slot ${c.slot})`}` });
  return c;
}

/** Waits for this claim's half of the reveal window and reveals, unless there is nothing to do. */
async function reveal(
  conn: PoolConnection,
  clock: ChainClock,
  roundId: bigint,
  p: { commitEnd: number; revealEnd: number },
  claim: Claim,
  state: MinerState,
  space: SearchSpace,
  emit: (e: MinerEvent) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  const pool = conn.poolContract;
  const task = BigInt(claim.task);
  const c = state.commit!;
  const split = await pool.read.backupRevealStart([roundId]);
  const delivered = async () => (await pool.read.getSubmission([roundId, task, 0n])).active !== 0;
  const skip = (reason: string) => {
    emit({ kind: "reveal-skipped", reason, message: `not revealing: ${reason}` });
    return false;
  };
  let now: bigint;
  if (claim.slot === 0) {
    emit({ kind: "waiting", until: BigInt(p.commitEnd), what: "primary reveal window", message: `waiting for the reveal window: primaries reveal after ${iso(p.commitEnd)} until ${iso(split)} (chain time)` });
    now = ((await clock.waitUntilAfter(BigInt(p.commitEnd), { signal })) as { timestamp: bigint }).timestamp;
    if (now > split) return skip(`the primaries' reveal window closed at ${iso(split)}`);
  } else {
    emit({ kind: "waiting", until: split, what: "backup reveal window", message: `waiting for the backups' reveal window after ${iso(split)}; revealing only if the primary does not deliver` });
    const w = await clock.waitUntilAfter(split, { signal, check: async () => ((await delivered()) ? true : undefined) });
    if ("early" in w || (await delivered())) return skip("the task was delivered (a backup reveals only for a primary that did not)");
    now = w.timestamp;
    if (now > BigInt(p.revealEnd)) return skip(`the reveal window closed at ${iso(p.revealEnd)}`);
  }
  try {
    await sendPool(conn, "reveal", [roundId, task, BigInt(claim.slot), c.genome, c.claimedBps, c.salt]);
  } catch (e) {
    const name = revertName(e);
    if (name === "PoNASPoolTaskDelivered") return skip("another backup delivered the task first");
    if (name === "PoNASPoolNotInRevealWindow") return skip("the reveal window closed before the reveal was mined");
    throw e;
  }
  emit({ kind: "revealed", genome: c.genome, claimedBps: c.claimedBps, resumed: false, message: `revealed ${describeGenome(space, c.genome)} at ${c.claimedBps} bps` });
  return true;
}

/** The transaction that recorded `commitment` in `roundId` (from Committed events), if any. */
async function committedTx(conn: PoolConnection, roundId: bigint, commitment: Hex): Promise<Hex | undefined> {
  const logs = await conn.publicClient.getContractEvents({
    address: conn.pool,
    abi: poNASPoolAbi,
    eventName: "Committed",
    args: { roundId, miner: conn.account!.address, commitment },
    fromBlock: conn.fromBlock,
  });
  return logs[0]?.transactionHash ?? undefined;
}

async function revealedOnChain(conn: PoolConnection, roundId: bigint, task: bigint, slot: bigint): Promise<boolean> {
  const logs = await conn.publicClient.getContractEvents({
    address: conn.pool,
    abi: poNASPoolAbi,
    eventName: "Revealed",
    args: { roundId, task, miner: conn.account!.address },
    fromBlock: conn.fromBlock,
  });
  return logs.some((l) => l.args.slot === slot);
}

/** This submission's settlement, from its Withdrawn event (zeros when not found). */
async function settlement(conn: PoolConnection, roundId: bigint, task: bigint, slot: bigint): Promise<{ reward: bigint; stakeReleased: bigint; unverified: boolean }> {
  const logs = await conn.publicClient.getContractEvents({
    address: conn.pool,
    abi: poNASPoolAbi,
    eventName: "Withdrawn",
    args: { roundId, task, miner: conn.account!.address },
    fromBlock: conn.fromBlock,
  });
  const w = logs.find((l) => l.args.slot === slot)?.args;
  return { reward: w?.reward ?? 0n, stakeReleased: w?.stakeReleased ?? 0n, unverified: w?.unverified ?? false };
}

/** Evaluations in a search checkpoint (0 when there is none). */
function countEvaluations(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const cp = JSON.parse(readFileSync(file, "utf8")) as { history?: unknown[] };
    return cp.history?.length ?? 0;
  } catch {
    return 0;
  }
}
