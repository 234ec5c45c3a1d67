// Cost-balanced hierarchical partitioner: the manager's split of a search space into disjoint
// subspace tasks `(mask, value)` that together cover it. Starting from the whole space, it
// repeatedly splits the costliest task by fixing one more gene, until there are at least N tasks.
// The cost of a task is the sum of its architectures' estimated training cost, so a task of deep,
// wide nets gets split further than one of shallow nets with the same count.
// Which gene: either the next one in order (macro decisions first, so a task is "every micro
// choice of one macro design"), or the one that leaves the partition best balanced (the next gene
// is often a lopsided split: a 5×5 kernel costs 2.8× a 3×3). Both greedy rules are run and the
// better partition kept; see partition.test.ts for the numbers on the default space.
// Each architecture's cost is computed once, into a table indexed by its choices, so the many
// candidate splits the balanced rule weighs are sums over that table (the cell space's 187,500
// architectures partition in seconds, not the half minute re-enumerating every candidate took).
// A round can pass a seed: the genes are then split in a seeded order and the tasks listed in a
// seeded order, so consecutive rounds with the same task count get different partitions.
import { NasError } from "../errors.js";
import { Rng } from "../rng.js";
import { archCost } from "./cost.js";
import { encodeGenome } from "./genome.js";
import { arityList, bytesToHex32, type SearchSpace } from "./space.js";
import type { Subspace } from "./subspace.js";

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
  /**
   * A round's seed: genes are tried in a seeded order (instead of the space's) and the tasks come
   * out in a seeded order. Omitted: the space's order, and the same partition every time.
   */
  seed?: number;
}

/** Per partitionSpace call: every architecture's cost, and the leaves both greedy rules share. */
interface Memo {
  ar: number[];
  /** stride[i]: how far one more option of gene i moves in `costs` (gene 0 varies slowest). */
  stride: number[];
  /** costs[Σ choice_i × stride_i]: the cost of that architecture. */
  costs: Float64Array;
  leaves: Map<string, Task>;
}

function memoOf(space: SearchSpace, cost: CostFn): Memo {
  const ar = arityList(space);
  const stride = ar.map((_, i) => ar.slice(i + 1).reduce((a, b) => a * b, 1));
  const size = ar.reduce((a, b) => a * b, 1);
  const costs = new Float64Array(size);
  const choices = ar.map(() => 0);
  for (let at = 0; at < size; at++) {
    costs[at] = cost(encodeGenome(space, choices));
    // odometer: the last gene turns fastest, matching the strides
    for (let i = ar.length - 1; i >= 0; i--) {
      if (++choices[i] < ar[i]) break;
      choices[i] = 0;
    }
  }
  return { ar, stride, costs, leaves: new Map() };
}

function leaf(fixed: (number | null)[], memo: Memo): Task {
  const sub: Subspace = {
    mask: bytesToHex32(fixed.map((o) => (o === null ? 0 : 0xff))),
    value: bytesToHex32(fixed.map((o) => o ?? 0)),
  };
  const key = sub.mask + sub.value;
  const known = memo.leaves.get(key);
  if (known) return known;
  const { ar, stride, costs } = memo;
  const base = fixed.reduce<number>((a, o, i) => a + (o ?? 0) * stride[i], 0);
  const free = fixed.flatMap((o, i) => (o === null ? [i] : []));
  const size = free.reduce((a, i) => a * ar[i], 1);
  let total = 0;
  const at = free.map(() => 0);
  for (let k = 0, index = base; k < size; k++) {
    total += costs[index];
    for (let j = free.length - 1; j >= 0; j--) {
      const g = free[j];
      index += stride[g];
      if (++at[j] < ar[g]) break;
      index -= ar[g] * stride[g];
      at[j] = 0;
    }
  }
  const t = { ...sub, fixed, size, cost: total };
  memo.leaves.set(key, t);
  return t;
}

function split(parent: Task, gene: number, arity: number, memo: Memo): Task[] {
  return Array.from({ length: arity }, (_, o) => leaf(parent.fixed.map((f, i) => (i === gene ? o : f)), memo));
}

/** Splits `space` into at least `n` disjoint, covering tasks balanced by cost. */
export function partitionSpace(space: SearchSpace, n: number, options: PartitionOptions = {}): Partition {
  const ar = arityList(space);
  const size = ar.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(n) || n < 1 || n > size) {
    throw new NasError(`cannot split space "${space.name}" (${size} architectures) into ${n} tasks: ask for 1..${size}`);
  }
  const order = options.geneOrder ?? "best";
  const seeded = options.seed === undefined ? undefined : new Rng(options.seed);
  const genes = seeded ? seeded.shuffle(ar.map((_, i) => i)) : ar.map((_, i) => i);
  const memo = memoOf(space, options.cost ?? ((g: string) => archCost(space, g).flops));
  let best: Partition;
  if (order !== "best") best = greedy(n, genes, order === "balanced", memo);
  else {
    const prefix = greedy(n, genes, false, memo);
    const balanced = greedy(n, genes, true, memo);
    best = balanced.imbalance < prefix.imbalance ? balanced : prefix;
  }
  return seeded ? { ...best, tasks: seeded.shuffle(best.tasks) } : best;
}

/** The greedy rule: split the costliest task by the first free gene in `genes` order (or, balanced, the best-balancing one). */
function greedy(n: number, genes: number[], balanced: boolean, memo: Memo): Partition {
  const ar = memo.ar;
  let tasks: Task[] = [leaf(ar.map(() => null), memo)];
  while (tasks.length < n) {
    // the costliest task that still has a free gene with options to split; ties: the earlier one
    let pick = -1;
    tasks.forEach((t, i) => {
      if (t.size > 1 && (pick < 0 || t.cost > tasks[pick].cost)) pick = i;
    });
    const parent = tasks[pick];
    const free = genes.filter((i) => parent.fixed[i] === null && ar[i] > 1);
    let children = split(parent, free[0], ar[free[0]], memo);
    if (balanced) {
      // the imbalance of the whole partition after the split: a 3-way split also raises the count
      const othersMax = Math.max(0, ...tasks.filter((_, i) => i !== pick).map((t) => t.cost));
      const after = (c: Task[]) => Math.max(othersMax, ...c.map((t) => t.cost)) * (tasks.length - 1 + c.length);
      for (const gene of free.slice(1)) {
        const candidate = split(parent, gene, ar[gene], memo);
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
