// The miner's state machine, callable in-process with a PoolConnection: round → stake → claim →
// search → commit → reveal → finalize → withdraw. Every step first asks the chain (and the
// persisted state) whether it already happened, so a miner restarted at any point — even after
// kill -9 — carries on: an existing claim is reused, a finished search is not redone, a
// commitment is revealed with the salt persisted before it was sent, a reveal is not repeated.
// Windows are judged by chain time (chain/clock.ts), never by the local clock.
// runMiner reads as the protocol: one phase per step, each taking the run's one context
// (MinerRun) and reading what it needs from it, so no phase has a long list of parameters.
// An unreachable RPC endpoint (connection refused, timeouts, 5xx) does not end the run: the phase
// it hit is run again from its start once the endpoint answers (ops/retry.ts), which is safe
// because every phase asks the chain before it acts — a transaction sent just before the outage
// and mined is found, not sent twice. The search does not even stop: its deadline is judged by
// the last block seen plus local time while the chain cannot be asked. Only when the outage
// outlasted a deadline (the commit or reveal window closed meanwhile) is something missed, and
// the phase that finds it closed says so in one line, naming the outage.
import { randomBytes, randomInt } from "node:crypto";
import { toHex, type Address, type Hex } from "viem";
import { Backoff } from "../ops/backoff.js";
import { isRpcUnavailable, withRpcRetry } from "../ops/retry.js";
import { addressOf, canaryClaimBps, ChainClock, explainError, claimsOf, commitTxOf, finalizeRound, fmtTokens, isoTime, poolError, revealedBy, roundKeyOf, sealFor, sendPool, settlementOf, signerOf, sleep, Status } from "../chain/node.js";
import type { Claim, PoolConnection, RoundParams, Settlement } from "../chain/node.js";
import { arities, checkpointEvaluations, describeGenome, recipeById, recipeForRound, spaceById, type Recipe, type RoundKey, type SearchSpace, type StrategyName } from "../nas/index.js";
import { backupTasks, claimFirst, joinFirst, openTasks } from "./claim.js";
import { MinerError, RETRY } from "./errors.js";
import type { MinerEvent } from "./events.js";
import { DEFAULTS, type MinerOptions } from "./options.js";
import { referenceDigest, searchTask } from "./search.js";
import { ensureStake } from "./stake.js";
import { checkpointFile, defaultStateDir, openState, saveState, type CommitRecord, type MinerState } from "./state.js";

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
  /** Part of that stake paid to the treasury because the claim delivered nothing (noShowBps of it); absent when not settled. */
  noShowFee?: bigint;
  stateDir: string;
}

/** One miner's run of one round: what every phase reads, and the little they hand on. */
interface MinerRun {
  conn: PoolConnection;
  me: Address;
  clock: ChainClock;
  roundId: bigint;
  params: RoundParams;
  space: SearchSpace;
  recipe: Recipe;
  options: MinerOptions;
  /** The persisted state (state.ts) and its directory; `save` writes it atomically. */
  state: MinerState;
  dir: string;
  save: () => void;
  emit: (e: MinerEvent) => void;
  signal?: AbortSignal;
  /** Distinct architectures trained for this task, over all runs (the checkpoint's history). */
  evaluations: number;
  /** The last RPC outage a phase of this run rode out, for the line that reports what it made us miss. */
  outage: Outage;
}

interface Outage {
  /** Since the phase's first failed try (performance.now()); kept after the recovery, cleared when the next phase starts. */
  last?: { what: string; since: number };
}

/** ", after the RPC endpoint was unreachable for N s (while …)" when the phase that missed a deadline rode out an outage, else "". */
const outageNote = (o: Outage) => (o.last ? `, after the RPC endpoint was unreachable for ${((performance.now() - o.last.since) / 1000).toFixed(0)} s (while ${o.last.what})` : "");

/** A run once it holds its task: from the claim on. */
interface ClaimedRun extends MinerRun {
  claim: Claim;
  task: bigint;
  slot: bigint;
}

/** What the summary reports for a submission with no Withdrawn event (not settled). */
const UNSETTLED: Settlement = { reward: 0n, stakeReleased: 0n, unverified: false, noShowFee: 0n };

