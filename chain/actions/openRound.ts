// "Open a round", the manager's action (its CLI, `manager run`, the demo and the tests' rounds):
// partitions the search space with the NAS engine for the expected number of miners, fills every
// round parameter (ROUND_DEFAULTS for what the caller leaves out), funds the reward and fee
// budget, and opens the round — after checking everything it can before the first transaction
// (the lens's rules, chain/roundRules.ts, the manager's role and balance). The stake floor is the contract's own (`PoNASPoolUnsafeStake`
// names it), so the formula lives in one place: RewardMath.minSafeStake. Node-only: the
// partitioner reads the space's measured-time table from disk.
import { parseUnits, type ContractFunctionArgs, type Hash } from "viem";
import { poNASLensAbi, poNASPoolAbi, poolTokenAbi } from "../../deployments/abi.js";
import { arities, managerPartition, partitionCost, recipeId, spaceId, type CostModelName, type Recipe, type SearchSpace, type Task } from "../../nas/index.js";
import { addressOf, signerOf, type PoolClient } from "../client.js";
import { chainNow } from "../clock.js";
import { ChainError, poolError } from "../errors.js";
import { fmtTokens } from "../format.js";
import { revertLine } from "../reverts.js";
import { assertRoundRules } from "../roundRules.js";
import { readCommittee } from "./committee.js";
import { sendPool, sendToken } from "./send.js";

export interface RoundOptions {
  space: SearchSpace;
  recipe: Recipe;
  /** Expected number of miners: the partition has at least this many tasks. */
  tasks: number;
  /** What the partition balances: "time" (default; the space's measured table, else FLOPs) or "flops". */
  cost?: CostModelName;
  /**
   * Seeds a permutation of the partition (which genes are split first, and the tasks' order), so
   * that rounds with the same task count do not repeat each other's tasks. Omitted: the space's
   * own order, the same partition every time (the demo and the tests).
   */
  partitionSeed?: number;
  /** Tokens (18 decimals) as decimal strings, e.g. "1000". */
  reward: string;
  feeBudget: string;
  verifierFee: string;
  /** Stake per claimed task; omitted: the smallest the contract accepts for these parameters. */
  minStake?: string;
  /** Window lengths in seconds, from now (chain time). */
  commitSeconds: number;
  revealSeconds: number;
  /** The verify window: challenges in its first half, sealed commits until ¾, reveals until ⅞, decisions after (libraries/Windows.sol). */
  verifySeconds: number;
  baselineBps: number;
  toleranceBps: number;
  sampleBps: number;
  topK: number;
  /** Revealed attestations a verdict needs: odd, 3..9 (the contract refuses fewer or an even count). */
  quorum: number;
  /** Share of a slash the verifiers who attested near the median get (< 10000); the rest goes to the treasury. */
  slashBps: number;
  /** Share of minStake a claim that delivered nothing (P = 0: a primary that never revealed or revealed at or below the baseline, a backup of a task nobody delivered) pays the treasury. */
  noShowBps: number;
  maxBackups: number;
  maxTasksPerMiner: number;
  /** σ_p (bps·1e6) at or above which a task opens backup slots. */
  sigmaThreshold: number;
  /**
   * false: skip the quorum-against-committee rule (chain/roundRules.ts). Only for rounds that are
   * never meant to reach a verdict (tests of claims, reveals and payouts without verifiers); a
   * real round must be verifiable, so the CLI never sets it.
   */
  checkCommittee?: boolean;
}

export const ROUND_DEFAULTS = {
  reward: "1000",
  feeBudget: "100",
  verifierFee: "1",
  commitSeconds: 3600,
  revealSeconds: 1800,
  verifySeconds: 3600,
  baselineBps: 1000,
  toleranceBps: 200,
  sampleBps: 5000,
  topK: 3,
  // the contract's least: an odd count of at least three, so no single verifier's score is the median
  quorum: 3,
  slashBps: 5000,
  // a no-show (or a P = 0 reveal) loses 20% of its locked stake: squatting every task and backup
  // slot of a round and delivering one, or delivering worthless claims on the others, then costs
  // more than the pot it wins (measured by the slot-squatting attacks, test/attacks/slot-squatting.ts),
  // while an honest miner who drops out once loses a fifth of one stake
  noShowBps: 2000,
  maxBackups: 2,
  maxTasksPerMiner: 2,
  sigmaThreshold: 500 * 1_000_000,
} satisfies Partial<RoundOptions>;

export interface OpenedRound {
  roundId: bigint;
  tasks: Task[];
  /** Max / mean task cost under `costModel`. */
  imbalance: number;
  /** The cost the partition balanced, in words. */
  costModel: string;
  minStake: bigint;
  tx: Hash;
}

type OpenRoundArgs = ContractFunctionArgs<typeof poNASPoolAbi, "nonpayable", "openRound">;
type Params = OpenRoundArgs[0];

