// `manager run --config <file>`: the operator's long-running pool manager. It opens rounds back to
// back (the next one once the latest round's commit window has closed, plus `gapSeconds`), and
// closes every finished round: finalises it after its verify window, settles the submissions
// nobody settled once `settleAfterSeconds` more have passed (a primary that never revealed would
// otherwise keep its stake locked for ever; `withdraw` pays the miner, never the caller), and
// sweeps the pool's surplus and the committee's unspent fee budget to the treasury.
//
// Restart-safe and idempotent because every decision is read from the chain, never from memory:
// a tick asks the chain what is already done (roundCount and the latest round's windows,
// finalized, each submission's status, sweepable, roundFees.swept) and does only what is not.
// The one way a restart could open a round twice is a crash after the openRound transaction was
// handed to the node and before it was mined: a restarted manager would read the old roundCount.
// So no round is opened while the manager's account has a transaction pending (pending nonce
// above the mined one): the earlier openRound is mined first and then seen. The state file keeps
// only what the chain cannot say: the round id the run stops at (`--rounds N`, fixed before the
// first round is opened) and the first round not yet closed (where the next scan starts).
// Every tick is a no-op or a step forward, so a tick that fails (an RPC outage, a refusal) is
// simply tried again after a backoff (ops/backoff.ts).
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { formatUnits, type Address } from "viem";
import { z } from "zod";
import { addressOf, chainNow, ChainError, explainError, fmtTokens, openRound, poolError, finalizeRound, ROUND_DEFAULTS, sendCommittee, sendPool, signerOf, sleep, Status, type PoolConnection, type RoundOptions } from "../chain/node.js";
import { COST_MODELS, loadSpace, resolveRecipe, writeJsonAtomic } from "../nas/index.js";
import { Backoff } from "../ops/backoff.js";
import { createLogger, type Logger } from "../ops/log.js";
import { isRpcUnavailable } from "../ops/retry.js";
import type { Health } from "../ops/serve.js";

// ---- the config file ----

/**
 * What a real round searches unless the config names another: the 187,500-architecture cell space
 * on Fashion-MNIST, under the short recipe with a per-round seed (minutes per architecture would
 * leave a one-hour commit window a handful of evaluations; see README, "Search space").
 */
export const REAL_ROUND = {
  space: fileURLToPath(new URL("../nas/spaces/fashion-cell-v1.json", import.meta.url)),
  recipe: "fashion-short-v1",
} as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const TOKENS = 'must be a token amount as a string, like "1000" or "0.5"';
const tokens = z.string({ invalid_type_error: TOKENS }).regex(/^\d+(\.\d{1,18})?$/, TOKENS);

/** One round's parameters: RoundOptions in the file's words, ROUND_DEFAULTS where left out. */
const RoundConfig = z
  .object({
    tasks: int(1, 10_000),
    /** Default: the cell space on Fashion-MNIST (REAL_ROUND); the demo's small MNIST space only when named. */
    space: z.string().optional(),
    recipe: z.string().default(REAL_ROUND.recipe),
    /** A fresh seeded permutation of the partition for every round (false: the space's order, the same tasks every round). */
    permutePartition: z.boolean().default(true),
    cost: z.enum(COST_MODELS).default("time"),
    reward: tokens.default(ROUND_DEFAULTS.reward),
    feeBudget: tokens.default(ROUND_DEFAULTS.feeBudget),
    verifierFee: tokens.default(ROUND_DEFAULTS.verifierFee),
    minStake: tokens.optional(),
    commitSeconds: int(10, 1e8).default(ROUND_DEFAULTS.commitSeconds),
    revealSeconds: int(2, 1e8).default(ROUND_DEFAULTS.revealSeconds),
    verifySeconds: int(1, 1e8).default(ROUND_DEFAULTS.verifySeconds),
    baselineBps: int(0, 9999).default(ROUND_DEFAULTS.baselineBps),
    toleranceBps: int(0, 10_000).default(ROUND_DEFAULTS.toleranceBps),
    sampleBps: int(1, 10_000).default(ROUND_DEFAULTS.sampleBps),
    topK: int(0, 8).default(ROUND_DEFAULTS.topK),
    quorum: int(3, 9).default(ROUND_DEFAULTS.quorum),
    slashBps: int(0, 9999).default(ROUND_DEFAULTS.slashBps),
    noShowBps: int(0, 10_000).default(ROUND_DEFAULTS.noShowBps),
    maxBackups: int(0, 8).default(ROUND_DEFAULTS.maxBackups),
    maxTasksPerMiner: int(1, 255).default(ROUND_DEFAULTS.maxTasksPerMiner),
    /** σ_p in bps at or above which backups open (the contract's unit is bps · 1e6). */
    sigmaThresholdBps: int(0, 10_000).default(ROUND_DEFAULTS.sigmaThreshold / 1_000_000),
  })
  .strict();

