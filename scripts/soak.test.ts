// The soak benchmark as CI's integration test: three rounds of `manager run`, four verifiers and
// eight miners (`--rounds all`) as separate processes, each round with a kill -9, an RPC outage
// and a burst of bad transactions. Sized so that two cores keep up with the re-training (one
// architecture per miner, a 160 s verify window): the 20-round report in reports/soak.json shows
// what happens when they do not (sampled submissions whose commit phase ends before a loaded
// oracle has re-trained them). Every loss column must be zero, and the faults must have happened.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

describe("npm run soak (3 rounds, shorter windows)", function () {
  this.timeout(900_000);
  const dir = mkdtempSync(join(tmpdir(), "ponas-soak-test-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("runs every role unattended through kills, outages and bad transactions with nothing lost, doubled, missed, unconserved, locked or paid to the cheater", async () => {
    const report = join(dir, "soak.json");
    const args = ["--import", "tsx", "scripts/soak.ts", "--rounds", "3", "--commit", "50", "--reveal", "50", "--verify", "160", "--gap", "10", "--budget", "1", "--outage", "10-20", "--report", report, "--logs", join(dir, "logs")];
    await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }).catch((e: Error & { code?: number; stdout?: string; stderr?: string }) => {
      const tail = `${e.stdout ?? ""}\n${e.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
      throw new Error(`the soak exited with code ${e.code}; its last lines:\n${tail}`);
    });
    const r = JSON.parse(readFileSync(report, "utf8"));
    expect(r.rounds).to.equal(3);
    expect(r.faults.kills, "a kill -9 in most rounds").to.be.at.least(2);
    expect(r.faults.outages, "an outage in most rounds").to.be.at.least(2);
    expect(r.faults.badTransactions).to.equal(30);
    expect(r.faults.badTransactionsAccepted).to.equal(0);
    expect(r.submissions, "8 miners, 3 rounds").to.be.at.least(20);
    expect({ lost: r.lostSubmissions, double: r.doubleAttestations, missed: r.missedAttestations, conservation: r.conservationViolations, locked: r.stakeLockedAtEnd, cheater: r.cheatersPaid, crashes: r.faults.crashes }).to.deep.equal({
      lost: 0,
      double: 0,
      missed: 0,
      conservation: 0,
      locked: "0",
      cheater: 0,
      crashes: 0,
    });
    // the lazy verifier earned nothing for its echoes
    expect(r.lazyVerifier.fees).to.equal("0");
  });
});
