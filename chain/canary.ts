// Canaries: the operator's planted known-false claims (Truebit's forced errors, issue 10
// property 3). A canary is an ordinary miner account of the operator's that trains its task like
// any miner, seals its real weights digest, and claims less than it measured: by twice the
// round's tolerance and one bps more. Nobody can tell it from an honest under-claim without
// re-training it, and under-claiming is never fraud (the pool pays min(claim, verdict) and slashes
// only claims above the verdict), so the canary costs the operator only the reward of the bps it
// gave up. What it buys: a verifier that seals the public claim instead of re-training (a
// rubber-stamper) is off the honest re-trainings' median by more than the tolerance on every
// canary it is drawn for, so it loses the committee's `penalty` of stake there
// (VerifierCommittee._decide). Echoing then has a cost in expectation even in a round with no
// cheater: about (canaries drawn for it) × penalty, where without canaries it cost nothing.
// The one rule, used by the miner (`--canary`) and by the attack test (test/attacks/canary-echo.ts).

/** How far below its measured score a canary claims: 2 × tolerance + 1 bps, so that an echo of
 * the claim is off a median anywhere within the tolerance of the truth by more than the tolerance. */
export function canaryDeflationBps(toleranceBps: number): number {
  return 2 * toleranceBps + 1;
}

/** The score a canary claims for a measured `bestBps` in a round with `toleranceBps`: never below 0. */
export function canaryClaimBps(bestBps: number, toleranceBps: number): number {
  return Math.max(0, bestBps - canaryDeflationBps(toleranceBps));
}
