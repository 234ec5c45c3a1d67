// Attack: rubber-stamping in collusion with the over-claiming miner (issue 10, property 3).
//
// The attack: as rubber-stamp-echo (two echoers in a committee of five, quorum 3, drawn
// verifiers and escalation), but the miner claiming truth + 900 bps is the echoers' own. It
// trained its genome, so it can share the digest of its weights; the echoers seal its inflated
// claim with that digest (the true one) and the other claims with 0. Before drawn verifiers and
// escalation (a committee of three, all attesting every claim) their two scores were the median:
// the over-claim passed (+210 tokens). Now the drawn three always include an honest re-trainer
// (two echoers cannot fill three seats), who disputes the claim; the escalation brings the two
// members not drawn, and the median of five is the truth: the over-claim is slashed and both
// echoers penalised.
// Honest baseline: the miner claims its truth and the two verifiers re-train.
// Measured: the two echoing verifiers and the over-claiming miner together.
import type { Strategy } from "./harness.js";
import { echoScenario } from "./rubber-stamp-echo.js";

export const rubberStampEchoCollusion: Strategy = {
  name: "rubber-stamp-echo-collusion",
  property: "3. Rubber-stamping the public claim is not the best strategy for a verifier.",
  description:
    "As rubber-stamp-echo (five verifiers, drawn three, escalation on dispute), with the +900 bps over-claiming miner owned by the echoers, who seal its claim with the digest of its weights it shares; honest: it claims the truth and the verifiers re-train. Attacker = echoers + miner.",
  run: (seed: number) => echoScenario("rubber-stamp-echo-collusion", seed, true),
};
