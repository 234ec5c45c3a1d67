// Sending one pool or token transaction and knowing its outcome. Each call is simulated first, so
// a revert the user can fix (no stake, window closed, task taken) surfaces as the pool's named
// error before any gas is spent; then sent and awaited. A transaction that passed simulation but
// reverted when mined (another miner got there first in between) is simulated again to recover
// the pool's error for it, so callers can react to e.g. PoNASPoolTaskTaken either way.
import type { Abi, Address, ContractFunctionName, Hash, TransactionReceipt } from "viem";
import type { PoolConnection } from "../chain/connect.js";
import { poNASPoolAbi, poolTokenAbi } from "../deployments/index.js";
import { MinerError } from "./errors.js";

export type PoolWrite = ContractFunctionName<typeof poNASPoolAbi, "nonpayable">;
export type TokenWrite = ContractFunctionName<typeof poolTokenAbi, "nonpayable">;

interface Call {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

async function send(conn: PoolConnection, call: Call): Promise<{ hash: Hash; receipt: TransactionReceipt }> {
  const account = conn.account;
  const wallet = conn.walletClient;
  if (!account || !wallet) throw new MinerError("no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY");
  // viem's generics cannot follow a function name chosen at run time; the ABI still checks it.
  const simulate = () => conn.publicClient.simulateContract({ ...call, account } as never);
  const { request } = await simulate();
  let hash: Hash;
  try {
    hash = await wallet.writeContract(request as never);
  } catch (e) {
    // Gas estimation reverted: the chain changed since the simulation. The simulation decodes
    // the pool's error; estimateGas's error does not.
    await simulate();
    throw e;
  }
  const receipt = await conn.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") {
    await simulate(); // throws the pool's reason if it still applies
    throw new MinerError(`${call.functionName} transaction ${hash} reverted on chain; run the miner again to retry`);
  }
  return { hash, receipt };
}

/** Sends a pool transaction from the connection's account and waits until it is mined. */
export function sendPool(conn: PoolConnection, functionName: PoolWrite, args: readonly unknown[]) {
  return send(conn, { address: conn.pool, abi: poNASPoolAbi as Abi, functionName, args });
}

/** Sends a token transaction (approve) from the connection's account. */
export function sendToken(conn: PoolConnection, functionName: TokenWrite, args: readonly unknown[]) {
  return send(conn, { address: conn.token, abi: poolTokenAbi as Abi, functionName, args });
}
