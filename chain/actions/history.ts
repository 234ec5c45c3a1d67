// What the chain remembers, from the events of the pool and its verifier committee (one log, in
// chain order: a round's attestations are the committee's, its verdicts the pool's): a round's whole log, and what one address did
// in a round (its claims, the transaction of a commitment, its reveals, its settlements). Every
// query starts at the pool's deployment block and is cut into ranges of `blockRange` blocks,
// because public RPCs refuse eth_getLogs over long ranges. Browser-safe.
import type { Address, ContractEventName, GetContractEventsParameters, GetContractEventsReturnType, Hash, Hex } from "viem";
import { poNASPoolAbi, verifierCommitteeAbi } from "../../deployments/abi.js";
import type { PoolReader } from "../client.js";

/** The pool's and the committee's ABIs together: every event a pool deployment emits. */
export const poolEventsAbi = [...poNASPoolAbi, ...verifierCommitteeAbi] as const;
type PoolAbi = typeof poolEventsAbi;
export type PoolEventName = ContractEventName<PoolAbi>;
export type PoolLog<E extends PoolEventName | undefined = undefined> = GetContractEventsReturnType<PoolAbi, E, true>[number];

/** Most blocks per eth_getLogs request unless told otherwise (public RPCs commonly cap 2,000–10,000). */
export const DEFAULT_BLOCK_RANGE = 2000n;

export interface EventQuery<E extends PoolEventName | undefined> extends BlockSpan {
  eventName?: E;
  /** Indexed arguments to filter on (viem's `args`). */
  args?: GetContractEventsParameters<PoolAbi, E>["args"];
}

/** A block span to read logs over: from `fromBlock` (default the pool's deployment block) to `toBlock` (default the latest), `blockRange` blocks per request. */
export interface BlockSpan {
  fromBlock?: bigint;
  toBlock?: bigint;
  blockRange?: bigint;
}

/** `read` over the span, one request per `blockRange` blocks, concatenated in chain order: the one range loop every log query uses. */
export async function inBlockRanges<T>(c: PoolReader, q: BlockSpan, read: (fromBlock: bigint, toBlock: bigint) => Promise<readonly T[]>): Promise<T[]> {
  const to = q.toBlock ?? (await c.publicClient.getBlockNumber({ cacheTime: 0 }));
  const range = q.blockRange ?? DEFAULT_BLOCK_RANGE;
  const out: T[] = [];
  for (let from = q.fromBlock ?? c.fromBlock; from <= to; from += range) {
    out.push(...(await read(from, from + range - 1n < to ? from + range - 1n : to)));
  }
  return out;
}

/** Pool and committee events in chain order, fetched in ranges of `blockRange` blocks from the deployment block. */
export async function getPoolEvents<E extends PoolEventName | undefined = undefined>(c: PoolReader, q: EventQuery<E> = {}): Promise<PoolLog<E>[]> {
  const pc = c.publicClient;
  return inBlockRanges(c, q, async (from, end) => {
    const logs = await pc.getContractEvents({
      address: [c.pool, c.committee],
      abi: poolEventsAbi,
      ...(q.eventName ? { eventName: q.eventName } : {}),
      ...(q.args ? { args: q.args } : {}),
      fromBlock: from,
      toBlock: end,
      strict: true,
    } as Parameters<typeof pc.getContractEvents>[0]);
    return logs as unknown as PoolLog<E>[];
  });
}

/** Every pool event of one round, in chain order (events without a roundId are left out). */
export async function roundEvents(c: PoolReader, roundId: bigint): Promise<PoolLog[]> {
  const logs = await getPoolEvents(c);
  return logs.filter((l) => (l.args as { roundId?: bigint }).roundId === roundId);
}

export interface Claim {
  task: number;
  slot: number;
}

/** `miner`'s claims in `roundId` (primary and backup), oldest first. */
export async function claimsOf(c: PoolReader, roundId: bigint, miner: Address): Promise<Claim[]> {
  const logs = await getPoolEvents(c, { eventName: "Claimed", args: { roundId, miner } });
  return logs.map((l) => ({ task: Number(l.args.task), slot: Number(l.args.slot) }));
}

/** The transaction that recorded `commitment` for `miner` in `roundId`, if any. */
export async function commitTxOf(c: PoolReader, roundId: bigint, miner: Address, commitment: Hex): Promise<Hash | undefined> {
  const logs = await getPoolEvents(c, { eventName: "Committed", args: { roundId, miner, commitment } });
  return logs[0]?.transactionHash ?? undefined;
}

/** Whether `miner` revealed task `task` slot `slot` of `roundId` (also after it was settled). */
export async function revealedBy(c: PoolReader, roundId: bigint, task: bigint, slot: bigint, miner: Address): Promise<boolean> {
  const logs = await getPoolEvents(c, { eventName: "Revealed", args: { roundId, task, miner } });
  return logs.some((l) => l.args.slot === slot);
}

export interface Settlement {
  reward: bigint;
  stakeReleased: bigint;
  /** Sampled for verification, no quorum reached: paid nothing, not slashed. */
  unverified: boolean;
  /** The no-show fee (NoShowFined) taken from the stake at settlement: the claim delivered nothing. 0 otherwise. */
  noShowFee: bigint;
}

/** The settlement of a submission from its Withdrawn (and NoShowFined) events; null when it is not settled. */
export async function settlementOf(c: PoolReader, roundId: bigint, task: bigint, slot: bigint, miner: Address): Promise<Settlement | null> {
  const [withdrawn, fined] = await Promise.all([
    getPoolEvents(c, { eventName: "Withdrawn", args: { roundId, task, miner } }),
    getPoolEvents(c, { eventName: "NoShowFined", args: { roundId, task, miner } }),
  ]);
  const w = withdrawn.find((l) => l.args.slot === slot)?.args;
  const fee = fined.find((l) => l.args.slot === slot)?.args.amount ?? 0n;
  return w ? { reward: w.reward, stakeReleased: w.stakeReleased, unverified: w.unverified, noShowFee: fee } : null;
}
