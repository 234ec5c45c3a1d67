// The rules a round's parameters must keep for verification to mean anything, checked before a
// manager sends a single transaction: the one place `manager open-round`, `manager run` and the
// demo (all through chain/actions/openRound.ts) refuse a round that would open on chain but could
// never catch a cheater. The contract's own rules (lens.checkRoundParams: windows, bps ranges, odd
// quorum 3..9, the stake floor, the verify window against the randomness delay) are asked of the
// lens itself, not re-implemented; these are the ones that depend on things the contract does not
// weigh at openRound (who is in the committee) or that it leaves to the manager (how wide the
// tolerance is). Pure and browser-safe.
import { ChainError } from "./errors.js";

/**
 * The widest tolerance openRound accepts, in bps (10 percentage points of accuracy).
 * Why: the tolerance exists to absorb re-training noise — the same recipe on another tfjs backend
 * differs in the last bits of the weights, which moves a test accuracy by a few tenths of a point,
 * not by ten (README, "Trainer and backends"). Everything within it is not fraud: a claim above
 * the verified median by up to the tolerance is only docked (RewardMath.paidScore), never slashed,
 * and verifiers within it of the median are never penalised nor disputed. So a wide tolerance
 * turns property 1 (a false claim loses its stake when sampled, which is what minSafeStake prices)
 * into "a false claim loses part of its reward", and lets a lazy verifier attest any score
 * near the claim unpunished. 1000 bps leaves an order of magnitude of room over backend noise.
 */
export const MAX_TOLERANCE_BPS = 1000;

export interface RoundRuleInput {
  quorum: number;
  toleranceBps: number;
  baselineBps: number;
}

export interface RoundRuleContext {
  /**
   * Members of the committee the round would get (enrolled and active now, so in the roster
   * `fundRound` snapshots) holding at least minVerifierStake: the ones that can attest.
   */
  activeStakedMembers: number;
}

/**
 * The one-line refusals of `o` under `ctx`, empty when the round keeps every verification
 * property. Each line says what is wrong, why it matters and how to fix it.
 */
export function roundRuleViolations(o: RoundRuleInput, ctx: RoundRuleContext): string[] {
  const out: string[] = [];
  // A round's committee is fixed when it opens (VerifierCommittee.fundRound): with fewer members
  // who can attest than the quorum, no sampled claim can ever reach a verdict, so every sampled
  // claim is left unverified and paid 0, honest or not, and no cheater is slashed.
  if (o.quorum > ctx.activeStakedMembers) {
    out.push(
      `quorum ${o.quorum} is larger than the committee: ${ctx.activeStakedMembers} active verifier${ctx.activeStakedMembers === 1 ? "" : "s"} hold the minimum stake, so no sampled claim could reach a verdict; enrol and stake more verifiers (npm run manager -- committee add <address>, npm run verifier -- stake <amount>) or lower --quorum`,
    );
  }
  // Fraud is a claim above the median by more than the tolerance: a worthless model (verified at
  // the baseline, P = 0) claiming a perfect 10000 must be beyond it, else nothing is ever fraud.
  if (o.toleranceBps >= 10_000 - o.baselineBps) {
    out.push(
      `tolerance ${o.toleranceBps} bps is at least the whole score range above the baseline (10000 − ${o.baselineBps} = ${10_000 - o.baselineBps} bps), so no claim could ever be fraud; lower --tolerance to at most ${Math.min(MAX_TOLERANCE_BPS, 10_000 - o.baselineBps - 1)} bps`,
    );
  } else if (o.toleranceBps > MAX_TOLERANCE_BPS) {
    out.push(
      `tolerance ${o.toleranceBps} bps is above ${MAX_TOLERANCE_BPS} bps: a false claim within it is docked instead of slashed and verifiers within it are never penalised, far beyond re-training noise across backends (a few tens of bps); lower --tolerance to at most ${MAX_TOLERANCE_BPS}`,
    );
  }
  return out;
}

/** Throws the first refusal of roundRuleViolations as a ChainError (one line). */
export function assertRoundRules(o: RoundRuleInput, ctx: RoundRuleContext): void {
  const [first] = roundRuleViolations(o, ctx);
  if (first) throw new ChainError(`refusing to open the round: ${first}`);
}
