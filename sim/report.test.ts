// The report: the schema the issue fixes, determinism of a whole (small) simulation, and the
// known answers that survive summarising (N = 1 is the solo miner; no dropout, full completion).
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { checkReport, deterministicPart, runSimulation, type SimReport } from "./report.js";

describe("sim/report", () => {
  let report: SimReport;
  before(async () => {
    report = (await runSimulation({ seeds: 3, rounds: 4, ns: [1, 2, 4], dropouts: [0, 0.1, 0.3] })).report;
  });

  it("has the issue's schema", () => {
    expect(checkReport(report)).to.deep.equal([]);
    expect(Object.keys(report.speedup)).to.deep.equal(["1", "2", "4"]);
    expect(Object.keys(report.completion)).to.deep.equal(["0", "0.1", "0.3"]);
    for (const e of Object.values(report.speedup)) expect(e).to.include.keys("vsSolo", "vsIndependent", "ci95");
    for (const e of Object.values(report.completion)) expect(e).to.include.keys("none", "all", "sigma");
    expect(report.varianceReduction).to.be.a("number");
    expect(report.duplicateEvaluations).to.have.keys("1", "2", "4");
    expect(Object.keys(report.deadline)).to.deep.equal(["mnist-conv-v1"]);
    expect(report.deadline["mnist-conv-v1"].byN).to.have.keys("1", "2", "4");
    expect(report.paper).to.deep.equal({ speedup: 3.2, completion: 0.987, varianceReduction: 0.45 });
  });

  it("keeps the known answers: N = 1 equals the solo miner, the pool repeats nothing, no dropout completes everything", () => {
    expect(report.speedup["1"].vsSolo).to.equal(1);
    expect(report.speedup["1"].best.vsSolo).to.equal(1);
    for (const n of ["1", "2", "4"]) expect(report.duplicateEvaluations[n].pool).to.equal(0);
    expect(report.completion["0"]).to.include({ none: 1, all: 1, sigma: 1 });
  });

  it("is deterministic: a second run gives the same report apart from wall times", async () => {
    const again = (await runSimulation({ seeds: 3, rounds: 4, ns: [1, 2, 4], dropouts: [0, 0.1, 0.3] })).report;
    expect(deterministicPart(again)).to.deep.equal(deterministicPart(report));
    expect(JSON.stringify(deterministicPart(again))).to.equal(JSON.stringify(deterministicPart(report)));
  });

  it("the schema check catches what it should", () => {
    const broken = JSON.parse(JSON.stringify(report)) as Record<string, any>;
    broken.completion["0.1"].sigma = 1.2;
    broken.speedup["2"].ci95 = [5, 4];
    delete broken.varianceReduction;
    broken.duplicateEvaluations = { "2": { pool: 0, independent: 1 } };
    broken.deadline["mnist-conv-v1"].byN["2"].duplicateShare.pool = 0.01;
    const problems = checkReport(broken);
    expect(problems.join("\n")).to.match(/completion\.0\.1\.sigma/);
    expect(problems.join("\n")).to.match(/speedup\.2\.ci95/);
    expect(problems.join("\n")).to.match(/varianceReduction/);
    expect(problems.join("\n")).to.match(/cover different N/);
    expect(problems.join("\n")).to.match(/deadline\.mnist-conv-v1\.2: the pool repeated an evaluation/);
    expect(checkReport(null)).to.deep.equal(["not a JSON object"]);
  });

  it("the committed reports/sim.json, where present, has the schema and at least 100 seeds", function () {
    const url = new URL("../reports/sim.json", import.meta.url);
    if (!existsSync(url)) this.skip();
    const r = JSON.parse(readFileSync(url, "utf8")) as SimReport;
    expect(checkReport(r)).to.deep.equal([]);
    expect(r.setup.seeds).to.be.at.least(100);
    expect(Object.keys(r.speedup)).to.include.members(["2", "4", "8", "16"]);
    // the deadline experiment ran on the cell space's surrogate too, fitted to a finished sample
    expect(r.deadline).to.have.keys("mnist-conv-v1", "fashion-cell-v1");
    expect(r.surrogate?.complete).to.equal(true);
    expect(r.surrogate?.architectures).to.equal(187_500);
  });
});
