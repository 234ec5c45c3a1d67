// The demo as an integration test: a whole round on an embedded chain with 7 miner and 3 verifier
// processes and a lazy fourth verifier that echoes claims. Asserts what the demo's report claims,
// from the report written by the run.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS } from "../chain/localChain.js";
import { deploymentFile } from "../deployments/index.js";

const run = promisify(execFile);

// The same round twice: on the demo's small MNIST space, and on the 187,500-architecture cell
// space with Fashion-MNIST (a seedPerRound recipe: miners and verifiers train under the round's
// own seed), where nothing is tabulated and every score comes from training.
const CASES = [
  { title: "MNIST conv space, 2 architectures per miner", args: ["--budget", "2"], space: "mnist-conv-v1", recipe: "mnist-demo-v1", timeout: 280 },
  { title: "Fashion-MNIST cell space, 1 architecture per miner", args: ["--budget", "1", "--space", "nas/spaces/fashion-cell-v1.json", "--recipe", "fashion-demo-v1"], space: "fashion-cell-v1", recipe: "fashion-demo-v1", timeout: 560 },
];

for (const c of CASES) describe(`npm run demo (shortened: ${c.title})`, function () {
  this.timeout((c.timeout + 120) * 1000);
  const dir = mkdtempSync(join(tmpdir(), "ponas-demo-test-"));
  const name = `local-demo-${process.pid}-${c.space}`;
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(deploymentFile(name), { force: true });
  });

  it("slashes the cheater, fines the drop-out, pays the backup, pays everyone exactly R_i = P_i / ΣP × pot, and catches the lazy verifier", async () => {
    const report = join(dir, "demo.json");
    const out = await run(process.execPath, ["--import", "tsx", "scripts/demo.ts", ...c.args, "--timeout", String(c.timeout), "--report", report, "--deployment", name], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: Error & { code?: number; stdout?: string; stderr?: string }) => {
      // the demo's own account of what went wrong (its checks, the miners' last lines) beats "Command failed"
      const tail = `${e.stdout ?? ""}\n${e.stderr ?? ""}`.trim().split("\n").slice(-40).join("\n");
      throw new Error(`the demo exited with code ${e.code}; its last lines:\n${tail}`);
    });
    expect(out.stdout).to.include("✔ payouts match R_i = P_i / ΣP × R_total");
    const r = JSON.parse(readFileSync(report, "utf8"));
    expect([r.space, r.recipe]).to.deep.equal([c.space, c.recipe]);
    const cheater = privateKeyToAccount(DEV_KEYS[2]).address;
    const backup = privateKeyToAccount(DEV_KEYS[7]).address;
    const dropOut = privateKeyToAccount(DEV_KEYS[1]).address;
    expect(r.tasks).to.be.at.least(6);
    expect(r.slashed).to.deep.equal([cheater]);
    expect(r.noShowFined).to.deep.equal([dropOut]); // the primary that never revealed paid its no-show fee
    expect(BigInt(r.forfeited) > 0n).to.equal(true);
    expect(r.backupTakeovers).to.equal(1);
    expect(r.payoutsMatchFormula).to.equal(true);
    expect(r.miners.length).to.equal(7); // 6 primaries (one a no-show, settled on its behalf) + the backup
    const byAddress = new Map(r.miners.map((m: { address: string }) => [m.address, m]));
    expect(BigInt((byAddress.get(backup) as { reward: string }).reward) > 0n).to.equal(true);
    expect((byAddress.get(cheater) as { reward: string }).reward).to.equal("0");
    for (const m of r.miners) expect(m.reward).to.equal(m.expectedReward);
    // the lazy verifier echoed every sampled claim it was drawn for (three of four members are
    // drawn per submission) and joined every escalation, with a zero digest: no fee, and a penalty
    // exactly where the echo was the cheater's inflated claim (off the median). An echo of the
    // cheater's claim beside two honest drawn re-trainings disputes it: it is escalated.
    const lazy = privateKeyToAccount(DEV_KEYS[11]).address;
    const cheated = r.sampled.find((x: { miner: string }) => x.miner === cheater);
    expect(cheated, "the cheater's claim is sampled (top-K)").to.not.equal(undefined);
    expect(r.lazyVerifier.address).to.equal(lazy);
    expect(r.lazyVerifier.echoed).to.be.at.most(r.sampled.length);
    expect(r.lazyVerifier.fees).to.equal("0");
    expect(r.lazyVerifier.penalisedOn).to.deep.equal(r.lazyVerifier.echoedCheater ? [{ task: cheated.task, slot: cheated.slot }] : []);
    expect(r.disputed).to.deep.equal(r.lazyVerifier.echoedCheater ? [{ task: cheated.task, slot: cheated.slot }] : []);
    expect(r.escalationAttestations).to.equal(r.disputed.length);
    expect(r.verifierFees[lazy]).to.equal("0");
    const honest = [8, 9, 10].map((i) => privateKeyToAccount(DEV_KEYS[i]).address);
    for (const v of honest) expect(BigInt(r.verifierFees[v]) > 0n, `fees of ${v}`).to.equal(true);
    expect(Object.values(r.checks).every(Boolean), JSON.stringify(r.checks)).to.equal(true);
    expect(r.seconds).to.be.below(c.timeout + 20);
  });
});
