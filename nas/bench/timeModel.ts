// What a task costs a miner in time, for the partitioner. Forward FLOPs alone miss that every
// architecture also pays a fixed price (building the model, the per-batch dispatch of each layer,
// the evaluation pass): on the committed table that fixed part is ~1.1 s of a 2.6 s mean, so a
// FLOPs-balanced split leaves tasks of many small nets far longer than their FLOPs say
// (timeModel.test.ts measures it). The model here is least squares `seconds ≈ fixed + perFlop ·
// flops` over a measured table; the manager and the simulation partition with it when the space
// has a table, and with FLOPs otherwise.
import { existsSync } from "node:fs";
import { NasError } from "../errors.js";
import { archCost } from "../space/cost.js";
import { partitionSpace, type CostFn, type Partition } from "../space/partition.js";
import type { SearchSpace } from "../space/space.js";
import { loadTable, tableUrl, type Table } from "./table.js";

export interface TimeModel {
  /** Seconds every architecture costs whatever its size. */
  fixedSeconds: number;
  /** Seconds per forward FLOP (per image) of the architecture. */
  secondsPerFlop: number;
  /** Architectures the fit used. */
  samples: number;
  /** Share of the variance of the measured seconds the model explains. */
  r2: number;
}

/** Least-squares fit of `seconds ≈ fixedSeconds + secondsPerFlop · flops(genome)`. */
export function fitTimeModel(space: SearchSpace, samples: Iterable<{ genome: string; seconds: number }>): TimeModel {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of samples) {
    if (!(Number.isFinite(s.seconds) && s.seconds > 0)) continue; // failed or unmeasured entries
    xs.push(archCost(space, s.genome).flops);
    ys.push(s.seconds);
  }
  const n = xs.length;
  if (n < 2) throw new NasError(`a time model needs at least 2 measured architectures of space "${space.name}", got ${n}: run npm run bench:table`);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new NasError(`every measured architecture of space "${space.name}" has the same FLOPs: a time model cannot be fitted`);
  // a negative slope or intercept would be noise, not physics: clamp so every cost stays positive
  const secondsPerFlop = Math.max(sxy / sxx, 0);
  const fixedSeconds = Math.max(my - secondsPerFlop * mx, 0);
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - fixedSeconds - secondsPerFlop * xs[i]) ** 2;
  return { fixedSeconds, secondsPerFlop, samples: n, r2: syy > 0 ? 1 - sse / syy : 1 };
}

/** The fit over a table's measured entries. */
export function tableTimeModel(space: SearchSpace, table: Table): TimeModel {
  return fitTimeModel(
    space,
    Object.entries(table.entries).map(([genome, e]) => ({ genome, seconds: e.weightsHash === null ? NaN : e.seconds })),
  );
}

/** Predicted seconds of one architecture: a partitioner cost. */
export function timeCost(space: SearchSpace, m: TimeModel): CostFn {
  return (g) => m.fixedSeconds + m.secondsPerFlop * archCost(space, g).flops;
}

/** What a partition can balance, for CLI choices and options. */
export const COST_MODELS = ["time", "flops"] as const;
export type CostModelName = (typeof COST_MODELS)[number];

export interface PartitionCost {
  /** undefined: partitionSpace's default (forward FLOPs). */
  cost?: CostFn;
  /** The model in words, for logs and reports. */
  describe: string;
  model?: TimeModel;
}

/**
 * The cost the manager partitions by. "time" (the default) uses the space's committed table when
 * there is one and falls back to FLOPs, saying so; "flops" always uses FLOPs.
 */
export function partitionCost(space: SearchSpace, name: CostModelName = "time", table?: Table): PartitionCost {
  if (name === "flops") return { describe: "forward FLOPs" };
  if (!table && !existsSync(tableUrl(space))) return { describe: `forward FLOPs (space "${space.name}" has no measured table for a time model)` };
  const model = tableTimeModel(space, table ?? loadTable(space));
  return {
    cost: timeCost(space, model),
    model,
    describe: `measured time: ${model.fixedSeconds.toFixed(2)} s + ${(model.secondsPerFlop * 1e6).toFixed(3)} s per MFLOP (R² ${model.r2.toFixed(2)}, ${model.samples} architectures)`,
  };
}

/**
 * The manager's split of `space` for `n` miners: partitionSpace balanced by `cost` (default: the
 * time model), permuted by `seed` when one is given (a round's: see PartitionOptions.seed). The
 * one call behind open-round, `npm run partition` and the simulation.
 */
export function managerPartition(space: SearchSpace, n: number, cost: PartitionCost = partitionCost(space), seed?: number): Partition & { costModel: string } {
  return { ...partitionSpace(space, n, { cost: cost.cost, seed }), costModel: cost.describe };
}
