// The verifier node: follows the pool with viem and, for every round in its verify window,
// re-trains each sampled submission under the round's recipe and attests the measured score in
// the committee's phases (the pool lens's attestPhases): it seals score and weights digest with a
// fresh salt and commits the seal in the commit phase where the round drew it for the
// submission, opens it in the reveal phase, and after that decides the submission if nobody has.
// Where it was not drawn it stands by without training (each verifier re-trains about quorum /
// committee of the sample) and, if the drawn reveals dispute the submission, re-trains it in the
// escalation phase, commits there, opens its seal in the escalation-reveal phase and decides it
// after.
//
// The chain is the source of truth. Pool events are read in order from the last processed block
// (state.ts) up to the head minus `confirmations` and applied to the rounds in memory
// (rounds.ts), which are rebuilt after a restart by reading again from the opening block of every
// round that was still open. Attesting is the crash-safe protocol of attest.ts: the seal (score,
// digest, salt) is persisted before its commitment is sent, and a node killed at any point and
// restarted neither commits twice, loses a salt, nor misses a reveal. Training runs in
// TrainerPool worker processes (`workers` jobs at a time, earliest deadline first); the event
// loop only reads the chain and sends transactions (reveals and decisions as steps of their own,
// beside the training jobs). An unreachable RPC is waited out with exponential backoff, logging
// what the node is waiting for.
//
// When the pool's randomness source is the committee's beacon (BeaconRandomness), the node also
// commits a secret to the beacon of every round it verifies as soon as it sees the round, reveals
// it once the reveals open, and penalises the committers that never revealed (beacon.ts): the
// seed it waits for before verifying cannot be fixed without those reveals.
import type { Address, Hex } from "viem";
import { readBeaconSource } from "../chain/actions/beacon.js";
import { attestPhaseAt, chainNow, explainError, getPoolEvents, isRevertError, isUnreachable, randomSalt, readAttestPhases, readIsDrawn, readIsEscalated, roundKeyOf, sendCommittee, sendPool, sleep, ZERO_DIGEST, type PoolConnection, type RoundParams } from "../chain/node.js";
import { describeGenome, isReferenceBackend, recipeById, recipeForRound, recipeId, spaceById, spacePathById } from "../nas/index.js";
import { check, commit, decide, reveal, type Attester, type Persisted, type Seal, type Step, type StepOutcome } from "./attest.js";
import { Backoff } from "../ops/backoff.js";
import { BeaconParticipant } from "./beacon.js";
import { OracleError } from "./errors.js";
import { createLogger, type Logger } from "../ops/log.js";
import { OracleMetrics, type Health } from "./metrics.js";
import { resolveOracleOptions, type OracleOptions, type ResolvedOracleOptions } from "./options.js";
import { allSubs, applyEvent, endCommits, endRound, nextJob, pendingJobs, stateAfterCheck, subFields, subKey, type Engine, type Round, type Rounds, type RoundsContext, type Sub } from "./rounds.js";
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
  /** Training jobs (at most `workers`): train, seal, commit. */
  private readonly running = new Set<Promise<void>>();
  /** Reveal and decide steps under way. */
  private readonly steps = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private readonly o: ResolvedOracleOptions;
  private readonly attester: Attester;
  private readonly beaconSecrets: Persisted<Hex, bigint>;
  private readonly follow: RoundsContext;
  /** This verifier's part in the pool's randomness beacon; undefined when the source is not one (read once, in start()). */
  private beacon?: BeaconParticipant;
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
    this.log = options.logger ?? createLogger({ name: "oracle" });
    this.metrics = options.metrics ?? new OracleMetrics();
    this.store = new StateStore(this.o.stateDir);
    this.trainers = new Trainers({ backend: this.o.backend, workers: this.o.workers });
    this.follow = { verifier: this.address, engineFor: (id, params) => this.engineFor(id, params) };
    // The state is loaded in start(); its pendingTx, seals and beaconSecrets maps are read through these at each
    // call, and every change is on disk before the call returns.
    const persisted = <T, K = string>(map: () => Map<K, T>) => ({
      get: (k: K) => map().get(k),
      set: (k: K, v: T) => {
        map().set(k, v);
        this.store.save(this.state);
      },
      delete: (k: K) => {
        if (map().delete(k)) this.store.save(this.state);
      },
    });
    this.beaconSecrets = persisted(() => this.state.beaconSecrets);
    this.attester = {
      conn,
      verifier: this.address,
      waitingFor: (what) => (this.waitingFor = what),
      pending: persisted(() => this.state.pendingTx),
      seals: persisted(() => this.state.seals),
    };
  }

  /**
   * Checks that this key is a staked committee verifier, loads the state and starts following
   * the chain. Throws an OracleError (one line) when it cannot verify at all.
   */
  async start(): Promise<void> {
    this.state = this.store.load({ chainId: this.conn.chain.id, pool: this.conn.pool, verifier: this.address, fromBlock: this.conn.fromBlock });
    await ensureVerifier(this.conn, { autoStake: this.o.autoStake, log: this.log });
    const source = await readBeaconSource(this.conn);
    if (source) {
      this.beacon = new BeaconParticipant({
        conn: this.conn,
        chainId: this.conn.chain.id,
        verifier: this.address,
        source,
        secrets: this.beaconSecrets,
        pending: this.attester.pending,
        log: this.log,
        metrics: this.metrics,
        waitingFor: (what) => (this.waitingFor = what),
        blockRange: BigInt(this.o.blockRange),
      });
    }
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
        // the committee's commit-reveal beacon this node takes part in, or null (another source)
        beacon: source,
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
    await Promise.allSettled([...this.running, ...this.steps]);
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
      // sealed on chain and waiting for the reveal phase, opened and waiting for the decision
      committed: [...allSubs(this.rounds)].filter((s) => s.state === "committed").length,
      revealed: [...allSubs(this.rounds)].filter((s) => s.state === "revealed").length,
      // rounds whose beacon commitment is on chain and not yet revealed
      ...(this.beacon ? { beaconUnrevealed: this.beacon.unrevealed() } : {}),
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
      this.state.seals.clear();
      this.state.beaconSecrets.clear();
      this.beacon?.reset();
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
      r.phases = undefined; // they follow the windows
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
      // the recipe as this round trains it: with the round's own seed when the recipe asks for one
      const recipe = recipeForRound(recipeById(params.recipeId), roundKeyOf(this.conn, id));
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
    // The beacon takes commitments only until the pool requests the round's value (after
    // revealEnd): a member commits as soon as it sees the round, so with a beacon the committee is
    // read before revealEnd.
    if (!r.engine || (now <= p.revealEnd && !this.beacon)) return;
    // A round's committee is fixed when it opens: a verifier enrolled later would train for nothing.
    if (r.member === undefined) {
      this.waitingFor = `this verifier's committee rounds`;
      const { sinceRound } = await this.conn.committeeContract.read.verifierAccount([this.address]);
      r.member = BigInt(sinceRound) <= r.id;
      if (!r.member) this.log.warn({ round: Number(r.id), sinceRound }, "not in this round's committee (enrolled after it opened): not verifying it");
    }
    if (!r.member) return;
    // Before the seed, never behind it: the seed is fixed only once every committer revealed (or
    // the reveal window closed), so the node reveals while it waits for it.
    if (this.beacon) await this.beacon.step({ id: r.id, openedBlock: r.openedBlock, revealEnd: p.revealEnd }, now);
    if (now <= p.revealEnd) return;
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
    // The phases of the verify window, the lens's (never re-derived here).
    if (!r.phases) {
      this.waitingFor = `round ${r.id}'s attestation phases`;
      r.phases = await readAttestPhases(this.conn, r.id);
      this.log.debug({ round: Number(r.id), ...r.phases }, "attestation phases");
    }
    const phase = attestPhaseAt(now, p, r.phases);
    // a commit phase is over: what is still queued can no longer be committed (the escalation
    // phase queues the disputed submissions this node was not drawn for)
    if (phase !== "commit" && phase !== "escalation") for (const s of endCommits(r)) this.missedCommit(s);
    for (const s of r.subs.values()) {
      if (this.abort.signal.aborted) return;
      if (s.state === "new") {
        const c = await check(this.attester, s);
        s.state = stateAfterCheck(c);
        this.log.debug({ ...subFields(s), check: c }, "submission checked");
        if (s.state === "queued") {
          this.waitingFor = `round ${r.id} task ${s.task} slot ${s.slot}: drawn?`;
          const drawn = await readIsDrawn(this.conn, r.id, s.task, s.slot, this.address);
          if (phase === "commit") {
            // not drawn: nothing to train unless its drawn verifiers dispute it
            if (!drawn) s.state = "standby";
          } else if (phase === "escalation") {
            // first seen now (a restart, a late look): only a dispute it may join is worth training for
            if (drawn || !(await readIsEscalated(this.conn, r.id, s.task, s.slot))) s.state = "done";
            else s.escalation = true;
          } else if (!drawn) {
            // never this node's turn: stand by for a dispute while one may still come, else nothing
            s.state = phase === "reveal" ? "standby" : "done";
          } else {
            s.state = "missed";
            this.missedCommit(s);
          }
        }
      }
      if (s.state === "unsampled" && !s.challengeDone && !s.challenged && now <= r.phases.challengeEnd && this.o.challenge.shouldChallenge(s.claimedBps)) {
        await this.challenge(s);
      }
      if (s.state === "standby" && phase !== "commit" && phase !== "reveal") {
        // not drawn for it: it needs this node only if its drawn reveals dispute it
        if (phase === "escalation" && (await readIsEscalated(this.conn, r.id, s.task, s.slot))) {
          this.log.info({ ...subFields(s) }, "disputed by its drawn verifiers: re-training it for the escalation");
          s.state = "queued";
          s.escalation = true; // its commit goes in now, and opens in the escalation-reveal phase
        } else {
          s.state = "done";
          this.log.debug({ ...subFields(s) }, "not drawn and not disputed: nothing to attest");
        }
        continue;
      }
      const revealPhase = s.escalation ? "escalation-reveal" : "reveal";
      if (s.state === "committed" && phase === revealPhase) this.startStep(s, "reveal");
      if ((s.state === "committed" || s.state === "revealed") && (await this.decidable(s, phase))) {
        if (s.state === "committed") {
          // never opened (the node was down through its reveal phase): the committee penalises
          // it, but the submission must still be judged
          this.metrics.missed.inc();
          this.log.warn({ ...subFields(s) }, `missed: the ${revealPhase} phase ended before this verifier revealed`);
        }
        this.startStep(s, "decide");
      }
    }
    this.updatePending();
  }

  /**
   * Whether this node should decide `s` now: after the escalation always; between the drawn
   * reveals and then only a drawn attestation's submission that is not disputed (a disputed one
   * waits for its escalation).
   */
  private async decidable(s: Sub, phase: string): Promise<boolean> {
    if (phase === "decide") return true;
    // a dispute stays one until its escalation ends: asked once, not on every poll
    if (s.escalation || s.disputed || (phase !== "escalation" && phase !== "escalation-reveal")) return false;
    this.waitingFor = `round ${s.round.id} task ${s.task} slot ${s.slot} disputed?`;
    s.disputed = await readIsEscalated(this.conn, s.round.id, s.task, s.slot);
    return !s.disputed;
  }

  private missedCommit(s: Sub): void {
    this.metrics.missed.inc();
    this.log.warn({ ...subFields(s) }, "missed: the commit phase ended before this verifier committed");
  }

  /** The verify window ended: a sampled submission still waiting for its turn is missed; its seals, beacon secret and pending transactions are forgotten. */
  private closeRound(r: Round): void {
    for (const s of endRound(this.rounds, r)) this.missedCommit(s);
    this.state.rounds.delete(r.id);
    // "round/task/slot:step" and "round/beacon:step"
    for (const k of this.state.pendingTx.keys()) if (k.startsWith(`${r.id}/`)) this.state.pendingTx.delete(k);
    for (const k of this.state.seals.keys()) if (k.startsWith(`${r.id}/`)) this.state.seals.delete(k);
    this.state.beaconSecrets.delete(r.id);
    this.beacon?.forget(r.id);
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

  /** Trains `s` (unless a seal from before a restart is in the state), persists its seal, and commits it. */
  private async job(s: Sub): Promise<void> {
    const k = subKey(s.round.id, s.task, s.slot);
    let seal = this.attester.seals.get(k);
    if (seal) {
      this.log.info({ ...subFields(s), scoreBps: seal.scoreBps, weightsDigest: seal.weightsDigest }, "sealed earlier (before a restart, or kept when it was not drawn): committing it without re-training");
    } else {
      const trained = await this.train(s);
      if (trained === undefined) return;
      seal = { ...trained, salt: randomSalt() };
      // on disk before the commitment is sent: a restart opens it with this salt, never a new one
      this.attester.seals.set(k, seal);
    }
    const sealed = seal;
    s.state = "attesting";
    const done = await this.retrying(s, () => commit(this.attester, s, sealed));
    if (!done) s.state = "queued"; // stopped: the seal is on disk; a restart commits it without re-training
  }

  /** Starts the reveal or decide step of `s` (the chain's phase says which) beside the training jobs. */
  private startStep(s: Sub, step: Exclude<Step, "commit">): void {
    const before = s.state;
    s.state = "attesting";
    const task: Promise<void> = this.retrying(s, () => (step === "reveal" ? reveal(this.attester, s) : decide(this.attester, s)))
      .then((done) => {
        if (!done) s.state = before; // stopped: picked up again after a restart
      })
      .finally(() => {
        this.steps.delete(task);
        this.updatePending();
      });
    this.steps.add(task);
  }

  /** Runs one protocol step until it has an outcome (RPC trouble: retried with backoff); false when the node stopped first. */
  private async retrying(s: Sub, step: () => Promise<StepOutcome>): Promise<boolean> {
    const backoff = new Backoff(500, 15_000);
    while (!this.abort.signal.aborted) {
      try {
        const outcome = await step();
        this.report(s, outcome);
        s.state = outcome.state;
        return true;
      } catch (err) {
        if (this.abort.signal.aborted) break;
        const wait = backoff.next();
        this.metrics.rpcErrors.inc();
        this.log.warn(
          { ...subFields(s), waitingFor: this.waitingFor, error: explainError(err), retryInMs: wait },
          isUnreachable(err) ? "RPC unavailable; retrying" : "attestation step failed; retrying",
        );
        await sleep(wait, this.abort.signal);
      }
    }
    return false;
  }

  /**
   * Re-trains `s` and returns its score and weights digest (the trainer's weightsHash on the
   * reference backend, else zero: a cross-backend re-training is compared by score only);
   * undefined when it is no longer needed or the worker died (its state says which).
   */
  private async train(s: Sub): Promise<Omit<Seal, "salt"> | undefined> {
    const e = s.round.engine!;
    // The job may have waited behind others: skip it if the chain no longer needs it.
    const c = await check(this.attester, s).catch(() => "todo" as const); // RPC trouble: find out after training
    if (c !== "todo") {
      this.log.info({ ...subFields(s), check: c }, "no longer needed");
      s.state = stateAfterCheck(c);
      return undefined;
    }
    if (this.o.echo) {
      // the lazy verifier the soak and attack tests need as a real process: no training, the claim
      // echoed, no digest (it has none); the committee's rules must make this lose
      this.log.warn({ ...subFields(s), claimedBps: s.claimedBps }, "echoing the claim without training (--echo, demo/test only)");
      return { scoreBps: s.claimedBps, weightsDigest: ZERO_DIGEST };
    }
    this.log.info(
      { ...subFields(s), miner: s.miner, genome: s.genome, architecture: describeGenome(e.space, s.genome), claimedBps: s.claimedBps, recipe: e.recipe.name, seed: e.recipe.seed },
      "training",
    );
    let result;
    try {
      result = await this.trainers.train(e.spacePath, e.recipeKey, e.recipe, s.genome);
    } catch (err) {
      s.state = "queued";
      if (this.abort.signal.aborted) return undefined;
      // A dead worker says nothing about the model: never seal a score that was not measured.
      s.failures++;
      const wait = Math.min(60_000, 1000 * 2 ** (s.failures - 1));
      s.retryAt = Date.now() + wait;
      this.log.error({ ...subFields(s), error: explainError(err), failures: s.failures, retryInMs: wait }, "training worker failed; will train again");
      setTimeout(() => this.pump(), wait).unref();
      return undefined;
    }
    this.metrics.trainingSeconds.observe(result.seconds);
    this.metrics.trainingFlops.inc(result.trainFlops);
    if (result.reason) this.log.warn({ ...subFields(s), reason: result.reason }, "no trained model (over the space's limits, or it failed to build or train): attesting score 0");
    const weightsDigest: Hex = isReferenceBackend(result.backend) && result.weightsHash ? result.weightsHash : ZERO_DIGEST;
    this.log.info(
      { ...subFields(s), scoreBps: result.scoreBps, claimedBps: s.claimedBps, seconds: Number(result.seconds.toFixed(3)), trainFlops: result.trainFlops, backend: result.backend, weightsHash: result.weightsHash, weightsDigest },
      "trained",
    );
    return { scoreBps: result.scoreBps, weightsDigest };
  }

  /** Logs and counts what a protocol step came to. */
  private report(s: Sub, o: StepOutcome): void {
    const seal = this.attester.seals.get(subKey(s.round.id, s.task, s.slot));
    switch (o.kind) {
      case "sent": {
        const earlier = o.earlier ? " (earlier transaction)" : "";
        if (o.step === "commit") {
          this.metrics.commits.inc();
          this.log.info({ ...subFields(s), scoreBps: seal?.scoreBps, weightsDigest: seal?.weightsDigest, tx: o.tx }, `committed${earlier}`);
        } else if (o.step === "reveal") {
          this.revealed(s, seal?.scoreBps ?? 0, o.tx, `revealed${earlier}`);
        } else {
          this.metrics.decisions.inc();
          this.log.info({ ...subFields(s), tx: o.tx }, `decided${earlier}`);
        }
        return;
      }
      case "skipped":
        if (o.check === "committed" || o.check === "revealed" || o.check === "final") this.log.info({ ...subFields(s), step: o.step, check: o.check }, `already ${o.check === "final" ? "decided" : o.check}`);
        else if (o.state === "missed") this.missedCommit(s);
        return;
      case "refused":
        if (o.error === "VerifierCommitteeSealMismatch") {
          this.log.error({ ...subFields(s), reason: o.reason }, "the seal in state.json does not open this verifier's commitment: it stays unrevealed");
        } else if (o.state === "standby") {
          this.log.info({ ...subFields(s), scoreBps: seal?.scoreBps }, "not drawn for it: the seal is kept in case its drawn verifiers dispute it");
        } else if (o.state === "missed") {
          this.metrics.missed.inc();
          this.log.warn({ ...subFields(s), step: o.step, reason: o.reason }, `missed: the ${o.step} phase ended before this verifier ${o.step === "commit" ? "committed" : "revealed"}`);
        } else {
          this.log.info({ ...subFields(s), step: o.step, reason: o.reason }, o.state === "done" ? "already done" : `refused: ${o.state}`);
        }
        return;
      case "lost":
        this.metrics.missed.inc();
        this.log.error({ ...subFields(s) }, "cannot reveal: the seal of this verifier's commitment is not in state.json (state lost); it will be penalised");
        return;
    }
  }

  private revealed(s: Sub, score: number, tx: Hex, msg: string): void {
    this.metrics.attestations.inc();
    const tolerance = s.round.params.toleranceBps;
    const mismatch = s.claimedBps > score + tolerance;
    if (mismatch) this.metrics.mismatches.inc();
    this.log[mismatch ? "warn" : "info"]({ ...subFields(s), scoreBps: score, claimedBps: s.claimedBps, toleranceBps: tolerance, mismatch, tx }, msg);
  }
}
