// Helpers for the miner's integration tests: an embedded chain with the pool deployed, funded
// miner accounts, a round opened with viem as the manager would, moving chain time between
// windows, waiting for a condition, and spawning the CLI. Test-only; nothing in the miner imports
// it. (oracle/testing.ts may grow similar round helpers; these stay small and miner-specific.)
//
// Rounds here are paid without a verifier committee: topK 0, sampleBps 1 (0 is refused) and no
// verifiers, so a submission is re-trained — and, with nobody attesting, left unpaid — only when
// the seed draws it (probability 1/10000). The contract then demands a large stake
// (minSafeStake = rewardTotal · 9999 for K = 0), read from its own PoNASPoolUnsafeStake error
// rather than recomputed, and the tests fund miners accordingly. Tests ask `isSampled` and expect
// 0 for a drawn submission, so their payout checks are exact either way.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BaseError, ContractFunctionRevertedError, parseUnits, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { connectPool, type PoolConnection } from "../chain/connect.js";
import { DEV_KEYS, startLocalChain, type LocalChain } from "../chain/localChain.js";
import { deploymentFile, poNASPoolAbi } from "../deployments/index.js";
import { arities, defaultSpace, partitionSpace, recipeId, resolveRecipe, spaceId, type Subspace } from "../nas/index.js";
import { sendPool, sendToken } from "./tx.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const TOKEN = 10n ** 18n;
/** The recipe miner tests train under: ~0.3–1 s per architecture on one core. */
export const TEST_RECIPE = "mnist-demo-v1";

export interface TestChain {
  chain: LocalChain;
  url: string;
  /** deployments/<name>.json of this chain (deleted by stopTestChain). */
  name: string;
  /** DEV_KEYS[0]: deployer, manager, holder of the whole token supply. */
  admin: PoolConnection;
}

/** Starts a hardhat node with the pool deployed as deployments/local-<label>-<pid>.json. */
export async function startTestChain(label = "miner"): Promise<TestChain> {
  const chain = await startLocalChain({ name: `local-${label}-${process.pid}` });
  const admin = await connectAs(chain.url, chain.name, DEV_KEYS[0]);
  return { chain, url: chain.url, name: chain.name, admin };
}

export function stopTestChain(tc: TestChain | undefined): void {
  if (!tc) return;
  tc.chain.stop();
  rmSync(deploymentFile(tc.name), { force: true });
}

/** A pool connection signing with `key`, polling fast (a local chain answers in milliseconds). */
export function connectAs(rpc: string, pool: string, key: Hex, pollingInterval = 100): Promise<PoolConnection> {
  return connectPool({ rpc, pool, account: privateKeyToAccount(key), pollingInterval });
}

/** Transfers `tokens` whole PONAS from the admin to `to`. */
export async function fund(tc: TestChain, to: Address, tokens: bigint): Promise<void> {
  await sendToken(tc.admin, "transfer", [to, tokens * TOKEN]);
}

export interface TestRoundOptions {
  /** At least this many tasks (partitionSpace of the default space). Default 3. */
  tasks?: number;
  /** Whole PONAS. Default 10. */
  reward?: bigint;
  baselineBps?: number;
  commitSeconds?: number;
  revealSeconds?: number;
  verifySeconds?: number;
  /** Default: mnist-demo-v1's id. */
  recipeId?: Hex;
  maxBackups?: number;
}

export interface TestRound {
  roundId: bigint;
  tasks: Subspace[];
  commitEnd: bigint;
  backupRevealStart: bigint;
  revealEnd: bigint;
  verifyEnd: bigint;
  rewardTotal: bigint;
  minStake: bigint;
  baselineBps: number;
}

