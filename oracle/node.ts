// The verifier node: follows the pool with viem and, for every round in its verify window,
// re-trains each sampled submission under the round's recipe and attests the measured score.
//
// The chain is the source of truth. Pool events are read in order from the last processed block
// (state.ts) up to the head minus `confirmations` and applied to the rounds in memory
// (rounds.ts), which are rebuilt after a restart by reading again from the opening block of every
// round that was still open. Attesting is the crash-safe protocol of attest.ts: a node killed at
// any point and restarted neither attests twice nor misses a submission. Training runs in
// TrainerPool worker processes (`workers` jobs at a time, earliest deadline first); the event
// loop only reads the chain and sends transactions. An unreachable RPC is waited out with
// exponential backoff, logging what the node is waiting for.
import type { Address, Hash } from "viem";
import { chainNow, explainError, getPoolEvents, isRevertError, isUnreachable, sendCommittee, sendPool, sleep, type PoolConnection, type RoundParams } from "../chain/node.js";
import { describeGenome, recipeById, recipeId, spaceById, spacePathById } from "../nas/index.js";
import { attest, check, type Attester, type AttestOutcome } from "./attest.js";
import { Backoff } from "./backoff.js";
import { OracleError } from "./errors.js";
import { createLogger, type Logger } from "./log.js";
import { OracleMetrics, type Health } from "./metrics.js";
import { resolveOracleOptions, type OracleOptions, type ResolvedOracleOptions } from "./options.js";
import { allSubs, applyEvent, endRound, nextJob, pendingJobs, stateAfterCheck, subFields, type Engine, type Round, type Rounds, type RoundsContext, type Sub } from "./rounds.js";
import { StateStore, type OracleState } from "./state.js";
import { Trainers } from "./trainers.js";
import { ensureVerifier } from "./verifier.js";

export class OracleNode {
  readonly address: Address;
  readonly log: Logger;
  readonly metrics: OracleMetrics;
  private readonly store: StateStore;
  private state!: OracleState;
  private readonly trainers: Trainers;
  private readonly rounds: Rounds = new Map();
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private readonly o: ResolvedOracleOptions;
  private readonly attester: Attester;
  private readonly follow: RoundsContext;
  private lastSyncAt = 0;
  private waitingFor = "start";
  private lastError?: string;

  constructor(
    readonly conn: PoolConnection,
    options: OracleOptions,
  ) {
    if (!conn.account || !conn.walletClient) throw new OracleError("the oracle signs attestations: connect with an account (--key-file or $PONAS_PRIVATE_KEY)");
    this.address = conn.account.address;
    this.o = resolveOracleOptions(options);
    this.log = options.logger ?? createLogger();
    this.metrics = options.metrics ?? new OracleMetrics();
    this.store = new StateStore(this.o.stateDir);
    this.trainers = new Trainers({ backend: this.o.backend, workers: this.o.workers });
    this.follow = { verifier: this.address, engineFor: (id, params) => this.engineFor(id, params) };
    // The state is loaded in start(); its pendingTx map is read through these at each call.
    this.attester = {
      conn,
      verifier: this.address,
      waitingFor: (what) => (this.waitingFor = what),
      pending: {
        get: (k) => this.state.pendingTx.get(k),
        set: (k, h) => {
          this.state.pendingTx.set(k, h);
          this.store.save(this.state);
        },
        delete: (k) => {
          if (this.state.pendingTx.delete(k)) this.store.save(this.state);
        },
      },
    };
  }

