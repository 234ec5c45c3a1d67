// The canary rule (chain/canary.ts): how far a canary under-claims, and that an echo of its claim
// is off every median an honest committee can reach by more than the tolerance.
import { expect } from "chai";
import { canaryClaimBps, canaryDeflationBps } from "./canary.js";

describe("canaries (chain/canary.ts)", () => {
  it("claims 2 × tolerance + 1 bps below the measured score, never below 0", () => {
    expect(canaryDeflationBps(100)).to.equal(201);
    expect(canaryClaimBps(9500, 100)).to.equal(9299);
    expect(canaryClaimBps(9500, 0)).to.equal(9499);
    expect(canaryClaimBps(150, 100)).to.equal(0);
  });

  it("an echo of the claim is off any median within the tolerance of the truth by more than the tolerance", () => {
    for (const tolerance of [0, 1, 50, 100, 300, 1000]) {
      for (const truth of [2500, 9000, 9990]) {
        const echo = canaryClaimBps(truth, tolerance);
        // honest re-trainings on other backends agree within the tolerance: their median anywhere in it
        for (let median = Math.max(0, truth - tolerance); median <= truth + tolerance; median += Math.max(1, tolerance)) {
          expect(Math.abs(median - echo), `tolerance ${tolerance}, truth ${truth}, median ${median}`).to.be.greaterThan(tolerance);
        }
      }
    }
  });
});
