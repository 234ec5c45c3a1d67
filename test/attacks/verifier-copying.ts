// Attack: copying another verifier's attestation (issue 10, property 2).
//
// The attack as it was: attestations were public the moment they were sent (the Attested event
// carried the score). A lazy verifier did not re-train: it watched for the first attestation of
// each sampled submission and attested the same score in the next block. At quorum 3 with five
// verifiers the first three attestations were paid and the others refused (AlreadyFinal), so the
// copier, always second, was always paid, while an honest verifier was paid only when it finished
// re-training before two of the others.
// What changed: attestations are sealed (VerifierCommittee commitAttestation/revealAttestation).
// Every seal is committed before the commit phase closes (3/4 of the verify window) and the
// first score is revealed after it, so at commit time there is no score to copy (its copy of the
// Attested logs is empty); and a fee is paid only to an attestation that proves the work: its
// weights digest is the one the reference re-trainings agree on. The copier's best is to echo the
// public claim (right for an honest claim) with a 0 (score-only) digest, as it never re-trained:
// it is a winner (near the median), so it loses nothing, but it is never paid.
// Scenario: 12 tasks, 8 honest miners (truths 9100–9800, each claims its truth), sampleBps 5000,
// topK 3, quorum 3 (the smallest openRound accepts), five verifiers, verifierFee 1 token; each
// verifier commits each sampled submission when it finishes re-training it (an order drawn from
// the seed, the same in both plays); all five commit (nothing is final before the reveals), then
// all reveal.
// Honest baseline: the copier re-trains and commits the truth with the true digest like the others.
// Measured: the copier's net tokens (fees), and the fees it was paid while copying (0 expected).
// Re-training cost counted as 0 tokens (the copier saves it on every sampled submission).
import { attackFixture, play, result, Rng, streamOf, tasksOf, tokens, type Signer, type Strategy, type Sub, type World } from "./harness.js";
import { ethers } from "../helpers/pool.js";

const NAME = "verifier-copying";

/** The score of the first Attested event (a revealed attestation) of a submission, as a copier reads it from the logs. */
export async function firstAttestedScore(w: World, s: Sub): Promise<number | null> {
  const logs = await w.committee.queryFilter(w.committee.filters.Attested(s.round, s.task), 0);
  const first = logs.find((l) => Number(l.args.slot) === s.slot);
  return first ? Number(first.args.scoreBps) : null;
}

export const verifierCopying: Strategy = {
  name: NAME,
  property: "2. A verifier cannot see another verifier's result before committing its own.",
  description:
    "Quorum 3, five verifiers: a lazy verifier wants to copy others' scores, but every score is sealed until the commit phase is over, so it commits the public claim with a 0 (score-only) digest on every sampled submission, without re-training; honest: it re-trains and commits the truth with the true weights digest. Re-training cost counted as 0.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = Array.from({ length: 8 }, () => rng.int(9100, 9800));
    const finishOrder = truths.map(() => rng.shuffle([0, 1, 2, 3, 4]));
    let visible = 0;
    let echoed = 0;
    let sampled = 0;
    const copierFees = { attack: 0, honest: 0 };
    const body = async (w: World) => {
      const { miners } = w.a;
      const verifiers = await w.enrolVerifiers(w.f.extras.slice(0, 2));
      const copier = verifiers[0];
      const round = await w.open({ quorum: 3 }, tasksOf(2));
      for (let i = 0; i < 8; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      for (const s of w.revealed(round)) {
        if (!(await w.isSampled(s))) continue;
        sampled++;
        const order: Signer[] = finishOrder[s.task].map((i) => verifiers[i]);
        for (const v of order) {
          if (w.attack && v === copier) {
            // all it can read before its commit: sealed commitments and the public claim
            if ((await firstAttestedScore(w, s)) !== null) visible++;
            if ((await w.attest(copier, s, s.claim, ethers.ZeroHash)) === null) echoed++;
          } else {
            await w.attest(v, s, s.truth); // re-trained: the truth, sealed with the true weights digest
          }
        }
      }
      await w.finishVerification(round);
      copierFees[w.mode] = (await w.verifierRecord(copier.address)).fees;
      return [copier.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const attackSampled = sampled;
    sampled = 0;
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `scores visible before its commit on ${visible} of ${attackSampled} sampled submissions; echoed the claim with a 0 digest on ${echoed}`,
      `copier paid ${copierFees.attack} fees (copying) vs ${copierFees.honest} (re-training, ${sampled} sampled)`,
      `fees ${tokens(attack.record.net)} (copying) vs ${tokens(honest.record.net)} (re-training); re-training cost counted as 0`,
    ]);
  },
};