  /**
   * Checks that this key is a staked committee verifier, loads the state and starts following
   * the chain. Throws an OracleError (one line) when it cannot verify at all.
   */
  async start(): Promise<void> {
    this.state = this.store.load({ chainId: this.conn.chain.id, pool: this.conn.pool, verifier: this.address, fromBlock: this.conn.fromBlock });
    await ensureVerifier(this.conn, { autoStake: this.o.autoStake, log: this.log });
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
    return {
      ok,
      verifier: this.address,
      lastBlock: this.state ? Number(this.state.lastBlock) : null,
      lastSyncAgeMs: age,
      jobsPending: pendingJobs(this.rounds),
      training: [...allSubs(this.rounds)].filter((s) => s.state === "training").length,
      // what it is stuck on, while the chain cannot be read
      ...(this.lastError ? { waitingFor: this.waitingFor, lastError: this.lastError } : {}),
    };
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
    const range = BigInt(this.o.blockRange);
    for (let from = this.state.lastBlock + 1n; from <= safe && !this.abort.signal.aborted; ) {
      const to = safe < from + range - 1n ? safe : from + range - 1n;
      this.waitingFor = `pool events in blocks ${from}..${to}`;
      const logs = await getPoolEvents(this.conn, { fromBlock: from, toBlock: to, blockRange: range });
      for (const l of logs) {
        const opened = applyEvent(this.rounds, l, this.follow);
        if (opened) this.state.rounds.set(opened.id, opened.openedBlock);
      }
      this.state.lastBlock = to;
      this.metrics.lastBlock.set(Number(to));
      this.store.save(this.state);
      from = to + 1n;
    }
    for (const r of this.rounds.values()) {
      if (!r.windowsMoved || this.abort.signal.aborted) continue;
      // a pause ended (WindowsExtended): the pool has the moved windows; judging by the old ones
      // would start verifying early or close the round while it is still open
      this.waitingFor = `round ${r.id}'s windows after a pause`;
      r.params = await this.conn.poolContract.read.getRound([r.id]);
      r.windowsMoved = false;
      this.log.info({ round: Number(r.id), revealEnd: r.params.revealEnd, verifyEnd: r.params.verifyEnd }, "round windows extended by a pause");
    }
    this.waitingFor = "the latest block's timestamp";
    const now = await chainNow(pc);
    for (const r of [...this.rounds.values()]) {
      if (this.abort.signal.aborted) return;
      await this.processRound(r, now);
    }
    this.pump();
  }