/** Runs one miner for one round to its end (or to its commit, with dropOut). */
export async function runMiner(conn: PoolConnection, options: MinerOptions = {}): Promise<MinerSummary> {
  const outage: Outage = {};
  const phase = rpcSafe(conn, options, outage);
  const run = await phase("claiming a task", async () => claimPhase(await openRun(conn, options, outage)));
  await phase("searching and committing", () => commitPhase(run));
  if (options.dropOut && committed(run)) {
    run.emit({ kind: "dropped-out", message: "--drop-out (demo only): committed and stopping without revealing, like an unreliable primary" });
    return summary(run, false, null, true);
  }
  const revealed = await phase("revealing", () => revealPhase(run));
  const w = await phase("waiting for the verify window to settle", () => settlePhase(run));
  return { ...summary(run, revealed, w.reward), unverified: w.unverified, stakeReleased: w.stakeReleased, noShowFee: w.noShowFee };
}

/**
 * Runs a phase with withRpcRetry (see the file header): each failed try is an "rpc-retry" event,
 * the recovery an "rpc-recovered" one, and the outage is kept in `outage` for the phase's own
 * report of a deadline it missed meanwhile.
 */
function rpcSafe(conn: PoolConnection, options: MinerOptions, outage: Outage) {
  const emit = (e: MinerEvent) => options.onEvent?.(e);
  return <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    outage.last = undefined;
    return withRpcRetry(fn, {
      signal: options.signal,
      backoff: new Backoff(options.rpcRetry?.firstMs ?? 500, options.rpcRetry?.maxMs ?? 15_000),
      onRetry: (i) => {
        outage.last ??= { what, since: performance.now() - i.outageMs };
        emit({
          kind: "rpc-retry",
          what,
          failures: i.failures,
          retryInMs: i.retryInMs,
          outageMs: i.outageMs,
          error: explainError(i.error),
          message: `RPC ${conn.rpc} unavailable while ${what} (${explainError(i.error)}); trying again in ${(i.retryInMs / 1000).toFixed(1)} s (failure ${i.failures}, ${(i.outageMs / 1000).toFixed(0)} s so far)`,
        });
      },
      onRecovered: (i) =>
        emit({ kind: "rpc-recovered", what, failures: i.failures, outageMs: i.outageMs, message: `RPC ${conn.rpc} answers again after ${(i.outageMs / 1000).toFixed(0)} s (${i.failures} failed tries); ${what} again` }),
    });
  };
}

