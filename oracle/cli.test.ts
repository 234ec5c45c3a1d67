// The oracle CLI as an operator runs it: a child process killed with SIGKILL in the middle of a
// training, and again between its commitments and their reveals, restarted on the same state
// directory each time, and one-line errors for bad input. The committee is two verifiers at
// quorum 3, so the round draws both for every submission (a roster no larger than the quorum is
// drawn whole) and the oracle re-trains every one; the second seals by hand and never opens its
// seals, which leaves every decision to the oracle. The pool's source is the committee's beacon
// (the default deployment): the oracle commits its secret and reveals it in its first life.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { decodeFunctionData, type Hex } from "viem";
import { beaconRandomnessAbi } from "../deployments/abi.js";
import { readBeaconSource } from "../chain/actions/beacon.js";
import type { PoolConnection } from "../chain/connect.js";
import { freePort } from "../chain/localChain.js";
import { genomeAt, subspaceSize, trainGenome } from "../nas/index.js";
import { DEV_KEYS, enterWindow, openTestRound, startTestChain, waitFor, type TestChain } from "../chain/testing.js";
import { getPoolEvents } from "../chain/actions/history.js";
import { addMiner, addVerifier, attestations, claimAndCommit, commitByHand, commitments, reveal } from "./testing.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = ["--import", "tsx", "oracle/cli.ts"];

interface Run {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Starts the CLI in its own process group (so a SIGKILL can take its training workers too). */
function startCli(args: string[], env: NodeJS.ProcessEnv = process.env, onLine?: (l: Record<string, unknown>) => void): Run {
  const proc = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const run: Run = { proc, lines: [], stderr: [], exited: new Promise((resolve) => proc.once("close", (code) => resolve(code))) }; // close: after stdout/stderr are drained
  createInterface({ input: proc.stdout! }).on("line", (text) => {
    let l: Record<string, unknown>;
    try {
      l = JSON.parse(text);
    } catch {
      l = { msg: "(not JSON)", text };
    }
    run.lines.push(l);
    if (process.env.ORACLE_TEST_LOG) console.log(text);
    onLine?.(l);
  });
  createInterface({ input: proc.stderr! }).on("line", (text) => run.stderr.push(text));
  return run;
}

/** Runs the CLI to its end: exit code and stderr lines. */
async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = startCli(args, env);
  const code = await r.exited;
  return { code, stderr: r.stderr, stdout: r.lines };
}

