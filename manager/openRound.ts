// The pool manager's "open a round": partitions the search space with the NAS engine for the
// expected number of miners, fills every round parameter, funds the reward and fee budget, and
// opens the round. The stake floor is the contract's own (`PoNASPoolUnsafeStake` names it), so
// the formula lives in one place: RewardMath.minSafeStake.
import { decodeErrorResult, parseUnits, type Address, type Hash, type Hex } from "viem";
import type { PoolConnection } from "../chain/connect.js";
import { ChainError } from "../chain/errors.js";
import { poNASPoolAbi } from "../deployments/index.js";
import { arities, managerPartition, partitionCost, recipeId, spaceId, type CostModelName, type Recipe, type SearchSpace, type Task } from "../nas/index.js";

export interface RoundOptions {
  space: SearchSpace;
  recipe: Recipe;
  /** Expected number of miners: the partition has at least this many tasks. */
  tasks: number;
  /** What the partition balances: "time" (default; the space's measured table, else FLOPs) or "flops". */
  cost?: CostModelName;
  /** Tokens (18 decimals) as decimal strings, e.g. "1000". */
  reward: string;
  feeBudget: string;
  verifierFee: string;
  /** Stake per claimed task; omitted: the smallest the contract accepts for these parameters. */
  minStake?: string;
  /** Window lengths in seconds, from now (chain time). */
  commitSeconds: number;
  revealSeconds: number;
  verifySeconds: number;
  baselineBps: number;
  toleranceBps: number;
  sampleBps: number;
  topK: number;
  quorum: number;
  slashBps: number;
  maxBackups: number;
  maxTasksPerMiner: number;
  /** σ_p (bps·1e6) at or above which a task opens backup slots. */
  sigmaThreshold: number;
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
  quorum: 2,
  slashBps: 5000,
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

type Params = {
  spaceId: Hex;
  recipeId: Hex;
  arities: Hex;
  commitEnd: number;
  revealEnd: number;
  verifyEnd: number;
  baselineBps: number;
  toleranceBps: number;
  sampleBps: number;
  slashBps: number;
  topK: number;
  quorum: number;
  maxBackups: number;
  maxTasksPerMiner: number;
  sigmaThreshold: number;
  rewardTotal: bigint;
  minStake: bigint;
  verifierFee: bigint;
  feeBudget: bigint;
};

/** The stake floor the contract requires for `params` (reads it from PoNASPoolUnsafeStake). */
async function requiredStake(c: PoolConnection, params: Params, masks: Hex[], values: Hex[]): Promise<bigint> {
  try {
    await c.publicClient.simulateContract({
      address: c.pool,
      abi: poNASPoolAbi,
      functionName: "openRound",
      args: [{ ...params, minStake: 1n }, masks, values],
      account: c.account!,
    });
    return 1n;
  } catch (e) {
    const data = (e as { walk?: (f: (x: unknown) => boolean) => unknown }).walk?.((x) => typeof (x as { data?: unknown })?.data === "string") as
      | { data?: Hex }
      | undefined;
    if (data?.data) {
      try {
        const err = decodeErrorResult({ abi: poNASPoolAbi, data: data.data });
        if (err.errorName === "PoNASPoolUnsafeStake") return err.args[1] as bigint;
      } catch {
        // not a pool error: rethrow the original below
      }
    }
    throw e;
  }
}

export async function openRound(c: PoolConnection, o: RoundOptions): Promise<OpenedRound> {
  if (!c.account || !c.walletClient) throw new ChainError("opening a round needs the manager's key: pass --key-file");
  const { tasks, imbalance, costModel } = managerPartition(o.space, o.tasks, partitionCost(o.space, o.cost));
  const masks = tasks.map((t) => t.mask);
  const values = tasks.map((t) => t.value);
  const now = Number((await c.publicClient.getBlock()).timestamp);
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
    topK: o.topK,
    quorum: o.quorum,
    maxBackups: o.maxBackups,
    maxTasksPerMiner: o.maxTasksPerMiner,
    sigmaThreshold: o.sigmaThreshold,
    rewardTotal: parseUnits(o.reward, 18),
    minStake: 0n,
    verifierFee: parseUnits(o.verifierFee, 18),
    feeBudget: parseUnits(o.feeBudget, 18),
  };
  // funds first: the stake-floor probe below simulates openRound, which pulls them
  const need = params.rewardTotal + params.feeBudget;
  const allowance = await c.tokenContract.read.allowance([c.account.address, c.pool]);
  if (allowance < need) {
    const approve = await c.tokenContract.write.approve([c.pool, need], { account: c.account, chain: c.chain });
    await c.publicClient.waitForTransactionReceipt({ hash: approve });
  }
  const floor = await requiredStake(c, params, masks, values);
  params.minStake = o.minStake === undefined ? floor : parseUnits(o.minStake, 18);

  const { request, result } = await c.publicClient.simulateContract({
    address: c.pool,
    abi: poNASPoolAbi,
    functionName: "openRound",
    args: [params, masks, values],
    account: c.account,
  });
  const tx = await c.walletClient.writeContract(request);
  const rc = await c.publicClient.waitForTransactionReceipt({ hash: tx });
  if (rc.status !== "success") throw new ChainError(`openRound transaction ${tx} reverted`);
  return { roundId: result as bigint, tasks, imbalance, costModel, minStake: params.minStake, tx };
}

export type { Address };
