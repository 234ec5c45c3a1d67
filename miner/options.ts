// What a miner run can be told, shared by the CLI (which parses flags into it) and by callers that
// run the miner in-process (tests, the demo). Parsers here turn user text into values and reject
// bad text with a one-line MinerError that names the flag and the accepted forms.
import { parseUnits } from "viem";
import type { BackendName, StrategyName } from "../nas/index.js";
import { MinerError } from "./errors.js";
import type { MinerEvent } from "./events.js";

/** How long to search: a number of distinct training runs and/or seconds of searching. */
export interface Budget {
  evaluations?: number;
  seconds?: number;
}

export interface MinerOptions {
  /** Round id, or "latest" (the newest round when the miner starts). Default "latest". */
  round?: bigint | "latest";
  /** Task index, or "auto": the first open task (primary) / the first task taking backups. */
  task?: number | "auto";
  /** Join a task as a backup instead of claiming one as primary. */
  backup?: boolean;
  /** Default: no bound but the commit deadline (and the subspace size). */
  budget?: Budget;
  strategy?: StrategyName;
  backend?: BackendName;
  /** Wei to stake when free stake is below the round's minStake (at least the shortfall). */
  stake?: bigint;
  /** Default: defaultStateDir(address, round). */
  stateDir?: string;
  /** Search seed (uint32); default: random on the first run, then the persisted one. */
  seed?: number;
  /** Chain polling interval. Default 2000 ms. */
  pollMs?: number;
  /** Stop searching this many seconds (of chain time) before commitEnd. Default 30. */
  commitMarginSeconds?: number;
  /** Credit the reward to the stake (settle) instead of transferring it (withdraw). */
  settle?: boolean;
  /**
   * DEMO/TEST ONLY: claim the best score + this many bps (capped at 10000), i.e. behave like a
   * cheater so the demo can show verifiers slashing it. Never use it for real mining.
   */
  inflateBps?: number;
  /**
   * Run as a canary, the operator's planted known-false claim (chain/canary.ts): claim 2 × the
   * round's tolerance + 1 bps below the measured score, so that a verifier echoing the claim
   * instead of re-training is penalised. For the operator's own accounts only: it gives up reward.
   */
  canary?: boolean;
  /**
   * DEMO/TEST ONLY: claim and commit, then stop without revealing, i.e. behave like an
   * unreliable primary so the demo can show a backup taking over.
   */
  dropOut?: boolean;
  /**
   * Waits between tries of a phase the RPC endpoint failed (ops/retry.ts): doubling from
   * `firstMs` (default 500) up to `maxMs` (default 15000), for as long as the outage lasts.
   */
  rpcRetry?: { firstMs?: number; maxMs?: number };
  /** Progress and log events (the CLI prints them). */
  onEvent?: (event: MinerEvent) => void;
  /** Aborting stops the miner at its next wait or between evaluations. */
  signal?: AbortSignal;
}

export const DEFAULTS = {
  strategy: "evolution" as StrategyName,
  backend: "wasm" as BackendName,
  pollMs: 2000,
  commitMarginSeconds: 30,
};

/** "20" → 20 evaluations; "30m" → 30 minutes; "90s", "2h" also accepted. */
export function parseBudget(text: string): Budget {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$/i.exec(text);
  if (!m) throw new MinerError(`--budget "${text}" is neither a number of evaluations (e.g. 20) nor a duration (e.g. 30m, 90s, 2h)`);
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit === "") {
    if (!Number.isInteger(n) || n < 1) throw new MinerError(`--budget ${text}: a number of evaluations must be a positive integer`);
    return { evaluations: n };
  }
  if (!(n > 0)) throw new MinerError(`--budget ${text}: a duration must be positive`);
  return { seconds: n * { s: 1, m: 60, h: 3600 }[unit as "s" | "m" | "h"] };
}

/** Decimal PONAS ("1000", "0.5") → wei. */
export function parseTokens(text: string, flag = "--stake"): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(text.trim())) throw new MinerError(`${flag} "${text}" is not a token amount; use e.g. 1000 or 0.5 (PONAS)`);
  return parseUnits(text.trim(), 18);
}

/** "latest" or a positive integer. */
export function parseRound(text: string): bigint | "latest" {
  if (text === "latest") return "latest";
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw new MinerError(`--round "${text}" must be a round id (1, 2, …) or "latest"`);
  return BigInt(text);
}

/** `--rounds`: "all" or a positive number of rounds. */
export function parseRounds(text: string): number | "all" {
  if (text === "all") return "all";
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new MinerError(`--rounds "${text}" must be a number of rounds (1, 2, …) or "all"`);
  return Number(text);
}

/** "auto" or a task index. */
export function parseTask(text: string): number | "auto" {
  if (text === "auto") return "auto";
  if (!/^\d+$/.test(text)) throw new MinerError(`--task "${text}" must be a task index (0, 1, …) or "auto"`);
  return Number(text);
}

/** A non-negative integer within bounds, for numeric flags. */
export function parseIntIn(flag: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new MinerError(`${flag} "${text}" must be an integer in ${min}..${max}`);
    }
    return n;
  };
}
