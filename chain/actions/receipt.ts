// The fate of a transaction sent before a crash or an RPC error: mined (its receipt), still
// pending (waits for it), or unknown to the node (dropped: null, safe to send again). The oracle
// asks this before attesting a second time, so a restart never sends a duplicate.
import { BaseError, type Hash, type TransactionReceipt } from "viem";
import type { PoolReader } from "../client.js";

/** The receipt of `hash`; waits when it is still pending; null when the chain does not know it. */
export async function receiptIfAny(c: Pick<PoolReader, "publicClient">, hash: Hash): Promise<TransactionReceipt | null> {
  const pc = c.publicClient;
  try {
    return await pc.getTransactionReceipt({ hash });
  } catch (e) {
    if (!(e instanceof BaseError) || e.name !== "TransactionReceiptNotFoundError") throw e;
  }
  try {
    await pc.getTransaction({ hash });
  } catch (e) {
    if (e instanceof BaseError && e.name === "TransactionNotFoundError") return null; // dropped
    throw e;
  }
  return pc.waitForTransactionReceipt({ hash });
}
