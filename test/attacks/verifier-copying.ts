// Attack: copying another verifier's attestation (issue 10, property 2).
//
// The attack: attestations are public the moment they are sent (the Attested event carries the
// score). A lazy verifier does not re-train: it watches for the first attestation of each sampled
// submission and attests the same score in the next block. At quorum 3 with five verifiers,
// the first three attestations are paid and the others are refused (AlreadyFinal); re-training
// takes time, so an honest verifier is among the first three only when it finishes training
// before two of the others, while the copier is always second.
// Scenario: 12 tasks, 8 honest miners (truths 9100–9800), sampleBps 5000, topK 3, quorum 3 (the
// smallest openRound accepts), five verifiers, verifierFee 1 token; the order in which the five
// finish re-training each sampled submission is drawn from the seed (the same in both plays).
// Honest baseline: the same verifier re-trains and attests when it finishes, in that order.
// Measured: the copier's net tokens (fees). Re-training cost counted as 0 tokens (the copier
// saves it on every sampled submission).
import { attackFixture, play, result, Rng, streamOf, tasksOf, tokens, type Signer, type Strategy, type Sub, type World } from "./harness.js";

const NAME = "verifier-copying";

/** The score of the first Attested event of a submission, as a copier reads it from the logs. */
export async function firstAttestedScore(w: World, s: Sub): Promise<number | null> {
  const logs = await w.committee.queryFilter(w.committee.filters.Attested(s.round, s.task), 0);
  const first = logs.find((l) => Number(l.args.slot) === s.slot);
  return first ? Number(first.args.scoreBps) : null;
}

export const verifierCopying: Strategy = {
  name: NAME,
  property: "2. A verifier cannot see another verifier's result before committing its own.",
  description:
    "Quorum 3, five verifiers: a lazy verifier copies the first attestation of each sampled submission from the Attested event in the next block, so it is always in the paid quorum; honest: it re-trains and attests when it finishes (random order). Re-training cost counted as 0.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = Array.from({ length: 8 }, () => rng.int(9100, 9800));
    const finishOrder = truths.map(() => rng.shuffle([0, 1, 2, 3, 4]));
    let copied = 0;
    let sampled = 0;
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
        if (!w.attack) {
          for (const v of order) if (!(await w.isVerified(s))) await w.attest(v, s, s.truth);
        } else {
          const honestOrder = order.filter((v) => v !== copier);
          await w.attest(honestOrder[0], s, s.truth);
          const score = await firstAttestedScore(w, s);
          if (score !== null && (await w.attest(copier, s, score)) === null) copied++;
          for (const v of honestOrder.slice(1)) if (!(await w.isVerified(s))) await w.attest(v, s, s.truth);
        }
      }
      return [copier.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const attackSampled = sampled;
    sampled = 0;
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `copied ${copied} of ${attackSampled} sampled submissions (honest play: ${sampled} sampled)`,
      `fees ${tokens(attack.record.net)} (copying) vs ${tokens(honest.record.net)} (re-training); re-training cost counted as 0`,
    ]);
  },
};