const ScheduleConfig = z
  .object({
    /** Stop after this many rounds opened by this run (default: run until stopped). */
    rounds: int(1, 1e9).optional(),
    /** Seconds after the latest round's commit window closes before the next round opens. */
    gapSeconds: int(0, 1e8).default(0),
    /** Seconds after a round's verify window before the manager settles what its miners left unsettled (default: the verify window's length). */
    settleAfterSeconds: int(0, 1e8).optional(),
    /** Sweep the pool's surplus and the committee's unspent fees of closed rounds to the treasury. */
    sweep: z.boolean().default(true),
  })
  .strict();

export const RunConfigSchema = z.object({ round: RoundConfig, schedule: ScheduleConfig.default({}) }).strict();
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** Parses a config object; a ChainError of one line naming the first wrong field otherwise. */
export function parseRunConfig(raw: unknown, where = "config"): RunConfig {
  const r = RunConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.join(".") || "(top level)";
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : "";
  throw new ChainError(`${where}: ${field}: ${issue.message}${more}; fix the file (docs/operations.md lists every field)`);
}

/** Reads and parses a JSON config file, in one line when it is missing, not JSON or wrong. */
export function loadRunConfig(file: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ChainError(`cannot read the config file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); pass --config <path to a JSON file>`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ChainError(`config ${file} is not JSON (${(e as Error).message}); fix the file`);
  }
  return parseRunConfig(raw, `config ${file}`);
}

/** The RoundOptions openRound takes, from a parsed config. */
export function roundOptionsOf(c: RunConfig["round"]): RoundOptions {
  return {
    space: loadSpace(c.space ?? REAL_ROUND.space),
    recipe: resolveRecipe(c.recipe),
    tasks: c.tasks,
    cost: c.cost,
    reward: c.reward,
    feeBudget: c.feeBudget,
    verifierFee: c.verifierFee,
    minStake: c.minStake,
    commitSeconds: c.commitSeconds,
    revealSeconds: c.revealSeconds,
    verifySeconds: c.verifySeconds,
    baselineBps: c.baselineBps,
    toleranceBps: c.toleranceBps,
    sampleBps: c.sampleBps,
    topK: c.topK,
    quorum: c.quorum,
    slashBps: c.slashBps,
    noShowBps: c.noShowBps,
    maxBackups: c.maxBackups,
    maxTasksPerMiner: c.maxTasksPerMiner,
    sigmaThreshold: c.sigmaThresholdBps * 1_000_000,
  };
}

// ---- what a restart needs ----

interface RunState {
  version: 1;
  chainId: number;
  pool: Address;
  manager: Address;
  /** The last round id this run opens (from --rounds N at the first start); null: no end. */
  lastRound: string | null;
  /** Every round below this one is closed (finalised, settled, swept): the scan starts here. */
  openFrom: string;
}

export const defaultStateDir = (manager: Address) => path.join(".ponas", `manager-${manager.toLowerCase()}`);

function readState(file: string): RunState | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const s = JSON.parse(text) as RunState;
    if (s.version !== 1 || typeof s.openFrom !== "string") throw new Error("unknown layout");
    return s;
  } catch (e) {
    throw new ChainError(`manager state ${file} is unreadable (${(e as Error).message}); move it away to start afresh (the chain holds every round)`);
  }
}

// ---- metrics ----

