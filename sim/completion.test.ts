// The completion experiment against known answers: nobody drops out → every task completes; no
// backups → completion ≈ 1 − d; backups only add completions; the σ_p rule opens slots for new
// primaries and for primaries that have failed, and not for steady ones.
import { expect } from "chai";
import { enumerateSubspace } from "../nas/index.js";
import { loadBench, managerPartition } from "./bench.js";
import { COMPLETION_DEFAULTS, completionExperiment, simulateRounds, taskPerformances } from "./completion.js";

const bench = loadBench();
const { tasks } = managerPartition(bench, 16);
const o = { ...COMPLETION_DEFAULTS };

describe("sim/completion", () => {
  let taskP: number[] = [];
  before(async () => {
    taskP = await taskPerformances(bench, tasks, 0, o.roundSeconds, o.baselineBps, "evolution");
  });

  it("a task's P is what a search of it found above the baseline: at most the task's best, and positive here", () => {
    expect(taskP).to.have.length(tasks.length);
    tasks.forEach((t, k) => {
      let best = 0;
      for (const g of enumerateSubspace(bench.space, t)) best = Math.max(best, bench.entries.get(g)!.scoreBps);
      expect(taskP[k]).to.be.at.most(best - o.baselineBps);
      expect(taskP[k]).to.be.greaterThan(0);
    });
  });

  it("with no dropout every task completes under every policy", () => {
    for (const seed of [0, 1, 2]) {
      const r = simulateRounds(seed, 0, taskP, o);
      expect(r.none.completed).to.equal(1);
      expect(r.all.completed).to.equal(1);
      expect(r.sigma.completed).to.equal(1);
      expect(r.none.backupSlots).to.equal(0);
      expect(r.all.backupSlots).to.equal(o.maxBackups);
      // σ rule without failures: backups only while primaries are new
      expect(r.sigma.backupSlots).to.be.greaterThan(0).and.lessThan(0.25);
    }
  });

  it("without backups completion is 1 − d on average; backups only add completions; the σ rule sits between", () => {
    for (const d of [0.1, 0.3]) {
      let none = 0;
      let all = 0;
      let sigma = 0;
      const seeds = 20;
      for (let s = 0; s < seeds; s++) {
        const r = simulateRounds(s, d, taskP, o);
        expect(r.sigma.completed).to.be.at.least(r.none.completed);
        expect(r.all.completed).to.be.at.least(r.none.completed);
        none += r.none.completed / seeds;
        all += r.all.completed / seeds;
        sigma += r.sigma.completed / seeds;
      }
      expect(none).to.be.closeTo(1 - d, 0.02);
      // two backups drawn from miners of mean rate d: ≈ 1 − d³
      expect(all).to.be.closeTo(1 - d ** 3, 0.01);
      expect(sigma).to.be.greaterThan(none).and.at.most(all);
    }
  });

  it("a higher dropout rate never completes more tasks without backups (same draws, more dropouts)", () => {
    let prev = 1;
    for (const d of [0, 0.05, 0.1, 0.2, 0.3]) {
      const c = simulateRounds(4, d, taskP, o).none.completed;
      expect(c).to.be.at.most(prev);
      prev = c;
    }
  });

  it("summarises per dropout rate with confidence intervals, deterministically", async () => {
    const a = await completionExperiment(bench, { seeds: 3, dropouts: [0, 0.2] });
    const b = await completionExperiment(bench, { seeds: 3, dropouts: [0, 0.2] });
    expect(b).to.deep.equal(a);
    expect(a.completion["0"]).to.include({ none: 1, all: 1, sigma: 1 });
    const e = a.completion["0.2"];
    for (const p of ["none", "all", "sigma"] as const) {
      expect(e.ci95[p][0]).to.be.at.most(e[p]);
      expect(e.ci95[p][1]).to.be.at.least(e[p]);
    }
    expect(a.setup.tasks).to.equal(16);
  });
});
