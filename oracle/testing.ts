// Round set-up for integration tests of the off-chain nodes (oracle, miner, demo): a hardhat node
// with the pool deployed, funded verifiers and miners, a round over the default space under the
// demo recipe, claim/commit/reveal done the way a miner does it (commitment from the contract's
// own computeCommitment view), chain-time jumps between windows, captured logs and an RPC proxy
// that can be switched off. Not a test file: tests import it. Everything goes through viem and
// the real contract; nothing here re-implements a pool or NAS rule.
//
//   const t = await startTestChain("oracle-node");            // admin = DEV_KEYS[0]
//   const v = await t.connect(DEV_KEYS[1]); await addVerifier(t.admin, v);
//   const m = await t.connect(DEV_KEYS[3]); await addMiner(t.admin, m);
//   const round = await openTestRound(t.admin, { tasks: 2, quorum: 1 });
//   const c = await claimAndCommit(m, round, 0, genomeAt(round.space, round.tasks[0], 0), 7000);
//   await enterWindow(t.admin, round, "reveal"); await reveal(m, c);
//   await enterWindow(t.admin, round, "verify");             // verifiers may attest now
//   …; t.stop();
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import { Writable } from "node:stream";
import { keccak256, parseUnits, stringToHex, type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { connectPool, type PoolConnection } from "../chain/connect.js";
import { DEV_KEYS, startLocalChain, type LocalChain } from "../chain/localChain.js";
import { deploymentFile } from "../deployments/index.js";
import { openRound, ROUND_DEFAULTS, type RoundOptions } from "../manager/openRound.js";
import { defaultSpace, resolveRecipe, type Recipe, type SearchSpace, type Task } from "../nas/index.js";
import { createLogger, type Logger } from "./log.js";

export { DEV_KEYS };
export const TOKEN = 10n ** 18n;

export interface TestChain {
  chain: LocalChain;
  /** Connection of the deployer (DEV_KEYS[0]): admin, manager, holder of every token. */
  admin: PoolConnection;
  /** A connection signing with `key` (one of DEV_KEYS: funded with ETH for gas). */
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
    const connect = (key: Hex, rpc = chain.url) =>
      connectPool({ rpc, pool: chain.name, account: privateKeyToAccount(key), pollingInterval: 100 });
    return { chain, admin: await connect(DEV_KEYS[0]), connect, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

/** Waits for a transaction and throws when it reverted. */
export async function mined(c: PoolConnection, hash: Hex): Promise<TransactionReceipt> {
  const rc = await c.publicClient.waitForTransactionReceipt({ hash });
  if (rc.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return rc;
}

const as = (c: PoolConnection) => ({ account: c.account!, chain: c.chain });

/** Sends `tokens` PONAS (18 decimals) from the admin to `to`. */
export async function fund(admin: PoolConnection, to: Address, tokens: bigint): Promise<void> {
  await mined(admin, await admin.tokenContract.write.transfer([to, tokens], as(admin)));
}

/** Makes `v` an active committee verifier staked at the pool's minimum (funded by the admin). */
export async function addVerifier(admin: PoolConnection, v: PoolConnection): Promise<void> {
  const min = await admin.poolContract.read.minVerifierStake();
  const me = v.account!.address;
  await fund(admin, me, min);
  await mined(admin, await admin.poolContract.write.setVerifier([me, true], as(admin)));
  await mined(v, await v.tokenContract.write.approve([v.pool, min], as(v)));
  await mined(v, await v.poolContract.write.stakeVerifier([min], as(v)));
}

/** Funds `m` and stakes `stake` (default 1000 PONAS) in the pool, enough for several claims. */
export async function addMiner(admin: PoolConnection, m: PoolConnection, stake = 1000n * TOKEN): Promise<void> {
  await fund(admin, m.account!.address, stake);
  await mined(m, await m.tokenContract.write.approve([m.pool, stake], as(m)));
  await mined(m, await m.poolContract.write.stake([stake], as(m)));
}

export type RoundParams = Awaited<ReturnType<PoolConnection["poolContract"]["read"]["getRound"]>>;

export interface TestRound {
  roundId: bigint;
  /** The tasks in on-chain order (task i = tasks[i]). */
  tasks: Task[];
  params: RoundParams;
  space: SearchSpace;
  recipe: Recipe;
}

/** Defaults for a quick test round: every submission sampled, quorum 1, one-hour windows (jumped over). */
export const TEST_ROUND: Partial<RoundOptions> = {
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
  quorum: 1,
  maxBackups: 0,
  maxTasksPerMiner: 4,
};

/**
 * Opens a round with the manager's own openRound over the default space and the mnist-demo-v1
 * recipe (override `recipe` with another Recipe object, e.g. one the nodes do not ship).
 */
export async function openTestRound(admin: PoolConnection, over: Partial<RoundOptions> = {}): Promise<TestRound> {
  const space = over.space ?? defaultSpace();
  const recipe = over.recipe ?? resolveRecipe("mnist-demo-v1");
  // The manager probes the stake floor by simulating openRound before it approves the funds; with
  // sampleBps 10000 there is no floor, the probe gets as far as the token pull and fails on the
  // allowance. Approving first sidesteps that (reported to the manager's owner).
  const need = parseUnits(over.reward ?? TEST_ROUND.reward!, 18) + parseUnits(over.feeBudget ?? TEST_ROUND.feeBudget!, 18);
  await mined(admin, await admin.tokenContract.write.approve([admin.pool, need], as(admin)));
  const r = await openRound(admin, { ...ROUND_DEFAULTS, ...TEST_ROUND, ...over, space, recipe } as RoundOptions);
  return { roundId: r.roundId, tasks: r.tasks, params: await admin.poolContract.read.getRound([r.roundId]), space, recipe };
}

export interface Commitment {
  roundId: bigint;
  task: bigint;
  /** 0: the primary (claimAndCommit claims as primary). */
  slot: bigint;
  miner: Address;
  genome: Hex;
  scoreBps: number;
  salt: Hex;
}

/** Claims `task` as primary and commits to `genome` with `scoreBps` (during the claim window). */
export async function claimAndCommit(m: PoolConnection, round: TestRound, task: number, genome: Hex, scoreBps: number): Promise<Commitment> {
  const miner = m.account!.address;
  const t = BigInt(task);
  const salt = keccak256(stringToHex(`salt:${miner}:${round.roundId}:${task}`));
  await mined(m, await m.poolContract.write.claim([round.roundId, t], as(m)));
  const commitment = await m.poolContract.read.computeCommitment([round.roundId, t, miner, genome, scoreBps, salt]);
  await mined(m, await m.poolContract.write.commit([round.roundId, commitment], as(m)));
  return { roundId: round.roundId, task: t, slot: 0n, miner, genome, scoreBps, salt };
}

/** Reveals a commitment (during the primaries' half of the reveal window). */
export async function reveal(m: PoolConnection, c: Commitment): Promise<void> {
  await mined(m, await m.poolContract.write.reveal([c.roundId, c.task, c.slot, c.genome, c.scoreBps, c.salt], as(m)));
}

/** Mines one block at `timestamp` (or now, when that is past): the nodes see time only through blocks. */
export async function advanceTo(client: PublicClient, timestamp: bigint | number): Promise<void> {
  const now = (await client.getBlock({ blockTag: "latest" })).timestamp;
  if (BigInt(timestamp) > now) {
    await client.request({ method: "evm_setNextBlockTimestamp" as never, params: [`0x${BigInt(timestamp).toString(16)}`] as never });
  }
  await client.request({ method: "evm_mine" as never, params: [] as never });
}

/** Jumps to the first second of a window: reveal (primaries), verify, or after (finalizable). */
export async function enterWindow(c: PoolConnection, round: TestRound, window: "reveal" | "verify" | "after"): Promise<void> {
  const p = round.params;
  const at = { reveal: p.commitEnd, verify: p.revealEnd, after: p.verifyEnd }[window];
  await advanceTo(c.publicClient, BigInt(at) + 1n);
}

/** Polls `probe` until it returns something other than undefined/false; throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Attested events of a round (optionally only `verifier`'s). */
export async function attestations(c: PoolConnection, roundId: bigint, verifier?: Address) {
  return c.publicClient.getContractEvents({
    address: c.pool,
    abi: c.poolContract.abi,
    eventName: "Attested",
    args: verifier ? { roundId, verifier } : { roundId },
    fromBlock: c.fromBlock,
    strict: true,
  });
}

export interface CapturedLogger {
  logger: Logger;
  /** Every log line so far, parsed. */
  lines: Record<string, unknown>[];
  /** Lines whose `msg` is `msg`. */
  find(msg: string): Record<string, unknown>[];
}

/** A pino logger that keeps its JSON lines in memory (and prints them when $ORACLE_TEST_LOG is set). */
export function captureLogs(base: Record<string, unknown> = {}, level = "debug"): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) {
        lines.push(JSON.parse(l));
        if (process.env.ORACLE_TEST_LOG) process.stdout.write(l + "\n");
      }
      done();
    },
  });
  return { logger: createLogger({ level, destination, base }), lines, find: (msg) => lines.filter((l) => l.msg === msg) };
}

export interface RpcProxy {
  url: string;
  /** While true, every connection is dropped (an RPC outage). */
  down: boolean;
  close(): Promise<void>;
}

/** An HTTP JSON-RPC proxy in front of `target` that a test can switch off and on. */
export async function rpcProxy(target: string): Promise<RpcProxy> {
  const proxy: RpcProxy = { url: "", down: false, close: async () => undefined };
  const server = createServer(async (req, res) => {
    if (proxy.down) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const r = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
      res.writeHead(r.status, { "content-type": "application/json" }).end(Buffer.from(await r.arrayBuffer()));
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

