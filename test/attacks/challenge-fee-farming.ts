// Attack (found while building this harness): farming verifier fees through free challenges.
//
// The attack as it was: challenge() is free to any committee verifier and forces a submission
// into the sample; attest() paid verifierFee at once, and a fee was clawed back only if the
// attestation ended up far from the median. A lazy verifier challenged every unsampled revealed
// submission and attested every sampled one first, echoing the public claim without re-training.
// The honest verifiers had to re-train the challenged submissions too (else their miners are paid
// nothing), which completed the quorum near the echo. The farmer was paid on every submission
// instead of about two thirds of the sampled ones, out of the fee budget (otherwise swept to the
// treasury), and the honest verifiers did the extra work.
// What changed: attestations are sealed and fees are paid at the judgement, only to attestations
// that prove the work: a weights digest equal to the one the reference re-trainings agree on. The
// farmer, which never re-trains, can only echo the claim with a 0 (score-only) digest: near the
// median (honest claims), so never penalised, and never paid. Its challenges still cost it
// nothing and still make the honest verifiers re-train (and be paid for) submissions the sample
// did not ask for: that cost falls on the fee budget (the treasury's notes).
// Scenario: 12 tasks, 8 honest miners (truths 9100–9800, each claims its truth), sampleBps 5000,
// topK 3, quorum 3 (the smallest openRound accepts), verifierFee 1 token, five verifiers, each
// committing every sampled submission when it finishes re-training it (a seed-drawn order).
// Honest baseline: the same verifier challenges nothing and re-trains the sampled submissions.
// Measured: the farmer's net tokens (fees) and the fees it was paid while farming (0 expected).
// Re-training cost counted as 0 tokens.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Signer, type Strategy, type World } from "./harness.js";
import { ethers } from "../helpers/pool.js";

const NAME = "challenge-fee-farming";

export const challengeFeeFarming: Strategy = {
  name: NAME,
  property: "new: a verifier cannot earn fees for verifications the sample did not require (challenge is free).",
  description:
    "A lazy verifier challenges every unsampled submission and commits the public claim with a 0 (score-only) digest on every submission, without re-training; the honest verifiers re-train everything sampled; honest: it re-trains the sampled ones and commits the truth with the true weights digest.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = Array.from({ length: 8 }, () => rng.int(9100, 9800));
    const finishOrder = truths.map(() => rng.shuffle([0, 1, 2, 3, 4]));
    let challenged = 0;
    const farmerFees = { attack: 0, honest: 0 };
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
          await w.attest(farmer, s, s.claim, ethers.ZeroHash); // the echo: no re-training, no digest
          // the honest verifiers (a verifier node re-trains what Challenged puts in the sample)
          for (const v of order) if (v !== farmer && (await w.isSampled(s))) await w.attest(v, s, s.truth);
        } else if (await w.isSampled(s)) {
          for (const v of order) await w.attest(v, s, s.truth);
        }
      }
      await w.finishVerification(round);
      farmerFees[w.mode] = (await w.verifierRecord(farmer.address)).fees;
      return [farmer.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const honest = await play(attackFixture, "honest", seed, premine, body);
    const t = attack.world.a.treasury.address;
    return result(attack.record, honest.record, [
      `challenged ${challenged} unsampled submissions`,
      `farmer paid ${farmerFees.attack} fees (farming) vs ${farmerFees.honest} (re-training)`,
      `treasury ${tokens(netOf(attack.record, [t]))} (attack) vs ${tokens(netOf(honest.record, [t]))} (honest): the unspent fee budget pays the honest verifiers' extra re-trainings`,
      "re-training cost counted as 0",
    ]);
  },
};
