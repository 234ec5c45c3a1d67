// The ground truth every experiment reads: the committed tabular benchmark of the default space
// (all 1,296 architectures trained on real MNIST, nas/bench/<space id>.json), loaded through the
// NAS engine, plus the two targets of the speedup experiment: the best score of the space and the
// top-1% threshold.
import type { Hex } from "viem";
import { defaultSpace, loadTable, managerPartition as partitionForManager, partitionCost, spaceId, type Partition, type PartitionCost, type SearchSpace, type Table, type TableEntry } from "../nas/index.js";

export interface Bench {
  space: SearchSpace;
  table: Table;
  /** Entries by lower-case genome hex. */
  entries: Map<string, TableEntry>;
  size: number;
  bestScoreBps: number;
  /** The architectures that score bestScoreBps (ties count as "the best"). */
  bestCount: number;
  /** Score of the ceil(1%)-th best architecture: "in the top 1%" = at least this (ties included). */
  top1ThresholdBps: number;
  top1Count: number;
  spaceId: Hex;
  /** What the manager's open-round balances by default: the time model fitted to this table (fitted once). */
  cost: PartitionCost;
}

let cached: Bench | null = null;

/** The default space's benchmark (loaded once per process; it is read-only). */
export function loadBench(): Bench {
  if (cached) return cached;
  const space = defaultSpace();
  const table = loadTable(space);
  cached = benchOf(space, table, partitionCost(space, "time", table));
  return cached;
}

/**
 * The ground truth of any table over every architecture of `space` (the committed one, or a
 * surrogate's: sim/surrogate.ts), with the partition cost the manager would use for it.
 */
export function benchOf(space: SearchSpace, table: Table, cost: PartitionCost): Bench {
  const entries = new Map(Object.entries(table.entries).map(([g, e]) => [g.toLowerCase(), e]));
  const scores = [...entries.values()].map((e) => e.scoreBps).sort((a, b) => b - a);
  const best = scores[0];
  const top1 = scores[Math.ceil(scores.length * 0.01) - 1];
  return {
    space,
    table,
    entries,
    size: entries.size,
    bestScoreBps: best,
    bestCount: scores.filter((s) => s === best).length,
    top1ThresholdBps: top1,
    top1Count: scores.filter((s) => s >= top1).length,
    spaceId: spaceId(space),
    cost,
  };
}

/**
 * The tasks the pool manager would open for `n` miners (nas managerPartition, the fit reused).
 * Kept per bench and n: the partition is deterministic, and on a large space it costs seconds.
 */
export function managerPartition(bench: Bench, n: number): Partition {
  let byN = partitions.get(bench);
  if (!byN) partitions.set(bench, (byN = new Map()));
  let p = byN.get(n);
  if (!p) byN.set(n, (p = partitionForManager(bench.space, n, bench.cost)));
  return p;
}
const partitions = new WeakMap<Bench, Map<number, Partition>>();
