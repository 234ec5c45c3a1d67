// Making sure the miner has the free stake a claim locks (the round's minStake): nothing to do
// when it has, otherwise approve + stake the shortfall (or --stake, if larger). Running out of
// tokens is the most common user error, so it is checked here, before any transaction, with the
// numbers and the fix in one line.
import type { Address } from "viem";
import { fmtTokens, sendPool, sendToken, type PoolConnection } from "../chain/node.js";
import { MinerError, RETRY } from "./errors.js";

/** Free stake of `miner`: balance − locked. */
export async function freeStake(conn: PoolConnection, miner: Address): Promise<bigint> {
  const a = await conn.poolContract.read.minerAccount([miner]);
  return BigInt(a.balance) - BigInt(a.locked);
}

/**
 * Stakes what is missing for one claim of `minStake` (at least `wanted` when given).
 * @returns the amount staked now (0 when the free stake already sufficed).
 */
export async function ensureStake(conn: PoolConnection, minStake: bigint, wanted?: bigint): Promise<bigint> {
  const me = conn.account!.address;
  const free = await freeStake(conn, me);
  if (free >= minStake) return 0n;
  const shortfall = minStake - free;
  const amount = wanted !== undefined && wanted > shortfall ? wanted : shortfall;
  const balance = await conn.tokenContract.read.balanceOf([me]);
  if (balance < amount) {
    throw new MinerError(
      `not enough tokens: ${me} holds ${fmtTokens(balance)} but must stake ${fmtTokens(amount)} (a claim locks ${fmtTokens(minStake)}, free stake is ${fmtTokens(free)}); transfer PONAS to ${me} and run again`,
    );
  }
  if (amount >= 2n ** 96n) throw new MinerError(`--stake ${fmtTokens(amount)} is more than the pool can hold for one miner (2^96 wei)`);
  const allowance = await conn.tokenContract.read.allowance([me, conn.pool]);
  if (allowance < amount) await sendToken(conn, "approve", [conn.pool, amount], RETRY);
  await sendPool(conn, "stake", [amount], RETRY);
  return amount;
}
