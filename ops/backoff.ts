// Exponential backoff for waiting out an unreachable or failing RPC endpoint: the node keeps
// its place (nothing is marked processed until it succeeded) and tries again, doubling the
// wait up to a cap so a long outage costs few requests and a short one is over quickly. The wait
// itself is chain/clock.ts's `sleep`, which an AbortSignal cuts short.
export class Backoff {
  private attempt = 0;
  constructor(
    private readonly firstMs = 500,
    private readonly maxMs = 30_000,
  ) {}

  /** The wait before the next try, growing with each failure. */
  next(): number {
    const ms = Math.min(this.maxMs, this.firstMs * 2 ** this.attempt);
    this.attempt++;
    return ms;
  }

  /** Failures since the last success. */
  get failures(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

