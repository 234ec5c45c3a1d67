// A simulated miner: the miner client's search (nas/ runSearch with a strategy from
// createStrategy, the same calls miner/search.ts makes) driven by the simulation clock instead of
// a trainer. Its evaluator is the engine's tableEvaluator over the tabular benchmark, wrapped so
// that each evaluation takes the architecture's measured training seconds of simulated time and
// is logged when it completes. The miner client runs one evaluation per runSearch call and
// resumes from a checkpoint between them; the engine guarantees that resuming replays exactly
// the same proposals, so one runSearch per task here tries the same genomes in the same order
// without the checkpoint files.
import type { Hex } from "viem";
import {
  createStrategy,
  runSearch,
  subspaceSize,
  tableEvaluator,
  type Evaluate,
  type StrategyName,
  type Subspace,
  type TableEntry,
} from "../nas/index.js";
import type { Bench } from "./bench.js";
import type { Simulation } from "./events.js";

/** One completed evaluation. */
export interface EvalRecord {
  miner: number;
  /** Index of the task (in the miner's task source) the genome belongs to. */
  task: number;
  genome: Hex;
  scoreBps: number;
  /** Simulated seconds at which it started and completed. */
  start: number;
  end: number;
}

/** Where a miner gets its next subspace: null when there is none left for it. */
export type TaskSource = (miner: number) => { task: number; subspace: Subspace } | null;

export interface MinerOptions {
  sim: Simulation;
  bench: Bench;
  miner: number;
  strategy: StrategyName;
  tasks: TaskSource;
  /** Search seed of the miner's j-th task. */
  seed: (j: number) => number;
  /** Called when an evaluation completes, in simulated-time order across all miners. */
  onEvaluation: (r: EvalRecord) => void;
}

/** The benchmark evaluator on the simulated clock, logging completions. */
export function clockedEvaluator(
  sim: Simulation,
  bench: Bench,
  miner: number,
  task: () => number,
  onEvaluation: (r: EvalRecord) => void,
): Evaluate<TableEntry> {
  const lookup = tableEvaluator(bench.table);
  return async (genome) => {
    const entry = await lookup(genome);
    const start = sim.now;
    await sim.wait(entry.seconds);
    onEvaluation({ miner, task: task(), genome, scoreBps: entry.scoreBps, start, end: sim.now });
    return entry;
  };
}

/**
 * Spawns the miner: it searches each task it gets to exhaustion (or until the simulation stops),
 * then asks for the next one. Exhausting a task is what the speedup experiment needs (a task
 * holds the target or it does not); the deadline experiments stop the clock instead.
 */
export function spawnMiner(o: MinerOptions): void {
  o.sim.spawn(async () => {
    let current = -1;
    const evaluate = clockedEvaluator(o.sim, o.bench, o.miner, () => current, o.onEvaluation);
    for (let j = 0; ; j++) {
      const next = o.tasks(o.miner);
      if (next === null) return;
      current = next.task;
      await runSearch(createStrategy(o.strategy), evaluate, {
        space: o.bench.space,
        subspace: next.subspace,
        seed: o.seed(j),
        maxEvaluations: subspaceSize(o.bench.space, next.subspace),
      });
    }
  });
}

/** A task source handing out `subspaces` in order: miner i starts on i, then each takes the next unclaimed one. */
export function claimInOrder(subspaces: readonly Subspace[], miners: number): TaskSource {
  const started = new Set<number>();
  let next = miners;
  return (miner) => {
    let k: number;
    if (!started.has(miner)) {
      started.add(miner);
      k = miner;
    } else k = next++;
    if (k >= subspaces.length) return null;
    return { task: k, subspace: subspaces[k] };
  };
}

/** Every miner searches the same subspace once (solo miners on the whole space). */
export function sameSubspace(subspace: Subspace): TaskSource {
  const done = new Set<number>();
  return (miner) => {
    if (done.has(miner)) return null;
    done.add(miner);
    return { task: 0, subspace };
  };
}
