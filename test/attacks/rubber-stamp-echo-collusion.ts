// Attack: rubber-stamping in collusion with the over-claiming miner (issue 10, property 3).
//
// The attack: as rubber-stamp-echo (two verifiers commit every sampled claim as claimed, at
// quorum 3, beside one honest re-trainer), but the miner claiming truth + 900 bps is the echoers'
// own. What changed with sealed, digest-bound attestations: the miner trained its genome, so it
// can share the digest of its weights; the echoers seal its inflated claim with that digest (the
// true one, which the re-trainer's agrees with) and the other claims with 0. Their two scores are
// still the median: the over-claim passes, the echoers are paid, the re-trainer is penalised. A
// majority of the quorum colluding with a miner still passes its false claim: measured here, not
// fixed (the miner's sealed digest and escalation on disagreement are not built yet).
// Honest baseline: the miner claims its truth and the two verifiers re-train.
// Measured: the two echoing verifiers and the over-claiming miner together.
import type { Strategy } from "./harness.js";
import { echoScenario } from "./rubber-stamp-echo.js";

export const rubberStampEchoCollusion: Strategy = {
  name: "rubber-stamp-echo-collusion",
  property: "3. Rubber-stamping the public claim is not the best strategy for a verifier.",
  description:
    "As rubber-stamp-echo, with the +900 bps over-claiming miner owned by the echoers, who seal its claim with the digest of its weights it shares; honest: it claims the truth and the verifiers re-train. Attacker = echoers + miner.",
  run: (seed: number) => echoScenario("rubber-stamp-echo-collusion", seed, true),
};
