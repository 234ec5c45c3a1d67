// The miner against a real chain (a hardhat node with the pool deployed): whole rounds driven by
// moving chain time between windows, with real training under mnist-demo-v1 (a few evaluations
// per miner). Round 1 runs six miners in-process: an honest primary, an inflating cheater, a
// drop-out, its backup (which also shows the chain-time commit deadline) and a backup of a primary
// that delivers. Round 2 runs the CLI, killed with SIGKILL mid-search, after committing and after
// revealing. Then the errors a user can cause and a claim that missed its commit (a no-show, fined),
// and a pause over the reveal window (the miner waits for the unpause and reveals in the moved window).
// Payouts are exact: see testing.ts for why the rounds need no verifier committee.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { PoolConnection } from "../chain/connect.js";
import { explainError } from "../chain/errors.js";
import { Status } from "../chain/submission.js";
import { weightsSeal } from "../chain/seals.js";
import { deploymentFile, poNASPoolAbi } from "../deployments/index.js";
import { createStrategy, defaultSpace, inSubspace, resolveRecipe, runSearch, trainGenome, type Subspace } from "../nas/index.js";
import { sendPool } from "../chain/actions/send.js";
import { claimFirst } from "./claim.js";
import { MinerError } from "./errors.js";
import type { MinerEvent, MinerEventKind } from "./events.js";
import { runMiner, type MinerSummary } from "./miner.js";
import type { MinerOptions } from "./options.js";
import { trainer } from "./search.js";
import { ensureStake } from "./stake.js";
import { checkpointFile, loadState, saveState } from "./state.js";
import { advanceTo, DEV_KEYS, enterWindow, fund, openTestRound, startTestChain, TEST_RECIPE, TOKEN, waitFor, type TestChain, type TestRound } from "../chain/testing.js";
import { NO_COMMITTEE, share, spawnMiner, writeKeyFile } from "./testing.js";

const space = defaultSpace();
const recipe = resolveRecipe(TEST_RECIPE);
const addr = (k: Hex) => privateKeyToAccount(k).address;
const history = (dir: string) => JSON.parse(readFileSync(checkpointFile(dir), "utf8")).history as { genome: Hex; evaluation: { scoreBps: number; seconds: number } }[];

interface Running {
  conn: PoolConnection;
  me: Address;
  events: MinerEvent[];
  stateDir: string;
  done: Promise<MinerSummary>;
  error?: unknown;
}

