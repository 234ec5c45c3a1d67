// Which JSON-RPC calls the app's /api/rpc proxy passes on to the chain node: read methods only.
// The node behind PONAS_RPC may hold unlocked accounts (a dev chain's always do), so forwarding
// eth_sendTransaction, eth_sign*, personal_*, hardhat_*/evm_* or even eth_accounts would let any
// visitor of the app spend, sign or reconfigure as the node. Writes never need the proxy: the
// browser's wallet sends them over its own connection. Pure (no I/O) so it is unit-tested alone.

/**
 * The methods the app's read client (viem's public client under wagmi: reads, simulations,
 * receipts, event logs, block polling) may send; the e2e test checks that every request the pages
 * make is in this list (measured 2026-12-02: eth_blockNumber, eth_call, eth_getBlockByHash,
 * eth_getBlockByNumber, eth_getLogs, eth_getTransactionReceipt). The rest are reads viem's
 * public actions use (waitForTransactionReceipt, estimateGas, fee and balance reads). Nothing here
 * signs, sends, lists accounts or changes the node.
 */
export const READ_METHODS: ReadonlySet<string> = new Set([
  "eth_chainId",
  "net_version",
  "web3_clientVersion",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_call",
  "eth_estimateGas",
  "eth_getLogs",
  "eth_getBalance",
  "eth_getCode",
  "eth_getStorageAt",
  "eth_getTransactionCount",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
]);

/** Largest request body the proxy reads (bytes): the app's biggest call is a multicall of reads, far below this. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Most calls in one JSON-RPC batch (viem batches only when asked, and then in tens). */
export const MAX_BATCH = 100;

/** JSON-RPC error codes: -32700 parse error, -32600 invalid request, -32601 method not found (here: not served). */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_REFUSED = -32601;

export interface RpcError {
  jsonrpc: "2.0";
  id: unknown;
  error: { code: number; message: string };
}

const err = (id: unknown, code: number, message: string): RpcError => ({ jsonrpc: "2.0", id: id ?? null, error: { code, message } });

/** The reason `method` is not forwarded, or undefined when it is a read method. */
export function refusal(method: unknown): string | undefined {
  if (typeof method !== "string") return "a JSON-RPC call needs a string \"method\"";
  if (READ_METHODS.has(method)) return undefined;
  return `method ${method} is refused by this app's /api/rpc: it forwards only read methods (the chain node may hold unlocked accounts); send transactions through your own wallet`;
}

/**
 * What to do with one request body: `forward` (the body to send to the node: the allowed calls,
 * a single call or a batch) and `refused` (one error per refused call, in request order).
 * A single refused call gives no `forward`; a batch forwards its allowed members and answers the
 * rest with errors, as a JSON-RPC server answers each member of a batch on its own.
 */
export function screenRpc(text: string): { forward?: unknown; refused: RpcError[]; batch: boolean; status: number } {
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) return { refused: [err(null, INVALID_REQUEST, `request body is larger than ${MAX_BODY_BYTES} bytes; send smaller calls`)], batch: false, status: 413 };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { refused: [err(null, PARSE_ERROR, "request body is not JSON; send a JSON-RPC 2.0 call")], batch: false, status: 400 };
  }
  const one = (c: unknown): RpcError | undefined => {
    if (typeof c !== "object" || c === null || Array.isArray(c)) return err(null, INVALID_REQUEST, "a JSON-RPC call must be an object with jsonrpc, id, method, params");
    const { id, method } = c as { id?: unknown; method?: unknown };
    const why = refusal(method);
    return why ? err(id, typeof method === "string" ? METHOD_REFUSED : INVALID_REQUEST, why) : undefined;
  };
  if (!Array.isArray(body)) {
    const e = one(body);
    return e ? { refused: [e], batch: false, status: 200 } : { forward: body, refused: [], batch: false, status: 200 };
  }
  if (body.length === 0) return { refused: [err(null, INVALID_REQUEST, "empty JSON-RPC batch; send at least one call")], batch: false, status: 400 };
  if (body.length > MAX_BATCH) return { refused: [err(null, INVALID_REQUEST, `JSON-RPC batch of ${body.length} calls is above ${MAX_BATCH}; split it`)], batch: false, status: 413 };
  const refused: RpcError[] = [];
  const allowed: unknown[] = [];
  for (const c of body) {
    const e = one(c);
    if (e) refused.push(e);
    else allowed.push(c);
  }
  return { forward: allowed.length ? allowed : undefined, refused, batch: true, status: 200 };
}