/**
 * The lens's own check of `params` (the one openRound runs): windows, bps ranges, quorum, the
 * verify window against the randomness source's delayBound, the stake floor. Returns the floor
 * (PoNASPoolUnsafeStake's `need`) when only the stake is short; throws any other refusal as the
 * pool's named error. A view: nothing is sent and no funds need to be approved for it.
 */
async function lensCheck(c: PoolClient, params: Params): Promise<bigint | null> {
  try {
    await c.publicClient.readContract({ address: c.lens, abi: poNASLensAbi, functionName: "checkRoundParams", args: [params] });
    return null;
  } catch (e) {
    const err = poolError(e);
    if (err?.name === "PoNASPoolUnsafeStake") return err.args[1] as bigint;
    throw e;
  }
}

/**
 * Opens a round. Every check comes before the first transaction, so a refused round leaves no
 * approve behind and costs no gas: the lens's rules (lensCheck), the verification rules the lens
 * does not weigh (chain/roundRules.ts: quorum against the committee, the tolerance), the
 * manager's role and pause, and the manager's PONAS against reward + fee budget. Only then the
 * approve (when the allowance is short) and openRound itself.
 */
export async function openRound(c: PoolClient, o: RoundOptions): Promise<OpenedRound> {
  const s = signerOf(c);
  const me = addressOf(s.account);
  const { tasks, imbalance, costModel } = managerPartition(o.space, o.tasks, partitionCost(o.space, o.cost), o.partitionSeed);
  const masks = tasks.map((t) => t.mask);
  const values = tasks.map((t) => t.value);
  const now = await chainNow(c.publicClient);
  const commitEnd = now + o.commitSeconds;
  const revealEnd = commitEnd + o.revealSeconds;
  const params: Params = {
    spaceId: spaceId(o.space),
    recipeId: recipeId(o.recipe),
    arities: arities(o.space),
    commitEnd,
    revealEnd,
    verifyEnd: revealEnd + o.verifySeconds,
    baselineBps: o.baselineBps,
    toleranceBps: o.toleranceBps,
    sampleBps: o.sampleBps,
    slashBps: o.slashBps,
    noShowBps: o.noShowBps,
    topK: o.topK,
    quorum: o.quorum,
    maxBackups: o.maxBackups,
    maxTasksPerMiner: o.maxTasksPerMiner,
    sigmaThreshold: o.sigmaThreshold,
    rewardTotal: parseUnits(o.reward, 18),
    minStake: o.minStake === undefined ? 1n : parseUnits(o.minStake, 18),
    verifierFee: parseUnits(o.verifierFee, 18),
    feeBudget: parseUnits(o.feeBudget, 18),
  };
  // 1. the contract's rules, asked of the lens (a view): with no stake given, its floor
  const floor = await lensCheck(s, params);
  if (floor !== null) {
    if (o.minStake !== undefined) throw new ChainError(revertLine("PoNASPoolUnsafeStake", [params.minStake, floor]));
    params.minStake = floor;
  }
  // 2. the rules that keep verification meaningful
  const activeStakedMembers = o.checkCommittee === false ? Number.MAX_SAFE_INTEGER : (await readCommittee(s)).activeStaked;
  assertRoundRules(o, { activeStakedMembers });
  // 3. who sends and what it holds
  const pc = s.publicClient;
  const pool = { address: s.pool, abi: poNASPoolAbi } as const;
  const [isManager, paused, balance, allowance] = await Promise.all([
    pc.readContract({ ...pool, functionName: "hasRole", args: [await pc.readContract({ ...pool, functionName: "MANAGER_ROLE" }), me] }),
    pc.readContract({ ...pool, functionName: "paused" }),
    pc.readContract({ address: s.token, abi: poolTokenAbi, functionName: "balanceOf", args: [me] }),
    pc.readContract({ address: s.token, abi: poolTokenAbi, functionName: "allowance", args: [me, s.pool] }),
  ]);
  if (!isManager) throw new ChainError(`${me} is not a manager of pool ${s.pool}: only an account with MANAGER_ROLE opens rounds; use the manager's key or have the admin grantRole(MANAGER_ROLE, ${me})`);
  if (paused) throw new ChainError("the pool is paused, so no round can open; unpause it first (npm run manager -- unpause) (EnforcedPause)");
  const need = params.rewardTotal + params.feeBudget;
  if (balance < need) {
    throw new ChainError(
      `the round needs ${fmtTokens(need)} (reward ${fmtTokens(params.rewardTotal)} + fee budget ${fmtTokens(params.feeBudget)}) but the manager ${me} holds ${fmtTokens(balance)}; lower --reward or --fee-budget, or get ${fmtTokens(need - balance)} more PONAS (ERC20InsufficientBalance)`,
    );
  }
  if (allowance < need) await sendToken(s, "approve", [s.pool, need]);
  const { hash, result } = await sendPool(s, "openRound", [params, masks, values]);
  return { roundId: result, tasks, imbalance, costModel, minStake: params.minStake, tx: hash };
}