describe("miner on a real chain", function () {
  this.timeout(300_000);
  let tc: TestChain;
  let tmp: string;
  const stop = new AbortController();

  before(async () => {
    tc = await startTestChain("miner");
    tmp = mkdtempSync(join(tmpdir(), "miner-test-"));
    for (const k of [...DEV_KEYS.slice(1, 9), DEV_KEYS[10]]) await fund(tc.admin, addr(k), 300_000n * TOKEN); // DEV_KEYS[9] stays without tokens
  });
  after(() => {
    stop.abort(); // in-process miners of a failed test stop polling
    tc?.stop();
    rmSync(deploymentFile(`local-miner-wrong-${process.pid}`), { force: true });
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function start(name: string, key: Hex, options: MinerOptions): Promise<Running> {
    const conn = await tc.connect(key);
    const r: Running = { conn, me: conn.account!.address, events: [], stateDir: join(tmp, name), done: undefined as never };
    r.done = runMiner(conn, { pollMs: 50, stateDir: r.stateDir, signal: stop.signal, onEvent: (e) => r.events.push(e), ...options });
    r.done.catch((e) => (r.error = e));
    return r;
  }
  const until = <K extends MinerEventKind>(r: Running, kind: K) =>
    waitFor(
      `a "${kind}" event`,
      () => {
        if (r.error) throw r.error;
        return r.events.find((e) => e.kind === kind) as Extract<MinerEvent, { kind: K }> | undefined;
      },
      120_000,
    );
  const logs = <N extends "Revealed" | "Committed" | "ActiveChanged" | "RoundFinalized" | "Withdrawn">(eventName: N, args: Record<string, unknown>) =>
    tc.admin.publicClient.getContractEvents({ address: tc.admin.pool, abi: poNASPoolAbi, eventName, args: args as never, fromBlock: 0n });
  const sub = (roundId: bigint, task: number, slot = 0) => tc.admin.poolContract.read.getSubmission([roundId, BigInt(task), BigInt(slot)]);

  describe("round 1: primaries, a cheater, a drop-out and its backup (in-process)", () => {
    let r1: TestRound;
    let A: Running, B: Running, D: Running, E: Running, F: Running;
    const taskOf = (r: Running) => (r.events.find((e) => e.kind === "claimed") as { task: number }).task;
    const subspaceOf = (r: Running): Subspace => r1.tasks[taskOf(r)];

    before(async () => {
      r1 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 3, baselineBps: 1000 });
    });

    it("claims the first free task, searches it and commits its best with a persisted secret salt", async () => {
      A = await start("A", DEV_KEYS[1], { round: r1.roundId, budget: { evaluations: 3 }, seed: 1 });
      const committed = await until(A, "committed");
      const task = taskOf(A);
      expect(task).to.equal(0);
      expect((await sub(r1.roundId, task)).miner).to.equal(A.me);
      expect((await tc.admin.poolContract.read.minerAccount([A.me])).locked).to.equal(r1.params.minStake);
      const h = history(A.stateDir);
      expect(h).to.have.length(3);
      expect(h.every((e) => inSubspace(e.genome, r1.tasks[task]))).to.equal(true);
      const best = h.reduce((a, b) => (b.evaluation.scoreBps > a.evaluation.scoreBps ? b : a));
      const state = loadState(A.stateDir)!;
      expect(state.commit!.genome).to.equal(best.genome);
      expect(state.commit!.claimedBps).to.equal(best.evaluation.scoreBps);
      expect(state.commit!.salt).to.match(/^0x[0-9a-f]{64}$/);
      const expected = await tc.admin.poolContract.read.computeCommitment([r1.roundId, BigInt(task), A.me, best.genome, best.evaluation.scoreBps, state.commit!.salt]);
      expect(committed.commitment).to.equal(expected);
      expect(await logs("Committed", { roundId: r1.roundId, miner: A.me, commitment: expected })).to.have.length(1);
    });

    it("a second miner with --task auto takes another task; --inflate commits its best + 300 bps", async () => {
      B = await start("B", DEV_KEYS[2], { round: r1.roundId, budget: { evaluations: 2 }, seed: 2, inflateBps: 300 });
      await until(B, "committed");
      expect(taskOf(B)).to.equal(1);
      const best = Math.max(...history(B.stateDir).map((e) => e.evaluation.scoreBps));
      const state = loadState(B.stateDir)!;
      expect(state.commit!.bestScoreBps).to.equal(best);
      expect(state.commit!.claimedBps).to.equal(Math.min(10_000, best + 300));
    });

    it("--drop-out claims and commits, then stops without revealing", async () => {
      D = await start("D", DEV_KEYS[3], { round: r1.roundId, budget: { evaluations: 1 }, seed: 3, dropOut: true });
      const s = await D.done;
      expect(s.droppedOut).to.equal(true);
      expect(s.revealed).to.equal(false);
      expect(s.task).to.equal(2);
      expect(await logs("Committed", { roundId: r1.roundId, miner: D.me })).to.have.length(1);
    });

    it("with every task taken another primary fails in one line, before staking anything", async () => {
      const conn = await tc.connect(DEV_KEYS[6]);
      let err: unknown;
      await runMiner(conn, { round: r1.roundId, stateDir: join(tmp, "none"), signal: stop.signal }).catch((e) => (err = e));
      expect(err).to.be.instanceOf(MinerError);
      expect(explainError(err)).to.match(/^every task of round \d+ already has a primary miner .*; run with --backup .*$/);
      expect((await tc.admin.poolContract.read.minerAccount([conn.account!.address])).balance).to.equal(0n);
    });

    it("--backup --task auto joins the first task that takes backups (the first primary's)", async () => {
      F = await start("F", DEV_KEYS[10], { round: r1.roundId, backup: true, budget: { evaluations: 1 }, seed: 6 });
      await until(F, "committed");
      expect(taskOf(F)).to.equal(taskOf(A));
      expect((await sub(r1.roundId, taskOf(A), 1)).miner).to.equal(F.me);
    });

    it("a backup joins the drop-out's task and stops searching at commitEnd − margin by chain time", async () => {
      E = await start("E", DEV_KEYS[4], { round: r1.roundId, backup: true, task: taskOf(D), budget: { evaluations: 50 }, commitMarginSeconds: 120, seed: 4, settle: true });
      await until(E, "evaluated");
      await advanceTo(tc.admin.publicClient, r1.params.commitEnd - 100); // inside the margin: the next deadline check stops the search
      // what it had evaluated when the block landed; it may finish the one evaluation under way, no more
      const evaluatedBefore = E.events.filter((e) => e.kind === "evaluated").length;
      const committed = await until(E, "committed");
      const stopped = E.events.find((e) => e.kind === "search-stop") as Extract<MinerEvent, { kind: "search-stop" }>;
      expect(stopped.reason).to.equal("deadline");
      expect(stopped.evaluations).to.be.within(1, evaluatedBefore + 1);
      expect(stopped.evaluations).to.be.below(50);
      expect((await sub(r1.roundId, taskOf(D), 1)).miner).to.equal(E.me);
      const [log] = await logs("Committed", { roundId: r1.roundId, miner: E.me, commitment: committed.commitment });
      const block = await tc.admin.publicClient.getBlock({ blockNumber: log.blockNumber });
      expect(block.timestamp <= BigInt(r1.params.commitEnd)).to.equal(true);
    });

    it("primaries reveal after commitEnd exactly what they committed, with the score trainGenome gives", async () => {
      await enterWindow(tc.admin, r1, "reveal");
      await until(A, "revealed");
      await until(B, "revealed");
      for (const [m, inflate] of [[A, 0], [B, 300]] as const) {
        const [log] = await logs("Revealed", { roundId: r1.roundId, miner: m.me });
        const genome = log.args.genome!;
        expect(inSubspace(genome, subspaceOf(m))).to.equal(true);
        const trained = await trainGenome(space, genome, recipe, { backend: "wasm" });
        expect(Number(log.args.claimedBps)).to.equal(Math.min(10_000, trained.scoreBps + inflate));
        // and seal the digest of the weights that training left (bit-exact on wasm): what a
        // verifier's re-training yields opens it on chain, a made-up digest does not
        const seal = weightsSeal({ chainId: tc.admin.chain.id, pool: tc.admin.pool, roundId: r1.roundId, task: log.args.task!, miner: m.me, weightsDigest: trained.weightsHash! });
        expect(log.args.weightsSeal).to.equal(seal);
        const opens = (d: Hex) => tc.admin.poolContract.read.weightsSealOpens([r1.roundId, log.args.task!, log.args.slot!, d]);
        expect(await opens(trained.weightsHash!)).to.equal(true);
        expect(await opens(keccak256(toHex("made-up weights")))).to.equal(false);
        // Revealed.p is the pool's payout rule applied to the claim (RewardMath.paidScore, the contract
        // tests' subject); the payouts below follow from it
      }
      expect((await sub(r1.roundId, taskOf(D))).status).to.equal(Status.Claimed); // the drop-out never reveals
      expect(E.events.some((e) => e.kind === "revealed")).to.equal(false); // the backup waits for its half
    });

    it("the backup reveals in the second half only because the primary did not deliver", async () => {
      await enterWindow(tc.admin, r1, "backup-reveal");
      await until(E, "revealed");
      const [changed] = await logs("ActiveChanged", { roundId: r1.roundId, task: BigInt(taskOf(D)) });
      expect(changed.args.slot).to.equal(1n);
      // the backup of a primary that delivered stopped waiting as soon as it did, and never reveals
      expect((await until(F, "reveal-skipped")).message).to.match(/the task was delivered/);
      expect(await logs("Revealed", { roundId: r1.roundId, miner: F.me })).to.have.length(0);
      expect(await logs("Revealed", { roundId: r1.roundId, miner: D.me })).to.have.length(0);
      expect((await sub(r1.roundId, taskOf(D))).status).to.equal(Status.Claimed);
    });

    it("after verifyEnd the round is finalized once and each miner gets exactly floor(P·pot/ΣP)", async () => {
      const tokens = (a: Address) => tc.admin.tokenContract.read.balanceOf([a]);
      const before = { A: await tokens(A.me), B: await tokens(B.me), E: await tokens(E.me), Estake: (await tc.admin.poolContract.read.minerAccount([E.me])).balance };
      await enterWindow(tc.admin, r1, "after");
      const [sa, sb, se, sf] = await Promise.all([A.done, B.done, E.done, F.done]);
      // F backed up a primary that delivered: it held the slot for nothing it owed, so no no-show fee
      expect(sf).to.include({ revealed: false, reward: 0n, stakeReleased: r1.params.minStake, noShowFee: 0n });
      const finalized = await logs("RoundFinalized", { roundId: r1.roundId });
      expect(finalized).to.have.length(1);
      const revealed = await logs("Revealed", { roundId: r1.roundId });
      expect(revealed).to.have.length(3);
      // no committee verifies anything here, so each counting submission keeps the P its reveal gave it
      const P = new Map(revealed.map((l) => [l.args.miner!, l.args.p!]));
      const sumP = [...P.values()].reduce((a, b) => a + b, 0n);
      expect(finalized[0].args.sumP).to.equal(sumP);
      expect(finalized[0].args.pot).to.equal(r1.params.rewardTotal);
      let paid = 0n;
      for (const [m, s] of [[A, sa], [B, sb], [E, se]] as const) {
        const sampled = await tc.admin.lensContract.read.isSampled([r1.roundId, BigInt(s.task), BigInt(s.slot)]);
        const expected = sampled ? 0n : share(P.get(m.me)!, r1.params.rewardTotal, sumP);
        expect(s.reward, `reward of task ${s.task}`).to.equal(expected);
        expect(s.revealed).to.equal(true);
        expect((await tc.admin.poolContract.read.minerAccount([m.me])).locked).to.equal(0n);
        paid += expected;
      }
      expect(paid > 0n).to.equal(true);
      expect((await tokens(A.me)) - before.A).to.equal(sa.reward);
      expect((await tokens(B.me)) - before.B).to.equal(sb.reward);
      // --settle: credited to the stake, no token transfer
      expect(await tokens(E.me)).to.equal(before.E);
      expect((await tc.admin.poolContract.read.minerAccount([E.me])).balance - before.Estake).to.equal(se.reward);
    });
  });

  describe("round 2: the CLI, killed with SIGKILL and restarted", () => {
    let r2: TestRound;
    let args: string[];
    let dir: string;
    let running: ReturnType<typeof spawnMiner> | undefined;
    before(async () => {
      r2 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2 });
      dir = join(tmp, "C");
      const key = writeKeyFile(tmp, "c.key", DEV_KEYS[5]);
      args = ["--rpc", tc.chain.url, "--pool", tc.chain.name, "--key-file", key, "--round", String(r2.roundId), "--budget", "3", "--seed", "42", "--state-dir", dir, "--poll-ms", "50"];
    });
    after(() => {
      if (running?.proc.exitCode === null) running.proc.kill("SIGKILL");
    });

    it("resumes a search killed mid-way without redoing evaluations, and ends like an uninterrupted one", async () => {
      const first = (running = spawnMiner(args));
      await first.waitForLine(/evaluation 1\/3/);
      first.proc.kill("SIGKILL");
      expect((await first.exited).signal).to.equal("SIGKILL");
      const saved = history(dir);
      expect(saved.length).to.be.within(1, 2);
      const k = saved.length;

      const second = (running = spawnMiner(args));
      await second.waitForLine(/committed \d+ bps/);
      expect(second.lines.some((l) => l.includes(`resuming search: ${k} evaluation(s) restored`))).to.equal(true);
      const evaluated = second.lines.map((l) => /evaluation (\d+)\/3/.exec(l)?.[1]).filter(Boolean).map(Number);
      expect(evaluated).to.deep.equal([k + 1, k + 2, k + 3].slice(0, 3 - k));
      expect(second.lines.some((l) => /already holds task \d+/.test(l))).to.equal(true); // no second claim
      const final = history(dir);
      expect(final).to.have.length(3);
      expect(final.slice(0, k)).to.deep.equal(saved);

      // the same search, never interrupted, in this process
      const task = loadState(dir)!.task!;
      const straight = await runSearch(createStrategy("evolution"), trainer(space, recipe, "wasm"), { space, subspace: r2.tasks[task], seed: 42, maxEvaluations: 3 });
      expect(final.map((h) => [h.genome, h.evaluation.scoreBps])).to.deep.equal(straight.history.map((h) => [h.genome, h.evaluation.scoreBps]));
      expect(loadState(dir)!.commit!.genome).to.equal(straight.best!.genome);
    });

    it("killed after sending its commit but before recording it, it finds the commit on chain and does not send another", async () => {
      const second = running!;
      await second.waitForLine(/waiting for the reveal window/);
      second.proc.kill("SIGKILL");
      await second.exited;
      const me = addr(DEV_KEYS[5]);
      const [log] = await logs("Committed", { roundId: r2.roundId, miner: me });
      const state = loadState(dir)!;
      expect(state.commit!.txHash).to.equal(log.transactionHash);
      delete state.commit!.txHash; // as if killed between the transaction and the state write
      saveState(dir, state);
      const third = (running = spawnMiner(args));
      await third.waitForLine(new RegExp(`found this miner's commit on chain \\(tx ${log.transactionHash}\\)`));
      await third.waitForLine(/waiting for the reveal window/);
      expect(await logs("Committed", { roundId: r2.roundId, miner: me })).to.have.length(1);
      expect(loadState(dir)!.commit!.txHash).to.equal(log.transactionHash);
      expect(history(dir)).to.have.length(3); // and no search either
    });

    it("restarted after its reveal, it does not reveal again and collects P/ΣP·pot", async () => {
      const waiting = running!;
      await enterWindow(tc.admin, r2, "reveal");
      await waiting.waitForLine(/: revealed /);
      waiting.proc.kill("SIGKILL");
      await waiting.exited;
      const third = (running = spawnMiner(args));
      await third.waitForLine(/already revealed \d+ bps/);
      await enterWindow(tc.admin, r2, "after");
      const { code } = await third.exited;
      expect(code, third.lines.join("\n")).to.equal(0);
      const me = addr(DEV_KEYS[5]);
      expect(await logs("Revealed", { roundId: r2.roundId, miner: me })).to.have.length(1);
      const [w] = await logs("Withdrawn", { roundId: r2.roundId, miner: me });
      const state = loadState(dir)!;
      const [revealedLog] = await logs("Revealed", { roundId: r2.roundId, miner: me });
      const p = revealedLog.args.p!; // the pool's P for the claim (no verification here)
      const sampled = await tc.admin.lensContract.read.isSampled([r2.roundId, BigInt(state.task!), 0n]);
      expect(w.args.reward).to.equal(sampled ? 0n : share(p, r2.params.rewardTotal, p)); // the only counting submission
      const summary = third.stdout.join("\n");
      expect(summary).to.match(new RegExp(`summary: round ${r2.roundId}, task ${state.task} \\(primary\\)`));
      expect(summary).to.contain(`claimed:      ${state.commit!.claimedBps} bps`);
      expect(summary).to.match(/reward: +10 PONAS \(withdrawn\)|reward: +0 PONAS/);
    });
  });

  describe("errors a user can cause", () => {
    let r3: TestRound;
    before(async () => {
      r3 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2 });
    });

    it("CLI: bad key file, wrong network, unknown pool, no tokens: exit 1 with one line, no stack trace", async () => {
      const wrong = `local-miner-wrong-${process.pid}`;
      writeFileSync(deploymentFile(wrong), JSON.stringify({ ...tc.chain.deployment, network: wrong, chainId: 11155111 }));
      const base = ["--rpc", tc.chain.url, "--round", String(r3.roundId), "--state-dir", join(tmp, "err")];
      const goodKey = writeKeyFile(tmp, "poor.key", DEV_KEYS[9]);
      const cases: [string[], RegExp][] = [
        [[...base, "--pool", tc.chain.name, "--key-file", join(tmp, "missing.key")], /^error: cannot read key file .*missing\.key: ENOENT; pass --key-file <path> or set PONAS_PRIVATE_KEY$/],
        [[...base, "--pool", wrong, "--key-file", goodKey], /^error: wrong network: deployment "local-miner-wrong-\d+" is on chain 11155111, but .* is chain 31337; point --rpc at chain 11155111$/],
        [[...base, "--pool", "nosuchnet", "--key-file", goodKey], /^error: --pool "nosuchnet" is neither an address nor a known deployment: .*run `npx hardhat run scripts\/deploy.ts --network nosuchnet` first$/],
        [[...base, "--pool", tc.chain.name, "--key-file", goodKey], /^error: not enough tokens: 0x[0-9a-fA-F]{40} holds 0 PONAS but must stake [\d.]+ PONAS .*; transfer PONAS to 0x[0-9a-fA-F]{40} and run again$/],
      ];
      // two at a time: the machine has two cores
      for (let i = 0; i < cases.length; i += 2) {
        const batch = cases.slice(i, i + 2).map(([a]) => spawnMiner(a));
        await Promise.all(batch.map((m) => m.exited));
        batch.forEach((m, j) => {
          const [, re] = cases[i + j];
          // progress lines may precede it; the error itself is the last line, alone, no stack
          const errors = m.lines.filter((l) => l.startsWith("error:"));
          expect(errors, m.lines.join("\n")).to.have.length(1);
          expect(m.lines.filter((l) => l.trim() !== "").at(-1)).to.equal(errors[0]);
          expect(errors[0]).to.match(re);
          expect(m.lines.some((l) => /^\s+at /.test(l))).to.equal(false);
          expect(m.proc.exitCode).to.equal(1);
        });
      }
    });

    it("in-process: a passed deadline, an unknown recipe id and a taken task are one-line MinerErrors", async () => {
      let n = 0;
      const fail = async (key: Hex, options: MinerOptions) => {
        const conn = await tc.connect(key);
        try {
          await runMiner(conn, { stateDir: join(tmp, `fail-${n++}`), signal: stop.signal, ...options });
        } catch (e) {
          return explainError(e);
        }
        throw new Error("expected the miner to fail");
      };
      expect(await fail(DEV_KEYS[7], { round: 1n })).to.match(/^round 1 stopped taking claims at .* \(chain time; deadline passed\); wait for the next round/);

      const r4 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2, recipe: { ...recipe, name: "no such recipe" } });
      expect(await fail(DEV_KEYS[7], { round: r4.roundId })).to.match(/^round \d+ trains with recipe 0x[0-9a-f]{64}, an unknown recipe id for this miner; update the miner/);

      // a claim race: task 0 goes to miner 8; miner 7, trying tasks [0, 1], falls back to task 1
      const c8 = await tc.connect(DEV_KEYS[8]);
      const c7 = await tc.connect(DEV_KEYS[7]);
      await ensureStake(c8, r3.params.minStake);
      await ensureStake(c7, r3.params.minStake);
      expect(await claimFirst(c8, r3.roundId, [0])).to.deep.equal({ task: 0, slot: 0 });
      expect(await claimFirst(c7, r3.roundId, [0, 1])).to.deep.equal({ task: 1, slot: 0 });
      expect(await fail(DEV_KEYS[6], { round: r3.roundId, task: 0 })).to.match(/^task 0 of round \d+ already has a primary miner \(0x[0-9a-fA-F]{40}\); pick another task or --task auto \(PoNASPoolTaskTaken\)$/);
      expect(await fail(DEV_KEYS[6], { round: r3.roundId, task: 7 })).to.match(new RegExp(`^round \\d+ has no task 7: its tasks are 0\\.\\.${r3.tasks.length - 1}`));
    });

    it("a claim whose commit window closed is not abandoned: no commit, no reveal, and the stake is released after verifyEnd, less the no-show fee", async () => {
      // miner 8 claimed task 0 of round 3 above and never committed
      await enterWindow(tc.admin, r3, "reveal");
      const balanceBefore = (await tc.admin.poolContract.read.minerAccount([addr(DEV_KEYS[8])])).balance;
      const m = await start("late", DEV_KEYS[8], { round: r3.roundId, budget: { evaluations: 1 } });
      const missed = await until(m, "commit-missed");
      expect(missed.message).to.match(/commit window closed before the search was done \(deadline passed/);
      await enterWindow(tc.admin, r3, "after");
      const s = await m.done;
      // a primary that delivered nothing pays noShowBps of its stake to the treasury
      const fee = (r3.params.minStake * BigInt(r3.params.noShowBps)) / 10_000n;
      expect(fee > 0n).to.equal(true);
      expect(s).to.include({ task: 0, genome: null, revealed: false, reward: 0n, stakeReleased: r3.params.minStake, noShowFee: fee, evaluations: 0 });
      expect(m.events.find((e) => e.kind === "settled")!.message).to.match(/less a no-show fee of [\d.]+ PONAS to the treasury/);
      const account = await tc.admin.poolContract.read.minerAccount([m.me]);
      expect(account.locked).to.equal(0n);
      expect(account.balance).to.equal(balanceBefore - fee);
    });
  });

  describe("a pause over the reveal window", () => {
    it("a reveal refused while paused waits for the unpause and reveals in the extended window: no no-show", async () => {
      const r5 = await openTestRound(tc.admin, { ...NO_COMMITTEE, tasks: 2 });
      const m = await start("paused", DEV_KEYS[6], { round: r5.roundId, budget: { evaluations: 1 } });
      await until(m, "committed");
      await sendPool(tc.admin, "pause", []);
      await enterWindow(tc.admin, r5, "reveal"); // the old window opens while the pool is paused
      await waitFor("the miner to wait for the unpause", () => m.events.find((e) => e.kind === "waiting" && e.what === "unpause"));
      await sendPool(tc.admin, "unpause", []);
      const [moved] = await tc.admin.publicClient.getContractEvents({ address: tc.admin.pool, abi: poNASPoolAbi, eventName: "WindowsExtended", args: { roundId: r5.roundId }, fromBlock: 0n });
      expect(moved.args.by! > 0n).to.equal(true);
      const p = await tc.admin.poolContract.read.getRound([r5.roundId]);
      expect(p.commitEnd).to.be.above(r5.params.commitEnd); // the commit window had not passed when the pause began
      await waitFor("the miner to see the extended window", () => m.events.find((e) => e.kind === "waiting" && e.what === "extended reveal window"));
      await advanceTo(tc.admin.publicClient, p.commitEnd + 1);
      await until(m, "revealed");
      expect(m.events.some((e) => e.kind === "reveal-skipped")).to.equal(false);
      await advanceTo(tc.admin.publicClient, p.verifyEnd + 1);
      const s = await m.done;
      expect(s).to.include({ revealed: true, noShowFee: 0n });
    });
  });
});
