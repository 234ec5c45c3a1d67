// The speedup experiment against answers known without running it: one pool miner is the solo
// miner; the partition keeps the pool from ever evaluating a genome twice while independent miners
// do; a sequential miner's clock is the sum of its evaluations' measured seconds; more tasks than
// miners are all searched, each once; and runs are a function of their seed.
import { expect } from "chai";
import {
  createStrategy,
  enumerateSubspace,
  inSubspace,
  runSearch,
  tableEvaluator,
  WHOLE_SPACE,
} from "../nas/index.js";
import { loadBench, managerPartition } from "./bench.js";
import type { EvalRecord } from "./miner.js";
import { minerSeed } from "./seeds.js";
import { simulateIndependent, simulatePool, speedupExperiment } from "./speedup.js";

const bench = loadBench();
const secondsOf = (g: string) => bench.entries.get(g.toLowerCase())!.seconds;

describe("sim/speedup", () => {
  it("the benchmark's targets: 1,296 architectures, one best at 9290 bps, top 1% at ≥ 9130 bps", () => {
    expect(bench.size).to.equal(1296);
    expect(bench.bestScoreBps).to.equal(9290);
    expect(bench.top1ThresholdBps).to.equal(9130);
    expect(bench.top1Count).to.be.at.least(13);
  });

  it("with N = 1 the pool is the solo miner: same genomes, same times", async () => {
    for (const seed of [0, 1, 2]) {
      const a: EvalRecord[] = [];
      const b: EvalRecord[] = [];
      const pool = await simulatePool(bench, 1, seed, { log: a });
      const solo = await simulateIndependent(bench, 1, seed, { log: b });
      expect(pool).to.deep.equal(solo);
      expect(a).to.deep.equal(b);
    }
  });

  it("a solo miner runs the miner client's search: the same genomes as runSearch, and its clock is the sum of their measured seconds", async () => {
    const log: EvalRecord[] = [];
    const r = await simulateIndependent(bench, 1, 5, { log });
    const direct = await runSearch(createStrategy("evolution"), tableEvaluator(bench.table), {
      space: bench.space,
      subspace: WHOLE_SPACE,
      seed: minerSeed(5, 0),
      maxEvaluations: log.length,
    });
    expect(log.map((e) => e.genome)).to.deep.equal(direct.history.map((h) => h.genome));
    const total = log.reduce((a, e) => a + secondsOf(e.genome), 0);
    expect(r.tBest).to.be.closeTo(total, 1e-6);
    expect(log.at(-1)!.scoreBps).to.equal(bench.bestScoreBps);
    expect(r.tTop1).to.equal(log.find((e) => e.scoreBps >= bench.top1ThresholdBps)!.end);
  });

  it("exhaustive search, one miner: the time to the best is the training time of every genome before it in enumeration order", async () => {
    const r = await simulatePool(bench, 1, 0, { strategy: "exhaustive" });
    let t = 0;
    for (const g of enumerateSubspace(bench.space)) {
      t += secondsOf(g);
      if (bench.entries.get(g)!.scoreBps === bench.bestScoreBps) break;
    }
    expect(r.tBest).to.be.closeTo(t, 1e-6);
  });

  it("the pool never evaluates a genome twice and every miner stays in its task; independent miners repeat each other", async () => {
    let independentDuplicates = 0;
    for (const n of [2, 4, 8, 16]) {
      const { tasks } = managerPartition(bench, n);
      for (const seed of [0, 1, 2]) {
        const log: EvalRecord[] = [];
        const r = await simulatePool(bench, n, seed, { log });
        expect(r.duplicates).to.equal(0);
        expect(new Set(log.map((e) => e.genome)).size).to.equal(log.length);
        for (const e of log) expect(inSubspace(e.genome, tasks[e.task]), `${e.genome} in task ${e.task}`).to.equal(true);
        const ind = await simulateIndependent(bench, n, seed);
        independentDuplicates += ind.duplicates;
      }
    }
    expect(independentDuplicates).to.be.greaterThan(0);
  });

  it("more tasks than miners: a miner that exhausts its task takes the next unclaimed one, and every task is searched by exactly one miner", async () => {
    const log: EvalRecord[] = [];
    // exhaustive search, so the run lasts until the task holding the best is reached
    const r = await simulatePool(bench, 2, 3, { partitionFor: 8, log, strategy: "exhaustive" });
    expect(r.tasks).to.equal(8);
    expect(r.duplicates).to.equal(0);
    const owner = new Map<number, number>();
    for (const e of log) {
      if (owner.has(e.task)) expect(owner.get(e.task)).to.equal(e.miner);
      owner.set(e.task, e.miner);
    }
    // miners start on tasks 0 and 1 and then claim 2, 3, … in order
    expect(owner.get(0)).to.equal(0);
    expect(owner.get(1)).to.equal(1);
    const firstSeen = [...new Set(log.map((e) => e.task))];
    expect(firstSeen).to.deep.equal([...firstSeen].sort((a, b) => a - b));
    expect(firstSeen.length).to.be.greaterThan(2);
  });

  it("is deterministic per seed, and different seeds give different runs", async () => {
    const a = await speedupExperiment(bench, { seeds: 3, ns: [2, 4] });
    const b = await speedupExperiment(bench, { seeds: 3, ns: [2, 4] });
    expect(b).to.deep.equal(a);
    const x = await simulatePool(bench, 4, 10);
    const y = await simulatePool(bench, 4, 11);
    expect(x).not.to.deep.equal(y);
  });

  it("summarises: N = 1 has speedup exactly 1 against the solo miner; the pool's duplicates are 0", async () => {
    const r = await speedupExperiment(bench, { seeds: 4, ns: [1, 16] });
    expect(r.speedup["1"].vsSolo).to.equal(1);
    expect(r.speedup["1"].vsIndependent).to.equal(1);
    expect(r.speedup["1"].ci95).to.deep.equal([1, 1]);
    expect(r.duplicateEvaluations["16"].pool).to.equal(0);
    expect(r.duplicateEvaluations["16"].poolMax).to.equal(0);
    const e = r.speedup["16"];
    expect(e.ci95[0]).to.be.at.most(e.vsSolo);
    expect(e.ci95[1]).to.be.at.least(e.vsSolo);
    // with 16 miners on 16 small tasks the pool beats one solo miner on every target
    expect(e.vsSolo).to.be.greaterThan(1);
    expect(e.best.vsSolo).to.be.greaterThan(1);
  });
});
