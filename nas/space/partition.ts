// Cost-balanced hierarchical partitioner: the manager's split of a search space into disjoint
// subspace tasks `(mask, value)` that together cover it. Starting from the whole space, it
// repeatedly splits the costliest task by fixing one more gene, until there are at least N tasks.
// The cost of a task is the sum of its architectures' estimated training cost, so a task of deep,
// wide nets gets split further than one of shallow nets with the same count.
// Which gene: either the next one in order (macro decisions first, so a task is "every micro
// choice of one macro design"), or the one that leaves the partition best balanced (the next gene
// is often a lopsided split: a 5×5 kernel costs 2.8× a 3×3). Both greedy rules are run and the
// better partition kept; see partition.test.ts for the numbers on the default space.
import { NasError } from "../errors.js";
import { archCost } from "./cost.js";
import { arityList, bytesToHex32, type SearchSpace } from "./space.js";
import { enumerateSubspace, type Subspace } from "./subspace.js";

export interface Task extends Subspace {
  /** Per gene: the option it is fixed to in this task, or null when free. */
  fixed: (number | null)[];
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
  /**
   * "prefix": always fix the next gene in order; "balanced": fix the gene that leaves the whole
   * partition best balanced after the split; "best" (default): run both and keep the better
   * (lower imbalance; prefix on ties, for its macro-first tasks). Both are greedy, and neither
   * wins for every N on the default space.
   */
  geneOrder?: "best" | "balanced" | "prefix";
}

/** Memoised per partitionSpace call: both greedy rules and every candidate split share leaves. */
type Leaves = Map<string, Task>;

function leaf(space: SearchSpace, fixed: (number | null)[], cost: CostFn, memo: Leaves): Task {
  const sub: Subspace = {
    mask: bytesToHex32(fixed.map((o) => (o === null ? 0 : 0xff))),
    value: bytesToHex32(fixed.map((o) => o ?? 0)),
  };
  const key = sub.mask + sub.value;
  const known = memo.get(key);
  if (known) return known;
  let size = 0;
  let total = 0;
  for (const g of enumerateSubspace(space, sub)) {
    size++;
    total += cost(g);
  }
  const t = { ...sub, fixed, size, cost: total };
  memo.set(key, t);
  return t;
}

function split(space: SearchSpace, parent: Task, gene: number, arity: number, cost: CostFn, memo: Leaves): Task[] {
  return Array.from({ length: arity }, (_, o) => leaf(space, parent.fixed.map((f, i) => (i === gene ? o : f)), cost, memo));
}

/** Splits `space` into at least `n` disjoint, covering tasks balanced by cost. */
export function partitionSpace(space: SearchSpace, n: number, options: PartitionOptions = {}): Partition {
  const order = options.geneOrder ?? "best";
  const memo: Leaves = new Map();
  if (order !== "best") return greedy(space, n, options, order === "balanced", memo);
  const prefix = greedy(space, n, options, false, memo);
  const balanced = greedy(space, n, options, true, memo);
  return balanced.imbalance < prefix.imbalance ? balanced : prefix;
}

function greedy(space: SearchSpace, n: number, options: PartitionOptions, balanced: boolean, memo: Leaves): Partition {
  const ar = arityList(space);
  const size = ar.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n < 1 || n > size) {
    throw new NasError(`cannot split space "${space.name}" (${size} architectures) into ${n} tasks: ask for 1..${size}`);
  }
  const cost = options.cost ?? ((g: string) => archCost(space, g).flops);
  let tasks: Task[] = [leaf(space, ar.map(() => null), cost, memo)];
  while (tasks.length < n) {
    // the costliest task that still has a free gene with options to split; ties: the earlier one
    let pick = -1;
    tasks.forEach((t, i) => {
      if (t.size > 1 && (pick < 0 || t.cost > tasks[pick].cost)) pick = i;
    });
    const parent = tasks[pick];
    const free = parent.fixed.flatMap((f, i) => (f === null && ar[i] > 1 ? [i] : []));
    let children = split(space, parent, free[0], ar[free[0]], cost, memo);
    if (balanced) {
      // the imbalance of the whole partition after the split: a 3-way split also raises the count
      const othersMax = Math.max(0, ...tasks.filter((_, i) => i !== pick).map((t) => t.cost));
      const after = (c: Task[]) => Math.max(othersMax, ...c.map((t) => t.cost)) * (tasks.length - 1 + c.length);
      for (const gene of free.slice(1)) {
        const candidate = split(space, parent, gene, ar[gene], cost, memo);
        if (after(candidate) < after(children)) children = candidate;
      }
    }
    tasks = [...tasks.slice(0, pick), ...children, ...tasks.slice(pick + 1)];
  }
  const totalCost = tasks.reduce((a, t) => a + t.cost, 0);
  const mean = totalCost / tasks.length;
  const imbalance = mean > 0 ? Math.max(...tasks.map((t) => t.cost)) / mean : 1;
  return { tasks, totalCost, imbalance };
}
