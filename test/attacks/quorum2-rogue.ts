// Attack: one rogue verifier in a small quorum (issue 10, property 4).
//
// The attack: at quorum 2 (once the manager's default) the median of two attestations is their
// mean, and the first two attestations to arrive decide. Against the old pool this paid +1,393
// tokens. openRound now refuses an even quorum or one below 3 (PoNASPoolInvalidParams(Quorum)):
// the strategy asks for quorum 2, records the refusal, and plays at quorum 3, where the rogue's
// attestation is never the median. With sealed attestations the rogue commits its lies with a 0
// (score-only) digest beside the two honest re-trainings (truth, true digest), all are revealed
// after the commit phase, and each lie, off the median, now costs it `penalty` of its stake
// (Penalised). Its old form: A rogue committee member, colluding with a
// miner in the round, attests first on every sampled submission: 0 bps for honest claims (the
// mean with the honest attestation is about half the truth, so the honest miner is slashed) and
// 10000 bps for its accomplice, which claimed as much as then passes:
// floor((10000 + truth)/2) + tolerance − 10. The honest verifier's attestation completes the
// quorum. Slashed stake goes to the pot (no attestation is near the median, so no verifier share),
// which the accomplice, the only non-fraudulent claim, takes whole.
// Scenario: 3 tasks, topK 3 (every claim is verified), quorum 3 (2 refused), one rogue and two
// honest verifiers. Honest miners: truths 9500–9800 and 9300–9600; accomplice: truth 9050–9200.
// Honest baseline: the same rogue attests the truth and the accomplice claims its truth.
// Measured: rogue verifier + accomplice miner, together.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, World, type Strategy } from "./harness.js";
import { ethers } from "../helpers/pool.js";

const NAME = "quorum2-rogue";

export const quorum2Rogue: Strategy = {
  name: NAME,
  property: "4. No single verifier decides a verification.",
  description:
    "Quorum 2 refused, so quorum 3: a rogue verifier commits 0 for honest claims and 10000 for its accomplice's inflated claim (score-only), beside two honest re-trainings; once the honest miners were slashed and the accomplice took the pot, now the rogue is off every median and penalised; honest: the rogue attests the truth and the accomplice claims its truth.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = [rng.int(9500, 9800), rng.int(9300, 9600), rng.int(9050, 9200)];
    let victims: string[] = [];
    let q2Refused = "";
    let roguePenalties = 0;
    const body = async (w: World) => {
      const { miners, verifiers } = w.a;
      const [rogue, ...honestVerifiers] = verifiers;
      const accomplice = miners[2];
      victims = [miners[0].address, miners[1].address];
      if (w.attack) q2Refused = await w.open({ quorum: 2 }, tasksOf(1)).then(() => "accepted", (e: unknown) => World.errorName([w.pool.interface], e));
      const round = await w.open({ quorum: 3 }, tasksOf(1));
      const tol = Number((await w.params(round)).toleranceBps);
      const inflated = Math.min(10_000, Math.floor((10_000 + truths[2]) / 2) + tol - 10);
      await w.enter(round, miners[0], [{ task: 0, truth: truths[0], claim: truths[0] }]);
      await w.enter(round, miners[1], [{ task: 1, truth: truths[1], claim: truths[1] }]);
      await w.enter(round, accomplice, [{ task: 2, truth: truths[2], claim: w.attack ? inflated : truths[2] }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      for (const s of w.revealed(round)) {
        if (!(await w.isSampled(s))) continue;
        if (w.attack) await w.attest(rogue, s, s.miner === accomplice ? 10_000 : 0, ethers.ZeroHash);
        else await w.attest(rogue, s, s.truth);
        for (const v of honestVerifiers) await w.attest(v, s, s.truth);
      }
      await w.finishVerification(round);
      if (w.attack) roguePenalties = (await w.verifierRecord(rogue.address)).penalties;
      return [rogue.address, accomplice.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const honest = await play(attackFixture, "honest", seed, premine, body);
    const victimLoss = netOf(honest.record, victims) - netOf(attack.record, victims);
    return result(attack.record, honest.record, [
      `quorum 2: ${q2Refused}`,
      `honest miners lose ${tokens(victimLoss)} tokens (slashed + reward)`,
      `rogue verifier alone: ${tokens(netOf(attack.record, [attack.world.a.verifiers[0].address]))} (attack, ${roguePenalties} penalties) vs ${tokens(netOf(honest.record, [honest.world.a.verifiers[0].address]))} (honest)`,
    ]);
  },
};
