// `--rounds all|N`: the miner as a long-running role, mining round after round with runMiner.
//
// Design: one runMiner per round, run concurrently. A round waits a verify window (and its
// finalize) after its reveal, and the next round's commit window may open meanwhile; waiting for
// the old round to settle first would make the miner miss the new one. Each runMiner is already
// restart-safe on its own state dir, so rounds need no shared state here: this loop only decides
// which rounds to start. It starts them one at a time, each only after the previous one claimed
// (or gave up claiming), because the pool takes one miner's claims in increasing round order
// (PoNASPoolClaimOutOfOrder); sends of concurrent rounds share one nonce queue (RETRY's serial).
//
// Which rounds: first every round this miner holds a claim in that is not settled (from the
// chain's Claimed events, so a restart after kill -9 resumes them, with their state dirs), then
// the round given by --round (latest: the newest when it starts) and every round opened after it,
// found by polling roundCount. A round it cannot claim in (every task taken, the commit window
// closed, an unknown recipe, no tokens) is skipped with one line; with no round open it waits,
// saying so once. N counts rounds claimed by this process (resumed ones included); `all` runs
// until the signal aborts, then waits for nothing more: the unfinished rounds resume next time.
import { join } from "node:path";
import type { Address } from "viem";
import { addressOf, ChainError, explainError, getPoolEvents, signerOf, sleep, Status, type PoolConnection } from "../chain/node.js";
import { Backoff } from "../ops/backoff.js";
import { withRpcRetry } from "../ops/retry.js";
import type { MinerEvent } from "./events.js";
import { runMiner, type MinerSummary } from "./miner.js";
import { DEFAULTS, type MinerOptions } from "./options.js";
import { defaultStateDir } from "./state.js";
import type { MinerMetrics } from "./metrics.js";

export interface RoundsOptions extends Omit<MinerOptions, "stateDir"> {
  /** How many rounds to claim in before stopping, or "all" (until `signal`). */
  rounds: number | "all";
  /** Base directory: round <id> keeps its state in `<stateBase>/round<id>`. Default: each round's defaultStateDir. */
  stateBase?: string;
  /** Each finished round (the CLI prints its summary). */
  onSummary?: (s: MinerSummary) => void;
  /** One line per round skipped or failed, and the waits of this loop (the CLI prints them). */
  onLine?: (line: string) => void;
  metrics?: MinerMetrics;
}

export interface RoundsResult {
  mined: MinerSummary[];
  skipped: { roundId: bigint; reason: string }[];
  failed: { roundId: bigint; error: string }[];
  /** True when the signal ended the loop. */
  stopped: boolean;
}

/** The state dir of round `roundId` in --rounds mode. */
export function roundStateDir(me: Address, roundId: bigint, stateBase?: string): string {
  return stateBase ? join(stateBase, `round${roundId}`) : defaultStateDir(me, roundId);
}

/** Rounds this miner claimed in and has not settled: what a restart must resume. */
export async function unfinishedRounds(conn: PoolConnection, me: Address): Promise<bigint[]> {
  const claims = await getPoolEvents(conn, { eventName: "Claimed", args: { miner: me } });
  const open = new Set<bigint>();
  for (const l of claims) {
    const sub = await conn.poolContract.read.getSubmission([l.args.roundId!, l.args.task!, l.args.slot!]);
    if (sub.status !== Status.Settled) open.add(l.args.roundId!);
  }
  return [...open].sort((a, b) => (a < b ? -1 : 1));
}

