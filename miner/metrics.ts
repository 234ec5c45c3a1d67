// Operations view of a miner (`--metrics-port`): Prometheus metrics fed from the miner's own
// events (rounds mined and skipped, commits, reveals, evaluations, RPC errors, the round being
// mined, the last reward) on /metrics, and /healthz, which fails once the RPC endpoint has been
// failing for longer than a threshold: a miner that cannot reach its node is alive but useless,
// which is what an operator's probe should hear. Its own Registry, so several miners in one
// process (tests) do not collide; served by ops/serve.ts like the oracle's.
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { Health } from "../ops/serve.js";
import type { MinerEvent } from "./events.js";

export class MinerMetrics {
  readonly registry = new Registry();
  readonly roundsMined = new Counter({ name: "ponas_miner_rounds_mined_total", help: "Rounds this miner mined to their end (claimed, committed or not, settled)", registers: [this.registry] });
  readonly roundsSkipped = new Counter({ name: "ponas_miner_rounds_skipped_total", help: "Rounds this miner could not claim in (all tasks taken, commit window closed, …)", registers: [this.registry] });
  readonly roundsFailed = new Counter({ name: "ponas_miner_rounds_failed_total", help: "Rounds that ended in an error after the claim (a revert, a bug)", registers: [this.registry] });
  readonly commits = new Counter({ name: "ponas_miner_submissions_committed_total", help: "Commitments this miner got mined", registers: [this.registry] });
  readonly commitsMissed = new Counter({ name: "ponas_miner_commits_missed_total", help: "Claims whose commit window closed before a commit", registers: [this.registry] });
  readonly reveals = new Counter({ name: "ponas_miner_reveals_total", help: "Reveals this miner got mined", registers: [this.registry] });
  readonly revealsSkipped = new Counter({ name: "ponas_miner_reveals_skipped_total", help: "Committed claims not revealed (window closed, task delivered by another, …)", registers: [this.registry] });
  readonly evaluations = new Counter({ name: "ponas_miner_evaluations_total", help: "Architectures trained by this process's searches", registers: [this.registry] });
  readonly rpcErrors = new Counter({ name: "ponas_miner_rpc_errors_total", help: "Failed attempts to reach the RPC endpoint (each retried)", registers: [this.registry] });
  readonly currentRound = new Gauge({ name: "ponas_miner_current_round", help: "The newest round this miner is mining", registers: [this.registry] });
  readonly lastReward = new Gauge({ name: "ponas_miner_last_reward_tokens", help: "Reward of the last settled round, in PONAS", registers: [this.registry] });
  /** When the RPC began failing (performance.now()), undefined while it answers. */
  private failingSince: number | undefined;
  private lastError: string | undefined;

  constructor(
    /** /healthz fails once the RPC has been failing this long. */
    readonly unhealthyAfterMs = 60_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Adds Node's process metrics (memory, CPU, event-loop lag): for the CLI, not for tests. */
  withProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry, prefix: "ponas_miner_" });
    return this;
  }

  /** Counts what one miner event says (every event of every round passes here). */
  observe(e: MinerEvent): void {
    switch (e.kind) {
      case "round":
        if (Number(e.roundId) > (this.currentRoundValue ?? 0)) this.currentRound.set((this.currentRoundValue = Number(e.roundId)));
        break;
      case "committed":
        if (!e.resumed) this.commits.inc();
        break;
      case "commit-missed":
        this.commitsMissed.inc();
        break;
      case "revealed":
        if (!e.resumed) this.reveals.inc();
        break;
      case "reveal-skipped":
        this.revealsSkipped.inc();
        break;
      case "evaluated":
        this.evaluations.inc();
        break;
      case "settled":
        this.lastReward.set(Number(e.reward) / 1e18);
        break;
      case "rpc-retry":
        this.rpcErrors.inc();
        this.failingSince ??= this.now();
        this.lastError = e.error;
        break;
      case "rpc-recovered":
        this.rpcAnswered();
        break;
    }
  }
  private currentRoundValue: number | undefined;

  /** Any successful RPC call: the endpoint answers. */
  rpcAnswered(): void {
    this.failingSince = undefined;
    this.lastError = undefined;
  }

  /** /healthz: ok unless the RPC endpoint has been failing for longer than unhealthyAfterMs. */
  health(): Health {
    const failingMs = this.failingSince === undefined ? 0 : this.now() - this.failingSince;
    return { ok: failingMs <= this.unhealthyAfterMs, rpcFailingSeconds: Math.round(failingMs / 1000), ...(this.lastError ? { lastRpcError: this.lastError } : {}) };
  }
}
