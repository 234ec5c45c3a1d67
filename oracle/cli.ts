// `npm run oracle -- --rpc <url> --pool <address|network> --key-file <path> …`: runs a verifier
// node (node.ts) until SIGINT/SIGTERM. Bad input (flags, key, RPC, a key that is not a staked
// verifier, a backend that does not load) ends it with one line on stderr and exit code 1.
import { Command, InvalidArgumentError, Option } from "commander";
import { fileURLToPath } from "node:url";
import { connectPool } from "../chain/connect.js";
import { explainError } from "../chain/errors.js";
import { loadAccount } from "../chain/keys.js";
import { parseBackend, useBackend, type BackendName } from "../nas/index.js";
import { retryAtStart } from "../ops/retry.js";
import { createLogger, LOG_LEVELS } from "../ops/log.js";
import { OracleMetrics, serveMetrics, type MetricsServer } from "./metrics.js";
import { OracleNode } from "./node.js";
import { ORACLE_DEFAULTS } from "./options.js";
import { parseChallengePolicy, type ChallengePolicy } from "./policy.js";
import { defaultStateDir } from "./state.js";

const int = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}`);
  }
  return n;
};
/** Commander reports an InvalidArgumentError as one line naming the flag. */
const asArg = <T>(parse: (v: string) => T) => (v: string) => {
  try {
    return parse(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

interface CliOptions {
  rpc: string;
  pool: string;
  keyFile?: string;
  backend: BackendName;
  workers: number;
  confirmations: number;
  stateDir?: string;
  metricsPort: number;
  metricsHost: string;
  challenge: ChallengePolicy;
  pollMs: number;
  autoStake?: boolean;
  echo?: boolean;
  rpcWait: number;
  logLevel: string;
}

export function oracleProgram(): Command {
  return new Command()
    .name("oracle")
    .description("PoNAS verifier node: re-trains sampled submissions and attests their scores")
    .requiredOption("--rpc <url>", "JSON-RPC endpoint (or $PONAS_RPC_URL)", process.env.PONAS_RPC_URL)
    .option("--pool <address|network>", "pool address or deployments/<network>.json name", "localhost")
    .option("--key-file <path>", "verifier key file (or $PONAS_PRIVATE_KEY); never logged")
    .option("--backend <name>", "tfjs backend: auto, wasm, cpu, node, gpu (wasm matches the miners' default bit for bit)", asArg(parseBackend), ORACLE_DEFAULTS.backend)
    .option("--workers <n>", "training worker processes (trainings at a time)", int("--workers", 1, 256), ORACLE_DEFAULTS.workers)
    .option("--confirmations <k>", "blocks to wait before acting on an event", int("--confirmations", 0, 1000), ORACLE_DEFAULTS.confirmations)
    .option("--state-dir <dir>", "where the last processed block is kept (default .ponas/oracle-<address>)")
    .option("--metrics-port <port>", "serve /metrics and /healthz on this port (0: no server)", int("--metrics-port", 0, 65535), 0)
    .option("--metrics-host <host>", "interface for the metrics server", "127.0.0.1")
    .addOption(
      new Option("--challenge <policy>", "none, or above:<bps> to challenge every claim above <bps>")
        .argParser(asArg(parseChallengePolicy))
        .default(ORACLE_DEFAULTS.challenge, ORACLE_DEFAULTS.challenge.text),
    )
    .option("--poll-ms <ms>", "pause between looks at the chain", int("--poll-ms", 10, 3_600_000), ORACLE_DEFAULTS.pollMs)
    .option("--auto-stake", "top up the verifier stake to the pool's minimum from this key's PONAS")
    .option("--rpc-wait <seconds>", "at start, wait this long for an unreachable RPC endpoint (0: exit at once, e.g. for a wrong --rpc)", int("--rpc-wait", 0, 86_400), 0)
    .option("--echo", "DEMO/TEST ONLY: a lazy verifier that seals each claimed score without training (it loses fees and stake)")
    .option("--log-level <level>", `one of ${LOG_LEVELS.join(", ")}`, asArg((v) => {
      if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new Error(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);
      return v;
    }), "info")
    .showHelpAfterError(false)
    .action(async (o: CliOptions) => {
      const account = loadAccount(o.keyFile);
      // Load the backend here once, so a missing package is one line now, not a dying worker later.
      await useBackend(o.backend);
      const log = createLogger({ name: "oracle", level: o.logLevel, base: { verifier: account.address } });
      const c = await retryAtStart(() => connectPool({ rpc: o.rpc, pool: o.pool, account, pollingInterval: o.pollMs }), o.rpcWait, (i) =>
        log.warn({ err: explainError(i.error), retryInMs: i.retryInMs }, "RPC endpoint unreachable at start; waiting for it (--rpc-wait)"),
      );
      const metrics = new OracleMetrics().withProcessMetrics();
      const node = new OracleNode(c, {
        stateDir: o.stateDir ?? defaultStateDir(account.address),
        backend: o.backend,
        workers: o.workers,
        confirmations: o.confirmations,
        pollMs: o.pollMs,
        challenge: o.challenge,
        autoStake: o.autoStake,
        echo: o.echo,
        logger: log,
        metrics,
      });
      await node.start();
      let server: MetricsServer | undefined;
      if (o.metricsPort) {
        server = await serveMetrics(metrics, () => node.health(), o.metricsPort, o.metricsHost);
        log.info({ port: server.port, host: o.metricsHost }, "metrics on /metrics, health on /healthz");
      }
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          log.info({ signal }, "stopping");
          resolve();
        };
        process.once("SIGINT", shutdown);
        process.once("SIGTERM", shutdown);
      });
      await node.stop();
      await server?.close();
    });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  oracleProgram()
    .parseAsync()
    .then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`error: ${explainError(e)}`);
        process.exit(1);
      },
    );
}
