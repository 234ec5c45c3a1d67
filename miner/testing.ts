// Helpers for the miner's integration tests, on top of chain/testing.ts (chain, funding, rounds,
// chain time, waitFor): the round preset the miner tests open, key files, spawning the CLI, and
// the payout rule. Test-only; nothing in the miner imports it.
//
// Rounds here are paid without a verifier committee (NO_COMMITTEE): topK 0, sampleBps 1 (0 is
// refused) and no verifiers, so a submission is re-trained — and, with nobody attesting, left
// unpaid — only when the seed draws it (probability 1/10000). The contract then demands a large
// stake (minSafeStake = rewardTotal · 9999 / (1 − slashBps) = rewardTotal · 19998 for K = 0 and
// the default slashBps 5000), which openRound reads from its own PoNASPoolUnsafeStake error rather
// than recomputing it, and the tests fund miners accordingly.
// Tests ask `isSampled` and expect 0 for a drawn submission, so their payout checks are exact
// either way.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";
import { waitFor, type TestRoundOptions } from "../chain/testing.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * What a miner test round changes in chain/testing.ts's TEST_ROUND (spread it before the test's
 * own options): no committee (sampleBps 1; TEST_ROUND has topK 0 already) and so no
 * verifier fees, a 10 PONAS reward, the contract's stake floor as the stake (minStake undefined),
 * 10-minute reveal and verify windows after the one-hour commit window, 2 backup slots per task,
 * one claim per miner, tolerance 100 bps.
 */
export const NO_COMMITTEE: TestRoundOptions = {
  sampleBps: 1,
  reward: "10",
  feeBudget: "0",
  verifierFee: "0",
  minStake: undefined,
  revealSeconds: 600,
  verifySeconds: 600,
  maxBackups: 2,
  maxTasksPerMiner: 1,
  toleranceBps: 100,
};

/** Writes `key` to `<dir>/<name>` as a miner key file. */
export function writeKeyFile(dir: string, name: string, key: Hex): string {
  const file = join(dir, name);
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return file;
}

export interface SpawnedMiner {
  proc: ChildProcess;
  /** Every line of stdout and stderr so far, in arrival order. */
  lines: string[];
  stdout: string[];
  stderr: string[];
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node --import tsx miner/cli.ts …args` from the repository root. */
export function spawnMiner(args: string[], env: NodeJS.ProcessEnv = {}): SpawnedMiner {
  const proc = spawn(process.execPath, ["--import", "tsx", "miner/cli.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, PONAS_PRIVATE_KEY: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (stream: NodeJS.ReadableStream, into: string[]) => {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      rest += chunk;
      const parts = rest.split("\n");
      rest = parts.pop()!;
      for (const l of parts) {
        into.push(l);
        lines.push(l);
      }
    });
    stream.on("end", () => {
      if (rest) {
        into.push(rest);
        lines.push(rest);
      }
    });
  };
  collect(proc.stdout!, stdout);
  collect(proc.stderr!, stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on("close", (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  return {
    proc,
    lines,
    stdout,
    stderr,
    exited,
    waitForLine: (re, timeoutMs = 120_000) =>
      waitFor(`a miner line matching ${re}`, () => lines.find((l) => re.test(l)) ?? (done ? Promise.reject(new Error(`miner exited before printing ${re}:\n${lines.join("\n")}`)) : undefined), timeoutMs),
  };
}

/** floor(P · pot / ΣP): the payout rule the tests check the pool against. */
export function share(p: bigint, pot: bigint, sumP: bigint): bigint {
  return sumP === 0n ? 0n : (p * pot) / sumP;
}
