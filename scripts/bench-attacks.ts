// Attack bench (npm run bench:attacks, issue 10): runs every attack strategy of test/attacks/
// against the real contracts on the in-process Hardhat network, PONAS_ATTACK_RUNS times each
// (default 30, seeds 1..n), and writes reports/attacks.json: per strategy the attacker's mean net
// tokens with its 95% interval, the honest baseline's mean, and the mean gain (attacker − honest,
// paired by seed) with its interval. PONAS_ATTACKS=a,b limits the run to some strategies and
// merges them into an existing report (each strategy's entry records the commit and date it was
// measured at, since the top-level ones describe only the latest run). A strategy whose gain
// interval lies above 0 pays the cheater today.
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import cliProgress from "cli-progress";
import { STRATEGIES } from "../test/attacks/index.js";
import { CI_METHOD, summarize, toTokens } from "../test/attacks/stats.js";

const REPORT = "reports/attacks.json";
const runs = Number(process.env.PONAS_ATTACK_RUNS ?? 30);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`PONAS_ATTACK_RUNS must be a positive integer, got ${process.env.PONAS_ATTACK_RUNS}`);
const filter = (process.env.PONAS_ATTACKS ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = filter.filter((f) => !STRATEGIES.some((s) => s.name === f));
if (unknown.length) throw new Error(`unknown strategies: ${unknown.join(", ")} (known: ${STRATEGIES.map((s) => s.name).join(", ")})`);
const chosen = filter.length ? STRATEGIES.filter((s) => filter.includes(s.name)) : STRATEGIES;

function git(cmd: string): string {
  try {
    return execSync(`git ${cmd}`, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

const tty = process.stdout.isTTY === true;
const bar = tty
  ? new cliProgress.SingleBar({ format: "{bar} {value}/{total} runs | {strategy}", hideCursor: true }, cliProgress.Presets.shades_classic)
  : null;
bar?.start(chosen.length * runs, 0, { strategy: "" });

const started = Date.now();
const contractCommit = git("rev-parse HEAD");
const contractsDirty = git("status --porcelain -- contracts") !== "";
const strategies: Record<string, unknown> = {};
for (const s of chosen) {
  const t0 = Date.now();
  const attacker: number[] = [];
  const honest: number[] = [];
  let unbalanced = 0;
  let insolvent = 0;
  let firstNotes = "";
  for (let seed = 1; seed <= runs; seed++) {
    bar?.update({ strategy: `${s.name} (seed ${seed})` });
    const r = await s.run(seed);
    attacker.push(toTokens(r.attackerNet));
    honest.push(toTokens(r.honestNet));
    if (r.plays?.some((p) => p.imbalance !== 0n)) unbalanced++;
    if (r.plays?.some((p) => !p.solvent)) insolvent++;
    if (seed === 1) firstNotes = r.notes ?? "";
    bar?.increment();
  }
  const sum = summarize(attacker, honest);
  const seconds = (Date.now() - t0) / 1000;
  strategies[s.name] = {
    runs: sum.runs,
    attackerNetMean: sum.attackerNetMean,
    ci95: sum.ci95,
    honestNetMean: sum.honestNetMean,
    honestCi95: sum.honestCi95,
    property: s.property,
    description: s.description,
    gainMean: sum.gainMean,
    gainCi95: sum.gainCi95,
    conservationFailures: unbalanced,
    solvencyFailures: insolvent,
    seconds,
    notesSeed1: firstNotes,
    measured: { date: new Date().toISOString(), contractCommit, contractsDirty },
  };
  const line = `${s.name}: attacker ${sum.attackerNetMean.toPrecision(6)} [${sum.ci95.map((x) => x.toPrecision(6)).join(", ")}] vs honest ${sum.honestNetMean.toPrecision(6)}, gain ${sum.gainMean.toPrecision(6)} [${sum.gainCi95.map((x) => x.toPrecision(6)).join(", ")}] (${runs} runs, ${seconds.toFixed(1)} s)`;
  if (bar) bar.updateETA();
  if (tty) process.stdout.write(`\n${line}\n`);
  else console.log(line);
}
bar?.stop();

let previous: { strategies?: Record<string, unknown> } = {};
if (filter.length && existsSync(REPORT)) previous = JSON.parse(readFileSync(REPORT, "utf8"));
const cpus = os.cpus();
const report = {
  ciMethod: CI_METHOD,
  units:
    "whole tokens (wei / 1e18); net = wallet + miner stake (pool) + verifier stake + fees (VerifierCommittee), after everything withdrawable is withdrawn and every round swept (pool sweep + committee sweepFees); gas and re-training cost not counted",
  strategies: { ...(previous.strategies ?? {}), ...strategies },
  machine: `${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}, Hardhat in-process EDR network`,
  date: new Date().toISOString(),
  contractCommit,
  contractsDirty,
  runsRequested: runs,
  seconds: (Date.now() - started) / 1000,
};
mkdirSync("reports", { recursive: true });
writeFileSync(REPORT, JSON.stringify(report, null, 2) + "\n");
console.log(`wrote ${REPORT} (${chosen.length} strategies × ${runs} runs, ${report.seconds.toFixed(0)} s)`);
