// The miner's --rounds mode and its RPC outage handling on a real chain (a hardhat node), with
// real training under mnist-demo-v1: two rounds opened one after the other, the second mined
// while the first waits to settle, and a wait (not an exit) while no round is open; then, through
// the fault proxy (ops/faultProxy.ts), ~15 s outages mid-search and while waiting for the verify
// window that cost nothing; and an outage across the reveal deadline, reported in one line, after
// which the miner settles (stake released less the no-show fee) and goes on waiting for rounds.
// Chain time is moved by the admin's direct connection, which the proxy does not stand between.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { connectPool, type PoolConnection } from "../chain/connect.js";
import { Status } from "../chain/submission.js";
import { advanceTo, DEV_KEYS, enterWindow, fund, openTestRound, startTestChain, TOKEN, waitFor, type TestChain, type TestRound } from "../chain/testing.js";
import { poNASPoolAbi } from "../deployments/index.js";
import { startFaultProxy, type FaultProxy } from "../ops/faultProxy.js";
import type { MinerEvent } from "./events.js";
import { MinerMetrics } from "./metrics.js";
import { runRounds, type RoundsOptions, type RoundsResult } from "./rounds.js";
import { NO_COMMITTEE, share, spawnMiner, writeKeyFile } from "./testing.js";

const addr = (k: Hex) => privateKeyToAccount(k).address;

interface Rounds {
  me: Address;
  events: MinerEvent[];
  lines: string[];
  metrics: MinerMetrics;
  abort: AbortController;
  done: Promise<RoundsResult>;
  error?: unknown;
}

