// Attack: rubber-stamping in collusion with the over-claiming miner (issue 10, property 3).
//
// The attack: as rubber-stamp-echo (two verifiers attest every sampled claim as claimed, before
// the honest re-trainer, at quorum 3), but the miner claiming truth + 900 bps is the echoers' own.
// Honest baseline: the miner claims its truth and the two verifiers re-train.
// Measured: the two echoing verifiers and the over-claiming miner together.
import type { Strategy } from "./harness.js";
import { echoScenario } from "./rubber-stamp-echo.js";

export const rubberStampEchoCollusion: Strategy = {
  name: "rubber-stamp-echo-collusion",
  property: "3. Rubber-stamping the public claim is not the best strategy for a verifier.",
  description:
    "As rubber-stamp-echo, with the +900 bps over-claiming miner owned by the echoers; honest: it claims the truth and the verifiers re-train. Attacker = echoers + miner.",
  run: (seed: number) => echoScenario("rubber-stamp-echo-collusion", seed, true),
};