  /** How to re-train a round, or null with one error line, said once, when the round is first seen. */
  private engineFor(id: bigint, params: RoundParams): Engine | null {
    try {
      const recipe = recipeById(params.recipeId);
      return { space: spaceById(params.spaceId), spacePath: spacePathById(params.spaceId), recipe, recipeKey: recipeId(recipe) };
    } catch (e) {
      // Not fatal: other rounds may be verifiable.
      this.log.error({ round: Number(id), error: explainError(e) }, "cannot verify this round");
      return null;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Rounds
  // -------------------------------------------------------------------------------------------

  private async processRound(r: Round, now: number): Promise<void> {
    const p = r.params;
    if (now > p.verifyEnd) return this.closeRound(r);
    if (now <= p.revealEnd || !r.engine) return;
    // A round's committee is fixed when it opens: a verifier enrolled later would train for nothing.
    if (r.member === undefined) {
      this.waitingFor = `this verifier's committee rounds`;
      const { sinceRound } = await this.conn.committeeContract.read.verifierAccount([this.address]);
      r.member = BigInt(sinceRound) <= r.id;
      if (!r.member) this.log.warn({ round: Number(r.id), sinceRound }, "not in this round's committee (enrolled after it opened): not verifying it");
    }
    if (!r.member) return;
    // Sampling is decided by the seed; the lens's isSampled reverts until it is fixed.
    if (!r.seed) {
      this.waitingFor = `round ${r.id}'s sample seed`;
      const s = await this.conn.poolContract.read.getRoundState([r.id]);
      if (/^0x0*$/.test(s.seed)) {
        await sendPool(this.conn, "fixSampleSeed", [r.id], { serial: true }).catch((e) => {
          // any revert (NotInVerifyWindow: the window closed meanwhile; closeRound handles it next time)
          if (!isRevertError(e)) throw e;
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
        const c = await check(this.attester, s);
        s.state = stateAfterCheck(c);
        this.log.debug({ ...subFields(s), check: c }, "submission checked");
      }
      if (s.state === "unsampled" && !s.challengeDone && !s.challenged && this.o.challenge.shouldChallenge(s.claimedBps)) {
        await this.challenge(s);
      }
    }
    this.updatePending();
  }

  /** The verify window ended: a sampled submission still waiting for its turn is missed. */
  private closeRound(r: Round): void {
    for (const s of endRound(this.rounds, r)) {
      this.metrics.missed.inc();
      this.log.warn({ ...subFields(s), state: "queued" }, "missed: the verify window ended before this verifier attested");
    }
    this.state.rounds.delete(r.id);
    for (const k of this.state.pendingTx.keys()) if (k.startsWith(`${r.id}/`)) this.state.pendingTx.delete(k);
    this.store.save(this.state);
    this.updatePending();
    if (r.subs.size > 0) this.log.info({ round: Number(r.id), submissions: r.subs.size }, "round's verify window ended");
  }

  private async challenge(s: Sub): Promise<void> {
    s.challengeDone = true;
    try {
      const { hash } = await sendCommittee(this.conn, "challenge", [s.round.id, s.task, s.slot], { serial: true });
      s.challenged = true;
      s.state = "new"; // sampled now: checked and queued on the next look
      this.metrics.challenges.inc();
      this.log.info({ ...subFields(s), claimedBps: s.claimedBps, policy: this.o.challenge.text, tx: hash }, "challenged");
    } catch (e) {
      if (!isRevertError(e)) {
        s.challengeDone = false; // RPC trouble: try again on the next look
        throw e;
      }
      this.log.info({ ...subFields(s), reason: explainError(e) }, "challenge not needed");
    }
  }

  // -------------------------------------------------------------------------------------------
  // Jobs: re-train and attest, `workers` at a time, earliest deadline first
  // -------------------------------------------------------------------------------------------

  private updatePending(): void {
    this.metrics.jobsPending.set(pendingJobs(this.rounds));
  }

  private pump(): void {
    while (this.running.size < this.o.workers && !this.abort.signal.aborted) {
      const next = nextJob(this.rounds, Date.now());
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
    if (s.score === undefined) {
      const score = await this.train(s);
      if (score === undefined) return;
      s.score = score;
    }
    s.state = "attesting";
    const backoff = new Backoff(500, 15_000);
    while (!this.abort.signal.aborted) {
      try {
        const outcome = await attest(this.attester, s, s.score);
        this.report(s, s.score, outcome);
        s.state = outcome.state;
        return;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        const wait = backoff.next();
        this.metrics.rpcErrors.inc();
        this.log.warn(
          { ...subFields(s), waitingFor: this.waitingFor, error: explainError(err), retryInMs: wait },
          isUnreachable(err) ? "RPC unavailable; retrying" : "attest failed; retrying",
        );
        await sleep(wait, this.abort.signal);
      }
    }
    s.state = "queued"; // stopped: the score is kept in memory only; a restart re-trains
  }

  /** Re-trains `s` and returns its score; undefined when it is no longer needed or the worker died (its state says which). */
  private async train(s: Sub): Promise<number | undefined> {
    const e = s.round.engine!;
    // The job may have waited behind others: skip it if the chain no longer needs it.
    const c = await check(this.attester, s).catch(() => "todo" as const); // RPC trouble: find out after training
    if (c !== "todo") {
      this.log.info({ ...subFields(s), check: c }, "no longer needed");
      s.state = stateAfterCheck(c);
      return undefined;
    }
    this.log.info(
      { ...subFields(s), miner: s.miner, genome: s.genome, architecture: describeGenome(e.space, s.genome), claimedBps: s.claimedBps, recipe: e.recipe.name },
      "training",
    );
    let result;
    try {
      result = await this.trainers.train(e.spacePath, e.recipeKey, e.recipe, s.genome);
    } catch (err) {
      s.state = "queued";
      if (this.abort.signal.aborted) return undefined;
      // A dead worker says nothing about the model: never attest a score that was not measured.
      s.failures++;
      const wait = Math.min(60_000, 1000 * 2 ** (s.failures - 1));
      s.retryAt = Date.now() + wait;
      this.log.error({ ...subFields(s), error: explainError(err), failures: s.failures, retryInMs: wait }, "training worker failed; will train again");
      setTimeout(() => this.pump(), wait).unref();
      return undefined;
    }
    this.metrics.trainingSeconds.observe(result.seconds);
    if (result.reason) this.log.warn({ ...subFields(s), reason: result.reason }, "the model failed to build or train: attesting score 0");
    this.log.info(
      { ...subFields(s), scoreBps: result.scoreBps, claimedBps: s.claimedBps, seconds: Number(result.seconds.toFixed(3)), backend: result.backend, weightsHash: result.weightsHash },
      "trained",
    );
    return result.scoreBps;
  }

  /** Logs and counts what an attest came to. */
  private report(s: Sub, score: number, o: AttestOutcome): void {
    switch (o.kind) {
      case "attested":
        return this.attested(s, score, o.tx, o.earlier ? "attested (earlier transaction)" : "attested");
      case "skipped":
        if (o.check === "attested" || o.check === "final") this.log.info({ ...subFields(s), check: o.check }, o.check === "attested" ? "already attested" : "already final");
        return;
      case "refused":
        if (o.state === "done") this.log.info({ ...subFields(s), reason: o.reason }, "already done");
        if (o.state === "missed") {
          this.metrics.missed.inc();
          this.log.warn({ ...subFields(s), reason: o.reason }, "missed: the verify window ended before this verifier attested");
        }
        return;
    }
  }

  private attested(s: Sub, score: number, tx: Hash, msg: string): void {
    this.metrics.attestations.inc();
    const tolerance = s.round.params.toleranceBps;
    const mismatch = s.claimedBps > score + tolerance;
    if (mismatch) this.metrics.mismatches.inc();
    this.log[mismatch ? "warn" : "info"]({ ...subFields(s), scoreBps: score, claimedBps: s.claimedBps, toleranceBps: tolerance, mismatch, tx }, msg);
  }
}
