// The one Phase: each window's bound is inclusive, as the contract's are.
import { expect } from "chai";
import { phaseAndEnd, phaseAt } from "./round.js";

describe("round phase", () => {
  const w = { commitEnd: 10, backupRevealStart: 15, revealEnd: 20, verifyEnd: 30, finalized: false };
  it("names the window chain time is in, bounds inclusive", () => {
    expect(phaseAt(10, w)).to.equal("claim");
    expect(phaseAt(11, w)).to.equal("reveal-primaries");
    expect(phaseAt(15, w)).to.equal("reveal-primaries");
    expect(phaseAt(16, w)).to.equal("reveal-backups");
    expect(phaseAt(20, w)).to.equal("reveal-backups");
    expect(phaseAt(21, w)).to.equal("verify");
    expect(phaseAt(30, w)).to.equal("verify");
    expect(phaseAt(31, w)).to.equal("finalizable");
    expect(phaseAt(5, { ...w, finalized: true })).to.equal("finalized");
  });
  it("says when the phase ends", () => {
    expect(phaseAndEnd(0, w)).to.deep.equal({ phase: "claim", endsAt: 10 });
    expect(phaseAndEnd(12, w)).to.deep.equal({ phase: "reveal-primaries", endsAt: 15 });
    expect(phaseAndEnd(16, w)).to.deep.equal({ phase: "reveal-backups", endsAt: 20 });
    expect(phaseAndEnd(25, w)).to.deep.equal({ phase: "verify", endsAt: 30 });
    expect(phaseAndEnd(31, w)).to.deep.equal({ phase: "finalizable", endsAt: null });
  });
});
