// Attack: rubber-stamping the public claim (issue 10, property 3).
//
// The attack: claims are public once revealed, and an attestation far from the median only loses
// its fee. Two lazy verifiers attest, without re-training, exactly the claimed score of every
// sampled submission, before the honest re-trainer. One miner over-claims its truth by 900 bps;
// the two echoes make the median the claim, so the fraud passes, and the honest re-trainer, far
// from that median, loses its fee.
// Scenario: 12 tasks, quorum 3, three verifiers (two echoers, one re-trainer), 7 honest miners
// (truths 9100–9700) and one over-claimer (truth 9000–9300, claim truth + 900) in both plays.
// Honest baseline: the two verifiers re-train (attest the truth); the over-claimer is slashed and
// the verifiers near the median share slashBps of its stake.
// Measured: the two echoing verifiers' net tokens. The cost of re-training is counted as 0 tokens
// (it is real compute: the echoers save it on every sampled submission).
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type StrategyResult, type World } from "./harness.js";

/** Runs the echo scenario; `collude` adds the over-claiming miner to the attacker (and makes it honest in the baseline). */
export async function echoScenario(name: string, seed: number, collude: boolean): Promise<StrategyResult> {
  const rng = new Rng(seed, streamOf(name));
  const premine = rng.int(1, 48);
  const truths = Array.from({ length: 7 }, () => rng.int(9100, 9700));
  const cheatTruth = rng.int(9000, 9300);
  let passed = false;
  let attackSampled = false;
  const body = async (w: World) => {
    const { miners, verifiers } = w.a;
    const [e1, e2, retrainer] = verifiers;
    const overclaimer = miners[7];
    const round = await w.open({ quorum: 3 }, tasksOf(2));
    for (let i = 0; i < 7; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
    const cheats = !collude || w.attack;
    await w.enter(round, overclaimer, [{ task: 7, truth: cheatTruth, claim: cheats ? Math.min(10_000, cheatTruth + 900) : cheatTruth }]);
    await w.toCommitEnd(round);
    await w.revealAll(round);
    await w.toRevealEnd(round);
    await w.fixSeed(round);
    for (const s of w.revealed(round)) {
      if (!(await w.isSampled(s))) continue;
      const lazy = w.attack ? s.claim : s.truth;
      await w.attest(e1, s, lazy);
      await w.attest(e2, s, lazy);
      if (!(await w.isVerified(s))) await w.attest(retrainer, s, s.truth);
      if (w.attack && s.miner === overclaimer) {
        attackSampled = true;
        passed = !(await w.isFraud(s));
      }
    }
    return collude ? [e1.address, e2.address, overclaimer.address] : [e1.address, e2.address];
  };
  const attack = await play(attackFixture, "attack", seed, premine, body);
  const honest = await play(attackFixture, "honest", seed, premine, body);
  const r = attack.world.a;
  return result(attack.record, honest.record, [
    attackSampled ? `the +900 claim was sampled and ${passed ? "passed" : "was caught"}` : "the +900 claim was not sampled (paid as claimed either way)",
    `re-trainer: ${tokens(netOf(attack.record, [r.verifiers[2].address]))} (attack) vs ${tokens(netOf(honest.record, [r.verifiers[2].address]))} (honest)`,
    `over-claimer: ${tokens(netOf(attack.record, [r.miners[7].address]))} (attack) vs ${tokens(netOf(honest.record, [r.miners[7].address]))} (honest)`,
    "re-training cost counted as 0 tokens; the echoers skip it on every sampled submission",
  ]);
}

export const rubberStampEcho: Strategy = {
  name: "rubber-stamp-echo",
  property: "3. Rubber-stamping the public claim is not the best strategy for a verifier.",
  description:
    "Quorum 3: two verifiers attest every sampled claim as claimed without re-training; a +900 bps over-claim passes and the honest re-trainer loses its fee; honest: the two re-train. Attacker = the two echoers (re-training cost counted as 0).",
  run: (seed: number) => echoScenario("rubber-stamp-echo", seed, false),
};
