// The fault proxy and withRpcRetry against a real hardhat node: requests pass through the proxy,
// an outage is what a dead node looks like to viem (an HttpRequestError that isRpcUnavailable
// recognises, not an HTTP answer), the proxy comes back on the same URL by itself, and
// withRpcRetry carries a read across the outage while a revert is not retried at all.
import { expect } from "chai";
import { createPublicClient, http, HttpRequestError } from "viem";
import { hardhat } from "viem/chains";
import { sendPool } from "../chain/actions/send.js";
import { isRevertError } from "../chain/errors.js";
import { DEV_KEYS, startTestChain, type TestChain } from "../chain/testing.js";
import { Backoff } from "./backoff.js";
import { startFaultProxy, type FaultProxy } from "./faultProxy.js";
import { isRpcUnavailable, withRpcRetry, type RetryInfo } from "./retry.js";

describe("fault proxy and withRpcRetry", function () {
  this.timeout(120_000);
  let tc: TestChain;
  let proxy: FaultProxy;
  // no retries of viem's own: each failure reaches the test
  const client = () => createPublicClient({ chain: hardhat, transport: http(proxy.url, { retryCount: 0, timeout: 5000 }) });

  before(async () => {
    tc = await startTestChain("fault-proxy");
    proxy = await startFaultProxy(tc.chain.url);
  });
  after(async () => {
    await proxy?.close();
    tc?.stop();
  });

  it("forwards JSON-RPC to the target while up", async () => {
    const direct = await tc.admin.publicClient.getBlockNumber({ cacheTime: 0 });
    expect(await client().getBlockNumber({ cacheTime: 0 })).to.equal(direct);
    expect(proxy.stats.forwarded).to.be.greaterThan(0);
    expect(proxy.url).to.equal(`http://127.0.0.1:${proxy.port}/`);
  });

  it("down() refuses connections (RPC unavailable, not an HTTP answer) until up(), on the same URL", async () => {
    const c = client();
    await c.getChainId(); // a kept-alive connection, which down() must cut too
    await proxy.down();
    expect(proxy.stats).to.include({ down: true, downs: 1 });
    let err: unknown;
    await c.getBlockNumber({ cacheTime: 0 }).catch((e) => (err = e));
    expect(err, "the read should fail while down").to.not.equal(undefined);
    expect(isRpcUnavailable(err)).to.equal(true);
    expect(String((err as Error).message)).to.not.match(/status: \d/); // no HTTP status: nobody answered
    await proxy.up();
    expect(proxy.stats.down).to.equal(false);
    expect(await c.getChainId()).to.equal(31337);
  });

  it("down(ms) comes back by itself; withRpcRetry carries a read across the outage", async () => {
    const c = client();
    const retries: RetryInfo[] = [];
    let recovered: { failures: number } | undefined;
    await proxy.down(1500);
    const t0 = Date.now();
    const n = await withRpcRetry(() => c.getBlockNumber({ cacheTime: 0 }), { backoff: new Backoff(100, 400), onRetry: (i) => retries.push(i), onRecovered: (i) => (recovered = i) });
    expect(Date.now() - t0).to.be.at.least(1200);
    expect(n).to.equal(await tc.admin.publicClient.getBlockNumber({ cacheTime: 0 }));
    expect(retries.length).to.be.at.least(3);
    expect(retries.map((r) => r.retryInMs).slice(0, 3)).to.deep.equal([100, 200, 400]);
    expect(recovered?.failures).to.equal(retries.length);
    expect(proxy.stats.down).to.equal(false);
  });

  it("until() ends the retrying with the last error; aborting does too", async () => {
    const c = client();
    await proxy.down();
    let calls = 0;
    let err: unknown;
    await withRpcRetry(
      () => {
        calls++;
        return c.getBlockNumber({ cacheTime: 0 });
      },
      { backoff: new Backoff(20, 20), until: (i) => i.failures >= 3 },
    ).catch((e) => (err = e));
    expect(calls).to.equal(3);
    expect(isRpcUnavailable(err)).to.equal(true);

    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    err = undefined;
    await withRpcRetry(() => c.getBlockNumber({ cacheTime: 0 }), { backoff: new Backoff(50, 50), signal: abort.signal }).catch((e) => (err = e));
    expect(isRpcUnavailable(err)).to.equal(true);
    await proxy.up();
  });

  it("a contract revert is not an outage: thrown at once, never retried", async () => {
    const miner = await tc.connect(DEV_KEYS[3], proxy.url);
    let calls = 0;
    let err: unknown;
    // round 99 does not exist: the pool refuses the claim in simulation
    await withRpcRetry(() => {
      calls++;
      return sendPool(miner, "claim", [99n, 0n]);
    }).catch((e) => (err = e));
    expect(calls).to.equal(1);
    expect(isRevertError(err)).to.equal(true);
    expect(isRpcUnavailable(err)).to.equal(false);
  });

  it("isRpcUnavailable: socket codes and 5xx yes; 4xx and plain errors no", () => {
    expect(isRpcUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }))).to.equal(true);
    expect(isRpcUnavailable(new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }))).to.equal(true);
    expect(isRpcUnavailable(new Error("wrapped", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) }))).to.equal(true);
    expect(isRpcUnavailable(new Error("not enough tokens"))).to.equal(false);
    expect(isRpcUnavailable(undefined)).to.equal(false);
  });

  it("an HTTP 5xx from a gateway in front of a dead node is unavailable; a 4xx is not", async () => {
    // the proxy pointed at a port nobody listens on answers 502, like a load balancer would
    const dead = await startFaultProxy("http://127.0.0.1:1/");
    try {
      const c = createPublicClient({ chain: hardhat, transport: http(dead.url, { retryCount: 0 }) });
      let err: unknown;
      await c.getBlockNumber().catch((e) => (err = e));
      expect((err as { status?: number }).status ?? (err as { cause?: { status?: number } }).cause?.status).to.equal(502);
      expect(isRpcUnavailable(err)).to.equal(true);
      expect(dead.stats.failed).to.equal(1);
    } finally {
      await dead.close();
    }
    // what viem makes of a 404 (a wrong --rpc path) or a 403 (a refused API key): a real answer, not an outage
    expect(isRpcUnavailable(new HttpRequestError({ url: "http://x/", status: 404, body: {} }))).to.equal(false);
    expect(isRpcUnavailable(new HttpRequestError({ url: "http://x/", status: 503, body: {} }))).to.equal(true);
  });
});
