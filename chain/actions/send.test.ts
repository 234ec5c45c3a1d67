// send: a simulated revert is named before anything is sent, a mined revert is re-simulated to
// name its reason and carries its hash, `onSent` sees the hash before the receipt, and `serial`
// keeps concurrent sends of one key from sharing a nonce. On a real hardhat node.
import { expect } from "chai";
import { createTestClient, http } from "viem";
import { DEV_KEYS, fund, openTestRound, startTestChain, TOKEN, type TestChain } from "../testing.js";
import type { PoolConnection } from "../connect.js";
import { TxRevertedError, explainError, poolError } from "../errors.js";
import { sendPool, sendToken } from "./send.js";

describe("send (chain/actions/send.ts)", function () {
  this.timeout(180_000);
  let t: TestChain;
  let a: PoolConnection;
  let b: PoolConnection;
  const stake = 100n * TOKEN;

  before(async () => {
    t = await startTestChain("send");
    a = await t.connect(DEV_KEYS[1]);
    b = await t.connect(DEV_KEYS[2]);
    for (const m of [a, b]) {
      await fund(t.admin, m.account!.address, stake);
      await sendToken(m, "approve", [m.pool, stake]);
    }
  });
  after(() => t?.stop());

  it("sends, checks the receipt and returns the simulated result", async () => {
    const r = await sendPool(a, "stake", [stake]);
    expect(r.receipt.status).to.equal("success");
    expect(r.receipt.transactionHash).to.equal(r.hash);
    expect((await a.poolContract.read.minerAccount([a.account!.address])).balance).to.equal(stake);
  });

  it("names a revert at simulation, before any transaction is sent", async () => {
    const nonce = await a.publicClient.getTransactionCount({ address: a.account!.address });
    let err: unknown;
    await sendPool(a, "claim", [99n, 0n]).catch((e) => (err = e));
    expect(poolError(err)).to.deep.equal({ name: "PoNASPoolUnknownRound", args: [99n] });
    expect(explainError(err)).to.match(/round 99 does not exist .*\(PoNASPoolUnknownRound\)$/);
    expect(await a.publicClient.getTransactionCount({ address: a.account!.address })).to.equal(nonce);
  });

  it("re-simulates a transaction mined with status reverted to name its reason, keeping the hash", async () => {
    await sendPool(b, "stake", [stake]);
    const round = await openTestRound(t.admin, { tasks: 2 });
    // both claims of task 0 pass simulation and gas estimation while neither is mined; then one block holds both
    const test = createTestClient({ mode: "hardhat", chain: t.admin.chain, transport: http(t.chain.url) });
    await test.setAutomine(false);
    const sent: string[] = [];
    const claims = [a, b].map((m) => sendPool(m, "claim", [round.roundId, 0n], { onSent: (h) => sent.push(h) }).then((r) => r, (e: unknown) => e));
    while (sent.length < 2) await new Promise((r) => setTimeout(r, 50));
    await test.mine({ blocks: 1 });
    await test.setAutomine(true);
    const [ra, rb] = await Promise.all(claims);
    const failed = [ra, rb].filter((r) => r instanceof Error);
    expect(failed).to.have.length(1);
    const err = failed[0] as TxRevertedError;
    expect(err).to.be.instanceOf(TxRevertedError);
    expect(sent).to.include(err.hash);
    expect((await t.admin.publicClient.getTransactionReceipt({ hash: err.hash })).status).to.equal("reverted");
    expect(poolError(err)?.name).to.equal("PoNASPoolTaskTaken");
    expect(explainError(err)).to.match(/task 0 of round \d+ already has a primary miner.*\(PoNASPoolTaskTaken\)$/);
  });

  it("serial sends of one key take distinct nonces when started together", async () => {
    const round = await openTestRound(t.admin, { tasks: 3 });
    const rs = await Promise.all([1n, 2n].map((task) => sendPool(a, "claim", [round.roundId, task], { serial: true })));
    expect(rs.map((r) => r.receipt.status)).to.deep.equal(["success", "success"]);
    const nonces = await Promise.all(rs.map(async (r) => (await a.publicClient.getTransaction({ hash: r.hash })).nonce));
    expect(new Set(nonces).size).to.equal(2);
  });

  it("refuses to send without a key, in one line", async () => {
    const reader = { ...a, walletClient: undefined, account: undefined };
    let err: unknown;
    await sendPool(reader, "stake", [1n]).catch((e) => (err = e));
    expect(explainError(err)).to.equal("no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY");
  });
});
