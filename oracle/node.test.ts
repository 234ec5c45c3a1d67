// The verifier node in-process against a real hardhat node: two oracles (one behind an RPC proxy
// that goes down), real re-training under mnist-demo-v1, scores compared with trainGenome's. A
// verification is final at three attestations (the contract's least quorum), so a third enrolled
// verifier, C, attests by hand the scores the test already computed with trainGenome: a third
// verifier without a third training per submission (the machine has two cores).
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PoolConnection } from "../chain/connect.js";
import { freePort } from "../chain/localChain.js";
import { genomeAt, resolveRecipe, trainGenome, type Recipe, type SearchSpace } from "../nas/index.js";
import type { Hex } from "viem";
import { serveMetrics, type MetricsServer } from "./metrics.js";
import { OracleError } from "./errors.js";
import { OracleNode } from "./node.js";
import { parseChallengePolicy } from "./policy.js";
import { DEV_KEYS, enterWindow, fund, mined, openTestRound, startTestChain, txFrom, waitFor, type TestChain } from "../chain/testing.js";
import { addMiner, addVerifier, attestByHand, attestations, captureLogs, claimAndCommit, reveal, rpcProxy, type CapturedLogger, type RpcProxy } from "./testing.js";

/** The score the engine gives, on the backend the oracles use. */
async function reference(space: SearchSpace, recipe: Recipe, genome: Hex): Promise<number> {
  return (await trainGenome(space, genome, recipe, { backend: "wasm" })).scoreBps;
}


