import { expect } from "chai";
import { NasError } from "../errors.js";
import { archCost } from "./cost.js";
import { partitionSpace } from "./partition.js";
import { checkPartition } from "./partitionCheck.js";
import { defaultSpace, loadSpace } from "./files.js";
import { arities, spaceSize } from "./space.js";
import { enumerateSubspace, inSubspace, isSubspace, subspaceSize } from "./subspace.js";

describe("partitioner", () => {
  const space = defaultSpace();
  const all = [...enumerateSubspace(space)];
  const flops = new Map(all.map((g) => [g, archCost(space, g).flops]));

  it("splits the default space into >= N disjoint tasks that cover it, for N = 1..64", () => {
    for (let n = 1; n <= 64; n++) {
      const { tasks, totalCost } = partitionSpace(space, n);
      expect(tasks.length, `N=${n}`).to.be.at.least(n);
      for (const t of tasks) expect(isSubspace(arities(space), t), `N=${n}`).to.equal(true);
      // every architecture in exactly one task
      const owners = new Map<string, number>();
      for (const t of tasks) {
        for (const g of enumerateSubspace(space, t)) {
          expect(inSubspace(g, t)).to.equal(true);
          owners.set(g, (owners.get(g) ?? 0) + 1);
        }
      }
      expect(owners.size, `N=${n}`).to.equal(all.length);
      expect([...owners.values()].every((c) => c === 1), `N=${n}`).to.equal(true);
      expect(tasks.reduce((a, t) => a + t.size, 0)).to.equal(all.length);
      expect(tasks.every((t) => t.size === subspaceSize(space, t))).to.equal(true);
      const sum = all.reduce((a, g) => a + flops.get(g)!, 0);
      expect(totalCost).to.equal(sum);
    }
  });

  it("balances by cost, not count: beats splitting the largest task on max/mean cost", () => {
    // count-based reference: split the largest (by architectures) task, same rules
    const countBased = (n: number) => {
      const sizes = partitionSpace(space, n, { cost: () => 1 }).tasks;
      const costs = sizes.map((t) => all.filter((g) => inSubspace(g, t)).reduce((a, g) => a + flops.get(g)!, 0));
      return Math.max(...costs) / (costs.reduce((a, b) => a + b, 0) / costs.length);
    };
    let better = 0;
    let sumCost = 0;
    let sumCount = 0;
    for (const n of [4, 8, 16, 24, 32, 48, 64]) {
      const byCost = partitionSpace(space, n).imbalance;
      const byCount = countBased(n);
      sumCost += byCost;
      sumCount += byCount;
      if (byCost <= byCount) better++;
    }
    expect(sumCost).to.be.lessThan(sumCount);
    expect(better).to.be.at.least(5);
  });

  it("splits the costliest task first: the 3-block designs get finer tasks than the 1-block ones", () => {
    const { tasks } = partitionSpace(space, 16, { geneOrder: "prefix" });
    const finest = (depth: number) => Math.min(...tasks.filter((t) => t.fixed[0] === depth).map((t) => t.size));
    expect(finest(2)).to.be.lessThan(finest(0));
  });

  it("keeps the better of the prefix and balanced rules: never worse than prefix, better on average", () => {
    let best = 0;
    let prefix = 0;
    for (let n = 1; n <= 64; n++) {
      const cost = (x: string) => flops.get(x as `0x${string}`)!;
      const b = partitionSpace(space, n, { cost });
      const p = partitionSpace(space, n, { cost, geneOrder: "prefix" });
      const g = partitionSpace(space, n, { cost, geneOrder: "balanced" });
      expect(b.imbalance, `N=${n}`).to.be.at.most(p.imbalance);
      expect(b.imbalance, `N=${n}`).to.equal(Math.min(p.imbalance, g.imbalance));
      best += b.imbalance;
      prefix += p.imbalance;
    }
    expect(best / 64).to.be.lessThan((prefix / 64) * 0.95); // measured: 1.57 vs 1.71
  });

  it("is deterministic and rejects impossible task counts with a clear error", () => {
    expect(partitionSpace(space, 20)).to.deep.equal(partitionSpace(space, 20));
    expect(() => partitionSpace(space, 0)).to.throw(NasError, /ask for 1..1296/);
    expect(() => partitionSpace(space, spaceSize(space) + 1)).to.throw(NasError, /into 1297 tasks/);
    expect(partitionSpace(space, spaceSize(space)).tasks.every((t) => t.size === 1)).to.equal(true);
  });

  it("a round's seed permutes the partition: same seed same tasks, other seeds other tasks, every one disjoint and covering", () => {
    const key = (p: { tasks: { mask: string; value: string }[] }) => p.tasks.map((t) => t.mask + t.value).join();
    const sorted = (p: { tasks: { mask: string; value: string }[] }) => p.tasks.map((t) => t.mask + t.value).sort().join();
    const plain = partitionSpace(space, 8);
    expect(partitionSpace(space, 8, { seed: 5 })).to.deep.equal(partitionSpace(space, 8, { seed: 5 }));
    const seeded = [1, 2, 3, 4, 5, 6].map((seed) => partitionSpace(space, 8, { seed }));
    for (const p of seeded) {
      expect(p.tasks.length).to.be.at.least(8);
      expect(checkPartition(space, p.tasks).ok).to.equal(true);
    }
    // different task lists, and different subspaces (not just the same tasks reordered)
    expect(new Set(seeded.map(key)).size).to.equal(6);
    expect(new Set([plain, ...seeded].map(sorted)).size).to.be.at.least(4);
  });

  it("partitions the 187,500-architecture cell space from a cost table (each architecture costed once)", () => {
    const cell = loadSpace(new URL("../spaces/fashion-cell-v1.json", import.meta.url));
    const p = partitionSpace(cell, 6, { seed: 9 });
    expect(p.tasks.reduce((a, t) => a + t.size, 0)).to.equal(187_500);
    expect(p.tasks.length).to.be.at.least(6);
    // the table sums agree with costing the task's architectures one by one
    const t = p.tasks.reduce((a, b) => (a.size <= b.size ? a : b));
    const direct = [...enumerateSubspace(cell, t)].reduce((a, g) => a + archCost(cell, g).flops, 0);
    expect(t.cost).to.equal(direct);
  });
});