export async function runRounds(conn: PoolConnection, options: RoundsOptions): Promise<RoundsResult> {
  const { signal, metrics } = options;
  const me = addressOf(signerOf(conn).account);
  const pollMs = options.pollMs ?? DEFAULTS.pollMs;
  const target = options.rounds === "all" ? Infinity : options.rounds;
  const line = (s: string) => options.onLine?.(s);
  const result: RoundsResult = { mined: [], skipped: [], failed: [], stopped: false };
  const running = new Set<Promise<void>>();
  const started = new Set<bigint>();
  let claimed = 0;
  const emit = (e: MinerEvent) => {
    metrics?.observe(e);
    options.onEvent?.(e);
  };
  // this loop's own reads (roundCount, the resume scan) ride out outages like the phases do
  const read = <T>(what: string, fn: () => Promise<T>) =>
    withRpcRetry(fn, {
      signal,
      backoff: new Backoff(options.rpcRetry?.firstMs ?? 500, options.rpcRetry?.maxMs ?? 15_000),
      onRetry: (i) => emit({ kind: "rpc-retry", what, failures: i.failures, retryInMs: i.retryInMs, outageMs: i.outageMs, error: explainError(i.error), message: `RPC ${conn.rpc} unavailable while ${what} (${explainError(i.error)}); trying again in ${(i.retryInMs / 1000).toFixed(1)} s` }),
      onRecovered: (i) => emit({ kind: "rpc-recovered", what, failures: i.failures, outageMs: i.outageMs, message: `RPC ${conn.rpc} answers again after ${(i.outageMs / 1000).toFixed(0)} s` }),
    }).then((v) => {
      metrics?.rpcAnswered();
      return v;
    });

  /** Starts round `id`; resolves once it holds a claim (true) or ended without one (false). */
  const start = (id: bigint): Promise<boolean> => {
    started.add(id);
    let hasClaim = false;
    let gate!: (claimedNow: boolean) => void;
    const gated = new Promise<boolean>((resolve) => (gate = resolve));
    const done = runMiner(conn, {
      ...options,
      round: id,
      stateDir: roundStateDir(me, id, options.stateBase),
      onEvent: (e) => {
        if (e.kind === "claimed" && !hasClaim) {
          hasClaim = true;
          gate(true);
        }
        emit(e);
      },
    }).then(
      (s) => {
        result.mined.push(s);
        metrics?.roundsMined.inc();
        options.onSummary?.(s);
      },
      (e) => {
        if (signal?.aborted) return; // stopped: the state dir resumes it next time
        const text = explainError(e).replace(/\s*\n\s*/g, " ");
        if (!hasClaim && e instanceof ChainError) {
          result.skipped.push({ roundId: id, reason: text });
          metrics?.roundsSkipped.inc();
          line(`round ${id} skipped: ${text}`);
        } else {
          result.failed.push({ roundId: id, error: text });
          metrics?.roundsFailed.inc();
          line(`error: round ${id}: ${text}${e instanceof ChainError ? "" : " (unexpected; PONAS_DEBUG=1 shows the stack)"}; the miner goes on with the next round, and running it again retries this one`);
          if (process.env.PONAS_DEBUG && e instanceof Error) line(String(e.stack));
        }
      },
    );
    const tracked = done.finally(() => {
      running.delete(tracked);
      gate(false);
    });
    running.add(tracked);
    return gated;
  };

  try {
    const resume = await read("looking for unfinished rounds", () => unfinishedRounds(conn, me));
    if (resume.length > 0) line(`resuming unfinished round(s) ${resume.join(", ")}`);
    for (const id of resume) {
      if (signal?.aborted || claimed >= target) break;
      if (await start(id)) claimed++;
    }
    const count0 = await read("reading the round count", () => conn.poolContract.read.roundCount());
    let next = options.round === undefined || options.round === "latest" ? (count0 > 0n ? count0 : 1n) : options.round;
    let saidWaiting = false;
    while (!signal?.aborted && claimed < target) {
      const count = await read("reading the round count", () => conn.poolContract.read.roundCount());
      for (; next <= count && claimed < target && !signal?.aborted; next++) {
        saidWaiting = false;
        if (started.has(next)) continue;
        if (await start(next)) claimed++;
      }
      if (claimed >= target || signal?.aborted) break;
      if (!saidWaiting) {
        line(`no open round to claim in: waiting for round ${next} to open (polling every ${pollMs} ms)`);
        saidWaiting = true;
      }
      await sleep(pollMs, signal);
    }
  } catch (e) {
    if (!signal?.aborted) throw e;
  }
  // the rounds under way end by themselves (or at the signal, at their next wait)
  while (running.size > 0) await Promise.all([...running]);
  result.stopped = Boolean(signal?.aborted);
  return result;
}
