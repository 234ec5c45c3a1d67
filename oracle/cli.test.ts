// The oracle CLI as an operator runs it: a child process killed with SIGKILL in the middle of a
// training and restarted on the same state directory, and one-line errors for bad input.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { decodeFunctionData, type Hex } from "viem";
import type { PoolConnection } from "../chain/connect.js";
import { freePort } from "../chain/localChain.js";
import { genomeAt, subspaceSize, trainGenome } from "../nas/index.js";
import { DEV_KEYS, enterWindow, openTestRound, startTestChain, waitFor, type TestChain } from "../chain/testing.js";
import { addMiner, addVerifier, attestations, claimAndCommit, reveal } from "./testing.js";

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

  it("killed with SIGKILL mid-training and restarted: one attestation per submission, none missed, nothing re-trained twice", async () => {
    const miners: PoolConnection[] = [];
    for (const k of DEV_KEYS.slice(7, 10)) {
      const m = await t.connect(k);
      await addMiner(t.admin, m);
      miners.push(m);
    }
    // quorum 3 with one verifier: nothing becomes final, so only this oracle's own record stops a second attestation
    const round = await openTestRound(t.admin, { tasks: 3, quorum: 3 });
    // the largest architecture of each task: ~2 s of training, a wide window to kill in
    const genomes = round.tasks.map((task) => genomeAt(round.space, task, subspaceSize(round.space, task) - 1));
    const cs = [];
    for (const i of [0, 1, 2]) cs.push(await claimAndCommit(miners[i], round, i, genomes[i], 9000 - i * 100));
    await enterWindow(t.admin, round, "reveal");
    for (const i of [0, 1, 2]) await reveal(miners[i], cs[i]);
    await enterWindow(t.admin, round, "verify");
    const me = v.account!.address;
    const stateDir = path.join(dir, "state");
    const args = ["--rpc", t.chain.url, "--pool", t.chain.name, "--key-file", keyFile, "--state-dir", stateDir, "--poll-ms", "100"];

    // First life: back-fills from the deployment block, attests one, dies while training the second.
    let trainings = 0;
    const first = startCli(args, process.env, (l) => {
      if (l.msg === "training" && ++trainings === 2) process.kill(-first.proc.pid!, "SIGKILL");
    });
    running.push(first);
    await first.exited;
    expect(first.proc.signalCode, `stderr: ${first.stderr.join("\n")}`).to.equal("SIGKILL");
    expect(first.lines.filter((l) => l.msg === "training")).to.have.length(2);
    expect(first.lines.some((l) => l.msg === "trained" && l.round === Number(round.roundId) && l.task === first.lines.filter((x) => x.msg === "training")[1].task)).to.equal(false);
    const before = await attestations(t.admin, round.roundId, me);
    expect(before, "attested before the kill").to.have.length(1);
    expect(JSON.stringify(first.lines)).not.to.contain(DEV_KEYS[6].slice(2)); // the key is never logged

    // Second life: same state directory; must pick up exactly the two that are left.
    const port = await freePort();
    const second = startCli([...args, "--metrics-port", String(port)]);
    running.push(second);
    await waitFor("all three attestations", async () => (await attestations(t.admin, round.roundId, me)).length >= 3, 120_000);
    // The attestation is mined before the oracle has handled its receipt (and counted it), and read the block it is in:
    // wait for both before reading its metrics and stopping it, so the saved lastBlock can be checked below.
    const lastAttest = Math.max(...(await attestations(t.admin, round.roundId, me)).map((e) => Number(e.blockNumber)));
    await waitFor("the oracle to finish its jobs and read its last attestation's block", async () => {
      const body = (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined)) as { lastBlock?: number; jobsPending?: number } | undefined;
      return body?.jobsPending === 0 && (body.lastBlock ?? -1) >= lastAttest;
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).to.match(/^ponas_oracle_attestations_total 2$/m);
    expect(metrics).to.match(/^ponas_oracle_training_seconds_count 2$/m);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
    process.kill(second.proc.pid!, "SIGTERM");
    expect(await second.exited, `stderr: ${second.stderr.join("\n")}`).to.equal(0);
    const retrained = second.lines.filter((l) => l.msg === "training").map((l) => l.task);
    expect(retrained).to.have.length(2);
    expect(retrained).not.to.include(Number(before[0].args.task));
    expect(second.lines.some((l) => l.msg === "oracle stopped")).to.equal(true);

    // Exactly one attestation per submission from this verifier, each with the engine's score.
    const all = await attestations(t.admin, round.roundId, me);
    expect(all.map((e) => Number(e.args.task)).sort()).to.deep.equal([0, 1, 2]);
    for (const e of all) {
      const ref = await trainGenome(round.space, genomes[Number(e.args.task)], round.recipe, { backend: "wasm" });
      expect(Number(e.args.scoreBps), `task ${e.args.task}`).to.equal(ref.scoreBps);
    }
    // …and no transaction of this verifier ever reverted or attested twice (simulate-then-send).
    const pc = t.admin.publicClient;
    const names: string[] = [];
    for (let b = BigInt(t.chain.deployment.deploymentBlock); b <= (await pc.getBlockNumber()); b++) {
      const block = await pc.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) {
        const to = tx.to?.toLowerCase();
        if (tx.from.toLowerCase() !== me.toLowerCase() || (to !== t.admin.pool.toLowerCase() && to !== t.admin.committee.toLowerCase())) continue;
        expect((await pc.getTransactionReceipt({ hash: tx.hash })).status).to.equal("success");
        const abi = to === t.admin.pool.toLowerCase() ? t.admin.poolContract.abi : t.admin.committeeContract.abi;
        names.push(decodeFunctionData({ abi, data: tx.input as Hex }).functionName);
      }
    }
    expect(names.filter((n) => n === "attest")).to.have.length(3);
    // fixSampleSeed: the request, then once more per block until the source delivered (FutureBlockRandomness, 2 blocks)
    const others = names.filter((n) => n !== "attest" && n !== "stakeVerifier");
    expect(others.length).to.be.within(1, 4);
    expect(new Set(others)).to.deep.equal(new Set(["fixSampleSeed"]));

    // The state on disk: where to resume, and the round that is still open.
    const state = JSON.parse(readFileSync(path.join(stateDir, "state.json"), "utf8"));
    expect(Number(state.lastBlock)).to.be.at.least(Number(all[all.length - 1].blockNumber));
    expect(Object.keys(state.rounds)).to.include(String(round.roundId));
    expect(state.pendingTx).to.deep.equal({});
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
