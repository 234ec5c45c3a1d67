// Experiment 2, task completion under dropout: the share of tasks that end a round with a
// delivered result when miners drop out, without backups, with backups for every task, and with
// the contract's σ_p rule (backup slots only where the primary is new or its σ_p ≥ threshold).
//
// The dropout model, explicitly:
//  - A round has T tasks (managerPartition(bench, 16)) and M miners (default 32, so that every task
//    can be given its maxBackups backups within maxTasksPerMiner claims per miner).
//  - Miners differ in reliability: miner i drops out of a round with its own probability
//    q_i = 2·d·u_i, u_i uniform in [0, 1), so the mean rate over miners is d (0–30%). A miner that
//    drops out delivers nothing that round, for any task it holds (primary or backup): it claimed,
//    then went offline before revealing, the no-show the contract handles.
//  - Primaries: a fresh random assignment of miners to tasks every round (miners claim, the
//    manager does not choose). Backups: for each task that opens slots, up to maxBackups miners
//    other than its primary, least-loaded first (ties in a random order), within maxTasksPerMiner.
//  - A task completes when its primary or at least one of its backups delivers.
//  - History (for σ_p): after each round every primary records P = (best score its search found
//    in the task within roundSeconds of simulated training) − baselineBps if it delivered, 0 if it
//    dropped out: exactly what the contract records at settlement, with its Welford arithmetic.
// The three policies see the same miners, the same dropouts and the same assignments (common random
// numbers); they differ only in which tasks get backups.
import type { StrategyName, Subspace } from "../nas/index.js";
import { ROUND_DEFAULTS } from "../chain/actions/openRound.js";
import { managerPartition, type Bench } from "./bench.js";
import { Simulation } from "./events.js";
import { claimInOrder, spawnMiner } from "./miner.js";
import { deriveSeed, minerSeed, rngFor, STREAM } from "./seeds.js";
import { bootstrapCI, mean, meanAt, round } from "./stats.js";
import { EMPTY, add, backupsAllowed, type Stats } from "./welford.js";

export const POLICIES = ["none", "all", "sigma"] as const;
export type Policy = (typeof POLICIES)[number];

export interface CompletionOptions {
  seeds: number;
  /** Mean per-round dropout rates d. */
  dropouts: number[];
  miners?: number;
  /** managerPartition(bench, partitionFor) gives the round's tasks. */
  partitionFor?: number;
  rounds?: number;
  /** Simulated training seconds a miner searches its task per round (decides its P). */
  roundSeconds?: number;
  maxBackups?: number;
  maxTasksPerMiner?: number;
  /** bps · 1e6, as the contract stores it. */
  sigmaThreshold?: number;
  baselineBps?: number;
  strategy?: StrategyName;
  /** A longer horizon for the σ rule, which only learns from failures: rounds and dropout rates. */
  longRun?: { rounds: number; dropouts: number[] };
  onSeed?: (done: number) => void;
}

export const COMPLETION_DEFAULTS = {
  miners: 32,
  partitionFor: 16,
  rounds: 50,
  roundSeconds: 120,
  maxBackups: ROUND_DEFAULTS.maxBackups,
  maxTasksPerMiner: ROUND_DEFAULTS.maxTasksPerMiner,
  sigmaThreshold: ROUND_DEFAULTS.sigmaThreshold,
  baselineBps: ROUND_DEFAULTS.baselineBps,
  strategy: "evolution" as StrategyName,
  longRun: { rounds: 200, dropouts: [0.1, 0.3] },
};

export interface PolicyOutcome {
  /** Tasks completed / tasks, over all rounds. */
  completed: number;
  /** Backup slots filled per task. */
  backupSlots: number;
  /** Tasks whose primary dropped out and a backup delivered instead. */
  rescued: number;
}