describe("miner --rounds and RPC outages on a real chain", function () {
  this.timeout(300_000);
  let tc: TestChain;
  let proxy: FaultProxy;
  let tmp: string;
  const all: Rounds[] = [];

  before(async () => {
    tc = await startTestChain("miner-rounds");
    proxy = await startFaultProxy(tc.chain.url);
    tmp = mkdtempSync(join(tmpdir(), "miner-rounds-"));
    // two rounds at once lock two stakes (NO_COMMITTEE's stake floor is ~200k PONAS)
    await fund(tc.admin, addr(DEV_KEYS[1]), 500_000n * TOKEN);
    for (const k of DEV_KEYS.slice(2, 4)) await fund(tc.admin, addr(k), 300_000n * TOKEN);
  });
  after(async () => {
    for (const r of all) r.abort.abort();
    await proxy?.up();
    await Promise.allSettled(all.map((r) => r.done));
    await proxy?.close();
    tc?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** runRounds for `key` through `rpc` (viem's own retries off: every failure reaches the miner's). */
  async function mine(name: string, key: Hex, rpc: string, options: Partial<RoundsOptions>): Promise<Rounds> {
    const conn: PoolConnection = await connectPool({ rpc, pool: tc.chain.name, account: privateKeyToAccount(key), pollingInterval: 100, retryCount: 0 });
    const r: Rounds = { me: conn.account!.address, events: [], lines: [], metrics: new MinerMetrics(5000), abort: new AbortController(), done: undefined as never };
    r.done = runRounds(conn, {
      rounds: "all",
      pollMs: 50,
      budget: { evaluations: 1 },
      stateBase: join(tmp, name),
      rpcRetry: { firstMs: 200, maxMs: 1000 },
      signal: r.abort.signal,
      metrics: r.metrics,
      onEvent: (e) => r.events.push(e),
      onLine: (l) => r.lines.push(l),
      ...options,
    });
    r.done.catch((e) => (r.error = e));
    all.push(r);
    return r;
  }
  const until = (r: Rounds, what: string, pred: (e: MinerEvent) => boolean, timeoutMs = 120_000) =>
    waitFor(
      what,
      () => {
        if (r.error) throw r.error;
        return r.events.find(pred);
      },
      timeoutMs,
    );
  const of = (roundId: bigint) => (e: MinerEvent) => e.kind === "round" && e.roundId === roundId;
  /** The events of round `roundId`'s run: those after its "round" event (rounds do not interleave in these tests' checks). */
  const revealedLog = (roundId: bigint, miner: Address) =>
    tc.admin.publicClient.getContractEvents({ address: tc.admin.pool, abi: poNASPoolAbi, eventName: "Revealed", args: { roundId, miner }, fromBlock: 0n });
  /** floor(P·pot/ΣP) for the round's only revealed submission, or 0 when the seed drew it (see miner/testing.ts). */
  async function expectedReward(round: TestRound, miner: Address, task: number): Promise<bigint> {
    const [log] = await revealedLog(round.roundId, miner);
    const sampled = await tc.admin.lensContract.read.isSampled([round.roundId, BigInt(task), 0n]);
    return sampled ? 0n : share(log.args.p!, round.params.rewardTotal, log.args.p!);
  }

  it("--rounds 2 waits while no round is open, then mines two rounds opened one after the other, the second while the first settles", async () => {
    const m = await mine("two", DEV_KEYS[1], tc.chain.url, { rounds: 2, seed: 7 });
    await waitFor("the wait line", () => m.lines.find((l) => /no open round to claim in: waiting for round 1 to open/.test(l)));
    await new Promise((r) => setTimeout(r, 500)); // several polls with nothing open: still waiting, said once
    expect(m.error).to.equal(undefined);
    expect(m.lines.filter((l) => /waiting for round/.test(l))).to.have.length(1);

    const r1 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2 });
    await until(m, "round 1 committed", (e) => e.kind === "committed");
    await enterWindow(tc.admin, r1, "reveal");
    await until(m, "round 1 revealed", (e) => e.kind === "revealed");
    // round 1 now waits for its verify window; round 2 opens meanwhile and must not be missed
    const r2 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2 });
    await until(m, "round 2 started", of(r2.roundId));
    await waitFor("round 2's commit", () => m.events.filter((e) => e.kind === "committed").length === 2, 120_000);
    expect(m.events.some((e) => e.kind === "settled")).to.equal(false); // round 1 is still waiting
    await enterWindow(tc.admin, r1, "after");
    await until(m, "round 1 settled", (e) => e.kind === "settled");
    await enterWindow(tc.admin, r2, "reveal");
    await waitFor("round 2's reveal", () => m.events.filter((e) => e.kind === "revealed").length === 2, 120_000);
    await enterWindow(tc.admin, r2, "after");
    const res = await m.done;
    expect(res.stopped).to.equal(false);
    expect(res.skipped).to.deep.equal([]);
    expect(res.failed).to.deep.equal([]);
    expect(res.mined.map((s) => s.roundId).sort()).to.deep.equal([r1.roundId, r2.roundId]);
    for (const [round, s] of [[r1, res.mined.find((x) => x.roundId === r1.roundId)!], [r2, res.mined.find((x) => x.roundId === r2.roundId)!]] as const) {
      expect(s.revealed).to.equal(true);
      expect(s.reward).to.equal(await expectedReward(round, m.me, s.task));
      expect(s.stateDir).to.equal(join(tmp, "two", `round${round.roundId}`));
    }
    expect((await tc.admin.poolContract.read.minerAccount([m.me])).locked).to.equal(0n);
    expect(await m.metrics.roundsMined.get()).to.deep.include({ values: [{ value: 2, labels: {} }] });
  });

  it("through ~15 s RPC outages mid-search and while waiting for the verify window it still commits, reveals and is paid", async () => {
    const r3 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2 });
    const m = await mine("outage", DEV_KEYS[2], proxy.url, { rounds: 1, budget: { evaluations: 6 }, seed: 3 });
    await until(m, "the first evaluation", (e) => e.kind === "evaluated");
    await proxy.down(15_000);
    const downAt = Date.now();
    await waitFor("an rpc-retry during the outage", () => m.events.some((e) => e.kind === "rpc-retry"), 30_000);
    await waitFor("health to fail (threshold 5 s)", () => !m.metrics.health().ok, 30_000);
    const committed = await until(m, "the commit", (e) => e.kind === "committed", 120_000);
    expect(Date.now() - downAt).to.be.at.least(14_000); // committed only once the endpoint was back
    expect(committed.kind === "committed" && committed.resumed).to.equal(false);
    // the search went on through the outage: every one of its 6 evaluations, none lost
    expect(m.events.filter((e) => e.kind === "evaluated")).to.have.length(6);
    await enterWindow(tc.admin, r3, "reveal");
    await until(m, "the reveal", (e) => e.kind === "revealed");
    await until(m, "the wait for the verify window", (e) => e.kind === "waiting" && e.what === "verify end");
    const before = m.events.filter((e) => e.kind === "rpc-retry").length;
    await proxy.down(15_000);
    await enterWindow(tc.admin, r3, "after"); // verifyEnd passes while the miner cannot see it
    const res = await m.done;
    expect(m.events.filter((e) => e.kind === "rpc-retry" && e.what === "waiting for the verify window to settle").length).to.be.greaterThan(0);
    expect(m.events.filter((e) => e.kind === "rpc-retry").length).to.be.greaterThan(before);
    expect(m.events.some((e) => e.kind === "rpc-recovered")).to.equal(true);
    const [s] = res.mined;
    expect(res.mined).to.have.length(1);
    expect(s.revealed).to.equal(true);
    const sub = await tc.admin.poolContract.read.getSubmission([r3.roundId, BigInt(s.task), 0n]);
    expect(sub.status).to.equal(Status.Settled);
    expect(s.reward).to.equal(await expectedReward(r3, m.me, s.task));
    expect(s.noShowFee).to.equal(0n);
    expect((await tc.admin.poolContract.read.minerAccount([m.me])).locked).to.equal(0n);
    const rpcErrors = (await m.metrics.rpcErrors.get()).values[0].value;
    expect(rpcErrors).to.equal(m.events.filter((e) => e.kind === "rpc-retry").length);
    expect(m.metrics.health().ok).to.equal(true);
  });

  it("an outage across the reveal deadline is reported in one line; the stake is released less the no-show fee and the miner goes on", async () => {
    const r4 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2 });
    const m = await mine("missed", DEV_KEYS[3], proxy.url, { seed: 4 });
    await until(m, "the commit", (e) => e.kind === "committed");
    await until(m, "the wait for the reveal window", (e) => e.kind === "waiting" && e.what === "primary reveal window");
    await proxy.down();
    await waitFor("an rpc-retry", () => m.events.some((e) => e.kind === "rpc-retry"), 30_000);
    await advanceTo(tc.admin.publicClient, r4.params.revealEnd + 1); // the whole reveal window passes during the outage
    await proxy.up();
    const skipped = await until(m, "the reveal skipped", (e) => e.kind === "reveal-skipped");
    const missedLines = m.events.filter((e) => e.kind === "reveal-skipped" || e.kind === "commit-missed");
    expect(missedLines).to.have.length(1);
    expect(skipped.message, m.events.map((e) => `${e.kind}: ${e.message}`).join("\n")).to.match(/^not revealing: the primaries' reveal window closed at .*, after the RPC endpoint was unreachable for \d+ s \(while revealing\)$/);
    await enterWindow(tc.admin, r4, "after");
    await until(m, "the settlement", (e) => e.kind === "settled");
    // goes on: waits for the next round instead of ending
    await waitFor("the wait for round 5", () => m.lines.find((l) => new RegExp(`waiting for round ${r4.roundId + 1n} to open`).test(l)), 60_000);
    expect(m.error).to.equal(undefined);
    m.abort.abort();
    const res = await m.done;
    expect(res.stopped).to.equal(true);
    const [s] = res.mined;
    const fee = (r4.params.minStake * BigInt(r4.params.noShowBps)) / 10_000n;
    expect(s).to.include({ roundId: r4.roundId, revealed: false, reward: 0n, stakeReleased: r4.params.minStake, noShowFee: fee });
    const account = await tc.admin.poolContract.read.minerAccount([m.me]);
    expect(account.locked).to.equal(0n);
  });

  it("CLI --rounds all: a closed round is skipped in one line, it waits for the next, serves /metrics and /healthz, and SIGTERM ends it with exit 0", async () => {
    const port = 20_000 + (process.pid % 20_000);
    const key = writeKeyFile(tmp, "cli.key", DEV_KEYS[4]);
    const latest = await tc.admin.poolContract.read.roundCount(); // every round so far is past its commit window
    const m = spawnMiner(["--rpc", tc.chain.url, "--pool", tc.chain.name, "--key-file", key, "--rounds", "all", "--state-dir", join(tmp, "cli"), "--poll-ms", "50", "--metrics-port", String(port)]);
    try {
      await m.waitForLine(new RegExp(`round ${latest} skipped: round ${latest} stopped taking claims`));
      await m.waitForLine(new RegExp(`no open round to claim in: waiting for round ${latest + 1n} to open`));
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).to.match(/^ponas_miner_rounds_skipped_total 1$/m);
      expect(metrics).to.match(/^ponas_miner_current_round \d+$/m);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.include({ ok: true });
      m.proc.kill("SIGTERM");
      const { code } = await m.exited;
      expect(code, m.lines.join("\n")).to.equal(0);
      expect(m.lines.some((l) => /stopped: 0 round\(s\) mined, 1 skipped, 0 failed/.test(l))).to.equal(true);
      expect(m.lines.filter((l) => /waiting for round/.test(l))).to.have.length(1);
    } finally {
      if (m.proc.exitCode === null) m.proc.kill("SIGKILL");
    }
  });
});
