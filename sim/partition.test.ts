// The makespan table against known answers: one miner takes the whole space's measured time, no
// pool beats total/N, and balancing measured time beats balancing FLOPs on this table.
import { expect } from "chai";
import { partitionSpace } from "../nas/index.js";
import { loadBench, managerPartition } from "./bench.js";
import { makespan, makespanTable } from "./partition.js";

const bench = loadBench();
const total = [...bench.entries.values()].reduce((a, e) => a + e.seconds, 0);

describe("sim/partition: makespan of a pool", () => {
  it("one miner takes the whole space's measured seconds; N miners never beat total / N", () => {
    expect(makespan(bench, managerPartition(bench, 1), 1).seconds).to.be.closeTo(total, 0.05);
    for (const [n, row] of Object.entries(makespanTable(bench, [2, 4, 8, 16]))) {
      expect(row.idealSeconds).to.be.closeTo(total / Number(n), 0.05);
      for (const m of [row.time, row.flops]) expect(m.seconds, `N=${n}`).to.be.at.least(row.idealSeconds - 0.05);
    }
  });

  it("with more tasks than miners, the first free miner takes the next task", () => {
    const p = partitionSpace(bench.space, 8);
    const secs = p.tasks.map((t) => makespan(bench, { ...p, tasks: [t] }, 1).seconds);
    const busy = [secs[0], secs[1]];
    for (const s of secs.slice(2)) busy[busy[0] <= busy[1] ? 0 : 1] += s;
    expect(makespan(bench, p, 2).seconds).to.be.closeTo(Math.max(...busy), 0.5);
  });

  it("time-balanced tasks finish sooner than FLOPs-balanced ones over N = 2…64 (the manager's default cost)", () => {
    const rows = Object.values(makespanTable(bench, [2, 4, 8, 16, 32, 64]));
    const sum = (k: "time" | "flops") => rows.reduce((a, r) => a + r[k].seconds, 0);
    expect(sum("time")).to.be.lessThan(0.95 * sum("flops")); // 4,872 s against 5,345 s when written
  });
});
