// Experiment 4 (a round's deadline): the known answers (one pool miner is the solo miner, the
// pool never repeats an evaluation, N miners do about N times the work of one by the deadline),
// and the difference a large space makes: independent miners collide on the 1,296-architecture
// table and almost never on the 187,500-architecture cell space.
import { expect } from "chai";
import { loadSpace } from "../nas/index.js";
import { sampledReportUrl } from "../nas/bench/sample.js";
import { loadBench } from "./bench.js";
import { deadlineExperiment, meanSeconds, shareAbove } from "./deadline.js";
import { loadSampledBench } from "./surrogate.js";

describe("sim/deadline", function () {
  this.timeout(300_000);

  it("shareAbove counts the scores strictly above, in a descending list", () => {
    const d = [9, 8, 8, 5, 1];
    expect(shareAbove(d, 10)).to.equal(0);
    expect(shareAbove(d, 9)).to.equal(0);
    expect(shareAbove(d, 8)).to.equal(0.2);
    expect(shareAbove(d, 7)).to.equal(0.6);
    expect(shareAbove(d, 0)).to.equal(1);
  });

  it("on the MNIST table: one pool miner is the solo miner, the pool repeats nothing, and four miners do about four times the work", async () => {
    const bench = loadBench();
    const r = await deadlineExperiment(bench, { seeds: 4, ns: [1, 4] });
    expect(r.deadlineSeconds).to.be.closeTo(50 * meanSeconds(bench), 0.1);
    expect(r.byN["1"].bestBps.pool).to.deep.equal(r.byN["1"].bestBps.solo);
    expect(r.byN["1"].evaluations.pool).to.equal(r.byN["1"].evaluations.solo);
    for (const n of ["1", "4"]) expect(r.byN[n].duplicateShare.pool).to.equal(0);
    const e = r.byN["4"].evaluations;
    expect(e.pool / e.solo).to.be.within(3, 5);
    expect(e.independent / e.solo).to.be.within(3, 5);
    // 200 evaluations of a 1,296-architecture space by 4 searches of the same best regions collide
    expect(r.byN["4"].duplicateShare.independent).to.be.greaterThan(0.01);
    expect(r.byN["4"].top1Reached.pool).to.be.at.least(r.byN["1"].top1Reached.solo);
  });

  it("on the cell space's surrogate: N independent miners almost never repeat one another, and nobody exhausts the space", async () => {
    const space = loadSpace(new URL("../nas/spaces/fashion-cell-v1.json", import.meta.url));
    const { bench } = loadSampledBench(sampledReportUrl(space));
    const small = await deadlineExperiment(loadBench(), { seeds: 3, ns: [8] });
    const large = await deadlineExperiment(bench, { seeds: 3, ns: [8] });
    expect(large.architectures).to.equal(187_500);
    expect(large.byN["8"].duplicateShare.pool).to.equal(0);
    expect(large.byN["8"].duplicateShare.independent).to.be.lessThan(small.byN["8"].duplicateShare.independent / 5);
    expect(large.byN["8"].poolCoverage).to.be.lessThan(0.01);
    expect(small.byN["8"].poolCoverage).to.be.greaterThan(0.1);
  });
});
