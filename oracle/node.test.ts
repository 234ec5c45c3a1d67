// The verifier node in-process against a real hardhat node: two oracles (one behind an RPC proxy
// that goes down), real re-training under mnist-demo-v1, scores and weights digests compared with
// trainGenome's, each sealed in the commit phase, opened in the reveal phase and decided. A
// verification needs three reveals (the contract's least quorum), so a third enrolled verifier, C,
// commits and reveals by hand (chain's commitAttestation/revealAttestation) the score and digest
// the test already computed with trainGenome: a third verifier without a third training per
// submission (the machine has two cores). A fourth, D, commits once by hand and never reveals, so
// that submission is left for a node to decide after the reveal phase.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PoolConnection } from "../chain/connect.js";
import { getPoolEvents } from "../chain/actions/history.js";
import { freePort } from "../chain/localChain.js";
import { genomeAt, REFERENCE_BACKEND, resolveRecipe, trainGenome, type Recipe, type SearchSpace } from "../nas/index.js";
import type { Hex } from "viem";
import { serveMetrics, type MetricsServer } from "./metrics.js";
import { OracleError } from "./errors.js";
import { OracleNode } from "./node.js";
import { parseChallengePolicy } from "./policy.js";
import { DEV_KEYS, enterWindow, fund, mined, openTestRound, startTestChain, txFrom, waitFor, type TestChain } from "../chain/testing.js";
import { addMiner, addVerifier, attestations, captureLogs, claimAndCommit, commitByHand, commitments, reveal, revealByHand, rpcProxy, type CapturedLogger, type RpcProxy } from "./testing.js";

/** The score and weights hash the engine gives, on the reference backend the oracles use. */
async function reference(space: SearchSpace, recipe: Recipe, genome: Hex): Promise<{ score: number; digest: Hex }> {
  const r = await trainGenome(space, genome, recipe, { backend: REFERENCE_BACKEND });
  return { score: r.scoreBps, digest: r.weightsHash! };
}