describe("oracle node on a local chain", function () {
  this.timeout(240_000);
  let t: TestChain;
  let dir: string;
  let proxy: RpcProxy;
  let vA: PoolConnection;
  let vB: PoolConnection;
  let vC: PoolConnection;
  let miners: PoolConnection[];
  let nodeA: OracleNode;
  let nodeB: OracleNode;
  let logsA: CapturedLogger;
  let logsB: CapturedLogger;
  let server: MetricsServer;

  before(async () => {
    t = await startTestChain("oracle-node");
    dir = mkdtempSync(path.join(tmpdir(), "oracle-node-"));
    proxy = await rpcProxy(t.chain.url);
    vA = await t.connect(DEV_KEYS[1]);
    vB = await t.connect(DEV_KEYS[2], proxy.url); // B reaches the chain through the proxy only
    vC = await t.connect(DEV_KEYS[6]); // no node: attests by hand (attestByHand)
    await addVerifier(t.admin, vA);
    await addVerifier(t.admin, vB);
    await addVerifier(t.admin, vC);
    miners = [];
    for (const k of DEV_KEYS.slice(3, 5)) {
      const m = await t.connect(k);
      await addMiner(t.admin, m);
      miners.push(m);
    }
    logsA = captureLogs({ node: "A" });
    logsB = captureLogs({ node: "B" });
    nodeA = new OracleNode(vA, { stateDir: path.join(dir, "a"), pollMs: 100, challenge: parseChallengePolicy("above:9000"), logger: logsA.logger });
    nodeB = new OracleNode(vB, { stateDir: path.join(dir, "b"), pollMs: 100, logger: logsB.logger });
    await nodeA.start();
    await nodeB.start();
    server = await serveMetrics(nodeA.metrics, () => nodeA.health(), await freePort());
  });

  after(async () => {
    await nodeA?.stop();
    await nodeB?.stop();
    await server?.close();
    await proxy?.close();
    t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("attests every sampled submission with trainGenome's score, waits out an RPC outage, and the inflated claim is slashed at quorum 3", async () => {
    // two claims, an honest one and an inflated one, each trained by both oracles (the partition may
    // cut a third task, left unclaimed)
    const round = await openTestRound(t.admin, { tasks: 2, quorum: 3, toleranceBps: 200 });
    expect(round.tasks.length).to.be.at.least(2);
    const get = (eventName: "Verified" | "Slashed") =>
      t.admin.publicClient.getContractEvents({ address: t.admin.pool, abi: t.admin.poolContract.abi, eventName, args: { roundId: round.roundId }, fromBlock: 0n, strict: true });
    const genomes = round.tasks.map((task) => genomeAt(round.space, task, 0));
    const ref: number[] = [];
    for (const g of genomes) ref.push(await reference(round.space, round.recipe, g));
    const claims = [ref[0], Math.min(10_000, ref[1] + 2000)];
    expect(claims[1] - ref[1]).to.be.above(200); // beyond the tolerance: a false claim
    const cs = [];
    for (const i of [0, 1]) cs.push(await claimAndCommit(miners[i], round, i, genomes[i], claims[i]));
    await enterWindow(t.admin, round, "reveal");
    for (const i of [0, 1]) await reveal(miners[i], cs[i]);

    proxy.down = true; // B loses its RPC just as the verify window opens
    await enterWindow(t.admin, round, "verify");
    for (const i of [0, 1]) await attestByHand(vC, round.roundId, i, ref[i]); // C: one of three
    const a = vA.account!.address;
    const b = vB.account!.address;
    await waitFor("A's two attestations", async () => (await attestations(t.admin, round.roundId, a)).length === 2);
    const outage = await waitFor("B to report the outage", () => logsB.find("RPC unavailable; retrying")[0], 60_000);
    expect(outage.error).to.match(/^cannot reach the RPC endpoint http:\/\/127\.0\.0\.1:\d+\//);
    expect(outage.waitingFor).to.be.a("string").and.not.equal("");
    expect(nodeB.health().lastError).to.match(/cannot reach the RPC endpoint/);
    expect(await attestations(t.admin, round.roundId, b)).to.have.length(0);
    // two of three attested: nothing is final until B is back
    expect(await get("Verified")).to.have.length(0);
    proxy.down = false;
    await waitFor("B's two attestations after the outage", async () => (await attestations(t.admin, round.roundId, b)).length === 2, 90_000);

    const events = await attestations(t.admin, round.roundId);
    for (const v of [a, b, vC.account!.address]) {
      for (const i of [0, 1]) {
        const mine = events.filter((e) => e.args.verifier === v && e.args.task === BigInt(i));
        expect(mine, `verifier ${v} task ${i}`).to.have.length(1);
        expect(Number(mine[0].args.scoreBps), `score of task ${i}`).to.equal(ref[i]);
      }
    }
    const verified = (await get("Verified")) as { args: { task: bigint; fraud: boolean; medianBps: bigint } }[];
    expect(verified.map((v) => [Number(v.args.task), v.args.fraud, Number(v.args.medianBps)]).sort()).to.deep.equal([
      [0, false, ref[0]],
      [1, true, ref[1]],
    ]);
    const slashed = (await get("Slashed")) as { args: { miner: string; amount: bigint; task: bigint } }[];
    expect(slashed).to.have.length(1);
    expect(slashed[0].args.miner).to.equal(miners[1].account!.address);
    expect(slashed[0].args.amount).to.equal(round.params.minStake);
    expect(logsB.find("chain reachable again")).to.have.length.greaterThan(0);

    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(metrics).to.match(/^ponas_oracle_attestations_total 2$/m);
    expect(metrics).to.match(/^ponas_oracle_mismatches_total 1$/m);
    expect(metrics).to.match(/^ponas_oracle_training_seconds_count 2$/m);
    expect(metrics).to.match(/^ponas_oracle_jobs_pending 0$/m);
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).to.equal(200);
    expect(((await health.json()) as { ok: boolean }).ok).to.equal(true);
  });

  it("challenges a claim above its policy's threshold so it is re-trained and slashed; leaves the rest to sampling", async () => {
    // sampleBps 1 (1 in 10,000) and no top-K: without a challenge almost nothing is re-trained.
    // The reward is small enough for TEST_ROUND's 10 PONAS stake: minSafeStake = R·(1−p)/(p·(1−s)) ≈ 20 000 · R
    const round = await openTestRound(t.admin, { tasks: 2, quorum: 3, sampleBps: 1, topK: 0, reward: "0.0005" });
    const genomes = round.tasks.map((task) => genomeAt(round.space, task, 1));
    const ref = [await reference(round.space, round.recipe, genomes[0]), await reference(round.space, round.recipe, genomes[1])];
    expect(ref[0]).to.be.at.most(9000); // the honest claim is below A's threshold
    const claims = [ref[0], 9900];
    expect(claims[1] - ref[1]).to.be.above(200);
    const cs = [await claimAndCommit(miners[0], round, 0, genomes[0], claims[0]), await claimAndCommit(miners[1], round, 1, genomes[1], claims[1])];
    await enterWindow(t.admin, round, "reveal");
    for (const i of [0, 1]) await reveal(miners[i], cs[i]);
    await enterWindow(t.admin, round, "verify");

    const get = (eventName: "Challenged" | "Verified" | "Slashed") =>
      t.admin.publicClient.getContractEvents({ address: t.admin.pool, abi: t.admin.poolContract.abi, eventName, args: { roundId: round.roundId }, fromBlock: 0n, strict: true });
    // A's challenge puts the claim in the sample: B re-trains it too, and C attests by hand
    await waitFor("A's challenge", async () => (await get("Challenged")).length > 0);
    await attestByHand(vC, round.roundId, 1, ref[1]);
    const verified = await waitFor("the challenged claim to be verified", async () => {
      const v = await get("Verified");
      return v.length > 0 && v;
    });
    const challenged = (await get("Challenged")) as { args: { task: bigint; verifier: string } }[];
    expect(challenged.map((c) => [Number(c.args.task), c.args.verifier])).to.deep.equal([[1, vA.account!.address]]);
    expect(verified.map((v) => [Number((v.args as { task: bigint }).task), (v.args as { fraud: boolean }).fraud])).to.deep.equal([[1, true]]);
    expect(await get("Slashed")).to.have.length(1);
    const one = await attestations(t.admin, round.roundId);
    const onChallenged = one.filter((e) => e.args.task === 1n);
    expect(onChallenged.map((e) => e.args.verifier).sort()).to.deep.equal([vA, vB, vC].map((v) => v.account!.address).sort());
    expect(onChallenged.every((e) => Number(e.args.scoreBps) === ref[1])).to.equal(true);

    // The honest claim: A checked it and left it to the seeded draw.
    const checked = await waitFor("A to check the honest claim", () =>
      logsA.find("submission checked").find((l) => l.round === Number(round.roundId) && l.task === 0),
    );
    const sampled = await t.admin.lensContract.read.isSampled([round.roundId, 0n, 0n]);
    expect(checked.check).to.equal(sampled ? "todo" : "unsampled");
    if (!sampled) expect(one.filter((e) => e.args.task === 0n)).to.have.length(0);
    expect(await nodeA.metrics.challenges.get()).to.have.nested.property("values[0].value", 1);
  });

  it("skips a round whose recipe it does not ship with one log line, and keeps following the chain", async () => {
    const recipe = { ...resolveRecipe("mnist-demo-v1"), name: "not-shipped" };
    const round = await openTestRound(t.admin, { recipe, tasks: 2 });
    const line = await waitFor("A's error line", () => logsA.find("cannot verify this round").find((l) => l.round === Number(round.roundId)));
    expect(line.error).to.match(/^no shipped recipe has id 0x[0-9a-f]{64}; add its JSON under nas\/recipes\/$/);
    const head = await t.admin.publicClient.getBlockNumber();
    await waitFor("A to read past the round's opening", () => (nodeA.health().lastBlock as number) >= Number(head));
    expect(nodeA.health().ok).to.equal(true);
  });

  it("refuses to start below the pool's verifier stake, and tops it up with autoStake", async () => {
    const v = await t.connect(DEV_KEYS[12]);
    const me = v.account!.address;
    const min = await t.admin.committeeContract.read.minVerifierStake();
    await fund(t.admin, me, min);
    await mined(t.admin, await t.admin.committeeContract.write.setVerifier([me, true], txFrom(t.admin)));
    const logs = captureLogs();
    let err: unknown;
    await new OracleNode(v, { stateDir: path.join(dir, "c"), logger: logs.logger }).start().catch((e) => (err = e));
    expect(err).to.be.instanceOf(OracleError);
    expect((err as Error).message).to.match(/^verifier stake 0 PONAS is below the pool's minimum \d+ PONAS; run with --auto-stake to add \d+ PONAS from 0x[0-9a-fA-F]{40}$/);
    const node = new OracleNode(v, { stateDir: path.join(dir, "c"), autoStake: true, pollMs: 100, logger: logs.logger });
    await node.start();
    try {
      expect((await t.admin.committeeContract.read.verifierAccount([me])).stake).to.equal(min);
      expect(logs.find("verifier stake topped up to the pool's minimum")).to.have.length(1);
    } finally {
      await node.stop();
    }
  });
});
