// `npm run miner -- --rpc <url> --pool <address|network> --key-file <path> …`: the miner client's
// command line. Parses flags into MinerOptions, connects, runs the state machine (miner.ts) and
// prints a summary. Every failure ends with one line "error: <what> — <how to fix>" and exit
// code 1, never a stack trace (PONAS_DEBUG=1 adds it). Ctrl-C stops at the next wait; the state
// dir keeps everything, so running the same command again continues.
// `--rounds all|N` mines round after round (rounds.ts) instead of one: SIGINT or SIGTERM stops it
// (exit 0), and the same command resumes the rounds it left unfinished. `--metrics-port` serves
// /metrics and /healthz (metrics.ts) in either mode.
import { Command, InvalidArgumentError, Option } from "commander";
import { fileURLToPath } from "node:url";
import { BaseError, formatUnits } from "viem";
import { connectPool } from "../chain/connect.js";
import { ChainError, explainError } from "../chain/errors.js";
import { loadAccount } from "../chain/keys.js";
import { BACKENDS, NasError, STRATEGIES, type StrategyName } from "../nas/index.js";
import { withRpcRetry } from "../ops/retry.js";
import { serveMetrics, type MetricsServer } from "../ops/serve.js";
import { MinerMetrics } from "./metrics.js";
import { runMiner, type MinerSummary } from "./miner.js";
import { DEFAULTS, parseBudget, parseIntIn, parseRound, parseRounds, parseTask, parseTokens, type MinerOptions } from "./options.js";
import { runRounds } from "./rounds.js";
import { createReporter } from "./progress.js";

