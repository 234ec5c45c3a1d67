// checkPartition against the manager's own partitions: a good one passes, one with a task twice or a
// task missing is flagged with the count of genomes it gets wrong.
import { expect } from "chai";
import { defaultSpace } from "./files.js";
import { partitionSpace } from "./partition.js";
import { checkPartition } from "./partitionCheck.js";

describe("partition check", () => {
  const space = defaultSpace();
  it("the manager's partition covers the space exactly once", () => {
    const { tasks } = partitionSpace(space, 6);
    const c = checkPartition(space, tasks);
    expect(c).to.include({ ok: true, uncovered: 0, overlapping: 0 });
    expect(c.size).to.equal(c.covered).and.be.greaterThan(0);
  });
  it("flags overlapping and missing subspaces", () => {
    const { tasks } = partitionSpace(space, 6);
    const overlapping = checkPartition(space, [...tasks, tasks[0]]);
    expect(overlapping.ok).to.equal(false);
    expect(overlapping.overlapping).to.be.greaterThan(0);
    const missing = checkPartition(space, tasks.slice(1));
    expect(missing.ok).to.equal(false);
    expect(missing.uncovered).to.be.greaterThan(0);
  });
});