/** P of each task for one run: a miner searches each task for roundSeconds of simulated training. */
export async function taskPerformances(
  bench: Bench,
  tasks: readonly Subspace[],
  seed: number,
  roundSeconds: number,
  baselineBps: number,
  strategy: StrategyName,
): Promise<number[]> {
  const sim = new Simulation();
  const best = tasks.map(() => 0);
  // One miner per task: miner k searches task k only (there is no unclaimed task left for it).
  const source = claimInOrder(tasks, tasks.length);
  tasks.forEach((_, k) => {
    spawnMiner({
      sim,
      bench,
      miner: k,
      strategy,
      tasks: source,
      seed: (j) => minerSeed(deriveSeed(seed, STREAM.performance), k, j),
      onEvaluation: (r) => {
        best[k] = Math.max(best[k], r.scoreBps);
      },
    });
  });
  await sim.run({ until: roundSeconds });
  return best.map((b) => Math.max(0, b - baselineBps));
}

/** One run (seed) at one dropout rate: the three policies' outcomes. */
export function simulateRounds(
  seed: number,
  dropout: number,
  taskP: readonly number[],
  o: Required<Pick<CompletionOptions, "miners" | "rounds" | "maxBackups" | "maxTasksPerMiner" | "sigmaThreshold">>,
): Record<Policy, PolicyOutcome> {
  const T = taskP.length;
  const M = o.miners;
  if (T > M * o.maxTasksPerMiner) throw new RangeError(`${T} tasks need more than ${M} miners × ${o.maxTasksPerMiner} claims`);
  const threshold = BigInt(o.sigmaThreshold);
  // Reliability and dropout draws do not depend on d, so a higher d only adds dropouts.
  const relRng = rngFor(seed, STREAM.reliability);
  const q = Array.from({ length: M }, () => Math.min(1, 2 * dropout * relRng.next()));
  let stats: Stats[] = Array.from({ length: M }, () => EMPTY);
  const out: Record<Policy, PolicyOutcome> = {
    none: { completed: 0, backupSlots: 0, rescued: 0 },
    all: { completed: 0, backupSlots: 0, rescued: 0 },
    sigma: { completed: 0, backupSlots: 0, rescued: 0 },
  };
  const miners = [...Array(M).keys()];
  for (let r = 0; r < o.rounds; r++) {
    const dropRng = rngFor(seed, STREAM.dropout, r);
    const present = q.map((qi) => dropRng.next() >= qi);
    const perm = rngFor(seed, STREAM.assignment, r).shuffle(miners);
    const primary = Array.from({ length: T }, (_, k) => perm[k % M]);
    const rank = new Map(rngFor(seed, STREAM.backups, r).shuffle(miners).map((m, i) => [m, i]));
    for (const policy of POLICIES) {
      const load = miners.map(() => 0);
      for (const p of primary) load[p]++;
      for (let k = 0; k < T; k++) {
        const opens = policy === "all" || (policy === "sigma" && backupsAllowed(stats[primary[k]], threshold));
        const backups: number[] = [];
        if (opens) {
          const candidates = miners
            .filter((m) => m !== primary[k] && load[m] < o.maxTasksPerMiner)
            .sort((a, b) => load[a] - load[b] || rank.get(a)! - rank.get(b)!);
          for (const m of candidates.slice(0, o.maxBackups)) {
            backups.push(m);
            load[m]++;
          }
        }
        out[policy].backupSlots += backups.length;
        if (present[primary[k]]) out[policy].completed++;
        else if (backups.some((m) => present[m])) {
          out[policy].completed++;
          out[policy].rescued++;
        }
      }
    }
    // The contract records every primary's performance at settlement; backups record nothing.
    stats = stats.slice();
    for (let k = 0; k < T; k++) {
      const p = primary[k];
      stats[p] = add(stats[p], present[p] ? taskP[k] : 0);
    }
  }
  const n = o.rounds * T;
  for (const policy of POLICIES) {
    out[policy].completed /= n;
    out[policy].backupSlots /= n;
    out[policy].rescued /= n;
  }
  return out;
}

export interface CompletionEntry extends Record<Policy, number> {
  ci95: Record<Policy, [number, number]>;
  /** Mean backup slots filled per task. */
  backupSlotsPerTask: Record<Policy, number>;
}

