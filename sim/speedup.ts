// Experiment 1, speedup: how much sooner a pool of N miners on the partitioned space finds a
// top-1% architecture (and the best one) than one solo miner, and than N independent solo miners
// with the same total compute. Every miner evaluates one architecture at a time, each costing its
// measured training seconds; the pool's miners take the tasks of managerPartition(bench, N) (the
// manager's partitioner) and search them with the miner client's strategy; solo miners search the
// whole space with the same strategy and their own seeds. A run ends when any miner completes an
// evaluation of a best architecture, which is also when every target of the report is known.
import type { Hex } from "viem";
import { WHOLE_SPACE, type StrategyName } from "../nas/index.js";
import { managerPartition, type Bench } from "./bench.js";
import { Simulation } from "./events.js";
import { claimInOrder, sameSubspace, spawnMiner, type EvalRecord, type TaskSource } from "./miner.js";
import { minerSeed, STREAM, deriveSeed } from "./seeds.js";
import { bootstrapCI, mean, meanAt, round } from "./stats.js";

export type Setup = "pool" | "independent" | "solo";

export interface RunOutcome {
  /** Simulated seconds until a completed evaluation reached the top 1% / the best score. */
  tTop1: number;
  tBest: number;
  /** Completed evaluations of all miners until tBest, and how many repeated a genome another miner had already evaluated. */
  evaluations: number;
  duplicates: number;
  /** Distinct genomes evaluated by more than one miner. */
  genomesSeenTwice: number;
  /** Number of tasks in the pool's partition (1 for solo setups). */
  tasks: number;
  /** Best score any completed evaluation reached by the end of the run. */
  bestScoreBps: number;
}

export interface RunOptions {
  strategy?: StrategyName;
  /** Pool only: partition into managerPartition(bench, partitionFor) tasks (default N) to study more tasks than miners. */
  partitionFor?: number;
  /** Keep every completed evaluation (tests). */
  log?: EvalRecord[];
  /**
   * Simulated deadline (seconds): the run ends there instead of at the best architecture, and
   * tTop1 / tBest stay Infinity when it came first (sim/deadline.ts).
   */
  until?: number;
}

/** One run of `miners` miners drawing subspaces from `tasks`, until the best architecture is found. */
async function simulate(
  bench: Bench,
  miners: number,
  tasks: TaskSource,
  taskCount: number,
  seed: number,
  opts: RunOptions,
): Promise<RunOutcome> {
  const sim = new Simulation();
  const seen = new Map<Hex, number>();
  let tTop1 = Infinity;
  let tBest = Infinity;
  let evaluations = 0;
  let duplicates = 0;
  let bestScoreBps = 0;
  const onEvaluation = (r: EvalRecord) => {
    if (sim.isStopped) return; // completions at the very same instant after the stop do not count
    opts.log?.push(r);
    evaluations++;
    const before = seen.get(r.genome) ?? 0;
    if (before > 0) duplicates++;
    seen.set(r.genome, before + 1);
    bestScoreBps = Math.max(bestScoreBps, r.scoreBps);
    if (r.scoreBps >= bench.top1ThresholdBps && tTop1 === Infinity) tTop1 = r.end;
    if (r.scoreBps >= bench.bestScoreBps) {
      tBest = r.end;
      sim.stop();
    }
  };
  for (let i = 0; i < miners; i++) {
    spawnMiner({
      sim,
      bench,
      miner: i,
      strategy: opts.strategy ?? "evolution",
      tasks,
      seed: (j) => minerSeed(seed, i, j),
      onEvaluation,
    });
  }
  await sim.run({ until: opts.until });
  if (opts.until === undefined && !Number.isFinite(tBest)) throw new Error(`run ${seed}: no miner found the best architecture (the tasks do not cover the space?)`);
  let genomesSeenTwice = 0;
  for (const c of seen.values()) if (c > 1) genomesSeenTwice++;
  return { tTop1, tBest, evaluations, duplicates, genomesSeenTwice, tasks: taskCount, bestScoreBps };
}

/** A pool of `n` miners on managerPartition(bench, n): more tasks than miners are claimed in order as miners free up. */
export function simulatePool(bench: Bench, n: number, seed: number, opts: RunOptions = {}): Promise<RunOutcome> {
  const { tasks } = managerPartition(bench, opts.partitionFor ?? n);
  return simulate(bench, n, claimInOrder(tasks, n), tasks.length, seed, opts);
}

/** `n` independent solo miners, each on the whole space with its own seed (n = 1: one solo miner). */
export function simulateIndependent(bench: Bench, n: number, seed: number, opts: RunOptions = {}): Promise<RunOutcome> {
  return simulate(bench, n, sameSubspace(WHOLE_SPACE), 1, seed, opts);
}

export interface Interval {
  mean: number;
  ci95: [number, number];
}

export interface SpeedupEntry {
  /** mean(solo time) / mean(pool time), time to the top 1%. */
  vsSolo: number;
  /** mean(time of N independent miners) / mean(pool time), time to the top 1%. */
  vsIndependent: number;
  /** 95% bootstrap interval of vsSolo (seeds resampled). */
  ci95: [number, number];
  ci95Independent: [number, number];
  /** The same two ratios for the time to the best architecture. */
  best: { vsSolo: number; vsIndependent: number; ci95: [number, number]; ci95Independent: [number, number] };
  /** Mean simulated seconds (and bootstrap interval of the mean) per setup and target. */
  seconds: Record<"top1" | "best", Record<Setup, Interval>>;
  /** Mean completed evaluations per run until the best was found. */
  evaluations: Record<Setup, number>;
  tasks: number;
}