/** Opens a round on the default space (see the header for why sampleBps 1 and no verifiers). */
export async function openTestRound(tc: TestChain, o: TestRoundOptions = {}): Promise<TestRound> {
  const space = defaultSpace();
  const tasks = partitionSpace(space, o.tasks ?? 3).tasks.map((t) => ({ mask: t.mask, value: t.value }));
  const now = await latestTimestamp(tc);
  const commitEnd = now + BigInt(o.commitSeconds ?? 3600);
  const revealEnd = commitEnd + BigInt(o.revealSeconds ?? 600);
  const verifyEnd = revealEnd + BigInt(o.verifySeconds ?? 600);
  const baselineBps = o.baselineBps ?? 1000;
  const rewardTotal = (o.reward ?? 10n) * TOKEN;
  const params = {
    spaceId: spaceId(space),
    recipeId: o.recipeId ?? recipeId(resolveRecipe(TEST_RECIPE)),
    arities: arities(space),
    commitEnd: Number(commitEnd),
    revealEnd: Number(revealEnd),
    verifyEnd: Number(verifyEnd),
    baselineBps,
    toleranceBps: 100,
    sampleBps: 1,
    slashBps: 5000,
    topK: 0,
    quorum: 1,
    maxBackups: o.maxBackups ?? 2,
    maxTasksPerMiner: 1,
    sigmaThreshold: 500 * 1_000_000,
    rewardTotal,
    minStake: 1n,
    verifierFee: 0n,
    feeBudget: 0n,
  };
  const masks = tasks.map((t) => t.mask);
  const values = tasks.map((t) => t.value);
  params.minStake = await requiredStake(tc, params, masks, values);
  await sendToken(tc.admin, "approve", [tc.admin.pool, rewardTotal]);
  await sendPool(tc.admin, "openRound", [params, masks, values]);
  const roundId = await tc.admin.poolContract.read.roundCount();
  return {
    roundId,
    tasks,
    commitEnd,
    backupRevealStart: (commitEnd + revealEnd) / 2n,
    revealEnd,
    verifyEnd,
    rewardTotal,
    minStake: params.minStake,
    baselineBps,
  };
}

/** The contract's stake floor for `params`, from its PoNASPoolUnsafeStake(minStake, required). */
async function requiredStake(tc: TestChain, params: object, masks: Hex[], values: Hex[]): Promise<bigint> {
  try {
    await tc.admin.publicClient.simulateContract({
      address: tc.admin.pool,
      abi: poNASPoolAbi,
      functionName: "openRound",
      args: [{ ...params, minStake: 1n } as never, masks, values],
      account: tc.admin.account!,
    });
    return 1n;
  } catch (e) {
    const revert = e instanceof BaseError ? (e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null) : null;
    if (revert?.data?.errorName === "PoNASPoolUnsafeStake") return revert.data.args![1] as bigint;
    throw e;
  }
}

export async function latestTimestamp(tc: TestChain): Promise<bigint> {
  return (await tc.admin.publicClient.getBlock({ blockTag: "latest" })).timestamp;
}

/** Mines a block at `timestamp` (no-op when the chain is already there). */
export async function advanceTo(tc: TestChain, timestamp: bigint): Promise<void> {
  if ((await latestTimestamp(tc)) >= timestamp) return;
  const rpc = tc.admin.publicClient as unknown as { request(a: { method: string; params: unknown[] }): Promise<unknown> };
  await rpc.request({ method: "evm_setNextBlockTimestamp", params: [`0x${timestamp.toString(16)}`] });
  await rpc.request({ method: "evm_mine", params: [] });
}

/** Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 120_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

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
      waitFor(() => lines.find((l) => re.test(l)) ?? (done ? Promise.reject(new Error(`miner exited before printing ${re}:\n${lines.join("\n")}`)) : undefined), `a miner line matching ${re}`, timeoutMs),
  };
}

/** floor(P · pot / ΣP): the payout rule the tests check the pool against. */
export function share(p: bigint, pot: bigint, sumP: bigint): bigint {
  return sumP === 0n ? 0n : (p * pot) / sumP;
}

export { DEV_KEYS, parseUnits };
