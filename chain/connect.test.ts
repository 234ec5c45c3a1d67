import { expect } from "chai";
import { rmSync, writeFileSync } from "node:fs";
import { privateKeyToAccount } from "viem/accounts";
import { deploymentFile } from "../deployments/index.js";
import { connectPool } from "./connect.js";
import { ChainError, explainError } from "./errors.js";
import { DEV_KEYS, startLocalChain, type LocalChain } from "./localChain.js";

describe("connectPool on an embedded chain", function () {
  this.timeout(180_000);
  let chain: LocalChain;
  before(async () => {
    chain = await startLocalChain({ name: `local-connect-${process.pid}` });
  });
  after(() => {
    chain?.stop();
    if (chain) rmSync(deploymentFile(chain.name), { force: true });
    rmSync(deploymentFile(`local-wrong-${process.pid}`), { force: true });
  });

  it("finds the pool by deployment name and by address, with its token, lens and first block", async () => {
    const byName = await connectPool({ rpc: chain.url, pool: chain.name });
    expect(byName.pool).to.equal(chain.deployment.contracts.PoNASPool);
    expect(byName.token).to.equal(chain.deployment.contracts.PoolToken);
    expect(byName.fromBlock).to.equal(BigInt(chain.deployment.deploymentBlock));
    const byAddress = await connectPool({ rpc: chain.url, pool: chain.deployment.contracts.PoNASPool });
    expect(byAddress.token).to.equal(byName.token);
    // by address, the pool's own deploymentBlock() replaces the deployment file's record
    expect(byAddress.fromBlock).to.equal(byName.fromBlock);
    expect(await byAddress.tokenContract.read.symbol()).to.be.a("string");
    // the lens the pool created, which reads that same pool
    expect(byAddress.lens).to.equal(byName.lens).and.not.equal(byName.pool);
    expect(await byName.lensContract.read.pool()).to.equal(byName.pool);
  });

  it("turns a revert into one line naming the problem and the fix", async () => {
    const account = privateKeyToAccount(DEV_KEYS[3]);
    const c = await connectPool({ rpc: chain.url, pool: chain.name, account });
    let err: unknown;
    await c.poolContract.simulate.claim([99n, 0n], { account }).catch((e) => (err = e));
    expect(explainError(err)).to.equal("round 99 does not exist on this pool; check --pool and the round id (PoNASPoolUnknownRound)");
  });

  it("rejects a wrong network, an unreachable RPC, a bad URL and an address without code", async () => {
    const wrong = `local-wrong-${process.pid}`;
    writeFileSync(deploymentFile(wrong), JSON.stringify({ ...chain.deployment, network: wrong, chainId: 11155111 }));
    const fail = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        expect(e).to.be.instanceOf(ChainError);
        return (e as Error).message;
      }
      throw new Error("expected a ChainError");
    };
    expect(await fail(connectPool({ rpc: chain.url, pool: wrong }))).to.match(/wrong network: deployment .* is on chain 11155111, but .* is chain 31337/);
    expect(await fail(connectPool({ rpc: "http://127.0.0.1:1", pool: chain.name }))).to.match(/cannot reach the RPC endpoint/);
    expect(await fail(connectPool({ rpc: "not a url", pool: chain.name }))).to.match(/is not a URL/);
    expect(await fail(connectPool({ rpc: chain.url, pool: "0x000000000000000000000000000000000000dEaD" }))).to.match(/no contract at/);
    expect(await fail(connectPool({ rpc: chain.url, pool: chain.deployment.contracts.PoolToken as `0x${string}` }))).to.match(
      /^0x[0-9a-fA-F]{40} on chain \d+ is not a PoNAS pool of this version \(.*\); check --pool$/,
    );
    expect(await fail(connectPool({ rpc: chain.url, pool: "nosuchnet" }))).to.match(/neither an address nor a known deployment/);
  });
});
