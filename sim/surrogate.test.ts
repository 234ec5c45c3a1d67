// The surrogate of a sampled space: its algebra (Cholesky, ridge), its features (dead edges are
// "none"), and what it makes of the committed cell-space sample: every architecture scored,
// the measured distribution kept, over-limit genomes at 0, a held-out rank correlation that is
// measured, and the same table twice.
import { expect } from "chai";
import { archCost, enumerateSubspace, limitBreach, loadSpace, parseDescription, spaceId } from "../nas/index.js";
import { quantileOf } from "../nas/bench/sample.js";
import type { Bench } from "./bench.js";
import { features, fitRidge, loadSampledBench, predictRidge, sampledReportUrl, solveSpd, type SurrogateSummary } from "./surrogate.js";

const space = loadSpace(new URL("../nas/spaces/fashion-cell-v1.json", import.meta.url));

describe("sim/surrogate", function () {
  this.timeout(120_000);

  it("solves a positive-definite system and recovers a ridge-free linear model exactly", () => {
    const x = solveSpd([[4, 2], [2, 3]], [2, 1]);
    expect(x[0]).to.be.closeTo(0.5, 1e-12);
    expect(x[1]).to.be.closeTo(0, 1e-12);
    expect(() => solveSpd([[1, 2], [2, 1]], [1, 1])).to.throw(/not positive definite/);
    const xs = [[0, 1], [1, 0], [1, 1], [2, 3], [3, 1], [0, 0]];
    const ys = xs.map(([a, b]) => 7 + 2 * a - 3 * b);
    const m = fitRidge(xs, ys, 0);
    expect(m.intercept).to.be.closeTo(7, 1e-9);
    expect(m.weights[0]).to.be.closeTo(2, 1e-9);
    expect(m.weights[1]).to.be.closeTo(-3, 1e-9);
    // a penalty shrinks the weights towards 0
    expect(Math.abs(fitRidge(xs, ys, 100).weights[1])).to.be.lessThan(3);
    expect(predictRidge(m, [1, 1])).to.be.closeTo(6, 1e-9);
  });

  it("reads a cell edge no path uses as 'none', and flags a cell whose output nothing reaches", () => {
    const cell = (edges: string) => parseDescription(space, `2 stages, 1 cell per stage, width 4, ${edges}`);
    // 0→1 conv feeds node 1, but nothing leaves node 1: that edge builds no layer
    const dangling = features(space, cell("0→1 conv 3×3, 0→2 none, 1→2 none, 0→3 skip, 1→3 none, 2→3 none"));
    const plain = features(space, cell("0→1 none, 0→2 none, 1→2 none, 0→3 skip, 1→3 none, 2→3 none"));
    expect(dangling).to.deep.equal(plain);
    expect(plain.at(-1)).to.equal(0);
    expect(features(space, cell("0→1 conv 3×3, 0→2 none, 1→2 none, 0→3 none, 1→3 none, 2→3 none")).at(-1)).to.equal(1);
    const ones = plain.slice(0, -1).reduce((a, b) => a + b, 0);
    expect(ones).to.equal(space.genes.length); // one choice per gene
  });

  describe("on the committed sample of the cell space", () => {
    let bench: Bench;
    let fit: SurrogateSummary;
    let sample: Record<string, { scoreBps: number; weightsHash: string | null }>;
    before(async () => {
      ({ bench, fit } = loadSampledBench(sampledReportUrl(space)));
      const { readFileSync } = await import("node:fs");
      sample = JSON.parse(readFileSync(sampledReportUrl(space), "utf8")).entries;
    });

    it("scores every architecture of the space, over-limit ones 0, and keeps the sample's score distribution", () => {
      expect(bench.spaceId).to.equal(spaceId(space));
      expect(bench.size).to.equal(187_500);
      let over = 0;
      for (const g of enumerateSubspace(space)) {
        if (limitBreach(space, g) === null) continue;
        over++;
        expect(bench.entries.get(g)!.scoreBps).to.equal(0);
      }
      expect(over).to.equal(223);
      const measured = Object.entries(sample).filter(([g, e]) => e.weightsHash !== null && limitBreach(space, g) === null).map(([, e]) => e.scoreBps).sort((a, b) => a - b);
      const within = [...bench.entries.entries()].filter(([, e]) => e.weightsHash !== null).map(([, e]) => e.scoreBps).sort((a, b) => a - b);
      expect(within.length).to.equal(187_500 - 223);
      for (const q of [0, 0.25, 0.5, 0.75, 1]) expect(Math.abs(quantileOf(within, q) - quantileOf(measured, q))).to.be.at.most(2);
      expect(bench.bestScoreBps).to.equal(measured.at(-1));
      // seconds follow the time model: more FLOPs never cost less
      const [small, big] = [...bench.entries.entries()].filter(([, e]) => e.weightsHash !== null).sort((a, b) => a[1].flops - b[1].flops).filter((_, i, a) => i === 0 || i === a.length - 1);
      expect(big[1].seconds).to.be.at.least(small[1].seconds);
      expect(archCost(space, big[0]).flops).to.equal(big[1].flops);
    });

    it("ranks architectures it has not seen better than chance, as measured by k-fold cross-validation", () => {
      expect(fit.samples).to.be.at.least(200);
      expect(fit.heldOutSpearman).to.be.greaterThan(0.3);
      expect(fit.residualBps).to.be.greaterThan(0);
    });

    it("is a function of the sample and the noise seed: the same table twice, another with another seed", () => {
      const again = loadSampledBench(sampledReportUrl(space)).bench;
      const other = loadSampledBench(sampledReportUrl(space), 2).bench;
      let same = 0;
      let differ = 0;
      for (const [g, e] of bench.entries) {
        if (again.entries.get(g)!.scoreBps === e.scoreBps) same++;
        if (other.entries.get(g)!.scoreBps !== e.scoreBps) differ++;
      }
      expect(same).to.equal(bench.size);
      expect(differ).to.be.greaterThan(bench.size / 2);
    });
  });

  it("refuses a report of another space in one line that says what to pass", async () => {
    const { surrogateBench } = await import("./surrogate.js");
    const mnist = loadSpace(new URL("../nas/spaces/mnist-conv-v1.json", import.meta.url));
    expect(() => surrogateBench(mnist, { spaceId: spaceId(space), space: "fashion-cell-v1", recipe: "x", complete: true, entries: {} })).to.throw(/not of "mnist-conv-v1".*pass the report bench:space wrote/);
    expect(() => loadSampledBench("/nonexistent/space.json")).to.throw(/cannot read the sampled benchmark .*npm run bench:space/);
  });
});
