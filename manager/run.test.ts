// `manager run` (run.ts) against a real hardhat node: the config file's one-line refusals; a
// bounded run that opens rounds back to back (the next once the latest commit window closed),
// finalises them, settles the claim a no-show left unsettled (its stake unlocked, less the
// no-show fee) and sweeps everything left to the treasury, to the token; a restart on the same
// state dir that opens nothing twice; and the CLI killed with SIGKILL right after opening a round
// and started again, which opens no second round until the first one's commit window closes.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { sendPool } from "../chain/node.js";
import { genomeAt, managerPartition, partitionCost, spaceId } from "../nas/index.js";
import { advanceTo, DEV_KEYS, startTestChain, TOKEN, waitFor, type TestChain, type TestRound } from "../chain/testing.js";
import { addMiner, addVerifier, captureLogs, claimAndCommit } from "../oracle/testing.js";
import { spawnCli } from "../ops/spawn.js";
import { writeKeyFile } from "../miner/testing.js";
import { parseRunConfig, PoolManagerRun, roundOptionsOf, type RunConfig } from "./run.js";

const CONFIG = {
  round: { tasks: 2, recipe: "mnist-demo-v1", reward: "100", feeBudget: "10", verifierFee: "1", minStake: "10", commitSeconds: 600, revealSeconds: 600, verifySeconds: 3600, sampleBps: 10_000, topK: 0, maxBackups: 0 },
  schedule: { settleAfterSeconds: 600 },
};

