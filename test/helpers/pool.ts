// Shared fixture for the pool's contract tests: deploys token and pool on the in-process
// Hardhat network, funds actors, and builds round parameters, tasks and commitments the way
// the miner client does. Tests import from here rather than re-deriving any of it.
import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { FutureBlockRandomness, PoNASLens, PoNASPool, PoolToken, VerifierCommittee } from "../../types/ethers-contracts/index.js";
import type { Address, Hex } from "viem";
import { weightsSeal } from "../../chain/seals.js";
import { owed, type AccountLedger, type RoundLedger } from "../../chain/conservation.js";

export const connection = await network.getOrCreate();
export const { ethers, networkHelpers } = connection;

export const BPS = 10_000n;
export const TOKEN = 10n ** 18n;
/** A small 4-gene space: arities 3, 4, 2, 5 (the rest unused) = 120 architectures. */
export const GENE_ARITIES = [3, 4, 2, 5];
export const ARITIES = genes(GENE_ARITIES);

/** bytes32 of per-gene bytes, gene 0 first (most significant byte). */
export function genes(values: number[]): string {
  if (values.length > 32) throw new Error("at most 32 genes");
  const bytes = new Uint8Array(32);
  values.forEach((v, i) => (bytes[i] = v));
  return ethers.hexlify(bytes);
}

/** A genome inside the subspace fixing `prefix`, the i-th one in mixed radix of the free genes. */
export function genomeIn(prefix: number[], i: number): string {
  const g = [...prefix];
  let rest = i;
  for (let k = prefix.length; k < GENE_ARITIES.length; k++) {
    g.push(rest % GENE_ARITIES[k]);
    rest = Math.floor(rest / GENE_ARITIES[k]);
  }
  return genes(g);
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1), so every "random" test sequence is reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A subspace fixing the given leading genes: mask 0xff on each, value = the gene. */
export function prefixTask(prefix: number[]): { mask: string; value: string } {
  return { mask: genes(prefix.map(() => 0xff)), value: genes(prefix) };
}

/** Tasks partitioning ARITIES by its first gene (3 tasks) or first two genes (12 tasks). */
export function partition(depth: 1 | 2): { masks: string[]; values: string[] } {
  const tasks: { mask: string; value: string }[] = [];
  for (let a = 0; a < 3; a++) {
    if (depth === 1) tasks.push(prefixTask([a]));
    else for (let b = 0; b < 4; b++) tasks.push(prefixTask([a, b]));
  }
  return { masks: tasks.map((t) => t.mask), values: tasks.map((t) => t.value) };
}

export type RoundParams = Parameters<PoNASPool["openRound"]>[0];

export interface Timing {
  commit: number;
  reveal: number;
  verify: number;
}
export const DEFAULT_TIMING: Timing = { commit: 3600, reveal: 3600, verify: 3600 };

/** Round parameters that satisfy every check of openRound, with overrides. */
export async function roundParams(overrides: Partial<Record<string, unknown>> = {}, timing = DEFAULT_TIMING) {
  const now = BigInt(await networkHelpers.time.latest());
  const commitEnd = now + BigInt(timing.commit);
  const revealEnd = commitEnd + BigInt(timing.reveal);
  const verifyEnd = revealEnd + BigInt(timing.verify);
  return {
    spaceId: ethers.id("space:test-4-genes"),
    recipeId: ethers.id("recipe:test"),
    arities: ARITIES,
    commitEnd,
    revealEnd,
    verifyEnd,
    baselineBps: 9000,
    toleranceBps: 100,
    sampleBps: 5000,
    slashBps: 2000,
    rewardTotal: 1000n * TOKEN,
    // minSafeStake(1000, 50%, topK 3, slashBps 20%) = 1000 * 5000 / (5000 * 4 * 0.8) = 312.5
    minStake: 320n * TOKEN,
    verifierFee: 1n * TOKEN,
    feeBudget: 50n * TOKEN,
    sigmaThreshold: 500n * 1_000_000n,
    topK: 3,
    // No single verifier decides: the smallest quorum openRound accepts (the fixture has 3 verifiers).
    quorum: 3,
    // Contract tests opt in to the no-show fee (the manager's default is ROUND_DEFAULTS.noShowBps).
    noShowBps: 0,
    maxBackups: 2,
    maxTasksPerMiner: 3,
    ...overrides,
  };
}

export interface Actors {
  admin: HardhatEthersSigner;
  treasury: HardhatEthersSigner;
  miners: HardhatEthersSigner[];
  verifiers: HardhatEthersSigner[];
  outsider: HardhatEthersSigner;
}

