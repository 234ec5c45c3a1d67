// The verifier node: follows the pool with viem and, for every round in its verify window,
// re-trains each sampled submission under the round's recipe and attests the measured score.
//
// The chain is the source of truth. Pool events are read in order from the last processed block
// (state.ts) up to the head minus `confirmations`; rounds and their revealed submissions are kept
// in memory and rebuilt after a restart by reading again from the opening block of every round
// that was still open. Before anything is sent, the chain is asked again (own attestation?
// already final? still in the window?), and the pool's own refusals (AlreadyAttested,
// AlreadyFinal) count as "done", so a node killed at any point and restarted neither attests
// twice nor misses a submission. Training runs in TrainerPool worker processes (`workers` jobs at
// a time); the event loop only reads the chain and sends transactions. An unreachable RPC is
// waited out with exponential backoff, logging what the node is waiting for.
import { BaseError, ContractFunctionRevertedError, HttpRequestError, TimeoutError, formatUnits, type Address, type Hex, type TransactionReceipt } from "viem";
import type { PoolConnection } from "../chain/connect.js";
import { explainError } from "../chain/errors.js";
import { poNASPoolAbi } from "../deployments/index.js";
import {
  describeGenome,
  recipeById,
  recipeId,
  spaceById,
  spacePathById,
  type BackendName,
  type Recipe,
  type SearchSpace,
} from "../nas/index.js";
import { Backoff, sleep } from "./backoff.js";
import { OracleError } from "./errors.js";
import { createLogger, type Logger } from "./log.js";
import { OracleMetrics, type Health } from "./metrics.js";
import { parseChallengePolicy, type ChallengePolicy } from "./policy.js";
import { StateStore, type OracleState } from "./state.js";
import { Trainers } from "./trainers.js";

/** IPoNASPool.Status.Revealed: the only status a submission can be attested in. */
const STATUS_REVEALED = 2;

export interface OracleOptions {
  /** Where state.json lives (see state.ts); one directory per verifier key and pool. */
  stateDir: string;
  /** tfjs backend for re-training; default "wasm", the engine's default, so scores match miners' bit for bit. */
  backend?: BackendName;
  /** Training worker processes, i.e. trainings at a time; default 1. */
  workers?: number;
  /** Blocks to wait before reading a block's events; default 0 (a local chain mines on demand). */
  confirmations?: number;
  /** Pause between two looks at the chain, ms; default 1000. */
  pollMs?: number;
  /** Which claims to challenge; default none. */
  challenge?: ChallengePolicy;
  /** Top up the verifier stake to the pool's minimum at start when it is below. */
  autoStake?: boolean;
  /** Most blocks per eth_getLogs request; default 2000 (public RPCs cap the range). */
  blockRange?: number;
  logger?: Logger;
  metrics?: OracleMetrics;
}

type RoundParams = Awaited<ReturnType<PoolConnection["poolContract"]["read"]["getRound"]>>;

interface Engine {
  space: SearchSpace;
  spacePath: string;
  recipe: Recipe;
  recipeKey: string;
}

interface Round {
  id: bigint;
  openedBlock: bigint;
  params: RoundParams;
  seed?: Hex;
  /** How to re-train this round's submissions; null when its space or recipe is not shipped. */
  engine: Engine | null;
  subs: Map<string, Sub>;
}

/**
 * new: not yet checked against the chain · unsampled: not in the sample (re-checked when
 * challenged) · queued/training/attesting: this verifier's job · done: attested by us or final ·
 * missed: the window ended first · gone: no longer attestable (not revealed).
 */
type SubState = "new" | "unsampled" | "queued" | "training" | "attesting" | "done" | "missed" | "gone";

interface Sub {
  round: Round;
  task: bigint;
  slot: bigint;
  miner: Address;
  genome: Hex;
  claimedBps: number;
  state: SubState;
  challenged: boolean;
  /** This node decided about challenging it (sent one, or found it pointless). */
  challengeDone: boolean;
  /** Measured score waiting to be attested (kept across RPC retries, not across restarts). */
  score?: number;
  /** Worker crashes while training it; each delays the next try. */
  failures: number;
  retryAt: number;
}

