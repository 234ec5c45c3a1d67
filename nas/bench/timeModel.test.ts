import { expect } from "chai";
import { NasError } from "../errors.js";
import { archCost } from "../space/cost.js";
import { partitionSpace, type Partition } from "../space/partition.js";
import { defaultSpace } from "../space/files.js";
import { spaceId } from "../space/space.js";
import { enumerateSubspace } from "../space/subspace.js";
import { loadTable } from "./table.js";
import { fitTimeModel, partitionCost, tableTimeModel, timeCost } from "./timeModel.js";

describe("time model of training cost (nas/bench/timeModel.ts)", () => {
  const space = defaultSpace();
  const all = [...enumerateSubspace(space)];
  const table = loadTable(space);

  it("recovers the coefficients of exactly affine times, and skips unmeasured entries", () => {
    const samples = all.slice(0, 50).map((genome) => ({ genome, seconds: 0.75 + 3e-6 * archCost(space, genome).flops }));
    const m = fitTimeModel(space, [...samples, { genome: all[60], seconds: 0 }, { genome: all[61], seconds: NaN }]);
    expect(m.samples).to.equal(50);
    expect(m.fixedSeconds).to.be.closeTo(0.75, 1e-9);
    expect(m.secondsPerFlop).to.be.closeTo(3e-6, 1e-15);
    expect(m.r2).to.be.closeTo(1, 1e-12);
    expect(timeCost(space, m)(all[3])).to.be.closeTo(samples[3].seconds, 1e-9);
  });

  it("never predicts a negative cost from noise, and refuses too little data in one line", () => {
    // times that fall with size: the slope is noise, clamped to 0, and every cost stays positive
    const falling = all.slice(0, 20).map((genome) => ({ genome, seconds: 10 - 1e-7 * archCost(space, genome).flops }));
    const m = fitTimeModel(space, falling);
    expect(m.secondsPerFlop).to.equal(0);
    expect(m.fixedSeconds).to.be.greaterThan(0);
    expect(() => fitTimeModel(space, [{ genome: all[0], seconds: 1 }])).to.throw(NasError, /at least 2 measured architectures .* got 1: run npm run bench:table/);
  });

  it("explains much of the committed table's measured time, with a fixed part per architecture", () => {
    const m = tableTimeModel(space, table);
    expect(m.samples).to.equal(all.length);
    expect(m.r2).to.be.greaterThan(0.4);
    // the fixed part is a large share of the mean: why FLOPs alone misjudge tasks of small nets
    const meanSeconds = all.reduce((a, g) => a + table.entries[g].seconds, 0) / all.length;
    expect(m.fixedSeconds / meanSeconds).to.be.within(0.2, 0.8);
  });

  it("balances tasks by measured time better than FLOPs do (the reason it is the manager's default)", () => {
    // imbalance of a partition judged by the table's measured seconds: what miners would wait for
    const measured = (p: Partition) => {
      const times = p.tasks.map((t) => [...enumerateSubspace(space, t)].reduce((a, g) => a + table.entries[g].seconds, 0));
      return Math.max(...times) / (times.reduce((a, b) => a + b, 0) / times.length);
    };
    const { cost } = partitionCost(space, "time", table);
    let byFlops = 0;
    let byTime = 0;
    const rows: string[] = [];
    for (const n of [2, 4, 8, 16, 32, 64]) {
      const f = measured(partitionSpace(space, n));
      const t = measured(partitionSpace(space, n, { cost }));
      rows.push(`N=${n}: ${f.toFixed(2)} → ${t.toFixed(2)}`);
      byFlops += f;
      byTime += t;
    }
    expect(byTime, rows.join(", ")).to.be.lessThan(0.85 * byFlops);
  });

  it("is chosen by name: time from the table, FLOPs on request or when a space has no table", () => {
    const time = partitionCost(space, "time");
    expect(time.cost).to.be.a("function");
    expect(time.describe).to.match(/^measured time: \d+\.\d\d s \+ \d+\.\d{3} s per MFLOP \(R² 0\.\d\d, 1296 architectures\)$/);
    expect(partitionCost(space, "flops")).to.deep.equal({ describe: "forward FLOPs" });
    const other = { ...space, name: "mnist-conv-untabled" };
    expect(spaceId(other)).not.to.equal(spaceId(space));
    const fallback = partitionCost(other);
    expect(fallback.cost).to.equal(undefined);
    expect(fallback.describe).to.equal('forward FLOPs (space "mnist-conv-untabled" has no measured table for a time model)');
  });
});
