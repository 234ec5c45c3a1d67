// End to end: the built app (`next start`) against a hardhat node with the pool deployed and a
// round seeded through the real contracts, driven by playwright-core in Debian Chromium with an
// injected EIP-1193 test wallet (a dev account the node has unlocked). Connect, stake, claim and
// see the task change state, a claim that reverts with its decoded reason, join another task as a
// backup, the round run to the end (commits, reveals, sealed attestations committed and revealed
// with the verifiers page in between, a fraud that is slashed, finalize), withdraw
// and see the balance change (the backup's stake released), unstake (over-limit refused before
// sending), the audit page ✓ for every miner, a wallet on the wrong chain asked to switch;
// screenshots of each page in reports/screenshots/.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { formatUnits, keccak256, toHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { PoolConnection } from "../../chain/connect.js";
import { freePort } from "../../chain/localChain.js";
import { fixSeed } from "../../chain/actions/finalize.js";
import { sealFor } from "../../chain/seals.js";
import { commitAttestation, randomSalt, revealAttestation, type AttestationSecret } from "../../chain/actions/attest.js";
import { DEV_KEYS, enterWindow, fund, mined, openTestRound, startTestChain, TOKEN, txFrom, waitFor, type TestChain, type TestRound } from "../../chain/testing.js";
import { genomeAt } from "../../nas/index.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SHOTS = path.join(ROOT, "reports", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The test wallet: answers account/chain requests (switching chains like a real one), stubs permissions, forwards the rest to the app's RPC proxy. */
function walletScript(address: Address, chainId: number): string {
  return `(() => {
    const address = ${JSON.stringify(address)};
    let chainId = "0x" + (${chainId}).toString(16);
    let id = 0;
    const listeners = {};
    const forward = async (method, params) => {
      const res = await fetch("/api/rpc", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }) });
      const j = await res.json();
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

describe("web app end to end (next start + Chromium + hardhat node)", function () {
  this.timeout(240_000);
  let t: TestChain;
  let round: TestRound;
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base: string;
  let userDir: string;
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

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [path.join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "app", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PONAS_DEPLOYMENT: t.chain.name, PONAS_RPC: t.chain.url },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitFor("the app server", async () => (await fetch(base).catch(() => undefined))?.ok, 60_000, 250);
    userDir = mkdtempSync(path.join(tmpdir(), "ponas-e2e-chromium-"));
    context = await chromium.launchPersistentContext(userDir, { executablePath: CHROMIUM, args: FLAGS, viewport: { width: 1280, height: 800 } });
    await context.addInitScript(walletScript(W, t.chain.deployment.chainId));
    page = context.pages()[0] ?? (await context.newPage());
  });

  after(async () => {
    await context?.close().catch(() => {});
    if (server?.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, "SIGTERM"); // next start and its next-server child
      } catch {
        // gone
      }
    }
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

  it("a wallet on another chain is asked to switch, and can send nothing until it has", async () => {
    // a browser of its own: no storage shared with the connected wallet above
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
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