type CheckResult = "todo" | "attested" | "final" | "unsampled" | "gone";

const key = (round: bigint, task: bigint, slot: bigint) => `${round}/${task}/${slot}`;
const ctx = (s: Sub) => ({ round: Number(s.round.id), task: Number(s.task), slot: Number(s.slot) });

/** The pool's custom error name in a viem error, if it is a revert. */
export function revertName(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const r = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  return r?.data?.errorName ?? (r ? "revert" : undefined);
}

/** True when the RPC endpoint could not be reached or did not answer in time. */
export function isUnreachable(e: unknown): boolean {
  return e instanceof BaseError && e.walk((x) => x instanceof HttpRequestError || x instanceof TimeoutError) !== null;
}

export class OracleNode {
  readonly address: Address;
  readonly log: Logger;
  readonly metrics: OracleMetrics;
  private readonly store: StateStore;
  private state!: OracleState;
  private readonly trainers: Trainers;
  private readonly rounds = new Map<bigint, Round>();
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private txLock: Promise<unknown> = Promise.resolve();
  private readonly o: Required<Omit<OracleOptions, "logger" | "metrics">>;
  private lastSyncAt = 0;
  private waitingFor = "start";
  private lastError?: string;

  constructor(
    readonly conn: PoolConnection,
    options: OracleOptions,
  ) {
    if (!conn.account || !conn.walletClient) throw new OracleError("the oracle signs attestations: connect with an account (--key-file or $PONAS_PRIVATE_KEY)");
    this.address = conn.account.address;
    this.o = {
      stateDir: options.stateDir,
      backend: options.backend ?? "wasm",
      workers: options.workers ?? 1,
      confirmations: options.confirmations ?? 0,
      pollMs: options.pollMs ?? 1000,
      challenge: options.challenge ?? parseChallengePolicy("none"),
      autoStake: options.autoStake ?? false,
      blockRange: options.blockRange ?? 2000,
    };
    if (!Number.isInteger(this.o.workers) || this.o.workers < 1) throw new OracleError(`workers must be a positive integer, got ${this.o.workers}`);
    if (!Number.isInteger(this.o.confirmations) || this.o.confirmations < 0) throw new OracleError(`confirmations must be a non-negative integer`);
    this.log = options.logger ?? createLogger();
    this.metrics = options.metrics ?? new OracleMetrics();
    this.store = new StateStore(this.o.stateDir);
    this.trainers = new Trainers({ backend: this.o.backend, workers: this.o.workers });
  }

  /**
   * Checks that this key is a staked committee verifier, loads the state and starts following
   * the chain. Throws an OracleError (one line) when it cannot verify at all.
   */
  async start(): Promise<void> {
    this.state = this.store.load({ chainId: this.conn.chain.id, pool: this.conn.pool, verifier: this.address, fromBlock: this.conn.fromBlock });
    await this.checkVerifier();
    // Rounds still open when the node stopped: read their events again from where they opened,
    // so their submissions are back in memory (the events are the record, not our state).
    for (const opened of this.state.rounds.values()) {
      if (opened - 1n < this.state.lastBlock) this.state.lastBlock = opened - 1n;
    }
    this.log.info(
      {
        verifier: this.address,
        pool: this.conn.pool,
        chainId: this.conn.chain.id,
        fromBlock: Number(this.state.lastBlock + 1n),
        backend: this.o.backend,
        workers: this.o.workers,
        confirmations: this.o.confirmations,
        challenge: this.o.challenge.text,
        stateDir: this.o.stateDir,
      },
      "oracle started",
    );
    this.loop = this.run();
  }

