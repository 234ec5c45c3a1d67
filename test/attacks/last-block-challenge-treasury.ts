// Attack: a last-block challenge by a verifier aligned with the treasury (issue 10, property 5).
//
// The attack, scenario and baseline are those of last-block-challenge (see that file); the voided
// rewards are swept to the treasury, so here the attacker is the challenger together with the
// treasury (an operator that also runs a committee verifier).
// Measured: challenger + treasury.
import type { Strategy } from "./harness.js";
import { lastBlockScenario } from "./last-block-challenge.js";

export const lastBlockChallengeTreasury: Strategy = {
  name: "last-block-challenge-treasury",
  property: "5. A last-moment challenge cannot void an honest reward.",
  description:
    "As last-block-challenge; attacker = the challenger + the treasury, which receives the voided rewards by sweep; honest: no challenge.",
  run: (seed) => lastBlockScenario("last-block-challenge-treasury", seed, true),
};