export class ManagerMetrics {
  readonly registry = new Registry();
  readonly roundsOpened = new Counter({ name: "ponas_manager_rounds_opened_total", help: "Rounds this manager opened", registers: [this.registry] });
  readonly roundsFinalized = new Counter({ name: "ponas_manager_rounds_finalized_total", help: "Rounds this manager finalised", registers: [this.registry] });
  readonly roundsClosed = new Counter({ name: "ponas_manager_rounds_closed_total", help: "Rounds seen finalised, settled and swept", registers: [this.registry] });
  readonly settled = new Counter({ name: "ponas_manager_submissions_settled_total", help: "Submissions the manager settled for miners who had not", registers: [this.registry] });
  readonly swept = new Counter({ name: "ponas_manager_swept_tokens_total", help: "PONAS swept to the treasury (pool surplus and unspent verifier fees)", registers: [this.registry] });
  readonly openRefused = new Counter({ name: "ponas_manager_open_refused_total", help: "Rounds the chain or the manager's checks refused to open (see the log)", registers: [this.registry] });
  readonly tickErrors = new Counter({ name: "ponas_manager_tick_errors_total", help: "Ticks that failed (RPC outage or a refusal) and were retried", registers: [this.registry] });
  readonly latestRound = new Gauge({ name: "ponas_manager_latest_round", help: "The pool's roundCount when last read", registers: [this.registry] });
  readonly nextOpenSeconds = new Gauge({ name: "ponas_manager_next_open_seconds", help: "Chain seconds until the next round is due (0: due or no more)", registers: [this.registry] });
  readonly lastTick = new Gauge({ name: "ponas_manager_last_tick_timestamp_seconds", help: "Unix time of the last tick that succeeded", registers: [this.registry] });

  withProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry, prefix: "ponas_manager_" });
    return this;
  }
}

// ---- the scheduler ----

export interface RunOptions {
  stateDir?: string;
  /** Stop after this many rounds opened from the first start (overrides schedule.rounds; kept across restarts). */
  rounds?: number;
  pollMs?: number;
  logger?: Logger;
  metrics?: ManagerMetrics;
  signal?: AbortSignal;
}

/** What one tick did, for tests and the log. */
export interface TickReport {
  opened?: bigint;
  finalized: bigint[];
  settled: number;
  swept: bigint;
  closed: bigint[];
  /** True once the last round of a bounded run is opened and every round is closed. */
  done: boolean;
}

export class PoolManagerRun {
  readonly metrics: ManagerMetrics;
  private readonly log: Logger;
  private readonly file: string;
  private readonly options: RoundOptions;
  private state!: RunState;
  private lastOk = 0;
  private failingSince = 0;
  private readonly refusedOnce = new Set<string>();

  constructor(
    private readonly conn: PoolConnection,
    private readonly config: RunConfig,
    private readonly opts: RunOptions = {},
  ) {
    this.metrics = opts.metrics ?? new ManagerMetrics();
    this.log = opts.logger ?? createLogger({ name: "manager" });
    const me = addressOf(signerOf(conn).account);
    this.file = path.join(opts.stateDir ?? defaultStateDir(me), "state.json");
    // read at once: a state dir of another pool or chain is refused before anything is sent
    this.options = roundOptionsOf(config.round);
  }

  private get me(): Address {
    return addressOf(signerOf(this.conn).account);
  }

  /** Loads the state, or writes the first one (with the run's last round) before anything is sent. */
  private async init(): Promise<void> {
    const prior = readState(this.file);
    if (prior) {
      if (prior.chainId !== this.conn.chain.id || prior.pool.toLowerCase() !== this.conn.pool.toLowerCase()) {
        throw new ChainError(`manager state ${this.file} belongs to pool ${prior.pool} on chain ${prior.chainId}, not ${this.conn.pool} on chain ${this.conn.chain.id}; pass another --state-dir`);
      }
      this.state = prior;
      return;
    }
    const count = await this.conn.poolContract.read.roundCount();
    const rounds = this.opts.rounds ?? this.config.schedule.rounds;
    this.state = {
      version: 1,
      chainId: this.conn.chain.id,
      pool: this.conn.pool,
      manager: this.me,
      lastRound: rounds === undefined ? null : String(count + BigInt(rounds)),
      // rounds opened before this run are closed by it too (a manager taking over a pool)
      openFrom: "1",
    };
    this.save();
  }

