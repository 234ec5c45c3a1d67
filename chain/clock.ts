// Chain time for every node (miner, oracle, manager) and the web app. Every window of a round (commit, reveal, verify) is judged by block
// timestamps, never by this machine's wall clock, which may be skewed or (on a dev chain moved
// with evm_increaseTime) hours away from the chain's. Two notions are needed:
//  - "has the chain passed t?" for opening a window: true once the latest block's timestamp is
//    above t. Then the next block (where our transaction lands) is above t too, and eth_call
//    against "latest" — what viem's simulation uses — sees a timestamp above t as well.
//  - "how late is it now?" for deadlines (stop searching before commitEnd): the latest block's
//    timestamp plus the local time elapsed since we first saw that block. Only a duration of the
//    local clock is used, so skew does not matter, and the estimate never falls behind the latest
//    block; it keeps moving on a dev chain that mines only when a transaction arrives.
import type { PublicClient } from "viem";
import { ChainError } from "./errors.js";

export interface BlockTime {
  number: bigint;
  timestamp: bigint;
}

/** The part of a viem public client the clock needs (tests pass a fake). */
export type BlockSource = Pick<PublicClient, "getBlock">;

export class ChainClock {
  private seen: { number: bigint; timestamp: bigint; at: number } | undefined;

  constructor(
    private readonly client: BlockSource,
    /** How often waits poll the chain. */
    readonly pollMs = 2000,
    /** Monotonic local milliseconds (performance.now); injectable for tests. */
    private readonly localMs: () => number = () => performance.now(),
  ) {}

  /** The latest block's number and timestamp. */
  async latest(): Promise<BlockTime> {
    const b = await this.client.getBlock({ blockTag: "latest" });
    const number = b.number ?? 0n;
    if (!this.seen || number !== this.seen.number) this.seen = { number, timestamp: b.timestamp, at: this.localMs() };
    return { number, timestamp: b.timestamp };
  }

  /** Estimated chain time in seconds: latest block timestamp + local time since it was first seen. */
  async now(): Promise<number> {
    await this.latest();
    const s = this.seen!;
    return Number(s.timestamp) + Math.max(0, (this.localMs() - s.at) / 1000);
  }

  /**
   * The estimate `now()` gives, from the last block seen, without asking the chain (undefined
   * before any block was seen): what a caller that must not stop during an RPC outage (a search
   * racing its commit deadline) judges by until the endpoint is back.
   */
  estimate(): number | undefined {
    const s = this.seen;
    return s && Number(s.timestamp) + Math.max(0, (this.localMs() - s.at) / 1000);
  }

  /**
   * Resolves with the first latest-block timestamp above `t`. `check` runs on every poll and may
   * end the wait early by returning a value other than undefined (e.g. "the primary delivered").
   */
  waitUntilAfter(t: bigint, options?: { signal?: AbortSignal }): Promise<{ timestamp: bigint }>;
  waitUntilAfter<T>(t: bigint, options: { signal?: AbortSignal; check: () => Promise<T | undefined> }): Promise<{ timestamp: bigint } | { early: T }>;
  async waitUntilAfter<T = never>(
    t: bigint,
    options: { signal?: AbortSignal; check?: () => Promise<T | undefined> } = {},
  ): Promise<{ timestamp: bigint } | { early: T }> {
    for (;;) {
      if (options.signal?.aborted) throw new ChainError("stopped while waiting for the chain");
      const { timestamp } = await this.latest();
      if (timestamp > t) return { timestamp };
      if (options.check) {
        const early = await options.check();
        if (early !== undefined) return { early };
      }
      await sleep(this.pollMs, options.signal);
    }
  }
}

/** setTimeout as a promise that an AbortSignal cuts short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** The latest block's timestamp, in seconds: "what time is it on chain" for one-off reads. */
export async function chainNow(client: BlockSource): Promise<number> {
  return Number((await client.getBlock({ blockTag: "latest" })).timestamp);
}
