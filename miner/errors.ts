// Typed errors of the miner client. Every failure a user can cause (no tokens, a closed window,
// no free task, a round this miner cannot mine) is a MinerError whose message is one line saying
// what went wrong and how to fix it. It extends ChainError so `explainError` (chain/errors.ts)
// passes it through unchanged, and the CLI prints every error the same way. The pool's own revert
// names come from chain's `poolError(e)?.name`, never from digging in viem's errors here.
import { ChainError, type SendOptions } from "../chain/node.js";

export class MinerError extends ChainError {
  override name = "MinerError";
}

/**
 * What every miner send passes to chain's sendPool/sendToken: a transaction mined reverted with
 * no reason the re-simulation can name (the chain moved on in between) ends with the fix, and
 * since every step asks the chain first, running the miner again is always that fix.
 */
// `serial`: with --rounds, a round waiting to settle and the next round's claim send from the
// same key at the same time; queued, they cannot take the same nonce.
export const RETRY: SendOptions = { retryHint: "run the miner again to retry", serial: true };