  private save(): void {
    writeJsonAtomic(this.file, this.state);
  }

  health(): Health {
    const now = Date.now();
    const stale = this.failingSince !== 0 && now - this.failingSince > 60_000;
    return { ok: !stale, lastTickAgoSeconds: this.lastOk ? Math.round((now - this.lastOk) / 1000) : null, failingSeconds: this.failingSince ? Math.round((now - this.failingSince) / 1000) : 0, lastRound: this.state?.lastRound ?? null };
  }

  /** Logs a refusal once per distinct message (a tick every second would repeat it). */
  private refused(key: string, msg: string, fields: Record<string, unknown> = {}): void {
    if (this.refusedOnce.has(key + msg)) return;
    this.refusedOnce.add(key + msg);
    this.log.warn({ ...fields, reason: msg }, key);
  }

  /** One pass: open the next round if due, then close what is finished. Idempotent. */
  async tick(): Promise<TickReport> {
    if (!this.state) await this.init();
    const c = this.conn;
    const report: TickReport = { finalized: [], settled: 0, swept: 0n, closed: [], done: false };
    const now = BigInt(await chainNow(c.publicClient));
    let count = await c.poolContract.read.roundCount();
    const last = this.state.lastRound === null ? null : BigInt(this.state.lastRound);

    // 1. open the next round when the latest one's commit window has closed (+ gap)
    if (last === null || count < last) {
      const latest = count === 0n ? undefined : await c.poolContract.read.getRound([count]);
      const due = latest === undefined ? now : BigInt(latest.commitEnd) + BigInt(this.config.schedule.gapSeconds) + 1n;
      this.metrics.nextOpenSeconds.set(Number(due > now ? due - now : 0n));
      if (now >= due) {
        const opened = await this.openIfQuiet();
        if (opened !== undefined) {
          report.opened = opened;
          count = opened;
        }
      }
    } else this.metrics.nextOpenSeconds.set(0);
    this.metrics.latestRound.set(Number(count));

    // 2. close finished rounds, oldest first
    const settleAfter = BigInt(this.config.schedule.settleAfterSeconds ?? this.config.round.verifySeconds);
    let openFrom = BigInt(this.state.openFrom);
    for (let r = openFrom; r <= count; r++) {
      const closed = await this.closeRound(r, now, settleAfter, report);
      if (closed && r === openFrom) {
        openFrom = r + 1n;
        this.state.openFrom = String(openFrom);
        this.save();
      }
    }
    report.done = last !== null && count >= last && openFrom > last;
    return report;
  }

  /** Opens a round unless a transaction of ours is still pending (see the file's head); the new id or undefined. */
  private async openIfQuiet(): Promise<bigint | undefined> {
    const c = this.conn;
    const [mined, pending] = await Promise.all([
      c.publicClient.getTransactionCount({ address: this.me, blockTag: "latest" }),
      c.publicClient.getTransactionCount({ address: this.me, blockTag: "pending" }),
    ]);
    if (pending > mined) {
      this.log.info({ pending: pending - mined }, "a transaction of ours is pending: opening waits until it is mined");
      return undefined;
    }
    if (await c.poolContract.read.paused()) {
      this.refused("not opening: the pool is paused", "rounds open again after unpause");
      return undefined;
    }
    try {
      // a new permutation each round: last round's tasks (and their published bests) do not repeat
      const partitionSeed = this.config.round.permutePartition ? randomInt(2 ** 32) : undefined;
      const r = await openRound(c, { ...this.options, partitionSeed });
      this.metrics.roundsOpened.inc();
      this.refusedOnce.clear();
      this.log.info({ round: Number(r.roundId), tasks: r.tasks.length, partitionSeed, minStake: fmtTokens(r.minStake), tx: r.tx }, "round opened");
      return r.roundId;
    } catch (e) {
      // a refusal the operator must fix (balance, parameters): said once, retried every tick; an
      // RPC outage inside openRound is not one: it fails the tick, retried with backoff
      if (!isRpcUnavailable(e) && (e instanceof ChainError || poolError(e))) {
        this.metrics.openRefused.inc();
        this.refused("not opening a round", explainError(e));
        return undefined;
      }
      throw e;
    }
  }

