// What a verifier node can be told, and its defaults written once: the CLI (cli.ts) shows and
// applies ORACLE_DEFAULTS as its flags' defaults, and OracleNode fills in the same values for
// callers that run it in-process (tests, the demo). Bad values end with a one-line OracleError.
import type { BackendName } from "../nas/index.js";
import { OracleError } from "./errors.js";
import type { Logger } from "../ops/log.js";
import type { OracleMetrics } from "./metrics.js";
import { parseChallengePolicy, type ChallengePolicy } from "./policy.js";

export interface OracleOptions {
  /** Where state.json lives (see state.ts); one directory per verifier key and pool. */
  stateDir: string;
  /** tfjs backend for re-training; default "wasm", the engine's default, so scores match miners' bit for bit. */
  backend?: BackendName;
  /** Training worker processes, i.e. trainings at a time; default 1. */
  workers?: number;
  /** Blocks to wait before reading a block's events; default 0 (a local chain mines on demand). */
  confirmations?: number;
  /** Pause between two looks at the chain, ms; default 1000. */
  pollMs?: number;
  /** Which claims to challenge; default none. */
  challenge?: ChallengePolicy;
  /** Top up the verifier stake to the pool's minimum at start when it is below. */
  autoStake?: boolean;
  /** Most blocks per eth_getLogs request; default 2000 (public RPCs cap the range). */
  blockRange?: number;
  /** DEMO/TEST ONLY: a lazy verifier, sealing each claimed score with a zero digest and training nothing (the soak's lazy member). */
  echo?: boolean;
  logger?: Logger;
  metrics?: OracleMetrics;
}

/** Every option a node runs with, defaults filled in (the logger and metrics are objects, not settings). */
export type ResolvedOracleOptions = Required<Omit<OracleOptions, "logger" | "metrics">>;

export const ORACLE_DEFAULTS: Readonly<Omit<ResolvedOracleOptions, "stateDir">> = {
  backend: "wasm",
  workers: 1,
  confirmations: 0,
  pollMs: 1000,
  challenge: parseChallengePolicy("none"),
  autoStake: false,
  blockRange: 2000,
  echo: false,
};

/** `options` over ORACLE_DEFAULTS, checked. */
export function resolveOracleOptions(options: OracleOptions): ResolvedOracleOptions {
  const o: ResolvedOracleOptions = {
    stateDir: options.stateDir,
    backend: options.backend ?? ORACLE_DEFAULTS.backend,
    workers: options.workers ?? ORACLE_DEFAULTS.workers,
    confirmations: options.confirmations ?? ORACLE_DEFAULTS.confirmations,
    pollMs: options.pollMs ?? ORACLE_DEFAULTS.pollMs,
    challenge: options.challenge ?? ORACLE_DEFAULTS.challenge,
    autoStake: options.autoStake ?? ORACLE_DEFAULTS.autoStake,
    blockRange: options.blockRange ?? ORACLE_DEFAULTS.blockRange,
    echo: options.echo ?? ORACLE_DEFAULTS.echo,
  };
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new OracleError(`workers must be a positive integer, got ${o.workers}`);
  if (!Number.isInteger(o.confirmations) || o.confirmations < 0) throw new OracleError(`confirmations must be a non-negative integer`);
  return o;
}