/** The round, whether this miner can mine it (engine files, signing key), and its persisted state. */
async function openRun(conn: PoolConnection, options: MinerOptions, outage: Outage): Promise<MinerRun> {
  const emit = (e: MinerEvent) => options.onEvent?.(e);
  const me = addressOf(signerOf(conn).account);
  const pool = conn.poolContract;
  const roundCount = await pool.read.roundCount();
  const roundId = options.round === undefined || options.round === "latest" ? roundCount : options.round;
  if (roundId === 0n) throw new MinerError(`no round has been opened on pool ${conn.pool} yet; wait for the manager to open one`);
  const p = await pool.read.getRound([roundId]);
  if (p.commitEnd === 0) throw new MinerError(`round ${roundId} does not exist on pool ${conn.pool} (it has ${roundCount} rounds); pass --round latest or an existing id`);
  const { space, recipe } = engineFor(roundId, p, roundKeyOf(conn, roundId));
  emit({
    kind: "round",
    roundId,
    commitEnd: BigInt(p.commitEnd),
    revealEnd: BigInt(p.revealEnd),
    verifyEnd: BigInt(p.verifyEnd),
    message: `round ${roundId}: space ${space.name}, recipe ${recipe.name}${recipe.seedPerRound ? ` (this round's seed ${recipe.seed})` : ""}; commit by ${isoTime(p.commitEnd)}, reveal by ${isoTime(p.revealEnd)}, verified by ${isoTime(p.verifyEnd)}; stake ${fmtTokens(p.minStake)} per task`,
  });

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
  const clock = new ChainClock(conn.publicClient, options.pollMs ?? DEFAULTS.pollMs);
  const save = () => saveState(dir, state);
  const evaluations = checkpointEvaluations(checkpointFile(dir));
  return { conn, me, clock, roundId, params: p, space, recipe, options, state, dir, save, emit, signal: options.signal, evaluations, outage };
}

/**
 * The space and recipe of a round, from the engine's shipped files (the recipe as this round
 * trains it: recipeForRound); a one-line fix otherwise.
 */
function engineFor(roundId: bigint, p: { spaceId: Hex; recipeId: Hex; arities: Hex }, key: RoundKey): { space: SearchSpace; recipe: Recipe } {
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
  return { space, recipe: recipeForRound(recipe, key) };
}

// ---- claim ----

/** The claim this miner already holds in the round, or a new one; persisted either way. */
async function claimPhase(run: MinerRun): Promise<ClaimedRun> {
  const claim = (await heldClaim(run)) ?? (await newClaim(run));
  run.state.task = claim.task;
  run.state.slot = claim.slot;
  run.save();
  return Object.assign(run, { claim, task: BigInt(claim.task), slot: BigInt(claim.slot) });
}

const roleOf = (c: Claim) => (c.slot === 0 ? "primary" : `backup (slot ${c.slot})`);

/** A claim a previous run made (the one on --task when given), from the chain's Claimed events. */
async function heldClaim({ conn, me, roundId, options, emit }: MinerRun): Promise<Claim | undefined> {
  const explicit = typeof options.task === "number" ? options.task : undefined;
  const held = await claimsOf(conn, roundId, me);
  const mine = held.find((c) => explicit === undefined || c.task === explicit) ?? held[0];
  if (mine) emit({ kind: "claimed", ...mine, resumed: true, message: `already holds task ${mine.task} of round ${roundId} as ${roleOf(mine)}` });
  return mine;
}

/** Picks the candidate tasks, stakes what a claim locks, and claims (or joins as backup) the first that takes us. */
async function newClaim({ conn, clock, roundId, params: p, options, emit }: MinerRun): Promise<Claim> {
  const explicit = typeof options.task === "number" ? options.task : undefined;
  if ((await clock.now()) > p.commitEnd) {
    throw new MinerError(`round ${roundId} stopped taking claims at ${isoTime(p.commitEnd)} (chain time; deadline passed); wait for the next round and run with --round latest`);
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
  emit({ kind: "claimed", ...c, resumed: false, message: `claimed task ${c.task} of round ${roundId} as ${roleOf(c)}` });
  return c;
}

// ---- search and commit ----

const submission = ({ conn, roundId, task, slot }: ClaimedRun) => conn.poolContract.read.getSubmission([roundId, task, slot]);
const committed = (run: MinerRun) => Boolean(run.state.commit?.txHash);

/**
 * Searches the task and commits its best, unless a previous run did (either or both). A commit
 * the window closed on is not an error to stop at: the stake is still locked, and only going on
 * to finalize/withdraw releases it. So a missed commit is reported and skipped.
 */
async function commitPhase(run: ClaimedRun): Promise<void> {
  const { state, emit } = run;
  if ((await submission(run)).status !== Status.Claimed || state.commit?.txHash) {
    const c = state.commit;
    if (c?.txHash) emit({ kind: "committed", genome: c.genome, claimedBps: c.claimedBps, commitment: c.commitment, resumed: true, message: `already committed ${c.claimedBps} bps (tx ${c.txHash})` });
    return;
  }
  // A commitment persisted but not marked sent may have landed before a crash: look for it.
  const landed = state.commit ? await commitTxOf(run.conn, run.roundId, run.me, state.commit.commitment) : undefined;
  const commit = state.commit ?? (await searchPhase(run));
  const missed = "missed" in commit ? commit.missed : await sendCommit(run, commit, landed);
  if (missed) {
    emit({ kind: "commit-missed", reason: missed, message: `no commit for round ${run.roundId}: ${missed}${outageNote(run.outage)} (deadline passed; the claim counts as a no-show, which pays ${fmtTokens((run.params.minStake * BigInt(run.params.noShowBps)) / 10_000n)} of its stake to the treasury); staying to release the rest after ${isoTime(run.params.verifyEnd)}` });
  }
}

/** Searches the task until the budget or commitEnd − margin, and seals its best into a commitment, persisted before it is sent. */
async function searchPhase(run: ClaimedRun): Promise<CommitRecord | { missed: string }> {
  const { conn, clock, roundId, params: p, options, state, dir } = run;
  if ((await clock.now()) > p.commitEnd) return { missed: "the commit window closed before the search was done" };
  const t = await conn.poolContract.read.getTask([roundId, run.task]);
  const margin = options.commitMarginSeconds ?? DEFAULTS.commitMarginSeconds;
  const result = await searchTask({
    space: run.space,
    recipe: run.recipe,
    subspace: { mask: t.mask, value: t.value },
    strategy: state.strategy as StrategyName,
    seed: state.seed,
    checkpoint: checkpointFile(dir),
    budget: options.budget,
    backend: options.backend ?? DEFAULTS.backend,
    deadline: { stopAt: Number(p.commitEnd) - margin, now: () => searchClock(run) },
    onEvent: run.emit,
    signal: run.signal,
  });
  run.evaluations = result.history.length;
  if (!result.best) return { missed: `nothing was evaluated before the commit deadline (${isoTime(p.commitEnd)} − ${margin} s margin)` };
  const best = result.best.evaluation.scoreBps;
  // a canary (the operator's planted known-false claim, chain/canary.ts) under-claims; the demo's cheater over-claims
  const claimedBps = options.canary ? canaryClaimBps(best, p.toleranceBps) : Math.min(10_000, best + Math.max(0, options.inflateBps ?? 0));
  const salt = toHex(randomBytes(32));
  const genome = result.best.genome;
  const commitment = await conn.poolContract.read.computeCommitment([roundId, run.task, run.me, genome, claimedBps, salt]);
  const weightsDigest = await referenceDigest(run.space, run.recipe, result.best);
  // Persisted before the commit is sent: a crash after sending must still be able to reveal.
  state.commit = { genome, claimedBps, bestScoreBps: best, salt, commitment, weightsDigest };
  run.save();
  return state.commit;
}

/**
 * Chain time for the search's deadline: asked of the chain, or, while the RPC endpoint is down,
 * estimated from the last block seen plus local time, so training goes on through an outage
 * (reported as an "rpc-retry" of its own) and stops by the same deadline.
 */
async function searchClock(run: ClaimedRun): Promise<number> {
  try {
    return await run.clock.now();
  } catch (e) {
    const estimate = run.clock.estimate();
    if (!isRpcUnavailable(e) || estimate === undefined) throw e;
    const error = explainError(e);
    run.emit({ kind: "rpc-retry", what: "reading chain time during the search", failures: 1, retryInMs: 0, outageMs: 0, error, message: `RPC ${run.conn.rpc} unavailable during the search (${error}); searching on, judging the commit deadline by the last block seen plus local time` });
    return estimate;
  }
}

/** Sends the commitment (or adopts the one that `landed` before a crash); the reason when the window closed first. */
async function sendCommit(run: ClaimedRun, c: CommitRecord, landed: Hex | undefined): Promise<string | undefined> {
  if (!landed && (await run.clock.now()) > run.params.commitEnd) return "the commit window closed before the commit was sent";
  c.txHash = landed ?? (await sendPool(run.conn, "commit", [run.roundId, c.commitment], RETRY)).hash;
  run.save();
  const what = `${c.claimedBps} bps${c.claimedBps > c.bestScoreBps ? ` (measured ${c.bestScoreBps}, inflated: demo cheater)` : c.claimedBps < c.bestScoreBps ? ` (measured ${c.bestScoreBps}: a canary's under-claim)` : ""} for ${describeGenome(run.space, c.genome)} (commitment ${c.commitment})`;
  run.emit({
    kind: "committed",
    genome: c.genome,
    claimedBps: c.claimedBps,
    commitment: c.commitment,
    resumed: landed !== undefined,
    message: landed ? `found this miner's commit on chain (tx ${landed}): ${what}` : `committed ${what}`,
  });
  return undefined;
}

// ---- reveal ----

/** Whether this claim is revealed: found so on chain, or revealed now in its half of the window. */
async function revealPhase(run: ClaimedRun): Promise<boolean> {
  const sub = await submission(run);
  if (sub.status !== Status.Claimed) {
    const revealed = sub.status === Status.Revealed || (sub.status === Status.Settled && (await revealedBy(run.conn, run.roundId, run.task, run.slot, run.me)));
    if (revealed) run.emit({ kind: "revealed", genome: run.state.commit?.genome ?? ("0x" as Hex), claimedBps: sub.claimedBps, resumed: true, message: `already revealed ${sub.claimedBps} bps` });
    return revealed;
  }
  const skip = (reason: string, message = `not revealing: ${reason}${outageNote(run.outage)}`) => {
    run.emit({ kind: "reveal-skipped", reason, message });
    return false;
  };
  const c = run.state.commit;
  if (!c?.txHash) return skip("no commitment", "nothing to reveal: no commitment was made for this claim");
  if (!c.weightsDigest) {
    // a state written before reveals carried a weights seal: train the committed genome again
    c.weightsDigest = await referenceDigest(run.space, run.recipe, { genome: c.genome });
    run.save();
  }
  const weightsDigest = c.weightsDigest;
  for (;;) {
    const closed = await awaitRevealWindow(run);
    if (closed) {
      if (await afterPause(run)) continue; // a pause moved the window: wait for the new one
      return skip(closed);
    }
    try {
      await sendPool(run.conn, "reveal", [run.roundId, run.task, run.slot, c.genome, c.claimedBps, c.salt, sealFor(run.conn, run.roundId, run.task, weightsDigest)], RETRY);
      break;
    } catch (e) {
      const name = poolError(e)?.name;
      if (name === "PoNASPoolTaskDelivered") return skip("another backup delivered the task first");
      if ((name === "EnforcedPause" || name === "PoNASPoolNotInRevealWindow") && (await afterPause(run))) continue;
      if (name === "PoNASPoolNotInRevealWindow") return skip("the reveal window closed before the reveal was mined");
      throw e;
    }
  }
  // at or below the baseline the claim's P is 0: the pool records it but it delivers nothing (it
  // does not count, a backup may still take the task) and the no-show fee applies at settlement
  const worthless = c.claimedBps <= run.params.baselineBps ? ` (P = 0: not above the baseline ${run.params.baselineBps} bps, so it delivers nothing and pays the no-show fee)` : "";
  run.emit({ kind: "revealed", genome: c.genome, claimedBps: c.claimedBps, resumed: false, message: `revealed ${describeGenome(run.space, c.genome)} at ${c.claimedBps} bps${worthless}` });
  return true;
}

/**
 * Waits out a pause of the pool, then re-reads the round's windows: unpause moves every window that
 * had not passed when the pause began later by its length (WindowsExtended), so a reveal refused
 * while paused, or a window that seems to have closed, may still be open. True when the windows
 * moved (reveal again by the new ones), false when nothing changed (the window really closed).
 */
async function afterPause(run: ClaimedRun): Promise<boolean> {
  const { conn, roundId, emit, signal, options } = run;
  if (await conn.poolContract.read.paused()) {
    emit({ kind: "waiting", until: null, what: "unpause", message: "the pool is paused: waiting for it to be unpaused (the round's open windows are then extended by the pause)" });
    while (await conn.poolContract.read.paused()) {
      if (signal?.aborted) throw new MinerError("stopped while waiting for the pool to be unpaused");
      await sleep(options.pollMs ?? DEFAULTS.pollMs, signal);
    }
  }
  const p = await conn.poolContract.read.getRound([roundId]);
  const moved = p.commitEnd !== run.params.commitEnd || p.revealEnd !== run.params.revealEnd || p.verifyEnd !== run.params.verifyEnd;
  run.params = p;
  if (moved) emit({ kind: "waiting", until: BigInt(p.commitEnd), what: "extended reveal window", message: `a pause extended round ${roundId}: primaries reveal after ${isoTime(p.commitEnd)}, backups until ${isoTime(p.revealEnd)} (chain time)` });
  return moved;
}

/**
 * Waits for this claim's half of the reveal window: a primary's opens at commitEnd, a backup's at
 * backupRevealStart and only if the primary has not delivered. The reason not to reveal, if any.
 */
async function awaitRevealWindow({ conn, clock, roundId, params: p, claim, task, emit, signal }: ClaimedRun): Promise<string | undefined> {
  const pool = conn.poolContract;
  const split = await conn.lensContract.read.backupRevealStart([roundId]);
  if (claim.slot === 0) {
    emit({ kind: "waiting", until: BigInt(p.commitEnd), what: "primary reveal window", message: `waiting for the reveal window: primaries reveal after ${isoTime(p.commitEnd)} until ${isoTime(split)} (chain time)` });
    const now = (await clock.waitUntilAfter(BigInt(p.commitEnd), { signal })).timestamp;
    return now > split ? `the primaries' reveal window closed at ${isoTime(split)}` : undefined;
  }
  const delivered = async () => (await pool.read.getSubmission([roundId, task, 0n])).active !== 0;
  emit({ kind: "waiting", until: split, what: "backup reveal window", message: `waiting for the backups' reveal window after ${isoTime(split)}; revealing only if the primary does not deliver` });
  const w = await clock.waitUntilAfter(split, { signal, check: async () => ((await delivered()) ? true : undefined) });
  if ("early" in w || (await delivered())) return "the task was delivered (a backup reveals only for a primary that did not)";
  return w.timestamp > BigInt(p.revealEnd) ? `the reveal window closed at ${isoTime(p.revealEnd)}` : undefined;
}

// ---- finalize and withdraw ----

/** After verifyEnd: finalizes the round unless someone did, withdraws (or settles) unless someone did, and reports the settlement. */
async function settlePhase(run: ClaimedRun): Promise<Settlement> {
  const { conn, roundId, task, slot, options } = run;
  const sub = await submission(run);
  if (sub.status !== Status.Settled) {
    await finalize(run);
    if ((await submission(run)).status !== Status.Settled) {
      try {
        await sendPool(conn, options.settle ? "settle" : "withdraw", [roundId, task, slot], RETRY);
      } catch (e) {
        if (poolError(e)?.name !== "PoNASPoolAlreadySettled") throw e; // anyone may settle it for us
      }
    }
  }
  const w = (await settlementOf(conn, roundId, task, slot, run.me)) ?? UNSETTLED;
  const how = options.settle ? "credited to the stake" : "transferred";
  run.emit({
    kind: "settled",
    reward: w.reward,
    resumed: sub.status === Status.Settled,
    message: `settled: reward ${fmtTokens(w.reward)}${w.reward > 0n ? ` ${how}` : ""}${w.unverified ? " (sampled for verification but no quorum was reached: unpaid, not slashed)" : ""}; stake ${w.stakeReleased > 0n ? `of ${fmtTokens(w.stakeReleased)} released` : "slashed (the verifiers found the claim false)"}${w.noShowFee > 0n ? `, less a no-show fee of ${fmtTokens(w.noShowFee)} to the treasury (the claim delivered nothing)` : ""}`,
  });
  return w;
}

/** Waits for verifyEnd and finalizes the round, unless it is finalized already (another miner was faster: fine). */
async function finalize({ conn, clock, roundId, params: p, emit, signal }: ClaimedRun): Promise<void> {
  const finalized = async () => (await conn.poolContract.read.getRoundState([roundId])).finalized;
  if (!(await finalized())) {
    emit({ kind: "waiting", until: BigInt(p.verifyEnd), what: "verify end", message: `waiting for the verify window to end at ${isoTime(p.verifyEnd)} (chain time)` });
    await clock.waitUntilAfter(BigInt(p.verifyEnd), { signal });
  }
  // fixes the sample seed first (the randomness source delivers a block or two after the request)
  const byUs = await finalizeRound(conn, roundId, RETRY);
  emit({ kind: "finalized", byUs, message: byUs ? `finalized round ${roundId}` : `round ${roundId} is finalized` });
}

// ---- the summary ----

function summary(run: ClaimedRun, revealed: boolean, reward: bigint | null, droppedOut = false): MinerSummary {
  const c = committed(run) ? run.state.commit! : undefined;
  return {
    roundId: run.roundId,
    task: run.claim.task,
    slot: run.claim.slot,
    role: run.claim.slot === 0 ? "primary" : "backup",
    genome: c ? c.genome : null,
    description: c ? describeGenome(run.space, c.genome) : null,
    bestScoreBps: c ? c.bestScoreBps : null,
    claimedBps: c ? c.claimedBps : null,
    evaluations: Math.max(run.evaluations, checkpointEvaluations(checkpointFile(run.dir))),
    revealed,
    droppedOut,
    reward,
    stateDir: run.dir,
  };
}
