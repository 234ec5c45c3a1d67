// Riding out an unavailable RPC endpoint: `withRpcRetry` runs a step again, with ops/backoff.ts's
// exponential waits, for as long as the failure is the endpoint's (connection refused or reset, a
// timeout, an HTTP 5xx or 429, a fetch that failed) and `until` does not say the wait is over.
// Any other error — a contract revert above all, which is the chain's answer, not its absence — is
// rethrown at once. The step must be safe to run again from its start: for a node whose steps ask
// the chain before they act (the miner's phases), re-running the whole step after an outage is
// the retry that cannot send a transaction twice, since one sent during the outage may have been
// mined.
import { HttpRequestError, TimeoutError, WaitForTransactionReceiptTimeoutError } from "viem";
import { isRevertError } from "../chain/errors.js";
import { sleep } from "../chain/clock.js";
import { Backoff } from "./backoff.js";

/** Error codes of a connection that could not be made or was cut (Node's `errno` names). */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED"]);

/** HTTP statuses that say "not now" rather than "no": the server or a gateway in front of it is down or overloaded. */
const retryableStatus = (status: number) => status >= 500 || status === 429 || status === 408;

/**
 * True when `e` (or anything in its `cause` chain) says the RPC endpoint could not be reached or
 * did not answer: viem's HttpRequestError (no status: the fetch failed; or a 5xx/429/408),
 * TimeoutError, a receipt wait that timed out, or a socket error code. False for reverts, even
 * when they came over a flaky connection, and for HTTP 4xx (a wrong URL or a refused key).
 */
export function isRpcUnavailable(e: unknown): boolean {
  if (isRevertError(e)) return false;
  for (let x = e, depth = 0; x && depth < 32; x = (x as { cause?: unknown }).cause, depth++) {
    if (x instanceof HttpRequestError) return x.status === undefined || retryableStatus(x.status);
    if (x instanceof TimeoutError || x instanceof WaitForTransactionReceiptTimeoutError) return true;
    const code = (x as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    // undici's fetch, used bare: TypeError("fetch failed"), its cause the socket error
    if (x instanceof TypeError && x.message === "fetch failed") return true;
  }
  return false;
}

export interface RetryInfo {
  error: unknown;
  /** Failures in a row, this one included. */
  failures: number;
  /** The wait before the next try. */
  retryInMs: number;
  /** Milliseconds since the first failure of this outage. */
  outageMs: number;
}

export interface RpcRetryOptions {
  /** Aborting ends the wait: the last error is thrown. */
  signal?: AbortSignal;
  /** Default: a fresh Backoff(500, 15_000). Reset after a success. */
  backoff?: Backoff;
  /** Called before each wait (log it, count it). */
  onRetry?: (info: RetryInfo) => void;
  /** Called when `fn` succeeds after at least one failure: the endpoint is back. */
  onRecovered?: (info: { failures: number; outageMs: number }) => void;
  /**
   * Asked after each failure: true ends the retrying (the last error is thrown), e.g. when a
   * deadline the step exists for has passed by the local clock. Default: retry indefinitely.
   */
  until?: (info: RetryInfo) => boolean | Promise<boolean>;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

/** Runs `fn`, and again after each RPC-unavailable failure (see the file header); resolves with its first success. */
export async function withRpcRetry<T>(fn: () => Promise<T>, options: RpcRetryOptions = {}): Promise<T> {
  const backoff = options.backoff ?? new Backoff(500, 15_000);
  const now = options.now ?? (() => performance.now());
  let since: number | undefined;
  for (;;) {
    try {
      const v = await fn();
      if (since !== undefined) options.onRecovered?.({ failures: backoff.failures, outageMs: now() - since });
      backoff.reset();
      return v;
    } catch (e) {
      if (!isRpcUnavailable(e) || options.signal?.aborted) throw e;
      since ??= now();
      const retryInMs = backoff.next();
      const info: RetryInfo = { error: e, failures: backoff.failures, retryInMs, outageMs: now() - since };
      if (options.until && (await options.until(info))) throw e;
      options.onRetry?.(info);
      await sleep(retryInMs, options.signal);
      if (options.signal?.aborted) throw e;
    }
  }
}

/**
 * `fn()` (a role's connectPool at start), retried across an RPC outage for up to `waitSeconds`
 * (0: tried once, so a wrong --rpc is one line at once): a long-running role restarted while its
 * endpoint is down (by systemd, by the soak) waits for it instead of exiting.
 */
export function retryAtStart<T>(fn: () => Promise<T>, waitSeconds: number, onRetry?: (info: RetryInfo) => void): Promise<T> {
  if (waitSeconds <= 0) return fn();
  return withRpcRetry(fn, { until: (i) => i.outageMs > waitSeconds * 1000, onRetry });
}