describe("oracle CLI", function () {
  this.timeout(240_000);
  let t: TestChain;
  let dir: string;
  let v: PoolConnection;
  let keyFile: string;
  const running: Run[] = [];

  before(async () => {
    t = await startTestChain("oracle-cli");
    dir = mkdtempSync(path.join(tmpdir(), "oracle-cli-"));
    v = await t.connect(DEV_KEYS[6]);
    await addVerifier(t.admin, v);
    keyFile = path.join(dir, "verifier.key");
    writeFileSync(keyFile, DEV_KEYS[6] + "\n", { mode: 0o600 });
  });

  after(async () => {
    for (const r of running) {
      if (r.proc.exitCode === null && r.proc.signalCode === null) {
        try {
          process.kill(-r.proc.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("killed with SIGKILL mid-training and between commit and reveal: one commitment, one reveal and one decision per submission, nothing re-trained or re-salted", async () => {
    const miners: PoolConnection[] = [];
    for (const k of DEV_KEYS.slice(7, 10)) {
      const m = await t.connect(k);
      await addMiner(t.admin, m);
      miners.push(m);
    }
    // A second verifier, enrolled before the round opens so that it is in its committee. Alone,
    // the oracle's reveal would decide each submission at once (every drawn seal open and no
    // member left to escalate to); a seal that stays shut leaves the decision for after the
    // reveal phase, this oracle's to take.
    const silent = await t.connect(DEV_KEYS[10]);
    await addVerifier(t.admin, silent);
    const round = await openTestRound(t.admin, { tasks: 3, quorum: 3 });
    expect(await t.admin.committeeContract.read.committeeSize([round.roundId])).to.equal(2n);
    // the largest architecture of each task: ~2 s of training, a wide window to kill in
    const genomes = round.tasks.map((task) => genomeAt(round.space, task, subspaceSize(round.space, task) - 1));
    const cs = [];
    for (const i of [0, 1, 2]) cs.push(await claimAndCommit(miners[i], round, i, genomes[i], 9000 - i * 100));
    await enterWindow(t.admin, round, "reveal");
    for (const i of [0, 1, 2]) await reveal(miners[i], cs[i]);
    await enterWindow(t.admin, round, "verify");
    const me = v.account!.address;
    const stateDir = path.join(dir, "state");
    const stateFile = path.join(stateDir, "state.json");
    const args = ["--rpc", t.chain.url, "--pool", t.chain.name, "--key-file", keyFile, "--state-dir", stateDir, "--poll-ms", "100"];
    const healthz = async (port: number) =>
      (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined)) as { lastBlock?: number; jobsPending?: number; committed?: number; revealed?: number } | undefined;

    // First life: back-fills from the deployment block, trains and commits one, dies while training the second.
    let trainings = 0;
    const first = startCli(args, process.env, (l) => {
      if (l.msg === "training" && ++trainings === 2) process.kill(-first.proc.pid!, "SIGKILL");
    });
    running.push(first);
    await first.exited;
    expect(first.proc.signalCode, `stderr: ${first.stderr.join("\n")}`).to.equal("SIGKILL");
    expect(first.lines.filter((l) => l.msg === "training")).to.have.length(2);
    expect(first.lines.some((l) => l.msg === "trained" && l.round === Number(round.roundId) && l.task === first.lines.filter((x) => x.msg === "training")[1].task)).to.equal(false);
    const before = await commitments(t.admin, round.roundId, me);
    expect(before, "committed before the kill").to.have.length(1);
    const firstSeal = JSON.parse(readFileSync(stateFile, "utf8")).seals[`${round.roundId}/${before[0].args.task}/0`];
    expect(firstSeal, "the seal is on disk").to.include.keys("scoreBps", "weightsDigest", "salt");
    expect(JSON.stringify(first.lines)).not.to.contain(DEV_KEYS[6].slice(2)); // the key is never logged
    expect(JSON.stringify(first.lines)).not.to.contain(firstSeal.salt.slice(2)); // nor a salt
    // the round drew both verifiers for every submission (after the oracle fixed the seed: its
    // fixSampleSeed calls are counted below); the second one seals each now and never opens it
    for (const i of [0, 1, 2]) {
      expect(await t.admin.committeeContract.read.isDrawn([round.roundId, BigInt(i), 0n, me]), `task ${i}`).to.equal(true);
      await commitByHand(silent, round.roundId, i, 9000 - i * 100);
    }

    // Second life: same state directory; must train and commit exactly the two that are left, then
    // is killed again, sealed but not yet revealed.
    const port = await freePort();
    const second = startCli([...args, "--metrics-port", String(port)]);
    running.push(second);
    await waitFor("all three commitments", async () => (await commitments(t.admin, round.roundId, me)).length >= 3, 120_000);
    const lastCommit = Math.max(...(await commitments(t.admin, round.roundId, me)).map((e) => Number(e.blockNumber)));
    await waitFor("the oracle to finish its jobs and read its last commitment's block", async () => {
      const body = await healthz(port);
      return body?.jobsPending === 0 && body.committed === 3 && (body.lastBlock ?? -1) >= lastCommit;
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(/^ponas_oracle_commits_total 2$/m);
    expect(metrics).to.match(/^ponas_oracle_training_seconds_count 2$/m);
    expect(metrics).to.match(/^ponas_oracle_attestations_total 0$/m); // sealed: nothing revealed in the commit phase
    process.kill(-second.proc.pid!, "SIGKILL");
    await second.exited;
    const retrained = second.lines.filter((l) => l.msg === "training").map((l) => l.task);
    expect(retrained).to.have.length(2);
    expect(retrained).not.to.include(Number(before[0].args.task));
    const seals = JSON.parse(readFileSync(stateFile, "utf8")).seals as Record<string, { scoreBps: number; weightsDigest: Hex; salt: Hex }>;
    expect(Object.keys(seals).sort()).to.deep.equal([0, 1, 2].map((i) => `${round.roundId}/${i}/0`));
    expect(seals[`${round.roundId}/${before[0].args.task}/0`]).to.deep.equal(firstSeal); // the first life's salt, not a new one

    // Third life, in the reveal phase: opens the three seals from state.json without training, and
    // after the reveal phase decides them (one reveal of the quorum's three: Undecided; with no
    // member left undrawn there is no escalation to wait for).
    await enterWindow(t.admin, round, "attest-reveal");
    const undecided = () => getPoolEvents(t.admin, { eventName: "Undecided", args: { roundId: round.roundId } });
    const port3 = await freePort();
    const third = startCli([...args, "--metrics-port", String(port3)]);
    running.push(third);
    await waitFor("three reveals", async () => (await attestations(t.admin, round.roundId, me)).length >= 3, 60_000);
    await waitFor("the oracle to see its reveals", async () => (await healthz(port3))?.revealed === 3);
    expect(await undecided(), "no reveal decided anything: the second verifier's seals are still shut").to.have.length(0);
    await enterWindow(t.admin, round, "attest-decide");
    await waitFor("three decisions", async () => (await undecided()).length >= 3, 60_000);
    // the seals left shut are penalised; the oracle's, revealed without a verdict, are not
    const penalised = await getPoolEvents(t.admin, { eventName: "Penalised", args: { roundId: round.roundId } });
    expect(penalised.map((e) => [Number(e.args.task), e.args.verifier]).sort()).to.deep.equal([0, 1, 2].map((i) => [i, silent.account!.address]));
    const lastDecide = Math.max(...(await undecided()).map((e) => Number(e.blockNumber)));
    await waitFor("the oracle to read its last decision's block", async () => ((await healthz(port3))?.lastBlock ?? -1) >= lastDecide);
    const m3 = await (await fetch(`http://127.0.0.1:${port3}/metrics`)).text();
    expect(m3).to.match(/^ponas_oracle_attestations_total 3$/m);
    expect(m3).to.match(/^ponas_oracle_decisions_total 3$/m);
    expect(m3).to.match(/^ponas_oracle_training_seconds_count 0$/m);
    expect((await fetch(`http://127.0.0.1:${port3}/healthz`)).status).to.equal(200);
    process.kill(third.proc.pid!, "SIGTERM");
    expect(await third.exited, `stderr: ${third.stderr.join("\n")}`).to.equal(0);
    expect(third.lines.filter((l) => l.msg === "training")).to.have.length(0);
    expect(third.lines.some((l) => l.msg === "oracle stopped")).to.equal(true);

    // Exactly one reveal per submission from this verifier, each with the engine's score and weights hash.
    const all = await attestations(t.admin, round.roundId, me);
    expect(all.map((e) => Number(e.args.task)).sort()).to.deep.equal([0, 1, 2]);
    for (const e of all) {
      const ref = await trainGenome(round.space, genomes[Number(e.args.task)], round.recipe, { backend: "wasm" });
      expect(Number(e.args.scoreBps), `task ${e.args.task}`).to.equal(ref.scoreBps);
      expect(e.args.weightsDigest, `task ${e.args.task}`).to.equal(ref.weightsHash);
    }
    // …and no transaction of this verifier ever reverted or was sent twice (simulate-then-send).
    const pc = t.admin.publicClient;
    const source = (await readBeaconSource(t.admin))!.toLowerCase();
    const beaconCalls: string[] = [];
    const names: string[] = [];
    for (let b = BigInt(t.chain.deployment.deploymentBlock); b <= (await pc.getBlockNumber()); b++) {
      const block = await pc.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) {
        const to = tx.to?.toLowerCase();
        if (tx.from.toLowerCase() === me.toLowerCase() && to === source) {
          expect((await pc.getTransactionReceipt({ hash: tx.hash })).status).to.equal("success");
          beaconCalls.push(decodeFunctionData({ abi: beaconRandomnessAbi, data: tx.input as Hex }).functionName);
        }
        if (tx.from.toLowerCase() !== me.toLowerCase() || (to !== t.admin.pool.toLowerCase() && to !== t.admin.committee.toLowerCase())) continue;
        expect((await pc.getTransactionReceipt({ hash: tx.hash })).status).to.equal("success");
        const abi = to === t.admin.pool.toLowerCase() ? t.admin.poolContract.abi : t.admin.committeeContract.abi;
        names.push(decodeFunctionData({ abi, data: tx.input as Hex }).functionName);
      }
    }
    for (const f of ["commitAttestation", "revealAttestation", "decide"]) expect(names.filter((n) => n === f), f).to.have.length(3);
    // one beacon secret committed (before its first fixSampleSeed: the request closes the commits) and revealed, over three lives
    expect(beaconCalls).to.deep.equal(["commit", "reveal"]);
    // fixSampleSeed: the request, then once more per block until the inner source delivered
    // (FutureBlockRandomness, 2 blocks), and once after the oracle's beacon reveal
    const others = names.filter((n) => !["commitAttestation", "revealAttestation", "decide", "stakeVerifier"].includes(n));
    expect(others.length).to.be.within(1, 5);
    expect(new Set(others)).to.deep.equal(new Set(["fixSampleSeed"]));

    // The state on disk: where to resume, and the round that is still open with its seals.
    const state = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(Number(state.lastBlock)).to.be.at.least(lastDecide);
    expect(Object.keys(state.rounds)).to.include(String(round.roundId));
    expect(state.pendingTx).to.deep.equal({});
    expect(state.version).to.equal(3);
    expect(state.beaconSecrets).to.have.property(String(round.roundId)); // until the round's verify window ends
  });

  it("bad input ends it with exit code 1 and one line on stderr", async () => {
    const base = ["--rpc", t.chain.url, "--pool", t.chain.name, "--state-dir", path.join(dir, "bad")];
    const noKeyEnv = { ...process.env, PONAS_PRIVATE_KEY: "" };
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [[...base, "--key-file", keyFile, "--backend", "quantum"], noKeyEnv, /^error: option '--backend <name>' argument 'quantum' is invalid\. unknown backend "quantum": use one of wasm, cpu, node, gpu, auto$/],
      [[...base, "--key-file", keyFile, "--challenge", "sometimes"], noKeyEnv, /^error: option '--challenge <policy>' argument 'sometimes' is invalid\. unknown challenge policy/],
      [[...base, "--key-file", keyFile, "--workers", "0"], noKeyEnv, /^error: option '--workers <n>' argument '0' is invalid\. --workers must be an integer in 1\.\.256$/],
      [base, noKeyEnv, /^error: no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY$/],
      [[...base, "--key-file", path.join(dir, "missing.key")], noKeyEnv, /^error: cannot read key file .*missing\.key: ENOENT; pass --key-file <path> or set PONAS_PRIVATE_KEY$/],
      [["--rpc", "http://127.0.0.1:1", "--pool", t.chain.name, "--key-file", keyFile], noKeyEnv, /^error: cannot reach the RPC endpoint http:\/\/127\.0\.0\.1:1\/: is the node running/],
      // a funded dev key the admin never made a verifier; the key may come from the environment
      [base, { ...process.env, PONAS_PRIVATE_KEY: DEV_KEYS[11] }, /^error: 0x[0-9a-fA-F]{40} is not an active verifier of pool 0x[0-9a-fA-F]{40}; ask the pool admin to call setVerifier/],
    ];
    const results = await Promise.all(cases.map(([args, env]) => runCli(args, env)));
    results.forEach((r, i) => {
      expect(r.code, `case ${i}: ${r.stderr.join("\n")}`).to.equal(1);
      expect(r.stderr, `case ${i}`).to.have.length(1);
      expect(r.stderr[0], `case ${i}`).to.match(cases[i][2]);
    });
  });
});
