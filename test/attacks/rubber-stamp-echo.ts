// Attack: rubber-stamping the public claim (issue 10, property 3).
//
// The attack as it was: claims are public once revealed, and an attestation far from the median
// only lost its fee. Two lazy verifiers attested, without re-training, exactly the claimed score
// of every sampled submission, before the honest re-trainer. One miner over-claimed its truth by
// 900 bps; the two echoes made the median the claim, so the fraud passed, and the honest
// re-trainer, far from that median, lost its fee.
// What changed: attestations are sealed (nobody sees a score before the commit phase closes) and
// carry the digest of the trained weights; a fee is paid only to an attestation whose digest is
// the one the reference re-trainings agree on (or to every winner when no two digests agree), and
// an attestation off the median, or with a digest that contradicts the agreed one, loses
// `penalty` of stake. The echoers never re-train, so they seal the claim with a 0 (score-only)
// digest; the re-trainer seals the truth with the true digest.
// What changed next (drawn verifiers and escalation, property 3 and 4): each sampled submission
// is attested in the drawn phase only by the three members the round's randomness draws (three
// consecutive seats of the five-member roster from a seat the seed picks), and drawn reveals that
// disagree by more than the tolerance escalate it: the two members not drawn attest it too, and
// the verdict is the median of all five. With two echoers in a committee of five they are never
// more than two of five: wherever the over-claim is sampled an honest re-trainer is drawn beside
// them, disputes it, and the escalation's median is the truth. So it is caught, the echoers are
// penalised for being off it, and on honest claims their 0 digests earn no fee.
// Scenario: 12 tasks, quorum 3, five verifiers (two echoers, three re-trainers), 7 honest miners
// (truths 9100–9700) and one over-claimer (truth 9000–9300, claim truth + 900: in the top-K, so
// always sampled) in both plays. A committee whose majority colludes (two echoers of three) is
// outside what any committee can stop (README, Economics: the honest-majority assumption).
// Honest baseline: the two verifiers re-train (commit the truth with the true digest); the
// over-claimer is slashed and the three verifiers share slashBps of its stake.
// Measured: the two echoing verifiers' net tokens. The cost of re-training is counted as 0 tokens
// (it is real compute: the echoers save it on every sampled submission).
// The collusion variant (rubber-stamp-echo-collusion.ts) owns the over-claiming miner too.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type StrategyResult, type Sub, type World } from "./harness.js";
import { ethers } from "../helpers/pool.js";

/**
 * Runs the echo scenario; `collude` adds the over-claiming miner to the attacker (and makes it
 * honest in the baseline), and the miner shares the digest of its trained weights with the
 * echoers, who seal it with its inflated claim (they have no digest for the other claims: 0).
 */
export async function echoScenario(name: string, seed: number, collude: boolean): Promise<StrategyResult> {
  const rng = new Rng(seed, streamOf(name));
  const premine = rng.int(1, 48);
  const truths = Array.from({ length: 7 }, () => rng.int(9100, 9700));
  const cheatTruth = rng.int(9000, 9300);
  let passed = false;
  let attackSampled = false;
  let escalated = 0;
  const record = { retrainerPenalties: 0, echoerFees: 0, echoerPenalties: 0, honestEchoerFees: 0 };
  const body = async (w: World) => {
    const { miners } = w.a;
    // a committee of five (two more honest re-trainers enrolled before the round opens)
    const members = await w.enrolVerifiers(w.f.extras.slice(0, 2));
    const [e1, e2, retrainer] = members;
    const echoers = [e1, e2];
    const overclaimer = miners[7];
    const round = await w.open({ quorum: 3 }, tasksOf(2));
    for (let i = 0; i < 7; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
    const cheats = !collude || w.attack;
    await w.enter(round, overclaimer, [{ task: 7, truth: cheatTruth, claim: cheats ? Math.min(10_000, cheatTruth + 900) : cheatTruth }]);
    await w.toCommitEnd(round);
    await w.revealAll(round);
    await w.toRevealEnd(round);
    await w.fixSeed(round);
    // what each member seals on a submission: the echoers the claim (with the colluding miner's
    // digest on its own claim, else 0), everyone else (and the echoers when honest) the truth
    const attestation = (v: (typeof members)[number], s: Sub) => {
      if (w.attack && echoers.includes(v)) return { score: s.claim, digest: collude && s.miner === overclaimer ? w.digestOf(s) : ethers.ZeroHash };
      return { score: s.truth, digest: w.digestOf(s) };
    };
    await w.attestWith(round, members, attestation, (s) => {
      escalated += w.attack && s.miner === overclaimer ? 1 : 0;
    });
    if (w.attack) {
      const s = w.sub(round, 7);
      attackSampled = await w.isSampled(s);
      passed = attackSampled && (await w.isVerified(s)) && !(await w.isFraud(s));
      record.retrainerPenalties = (await w.verifierRecord(retrainer.address)).penalties;
      record.echoerFees = (await w.verifierRecord(e1.address)).fees + (await w.verifierRecord(e2.address)).fees;
      record.echoerPenalties = (await w.verifierRecord(e1.address)).penalties + (await w.verifierRecord(e2.address)).penalties;
    } else {
      record.honestEchoerFees = (await w.verifierRecord(e1.address)).fees + (await w.verifierRecord(e2.address)).fees;
    }
    return collude ? [e1.address, e2.address, overclaimer.address] : [e1.address, e2.address];
  };
  const attack = await play(attackFixture, "attack", seed, premine, body);
  const honest = await play(attackFixture, "honest", seed, premine, body);
  const r = attack.world.a;
  return result(attack.record, honest.record, [
    attackSampled ? `the +900 claim was sampled and ${passed ? "passed" : "was caught"}${escalated ? " after an escalation" : " by its drawn verifiers"}` : "the +900 claim was not sampled (paid as claimed either way)",
    `echoers paid ${record.echoerFees} fees and ${record.echoerPenalties} penalties (echoing) vs ${record.honestEchoerFees} fees (re-training)`,
    `re-trainer: ${tokens(netOf(attack.record, [r.verifiers[2].address]))} (attack, ${record.retrainerPenalties} penalties) vs ${tokens(netOf(honest.record, [r.verifiers[2].address]))} (honest)`,
    `over-claimer: ${tokens(netOf(attack.record, [r.miners[7].address]))} (attack) vs ${tokens(netOf(honest.record, [r.miners[7].address]))} (honest)`,
    "re-training cost counted as 0 tokens; the echoers skip it on every sampled submission",
  ]);
}

export const rubberStampEcho: Strategy = {
  name: "rubber-stamp-echo",
  property: "3. Rubber-stamping the public claim is not the best strategy for a verifier.",
  description:
    "Quorum 3, five verifiers: two of them seal every sampled claim as claimed with a 0 (score-only) digest, without re-training, when drawn and in every escalation; a +900 bps over-claim is disputed by the honest verifier drawn beside them and caught by the escalation's median; honest: the two re-train. Attacker = the two echoers (re-training cost counted as 0).",
  run: (seed: number) => echoScenario("rubber-stamp-echo", seed, false),
};
