// End to end: the built app (`next start`) against a hardhat node with the pool deployed and a
// round seeded through the real contracts, driven by playwright-core in Debian Chromium with an
// injected EIP-1193 test wallet (a dev account the node has unlocked). Connect, stake, claim and
// see the task change state, a claim that reverts with its decoded reason, join another task as a
// backup, the round run to the end (commits, reveals, sealed attestations committed and revealed
// with the verifiers page in between, a fraud that is slashed, finalize), withdraw
// and see the balance change (the backup's stake released), unstake (over-limit refused before
// sending), the audit page ✓ for every miner, a wallet on the wrong chain asked to switch; the
// mine page's "run the miner" command and deadlines after a claim; a verifier withdrawing its fees
// and staking/unstaking on the verifiers page; Connect without any wallet; /api/rpc refusing
// everything but reads (batches too); `npm run app:start` bound to 127.0.0.1 unless
// PONAS_APP_HOST says otherwise. Screenshots of each page in reports/screenshots/.
import { spawn, type ChildProcess } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { formatUnits, getAddress, keccak256, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { PoolConnection } from "../../chain/connect.js";
import { freePort } from "../../chain/localChain.js";
import { fixSeed } from "../../chain/actions/finalize.js";
import { sealFor } from "../../chain/seals.js";
import { commitAttestation, randomSalt, revealAttestation, type AttestationSecret } from "../../chain/actions/attest.js";
import { DEV_KEYS, enterWindow, fund, mined, openTestRound, startTestChain, TOKEN, txFrom, waitFor, type TestChain, type TestRound } from "../../chain/testing.js";
import { genomeAt } from "../../nas/index.js";
import { minerProgram } from "../../miner/cli.js";
import { NO_WALLET } from "../src/lib/noWallet.js";
import { READ_METHODS } from "../src/lib/rpcAllowlist.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SHOTS = path.join(ROOT, "reports", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * The test wallet: answers account/chain requests (switching chains like a real one), stubs
 * permissions, and sends the rest (eth_sendTransaction included: the node has the dev accounts
 * unlocked) over its own connection to the node, as a real wallet does: `window.__ponasNode`, a
 * playwright binding to the test's chain (walletBridge). Never through the app's /api/rpc, which
 * refuses writes.
 */
function walletScript(address: Address, chainId: number): string {
  return `(() => {
    const address = ${JSON.stringify(address)};
    let chainId = "0x" + (${chainId}).toString(16);
    let id = 0;
    const listeners = {};
    const forward = async (method, params) => {
      const j = JSON.parse(await window.__ponasNode(JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] })));
      if (j.error) { const e = new Error(j.error.message); e.code = j.error.code; e.data = j.error.data; throw e; }
      return j.result;
    };
    window.ethereum = {
      isMetaMask: false,
      async request({ method, params }) {
        switch (method) {
          case "eth_requestAccounts": case "eth_accounts": return [address];
          case "eth_chainId": return chainId;
          case "net_version": return String(Number(chainId));
          case "wallet_requestPermissions": case "wallet_getPermissions": return [{ parentCapability: "eth_accounts" }];
          case "wallet_revokePermissions": return null;
          case "wallet_switchEthereumChain":
            chainId = params[0].chainId;
            setTimeout(() => (listeners.chainChanged ?? []).forEach((fn) => fn(chainId)));
            return null;
          default: return forward(method, params);
        }
      },
      on(ev, fn) { (listeners[ev] ??= []).push(fn); },
      removeListener(ev, fn) { listeners[ev] = (listeners[ev] ?? []).filter((f) => f !== fn); },
    };
  })();`;
}

/** The test wallet's line to the node (walletScript's window.__ponasNode). */
async function walletBridge(ctx: BrowserContext, rpc: string): Promise<void> {
  await ctx.exposeBinding("__ponasNode", async (_source, body: string) => (await fetch(rpc, { method: "POST", headers: { "content-type": "application/json" }, body })).text());
}

/** `npm run app:start -- -p <port>` (the script users run), in its own process group; extra env on top of the test's. */
function startApp(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn("npm", ["run", "--silent", "app:start", "--", "-p", String(port)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"], detached: true });
}

function stopApp(p: ChildProcess | undefined): void {
  if (p?.pid && p.exitCode === null) {
    try {
      process.kill(-p.pid, "SIGTERM"); // npm, its shell, next start and its next-server child
    } catch {
      // gone
    }
  }
}

/** Whether a TCP connection to host:port is accepted (false: refused). */
const accepts = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const sock = tcpConnect({ host, port });
    sock.once("connect", () => (sock.destroy(), resolve(true)));
    sock.once("error", () => resolve(false));
  });

/** How the pages print a chain time (lib/format.ts fmtTime). */
const fmtTime = (unix: number): string => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(unix * 1000)) + " UTC";
const shownTokens = (wei: bigint): string => `${new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 }).format(Number(formatUnits(wei, 18)))} PONAS`;

