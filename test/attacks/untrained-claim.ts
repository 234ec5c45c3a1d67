// Attack: claiming a score without training the architecture (issue 10, property 2, second half).
//
// The attack: the score of an architecture can be known without training it — looked up in a
// published table, or taken from an earlier round's verdict — and a claim of exactly the true
// score is never contradicted by a re-training's score. Before the weights seal, such a claim was
// paid exactly as the honest one, while the honest miner paid for the training; so the work the
// pool pays for was optional. Now the reveal seals the digest of the weights the miner trained
// (WeightsSeal): a miner that did not train can only make one up, and when the claim is verified
// the re-trainings' agreed digest does not open it: fraud, slashed, whatever the score.
// Scenario: 12 tasks, sampleBps 5000, topK 3, quorum 3. The attacker holds 3 tasks and claims
// their true scores (9500–9700 bps, above every honest one, so all 3 are the top K and verified)
// with made-up digests; 7 honest miners one task each (9100–9400 bps); honest
// verifiers re-train on the reference backend and seal the true digests.
// Honest baseline: the same claims, each with the seal of the weights the miner trained.
// Measured: the attacker's net tokens (the honest baseline's training cost is off-chain, so the
// attack must lose on-chain for honest work to be the better strategy).
import { ethers } from "../helpers/pool.js";
import { attackFixture, play, result, Rng, streamOf, tasksOf, type Strategy, type World } from "./harness.js";

const NAME = "untrained-claim";

export const untrainedClaim: Strategy = {
  name: NAME,
  property: "2. A miner whose weights digest the committee's matching digests contradict is a fraud.",
  description:
    "A miner claims the true scores of its 3 tasks without training them, sealing made-up weights digests; honest: it trains them and seals the true digests.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    // the attacker's three truths above every honest one: its claims are the round's top K, so
    // every one is verified whatever the sample (which follows block hashes, and so wall time)
    const truths = Array.from({ length: 10 }, (_, t) => (t < 3 ? rng.int(9500, 9700) : rng.int(9100, 9400)));
    let verified = 0;
    let slashed = 0;
    let honestSlashed = 0;
    const body = async (w: World) => {
      const { miners } = w.a;
      const cheater = miners[0];
      const round = await w.open({}, tasksOf(2));
      const mine = await w.enter(round, cheater, [0, 1, 2].map((t) => ({ task: t, truth: truths[t], claim: truths[t] })));
      if (w.attack) for (const s of mine) s.sealed = ethers.id(`made up:${s.round}:${s.task}:${seed}`);
      for (let i = 1; i < 8; i++) await w.enter(round, miners[i], [{ task: 2 + i, truth: truths[2 + i], claim: truths[2 + i] }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      await w.verifyHonestly(round);
      if (w.attack) {
        for (const s of mine) {
          if (await w.isVerified(s)) verified++;
          if (await w.isFraud(s)) slashed++;
        }
        for (let t = 3; t < 10; t++) if (await w.isFraud({ round, task: t, slot: 0 })) honestSlashed++;
      }
      return [cheater.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `3 untrained claims at their true scores: ${verified} verified, ${slashed} slashed`,
      `${honestSlashed} honest miners slashed`,
    ]);
  },
};