export interface CompletionResult {
  completion: Record<string, CompletionEntry>;
  /** The same experiment over longRun.rounds rounds: completion and backup slots per task by dropout rate. */
  longRun: { rounds: number } & Record<string, number | Record<Policy, { completed: number; backupSlotsPerTask: number }>>;
  setup: {
    seeds: number;
    miners: number;
    tasks: number;
    rounds: number;
    roundSeconds: number;
    maxBackups: number;
    maxTasksPerMiner: number;
    sigmaThresholdBps: number;
    baselineBps: number;
    /** Mean P (bps above baseline) of a delivered task, over seeds and tasks. */
    meanTaskP: number;
    model: string;
  };
}

export const DROPOUT_MODEL =
  "each miner has its own per-round dropout probability q_i = 2·d·u_i (u_i uniform in [0,1), mean d over miners); a dropped-out miner delivers nothing that round for any task it holds; primaries are assigned at random each round; a task completes when its primary or one of its backups delivers";

export async function completionExperiment(bench: Bench, opts: CompletionOptions): Promise<CompletionResult> {
  const o = { ...COMPLETION_DEFAULTS, ...opts };
  const { tasks } = managerPartition(bench, o.partitionFor);
  const perSeed = new Map<number, Record<Policy, PolicyOutcome>[]>(o.dropouts.map((d) => [d, []]));
  const pAll: number[] = [];
  const long = new Map<number, Record<Policy, PolicyOutcome>[]>(o.longRun.dropouts.map((d) => [d, []]));
  for (let s = 0; s < o.seeds; s++) {
    const taskP = await taskPerformances(bench, tasks, s, o.roundSeconds, o.baselineBps, o.strategy);
    pAll.push(...taskP);
    for (const d of o.dropouts) perSeed.get(d)!.push(simulateRounds(s, d, taskP, o));
    for (const d of o.longRun.dropouts) long.get(d)!.push(simulateRounds(s, d, taskP, { ...o, rounds: o.longRun.rounds }));
    o.onSeed?.(s + 1);
  }
  const ciSeed = deriveSeed(0, STREAM.bootstrap, 2);
  const completion: Record<string, CompletionEntry> = {};
  for (const d of o.dropouts) {
    const runs = perSeed.get(d)!;
    const of = (p: Policy) => runs.map((r) => r[p].completed);
    const entry = {} as CompletionEntry;
    entry.ci95 = {} as CompletionEntry["ci95"];
    entry.backupSlotsPerTask = {} as CompletionEntry["backupSlotsPerTask"];
    for (const p of POLICIES) {
      const xs = of(p);
      entry[p] = round(mean(xs), 4);
      entry.ci95[p] = bootstrapCI(xs.length, (ix) => meanAt(xs, ix), ciSeed).map((v) => round(v, 4)) as [number, number];
      entry.backupSlotsPerTask[p] = round(mean(runs.map((r) => r[p].backupSlots)), 3);
    }
    completion[String(d)] = entry;
  }
  const longRun: CompletionResult["longRun"] = { rounds: o.longRun.rounds };
  for (const [d, runs] of long) {
    longRun[String(d)] = Object.fromEntries(
      POLICIES.map((p) => [
        p,
        {
          completed: round(mean(runs.map((r) => r[p].completed)), 4),
          backupSlotsPerTask: round(mean(runs.map((r) => r[p].backupSlots)), 3),
        },
      ]),
    ) as Record<Policy, { completed: number; backupSlotsPerTask: number }>;
  }
  return {
    completion,
    longRun,
    setup: {
      seeds: o.seeds,
      miners: o.miners,
      tasks: tasks.length,
      rounds: o.rounds,
      roundSeconds: o.roundSeconds,
      maxBackups: o.maxBackups,
      maxTasksPerMiner: o.maxTasksPerMiner,
      sigmaThresholdBps: o.sigmaThreshold / 1e6,
      baselineBps: o.baselineBps,
      meanTaskP: round(mean(pAll), 1),
      model: DROPOUT_MODEL,
    },
  };
}
