// Attack: sybils win back their own slashed stake through the pot (issue 10, property 7).
//
// The attack: in the old pool (1 − slashBps) of a slashed stake went to the same round's pot,
// shared by the round's unslashed claims — including the cheater's own unsampled sybil claims. At
// slashBps 0 all of it came back in proportion to the cheater's share of ΣP, so the stake bound,
// which assumes a slashed stake is lost, did not hold (+177 tokens). Now slashed stake goes to the
// treasury (RoundState.forfeited, swept), never into a pot.
// Scenario: 24 tasks, slashBps 0, sampleBps 5000, topK 3, minStake 320, maxTasksPerMiner 1.
// Three honest miners (truths 9450–9750). The cheater runs 12 addresses, one task each, with
// genomes worth nothing (truth 7000–8900, P = 0), each claiming 10000 bps (the top 3 are always
// verified and slashed; each of the other 9 is drawn with probability 1/2).
// Honest baseline: the same 12 addresses claim their truth (P = 0, paid nothing, never slashed).
// Measured: the 12 addresses together; the notes give the stake slashed, what the round forfeited
// to the treasury, and the pot the sybils shared (rewardTotal whatever was slashed).
import { attackFixture, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type World } from "./harness.js";

const NAME = "sybil-slash-recycling";
const SYBILS = 12;

export const sybilSlashRecycling: Strategy = {
  name: NAME,
  property: "7. Sybils cannot win back their own slashed stake through the pot.",
  description:
    "slashBps 0: 12 sybil addresses each claim 10000 bps for worthless genomes; the sampled ones are slashed into the pot that the unsampled ones share; honest: the 12 claim their truth.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const honestTruths = [0, 1, 2].map(() => rng.int(9450, 9750));
    const sybilTruths = Array.from({ length: SYBILS }, () => rng.int(7000, 8900));
    let slashed = 0n;
    let forfeited = 0n;
    let pot = 0n;
    let sybilRewards = 0n;
    const body = async (w: World) => {
      const { miners } = w.a;
      const sybils = w.f.extras.slice(0, SYBILS);
      const round = await w.open({ slashBps: 0, maxTasksPerMiner: 1 }, tasksOf(3));
      for (let i = 0; i < 3; i++) await w.enter(round, miners[i], [{ task: i, truth: honestTruths[i], claim: honestTruths[i] }]);
      for (let i = 0; i < SYBILS; i++) {
        await w.enter(round, sybils[i], [{ task: 3 + i, truth: sybilTruths[i], claim: w.attack ? 10_000 : sybilTruths[i] }]);
      }
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      await w.verifyHonestly(round);
      if (w.attack) {
        const p = await w.params(round);
        const st = await w.pool.getRoundState(round);
        let frauds = 0n;
        let sybilReward = 0n;
        for (let i = 0; i < SYBILS; i++) {
          const s = w.sub(round, 3 + i);
          if (await w.isFraud(s)) frauds++;
          else sybilReward += await w.lens.projectedReward(round, s.task, s.slot);
        }
        slashed = frauds * p.minStake;
        forfeited = st.forfeited;
        pot = p.rewardTotal;
        sybilRewards = sybilReward;
      }
      return sybils.map((s) => s.address);
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `slashed ${tokens(slashed)} tokens of stake; ${tokens(forfeited)} forfeited to the treasury; the unsampled sybils' projected rewards ${tokens(sybilRewards)} come from a pot of ${tokens(pot)} (rewardTotal)`,
    ]);
  },
};
