// The CLI's argument handling in-process (no chain): every bad flag is exit 1 with one line, and
// --help documents every flag. Errors that need a chain are in miner.test.ts.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "./cli.js";

/** Runs the CLI in-process with captured output (argument errors never reach the chain). */
async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => {
    const s = new PassThrough();
    s.on("data", (c: Buffer) => into.push(c.toString()));
    return s;
  };
  const code = await main(args, { stdout: sink(out), stderr: sink(err), env });
  const lines = (a: string[]) => a.join("").split("\n").filter((l) => l !== "");
  return { code, stdout: lines(out), stderr: lines(err) };
}

describe("miner CLI arguments", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "miner-cli-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const chain = ["--rpc", "http://127.0.0.1:9", "--pool", "localhost"];

  it("answers each bad argument with exit 1 and one line naming the flag and the accepted forms", async () => {
    const cases: [string[], RegExp][] = [
      [["--pool", "localhost"], /^error: required option '--rpc <url>' not specified$/],
      [[...chain, "--budget", "ten"], /^error: option '--budget <N\|Nm>' argument 'ten' is invalid\. --budget "ten" is neither a number of evaluations \(e\.g\. 20\) nor a duration/],
      [[...chain, "--strategy", "annealing"], /^error: option '--strategy <name>' argument 'annealing' is invalid\. Allowed choices are random, evolution, exhaustive\.$/],
      [[...chain, "--backend", "tpu"], /^error: option '--backend <name>' argument 'tpu' is invalid\. Allowed choices are wasm, cpu, node, gpu, auto\.$/],
      [[...chain, "--stake", "lots"], /is not a token amount; use e\.g\. 1000 or 0\.5/],
      [[...chain, "--round", "0"], /--round "0" must be a round id/],
      [[...chain, "--inflate", "20000"], /--inflate "20000" must be an integer in 0\.\.10000/],
      [[...chain, "--canary", "--inflate", "100"], /^error: option '--inflate <bps>' cannot be used with option '--canary'$/],
      [[...chain, "--rounds", "0"], /--rounds "0" must be a number of rounds \(1, 2, …\) or "all"/],
      [[...chain, "--metrics-port", "70000"], /--metrics-port "70000" must be an integer in 0\.\.65535/],
      [[...chain], /^error: no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY$/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code, args.join(" ")).to.equal(1);
      expect(r.stderr, args.join(" ")).to.have.length(1);
      expect(r.stderr[0]).to.match(re);
      expect(r.stdout).to.deep.equal([]);
    }
  });

  it("rejects a key file that holds no key in one line", async () => {
    const bad = join(dir, "bad.key");
    writeFileSync(bad, "hello\n");
    const r = await run([...chain, "--key-file", bad]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.deep.equal([`error: key file ${bad} does not hold a private key: expected 64 hex digits (optionally 0x-prefixed) on its first line`]);
  });

  it("documents every flag, and marks the cheating ones as demo-only", async () => {
    const r = await run(["--help"]);
    expect(r.code).to.equal(0);
    const help = r.stdout.join("\n");
    for (const f of ["--rpc", "--pool", "--key-file", "--round", "--task", "--backup", "--budget", "--strategy", "--backend", "--stake", "--state-dir", "--seed", "--poll-ms", "--commit-margin", "--settle", "--rounds", "--metrics-port", "--metrics-host"]) {
      expect(help).to.contain(f);
    }
    expect(help).to.match(/--inflate <bps>\s+DEMO\/TEST ONLY/);
    expect(help).to.match(/--canary\s+the operator's canary/);
    expect(help).to.match(/--drop-out\s+DEMO\/TEST ONLY/);
  });
});
