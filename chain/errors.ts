// Typed errors of the chain layer (oracle, miner, manager): one line that says what went wrong
// and how to fix it. `explainError` turns viem's nested errors and the pool's custom errors into
// such a line (the words for reverts are chain/reverts.ts's); CLIs print it instead of a stack trace.
import { BaseError, ContractFunctionRevertedError, HttpRequestError } from "viem";
import { revertLine } from "./reverts.js";

export class ChainError extends Error {
  override name = "ChainError";
}

/** One line for any error a chain call can throw. */
export function explainError(e: unknown): string {
  if (e instanceof ChainError) return e.message;
  if (e instanceof BaseError) {
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    const name = revert?.data?.errorName;
    if (name) {
      return revertLine(name, revert.data?.args ?? []);
    }
    if (revert?.reason) return `the call reverted: ${revert.reason}`;
    const http = e.walk((x) => x instanceof HttpRequestError) as HttpRequestError | null;
    if (http) return `cannot reach the RPC endpoint ${http.url}: is the node running and the --rpc URL right?`;
    return e.shortMessage;
  }
  return e instanceof Error ? e.message : String(e);
}
