// Test-only helpers shared by every node's tests (oracle, miner, …). Not a test file, and no node
// imports it: tests do. Suite-specific helpers (oracle/testing.ts, miner/testing.ts) build on it.
//
// A hardhat node with the pool deployed under a unique deployments name, connections signing with
// a dev key, tokens from the admin, a round opened with the pool client's own openRound, chain-time
// jumps between a round's windows, and polling for a condition. Everything goes through viem and
// the real contract; nothing here re-implements a pool or NAS rule.
//
//   const t = await startTestChain("oracle-node");          // admin = DEV_KEYS[0]
//   const m = await t.connect(DEV_KEYS[3]);
//   await fund(t.admin, m.account!.address, 1000n * TOKEN);
//   const round = await openTestRound(t.admin, { tasks: 3 });
//   …; await enterWindow(t.admin, round, "reveal"); …
//   await waitFor("three commitments", async () => (await …).length === 3);
//   t.stop();
import { rmSync } from "node:fs";
import type { Address, Hex, TransactionReceipt } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deploymentFile } from "../deployments/index.js";
import { defaultSpace, resolveRecipe, type Recipe, type SearchSpace, type Task } from "../nas/index.js";
import { openRound, ROUND_DEFAULTS, type RoundOptions } from "./actions/openRound.js";
import { sendToken } from "./actions/send.js";
import { connectPool, type PoolConnection } from "./connect.js";
import { advanceTo } from "./devTime.js";
import { DEV_KEYS, startLocalChain, type LocalChain } from "./localChain.js";
import type { RoundParams } from "./round.js";

export { advanceTo, DEV_KEYS };

/** One PONAS in the token's smallest unit (18 decimals). */
export const TOKEN = 10n ** 18n;
/** The recipe test rounds train under by default: ~0.3–1 s per architecture on one core. */
export const TEST_RECIPE = "mnist-demo-v1";

export interface TestChain {
  chain: LocalChain;
  /** Connection of the deployer (DEV_KEYS[0]): admin, manager, holder of the whole token supply. */
  admin: PoolConnection;
  /** A connection signing with `key` (one of DEV_KEYS: funded with ETH for gas), via `rpc` (default: the chain). */
  connect(key: Hex, rpc?: string): Promise<PoolConnection>;
  /** Stops the node and removes deployments/<name>.json. */
  stop(): void;
}

