// The reward experiment: the payout rules on known inputs, and the invariants of a small run
// (every round pays R exactly once in total, solo pays one winner, equal means in both regimes).
import { expect } from "chai";
import { loadBench } from "./bench.js";
import { proportional, rewardExperiment, summarise, winner } from "./rewards.js";

const bench = loadBench();

describe("sim/rewards", () => {
  it("winner: the highest score; on a tie the earliest to reach it; then the lower index", () => {
    expect(winner([{ best: 9000, at: 5 }, { best: 9100, at: 50 }, { best: 9050, at: 1 }])).to.equal(1);
    expect(winner([{ best: 9100, at: 9 }, { best: 9100, at: 3 }, { best: 9100, at: 3 }])).to.equal(1);
  });

  it("proportional split: shares of P, summing to the total; nothing when ΣP = 0", () => {
    expect(proportional([1, 3, 0], 8)).to.deep.equal([2, 6, 0]);
    expect(proportional([0, 0], 1)).to.deep.equal([0, 0]);
  });

  it("summarise: variance per miner over rounds, averaged; CV = σ / mean", () => {
    // miner 0 earns 1, 0, 1, 0 (variance 0.25), miner 1 always 0.5 (variance 0)
    const rows = [
      [1, 0.5],
      [0, 0.5],
      [1, 0.5],
      [0, 0.5],
    ];
    const s = summarise(rows, [0, 1]);
    expect(s.mean).to.equal(0.5);
    expect(s.variance).to.equal(0.125);
    expect(s.cv).to.be.closeTo(Math.sqrt(0.125) / 0.5, 1e-12);
  });

  it("a small run: R is paid once per round in every regime, solo to one winner, and the pool's split has the lower variance", async () => {
    const r = await rewardExperiment(bench, { rounds: 6, miners: 4 });
    const b = await rewardExperiment(bench, { rounds: 6, miners: 4 });
    expect(b).to.deep.equal(r);
    expect(Object.keys(r.raw.mixed)).to.deep.equal(["2"]); // k < M only: 4 and 8 are not pools of a 4-miner network
    for (const rows of [r.raw.solo, r.raw.pool, ...Object.values(r.raw.mixed)]) {
      expect(rows).to.have.length(6);
      for (const row of rows) expect(row.reduce((a, x) => a + x, 0)).to.be.closeTo(1, 1e-9);
    }
    for (const row of r.raw.solo) expect(row.filter((x) => x === 1)).to.have.length(1);
    expect(r.solo.mean).to.be.closeTo(0.25, 1e-9);
    expect(r.pool.mean).to.be.closeTo(0.25, 1e-9);
    expect(r.pool.variance).to.be.lessThan(r.solo.variance);
    expect(r.varianceReduction).to.be.greaterThan(0).and.at.most(1);
    expect(r.ci95[0]).to.be.at.most(r.varianceReduction);
    expect(Object.keys(r.baselineSweep)).to.include("1000");
  });
});