describe("oracle node on a local chain", function () {
  this.timeout(240_000);
  let t: TestChain;
  let dir: string;
  let proxy: RpcProxy;
  let vA: PoolConnection;
  let vB: PoolConnection;
  let vC: PoolConnection;
  let vD: PoolConnection;
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
    vC = await t.connect(DEV_KEYS[6]); // no node: commits and reveals by hand
    vD = await t.connect(DEV_KEYS[7]); // no node: commits by hand and never reveals
    await addVerifier(t.admin, vA);
    await addVerifier(t.admin, vB);
    await addVerifier(t.admin, vC);
    await addVerifier(t.admin, vD);
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

  it("seals, reveals and decides every sampled submission with trainGenome's score and digest, waits out an RPC outage, and the inflated claim is slashed at quorum 3", async () => {
    // two claims, an honest one and an inflated one, each trained by both oracles (the partition may
    // cut a third task, left unclaimed)
    const round = await openTestRound(t.admin, { tasks: 2, quorum: 3, toleranceBps: 200 });
    expect(round.tasks.length).to.be.at.least(2);
    const get = <E extends "Verified" | "Slashed" | "FeePaid" | "Penalised" | "Undecided">(eventName: E) => getPoolEvents(t.admin, { eventName, args: { roundId: round.roundId } as never });
    const genomes = round.tasks.map((task) => genomeAt(round.space, task, 0));
    const ref: { score: number; digest: Hex }[] = [];
    for (const g of genomes) ref.push(await reference(round.space, round.recipe, g));
    const claims = [ref[0].score, Math.min(10_000, ref[1].score + 2000)];
    expect(claims[1] - ref[1].score).to.be.above(200); // beyond the tolerance: a false claim
    const cs = [];
    for (const i of [0, 1]) cs.push(await claimAndCommit(miners[i], round, i, genomes[i], claims[i]));
    await enterWindow(t.admin, round, "reveal");
    for (const i of [0, 1]) await reveal(miners[i], cs[i]);

    proxy.down = true; // B loses its RPC just as the verify window opens
    await enterWindow(t.admin, round, "verify");
    const byC = [];
    for (const i of [0, 1]) byC.push(await commitByHand(vC, round.roundId, i, ref[i].score, ref[i].digest)); // C: one of three
    await commitByHand(vD, round.roundId, 0, claims[0]); // D: commits task 0 and never reveals
    const [a, b, c, d] = [vA, vB, vC, vD].map((v) => v.account!.address);
    await waitFor("A's two commitments", async () => (await commitments(t.admin, round.roundId, a)).length === 2);
    const outage = await waitFor("B to report the outage", () => logsB.find("RPC unavailable; retrying")[0], 60_000);
    expect(outage.error).to.match(/^cannot reach the RPC endpoint http:\/\/127\.0\.0\.1:\d+\//);
    expect(outage.waitingFor).to.be.a("string").and.not.equal("");
    expect(nodeB.health().lastError).to.match(/cannot reach the RPC endpoint/);
    expect(await commitments(t.admin, round.roundId, b)).to.have.length(0);
    // sealed: nobody has revealed anything, and A has sent nothing but its commitments
    expect(await attestations(t.admin, round.roundId)).to.have.length(0);
    proxy.down = false;
    await waitFor("B's two commitments after the outage", async () => (await commitments(t.admin, round.roundId, b)).length === 2, 90_000);
    // the salts are on disk before the commitments: what a restart needs to open them
    expect(Object.keys(JSON.parse(readFileSync(path.join(dir, "b", "state.json"), "utf8")).seals).sort()).to.deep.equal([0, 1].map((i) => `${round.roundId}/${i}/0`));

    await enterWindow(t.admin, round, "attest-reveal");
    for (const s of byC) await revealByHand(vC, s);
    // task 1: every committer revealed, so the last reveal decides it; task 0 waits for D, which never reveals
    await waitFor("task 1's verdict at its last reveal", async () => (await get("Verified")).length === 1, 90_000);
    await waitFor("A's and B's reveals", async () => (await attestations(t.admin, round.roundId)).filter((e) => e.args.verifier !== c).length === 4, 60_000);
    expect((await get("Verified"))[0].args.task).to.equal(1n);
    await enterWindow(t.admin, round, "attest-decide");
    await waitFor("a node to decide task 0", async () => (await get("Verified")).length === 2, 60_000);

    const events = await attestations(t.admin, round.roundId);
    for (const v of [a, b, c]) {
      for (const i of [0, 1]) {
        const mine = events.filter((e) => e.args.verifier === v && e.args.task === BigInt(i));
        expect(mine, `verifier ${v} task ${i}`).to.have.length(1);
        expect(Number(mine[0].args.scoreBps), `score of task ${i}`).to.equal(ref[i].score);
        // the oracles' worker processes trained bit for bit what this process did
        expect(mine[0].args.weightsDigest, `digest of task ${i}`).to.equal(ref[i].digest);
      }
    }
    const verified = await get("Verified");
    expect(verified.map((v) => [Number(v.args.task), v.args.fraud, Number(v.args.medianBps)]).sort()).to.deep.equal([
      [0, false, ref[0].score],
      [1, true, ref[1].score],
    ]);
    const slashed = await get("Slashed");
    expect(slashed).to.have.length(1);
    expect(slashed[0].args.miner).to.equal(miners[1].account!.address);
    expect(slashed[0].args.amount).to.equal(round.params.minStake);
    // the three that proved the work are paid on both tasks; D, which never opened its seal, is penalised
    expect((await get("FeePaid")).map((e) => `${e.args.task}:${e.args.verifier}`).sort()).to.deep.equal([0, 1].flatMap((i) => [a, b, c].map((v) => `${i}:${v}`)).sort());
    expect((await get("Penalised")).map((e) => [Number(e.args.task), e.args.verifier])).to.deep.equal([[0, d]]);
    expect(await get("Undecided")).to.have.length(0);
    const decided = [...logsA.find("decided"), ...logsB.find("decided")];
    expect(decided.map((l) => l.task)).to.deep.equal([0]); // one node decided it; the other found it decided
    expect(logsB.find("chain reachable again")).to.have.length.greaterThan(0);

    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(metrics).to.match(/^ponas_oracle_commits_total 2$/m);
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
    expect(ref[0].score).to.be.at.most(9000); // the honest claim is below A's threshold
    const claims = [ref[0].score, 9900];
    expect(claims[1] - ref[1].score).to.be.above(200);
    const cs = [await claimAndCommit(miners[0], round, 0, genomes[0], claims[0]), await claimAndCommit(miners[1], round, 1, genomes[1], claims[1])];
    await enterWindow(t.admin, round, "reveal");
    for (const i of [0, 1]) await reveal(miners[i], cs[i]);
    await enterWindow(t.admin, round, "verify");

    const get = <E extends "Challenged" | "Verified" | "Slashed">(eventName: E) => getPoolEvents(t.admin, { eventName, args: { roundId: round.roundId } as never });
    // A's challenge puts the claim in the sample: B re-trains it too, and C commits by hand
    await waitFor("A's challenge", async () => (await get("Challenged")).length > 0);
    const byC = await commitByHand(vC, round.roundId, 1, ref[1].score, ref[1].digest);
    await waitFor("A's and B's commitments on the challenged claim", async () => (await commitments(t.admin, round.roundId)).filter((e) => e.args.task === 1n).length === 3, 90_000);
    await enterWindow(t.admin, round, "attest-reveal");
    await revealByHand(vC, byC);
    const verified = await waitFor("the challenged claim to be verified", async () => {
      const v = await get("Verified");
      return v.length > 0 && v;
    });
    const challenged = await get("Challenged");
    expect(challenged.map((c) => [Number(c.args.task), c.args.verifier])).to.deep.equal([[1, vA.account!.address]]);
    expect(verified.map((v) => [Number(v.args.task), v.args.fraud])).to.deep.equal([[1, true]]);
    expect(await get("Slashed")).to.have.length(1);
    const one = await attestations(t.admin, round.roundId);
    const onChallenged = one.filter((e) => e.args.task === 1n);
    expect(onChallenged.map((e) => e.args.verifier).sort()).to.deep.equal([vA, vB, vC].map((v) => v.account!.address).sort());
    expect(onChallenged.every((e) => Number(e.args.scoreBps) === ref[1].score)).to.equal(true);

    // The honest claim: A checked it and left it to the seeded draw.
    const checked = await waitFor("A to check the honest claim", () =>
      logsA.find("submission checked").find((l) => l.round === Number(round.roundId) && l.task === 0),
    );
    const sampled = await t.admin.lensContract.read.isSampled([round.roundId, 0n, 0n]);
    expect(checked.check).to.equal(sampled ? "todo" : "unsampled");
    if (!sampled) expect(await commitments(t.admin, round.roundId).then((l) => l.filter((e) => e.args.task === 0n))).to.have.length(0);
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
