// advanceTo on a real hardhat node: it lands on the target time, and it survives the race where
// another process's block passes the target between its read and its write (a stale read here),
// which once failed the cell-space demo in CI.
import { expect } from "chai";
import { rmSync } from "node:fs";
import type { PublicClient } from "viem";
import { deploymentFile } from "../deployments/index.js";
import { connectPool } from "./connect.js";
import { advanceTo } from "./devTime.js";
import { startLocalChain, type LocalChain } from "./localChain.js";

describe("chain/devTime advanceTo", function () {
  this.timeout(180_000);
  let chain: LocalChain;
  let client: PublicClient;
  before(async () => {
    chain = await startLocalChain({ name: `local-devtime-${process.pid}` });
    client = (await connectPool({ rpc: chain.url, pool: chain.name })).publicClient as PublicClient;
  });
  after(() => {
    chain?.stop();
    if (chain) rmSync(deploymentFile(chain.name), { force: true });
  });

  it("mines one block at a future target, and one block now for a past one", async () => {
    const start = await client.getBlock();
    await advanceTo(client, start.timestamp + 1000n);
    const jumped = await client.getBlock();
    expect([jumped.number, jumped.timestamp]).to.deep.equal([start.number + 1n, start.timestamp + 1000n]);
    await advanceTo(client, start.timestamp);
    const now = await client.getBlock();
    expect(now.number).to.equal(jumped.number + 1n);
    expect(now.timestamp > jumped.timestamp).to.equal(true);
  });

  it("goes on when a block mined since its read has already passed the target (the node refuses that timestamp)", async () => {
    const latest = await client.getBlock();
    // its first read of the latest block is 100 s stale: the target looks 50 s ahead, but the
    // chain is 50 s past it, so the node refuses to set it
    let reads = 0;
    const stale = { ...client, getBlock: async () => (reads++ === 0 ? { ...latest, timestamp: latest.timestamp - 100n } : client.getBlock()) } as PublicClient;
    await advanceTo(stale, latest.timestamp - 50n);
    const after = await client.getBlock();
    expect(after.number).to.equal(latest.number + 1n);
    expect(after.timestamp >= latest.timestamp).to.equal(true);
    // a refusal for any other reason still throws: a target ahead of the chain that the node refuses
    const broken = { ...client, request: async () => Promise.reject(new Error("the node is broken")) } as unknown as PublicClient;
    let refused: unknown;
    await advanceTo({ ...broken, getBlock: client.getBlock } as PublicClient, after.timestamp + 10n).catch((e) => (refused = e));
    expect(String(refused)).to.match(/the node is broken/);
  });
});