describe("web app end to end (next start + Chromium + hardhat node)", function () {
  this.timeout(240_000);
  let t: TestChain;
  let round: TestRound;
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base: string;
  let userDir: string;
  let port: number;
  /** Every JSON-RPC method the main browser's pages sent to /api/rpc. */
  const proxied = new Set<string>();
  const miners: Record<string, PoolConnection> = {};
  const verifiers: PoolConnection[] = [];
  const W = privateKeyToAccount(DEV_KEYS[5]).address;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    if (!existsSync(path.join(ROOT, "app", ".next", "BUILD_ID"))) throw new Error("the app is not built: npm run app:build");
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestChain("app-e2e");
    const admin = t.admin;
    // verifiers DEV_KEYS[8..10] (a quorum of three); miners A = DEV_KEYS[1], B = DEV_KEYS[2] (cheats), W = DEV_KEYS[5] (the browser)
    const minV = await admin.committeeContract.read.minVerifierStake();
    for (const key of [DEV_KEYS[8], DEV_KEYS[9], DEV_KEYS[10]]) {
      const v = await t.connect(key);
      verifiers.push(v);
      await fund(admin, v.account!.address, 1000n * TOKEN);
      await mined(admin, await admin.committeeContract.write.setVerifier([v.account!.address, true], txFrom(admin)));
      await mined(v, await v.tokenContract.write.approve([v.committee, minV], txFrom(v)));
      await mined(v, await v.committeeContract.write.stakeVerifier([minV], txFrom(v)));
    }
    round = await openTestRound(admin, { tasks: 3, maxBackups: 1 });
    for (const [name, key] of [["A", DEV_KEYS[1]], ["B", DEV_KEYS[2]]] as const) {
      const m = await t.connect(key);
      miners[name] = m;
      await fund(admin, m.account!.address, 1000n * TOKEN);
      await mined(m, await m.tokenContract.write.approve([m.pool, 50n * TOKEN], txFrom(m)));
      await mined(m, await m.poolContract.write.stake([50n * TOKEN], txFrom(m)));
    }
    await mined(miners.A, await miners.A.poolContract.write.claim([round.roundId, 0n], txFrom(miners.A)));
    await mined(miners.B, await miners.B.poolContract.write.claim([round.roundId, 1n], txFrom(miners.B)));
    miners.W = await t.connect(DEV_KEYS[5]);
    await fund(admin, W, 100n * TOKEN);

    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // the default host: no PONAS_APP_HOST; the mine page's miner command uses PONAS_RPC
    server = startApp(port, { PONAS_APP_HOST: undefined, PONAS_PUBLIC_RPC: undefined, PONAS_DEPLOYMENT: t.chain.name, PONAS_RPC: t.chain.url });
    await waitFor("the app server", async () => (await fetch(base).catch(() => undefined))?.ok, 60_000, 250);
    userDir = mkdtempSync(path.join(tmpdir(), "ponas-e2e-chromium-"));
    context = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, args: FLAGS, viewport: { width: 1280, height: 800 } });
    await walletBridge(context, t.chain.url);
    await context.addInitScript(walletScript(W, t.chain.deployment.chainId));
    context.on("request", (req) => {
      if (!req.url().endsWith("/api/rpc")) return;
      const body = JSON.parse(req.postData() ?? "null") as { method?: string } | { method?: string }[];
      for (const c of Array.isArray(body) ? body : [body]) if (c?.method) proxied.add(c.method);
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context?.close().catch(() => {});
    stopApp(server);
    if (userDir) rmSync(userDir, { recursive: true, force: true });
    t?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  it("shows the round on the dashboard in read-only mode, subspaces in words", async () => {
    await page.goto(`${base}/`);
    await page.getByTestId("phase").filter({ hasText: "commit" }).waitFor();
    await page.getByTestId("task-0").getByText(/claimed/).waitFor();
    expect(await page.getByText("Read-only mode").count()).to.equal(1);
    // the NAS engine's words for task 0's subspace, not a hex mask
    await waitFor("subspace words", async () => !(await page.getByTestId("task-0").locator("td").nth(1).innerText()).startsWith("0x"), 20_000);
  });

  it("npm run app:start listens on 127.0.0.1 only, unless PONAS_APP_HOST names another address", async () => {
    // 127.0.0.2 is loopback too: a server on all interfaces (next's own default) would accept it
    expect(await accepts("127.0.0.1", port)).to.equal(true);
    expect(await accepts("127.0.0.2", port)).to.equal(false);
    const other = await freePort();
    const p = startApp(other, { PONAS_APP_HOST: "127.0.0.2", PONAS_DEPLOYMENT: t.chain.name, PONAS_RPC: t.chain.url });
    try {
      await waitFor("the app on 127.0.0.2", async () => (await fetch(`http://127.0.0.2:${other}/api/rpc`, { method: "POST", body: "{}" }).catch(() => undefined)) !== undefined, 60_000, 250);
      expect(await accepts("127.0.0.1", other)).to.equal(false);
    } finally {
      stopApp(p);
    }
  });

  it("/api/rpc forwards reads only: eth_sendTransaction and eth_accounts are refused, alone and in a batch", async () => {
    const rpc = async (body: unknown) => {
      const res = await fetch(`${base}/api/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };
    const call = (id: number, method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id, method, params });
    const send = call(2, "eth_sendTransaction", [{ from: W, to: miners.A.account!.address, value: "0x1" }]);
    const nonce = await t.admin.publicClient.getTransactionCount({ address: W });
    const ok = await rpc(call(1, "eth_blockNumber"));
    expect(ok.json.result).to.match(/^0x[0-9a-f]+$/);
    const refused = await rpc(send);
    expect(refused.json.error.code).to.equal(-32601);
    expect(refused.json.error.message).to.contain("method eth_sendTransaction is refused");
    expect((await rpc(call(3, "eth_accounts"))).json.error.message).to.contain("method eth_accounts is refused");
    const batch = await rpc([call(1, "eth_blockNumber"), send, call(3, "eth_accounts")]);
    expect(batch.json).to.have.length(3);
    const byId = Object.fromEntries((batch.json as any[]).map((r) => [r.id, r]));
    expect(byId[1].result).to.match(/^0x[0-9a-f]+$/);
    expect(byId[2].error.message).to.contain("eth_sendTransaction");
    expect(byId[3].error.message).to.contain("eth_accounts");
    // nothing was sent from the unlocked account
    expect(await t.admin.publicClient.getTransactionCount({ address: W })).to.equal(nonce);
    const big = await rpc(JSON.stringify(call(4, "eth_call", [{ data: "0x" + "00".repeat(300_000) }])));
    expect(big.status).to.equal(413);
    expect(big.json.error.message).to.match(/larger than \d+ bytes/);
  });

  it("connects the wallet, stakes, claims a task and sees it change state", async () => {
    await page.goto(`${base}/mine`);
    await page.getByRole("button", { name: "Connect wallet" }).click();
    await page.getByTestId("account").waitFor();
    await page.getByTestId("wallet-balance").filter({ hasText: "100 PONAS" }).waitFor();
    // validated before sending
    await page.getByLabel("Amount to stake (PONAS)").fill("1000");
    await page.getByRole("button", { name: "Stake", exact: true }).click();
    await page.getByTestId("form-error").filter({ hasText: "only 100" }).waitFor();
    await page.getByLabel("Amount to stake (PONAS)").fill("20");
    await page.getByRole("button", { name: "Stake", exact: true }).click();
    await page.locator(".tx.confirmed", { hasText: "Stake" }).waitFor();
    await page.getByTestId("stake-balance").filter({ hasText: "20 PONAS" }).waitFor();
    await page.getByTestId("task-2-state").filter({ hasText: "open for claims" }).waitFor();
    await page.getByTestId("task-select").selectOption("2");
    await page.getByTestId("claim").click();
    await page.locator(".tx.confirmed", { hasText: "Claim task 2" }).waitFor();
    await page.getByTestId("task-2-state").filter({ hasText: "claimed" }).waitFor();
    await page.getByTestId("my-2-0-state").filter({ hasText: "claimed" }).waitFor();
    const sub = await t.admin.poolContract.read.getSubmission([round.roundId, 2n, 0n]);
    expect(sub.miner).to.equal(W);
    // the claim only locked stake: the page says what to run, by when, and what a no-show costs
    const cmd = `npm run miner -- --rpc ${t.chain.url} --pool ${getAddress(t.chain.deployment.contracts.PoNASPool)} --round ${round.roundId} --task 2 --key-file <your key file>`;
    expect(await page.getByTestId("run-cmd-2-0").innerText()).to.equal(cmd);
    // and the miner's own command line takes it: every flag exists and every value parses
    const argv = cmd.replace("<your key file>", "w.key").split(" ").slice(4); // after "npm run miner --"
    const opts = minerProgram().parse(argv, { from: "user" }).opts();
    expect(opts).to.include({ rpc: t.chain.url, round: round.roundId, task: 2, keyFile: "w.key" });
    expect(getAddress(opts.pool)).to.equal(getAddress(t.chain.deployment.contracts.PoNASPool));
    const commitEnd = Number(round.params.commitEnd);
    const revealEnd = Number(round.params.revealEnd);
    expect(await page.getByTestId("run-commit-2-0").innerText()).to.contain(`commit deadline: ${fmtTime(commitEnd)} (in `);
    expect(await page.getByTestId("run-reveal-2-0").innerText()).to.contain(`reveal window: ${fmtTime(commitEnd)} to ${fmtTime(revealEnd)} (closes in `);
    const fee = (round.params.minStake * BigInt(round.params.noShowBps)) / 10_000n;
    expect(fee > 0n).to.equal(true);
    expect(await page.getByTestId("run-noshow").innerText()).to.contain(`its stake pays the no-show fee of ${shownTokens(fee)}`);
  });

  it("shows the decoded revert reason when a claim fails", async () => {
    await page.getByTestId("task-select").selectOption("0");
    await page.getByTestId("claim").click();
    const failed = page.locator(".tx.failed", { hasText: "Claim task 0" });
    await failed.waitFor();
    expect(await failed.innerText()).to.match(/already has a primary miner/).and.match(/PoNASPoolTaskTaken/);
  });

  it("joins a task as a backup: a second row, and a second stake locked", async () => {
    // task 0's primary (A) has no history yet, so the contract opens its backup slot
    await page.getByTestId("task-select").selectOption("0");
    await page.getByTestId("join-backup").click();
    await page.locator(".tx.confirmed", { hasText: "Join as backup on task 0" }).waitFor();
    await page.getByTestId("my-0-1").filter({ hasText: "backup 1" }).waitFor();
    expect((await t.admin.poolContract.read.getSubmission([round.roundId, 0n, 1n])).miner).to.equal(W);
    expect((await t.admin.poolContract.read.minerAccount([W])).locked).to.equal(2n * round.params.minStake);
    const backupCmd = await page.getByTestId("run-cmd-0-1").innerText();
    expect(backupCmd).to.match(/ --round \d+ --task 0 --backup --key-file <your key file>$/);
    expect(minerProgram().parse(backupCmd.replace("<your key file>", "w.key").split(" ").slice(4), { from: "user" }).opts()).to.include({ task: 0, backup: true });
    await shot("mine");
  });

  it("after the round finalises, withdraws and sees the wallet balance change", async () => {
    const salt = (i: number) => keccak256(toHex(`salt-${i}`));
    const plan = [
      { m: miners.A, task: 0n, score: 9000, verified: 9000 },
      { m: miners.B, task: 1n, score: 9500, verified: 5000 }, // inflated: fraud, slashed
      { m: miners.W, task: 2n, score: 8000, verified: 8000 },
    ];
    const genome = (task: bigint): Hex => genomeAt(round.space, round.tasks[Number(task)], 0);
    for (const [i, p] of plan.entries()) {
      const c = await p.m.poolContract.read.computeCommitment([round.roundId, p.task, p.m.account!.address, genome(p.task), p.score, salt(i)]);
      await mined(p.m, await p.m.poolContract.write.commit([round.roundId, c], txFrom(p.m)));
    }
    await enterWindow(t.admin, round, "reveal");
    for (const [i, p] of plan.entries()) {
      // each miner seals the digest of the weights it trained, the one the verifiers below agree on
      const seal = sealFor(p.m, round.roundId, p.task, keccak256(toHex(`weights-${p.task}`)));
      await mined(p.m, await p.m.poolContract.write.reveal([round.roundId, p.task, 0n, genome(p.task), p.score, salt(i), seal], txFrom(p.m)));
    }
    await enterWindow(t.admin, round, "verify");
    await fixSeed(t.admin, round.roundId);
    // all three verifiers measure the same score and weights digest: each seals it in the commit
    // phase and opens it in the reveal phase, where the third reveal decides each submission
    const sealed: [PoolConnection, AttestationSecret][] = [];
    for (const p of plan) {
      for (const v of verifiers) {
        const a: AttestationSecret = { roundId: round.roundId, task: p.task, slot: 0n, verifier: v.account!.address, scoreBps: p.verified, weightsDigest: keccak256(toHex(`weights-${p.task}`)), salt: randomSalt() };
        await commitAttestation(v, a);
        sealed.push([v, a]);
      }
    }
    // the verifiers page in the commit phase: sealed commitments, nothing revealed yet
    await page.goto(`${base}/verifiers`);
    await page.locator('[data-testid="attest-phase"][data-phase="commit"]').waitFor();
    await page.getByTestId("att-1-0").first().waitFor();
    expect(await page.getByTestId("att-1-0").count()).to.equal(3); // B's claim: three commitments
    expect(await page.getByTestId("attestations").innerText()).to.match(/sealed/).and.not.match(/fee 1/);
    await shot("verifiers-commit");
    await enterWindow(t.admin, round, "attest-reveal");
    for (const [v, a] of sealed) await revealAttestation(v, a);
    await enterWindow(t.admin, round, "after");
    await mined(t.admin, await t.admin.poolContract.write.finalize([round.roundId], txFrom(t.admin)));
    await mined(miners.A, await miners.A.poolContract.write.withdraw([round.roundId, 0n, 0n], txFrom(miners.A)));
    await mined(t.admin, await t.admin.poolContract.write.settle([round.roundId, 1n, 0n], txFrom(t.admin)));

    const expected = await t.admin.lensContract.read.projectedReward([round.roundId, 2n, 0n]);
    expect(expected > 0n).to.equal(true);
    const before = await t.admin.tokenContract.read.balanceOf([W]);
    await page.goto(`${base}/mine`);
    await page.getByTestId("phase").filter({ hasText: "finalized" }).waitFor();
    expect(await page.getByTestId("run-miner").count()).to.equal(0); // revealed and finalised: nothing left to run
    await page.getByTestId("withdraw-2-0").click();
    await page.locator(".tx.confirmed", { hasText: "Withdraw task 2" }).waitFor();
    await page.getByTestId("my-2-0-state").filter({ hasText: "settled" }).waitFor();
    const after = await t.admin.tokenContract.read.balanceOf([W]);
    expect(after - before).to.equal(expected);
    // the backup slot: A delivered, so it earns nothing, and withdrawing it releases its stake
    expect(await t.admin.lensContract.read.projectedReward([round.roundId, 0n, 1n])).to.equal(0n);
    await page.getByTestId("withdraw-0-1").click();
    await page.locator(".tx.confirmed", { hasText: "Withdraw task 0" }).waitFor();
    await page.getByTestId("my-0-1-state").filter({ hasText: "settled" }).waitFor();
    expect(await t.admin.tokenContract.read.balanceOf([W])).to.equal(after);
    const shown = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 }).format(Number(formatUnits(after, 18)));
    await page.getByTestId("wallet-balance").filter({ hasText: `${shown} PONAS` }).waitFor();
    await shot("mine-after-withdraw");
  });

  it("unstakes only free stake: an over-limit amount is refused before sending, the rest comes back", async () => {
    const acct = await t.admin.poolContract.read.minerAccount([W]);
    expect(acct.locked).to.equal(0n); // the withdrawals released the claim's and the backup's stake
    const before = await t.admin.tokenContract.read.balanceOf([W]);
    await page.getByLabel("Amount to unstake (PONAS)").fill("21");
    await page.getByRole("button", { name: "Unstake", exact: true }).click();
    await page.getByTestId("form-error").filter({ hasText: "only 20 PONAS of free stake" }).waitFor();
    expect((await t.admin.poolContract.read.minerAccount([W])).balance).to.equal(acct.balance);
    await page.getByLabel("Amount to unstake (PONAS)").fill("20");
    await page.getByRole("button", { name: "Unstake", exact: true }).click();
    await page.locator(".tx.confirmed", { hasText: "Unstake" }).waitFor();
    expect((await t.admin.poolContract.read.minerAccount([W])).balance).to.equal(0n);
    expect((await t.admin.tokenContract.read.balanceOf([W])) - before).to.equal(20n * TOKEN);
  });

  it("the audit page recomputes the round from logs: ✓ for every miner, slash included", async () => {
    await page.goto(`${base}/audit`);
    await page.getByTestId("verdict").filter({ hasText: "✓" }).waitFor();
    const checks = await page.getByTestId("miner-check").allInnerTexts();
    expect(checks).to.deep.equal(["✓", "✓", "✓"]);
    await page.getByTestId("partition").filter({ hasText: "✓" }).waitFor();
    expect(await page.getByTestId("audit-miners").innerText()).to.match(/10 PONAS/); // B's slashed stake
    // B's slash, less the verifiers' share, is forfeited to the treasury: the pot stays R_total
    const state = await t.admin.poolContract.read.getRoundState([round.roundId]);
    expect(state.forfeited > 0n).to.equal(true);
    await page.getByTestId("checks").filter({ hasText: "contract forfeited = Σ Slashed.toTreasury + Σ NoShowFined.amount" }).waitFor();
    const download = page.waitForEvent("download");
    await page.getByTestId("csv").click();
    const csvPath = await (await download).path();
    expect(csvPath).to.be.a("string");
    await shot("audit");
  });

  it("dashboard, verifiers and phone-width screenshots", async () => {
    await page.goto(`${base}/`);
    await page.getByTestId("phase").filter({ hasText: "finalized" }).waitFor();
    await page.locator(".recharts-bar-rectangle").first().waitFor();
    await shot("dashboard");
    await page.goto(`${base}/verifiers`);
    await page.locator('[data-testid="attest-phase"][data-phase="after"]').waitFor();
    // every reveal: its score, its digest, the fee it was paid; B's claim decided as fraud
    await page.getByTestId("att-outcome").filter({ hasText: "fee 1 PONAS" }).first().waitFor();
    expect(await page.getByTestId("att-outcome").allInnerTexts()).to.have.length(9).and.satisfy((xs: string[]) => xs.every((x) => x.startsWith("fee 1 PONAS")));
    expect(await page.getByTestId("decision-1-0").innerText()).to.match(/^fraud: median 50%$/);
    expect(await page.getByTestId("decision-0-0").innerText()).to.match(/^verified 90%$/);
    await shot("verifiers");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    await page.getByTestId("phase").waitFor();
    await shot("dashboard-phone");
    await page.goto(`${base}/mine`);
    await page.getByTestId("wallet-balance").waitFor();
    await shot("mine-phone");
  });

  it("a verifier withdraws its fees and stakes and unstakes on the verifiers page", async () => {
    const v = verifiers[0].account!.address;
    const acct = await t.admin.committeeContract.read.verifierAccount([v]);
    expect(acct.fees > 0n).to.equal(true); // the round's three fees
    const minV = await t.admin.committeeContract.read.minVerifierStake();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await walletBridge(ctx, t.chain.url);
      await ctx.addInitScript(walletScript(v, t.chain.deployment.chainId));
      const p = await ctx.newPage();
      await p.goto(`${base}/verifiers`);
      await p.getByRole("button", { name: "Connect wallet" }).click();
      await p.getByTestId("my-verifier-fees").filter({ hasText: shownTokens(acct.fees) }).waitFor();
      expect(await p.getByTestId("my-verifier-active").innerText()).to.equal("yes");
      await p.getByTestId("committee").waitFor();
      await p.getByTestId("att-outcome").first().waitFor();
      await p.screenshot({ path: path.join(SHOTS, "verifiers-account.png"), fullPage: true });
      const before = await t.admin.tokenContract.read.balanceOf([v]);
      await p.getByTestId("withdraw-fees").click();
      await p.locator(".tx.confirmed", { hasText: "verifier fees" }).waitFor();
      expect((await t.admin.tokenContract.read.balanceOf([v])) - before).to.equal(acct.fees);
      expect((await t.admin.committeeContract.read.verifierAccount([v])).fees).to.equal(0n);
      await p.getByTestId("my-verifier-fees").filter({ hasText: "0 PONAS" }).waitFor();
      expect(await p.getByTestId("withdraw-fees").isDisabled()).to.equal(true);
      // an active verifier must keep the minimum: the contract's refusal, in chain/reverts.ts's words
      await p.getByTestId("vunstake-input").fill(formatUnits(acct.stake, 18));
      await p.getByTestId("vunstake").click();
      const failed = p.locator(".tx.failed", { hasText: "Unstake" });
      await failed.waitFor();
      expect(await failed.innerText()).to.contain(`has ${formatUnits(acct.stake, 18)} PONAS of verifier stake but ${formatUnits(acct.stake + minV, 18)} PONAS is needed.`).and.contain("Stake more as a verifier, or unstake less.").and.contain("(VerifierCommitteeStakeTooLow)");
      expect((await t.admin.committeeContract.read.verifierAccount([v])).stake).to.equal(acct.stake);
      // stake 2 more (approve + stakeVerifier: the wallet holds the withdrawn fees), then take the 2 back
      const wallet = await t.admin.tokenContract.read.balanceOf([v]);
      expect(wallet >= 2n * TOKEN).to.equal(true);
      await p.getByTestId("vstake-input").fill("2");
      await p.getByTestId("vstake").click();
      await p.locator(".tx.confirmed", { hasText: "Stake 2 PONAS as a verifier" }).waitFor();
      expect((await t.admin.committeeContract.read.verifierAccount([v])).stake).to.equal(acct.stake + 2n * TOKEN);
      expect(wallet - (await t.admin.tokenContract.read.balanceOf([v]))).to.equal(2n * TOKEN);
      await p.getByTestId("my-verifier-stake").filter({ hasText: shownTokens(acct.stake + 2n * TOKEN) }).waitFor();
      await p.getByTestId("vunstake-input").fill("2");
      await p.getByTestId("vunstake").click();
      await p.locator(".tx.confirmed", { hasText: "Unstake 2 PONAS of verifier stake" }).waitFor();
      expect((await t.admin.committeeContract.read.verifierAccount([v])).stake).to.equal(acct.stake);
      expect(await t.admin.tokenContract.read.balanceOf([v])).to.equal(wallet);
    } finally {
      await browser.close();
    }
  });

  it("without any browser wallet, Connect says so in one line instead of wagmi's \"Provider not found\"", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const p = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await p.goto(`${base}/mine`);
      expect(await p.evaluate("'ethereum' in window")).to.equal(false);
      await p.getByRole("button", { name: "Connect wallet" }).click();
      const msg = p.getByTestId("connect-error");
      await msg.waitFor();
      expect(await msg.innerText()).to.equal(NO_WALLET);
      expect(await p.locator("body").innerText()).to.not.contain("Provider not found");
    } finally {
      await browser.close();
    }
  });

  it("the pages sent /api/rpc only methods its allowlist forwards", () => {
    console.log(`      /api/rpc methods used by the pages: ${[...proxied].sort().join(", ")}`);
    expect(proxied.size > 3).to.equal(true);
    expect([...proxied].filter((m) => !READ_METHODS.has(m))).to.deep.equal([]);
  });

  it("a wallet on another chain is asked to switch, and can send nothing until it has", async () => {
    // a browser of its own: no storage shared with the connected wallet above
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await walletBridge(ctx, t.chain.url);
      await ctx.addInitScript(walletScript(W, 1));
      const p = await ctx.newPage();
      await p.goto(`${base}/mine`);
      await p.getByRole("button", { name: "Connect wallet" }).click();
      const prompt = p.getByTestId("wrong-network");
      await prompt.filter({ hasText: `on chain 1; this pool is on chain ${t.chain.deployment.chainId}` }).waitFor();
      // the pool's state is still read from the pool's chain: balance and tasks are there
      await p.getByTestId("wallet-balance").filter({ hasText: "PONAS" }).waitFor();
      await p.getByTestId("task-0-state").waitFor();
      expect(await p.getByRole("button", { name: "Stake", exact: true }).isDisabled()).to.equal(true);
      expect(await p.getByTestId("claim").isDisabled()).to.equal(true);
      await p.screenshot({ path: path.join(SHOTS, "mine-wrong-network.png"), fullPage: true });
      await prompt.getByRole("button", { name: "Switch network" }).click();
      await prompt.waitFor({ state: "detached" });
      await waitFor("the Stake button to enable", async () => !(await p.getByRole("button", { name: "Stake", exact: true }).isDisabled()), 20_000);
    } finally {
      await browser.close();
    }
  });
});
