import { expect } from "chai";
import { OracleError } from "./errors.js";
import { parseChallengePolicy } from "./policy.js";

describe("oracle challenge policy", () => {
  it("none challenges nothing; above:<bps> challenges strictly higher claims", () => {
    const none = parseChallengePolicy("none");
    expect([0, 5000, 10_000].map((c) => none.shouldChallenge(c))).to.deep.equal([false, false, false]);
    const above = parseChallengePolicy("above:9000");
    expect(above.text).to.equal("above:9000");
    expect([8999, 9000, 9001, 10_000].map((c) => above.shouldChallenge(c))).to.deep.equal([false, false, true, true]);
    expect(parseChallengePolicy(" ABOVE:0 ").shouldChallenge(1)).to.equal(true);
  });

  it("rejects anything else with one line naming the valid forms", () => {
    for (const bad of ["above:10001", "above:", "above:-1", "below:5", "all", "above:9.5"]) {
      expect(() => parseChallengePolicy(bad)).to.throw(OracleError, /^unknown challenge policy ".*": use none or above:<bps> with <bps> in 0\.\.10000$/);
    }
  });
});