export interface DuplicateEntry {
  /** Mean repeated evaluations per run (until the best was found). */
  pool: number;
  independent: number;
  /** Share of the independent miners' evaluations that repeated another miner's. */
  independentShare: number;
  /** Most repeats of any run, pool setup (0 proves the partition is disjoint in practice). */
  poolMax: number;
}

export interface SpeedupResult {
  seeds: number;
  strategy: StrategyName;
  ns: number[];
  speedup: Record<string, SpeedupEntry>;
  duplicateEvaluations: Record<string, DuplicateEntry>;
  /** Means over N of the speedups (the paper reports one "average" figure). */
  average: { vsSolo: number; vsIndependent: number; bestVsSolo: number; bestVsIndependent: number };
}

export interface SpeedupOptions {
  seeds: number;
  ns: number[];
  strategy?: StrategyName;
  /** Called after each seed (progress). */
  onSeed?: (done: number) => void;
}

/** Every seed's runs of one solo miner, and of the pool and N independent miners per N (the speedup and deadline experiments). */
export async function runSetups(
  bench: Bench,
  o: { seeds: number; ns: number[]; onSeed?: (done: number) => void },
  opts: RunOptions,
): Promise<{ solo: RunOutcome[]; pool: Map<number, RunOutcome[]>; indep: Map<number, RunOutcome[]> }> {
  const solo: RunOutcome[] = [];
  const pool = new Map<number, RunOutcome[]>(o.ns.map((n) => [n, []]));
  const indep = new Map<number, RunOutcome[]>(o.ns.map((n) => [n, []]));
  for (let s = 0; s < o.seeds; s++) {
    solo.push(await simulateIndependent(bench, 1, s, opts));
    for (const n of o.ns) {
      pool.get(n)!.push(await simulatePool(bench, n, s, opts));
      indep.get(n)!.push(await simulateIndependent(bench, n, s, opts));
    }
    o.onSeed?.(s + 1);
  }
  return { solo, pool, indep };
}

/** All runs of the experiment and their summary. */
export async function speedupExperiment(bench: Bench, o: SpeedupOptions): Promise<SpeedupResult> {
  const strategy = o.strategy ?? "evolution";
  const { solo, pool, indep } = await runSetups(bench, o, { strategy });
  const speedup: Record<string, SpeedupEntry> = {};
  const duplicateEvaluations: Record<string, DuplicateEntry> = {};
  const ciSeed = deriveSeed(0, STREAM.bootstrap);
  const ratio = (num: number[], den: number[]) => (ix: readonly number[]) => meanAt(num, ix) / meanAt(den, ix);
  const all = [...Array(o.seeds).keys()];
  const interval = (xs: number[]): Interval => ({
    mean: round(mean(xs), 2),
    ci95: bootstrapCI(xs.length, (ix) => meanAt(xs, ix), ciSeed).map((v) => round(v, 2)) as [number, number],
  });
  const ci = (f: (ix: readonly number[]) => number) =>
    bootstrapCI(o.seeds, f, ciSeed).map((v) => round(v, 3)) as [number, number];
  for (const n of o.ns) {
    const P = pool.get(n)!;
    const I = indep.get(n)!;
    const t = (rs: RunOutcome[], k: "tTop1" | "tBest") => rs.map((r) => r[k]);
    const entry = (k: "tTop1" | "tBest") => ({
      vsSolo: round(ratio(t(solo, k), t(P, k))(all), 3),
      vsIndependent: round(ratio(t(I, k), t(P, k))(all), 3),
      ci95: ci(ratio(t(solo, k), t(P, k))),
      ci95Independent: ci(ratio(t(I, k), t(P, k))),
    });
    const top1 = entry("tTop1");
    speedup[String(n)] = {
      ...top1,
      best: entry("tBest"),
      seconds: {
        top1: { pool: interval(t(P, "tTop1")), independent: interval(t(I, "tTop1")), solo: interval(t(solo, "tTop1")) },
        best: { pool: interval(t(P, "tBest")), independent: interval(t(I, "tBest")), solo: interval(t(solo, "tBest")) },
      },
      evaluations: {
        pool: round(mean(P.map((r) => r.evaluations)), 1),
        independent: round(mean(I.map((r) => r.evaluations)), 1),
        solo: round(mean(solo.map((r) => r.evaluations)), 1),
      },
      tasks: P[0].tasks,
    };
    const iEvals = I.reduce((a, r) => a + r.evaluations, 0);
    const iDups = I.reduce((a, r) => a + r.duplicates, 0);
    duplicateEvaluations[String(n)] = {
      pool: round(mean(P.map((r) => r.duplicates)), 2),
      independent: round(mean(I.map((r) => r.duplicates)), 2),
      independentShare: round(iDups / iEvals, 4),
      poolMax: Math.max(...P.map((r) => r.duplicates)),
    };
  }
  const avg = (f: (e: SpeedupEntry) => number) => round(mean(o.ns.map((n) => f(speedup[String(n)]))), 3);
  return {
    seeds: o.seeds,
    strategy,
    ns: o.ns,
    speedup,
    duplicateEvaluations,
    average: {
      vsSolo: avg((e) => e.vsSolo),
      vsIndependent: avg((e) => e.vsIndependent),
      bestVsSolo: avg((e) => e.best.vsSolo),
      bestVsIndependent: avg((e) => e.best.vsIndependent),
    },
  };
}
