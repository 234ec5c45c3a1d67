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
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import type { TestRoundOptions } from "../chain/testing.js";
import { spawnCli, type Spawned } from "../ops/spawn.js";


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

export type SpawnedMiner = Spawned;

/** Runs `node --import tsx miner/cli.ts …args` from the repository root (ops/spawn.ts). */
export function spawnMiner(args: string[], env: NodeJS.ProcessEnv = {}): SpawnedMiner {
  return spawnCli("miner/cli.ts", args, env);
}

/** floor(P · pot / ΣP): the payout rule the tests check the pool against. */
export function share(p: bigint, pot: bigint, sumP: bigint): bigint {
  return sumP === 0n ? 0n : (p * pot) / sumP;
}
