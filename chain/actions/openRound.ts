// "Open a round", the manager's action (its CLI, `manager run`, the demo and the tests' rounds):
// partitions the search space with the NAS engine for the expected number of miners, fills every
// round parameter (ROUND_DEFAULTS for what the caller leaves out), funds the reward and fee
// budget, and opens the round. The stake floor is the contract's own (`PoNASPoolUnsafeStake`
// names it), so the formula lives in one place: RewardMath.minSafeStake. Node-only: the
// partitioner reads the space's measured-time table from disk.
import { parseUnits, type ContractFunctionArgs, type Hash } from "viem";
import { poNASPoolAbi, poolTokenAbi } from "../../deployments/abi.js";
import { arities, managerPartition, partitionCost, recipeId, spaceId, type CostModelName, type Recipe, type SearchSpace, type Task } from "../../nas/index.js";
import { addressOf, signerOf, type PoolClient } from "../client.js";
import { chainNow } from "../clock.js";
import { poolError } from "../errors.js";
import { sendPool, sendToken } from "./send.js";

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

/** The stake floor the contract requires for `params` (reads it from PoNASPoolUnsafeStake). */
async function requiredStake(c: PoolClient, [params, masks, values]: OpenRoundArgs): Promise<bigint> {
  try {
    await c.publicClient.simulateContract({ address: c.pool, abi: poNASPoolAbi, functionName: "openRound", args: [{ ...params, minStake: 1n }, masks, values], account: c.account });
    return 1n;
  } catch (e) {
    const err = poolError(e);
    if (err?.name === "PoNASPoolUnsafeStake") return err.args[1] as bigint;
    throw e;
  }
}

export async function openRound(c: PoolClient, o: RoundOptions): Promise<OpenedRound> {
  const s = signerOf(c);
  const me = addressOf(s.account);
  const { tasks, imbalance, costModel } = managerPartition(o.space, o.tasks, partitionCost(o.space, o.cost));
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
    minStake: 0n,
    verifierFee: parseUnits(o.verifierFee, 18),
    feeBudget: parseUnits(o.feeBudget, 18),
  };
  // funds first: the stake-floor probe below simulates openRound, which pulls them
  const need = params.rewardTotal + params.feeBudget;
  const allowance = await s.publicClient.readContract({ address: s.token, abi: poolTokenAbi, functionName: "allowance", args: [me, s.pool] });
  if (allowance < need) await sendToken(s, "approve", [s.pool, need]);
  const floor = await requiredStake(s, [params, masks, values]);
  params.minStake = o.minStake === undefined ? floor : parseUnits(o.minStake, 18);

  const { hash, result } = await sendPool(s, "openRound", [params, masks, values]);
  return { roundId: result, tasks, imbalance, costModel, minStake: params.minStake, tx: hash };
}
