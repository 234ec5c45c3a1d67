// The pool's money rules restated from their documentation, for tests to check the contracts
// against: written from the README's and the NatSpec's formulas, never from the Solidity, and kept
// here once so that every test checks the same statement of each rule. (The web app's and the
// nodes' code never uses these: the contract is the rule; chain/ reads its results.)
import { ethers } from "./pool.js";
import { sampleSeed } from "../../chain/randomness.js";

const BPS = 10_000n;
/** ceil(a / b) for b > 0. */
export const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** RewardMath.performance: the score above the baseline, 0 at or below it. */
export function performance(score: number | bigint, baseline: number | bigint): bigint {
  const s = BigInt(score);
  const b = BigInt(baseline);
  return s > b ? s - b : 0n;
}

/**
 * RewardMath.paidScore: an unverified claim (`median` null) is paid on its claim; a verified one on
 * its claim when the median is at least the claim, else the median less ceil(over · (1 − p) / p),
 * floored at 0, where over = claimed − median and p = sampleBps (the median at p = 100%, 0 at p = 0).
 */
export function paidScore(claimed: number | bigint, median: number | bigint | null, sampleBps: number | bigint): bigint {
  const c = BigInt(claimed);
  const p = BigInt(sampleBps);
  if (median === null || c <= BigInt(median)) return c;
  const m = BigInt(median);
  if (p >= BPS) return m;
  if (p === 0n) return 0n;
  const penalty = ceilDiv((c - m) * (BPS - p), p);
  return m > penalty ? m - penalty : 0n;
}

/**
 * RewardMath.minSafeStake, the README's stake bound: ceil(pot · (1 − p) / (p · (K + 1) · (1 − s))),
 * in bps, s = slashBps (a cheater's own verifiers win back s of its slash); unbounded at p = 0 or
 * s ≥ 100%, 0 at p ≥ 100%.
 */
export function minSafeStake(pot: bigint, sampleBps: bigint, topK: bigint, slashBps: bigint): bigint {
  if (sampleBps >= BPS) return 0n;
  if (sampleBps === 0n || slashBps >= BPS) return ethers.MaxUint256;
  return ceilDiv(pot * BPS * (BPS - sampleBps), sampleBps * (topK + 1n) * (BPS - slashBps));
}

/** Sampling.median: odd count → the middle value; even → the floor of the mean of the middle two. */
export function medianOf(scores: readonly (number | bigint)[]): bigint {
  const v = scores.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = v.length;
  return n % 2 === 1 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2n;
}

/** R_i = floor(P_i · pot / ΣP), 0 when ΣP = 0. */
export function share(p: bigint, pot: bigint, sumP: bigint): bigint {
  return sumP === 0n ? 0n : (p * pot) / sumP;
}

/** Sampling.seedOf and FULL_SAMPLE, shared with the nodes (chain/randomness.ts). */
export { FULL_SAMPLE } from "../../chain/randomness.js";
export function seedOf(value: string, roundId: bigint, full = false): string {
  return sampleSeed(value as `0x${string}`, roundId, full);
}

/** Sampling.drawn, the seeded draw: keccak256(abi.encode(seed, roundId, task, slot)) % 10000 < sampleBps. */
export function drawn(seed: string, roundId: bigint, task: number, slot: number, sampleBps: bigint): boolean {
  const h = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256", "uint256", "uint256"], [seed, roundId, task, slot]));
  return BigInt(h) % BPS < sampleBps;
}
