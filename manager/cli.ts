// `npm run manager -- <command>`: the pool manager's CLI. open-round partitions the space for the
// expected number of miners, funds and opens the round and lists its tasks in words; status shows
// a round's phase, claims, reveals, verification and projected payouts; finalize closes it; run
// (run.ts) does all of it unattended, round after round. The admin's committee, pause, unpause,
// sweep and transfer commands are in admin.ts.
import { randomInt } from "node:crypto";
import { Command, InvalidArgumentError, Option } from "commander";
import { intArg, tokenTextArg, withChain } from "../chain/cliArgs.js";
import { fileURLToPath } from "node:url";
import { connectPool, explainError, finalizeRound, fmtTokens, latestRound, loadAccount, openRound, ROUND_DEFAULTS } from "../chain/node.js";
import { COST_MODELS, describeSubspace, loadSpace, resolveRecipe } from "../nas/index.js";
import { createLogger } from "../ops/log.js";
import { retryAtStart } from "../ops/retry.js";
import { serveMetrics } from "../ops/serve.js";
import { ManagerMetrics, PoolManagerRun, REAL_ROUND, loadRunConfig } from "./run.js";
import { registerAdminCommands } from "./admin.js";
import { formatRound, roundView } from "./status.js";

/** An odd count in 3..9: the contract's quorum rule (an even count's median is a mean one verifier can move). */
const quorum = (v: string) => {
  const n = intArg("--quorum", 3, 9)(v);
  if (n % 2 === 0) throw new InvalidArgumentError("--quorum must be odd (3, 5, 7 or 9): no single verifier decides");
  return n;
};

/** --partition-seed: an integer in [0, 2^32), or "none". */
function partitionSeedArg(v: string): number | "none" {
  if (v === "none") return v;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n >= 2 ** 32) throw new InvalidArgumentError(`--partition-seed must be an integer in 0..${2 ** 32 - 1} or "none", got "${v}"`);
  return n;
}