  /** Stops following the chain and the training workers; saves the state. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.trainers.close();
    await this.loop;
    await Promise.allSettled([...this.running]);
    if (this.state) this.store.save(this.state);
    this.log.info({ lastBlock: Number(this.state?.lastBlock ?? 0n) }, "oracle stopped");
  }

  /** For /healthz: read the chain successfully within the last max(10 polls, 60 s). */
  health(): Health {
    const age = this.lastSyncAt ? Date.now() - this.lastSyncAt : null;
    const ok = !this.abort.signal.aborted && age !== null && age < Math.max(10 * this.o.pollMs, 60_000);
    const pending = this.pendingJobs();
    return {
      ok,
      verifier: this.address,
      lastBlock: this.state ? Number(this.state.lastBlock) : null,
      lastSyncAgeMs: age,
      jobsPending: pending,
      training: [...this.allSubs()].filter((s) => s.state === "training").length,
      // what it is stuck on, while the chain cannot be read
      ...(this.lastError ? { waitingFor: this.waitingFor, lastError: this.lastError } : {}),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Start-up checks
  // -------------------------------------------------------------------------------------------

  private async checkVerifier(): Promise<void> {
    const read = this.conn.poolContract.read;
    const [acct, min] = await Promise.all([read.verifierAccount([this.address]), read.minVerifierStake()]);
    if (!acct.active) {
      throw new OracleError(`${this.address} is not an active verifier of pool ${this.conn.pool}; ask the pool admin to call setVerifier(${this.address}, true)`);
    }
    if (acct.stake >= min) return;
    const need = min - acct.stake;
    const fmt = (v: bigint) => `${formatUnits(v, 18)} PONAS`;
    if (!this.o.autoStake) {
      throw new OracleError(`verifier stake ${fmt(acct.stake)} is below the pool's minimum ${fmt(min)}; run with --auto-stake to add ${fmt(need)} from ${this.address}`);
    }
    const balance = await this.conn.tokenContract.read.balanceOf([this.address]);
    if (balance < need) throw new OracleError(`--auto-stake needs ${fmt(need)} but ${this.address} holds ${fmt(balance)}; get PONAS first`);
    const approve = await this.conn.tokenContract.write.approve([this.conn.pool, need], { account: this.conn.account!, chain: this.conn.chain });
    await this.mined(approve);
    await this.sendPool("stakeVerifier", [need]);
    this.log.info({ staked: formatUnits(need, 18) }, "verifier stake topped up to the pool's minimum");
  }

  // -------------------------------------------------------------------------------------------
  // The loop
  // -------------------------------------------------------------------------------------------

  private async run(): Promise<void> {
    const backoff = new Backoff(500, 30_000);
    while (!this.abort.signal.aborted) {
      try {
        await this.tick();
        if (backoff.failures > 0) this.log.info({ after: backoff.failures }, "chain reachable again");
        backoff.reset();
        this.lastSyncAt = Date.now();
        this.lastError = undefined;
        await sleep(this.o.pollMs, this.abort.signal);
      } catch (e) {
        if (this.abort.signal.aborted) break;
        const wait = backoff.next();
        this.lastError = explainError(e);
        this.metrics.rpcErrors.inc();
        this.log.warn(
          { waitingFor: this.waitingFor, error: this.lastError, retryInMs: wait, failures: backoff.failures },
          isUnreachable(e) ? "RPC unavailable; retrying" : "chain read failed; retrying",
        );
        await sleep(wait, this.abort.signal);
      }
    }
  }

  /** One look at the chain: read new events, then act on every open round. */
  private async tick(): Promise<void> {
    const pc = this.conn.publicClient;
    this.waitingFor = "the latest block number";
    const head = await pc.getBlockNumber({ cacheTime: 0 });
    if (head < this.state.lastBlock) {
      this.log.warn({ head: Number(head), lastBlock: Number(this.state.lastBlock) }, "the chain is behind the saved state (a restarted dev chain?); reading it again from the deployment block");
      this.state.lastBlock = this.conn.fromBlock - 1n;
      this.state.rounds.clear();
      this.state.pendingTx.clear();
      this.rounds.clear();
    }
    const safe = head - BigInt(this.o.confirmations);
    for (let from = this.state.lastBlock + 1n; from <= safe && !this.abort.signal.aborted; ) {
      const to = safe < from + BigInt(this.o.blockRange) - 1n ? safe : from + BigInt(this.o.blockRange) - 1n;
      this.waitingFor = `pool events in blocks ${from}..${to}`;
      const logs = await pc.getContractEvents({ address: this.conn.pool, abi: poNASPoolAbi, fromBlock: from, toBlock: to, strict: true });
      for (const l of logs) this.apply(l);
      this.state.lastBlock = to;
      this.metrics.lastBlock.set(Number(to));
      this.store.save(this.state);
      from = to + 1n;
    }
    this.waitingFor = "the latest block's timestamp";
    const now = (await pc.getBlock({ blockTag: "latest" })).timestamp;
    for (const r of [...this.rounds.values()]) {
      if (this.abort.signal.aborted) return;
      await this.processRound(r, now);
    }
    this.pump();
  }

  // -------------------------------------------------------------------------------------------
  // Events → memory (idempotent: a restart reads some events twice)
  // -------------------------------------------------------------------------------------------

  private apply(l: { eventName: string; args: unknown; blockNumber: bigint | null }): void {
    const a = l.args as Record<string, unknown>;
    const sub = () => this.rounds.get(a.roundId as bigint)?.subs.get(key(a.roundId as bigint, a.task as bigint, a.slot as bigint));
    switch (l.eventName) {
      case "RoundOpened":
        this.addRound(a.roundId as bigint, a.params as RoundParams, l.blockNumber!);
        break;
      case "SampleSeedFixed": {
        const r = this.rounds.get(a.roundId as bigint);
        if (r) r.seed = a.seed as Hex;
        break;
      }
      case "Revealed": {
        const r = this.rounds.get(a.roundId as bigint);
        const k = key(a.roundId as bigint, a.task as bigint, a.slot as bigint);
        if (!r || r.subs.has(k)) break; // a round that ended before the node's history starts
        r.subs.set(k, {
          round: r,
          task: a.task as bigint,
          slot: a.slot as bigint,
          miner: a.miner as Address,
          genome: a.genome as Hex,
          claimedBps: Number(a.claimedBps),
          state: "new",
          challenged: false,
          challengeDone: false,
          failures: 0,
          retryAt: 0,
        });
        break;
      }
      case "Challenged": {
        const s = sub();
        if (!s) break;
        s.challenged = true;
        s.challengeDone = true;
        if (s.state === "unsampled") s.state = "new"; // now in the sample
        break;
      }
      case "Attested": {
        const s = sub();
        // ours: nothing left to do (a job in flight re-checks the chain before it sends)
        if (s && (a.verifier as string).toLowerCase() === this.address.toLowerCase() && ["new", "unsampled", "queued"].includes(s.state)) s.state = "done";
        break;
      }
      case "Verified": {
        const s = sub();
        if (s && ["new", "unsampled", "queued"].includes(s.state)) s.state = "done";
        break;
      }
    }
  }

  private addRound(id: bigint, params: RoundParams, openedBlock: bigint): void {
    if (this.rounds.has(id)) return;
    let engine: Engine | null = null;
    try {
      const recipe = recipeById(params.recipeId);
      engine = { space: spaceById(params.spaceId), spacePath: spacePathById(params.spaceId), recipe, recipeKey: recipeId(recipe) };
    } catch (e) {
      // Not fatal: other rounds may be verifiable. Said once, when the round is first seen.
      this.log.error({ round: Number(id), error: explainError(e) }, "cannot verify this round");
    }
    this.rounds.set(id, { id, openedBlock, params, engine, subs: new Map() });
    this.state.rounds.set(id, openedBlock);
  }

  // -------------------------------------------------------------------------------------------
  // Rounds
  // -------------------------------------------------------------------------------------------

  private async processRound(r: Round, now: bigint): Promise<void> {
    const p = r.params;
    if (now > BigInt(p.verifyEnd)) return this.closeRound(r);
    if (now <= BigInt(p.revealEnd) || !r.engine) return;
    // Sampling is decided by the seed; isSampled reverts until it is fixed.
    if (!r.seed) {
      this.waitingFor = `round ${r.id}'s sample seed`;
      const s = await this.conn.poolContract.read.getRoundState([r.id]);
      if (/^0x0*$/.test(s.seed)) {
        await this.sendPool("fixSampleSeed", [r.id]).catch((e) => {
          // NotInVerifyWindow: the window closed meanwhile; closeRound handles it next time
          if (!revertName(e)) throw e;
        });
        const seed = (await this.conn.poolContract.read.getRoundState([r.id])).seed;
        if (/^0x0*$/.test(seed)) return;
        r.seed = seed;
        this.log.info({ round: Number(r.id), seed }, "sample seed fixed");
      } else {
        r.seed = s.seed;
      }
    }
    for (const s of r.subs.values()) {
      if (this.abort.signal.aborted) return;
      if (s.state === "new") {
        const c = await this.check(s);
        s.state = c === "todo" ? "queued" : c === "unsampled" ? "unsampled" : c === "gone" ? "gone" : "done";
        this.log.debug({ ...ctx(s), check: c }, "submission checked");
      }
      if (s.state === "unsampled" && !s.challengeDone && !s.challenged && this.o.challenge.shouldChallenge(s.claimedBps)) {
        await this.challenge(s);
      }
    }
    this.updatePending();
  }

  /**
   * The verify window ended: a sampled submission still waiting for its turn is missed. (A job
   * already training or attesting finds out from the pool's NotInVerifyWindow and counts itself.)
   */
  private closeRound(r: Round): void {
    for (const s of r.subs.values()) {
      if (s.state === "queued") {
        this.metrics.missed.inc();
        this.log.warn({ ...ctx(s), state: s.state }, "missed: the verify window ended before this verifier attested");
        s.state = "missed";
      }
    }
    this.rounds.delete(r.id);
    this.state.rounds.delete(r.id);
    for (const k of this.state.pendingTx.keys()) if (k.startsWith(`${r.id}/`)) this.state.pendingTx.delete(k);
    this.store.save(this.state);
    this.updatePending();
    if (r.subs.size > 0) this.log.info({ round: Number(r.id), submissions: r.subs.size }, "round's verify window ended");
  }

  /** What the chain says about a submission, for this verifier. */
  private async check(s: Sub): Promise<CheckResult> {
    const read = this.conn.poolContract.read;
    const args = [s.round.id, s.task, s.slot] as const;
    this.waitingFor = `round ${s.round.id} task ${s.task} slot ${s.slot} on chain`;
    const sub = await read.getSubmission([...args]);
    if (sub.status !== STATUS_REVEALED) return "gone";
    for (let i = 0; i < sub.attestations; i++) {
      const [verifier] = await read.getAttestation([...args, BigInt(i)]);
      if (verifier.toLowerCase() === this.address.toLowerCase()) return "attested";
    }
    if (sub.attestations >= s.round.params.quorum) return "final";
    return (await read.isSampled([...args])) ? "todo" : "unsampled";
  }

  private async challenge(s: Sub): Promise<void> {
    s.challengeDone = true;
    try {
      const hash = await this.sendPool("challenge", [s.round.id, s.task, s.slot]);
      s.challenged = true;
      s.state = "new"; // sampled now: checked and queued on the next look
      this.metrics.challenges.inc();
      this.log.info({ ...ctx(s), claimedBps: s.claimedBps, policy: this.o.challenge.text, tx: hash }, "challenged");
    } catch (e) {
      const name = revertName(e);
      if (!name) {
        s.challengeDone = false; // RPC trouble: try again on the next look
        throw e;
      }
      this.log.info({ ...ctx(s), reason: explainError(e) }, "challenge not needed");
    }
  }

  // -------------------------------------------------------------------------------------------
  // Jobs: re-train and attest, `workers` at a time, earliest deadline first
  // -------------------------------------------------------------------------------------------

  private *allSubs(): Generator<Sub> {
    for (const r of this.rounds.values()) yield* r.subs.values();
  }

  private pendingJobs(): number {
    let n = 0;
    for (const s of this.allSubs()) if (s.state === "queued" || s.state === "training" || s.state === "attesting") n++;
    return n;
  }

  private updatePending(): void {
    this.metrics.jobsPending.set(this.pendingJobs());
  }

  private pump(): void {
    while (this.running.size < this.o.workers && !this.abort.signal.aborted) {
      const now = Date.now();
      let next: Sub | undefined;
      for (const s of this.allSubs()) {
        if (s.state !== "queued" || s.retryAt > now) continue;
        const earlier =
          !next ||
          s.round.params.verifyEnd < next.round.params.verifyEnd ||
          (s.round.params.verifyEnd === next.round.params.verifyEnd && s.claimedBps > next.claimedBps);
        if (earlier) next = s;
      }
      if (!next) break;
      next.state = "training";
      const job: Promise<void> = this.job(next).finally(() => {
        this.running.delete(job);
        this.updatePending();
        this.pump();
      });
      this.running.add(job);
    }
    this.updatePending();
  }

  private async job(s: Sub): Promise<void> {
    const e = s.round.engine!;
    if (s.score === undefined) {
      // The job may have waited behind others: skip it if the chain no longer needs it.
      const c = await this.check(s).catch(() => "todo" as const); // RPC trouble: find out after training
      if (c !== "todo") {
        this.log.info({ ...ctx(s), check: c }, "no longer needed");
        s.state = c === "unsampled" ? "unsampled" : c === "gone" ? "gone" : "done";
        return;
      }
      this.log.info(
        { ...ctx(s), miner: s.miner, genome: s.genome, architecture: describeGenome(e.space, s.genome), claimedBps: s.claimedBps, recipe: e.recipe.name },
        "training",
      );
      let result;
      try {
        result = await this.trainers.train(e.spacePath, e.recipeKey, e.recipe, s.genome);
      } catch (err) {
        s.state = "queued";
        if (this.abort.signal.aborted) return;
        // A dead worker says nothing about the model: never attest a score that was not measured.
        s.failures++;
        const wait = Math.min(60_000, 1000 * 2 ** (s.failures - 1));
        s.retryAt = Date.now() + wait;
        this.log.error({ ...ctx(s), error: explainError(err), failures: s.failures, retryInMs: wait }, "training worker failed; will train again");
        setTimeout(() => this.pump(), wait).unref();
        return;
      }
      this.metrics.trainingSeconds.observe(result.seconds);
      if (result.reason) this.log.warn({ ...ctx(s), reason: result.reason }, "the model failed to build or train: attesting score 0");
      this.log.info(
        { ...ctx(s), scoreBps: result.scoreBps, claimedBps: s.claimedBps, seconds: Number(result.seconds.toFixed(3)), backend: result.backend, weightsHash: result.weightsHash },
        "trained",
      );
      s.score = result.scoreBps;
    }
    s.state = "attesting";
    const backoff = new Backoff(500, 15_000);
    while (!this.abort.signal.aborted) {
      try {
        s.state = await this.attest(s, s.score);
        return;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        const wait = backoff.next();
        this.metrics.rpcErrors.inc();
        this.log.warn(
          { ...ctx(s), waitingFor: this.waitingFor, error: explainError(err), retryInMs: wait },
          isUnreachable(err) ? "RPC unavailable; retrying" : "attest failed; retrying",
        );
        await sleep(wait, this.abort.signal);
      }
    }
    s.state = "queued"; // stopped: the score is kept in memory only; a restart re-trains
  }

  /** Attests `score` once, unless the chain says it is no longer needed. Returns the new state. */
  private async attest(s: Sub, score: number): Promise<SubState> {
    const r = s.round;
    const k = key(r.id, s.task, s.slot);
    const pc = this.conn.publicClient;

    // A transaction sent before a crash or an RPC error may still be on its way: wait for it
    // rather than send a second one.
    const earlier = this.state.pendingTx.get(k);
    if (earlier) {
      this.waitingFor = `earlier attest transaction ${earlier}`;
      const rc = await this.receiptIfAny(earlier);
      this.state.pendingTx.delete(k);
      this.store.save(this.state);
      if (rc?.status === "success") {
        this.attested(s, score, earlier, "attested (earlier transaction)");
        return "done";
      }
    }

    const c = await this.check(s);
    if (c === "attested" || c === "final") {
      this.log.info({ ...ctx(s), check: c }, c === "attested" ? "already attested" : "already final");
      return "done";
    }
    if (c !== "todo") return c === "gone" ? "gone" : "unsampled";

    this.waitingFor = `attest round ${r.id} task ${s.task} slot ${s.slot}`;
    let hash: Hex;
    try {
      hash = await this.sendPool("attest", [r.id, s.task, s.slot, score], (h) => {
        this.state.pendingTx.set(k, h);
        this.store.save(this.state);
      });
    } catch (e) {
      // Mined but reverted (another verifier closed the quorum in between): nothing in flight;
      // the next try asks the chain again. An RPC error keeps the hash for the next try.
      if (e instanceof OracleError && this.state.pendingTx.delete(k)) this.store.save(this.state);
      switch (revertName(e)) {
        case "PoNASPoolAlreadyAttested":
        case "PoNASPoolAlreadyFinal":
          this.log.info({ ...ctx(s), reason: explainError(e) }, "already done");
          return "done";
        case "PoNASPoolNotInVerifyWindow":
          this.metrics.missed.inc();
          this.log.warn({ ...ctx(s), reason: explainError(e) }, "missed: the verify window ended before this verifier attested");
          return "missed";
        case "PoNASPoolNotSampled":
          return "unsampled";
        case "PoNASPoolNotRevealed":
          return "gone";
      }
      throw e;
    }
    this.state.pendingTx.delete(k);
    this.store.save(this.state);
    this.attested(s, score, hash, "attested");
    return "done";
  }

  private attested(s: Sub, score: number, tx: Hex, msg: string): void {
    this.metrics.attestations.inc();
    const tolerance = s.round.params.toleranceBps;
    const mismatch = s.claimedBps > score + tolerance;
    if (mismatch) this.metrics.mismatches.inc();
    this.log[mismatch ? "warn" : "info"]({ ...ctx(s), scoreBps: score, claimedBps: s.claimedBps, toleranceBps: tolerance, mismatch, tx }, msg);
  }

  // -------------------------------------------------------------------------------------------
  // Transactions
  // -------------------------------------------------------------------------------------------

  /**
   * Simulates (so the pool's refusal comes back decoded, before any gas is spent), sends and
   * waits for the receipt. Sends are serialised: one key, one nonce sequence.
   */
  private async sendPool(
    functionName: "attest" | "challenge" | "fixSampleSeed" | "stakeVerifier",
    args: readonly unknown[],
    onSent?: (hash: Hex) => void,
  ): Promise<Hex> {
    const send = async () => {
      const { request } = await this.conn.publicClient.simulateContract({
        address: this.conn.pool,
        abi: poNASPoolAbi,
        functionName,
        args: args as never,
        account: this.conn.account!,
        chain: this.conn.chain,
      } as never);
      const hash = await this.conn.walletClient!.writeContract(request as never);
      onSent?.(hash);
      return hash;
    };
    const sent = this.txLock.then(send, send);
    this.txLock = sent.catch(() => undefined);
    const hash = await sent;
    await this.mined(hash);
    return hash;
  }

  private async mined(hash: Hex): Promise<TransactionReceipt> {
    const rc = await this.conn.publicClient.waitForTransactionReceipt({ hash });
    if (rc.status !== "success") throw new OracleError(`transaction ${hash} reverted`);
    return rc;
  }

  /** The receipt of `hash`; waits when it is still pending; null when the chain does not know it. */
  private async receiptIfAny(hash: Hex): Promise<TransactionReceipt | null> {
    const pc = this.conn.publicClient;
    try {
      return await pc.getTransactionReceipt({ hash });
    } catch (e) {
      if (!(e instanceof BaseError) || e.name !== "TransactionReceiptNotFoundError") throw e;
    }
    try {
      await pc.getTransaction({ hash });
    } catch (e) {
      if (e instanceof BaseError && e.name === "TransactionNotFoundError") return null; // dropped
      throw e;
    }
    return pc.waitForTransactionReceipt({ hash });
  }
}
