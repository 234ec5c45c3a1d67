// History queries: what one address did in a round, read back from the pool's events in ranges of
// `blockRange` blocks — the answers do not depend on how the range is cut.
import { expect } from "chai";
import { keccak256, stringToHex } from "viem";
import type { PoolConnection } from "../connect.js";
import { DEV_KEYS, fund, openTestRound, startTestChain, TOKEN, type TestChain, type TestRound } from "../testing.js";
import { claimsOf, commitTxOf, getPoolEvents, revealedBy, roundEvents, settlementOf } from "./history.js";
import { sendPool, sendToken } from "./send.js";

describe("history (chain/actions/history.ts)", function () {
  this.timeout(180_000);
  let t: TestChain;
  let m: PoolConnection;
  let round: TestRound;

  before(async () => {
    t = await startTestChain("history");
    m = await t.connect(DEV_KEYS[5]);
    await fund(t.admin, m.account!.address, 100n * TOKEN);
    await sendToken(m, "approve", [m.pool, 100n * TOKEN]);
    await sendPool(m, "stake", [100n * TOKEN]);
    round = await openTestRound(t.admin, { tasks: 3 });
  });
  after(() => t?.stop());

  it("finds an address's claims and commit, whatever the block range", async () => {
    const me = m.account!.address;
    await sendPool(m, "claim", [round.roundId, 2n]);
    await sendPool(m, "claim", [round.roundId, 0n]);
    const commitment = keccak256(stringToHex("history"));
    const { hash } = await sendPool(m, "commit", [round.roundId, commitment]);
    expect(await claimsOf(m, round.roundId, me)).to.deep.equal([{ task: 2, slot: 0 }, { task: 0, slot: 0 }]);
    expect(await claimsOf(m, round.roundId, t.admin.account!.address)).to.deep.equal([]);
    expect(await commitTxOf(m, round.roundId, me, commitment)).to.equal(hash);
    expect(await commitTxOf(m, round.roundId, me, keccak256(stringToHex("other")))).to.equal(undefined);
    expect(await revealedBy(m, round.roundId, 0n, 0n, me)).to.equal(false);
    expect(await settlementOf(m, round.roundId, 0n, 0n, me)).to.equal(null);

    const all = await getPoolEvents(m);
    for (const blockRange of [1n, 2n, 7n]) {
      expect((await getPoolEvents(m, { blockRange })).map((l) => l.transactionHash + l.logIndex)).to.deep.equal(all.map((l) => l.transactionHash + l.logIndex));
    }
    // the committee's events are in the same log, in chain order (openRound funds the committee last)
    const events = await roundEvents(m, round.roundId);
    expect(events.map((e) => e.eventName)).to.deep.equal(["RoundOpened", "TaskAdded", "TaskAdded", "TaskAdded", "FeeBudgetFunded", "Claimed", "Claimed", "Committed"]);
    expect(events[4].address.toLowerCase()).to.equal(m.committee.toLowerCase());
  });
});
