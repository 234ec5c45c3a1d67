// The demo's child-output lines: a long line is wrapped at spaces, never cut, so every number in
// it survives (issue 11: "stake 25" printed for 250 PONAS); quiet lines are filtered unless verbose.
import { expect } from "chai";
import { childLines } from "./demoLines.js";

describe("demo output lines (scripts/demoLines.ts)", () => {
  const long = `${"x".repeat(180)} claimed task 3 with stake 250 PONAS and score 9123 bps`;

  it("wraps a long line at word boundaries and keeps every word, the amounts included", () => {
    const out = childLines("miner-2", long, { width: 120 });
    expect(out.length).to.be.greaterThan(1);
    expect(out.every((l) => l.length <= 120 || !l.slice(15).includes(" "))).to.equal(true);
    const words = out.map((l) => l.slice(l.indexOf("| ") + 2)).join(" ");
    expect(words).to.equal(long);
    expect(out.join("\n")).to.include("stake 250 PONAS");
    expect(out[0].startsWith("  miner-2    | ")).to.equal(true);
  });

  it("keeps a line longer than 200 characters whole at the default width (the old cut dropped its tail)", () => {
    expect(childLines("miner-2", long).map((l) => l.slice(l.indexOf("| ") + 2)).join(" ")).to.equal(long);
  });

  it("shows only the interesting lines unless verbose", () => {
    expect(childLines("oracle-1", "polling block 12")).to.deep.equal([]);
    expect(childLines("oracle-1", "polling block 12", { verbose: true })).to.deep.equal(["  oracle-1   | polling block 12"]);
    expect(childLines("oracle-1", "")).to.deep.equal([]);
  });
});