export const MIN_VERIFIER_STAKE = 100n * TOKEN;
/** Blocks between a seed request and the block whose hash decides it (the fixture's FutureBlockRandomness). */
export const RANDOMNESS_DELAY = 1n;

/** Token + pool, 8 miners with 10,000 tokens each (approved), 3 active staked verifiers. */
export function deployPool() {
  return deployPoolWithSupply(10_000_000n * TOKEN);
}

/** deployPool with a token of `supply` wei, all the admin's (the attack harness deploys the largest the pool accepts). */
/** Seconds a BeaconRandomness source gives committers to reveal once its inner value is fixed. */
export const BEACON_WINDOW = 120n;

async function deploySource(source: "FutureBlockRandomness" | "BrokenRandomness" | "BeaconRandomness") {
  if (source === "BeaconRandomness") {
    const inner = await ethers.deployContract("FutureBlockRandomness", [RANDOMNESS_DELAY]);
    return ethers.deployContract("BeaconRandomness", [await inner.getAddress(), BEACON_WINDOW]);
  }
  return ethers.deployContract(source, source === "FutureBlockRandomness" ? [RANDOMNESS_DELAY] : []);
}

export async function deployPoolWithSupply(supply: bigint, source: "FutureBlockRandomness" | "BrokenRandomness" | "BeaconRandomness" = "FutureBlockRandomness") {
  const signers = await ethers.getSigners();
  const [admin, treasury, outsider] = signers;
  const miners = signers.slice(3, 11);
  const verifiers = signers.slice(11, 14);
  const token = (await ethers.deployContract("PoolToken", [
    "PoNAS Pool Token",
    "PONAS",
    admin.address,
    supply,
  ])) as unknown as PoolToken;
  const randomness = (await deploySource(source)) as unknown as FutureBlockRandomness;
  const pool = (await ethers.deployContract("PoNASPool", [
    await token.getAddress(),
    admin.address,
    treasury.address,
    MIN_VERIFIER_STAKE,
    await randomness.getAddress(),
  ])) as unknown as PoNASPool;
  const poolAddress = await pool.getAddress();
  const committeeAddress = await pool.committee();
  const committee = (await ethers.getContractAt("VerifierCommittee", committeeAddress)) as unknown as VerifierCommittee;
  const lens = (await ethers.getContractAt("PoNASLens", await pool.lens())) as unknown as PoNASLens;
  await token.connect(admin).approve(poolAddress, ethers.MaxUint256);
  for (const m of [...miners, ...verifiers, outsider]) {
    await token.connect(admin).transfer(m.address, 10_000n * TOKEN);
    await token.connect(m).approve(poolAddress, ethers.MaxUint256);
    await token.connect(m).approve(committeeAddress, ethers.MaxUint256);
  }
  for (const v of verifiers) {
    await committee.connect(admin).setVerifier(v.address, true);
    await committee.connect(v).stakeVerifier(MIN_VERIFIER_STAKE);
  }
  const actors: Actors = { admin, treasury, miners, verifiers, outsider };
  return { token, pool, poolAddress, committee, committeeAddress, lens, randomness, actors };
}

export type Deployed = Awaited<ReturnType<typeof deployPool>>;

/** Opens a round partitioned by the first gene (3 tasks) unless masks/values are given. */
export async function openRound(
  d: Deployed,
  overrides: Partial<Record<string, unknown>> = {},
  tasks: { masks: string[]; values: string[] } = partition(1),
  timing = DEFAULT_TIMING,
) {
  const p = await roundParams(overrides, timing);
  const tx = await d.pool.connect(d.actors.admin).openRound(p, tasks.masks, tasks.values);
  await tx.wait();
  const roundId = await d.pool.roundCount();
  return { roundId, params: p };
}

export interface Reveal {
  roundId: bigint;
  task: number;
  slot: number;
  genome: string;
  score: number;
  salt: string;
  /** The weights seal revealed; default the honest one (honestSeal: the miner trained it). */
  seal?: string;
}

/** The digest every honest reference (bit-exact) training of a submission yields, in tests. */
export function trueDigest(roundId: bigint, task: number, slot: number): string {
  return ethers.id(`weights:${roundId}:${task}:${slot}`);
}

/** The weights seal `miner` reveals for `digest` (default: the submission's trueDigest, an honest training). */
export async function honestSeal(
  pool: { getAddress(): Promise<string> },
  miner: { address: string },
  roundId: bigint,
  task: number | bigint,
  slot: number | bigint,
  digest = trueDigest(roundId, Number(task), Number(slot)),
): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  return weightsSeal({ chainId, pool: (await pool.getAddress()) as Address, roundId, task: BigInt(task), miner: miner.address as Address, weightsDigest: digest as Hex });
}