/** commander wants InvalidArgumentError from option parsers; ours throw MinerError. */
const flag =
  <T>(parse: (text: string) => T) =>
  (text: string): T => {
    try {
      return parse(text);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export function minerProgram(stdout: NodeJS.WritableStream = process.stdout): Command {
  return new Command()
    .name("miner")
    .description("PoNAS pool miner: stake, claim a task, search it with the NAS engine, commit, reveal, collect the reward")
    .exitOverride()
    .configureOutput({ writeOut: (s) => void stdout.write(s), writeErr: () => undefined }) // errors are printed once, by main()
    .requiredOption("--rpc <url>", "JSON-RPC endpoint ($PONAS_RPC_URL)", process.env.PONAS_RPC_URL)
    .requiredOption("--pool <address|network>", "pool address or deployments/<network>.json name", "localhost")
    .option("--key-file <path>", "file holding the miner's private key (or set $PONAS_PRIVATE_KEY)")
    .option("--round <id|latest>", "round to mine (with --rounds: the first one)", flag(parseRound), "latest")
    .option("--rounds <N|all>", "mine N rounds, or all until SIGINT/SIGTERM, waiting for each to open (1: just --round)", flag(parseRounds), 1)
    .option("--task <index|auto>", "task to claim (auto: the first free one)", flag(parseTask), "auto")
    .option("--backup", "join a task as backup (reveals only if its primary does not deliver)")
    .option("--budget <N|Nm>", "search budget: N evaluations or N minutes (default: until the commit deadline)", flag(parseBudget))
    .addOption(new Option("--strategy <name>", `search strategy (default ${DEFAULTS.strategy})`).choices(Object.keys(STRATEGIES)))
    .addOption(new Option("--backend <name>", "training backend (node and gpu need @tensorflow/tfjs-node[-gpu] installed)").choices(BACKENDS).default(DEFAULTS.backend))
    .option("--stake <tokens>", "PONAS to stake when free stake is short (at least the shortfall)", flag((t) => parseTokens(t)))
    .option("--state-dir <dir>", "where the search checkpoint and the commit salt are kept (default .ponas/miner-<address>-round<id>; with --rounds N>1 or all, a base dir holding <dir>/round<id>)")
    .option("--seed <n>", "search seed (default: random, persisted)", flag(parseIntIn("--seed", 0, 0xffffffff)))
    .option("--poll-ms <ms>", "chain polling interval", flag(parseIntIn("--poll-ms", 10, 600_000)), DEFAULTS.pollMs)
    .option("--commit-margin <seconds>", "stop searching this long before the commit deadline", flag(parseIntIn("--commit-margin", 0, 86_400)), DEFAULTS.commitMarginSeconds)
    .option("--settle", "credit the reward to the stake instead of transferring it")
    .option("--metrics-port <port>", "serve /metrics and /healthz on this port (0: off)", flag(parseIntIn("--metrics-port", 0, 65_535)), 0)
    .option("--metrics-host <host>", "address to bind the metrics server to", "127.0.0.1")
    .option("--canary", "the operator's canary: claim 2 × the round's tolerance + 1 bps below the measured score, so that verifiers who echo claims instead of re-training are penalised (docs/operations.md, Canaries)")
    .addOption(new Option("--inflate <bps>", "DEMO/TEST ONLY: claim the best score + bps (a cheater)").argParser(flag(parseIntIn("--inflate", 0, 10_000))).conflicts("canary"))
    .option("--drop-out", "DEMO/TEST ONLY: commit, then stop without revealing (an unreliable primary)");
}

function summaryLines(s: MinerSummary, settle: boolean): string[] {
  const out = [`summary: round ${s.roundId}, task ${s.task} (${s.role}${s.slot ? `, slot ${s.slot}` : ""})`];
  if (s.genome) {
    out.push(`  architecture: ${s.description}`);
    out.push(`  genome:       ${s.genome}`);
    out.push(`  claimed:      ${s.claimedBps} bps (measured ${s.bestScoreBps}) after ${s.evaluations} evaluations`);
  } else out.push("  nothing committed");
  out.push(`  revealed:     ${s.revealed ? "yes" : s.droppedOut ? "no (--drop-out)" : "no"}`);
  const paid = s.reward === null ? "not settled (run again after the verify window)" : `${formatUnits(s.reward, 18)} PONAS (${settle ? "credited to stake" : "withdrawn"})`;
  out.push(`  reward:       ${paid}${s.unverified ? ", unverified: no quorum" : ""}${s.stakeReleased === 0n ? ", stake slashed" : ""}${s.noShowFee ? `, no-show fee ${formatUnits(s.noShowFee, 18)} PONAS` : ""}`);
  out.push(`  state:        ${s.stateDir}`);
  return out;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const program = minerProgram(io.stdout);
  let reporter = createReporter({ out: io.stderr });
  const abort = new AbortController();
  const onSigint = () => {
    io.stderr.write("stopping at the next wait; run the same command again to continue\n");
    abort.abort();
  };
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigint);
  let server: MetricsServer | undefined;
  try {
    program.parse(argv, { from: "user" });
    const o = program.opts();
    const account = loadAccount(o.keyFile, io.env);
    reporter = createReporter({ out: io.stderr, prefix: `miner ${account.address.slice(0, 8)}…` });
    const many = o.rounds !== 1;
    const metrics = o.metricsPort > 0 ? new MinerMetrics().withProcessMetrics() : undefined;
    // fewer of viem's own retries: every phase retries itself across an outage (miner.ts), and
    // each failed try is then seen, logged and counted
    const connect = () => connectPool({ rpc: o.rpc, pool: o.pool, account, pollingInterval: Math.min(o.pollMs, 1000), retryCount: 1 });
    // one round: an unreachable endpoint at the start is a user error (a wrong --rpc); a
    // long-running miner (re)started during an outage waits for it instead
    const conn = many
      ? await withRpcRetry(connect, {
          signal: abort.signal,
          onRetry: (i) => reporter.event({ kind: "waiting", until: null, what: "rpc", message: `RPC ${o.rpc} unavailable at start (${explainError(i.error)}); trying again in ${(i.retryInMs / 1000).toFixed(1)} s` }),
        })
      : await connect();
    if (metrics) {
      server = await serveMetrics(metrics, () => metrics.health(), o.metricsPort, o.metricsHost);
      io.stderr.write(`metrics on http://${o.metricsHost}:${server.port}/metrics, health on /healthz\n`);
    }
    const options: MinerOptions = {
      round: o.round,
      task: o.task,
      backup: Boolean(o.backup),
      budget: o.budget,
      strategy: o.strategy as StrategyName | undefined,
      backend: o.backend,
      stake: o.stake,
      stateDir: o.stateDir,
      seed: o.seed,
      pollMs: o.pollMs,
      commitMarginSeconds: o.commitMargin,
      settle: Boolean(o.settle),
      inflateBps: o.inflate,
      canary: Boolean(o.canary),
      dropOut: Boolean(o.dropOut),
      onEvent: (e) => {
        metrics?.observe(e);
        reporter.event(e);
      },
      signal: abort.signal,
    };
    if (many) {
      const { stateDir: stateBase, ...perRound } = options;
      const r = await runRounds(conn, {
        ...perRound,
        stateBase,
        onEvent: (e) => reporter.event(e), // runRounds feeds the metrics itself
        metrics,
        rounds: o.rounds,
        onSummary: (s) => io.stdout.write(summaryLines(s, options.settle ?? false).join("\n") + "\n"),
        onLine: (l) => reporter.event({ kind: "waiting", until: null, what: "rounds", message: l }),
      });
      reporter.close();
      io.stderr.write(`${r.stopped ? "stopped: " : ""}${r.mined.length} round(s) mined, ${r.skipped.length} skipped, ${r.failed.length} failed${r.stopped ? "; run the same command again to resume the unfinished ones" : ""}\n`);
      return r.failed.length > 0 ? 1 : 0;
    }
    const summary = await runMiner(conn, options);
    reporter.close();
    io.stdout.write(summaryLines(summary, options.settle ?? false).join("\n") + "\n");
    return 0;
  } catch (e) {
    reporter.close();
    const err = e as { code?: string; exitCode?: number };
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
    const text = err.code?.startsWith("commander.") ? (e as Error).message.replace(/^error: /, "") : explainError(e);
    // Errors of the chain layer, the engine, viem and commander are already one line with a fix;
    // anything else is a bug, and says how to see where it came from.
    const known = e instanceof ChainError || e instanceof NasError || e instanceof BaseError || err.code?.startsWith("commander.");
    io.stderr.write(`error: ${text.replace(/\s*\n\s*/g, " ")}${known ? "" : " (unexpected; PONAS_DEBUG=1 shows the stack)"}\n`);
    if (io.env.PONAS_DEBUG && e instanceof Error) io.stderr.write(`${e.stack}\n`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigint);
    await server?.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
