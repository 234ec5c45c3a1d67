// Attack: over-claiming within the tolerance (issue 10, property 6).
//
// The attack: a claim is fraud only if it exceeds the verified median by more than toleranceBps.
// In the old pool a verified claim was paid min(claim, median), so claiming truth + toleranceBps − 1
// was never slashed (re-training under the reference backend is bit-exact, the median is the
// truth) and was paid the inflated claim whenever it was not sampled: +11 tokens per round. Now a
// verified over-claim is paid the median less over·(1 − p)/p (RewardMath.paidScore), so what it
// gains unsampled it loses, in expectation, when sampled.
// Scenario: 12 tasks, sampleBps 5000, topK 3, toleranceBps 100, quorum 3. The attacker holds 3
// tasks, 7 honest miners one each, all truths 9100–9700 bps; honest verifiers attest the truth.
// Honest baseline: the same miner claims its truths.
// Measured: the attacker's net tokens.
import { attackFixture, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type World } from "./harness.js";

const NAME = "tolerance-overclaim";

export const toleranceOverclaim: Strategy = {
  name: NAME,
  property: "6. Over-claiming within toleranceBps has non-positive expected value.",
  description:
    "A miner claims truth + toleranceBps − 1 on each of its 3 tasks: never slashed, paid the inflated claim when unsampled; honest: it claims the truth.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = Array.from({ length: 10 }, () => rng.int(9100, 9700));
    let slashed = 0;
    let unsampled = 0;
    const body = async (w: World) => {
      const { miners } = w.a;
      const cheater = miners[0];
      const round = await w.open({}, tasksOf(2));
      const tol = Number((await w.params(round)).toleranceBps);
      await w.enter(round, cheater, [0, 1, 2].map((t) => ({ task: t, truth: truths[t], claim: w.attack ? Math.min(10_000, truths[t] + tol - 1) : truths[t] })));
      for (let i = 1; i < 8; i++) await w.enter(round, miners[i], [{ task: 2 + i, truth: truths[2 + i], claim: truths[2 + i] }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      await w.verifyHonestly(round);
      if (w.attack) {
        for (const t of [0, 1, 2]) {
          if (await w.isFraud({ round, task: t, slot: 0 })) slashed++;
          if (!(await w.isSampled({ round, task: t, slot: 0 }))) unsampled++;
        }
      }
      return [cheater.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `3 over-claims: ${unsampled} unsampled (paid inflated), ${slashed} slashed`,
      `gain per claim ${tokens((attack.record.net - honest.record.net) / 3n)} tokens`,
    ]);
  },
};
