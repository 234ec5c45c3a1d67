// Cost-balanced hierarchical partitioner: the manager's split of a search space into disjoint
// subspace tasks `(mask, value)` that together cover it. Starting from the whole space, it
// repeatedly splits the costliest subspace by its next unfixed gene (macro decisions first, so a
// task is "all the micro choices of one macro design"), until there are at least N tasks. The
// cost of a subspace is the sum of its architectures' estimated training cost, so a task of deep,
// wide nets gets split further than one of shallow nets with the same count.
import { NasError } from "../errors.js";
import { archCost } from "./cost.js";
import { arityList, type SearchSpace } from "./space.js";
import { enumerateSubspace, prefixSubspace, type Subspace } from "./subspace.js";

export interface Task extends Subspace {
  /** The fixed leading genes (option indices). */
  prefix: number[];
  /** Architectures in the task. */
  size: number;
  /** Sum of the cost of its architectures. */
  cost: number;
}

export interface Partition {
  tasks: Task[];
  totalCost: number;
  /** max task cost / mean task cost (1 = perfectly balanced). */
  imbalance: number;
}

export type CostFn = (genome: string) => number;

export interface PartitionOptions {
  /** Cost of one architecture; default: its forward FLOPs (proportional to training FLOPs under a fixed recipe). */
  cost?: CostFn;
}

function leaf(space: SearchSpace, prefix: number[], cost: CostFn): Task {
  const sub = prefixSubspace(prefix);
  let size = 0;
  let total = 0;
  for (const g of enumerateSubspace(space, sub)) {
    size++;
    total += cost(g);
  }
  return { ...sub, prefix, size, cost: total };
}

/** Splits `space` into at least `n` disjoint, covering tasks balanced by cost. */
export function partitionSpace(space: SearchSpace, n: number, options: PartitionOptions = {}): Partition {
  const ar = arityList(space);
  const size = ar.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n < 1 || n > size) {
    throw new NasError(`cannot split space "${space.name}" (${size} architectures) into ${n} tasks: ask for 1..${size}`);
  }
  const cost = options.cost ?? ((g: string) => archCost(space, g).flops);
  let tasks: Task[] = [leaf(space, [], cost)];
  while (tasks.length < n) {
    // the costliest task that still has a gene to fix; ties: the earlier one, for determinism
    let pick = -1;
    tasks.forEach((t, i) => {
      if (t.prefix.length < ar.length && (pick < 0 || t.cost > tasks[pick].cost)) pick = i;
    });
    const parent = tasks[pick];
    const gene = parent.prefix.length;
    const children = Array.from({ length: ar[gene] }, (_, o) => leaf(space, [...parent.prefix, o], cost));
    tasks = [...tasks.slice(0, pick), ...children, ...tasks.slice(pick + 1)];
  }
  const totalCost = tasks.reduce((a, t) => a + t.cost, 0);
  const mean = totalCost / tasks.length;
  const imbalance = mean > 0 ? Math.max(...tasks.map((t) => t.cost)) / mean : 1;
  return { tasks, totalCost, imbalance };
}