export function managerProgram(): Command {
  const program = new Command().name("manager").description("PoNAS pool manager").showHelpAfterError(false);

  withChain(program.command("open-round"), true, "manager")
    .description("Partition the search space, fund the reward and open a round")
    .requiredOption("-n, --tasks <n>", "expected number of miners (at least this many tasks)", intArg("--tasks", 1, 10_000))
    .option("--space <path>", "search space JSON (default: the cell space on Fashion-MNIST)", REAL_ROUND.space)
    .option("--recipe <name|path>", "training recipe", REAL_ROUND.recipe)
    .option("--partition-seed <n|none>", "seed of the partition's permutation (default: a fresh random one; none: the space's own order, the same tasks every round)", partitionSeedArg)
    .option("--reward <tokens>", "R_total", tokenTextArg("--reward"), ROUND_DEFAULTS.reward)
    .option("--fee-budget <tokens>", "verifier fee budget", tokenTextArg("--fee-budget"), ROUND_DEFAULTS.feeBudget)
    .option("--verifier-fee <tokens>", "fee per revealed attestation that proves its re-training (digest agreed)", tokenTextArg("--verifier-fee"), ROUND_DEFAULTS.verifierFee)
    .option("--min-stake <tokens>", "stake per claimed task (default: the contract's safe minimum)", tokenTextArg("--min-stake"))
    .option("--commit <seconds>", "claim + commit window", intArg("--commit", 10, 1e8), ROUND_DEFAULTS.commitSeconds)
    .option("--reveal <seconds>", "reveal window (primaries first half, backups second)", intArg("--reveal", 2, 1e8), ROUND_DEFAULTS.revealSeconds)
    .option("--verify <seconds>", "verification window", intArg("--verify", 1, 1e8), ROUND_DEFAULTS.verifySeconds)
    .option("--baseline <bps>", "P = score above this", intArg("--baseline", 0, 9999), ROUND_DEFAULTS.baselineBps)
    .option("--tolerance <bps>", "claimed − verified above this is fraud", intArg("--tolerance", 0, 10000), ROUND_DEFAULTS.toleranceBps)
    .option("--sample <bps>", "re-training probability outside the top-K", intArg("--sample", 1, 10000), ROUND_DEFAULTS.sampleBps)
    .option("--top-k <k>", "highest claims always re-trained", intArg("--top-k", 0, 8), ROUND_DEFAULTS.topK)
    .option("--quorum <n>", "revealed attestations a verdict needs (odd, 3..9)", quorum, ROUND_DEFAULTS.quorum)
    .option("--slash <bps>", "share of a slash paid to verifiers (the rest goes to the treasury)", intArg("--slash", 0, 9999), ROUND_DEFAULTS.slashBps)
    // commander reads a --no-* option under the rest of its name: o.showBps
    .option("--no-show-bps <bps>", "share of the stake a claim that delivers nothing pays the treasury", intArg("--no-show-bps", 0, 10000), ROUND_DEFAULTS.noShowBps)
    .option("--max-backups <n>", "backup slots per task", intArg("--max-backups", 0, 8), ROUND_DEFAULTS.maxBackups)
    .option("--max-tasks <n>", "tasks per miner", intArg("--max-tasks", 1, 255), ROUND_DEFAULTS.maxTasksPerMiner)
    .option("--sigma-threshold <bps>", "σ_p (bps) at or above which backups open", intArg("--sigma-threshold", 0, 10000), 500)
    .addOption(new Option("--cost <model>", "what the partition balances: measured training time (from the space's table; FLOPs when it has none) or FLOPs").choices(COST_MODELS).default("time"))
    .option("--json", "print the result as JSON")
    .action(async (o) => {
      const c = await connectPool({ rpc: o.rpc, pool: o.pool, account: loadAccount(o.keyFile) });
      const space = loadSpace(o.space);
      const r = await openRound(c, {
        space,
        recipe: resolveRecipe(o.recipe),
        tasks: o.tasks,
        cost: o.cost,
        partitionSeed: o.partitionSeed === undefined ? randomInt(2 ** 32) : o.partitionSeed === "none" ? undefined : o.partitionSeed,
        reward: o.reward,
        feeBudget: o.feeBudget,
        verifierFee: o.verifierFee,
        minStake: o.minStake,
        commitSeconds: o.commit,
        revealSeconds: o.reveal,
        verifySeconds: o.verify,
        baselineBps: o.baseline,
        toleranceBps: o.tolerance,
        sampleBps: o.sample,
        topK: o.topK,
        quorum: o.quorum,
        slashBps: o.slash,
        noShowBps: o.showBps,
        maxBackups: o.maxBackups,
        maxTasksPerMiner: o.maxTasks,
        sigmaThreshold: o.sigmaThreshold * 1_000_000,
      });
      if (o.json) {
        console.log(JSON.stringify({ roundId: r.roundId.toString(), minStake: r.minStake.toString(), imbalance: r.imbalance, costModel: r.costModel, tx: r.tx, tasks: r.tasks.map((t) => ({ mask: t.mask, value: t.value, size: t.size })) }));
        return;
      }
      console.log(`opened round ${r.roundId} (tx ${r.tx}): ${r.tasks.length} tasks, cost imbalance ${r.imbalance.toFixed(2)} (by ${r.costModel}), stake per task ${fmtTokens(r.minStake)}`);
      r.tasks.forEach((t, i) => console.log(`  task ${i}: ${describeSubspace(space, t)} (${t.size} architectures)`));
    });

  withChain(program.command("status"), false)
    .description("Show a round: phase, tasks, claims, reveals, verification, projected payouts")
    .option("--round <id>", "round id (default: the latest)")
    .action(async (o) => {
      const c = await connectPool({ rpc: o.rpc, pool: o.pool });
      const id = o.round ? BigInt(intArg("--round", 1, Number.MAX_SAFE_INTEGER)(o.round)) : await latestRound(c);
      console.log(formatRound(await roundView(c, id)));
    });

  withChain(program.command("finalize"), true, "manager")
    .description("Finalize a round after its verify window (anyone may)")
    .option("--round <id>", "round id (default: the latest)")
    .action(async (o) => {
      const c = await connectPool({ rpc: o.rpc, pool: o.pool, account: loadAccount(o.keyFile) });
      const id = o.round ? BigInt(intArg("--round", 1, Number.MAX_SAFE_INTEGER)(o.round)) : await latestRound(c);
      const byUs = await finalizeRound(c, id);
      console.log(byUs ? `finalized round ${id}` : `round ${id} was already finalized`);
    });
  withChain(program.command("run"), true, "manager")
    .description("Open rounds back to back from a config file, finalise, settle and sweep finished ones; restart-safe")
    .requiredOption("--config <file>", "JSON config: { round: {tasks, recipe, reward, windows…}, schedule: {rounds, gapSeconds, settleAfterSeconds, sweep} }")
    .option("--rounds <n>", "stop once this many rounds are opened and closed (kept across restarts; default: the config's, else run until stopped)", intArg("--rounds", 1, 1e9))
    .option("--state-dir <dir>", "where the run's end and scan position are kept (default .ponas/manager-<address>)")
    .option("--poll-ms <ms>", "time between ticks", intArg("--poll-ms", 10, 600_000), 2000)
    .option("--metrics-port <port>", "serve /metrics and /healthz on this port (0: no server)", intArg("--metrics-port", 0, 65535), 0)
    .option("--metrics-host <host>", "address the metrics server binds", "127.0.0.1")
    .option("--log-level <level>", "pino log level", "info")
    .option("--rpc-wait <seconds>", "at start, wait this long for an unreachable RPC endpoint (0: exit at once)", intArg("--rpc-wait", 0, 86_400), 0)
    .action(async (o) => runCommand(o));
  registerAdminCommands(program);
  return program;
}

/** `manager run`: connects, serves metrics, ticks until SIGINT/SIGTERM or a bounded run's end. */
async function runCommand(o: { rpc: string; pool: string; keyFile?: string; config: string; rounds?: number; stateDir?: string; pollMs: number; metricsPort: number; metricsHost: string; logLevel: string; rpcWait: number }): Promise<void> {
  const config = loadRunConfig(o.config); // a bad file is refused before connecting
  const account = loadAccount(o.keyFile);
  const logger = createLogger({ name: "manager", level: o.logLevel, base: { manager: account.address } });
  const c = await retryAtStart(() => connectPool({ rpc: o.rpc, pool: o.pool, account, pollingInterval: Math.min(o.pollMs, 1000) }), o.rpcWait, (i) =>
    logger.warn({ err: explainError(i.error), retryInMs: i.retryInMs }, "RPC endpoint unreachable at start; waiting for it (--rpc-wait)"),
  );
  const abort = new AbortController();
  const run = new PoolManagerRun(c, config, { stateDir: o.stateDir, rounds: o.rounds, pollMs: o.pollMs, logger, metrics: new ManagerMetrics().withProcessMetrics(), signal: abort.signal });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => abort.abort());
  const server = o.metricsPort ? await serveMetrics(run.metrics, () => run.health(), o.metricsPort, o.metricsHost) : undefined;
  if (server) logger.info({ port: server.port }, "serving /metrics and /healthz");
  try {
    await run.run();
  } finally {
    await server?.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  managerProgram()
    .parseAsync()
    .catch((e: unknown) => {
      console.error(`error: ${explainError(e)}`);
      process.exit(1);
    });
}
