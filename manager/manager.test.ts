import { expect } from "chai";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { formatUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { connectPool, DEV_KEYS, explainError, latestRound, openRound, ROUND_DEFAULTS, sendToken, setCommitteeMember, stakeAsVerifier, startLocalChain, type LocalChain, type PoolConnection, type RoundOptions } from "../chain/node.js";
import { deploymentFile } from "../deployments/index.js";
import { arities, defaultSpace, recipeId, resolveRecipe, spaceId } from "../nas/index.js";
import { formatRound, roundView } from "./status.js";

const run = promisify(execFile);

describe("pool manager", function () {
  this.timeout(240_000);
  let chain: LocalChain;
  let c: PoolConnection;
  const space = defaultSpace();
  const recipe = resolveRecipe("mnist-demo-v1");
  const options = (over: Partial<RoundOptions> = {}): RoundOptions => ({ ...ROUND_DEFAULTS, space, recipe, tasks: 6, ...over });

  before(async () => {
    chain = await startLocalChain({ name: `local-manager-${process.pid}` });
    c = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[0]) });
    // openRound refuses a quorum the committee cannot fill (chain/roundRules.ts): five staked
    // verifiers, enough for the CLI test's --quorum 5
    const min = await c.committeeContract.read.minVerifierStake();
    for (const k of DEV_KEYS.slice(5, 10)) {
      const v = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(k) });
      await sendToken(c, "transfer", [v.account!.address, min]);
      await setCommitteeMember(c, v.account!.address, true);
      await stakeAsVerifier(v, min);
    }
  });
  after(() => {
    chain?.stop();
    if (chain) rmSync(deploymentFile(chain.name), { force: true });
  });

  it("opens a funded round over a cost-balanced partition, at the contract's stake floor", async () => {
    const before = await c.tokenContract.read.balanceOf([c.account!.address]);
    const r = await openRound(c, options());
    expect(r.roundId).to.equal(1n);
    expect(r.tasks.length).to.be.at.least(6);
    const p = await c.poolContract.read.getRound([r.roundId]);
    expect(p.spaceId).to.equal(spaceId(space));
    expect(p.recipeId).to.equal(recipeId(recipe));
    expect(p.arities).to.equal(arities(space));
    expect(p.minStake).to.equal(r.minStake);
    // the floor is the contract's: R(1 − p)/(p(K + 1)(1 − s)) = 1000 · 0.5 / (0.5 · 4 · 0.5) = 500 tokens
    expect(formatUnits(r.minStake, 18)).to.equal("500");
    expect([p.quorum, p.noShowBps]).to.deep.equal([ROUND_DEFAULTS.quorum, ROUND_DEFAULTS.noShowBps]);
    const s = await c.poolContract.read.getRoundState([r.roundId]);
    expect(s.taskCount).to.equal(r.tasks.length);
    const after = await c.tokenContract.read.balanceOf([c.account!.address]);
    expect(before - after).to.equal(1100n * 10n ** 18n); // reward 1000 + fee budget 100
    for (let t = 0; t < r.tasks.length; t++) {
      const task = await c.poolContract.read.getTask([r.roundId, BigInt(t)]);
      expect(task.mask).to.equal(r.tasks[t].mask);
      expect(task.value).to.equal(r.tasks[t].value);
    }
  });

  it("refuses a stake below the contract's floor with the floor in the message", async () => {
    let err: unknown;
    await openRound(c, options({ minStake: "10" })).catch((e) => (err = e));
    expect(explainError(err)).to.match(/^the minimum stake 10 PONAS is below 500 PONAS, the least that makes a false claim lose money on average .*; raise the minimum stake, .* \(PoNASPoolUnsafeStake\)$/);
  });

  it("reports the round's phase and tasks in words", async () => {
    const id = await latestRound(c);
    const v = await roundView(c, id);
    expect(v.phase).to.equal("claim");
    expect(v.tasks.length).to.be.at.least(6);
    expect(v.tasks.every((t) => t.slots.length === 0)).to.equal(true);
    const text = formatRound(v);
    expect(text).to.match(/round 1: claim/);
    expect(text).to.match(/pot 1000 PONAS .*, forfeited to treasury 0 PONAS/);
    expect(text).to.match(/task 0: .*blocks?.* — unclaimed|task 0: .* — unclaimed/);
  });

  it("CLI: open-round prints the tasks; status works; bad input exits 1 with one line", async () => {
    const key = { ...process.env, PONAS_PRIVATE_KEY: DEV_KEYS[0] };
    const cli = ["--import", "tsx", "manager/cli.ts"];
    const out = await run(process.execPath, [...cli, "open-round", "--rpc", chain.url, "--pool", chain.name, "--tasks", "3", "--recipe", "mnist-demo-v1", "--no-show-bps", "1500", "--quorum", "5"], { env: key });
    expect(out.stdout).to.match(/opened round 2 .*: \d+ tasks, cost imbalance/);
    expect(await c.poolContract.read.getRound([2n])).to.include({ noShowBps: 1500, quorum: 5 });
    expect(out.stdout).to.match(/task 0: .* \(\d+ architectures\)/);
    const st = await run(process.execPath, [...cli, "status", "--rpc", chain.url, "--pool", chain.name]);
    expect(st.stdout).to.match(/^round 2: claim/);
    const fail = async (args: string[], env = process.env) => {
      try {
        await run(process.execPath, [...cli, ...args], { env });
      } catch (e) {
        const err = e as { code: number; stderr: string };
        return { code: err.code, stderr: err.stderr.trim() };
      }
      throw new Error("expected failure");
    };
    const noKey = await fail(["open-round", "--rpc", chain.url, "--pool", chain.name, "--tasks", "3"], { ...process.env, PONAS_PRIVATE_KEY: "" });
    expect(noKey.code).to.equal(1);
    expect(noKey.stderr).to.equal("error: no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY");
    const badTasks = await fail(["open-round", "--rpc", chain.url, "--tasks", "zero"], key);
    expect(badTasks.stderr).to.match(/--tasks must be an integer in 1..10000/);
    const evenQuorum = await fail(["open-round", "--rpc", chain.url, "--tasks", "3", "--quorum", "4"], key);
    expect(evenQuorum.stderr).to.match(/^error: option '--quorum <n>' argument '4' is invalid\. --quorum must be odd \(3, 5, 7 or 9\): no single verifier decides$/);
    const early = await fail(["finalize", "--rpc", chain.url, "--pool", chain.name], key);
    expect(early.stderr.split("\n")).to.have.length(1);
    expect(early.stderr).to.match(/^error: round 2 is verified after .* \(PoNASPoolNotInVerifyWindow\)|^error: .*PoNASPoolVerifyWindowOpen/);
  });
});
