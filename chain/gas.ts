// "This account cannot pay for gas", said plainly. A key without ETH passes every simulation
// (eth_call needs no balance) and then fails at the write with the node's words, which viem turns
// into "Missing or invalid parameters. Double check you have provided the correct parameters."
// send.ts asks this after a write fails, so every CLI, node and the app get one line naming the
// account, its chain and the fix instead. Browser-safe.
import { BaseError, formatEther, InsufficientFundsError, type Address, type PublicClient } from "viem";
import { ChainError } from "./errors.js";

/** How a dev chain's accounts get ETH, said in the fix: real chains need a faucet or a transfer. */
const FUND_HINT = "send it ETH from a funded account (on a local dev chain, use one of its dev keys)";

/**
 * A one-line ChainError when `address` cannot pay gas on `pc`'s chain (no ETH at all, or the node
 * said its funds are insufficient), else null. `cause` is the write's own error, kept for debugging.
 */
export async function gasShortfall(pc: PublicClient, address: Address, cause: unknown): Promise<ChainError | null> {
  let balance: bigint;
  let chainId: number;
  try {
    [balance, chainId] = await Promise.all([pc.getBalance({ address }), pc.getChainId()]);
  } catch {
    return null; // the RPC is gone: the write's own error says more than a guess
  }
  if (balance === 0n) return new ChainError(`account ${address} has no ETH to pay gas on chain ${chainId}: fund it (${FUND_HINT})`, { cause });
  const insufficient = cause instanceof BaseError && cause.walk((x) => x instanceof InsufficientFundsError) !== null;
  if (insufficient) {
    return new ChainError(`account ${address} has ${formatEther(balance)} ETH, not enough to pay gas on chain ${chainId}: fund it (${FUND_HINT})`, { cause });
  }
  return null;
}
