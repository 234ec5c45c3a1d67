import { expect } from "chai";
import { deployPool, openRound, networkHelpers, commitFor, revealFor, after, genes, liabilities } from "./helpers/pool.js";

describe("smoke", () => {
  it("runs a round", async () => {
    const d = await networkHelpers.loadFixture(deployPool);
    const { roundId } = await openRound(d);
    const [m0] = d.actors.miners;
    await d.pool.connect(m0).stake(1000n * 10n ** 18n);
    await d.pool.connect(m0).claim(roundId, 0);
    const r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: genes([0, 1, 1, 4]), score: 9800 });
    await after(d, roundId, "commit");
    const tx = await revealFor(d, m0, r);
    const rc = await tx.wait();
    console.log("reveal gas", rc!.gasUsed);
    await after(d, roundId, "verify");
    await d.pool.finalize(roundId);
    await d.pool.withdraw(roundId, 0, 0);
    const all = [...d.actors.miners, ...d.actors.verifiers].map((s) => s.address);
    expect(await liabilities(d, all)).to.equal(await d.token.balanceOf(d.poolAddress));
  });
});
