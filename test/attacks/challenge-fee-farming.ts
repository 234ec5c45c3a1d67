// Attack (found while building this harness): farming verifier fees through free challenges.
//
// The attack: challenge() is free to any committee verifier and forces a submission into the
// sample; attest() pays verifierFee at once, and a fee is clawed back only if the attestation
// ends up far from the median. A lazy verifier challenges every unsampled revealed submission
// and attests every sampled one first, echoing the public claim without re-training. The honest
// verifiers must re-train the challenged submissions too (else their miners are paid nothing),
// which completes the quorum near the echo. The farmer is paid on every submission instead of
// about two thirds of the sampled ones, the fee budget (otherwise swept to the treasury) pays
// for verifications the sample never asked for, and the honest verifiers do the extra work.
// Scenario: 12 tasks, 8 honest miners (truths 9100–9800), sampleBps 5000, topK 3, quorum 3 (the
// smallest openRound accepts), verifierFee 1 token, five verifiers finishing re-training in a
// seed-drawn order.
// Honest baseline: the same verifier re-trains the sampled submissions and attests when done.
// Measured: the farmer's net tokens (fees). Re-training cost counted as 0 tokens.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Signer, type Strategy, type World } from "./harness.js";

const NAME = "challenge-fee-farming";

export const challengeFeeFarming: Strategy = {
  name: NAME,
  property: "new: a verifier cannot earn fees for verifications the sample did not require (challenge is free).",
  description:
    "A lazy verifier challenges every unsampled submission and echo-attests every submission first (no re-training); the honest verifiers complete the quorum; honest: it re-trains the sampled ones and attests in a random finishing order.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = Array.from({ length: 8 }, () => rng.int(9100, 9800));
    const finishOrder = truths.map(() => rng.shuffle([0, 1, 2, 3, 4]));
    let challenged = 0;
    const body = async (w: World) => {
      const { miners } = w.a;
      const verifiers = await w.enrolVerifiers(w.f.extras.slice(0, 2));
      const farmer = verifiers[0];
      const round = await w.open({ quorum: 3 }, tasksOf(2));
      for (let i = 0; i < 8; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      for (const s of w.revealed(round)) {
        const order: Signer[] = finishOrder[s.task].map((i) => verifiers[i]);
        if (w.attack) {
          if (!(await w.isSampled(s)) && (await w.tryTx(() => w.committee.connect(farmer).challenge(s.round, s.task, s.slot))) === null) challenged++;
          await w.attest(farmer, s, s.claim);
          for (const v of order) if (v !== farmer && !(await w.isVerified(s))) await w.attest(v, s, s.truth);
        } else if (await w.isSampled(s)) {
          for (const v of order) if (!(await w.isVerified(s))) await w.attest(v, s, s.truth);
        }
      }
      return [farmer.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const honest = await play(attackFixture, "honest", seed, premine, body);
    const t = attack.world.a.treasury.address;
    return result(attack.record, honest.record, [
      `challenged ${challenged} unsampled submissions`,
      `treasury ${tokens(netOf(attack.record, [t]))} (attack) vs ${tokens(netOf(honest.record, [t]))} (honest): the unspent fee budget pays the farmer`,
      "re-training cost counted as 0",
    ]);
  },
};
