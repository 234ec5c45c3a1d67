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
// What it measures now: with one reference re-training among three attestations no digest is
// agreed (it needs two), so the echoes are still paid on honest claims, exactly as re-training
// would be; on the +900 claim the two echoes still are the median, so the fraud still passes (the
// quorum's majority decides: not fixed here), the echoers are still paid, and the re-trainer is
// now penalised for being off that median. What the echoers lose against re-training is the
// slashBps share of the over-claimer's stake they would have earned by catching it.
// Scenario: 12 tasks, quorum 3, three verifiers (two echoers, one re-trainer), 7 honest miners
// (truths 9100–9700) and one over-claimer (truth 9000–9300, claim truth + 900: in the top-K, so
// always sampled) in both plays.
// Honest baseline: the two verifiers re-train (commit the truth with the true digest); the
// over-claimer is slashed and the three verifiers share slashBps of its stake.
// Measured: the two echoing verifiers' net tokens. The cost of re-training is counted as 0 tokens
// (it is real compute: the echoers save it on every sampled submission).
// The collusion variant (rubber-stamp-echo-collusion.ts) owns the over-claiming miner too.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type StrategyResult, type World } from "./harness.js";
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
  const record = { retrainerPenalties: 0, echoerFees: 0, honestEchoerFees: 0 };
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
      if (w.attack) {
        const digest = collude && s.miner === overclaimer ? w.digestOf(s) : ethers.ZeroHash;
        await w.attest(e1, s, s.claim, digest);
        await w.attest(e2, s, s.claim, digest);
      } else {
        await w.attest(e1, s, s.truth);
        await w.attest(e2, s, s.truth);
      }
      await w.attest(retrainer, s, s.truth);
    }
    await w.finishVerification(round);
    if (w.attack) {
      const s = w.sub(round, 7);
      attackSampled = await w.isSampled(s);
      passed = attackSampled && (await w.isVerified(s)) && !(await w.isFraud(s));
      record.retrainerPenalties = (await w.verifierRecord(retrainer.address)).penalties;
      record.echoerFees = (await w.verifierRecord(e1.address)).fees + (await w.verifierRecord(e2.address)).fees;
    } else {
      record.honestEchoerFees = (await w.verifierRecord(e1.address)).fees + (await w.verifierRecord(e2.address)).fees;
    }
    return collude ? [e1.address, e2.address, overclaimer.address] : [e1.address, e2.address];
  };
  const attack = await play(attackFixture, "attack", seed, premine, body);
  const honest = await play(attackFixture, "honest", seed, premine, body);
  const r = attack.world.a;
  return result(attack.record, honest.record, [
    attackSampled ? `the +900 claim was sampled and ${passed ? "passed" : "was caught"}` : "the +900 claim was not sampled (paid as claimed either way)",
    `echoers paid ${record.echoerFees} fees (echoing) vs ${record.honestEchoerFees} (re-training)`,
    `re-trainer: ${tokens(netOf(attack.record, [r.verifiers[2].address]))} (attack, ${record.retrainerPenalties} penalties) vs ${tokens(netOf(honest.record, [r.verifiers[2].address]))} (honest)`,
    `over-claimer: ${tokens(netOf(attack.record, [r.miners[7].address]))} (attack) vs ${tokens(netOf(honest.record, [r.miners[7].address]))} (honest)`,
    "re-training cost counted as 0 tokens; the echoers skip it on every sampled submission",
  ]);
}

export const rubberStampEcho: Strategy = {
  name: "rubber-stamp-echo",
  property: "3. Rubber-stamping the public claim is not the best strategy for a verifier.",
  description:
    "Quorum 3: two verifiers commit every sampled claim as claimed with a 0 (score-only) digest, without re-training; a +900 bps over-claim still passes (their two echoes are the median) and the honest re-trainer is penalised; the echoers lose the slash share of catching it; honest: the two re-train. Attacker = the two echoers (re-training cost counted as 0).",
  run: (seed: number) => echoScenario("rubber-stamp-echo", seed, false),
};
