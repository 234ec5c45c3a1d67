// Errors of the chain layer, for every caller (CLIs, nodes, the web app): browser-safe.
//  - ChainError: a failure a person can fix, whose message is one line saying what went wrong and
//    how to fix it; it keeps the underlying error as `cause` (pass `{ cause }`), so logs and
//    PONAS_DEBUG can still show the RPC's or viem's own words.
//  - TxRevertedError: a transaction that passed simulation and was mined, but reverted (the chain
//    changed in between). It carries the hash; its `cause` is the re-simulation's error when that
//    names the pool's reason, so `poolError(e)` finds the same name as for a simulated revert.
//  - poolError(e): the pool's (or token's) custom error behind any error, as data { name, args },
//    or null. The one place that digs revert names out of viem's nested errors.
//  - explainError(e): the one line for any error (the words for reverts are chain/reverts.ts's).
import { BaseError, ContractFunctionRevertedError, HttpRequestError, RpcError, TimeoutError, type Hex } from "viem";
import { revertLine } from "./reverts.js";

export class ChainError extends Error {
  override name = "ChainError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A mined transaction with status "reverted". */
export class TxRevertedError extends ChainError {
  override name = "TxRevertedError";
  constructor(
    readonly functionName: string,
    readonly hash: Hex,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The custom error a contract reverted with: its ABI name and decoded arguments. */
export interface PoolErrorData {
  name: string;
  args: readonly unknown[];
}

/** Walks an error and its `cause` chain (viem's and ours) for the first match. */
function walk<T>(e: unknown, match: (x: unknown) => x is T): T | null {
  for (let x = e, depth = 0; x && depth < 32; x = (x as { cause?: unknown }).cause, depth++) {
    if (match(x)) return x;
  }
  return null;
}

const isRevert = (x: unknown): x is ContractFunctionRevertedError => x instanceof ContractFunctionRevertedError;

/** The pool's or token's custom error behind `e` (simulated or mined), or null when `e` is no named revert. */
export function poolError(e: unknown): PoolErrorData | null {
  const revert = walk(e, isRevert);
  const name = revert?.data?.errorName;
  return name ? { name, args: revert.data?.args ?? [] } : null;
}

/** True when `e` is a revert at all (named or not, simulated or mined): the contract refused, the RPC answered. */
export function isRevertError(e: unknown): boolean {
  return walk(e, isRevert) !== null || walk(e, (x): x is TxRevertedError => x instanceof TxRevertedError) !== null;
}

/** True when the RPC endpoint could not be reached or did not answer in time. */
export function isUnreachable(e: unknown): boolean {
  return walk(e, (x): x is Error => x instanceof HttpRequestError || x instanceof TimeoutError) !== null;
}

/** One line for any error a chain call can throw. */
export function explainError(e: unknown): string {
  if (e instanceof ChainError) return e.message;
  const named = poolError(e);
  if (named) return revertLine(named.name, named.args);
  if (e instanceof BaseError) {
    const revert = walk(e, isRevert);
    if (revert?.reason) return `the call reverted: ${revert.reason}`;
    const http = walk(e, (x): x is HttpRequestError => x instanceof HttpRequestError);
    if (http) return `cannot reach the RPC endpoint ${http.url}: is the node running and the --rpc URL right?`;
    // a JSON-RPC error: viem's short message is generic ("Missing or invalid parameters."), the
    // node's own words (e.g. "Nonce too low. Expected nonce to be 7 but got 6.") say what happened
    const rpc = walk(e, (x): x is RpcError => x instanceof RpcError);
    const said = rpc?.details?.split("\n")[0].trim();
    if (said && !e.shortMessage.includes(said)) return `${e.shortMessage.split("\n")[0]} (the node said: ${said})`;
    return e.shortMessage;
  }
  return e instanceof Error ? e.message : String(e);
}
