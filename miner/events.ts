// What a running miner reports: one event per step, each with a ready-made one-line message. The
// CLI prints the messages (or drives its progress bar from "evaluated"); tests and the demo
// subscribe to the structured fields instead of parsing text.
import type { Hex } from "viem";

export type MinerEvent = { message: string } & (
  | { kind: "round"; roundId: bigint; commitEnd: bigint; revealEnd: bigint; verifyEnd: bigint }
  | { kind: "staked"; amount: bigint }
  | { kind: "claimed"; task: number; slot: number; resumed: boolean }
  | { kind: "search-start"; done: number; budget?: number; subspaceSize: number }
  | { kind: "evaluated"; index: number; budget?: number; genome: Hex; scoreBps: number; seconds: number; bestScoreBps: number }
  | { kind: "search-stop"; reason: "budget" | "time" | "exhausted" | "deadline"; evaluations: number }
  | { kind: "committed"; genome: Hex; claimedBps: number; commitment: Hex; resumed: boolean }
  | { kind: "commit-missed"; reason: string }
  | { kind: "dropped-out" }
  /** `until`: the chain time waited for; null when it is not a time (an unpause). */
  | { kind: "waiting"; until: bigint | null; what: string }
  | { kind: "revealed"; genome: Hex; claimedBps: number; resumed: boolean }
  | { kind: "reveal-skipped"; reason: string }
  | { kind: "finalized"; byUs: boolean }
  | { kind: "settled"; reward: bigint; resumed: boolean }
  /** The RPC endpoint failed (ops/retry.ts's isRpcUnavailable): `what` is retried after `retryInMs`. */
  | { kind: "rpc-retry"; what: string; failures: number; retryInMs: number; outageMs: number; error: string }
  /** It answered again after `failures` failed tries over `outageMs`. */
  | { kind: "rpc-recovered"; what: string; failures: number; outageMs: number }
);

export type MinerEventKind = MinerEvent["kind"];