/** Starts a hardhat node with the pool deployed as deployments/local-<label>-<pid>.json. */
export async function startTestChain(label: string): Promise<TestChain> {
  const chain = await startLocalChain({ name: `local-${label}-${process.pid}` });
  const stop = () => {
    chain.stop();
    rmSync(deploymentFile(chain.name), { force: true });
  };
  try {
    // polling fast: a local chain answers in milliseconds
    const connect = (key: Hex, rpc = chain.url) =>
      connectPool({ rpc, pool: chain.name, account: privateKeyToAccount(key), pollingInterval: 100 });
    return { chain, admin: await connect(DEV_KEYS[0]), connect, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** The account and chain a contract write from `c` needs: `contract.write.f(args, txFrom(c))`. */
export const txFrom = (c: PoolConnection) => ({ account: c.account!, chain: c.chain });

/**
 * Waits for a transaction a test sent by hand (`contract.write.f(…)`, e.g. to set up a state no
 * node would send) and throws when it reverted. Nodes send through chain/actions/send.ts.
 */
export async function mined(c: PoolConnection, hash: Hex): Promise<TransactionReceipt> {
  const rc = await c.publicClient.waitForTransactionReceipt({ hash });
  if (rc.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return rc;
}

/** Sends `amount` PONAS in the token's smallest unit (whole tokens: n * TOKEN) from the admin to `to`. */
export async function fund(admin: PoolConnection, to: Address, amount: bigint): Promise<void> {
  await sendToken(admin, "transfer", [to, amount]);
}

export type { RoundParams };

/**
 * Defaults of a test round, over openRound's ROUND_DEFAULTS (baselineBps 1000, slashBps 5000,
 * noShowBps 2000, sigmaThreshold 500e6 stay the manager's): two tasks, every submission
 * re-trained (sampleBps 10000, no top-K), final at three attestations (quorum 3, the least the
 * contract takes: a test whose verification must complete enrols three verifiers), a fixed 10
 * PONAS stake per claim, one-hour windows (tests jump over them), no backups, up to 4 claims per
 * miner. The default space and TEST_RECIPE complete it.
 */
export const TEST_ROUND = {
  tasks: 2,
  reward: "100",
  feeBudget: "10",
  verifierFee: "1",
  minStake: "10",
  commitSeconds: 3600,
  revealSeconds: 3600,
  verifySeconds: 3600,
  toleranceBps: 200,
  sampleBps: 10_000,
  topK: 0,
  quorum: 3,
  maxBackups: 0,
  maxTasksPerMiner: 4,
  // Most test rounds exercise claims, reveals and payouts with no verifier enrolled, so they could
  // never reach a verdict: openRound would refuse them (chain/roundRules.ts). A test whose
  // verification must complete enrols and stakes three verifiers and may pass checkCommittee: true.
  checkCommittee: false,
} satisfies Partial<RoundOptions>;

/**
 * Any of the manager's round options, over TEST_ROUND: `space` (default: defaultSpace()),
 * `recipe` (default: TEST_RECIPE; any Recipe object, e.g. one no node ships), `tasks`, `reward`,
 * `feeBudget`, `verifierFee` (decimal PONAS strings), `minStake` (undefined: the contract's own
 * floor for these parameters), window lengths, and every rule (sampleBps, topK, quorum, …).
 */
export type TestRoundOptions = Partial<RoundOptions>;

export interface TestRound {
  roundId: bigint;
  /** The tasks in on-chain order (task i = tasks[i]). */
  tasks: Task[];
  /** The round as the pool stores it (windows, rewardTotal, minStake, baselineBps, …). */
  params: RoundParams;
  space: SearchSpace;
  recipe: Recipe;
}

/** Opens a round with the pool client's openRound (which funds it from the admin): TEST_ROUND, then `over`. */
export async function openTestRound(admin: PoolConnection, over: TestRoundOptions = {}): Promise<TestRound> {
  const o: RoundOptions = {
    ...ROUND_DEFAULTS,
    ...TEST_ROUND,
    ...over,
    space: over.space ?? defaultSpace(),
    recipe: over.recipe ?? resolveRecipe(TEST_RECIPE),
  };
  const r = await openRound(admin, o);
  return { roundId: r.roundId, tasks: r.tasks, params: await admin.poolContract.read.getRound([r.roundId]), space: o.space, recipe: o.recipe };
}

/** The windows enterWindow jumps into; "verify" is also the attestations' commit phase. */
export type TestWindow = "reveal" | "backup-reveal" | "verify" | "attest-reveal" | "attest-decide" | "escalation-reveal" | "attest-final" | "after";

/**
 * Jumps chain time to the first second of a window: "reveal" (the primaries' half of the reveal
 * window), "backup-reveal" (the backups' half, from the lens's backupRevealStart), "verify" (its
 * first phase: challenges and drawn sealed commits), "attest-reveal" (the drawn reveals),
 * "attest-decide" (past the drawn reveals: an undisputed submission is decided, a disputed one
 * takes escalation commits), "escalation-reveal" (the escalation's reveals), "attest-final" (past
 * them: a disputed submission is decided), all from the lens's attestPhases, or "after" (past
 * verifyEnd: finalizable). Nodes see the jump through the block it mines.
 */
export async function enterWindow(c: PoolConnection, round: TestRound, window: TestWindow): Promise<void> {
  const p = round.params;
  let start: bigint;
  if (window === "backup-reveal") start = await c.lensContract.read.backupRevealStart([round.roundId]);
  else if (window === "attest-reveal" || window === "attest-decide" || window === "escalation-reveal" || window === "attest-final") {
    const [commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd] = await c.lensContract.read.attestPhases([round.roundId]);
    start = { "attest-reveal": commitEnd, "attest-decide": revealEnd, "escalation-reveal": escalationCommitEnd, "attest-final": escalationRevealEnd }[window];
  } else start = BigInt({ reveal: p.commitEnd, verify: p.revealEnd, after: p.verifyEnd }[window]);
  await advanceTo(c.publicClient, start + 1n);
}

/**
 * Polls `probe` every `intervalMs` (default 100) until it returns something other than
 * undefined/false, and returns that; throws after `timeoutMs` (default 60 s) naming `what`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
