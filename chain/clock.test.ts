// Chain time: deadlines follow the chain's blocks (plus local time since the latest one), and
// windows open only when a block past them exists, whatever the local clock says.
import { expect } from "chai";
import { ChainClock, sleep, type BlockSource } from "./clock.js";
import { ChainError } from "./errors.js";

/** A chain whose latest block the test sets, and a local clock the test moves. */
function fakeChain() {
  const chain = { number: 1n, timestamp: 1000n, local: 0 };
  const source = { getBlock: async () => ({ number: chain.number, timestamp: chain.timestamp }) } as unknown as BlockSource;
  const mine = (timestamp: bigint) => {
    chain.number++;
    chain.timestamp = timestamp;
  };
  return { chain, source, mine, localMs: () => chain.local };
}

describe("chain clock", () => {
  it("estimates chain time from the latest block plus local time since it was first seen", async () => {
    const f = fakeChain();
    const clock = new ChainClock(f.source, 1, f.localMs);
    expect(await clock.now()).to.equal(1000);
    f.chain.local = 5_000; // 5 s pass, no new block: the estimate moves on
    expect(await clock.now()).to.equal(1005);
    f.mine(5000n); // the chain jumps (evm_increaseTime): the estimate follows the block, not the local clock
    expect(await clock.now()).to.equal(5000);
    f.chain.local = 7_500;
    expect(await clock.now()).to.equal(5002.5);
  });

  it("waits until a block is past t, and can stop early or be aborted", async () => {
    const f = fakeChain();
    const clock = new ChainClock(f.source, 1, f.localMs);
    setTimeout(() => f.mine(1010n), 20);
    // the local clock passing t does not end the wait: only a block past t does
    f.chain.local = 60_000;
    expect(await clock.waitUntilAfter(1009n)).to.deep.equal({ timestamp: 1010n });
    let polls = 0;
    expect(await clock.waitUntilAfter(2000n, { check: async () => (++polls === 3 ? "delivered" : undefined) })).to.deep.equal({ early: "delivered" });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 20);
    let err: unknown;
    await clock.waitUntilAfter(3000n, { signal: abort.signal }).catch((e) => (err = e));
    expect(err).to.be.instanceOf(ChainError);
  });

  it("sleep ends at once when aborted (moved with sleep from the oracle's backoff)", async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 20);
    await sleep(10_000, ac.signal);
    expect(Date.now() - t0).to.be.below(2000);
  });
});
