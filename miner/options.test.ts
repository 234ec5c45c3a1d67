// Flag parsers: the accepted forms of --budget, --stake, --round, --task and numeric flags, and one-line
// errors for everything else.
import { expect } from "chai";
import { MinerError } from "./errors.js";
import { parseBudget, parseIntIn, parseRound, parseRounds, parseTask, parseTokens } from "./options.js";

describe("miner options", () => {
  it("reads a budget as evaluations or a duration", () => {
    expect(parseBudget("3")).to.deep.equal({ evaluations: 3 });
    expect(parseBudget("2m")).to.deep.equal({ seconds: 120 });
    expect(parseBudget("90s")).to.deep.equal({ seconds: 90 });
    expect(parseBudget("1.5h")).to.deep.equal({ seconds: 5400 });
    for (const bad of ["0", "2.5", "ten", "5d", "-1", ""]) expect(() => parseBudget(bad), bad).to.throw(MinerError, /--budget/);
  });

  it("reads token amounts in PONAS with 18 decimals", () => {
    expect(parseTokens("1000")).to.equal(1000n * 10n ** 18n);
    expect(parseTokens("0.5")).to.equal(5n * 10n ** 17n);
    expect(() => parseTokens("1e3")).to.throw(MinerError, /not a token amount/);
    expect(() => parseTokens("-1")).to.throw(MinerError);
  });

  it("reads rounds, tasks and bounded integers", () => {
    expect(parseRound("latest")).to.equal("latest");
    expect(parseRound("7")).to.equal(7n);
    expect(() => parseRound("0")).to.throw(MinerError, /round id/);
    expect(parseRounds("all")).to.equal("all");
    expect(parseRounds("3")).to.equal(3);
    for (const bad of ["0", "-1", "two", "1.5"]) expect(() => parseRounds(bad), bad).to.throw(MinerError, /--rounds/);
    expect(parseTask("auto")).to.equal("auto");
    expect(parseTask("2")).to.equal(2);
    expect(() => parseTask("x")).to.throw(MinerError, /task index/);
    expect(parseIntIn("--seed", 0, 0xffffffff)("4294967295")).to.equal(4294967295);
    expect(() => parseIntIn("--seed", 0, 0xffffffff)("4294967296")).to.throw(MinerError, /--seed/);
    expect(() => parseIntIn("--poll-ms", 10, 100)("1.5")).to.throw(MinerError);
  });
});
