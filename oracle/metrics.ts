// Operations view of a verifier node: Prometheus metrics (jobs pending, commits, reveals, decisions, claims
// found too high, randomness-beacon commits, reveals and no-shows penalised, training time, last
// block read) on /metrics and a liveness probe on /healthz.
// Each node has its own registry, so several nodes in one process (tests) do not collide.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

export class OracleMetrics {
  readonly registry = new Registry();
  /** Sampled submissions this verifier still has to re-train and attest (queued or training). */
  readonly jobsPending = new Gauge({ name: "ponas_oracle_jobs_pending", help: "Sampled submissions queued or training", registers: [this.registry] });
  /** Sealed attestations committed (commitAttestation mined). */
  readonly commits = new Counter({ name: "ponas_oracle_commits_total", help: "Sealed attestations this verifier got committed", registers: [this.registry] });
  /** Attestations opened (revealAttestation mined): what the committee judges. */
  readonly attestations = new Counter({ name: "ponas_oracle_attestations_total", help: "Attestations this verifier got revealed", registers: [this.registry] });
  /** Submissions this verifier decided after the reveal phase (nobody had). */
  readonly decisions = new Counter({ name: "ponas_oracle_decisions_total", help: "Submissions this verifier decided after the reveal phase", registers: [this.registry] });
  /** Revealed score more than the round's toleranceBps below the claim: a false claim. */
  readonly mismatches = new Counter({
    name: "ponas_oracle_mismatches_total",
    help: "Attestations more than the round's toleranceBps below the claimed score",
    registers: [this.registry],
  });
  readonly challenges = new Counter({ name: "ponas_oracle_challenges_total", help: "Challenges this verifier got mined", registers: [this.registry] });
  /** A sampled submission whose commit (or reveal) phase ended before this verifier committed (or revealed) it. */
  readonly missed = new Counter({ name: "ponas_oracle_missed_total", help: "Sampled submissions whose commit or reveal phase ended first", registers: [this.registry] });
  /** Secrets committed to a round's randomness beacon (BeaconRandomness.commit mined). */
  readonly beaconCommits = new Counter({ name: "ponas_oracle_beacon_commits_total", help: "Randomness-beacon secrets this verifier got committed", registers: [this.registry] });
  /** Beacon secrets revealed inside their reveal window: what keeps this verifier from being penalised. */
  readonly beaconReveals = new Counter({ name: "ponas_oracle_beacon_reveals_total", help: "Randomness-beacon secrets this verifier got revealed", registers: [this.registry] });
  /** Other members' beacon commitments never revealed that this verifier got penalised (penaliseNoShow mined). */
  readonly beaconNoShows = new Counter({ name: "ponas_oracle_beacon_no_shows_penalised_total", help: "Beacon committers that never revealed, penalised by this verifier", registers: [this.registry] });
  readonly rpcErrors = new Counter({ name: "ponas_oracle_rpc_errors_total", help: "Failed attempts to reach the RPC endpoint", registers: [this.registry] });
  readonly trainingSeconds = new Histogram({
    name: "ponas_oracle_training_seconds",
    help: "Wall time of one re-training (build, train, evaluate)",
    // demo recipes take ~1 s, the standard recipe minutes on a CPU core
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  /** The trainer's estimate of each re-training's FLOPs (TrainResult.trainFlops): the compute verification asked of this node. */
  readonly trainingFlops = new Counter({ name: "ponas_oracle_training_flops_total", help: "Estimated FLOPs of the re-trainings this verifier ran", registers: [this.registry] });
  readonly lastBlock = new Gauge({ name: "ponas_oracle_last_block", help: "Last block whose pool events were read", registers: [this.registry] });

  /** Adds Node's process metrics (memory, CPU, event-loop lag): for the CLI, not for tests. */
  withProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry, prefix: "ponas_oracle_" });
    return this;
  }
}

export { serveMetrics, type Health, type MetricsServer } from "../ops/serve.js";
