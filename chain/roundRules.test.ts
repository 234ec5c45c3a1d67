// The verification rules openRound checks before sending (chain/roundRules.ts), as pure functions.
import { expect } from "chai";
import { explainError } from "./errors.js";
import { assertRoundRules, MAX_TOLERANCE_BPS, roundRuleViolations } from "./roundRules.js";

describe("round rules (chain/roundRules.ts)", () => {
  const ok = { quorum: 3, toleranceBps: 200, baselineBps: 1000 };

  it("accept the manager's defaults with a committee of three staked members", () => {
    expect(roundRuleViolations(ok, { activeStakedMembers: 3 })).to.deep.equal([]);
  });

  it("refuse a quorum larger than the active staked committee, naming both counts and the fix", () => {
    const err = (() => {
      try {
        assertRoundRules({ ...ok, quorum: 5 }, { activeStakedMembers: 3 });
      } catch (e) {
        return explainError(e);
      }
    })();
    expect(err).to.equal(
      "refusing to open the round: quorum 5 is larger than the committee: 3 active verifiers hold the minimum stake, so no sampled claim could reach a verdict; enrol and stake more verifiers (npm run manager -- committee add <address>, npm run verifier -- stake <amount>) or lower --quorum",
    );
  });

  it("refuse a tolerance above the cap, and one covering the whole range above the baseline", () => {
    expect(roundRuleViolations({ ...ok, toleranceBps: MAX_TOLERANCE_BPS }, { activeStakedMembers: 3 })).to.deep.equal([]);
    const [over] = roundRuleViolations({ ...ok, toleranceBps: MAX_TOLERANCE_BPS + 1 }, { activeStakedMembers: 3 });
    expect(over).to.match(/^tolerance 1001 bps is above 1000 bps: .*; lower --tolerance to at most 1000$/);
    const [all] = roundRuleViolations({ ...ok, toleranceBps: 10_000 }, { activeStakedMembers: 3 });
    expect(all).to.equal("tolerance 10000 bps is at least the whole score range above the baseline (10000 − 1000 = 9000 bps), so no claim could ever be fraud; lower --tolerance to at most 1000 bps");
    // with a baseline of 9500 only 500 bps lie above it: 500 is already everything
    const [high] = roundRuleViolations({ ...ok, baselineBps: 9500, toleranceBps: 500 }, { activeStakedMembers: 3 });
    expect(high).to.match(/range above the baseline \(10000 − 9500 = 500 bps\).*at most 499 bps$/);
  });
});
