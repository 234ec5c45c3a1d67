// The role commands end to end on a real hardhat node (issue 11): the admin enrols verifiers
// (manager committee add), they stake (npm run verifier -- stake), open-round refuses before
// sending anything a quorum the committee cannot fill, a tolerance that hides fraud, and a reward
// beyond the manager's PONAS; a round is verified (one honest claim, one inflated and slashed),
// finalised and settled, status says what each miner was paid, credited or slashed; verifiers
// see and withdraw their fees; the admin sweeps, pauses, unpauses, removes a verifier and moves
// PONAS; every refusal is one exact line. Commands run in-process (managerProgram(),
// verifierProgram() on the real chain), and once each as a child process for the exit code.
import { expect } from "chai";
import type { Command } from "commander";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { keccak256, parseUnits, stringToHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { commitAttestation, explainError, fixSeed, fmtTokens, randomSalt, revealAttestation, sendPool, sendToken, type PoolConnection } from "../chain/node.js";
import { sealFor } from "../chain/seals.js";
import { DEV_KEYS, enterWindow, fund, openTestRound, startTestChain, TOKEN, type TestChain, type TestRound } from "../chain/testing.js";
import { genomeAt } from "../nas/index.js";
import { verifierProgram } from "../verifier/cli.js";
import { managerProgram } from "./cli.js";
import { formatRound, roundView } from "./status.js";

const exec = promisify(execFile);

describe("role commands: manager committee/pause/unpause/sweep/transfer, verifier stake/unstake/fees/withdraw-fees/status", function () {
  this.timeout(300_000);
  let t: TestChain;
  let chain: string[];
  const addr = (k: Hex) => privateKeyToAccount(k).address;
  const VERIFIERS = [DEV_KEYS[5], DEV_KEYS[6], DEV_KEYS[7]];
  const OUTSIDER = DEV_KEYS[9];

  /** Runs one command of `program` in-process with `key` as $PONAS_PRIVATE_KEY: its printed lines, or its one error line. */
  async function cli(program: () => Command, args: string[], key?: Hex): Promise<{ out: string; err?: string }> {
    const lines: string[] = [];
    const log = console.log;
    const saved = process.env.PONAS_PRIVATE_KEY;
    console.log = (...a: unknown[]) => void lines.push(a.join(" "));
    if (key) process.env.PONAS_PRIVATE_KEY = key;
    else delete process.env.PONAS_PRIVATE_KEY;
    try {
      await program().parseAsync([...args, ...chain], { from: "user" });
      return { out: lines.join("\n") };
    } catch (e) {
      return { out: lines.join("\n"), err: `error: ${explainError(e)}` };
    } finally {
      console.log = log;
      if (saved === undefined) delete process.env.PONAS_PRIVATE_KEY;
      else process.env.PONAS_PRIVATE_KEY = saved;
    }
  }
  const manager = (args: string[], key: Hex = DEV_KEYS[0]) => cli(managerProgram, args, key);
  const verifier = (args: string[], key: Hex) => cli(verifierProgram, args, key);
  const nonceAndAllowance = async (c: PoolConnection) => [await c.publicClient.getTransactionCount({ address: c.account!.address }), await c.tokenContract.read.allowance([c.account!.address, c.pool])];

  before(async () => {
    t = await startTestChain("roles");
    chain = ["--rpc", t.chain.url, "--pool", t.chain.name];
    for (const k of [...VERIFIERS, OUTSIDER]) await fund(t.admin, addr(k), 2000n * TOKEN);
  });
  after(() => t?.stop());

  it("committee add enrols verifiers, verifier stake stakes them, and the refusals are one line", async () => {
    for (const k of VERIFIERS) {
      const r = await manager(["committee", "add", addr(k)]);
      expect(r.err).to.equal(undefined);
      expect(r.out).to.match(new RegExp(`^enrolled ${addr(k)} in the committee \\(tx 0x[0-9a-f]{64}\\): it verifies rounds from 1 on, once it stakes 1000 PONAS more$`));
    }
    expect((await manager(["committee", "add", addr(VERIFIERS[0])])).err).to.equal(`error: ${addr(VERIFIERS[0])} is already an active verifier of this pool's committee`);
    expect((await manager(["committee", "add", addr(DEV_KEYS[8])], OUTSIDER)).err).to.equal(
      `error: ${addr(OUTSIDER)} lacks the role DEFAULT_ADMIN_ROLE this call needs; send it from an account that holds it (the deployer's admin account holds every role; the admin may grantRole it to another) (AccessControlUnauthorizedAccount)`,
    );
    const min = await t.admin.committeeContract.read.minVerifierStake();
    expect(min).to.equal(1000n * TOKEN);
    for (const k of VERIFIERS) {
      const r = await verifier(["stake", "1500"], k);
      expect(r.out).to.match(/^staked 1500 PONAS \(tx 0x[0-9a-f]{64}\): verifier stake now 1500 PONAS$/);
      expect((await t.admin.committeeContract.read.verifierAccount([addr(k)])).stake).to.equal(1500n * TOKEN);
    }
    expect((await verifier(["stake", "5000"], VERIFIERS[0])).err).to.equal(`error: ${addr(VERIFIERS[0])} holds 500 PONAS but 5000 PONAS are needed; get more PONAS first (ERC20InsufficientBalance)`);
    expect((await verifier(["status"], VERIFIERS[0])).out).to.equal(`${addr(VERIFIERS[0])}: active from round 1, can attest; stake 1500 PONAS (minimum 1000 PONAS), fees 0 PONAS, wallet 500 PONAS`);
    const list = await manager(["committee", "list"]);
    expect(list.out.split("\n")[0]).to.equal("committee: 3 active and staked of 3 enrolled; minimum stake 1000 PONAS, penalty 100 PONAS");
  });

  it("open-round refuses, before any transaction, a quorum above the committee, a tolerance that hides fraud, and a reward beyond the manager's PONAS", async () => {
    const before = await nonceAndAllowance(t.admin);
    const open = (extra: string[]) => manager(["open-round", "--tasks", "2", "--recipe", "mnist-demo-v1", ...extra]);
    expect((await open(["--quorum", "5"])).err).to.equal(
      "error: refusing to open the round: quorum 5 is larger than the committee: 3 active verifiers hold the minimum stake, so no sampled claim could reach a verdict; enrol and stake more verifiers (npm run manager -- committee add <address>, npm run verifier -- stake <amount>) or lower --quorum",
    );
    expect((await open(["--tolerance", "10000"])).err).to.equal(
      "error: refusing to open the round: tolerance 10000 bps is at least the whole score range above the baseline (10000 − 1000 = 9000 bps), so no claim could ever be fraud; lower --tolerance to at most 1000 bps",
    );
    expect((await open(["--tolerance", "1500"])).err).to.match(/^error: refusing to open the round: tolerance 1500 bps is above 1000 bps: .*; lower --tolerance to at most 1000$/);
    const held = await t.admin.tokenContract.read.balanceOf([t.admin.account!.address]);
    const reward = held / TOKEN + 1n;
    const rich = await open(["--reward", reward.toString(), "--fee-budget", "100"]);
    expect(rich.err).to.equal(
      `error: the round needs ${fmtTokens((reward + 100n) * TOKEN)} (reward ${fmtTokens(reward * TOKEN)} + fee budget 100 PONAS) but the manager ${t.admin.account!.address} holds ${fmtTokens(held)}; lower --reward or --fee-budget, or get ${fmtTokens((reward + 100n) * TOKEN - held)} more PONAS (ERC20InsufficientBalance)`,
    );
    // the verify window too short for the randomness source: the lens's own rule, also before the approve
    expect((await open(["--verify", "16"])).err).to.match(/^error: the round parameters are invalid: the verify window must be at least 4 times the randomness source's delayBound\(\).*\(PoNASPoolInvalidParams\)$/);
    expect(await nonceAndAllowance(t.admin)).to.deep.equal(before); // nothing was sent: no approve left behind
    expect(await t.admin.poolContract.read.roundCount()).to.equal(0n);
  });

  describe("a verified round, settled", () => {
    let round: TestRound;
    const DIGESTS = [1, 2, 3].map((i) => keccak256(stringToHex(`weights ${i}`)));
    const miners: PoolConnection[] = [];

    before(async () => {
      for (const k of [DEV_KEYS[1], DEV_KEYS[2], DEV_KEYS[3]]) {
        const m = await t.connect(k);
        await fund(t.admin, m.account!.address, 100n * TOKEN);
        await sendToken(m, "approve", [m.pool, 100n * TOKEN]);
        await sendPool(m, "stake", [100n * TOKEN]);
        miners.push(m);
      }
      round = await openTestRound(t.admin, { tasks: 3, checkCommittee: true });
      const claims = [9000, 9000, 8000]; // miner 1 inflates: its re-trainings say 7000
      const salts = miners.map(() => randomSalt());
      for (const [i, m] of miners.entries()) {
        const genome = genomeAt(round.space, round.tasks[i], 0);
        await sendPool(m, "claim", [round.roundId, BigInt(i)]);
        await sendPool(m, "commit", [round.roundId, await m.poolContract.read.computeCommitment([round.roundId, BigInt(i), m.account!.address, genome, claims[i], salts[i]])]);
      }
      await enterWindow(t.admin, round, "reveal");
      for (const [i, m] of miners.entries()) {
        await sendPool(m, "reveal", [round.roundId, BigInt(i), 0n, genomeAt(round.space, round.tasks[i], 0), claims[i], salts[i], sealFor(m, round.roundId, BigInt(i), DIGESTS[i])]);
      }
      await enterWindow(t.admin, round, "verify");
      const verified = [9000, 7000, 8000];
      const vs = await Promise.all(VERIFIERS.map((k) => t.connect(k)));
      const secrets = vs.flatMap((v) => miners.map((_, i) => ({ v, a: { roundId: round.roundId, task: BigInt(i), slot: 0n, verifier: v.account!.address, scoreBps: verified[i], weightsDigest: DIGESTS[i], salt: randomSalt() } })));
      await fixSeed(t.admin, round.roundId);
      for (const { v, a } of secrets) await commitAttestation(v, a);
      await enterWindow(t.admin, round, "attest-reveal");
      for (const { v, a } of secrets) await revealAttestation(v, a);
      await enterWindow(t.admin, round, "after");
    });

    it("status shows, after settlement, what was paid, credited to stake and slashed (not a projection of 0)", async () => {
      expect((await manager(["finalize", "--round", round.roundId.toString()])).out).to.equal(`finalized round ${round.roundId}`);
      const owed = formatRound(await roundView(t.admin, round.roundId));
      expect(owed).to.match(/primary 0x\S+ revealed claims 9000 verified 9000 \[counts\] owed \d+(\.\d+)? PONAS/);
      await sendPool(miners[0], "withdraw", [round.roundId, 0n, 0n]);
      await sendPool(t.admin, "settle", [round.roundId, 1n, 0n]);
      await sendPool(miners[2], "settle", [round.roundId, 2n, 0n]);
      const v = await roundView(t.admin, round.roundId);
      const [paid, cheat, credited] = v.tasks.map((x) => x.slots[0]);
      expect(paid.paid! > 0n && credited.paid! > 0n).to.equal(true);
      const text = formatRound(v);
      expect(text).to.include(`${miners[0].account!.address} settled claims 9000 verified 9000 [counts] paid ${fmtTokens(paid.paid!)}, stake 10 PONAS released`);
      expect(text).to.include(`${miners[1].account!.address} settled claims 9000 FRAUD [counts] slashed 10 PONAS, paid 0 PONAS`);
      expect(text).to.include(`${miners[2].account!.address} settled claims 8000 verified 8000 [counts] credited ${fmtTokens(credited.paid!)} to stake, stake 10 PONAS released`);
      expect(cheat.slashed).to.equal(10n * TOKEN);
      expect(text).not.to.match(/→ 0 PONAS|owed 0 PONAS/);
    });

    it("verifiers see and withdraw their fees; a non-member and an over-unstake are refused in one line", async () => {
      const k = VERIFIERS[0];
      const acct = await t.admin.committeeContract.read.verifierAccount([addr(k)]);
      expect(acct.fees > 0n).to.equal(true); // three paid attestations and a share of the slash
      expect((await verifier(["fees"], k)).out).to.equal(`${addr(k)} has ${fmtTokens(acct.fees)} of verifier fees to withdraw (npm run verifier -- withdraw-fees)`);
      const wallet = await t.admin.tokenContract.read.balanceOf([addr(k)]);
      expect((await verifier(["withdraw-fees"], k)).out).to.equal(`withdrew ${fmtTokens(acct.fees)} of verifier fees to ${addr(k)}`);
      expect(await t.admin.tokenContract.read.balanceOf([addr(k)])).to.equal(wallet + acct.fees);
      expect((await verifier(["withdraw-fees"], OUTSIDER)).err).to.equal(
        `error: ${addr(OUTSIDER)} has no verifier fees to withdraw; fees are credited when a submission it attested is decided; see \`npm run verifier -- fees\` (VerifierCommitteeNothingToWithdraw)`,
      );
      expect((await verifier(["unstake", "1000"], k)).err).to.equal(
        `error: ${addr(k)} has 1500 PONAS of verifier stake and, as an active verifier, must keep 1000 PONAS: it can unstake at most 500 PONAS, not 1000 PONAS (removed from the committee, it may unstake all) (VerifierCommitteeStakeTooLow)`,
      );
      expect((await verifier(["unstake", "500"], k)).out).to.match(/^unstaked 500 PONAS \(tx 0x[0-9a-f]{64}\): verifier stake now 1000 PONAS$/);
    });

    it("sweep sends the round's surplus to the treasury, then says there is nothing left", async () => {
      const treasury = await t.admin.poolContract.read.treasury();
      const before = await t.admin.tokenContract.read.balanceOf([treasury]);
      const r = await manager(["sweep", "--round", round.roundId.toString()], OUTSIDER); // anyone may
      expect(r.err).to.equal(undefined);
      const after = await t.admin.tokenContract.read.balanceOf([treasury]);
      expect(after > before).to.equal(true);
      const m = /: (\S+) PONAS from the pool, (\S+) PONAS of unspent/.exec(r.out)!;
      expect(parseUnits(m[1], 18) + parseUnits(m[2], 18)).to.equal(after - before);
      expect((await manager(["sweep", "--round", round.roundId.toString()])).err).to.equal(`error: round ${round.roundId} has nothing left for the treasury to sweep (PoNASPoolNothingToSweep)`);
    });
  });

  // after the round (mocha runs a describe's own tests before its nested describes)
  describe("then the admin's and everyone's other commands", () => {
    it("pause and unpause: only the pauser, each once; the pool's state follows", async () => {
      expect((await manager(["pause"], OUTSIDER)).err).to.equal(
        `error: ${addr(OUTSIDER)} lacks the role PAUSER_ROLE this call needs; send it from an account that holds it (the deployer's admin account holds every role; the admin may grantRole it to another) (AccessControlUnauthorizedAccount)`,
      );
      expect(await t.admin.poolContract.read.paused()).to.equal(false);
      expect((await manager(["pause"])).out).to.match(new RegExp(`^paused pool ${t.admin.pool} \\(tx 0x[0-9a-f]{64}\\)$`));
      expect(await t.admin.poolContract.read.paused()).to.equal(true);
      expect((await manager(["pause"])).err).to.equal("error: the pool is already paused; unpause it with `npm run manager -- unpause` (EnforcedPause)");
      const nonce = await t.admin.publicClient.getTransactionCount({ address: t.admin.account!.address });
      expect((await manager(["open-round", "--tasks", "2", "--recipe", "mnist-demo-v1"])).err).to.equal("error: the pool is paused, so no round can open; unpause it first (npm run manager -- unpause) (EnforcedPause)");
      expect(await t.admin.publicClient.getTransactionCount({ address: t.admin.account!.address })).to.equal(nonce);
      expect((await manager(["unpause"])).out).to.match(/^unpaused pool /);
      expect(await t.admin.poolContract.read.paused()).to.equal(false);
      expect((await manager(["unpause"])).err).to.equal("error: the pool is not paused (ExpectedPause)");
    });

    it("committee remove takes a verifier out at once; it may then unstake everything", async () => {
      const k = VERIFIERS[2];
      expect((await manager(["committee", "remove", addr(k)])).out).to.match(new RegExp(`^removed ${addr(k)} from the committee \\(tx 0x[0-9a-f]{64}\\); its stake and fees stay its own to withdraw$`));
      expect((await t.admin.committeeContract.read.verifierAccount([addr(k)])).active).to.equal(false);
      expect((await manager(["committee", "remove", addr(k)])).err).to.equal(`error: ${addr(k)} is not an active verifier of this pool's committee: nothing to remove`);
      expect((await verifier(["unstake", "1500"], k)).out).to.match(/verifier stake now 0 PONAS$/);
      expect((await manager(["committee", "list"])).out.split("\n")[0]).to.equal("committee: 2 active and staked of 3 enrolled; minimum stake 1000 PONAS, penalty 100 PONAS");
    });

    it("transfer moves PONAS; more than held, or a key without ETH, is one line and sends nothing", async () => {
      const to = addr(DEV_KEYS[8]);
      const before = await t.admin.tokenContract.read.balanceOf([to]);
      expect((await manager(["transfer", to, "250"])).out).to.match(new RegExp(`^sent 250 PONAS to ${to} \\(tx 0x[0-9a-f]{64}\\)$`));
      expect(await t.admin.tokenContract.read.balanceOf([to])).to.equal(before + 250n * TOKEN);
      expect((await manager(["transfer", to, "5000"], OUTSIDER)).err).to.equal(`error: ${addr(OUTSIDER)} holds 2000 PONAS but 5000 PONAS are needed; get more PONAS first (ERC20InsufficientBalance)`);
      // a fresh key holding PONAS but no ETH: the write fails, and the line says why
      const broke = generatePrivateKey();
      await fund(t.admin, addr(broke), 10n * TOKEN);
      expect((await manager(["transfer", to, "1"], broke)).err).to.equal(
        `error: account ${addr(broke)} has no ETH to pay gas on chain 31337: fund it (send it ETH from a funded account (on a local dev chain, use one of its dev keys))`,
      );
      expect(await t.admin.tokenContract.read.balanceOf([addr(broke)])).to.equal(10n * TOKEN);
    });

    it("as child processes: npm run manager and npm run verifier exit 1 with one line on a refusal, 0 on success", async () => {
      const env = (k: Hex) => ({ ...process.env, PONAS_PRIVATE_KEY: k });
      const ok = await exec(process.execPath, ["--import", "tsx", "verifier/cli.ts", "status", ...chain], { env: env(VERIFIERS[0]) });
      expect(ok.stdout.trim()).to.match(new RegExp(`^${addr(VERIFIERS[0])}: active from round 1, can attest; stake 1000 PONAS`));
      const fail = async (script: string, args: string[], k: Hex) =>
        exec(process.execPath, ["--import", "tsx", script, ...args, ...chain], { env: env(k) }).then(
          () => {
            throw new Error("expected failure");
          },
          (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr.trim() }),
        );
      const w = await fail("verifier/cli.ts", ["withdraw-fees"], OUTSIDER);
      expect(w).to.deep.equal({ code: 1, stderr: `error: ${addr(OUTSIDER)} has no verifier fees to withdraw; fees are credited when a submission it attested is decided; see \`npm run verifier -- fees\` (VerifierCommitteeNothingToWithdraw)` });
      const p = await fail("manager/cli.ts", ["committee", "add", "0x1234"], DEV_KEYS[0]);
      expect(p).to.deep.equal({ code: 1, stderr: "error: command-argument value '0x1234' is invalid for argument 'address'. <address> must be a 0x-prefixed 20-byte address" });
    });
  });
});