describe("manager run", function () {
  this.timeout(300_000);
  let t: TestChain;
  let dir: string;

  before(async () => {
    t = await startTestChain("manager-run");
    dir = mkdtempSync(path.join(tmpdir(), "manager-run-"));
    // openRound refuses a quorum larger than the committee's staked members: three of them
    for (const k of [DEV_KEYS[6], DEV_KEYS[7], DEV_KEYS[8]]) await addVerifier(t.admin, await t.connect(k));
  });
  after(() => {
    t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a config file field by field, in one line that names the field", () => {
    const bad = (raw: unknown) => {
      try {
        parseRunConfig(raw, "config x.json");
      } catch (e) {
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(bad({ round: { tasks: 2, reward: 1000 } })).to.equal('config x.json: round.reward: must be a token amount as a string, like "1000" or "0.5"; fix the file (docs/operations.md lists every field)');
    expect(bad({ round: { tasks: 0 } })).to.match(/^config x\.json: round\.tasks: Number must be greater than or equal to 1; /);
    expect(bad({ round: { tasks: 2, quorom: 3 } })).to.match(/^config x\.json: round: Unrecognized key\(s\) in object: 'quorom'; /);
    expect(bad({ round: { tasks: 2 }, schedule: { rounds: -1 } })).to.match(/^config x\.json: schedule\.rounds: /);
    expect(bad({})).to.match(/^config x\.json: round: Required; /);
    // what is left out is the manager's defaults
    const ok = parseRunConfig({ round: { tasks: 3 } });
    expect(roundOptionsOf(ok.round)).to.include({ tasks: 3, quorum: 3, noShowBps: 2000, sampleBps: 5000, reward: "1000" });
    expect(ok.schedule).to.deep.equal({ gapSeconds: 0, sweep: true });
  });

  it("refuses to open a round that breaks a property (quorum 5 of a 3-member committee): said once, nothing sent, tried again each tick", async () => {
    const logs = captureLogs({ role: "manager" });
    const m = new PoolManagerRun(t.admin, parseRunConfig({ ...CONFIG, round: { ...CONFIG.round, quorum: 5 } }), { stateDir: path.join(dir, "refused"), rounds: 1, logger: logs.logger });
    const nonce = await t.admin.publicClient.getTransactionCount({ address: t.admin.account!.address });
    for (let i = 0; i < 3; i++) expect((await m.tick()).opened).to.equal(undefined);
    expect(await t.admin.publicClient.getTransactionCount({ address: t.admin.account!.address }), "no approve, no openRound").to.equal(nonce);
    expect(await t.admin.poolContract.read.roundCount()).to.equal(0n);
    const refused = logs.find("not opening a round");
    expect(refused, "logged once, not every tick").to.have.length(1);
    expect(String(refused[0].reason)).to.match(/quorum 5/);
    expect(await m.metrics.openRefused.get()).to.have.nested.property("values[0].value", 3);
  });

  it("opens rounds back to back, finalises them, settles a no-show's claim and sweeps the rest to the treasury; a restart opens nothing twice", async () => {
    const config: RunConfig = parseRunConfig(CONFIG);
    const stateDir = path.join(dir, "ticks");
    const logs = captureLogs({ role: "manager" });
    const runner = () => new PoolManagerRun(t.admin, config, { stateDir, rounds: 2, logger: logs.logger });
    const pool = t.admin.poolContract;
    // a treasury of its own: the admin's balance also moves with what it funds
    const treasury = privateKeyToAccount(DEV_KEYS[9]).address;
    await sendPool(t.admin, "setTreasury", [treasury]);
    const balance = (a: `0x${string}`) => t.admin.tokenContract.read.balanceOf([a]);
    const treasuryBefore = await balance(treasury);

    const m = runner();
    const first = await m.tick();
    expect(first.opened).to.equal(1n);
    expect((await m.tick()).opened, "the commit window of round 1 is open").to.equal(undefined);
    // a restarted manager (same state dir) reads the chain and opens nothing either
    expect((await runner().tick()).opened).to.equal(undefined);
    expect(await pool.read.roundCount()).to.equal(1n);

    // a miner claims task 0 of round 1 and commits, then never reveals: a no-show
    const miner = await t.connect(DEV_KEYS[3]);
    await addMiner(t.admin, miner, 100n * TOKEN);
    const p1 = await pool.read.getRound([1n]);
    const round1 = { roundId: 1n, params: p1 } as TestRound;
    const space = roundOptionsOf(config.round).space;
    const task0 = await pool.read.getTask([1n, 0n]);
    await claimAndCommit(miner, round1, 0, genomeAt(space, { mask: task0.mask, value: task0.value, size: 0 } as never, 0), 5000);

    await advanceTo(t.admin.publicClient, BigInt(p1.commitEnd) + 1n);
    expect((await runner().tick()).opened, "round 2 opens once round 1's claims are closed").to.equal(2n);
    expect((await m.tick()).opened, "two rounds asked for").to.equal(undefined);
    expect(await pool.read.roundCount()).to.equal(2n);
    // the default round: the cell space on Fashion-MNIST, with a fresh partition each round
    const p2open = await pool.read.getRound([2n]);
    expect(p2open.spaceId).to.equal(spaceId(space));
    expect(space.name).to.equal("fashion-cell-v1");
    const tasksOf = async (id: bigint) => {
      const n = (await pool.read.getRoundState([id])).taskCount;
      const out: string[] = [];
      for (let i = 0n; i < BigInt(n); i++) {
        const t = await pool.read.getTask([id, i]);
        out.push(t.mask + t.value);
      }
      return out;
    };
    const seeds = logs.find("round opened").map((l) => l.partitionSeed as number);
    expect(seeds).to.have.length(2);
    expect(seeds[0]).to.not.equal(seeds[1]);
    for (const [i, seed] of seeds.entries()) {
      const expected = managerPartition(space, 2, partitionCost(space, "time"), seed).tasks.map((t) => t.mask + t.value);
      expect(await tasksOf(BigInt(i + 1)), `round ${i + 1} is the partition of its seed`).to.deep.equal(expected);
    }

    // round 1 ends: finalised at once, its unsettled claim left to the miner for settleAfterSeconds
    await advanceTo(t.admin.publicClient, BigInt(p1.verifyEnd) + 1n);
    const ended = await m.tick();
    expect(ended.finalized).to.deep.equal([1n]);
    expect(ended.settled).to.equal(0);
    expect(ended.closed).to.deep.equal([]);
    expect((await pool.read.minerAccount([miner.account!.address])).locked).to.equal(10n * TOKEN);

    await advanceTo(t.admin.publicClient, BigInt(p1.verifyEnd) + 601n);
    const late = await m.tick();
    expect(late.settled).to.equal(1);
    expect(late.closed).to.deep.equal([1n]);
    const account = await pool.read.minerAccount([miner.account!.address]);
    expect(account.locked, "no stake stays locked").to.equal(0n);
    expect(account.balance, "the no-show fee: 20% of the 10 PONAS stake").to.equal(98n * TOKEN);
    // the whole pot (nobody delivered), the unspent fee budget and the fine
    expect(await balance(treasury)).to.equal(treasuryBefore + 100n * TOKEN + 10n * TOKEN + 2n * TOKEN);
    expect(late.done).to.equal(false);

    const p2 = await pool.read.getRound([2n]);
    await advanceTo(t.admin.publicClient, BigInt(p2.verifyEnd) + 601n);
    const last = await m.tick();
    expect(last.finalized).to.deep.equal([2n]);
    expect(last.closed).to.deep.equal([2n]);
    expect(last.done).to.equal(true);
    expect(await balance(treasury)).to.equal(treasuryBefore + 2n * 110n * TOKEN + 2n * TOKEN);
    // run() of a finished bounded run returns at once, and a pass over closed rounds sends nothing
    const nonce = await t.admin.publicClient.getTransactionCount({ address: t.admin.account!.address });
    await runner().run();
    expect(await t.admin.publicClient.getTransactionCount({ address: t.admin.account!.address })).to.equal(nonce);
    expect(logs.find("round opened")).to.have.length(2);
    expect(logs.find("settled a submission its miner left unsettled")).to.have.length(1);
  });

  it("the CLI: a bad config is one line; killed with SIGKILL after opening a round and started again, it opens no second round until the first one's claims close", async () => {
    const missing = spawnCli("manager/cli.ts", ["run", "--config", path.join(dir, "nope.json"), "--rpc", t.chain.url, "--pool", t.chain.name]);
    expect((await missing.exited).code).to.equal(1);
    expect(missing.stderr.join("\n")).to.match(/^error: cannot read the config file .*nope\.json \(ENOENT\); pass --config <path to a JSON file>$/);

    const file = path.join(dir, "run.json");
    writeFileSync(file, JSON.stringify(CONFIG));
    const key = writeKeyFile(dir, "manager.key", DEV_KEYS[0]);
    const args = ["run", "--config", file, "--rpc", t.chain.url, "--pool", t.chain.name, "--key-file", key, "--state-dir", path.join(dir, "cli"), "--poll-ms", "200"];
    const before = await t.admin.poolContract.read.roundCount();
    const a = spawnCli("manager/cli.ts", args);
    await a.waitForLine(/"msg":"round opened"/);
    a.proc.kill("SIGKILL");
    await a.exited;
    expect(await t.admin.poolContract.read.roundCount()).to.equal(before + 1n);

    const b = spawnCli("manager/cli.ts", args);
    try {
      // many ticks of the restarted manager while the new round takes claims
      await new Promise((r) => setTimeout(r, 4000));
      expect(await t.admin.poolContract.read.roundCount(), b.lines.join("\n")).to.equal(before + 1n);
      const p = await t.admin.poolContract.read.getRound([before + 1n]);
      await advanceTo(t.admin.publicClient, BigInt(p.commitEnd) + 1n);
      await waitFor("the next round", async () => (await t.admin.poolContract.read.roundCount()) === before + 2n, 60_000);
    } finally {
      b.proc.kill("SIGTERM");
    }
    expect((await b.exited).code).to.equal(0);
  });
});
