// What the partitioner's cost model buys: the time a pool of N miners needs to search the whole
// space (its makespan), from the table's measured seconds, for the manager's time-balanced
// partition and for a FLOPs-balanced one. Miners start on tasks 0..N−1 and each free miner takes
// the next unclaimed task, as in the speedup experiment (claimInOrder).
import { enumerateSubspace, partitionSpace, type Partition } from "../nas/index.js";
import { managerPartition, type Bench } from "./bench.js";
import { round } from "./stats.js";

export interface Makespan {
  tasks: number;
  /** Seconds until the last miner finishes its last task. */
  seconds: number;
}

export interface MakespanRow {
  /** The manager's default: partitionSpace balanced by the table's time model. */
  time: Makespan;
  /** partitionSpace balanced by forward FLOPs. */
  flops: Makespan;
  /** Total measured seconds / N: no partition does better. */
  idealSeconds: number;
}

/** Measured seconds of each task, then the claim-in-order schedule's finishing time. */
export function makespan(bench: Bench, p: Partition, miners: number): Makespan {
  const taskSeconds = p.tasks.map((t) => {
    let s = 0;
    for (const g of enumerateSubspace(bench.space, t)) s += bench.entries.get(g)!.seconds;
    return s;
  });
  const busy = taskSeconds.slice(0, miners).concat(Array(Math.max(0, miners - taskSeconds.length)).fill(0));
  for (const s of taskSeconds.slice(miners)) {
    const i = busy.indexOf(Math.min(...busy)); // the first miner to be free takes the next task
    busy[i] += s;
  }
  return { tasks: p.tasks.length, seconds: round(Math.max(...busy), 1) };
}

export function makespanTable(bench: Bench, ns: readonly number[]): Record<string, MakespanRow> {
  const total = [...bench.entries.values()].reduce((a, e) => a + e.seconds, 0);
  return Object.fromEntries(
    ns.map((n) => [
      String(n),
      {
        time: makespan(bench, managerPartition(bench, n), n),
        flops: makespan(bench, partitionSpace(bench.space, n), n),
        idealSeconds: round(total / n, 1),
      },
    ]),
  );
}
