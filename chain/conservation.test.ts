// readConservation on a live pool: a round with a staked miner and a staked verifier balances to
// the token; a donation straight to the pool (tokens nobody is owed) is seen as a violation.
import { expect } from "chai";
import { readConservation } from "./conservation.js";
import { sendCommittee, sendPool, sendToken } from "./actions/send.js";
import { DEV_KEYS, fund, openTestRound, startTestChain, TOKEN, type TestChain } from "./testing.js";

describe("token conservation (chain/conservation.ts)", function () {
  this.timeout(120_000);
  let t: TestChain;
  before(async () => (t = await startTestChain("conservation")));
  after(() => t?.stop());

  it("balances with a staked miner, a staked verifier and a funded round; a donation to the pool is a violation", async () => {
    const m = await t.connect(DEV_KEYS[3]);
    const v = await t.connect(DEV_KEYS[4]);
    for (const c of [m, v]) await fund(t.admin, c.account!.address, 5000n * TOKEN);
    await sendToken(m, "approve", [m.pool, 100n * TOKEN]);
    await sendPool(m, "stake", [100n * TOKEN]);
    await sendCommittee(t.admin, "setVerifier", [v.account!.address, true]);
    const stake = await v.committeeContract.read.minVerifierStake();
    await sendToken(v, "approve", [v.committee, stake]);
    await sendCommittee(v, "stakeVerifier", [stake]);
    await openTestRound(t.admin);
    const accounts = [m.account!.address, v.account!.address];
    const ok = await readConservation(t.admin, accounts);
    expect(ok.ok, JSON.stringify(ok, (_, x) => (typeof x === "bigint" ? String(x) : x))).to.equal(true);
    expect(ok.pool.held).to.equal(100n * TOKEN + 100n * TOKEN); // the stake and the test round's reward
    await sendToken(m, "transfer", [m.pool, 1n]);
    const off = await readConservation(t.admin, accounts);
    expect(off.ok).to.equal(false);
    expect(off.pool.held - off.pool.owed).to.equal(1n);
  });
});
