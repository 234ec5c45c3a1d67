// The figures render offline: SVG from Vega, PNG from resvg, with the paper's marks on them.
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { completionSpec, speedupSpec, toPng, toSvg, writePlots } from "./plots.js";
import { runSimulation } from "./report.js";

describe("sim/plots", () => {
  it("renders the three figures to SVG and PNG, with the paper's numbers marked", async () => {
    const { report, raw } = await runSimulation({ seeds: 2, rounds: 3, ns: [2, 4], dropouts: [0, 0.3] });
    const speed = await toSvg(speedupSpec(report));
    expect(speed).to.match(/^<svg/);
    expect(speed).to.include("paper: 3.2×");
    expect(await toSvg(completionSpec(report))).to.include("paper: 98.7%");
    const png = toPng(speed);
    expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const dir = mkdtempSync(join(tmpdir(), "ponas-sim-"));
    try {
      const files = await writePlots(dir, report, raw);
      expect(files).to.have.length(6);
      for (const f of files) {
        expect(existsSync(f), f).to.equal(true);
        expect(statSync(f).size, f).to.be.greaterThan(5000);
      }
      expect(readFileSync(join(dir, "sim-rewards.svg"), "utf8")).to.include("paper: −45%");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
