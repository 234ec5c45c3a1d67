// Experiment 4, a round's deadline: what a pool of N miners, N independent solo miners and one
// solo miner have found when the commit window closes. The speedup experiment runs until the
// space's best architecture is found, which on the 1,296-architecture MNIST table takes minutes;
// on a space of 187,500 (the cell space, scored by its surrogate: sim/surrogate.ts) no setup gets
// near exhausting it within a round, so what matters is how good the best architecture found by
// the deadline is. The deadline is `evaluationsPerMiner` mean training times of the bench, so both
// benches give each miner the same number of evaluations and differ only in their size. Runs use
// the same miners, seeds and search as the speedup experiment (speedup.ts), cut at the deadline.
import type { StrategyName } from "../nas/index.js";
import { managerPartition, type Bench } from "./bench.js";
import { runSetups, type Interval, type RunOutcome, type Setup } from "./speedup.js";
import { deriveSeed, STREAM } from "./seeds.js";
import { bootstrapCI, mean, meanAt, round } from "./stats.js";

export interface DeadlineOptions {
  seeds: number;
  ns: number[];
  /** The deadline in mean training times of the bench (default 50). */
  evaluationsPerMiner?: number;
  strategy?: StrategyName;
  onSeed?: (done: number) => void;
}

export interface DeadlineEntry {
  /** Best score found by the deadline (mean over seeds, 95% bootstrap interval). */
  bestBps: Record<Setup, Interval>;
  /** Share of the space that scores strictly above the best found (mean over seeds; 0 = found the best). */
  aboveBest: Record<Setup, number>;
  /** Share of runs in which some miner reached the top 1% by the deadline. */
  top1Reached: Record<Setup, number>;
  /** Completed evaluations per run, and the pool's as a share of the space. */
  evaluations: Record<Setup, number>;
  poolCoverage: number;
  /** Share of evaluations that repeated another miner's (the pool's is 0 by construction of the tasks). */
  duplicateShare: { pool: number; independent: number };
  tasks: number;
}

export interface DeadlineResult {
  seeds: number;
  strategy: StrategyName;
  ns: number[];
  evaluationsPerMiner: number;
  /** The deadline in simulated seconds. */
  deadlineSeconds: number;
  architectures: number;
  top1ThresholdBps: number;
  bestScoreBps: number;
  byN: Record<string, DeadlineEntry>;
}

/** Mean training seconds of the bench's architectures within the limits. */
export function meanSeconds(bench: Bench): number {
  const xs = [...bench.entries.values()].filter((e) => e.weightsHash !== null).map((e) => e.seconds);
  return mean(xs);
}

/** Share of `descending` (scores, high first) strictly above `score`. */
export function shareAbove(descending: readonly number[], score: number): number {
  let lo = 0;
  let hi = descending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (descending[mid] > score) lo = mid + 1;
    else hi = mid;
  }
  return lo / descending.length;
}

export async function deadlineExperiment(bench: Bench, o: DeadlineOptions): Promise<DeadlineResult> {
  const strategy = o.strategy ?? "evolution";
  const k = o.evaluationsPerMiner ?? 50;
  const until = k * meanSeconds(bench);
  const { solo, pool, indep } = await runSetups(bench, o, { strategy, until });
  const descending = [...bench.entries.values()].map((e) => e.scoreBps).sort((a, b) => b - a);
  const ciSeed = deriveSeed(0, STREAM.bootstrap);
  const interval = (xs: number[]): Interval => ({
    mean: round(mean(xs), 1),
    ci95: bootstrapCI(xs.length, (ix) => meanAt(xs, ix), ciSeed).map((v) => round(v, 1)) as [number, number],
  });
  const per = <T>(f: (rs: RunOutcome[]) => T, P: RunOutcome[], I: RunOutcome[]): Record<Setup, T> => ({ pool: f(P), independent: f(I), solo: f(solo) });
  const byN: Record<string, DeadlineEntry> = {};
  for (const n of o.ns) {
    const P = pool.get(n)!;
    const I = indep.get(n)!;
    const dupShare = (rs: RunOutcome[]) => round(rs.reduce((a, r) => a + r.duplicates, 0) / Math.max(1, rs.reduce((a, r) => a + r.evaluations, 0)), 4);
    byN[String(n)] = {
      bestBps: per((rs) => interval(rs.map((r) => r.bestScoreBps)), P, I),
      aboveBest: per((rs) => round(mean(rs.map((r) => shareAbove(descending, r.bestScoreBps))), 5), P, I),
      top1Reached: per((rs) => round(rs.filter((r) => r.bestScoreBps >= bench.top1ThresholdBps).length / rs.length, 3), P, I),
      evaluations: per((rs) => round(mean(rs.map((r) => r.evaluations)), 1), P, I),
      poolCoverage: round(mean(P.map((r) => r.evaluations)) / bench.size, 4),
      duplicateShare: { pool: dupShare(P), independent: dupShare(I) },
      tasks: managerPartition(bench, n).tasks.length,
    };
  }
  return {
    seeds: o.seeds,
    strategy,
    ns: o.ns,
    evaluationsPerMiner: k,
    deadlineSeconds: round(until, 1),
    architectures: bench.size,
    top1ThresholdBps: bench.top1ThresholdBps,
    bestScoreBps: bench.bestScoreBps,
    byN,
  };
}