/** Commits `r` for `miner`, returning what reveal() needs. */
export async function commitFor(d: Deployed, miner: HardhatEthersSigner, r: Omit<Reveal, "salt"> & { salt?: string }) {
  const salt = r.salt ?? ethers.hexlify(ethers.randomBytes(32));
  const h = await d.pool.computeCommitment(r.roundId, r.task, miner.address, r.genome, r.score, salt);
  await (await d.pool.connect(miner).commit(r.roundId, h)).wait();
  return { ...r, salt, commitment: h } as Reveal & { commitment: string };
}

export async function revealFor(d: Deployed, miner: HardhatEthersSigner, r: Reveal) {
  const seal = r.seal ?? (await honestSeal(d.pool, miner, r.roundId, r.task, r.slot));
  return d.pool.connect(miner).reveal(r.roundId, r.task, r.slot, r.genome, r.score, r.salt, seal);
}

/**
 * Fixes a round's sampling seed the way a verifier node does (after its reveal window): the first
 * fixSampleSeed requests the value, the next ones mine blocks until the target block's hash is
 * known and the seed is fixed. Returns the seed.
 */
export async function fixSeed(d: Deployed, roundId: bigint): Promise<string> {
  for (let i = 0n; i <= RANDOMNESS_DELAY + 2n; i++) {
    await (await d.pool.fixSampleSeed(roundId)).wait();
    const seed = (await d.pool.getRoundState(roundId)).seed;
    if (BigInt(seed) !== 0n) return seed;
  }
  throw new Error(`round ${roundId}'s seed is still pending after ${RANDOMNESS_DELAY + 3n} fixSampleSeed calls`);
}

/** Moves time to just after the given round window ends. */
export async function after(d: Deployed, roundId: bigint, window: "commit" | "reveal" | "verify") {
  const p = await d.pool.getRound(roundId);
  const end = window === "commit" ? p.commitEnd : window === "reveal" ? p.revealEnd : p.verifyEnd;
  await networkHelpers.time.increaseTo(end + 1n);
}

/**
 * What each contract owes, per the conservation invariant: the pool owes miners' stakes and each
 * round's unpaid pot and unswept forfeits (slashes and no-show fees, the treasury's); the committee owes verifiers' stakes and fees and each round's unswept
 * unspent fee budget plus the attestation penalties it collected (RoundFees.penalties, the
 * treasury's once sweepFees runs). Compare with `holdings`: each contract must hold exactly what it owes.
 * The equations are chain/conservation.ts `owed`, the one statement the live check uses too.
 */
export async function liabilities(d: Deployed, accounts: string[]) {
  const ledgers: AccountLedger[] = [];
  for (const a of accounts) {
    const m = await d.pool.minerAccount(a);
    const v = await d.committee.verifierAccount(a);
    ledgers.push({ minerBalance: m.balance, verifierStake: v.stake, verifierFees: v.fees });
  }
  const rounds: RoundLedger[] = [];
  for (let r = 1n, n = await d.pool.roundCount(); r <= n; r++) {
    const p = await d.pool.getRound(r);
    const s = await d.pool.getRoundState(r);
    const f = await d.committee.roundFees(r);
    rounds.push({ rewardTotal: p.rewardTotal, forfeited: s.forfeited, paid: s.paid, swept: s.swept, fees: { swept: f.swept, budget: f.budget, spent: f.spent, penalties: f.penalties } });
  }
  return owed(ledgers, rounds);
}

/** The token balances of the pool and of its committee (compare with `liabilities`). */
export async function holdings(d: Deployed) {
  const [pool, committee] = await Promise.all([d.token.balanceOf(d.poolAddress), d.token.balanceOf(d.committeeAddress)]);
  return { pool, committee };
}

/**
 * When backups may start revealing, from the documented rule: the middle of the reveal window,
 * (commitEnd + revealEnd) / 2 rounded down. Primaries reveal in (commitEnd, backupRevealStart],
 * backups in (backupRevealStart, revealEnd].
 */
export async function backupRevealStart(d: Deployed, roundId: bigint) {
  const p = await d.pool.getRound(roundId);
  return (p.commitEnd + p.revealEnd) / 2n;
}

/** Moves time to just after backupRevealStart: primaries can no longer reveal, backups can. */
export async function afterPrimaryReveals(d: Deployed, roundId: bigint) {
  await networkHelpers.time.increaseTo((await backupRevealStart(d, roundId)) + 1n);
}