  /** Finalises, settles leftovers and sweeps round `r` as far as its windows allow; true when nothing is left to do. */
  private async closeRound(r: bigint, now: bigint, settleAfter: bigint, report: TickReport): Promise<boolean> {
    const c = this.conn;
    const p = await c.poolContract.read.getRound([r]);
    if (now <= BigInt(p.verifyEnd)) return false;
    let s = await c.poolContract.read.getRoundState([r]);
    if (!s.finalized) {
      try {
        if (await finalizeRound(c, r)) {
          report.finalized.push(r);
          this.metrics.roundsFinalized.inc();
          this.log.info({ round: Number(r) }, "round finalised");
        }
      } catch (e) {
        // a paused pool holds rounds whose reveal window it cut into; they finalise after unpause
        if (poolError(e)?.name === "EnforcedPause") return false;
        throw e;
      }
      s = await c.poolContract.read.getRoundState([r]);
    }

    // until settleAfter has passed the miners settle their own (the round is not closed before
    // then): nothing to read every tick; after it, every submission left is settled here, once
    if (now <= BigInt(p.verifyEnd) + settleAfter) return false;
    for (let task = 0n; task < BigInt(s.taskCount); task++) {
      for (let slot = 0n; slot <= BigInt(p.maxBackups); slot++) {
        const sub = await c.poolContract.read.getSubmission([r, task, slot]);
        if (sub.status === Status.None) break; // slots fill in order
        if (sub.status === Status.Settled) continue;
        // withdraw pays the miner (reward and released stake stay the miner's); anyone may send it
        await sendPool(c, "withdraw", [r, task, slot]).catch((e: unknown) => {
          if (poolError(e)?.name !== "PoNASPoolAlreadySettled") throw e; // the miner was first
        });
        report.settled++;
        this.metrics.settled.inc();
        this.log.info({ round: Number(r), task: Number(task), slot: Number(slot), miner: sub.miner }, "settled a submission its miner left unsettled");
      }
    }
    if (!this.config.schedule.sweep) return true;

    const surplus = await c.lensContract.read.sweepable([r]);
    if (surplus > 0n) {
      await sendPool(c, "sweep", [r]);
      report.swept += surplus;
      this.metrics.swept.inc(Number(formatUnits(surplus, 18)));
      this.log.info({ round: Number(r), amount: fmtTokens(surplus) }, "swept the round's surplus to the treasury");
    }
    const fees = await c.committeeContract.read.roundFees([r]);
    const left = fees.swept ? 0n : BigInt(fees.budget) - BigInt(fees.spent) + BigInt(fees.penalties);
    if (left > 0n) {
      await sendCommittee(c, "sweepFees", [r]);
      report.swept += left;
      this.metrics.swept.inc(Number(formatUnits(left, 18)));
      this.log.info({ round: Number(r), amount: fmtTokens(left) }, "swept the round's unspent verifier fees to the treasury");
    }
    report.closed.push(r);
    this.metrics.roundsClosed.inc();
    return true;
  }

  /** Ticks until stopped (or until a bounded run is done), retrying failed ticks with backoff. */
  async run(): Promise<void> {
    const backoff = new Backoff(500, 30_000);
    const pollMs = this.opts.pollMs ?? 2000;
    const signal = this.opts.signal;
    while (!signal?.aborted) {
      let wait = pollMs;
      try {
        const r = await this.tick();
        backoff.reset();
        this.lastOk = Date.now();
        this.failingSince = 0;
        this.metrics.lastTick.set(Math.floor(this.lastOk / 1000));
        if (r.done) {
          this.log.info({ lastRound: this.state.lastRound }, "every round of this run is opened and closed: stopping");
          return;
        }
      } catch (e) {
        this.metrics.tickErrors.inc();
        if (!this.failingSince) this.failingSince = Date.now();
        wait = backoff.next();
        this.log.warn({ err: explainError(e), retryInMs: wait, failures: backoff.failures }, "tick failed; trying again");
      }
      await sleep(wait, signal).catch(() => undefined);
    }
  }
}
