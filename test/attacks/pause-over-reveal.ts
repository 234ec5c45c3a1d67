// Attack: pausing over the reveal window (issue 10, property 10).
//
// The attack: pause() stops claims, commits and reveals, and a primary may reveal only inside its
// part of the reveal window. The pauser (PAUSER_ROLE, the admin) pauses right after the commit
// window ends and unpauses after the reveal window. Against the old pool the clock kept running:
// every reveal was refused, every miner was a no-show, ΣP = 0, and the whole pot went to the
// treasury (+1,011 tokens to pauser + treasury). Now unpause moves every window that had not
// passed when the pause began later by the pause's length, so the miners reveal after it, as a
// miner node does when its reveal is refused for a pause (it retries until its window closes).
// Scenario: 12 tasks, 8 honest miners (truths 9100–9800, claim the truth), sampleBps 10000 (the
// treasury's take of unspent fees then does not depend on the seed), defaults otherwise;
// the miners try to reveal during the pause.
// Honest baseline: no pause.
// Measured: the pauser/manager (admin, which also funded the round) together with the treasury
// (the side that gains); the miners' loss is in the notes.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type World } from "./harness.js";

const NAME = "pause-over-reveal";

export const pauseOverReveal: Strategy = {
  name: NAME,
  property: "10. A pause never forfeits miners' work.",
  description:
    "The pauser pauses from commitEnd to past revealEnd: every reveal is refused, every miner is a no-show and the pot goes to the treasury; attacker = pauser/manager + treasury; honest: no pause.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = Array.from({ length: 8 }, () => rng.int(9100, 9800));
    let refused = 0;
    const lateErrors: string[] = [];
    let victims: string[] = [];
    const body = async (w: World) => {
      const { miners, admin, treasury } = w.a;
      victims = miners.map((m) => m.address);
      // every claim re-trained, so both plays spend the same fees whatever their seeds draw
      const round = await w.open({ sampleBps: 10_000 }, tasksOf(2));
      for (let i = 0; i < 8; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
      await w.toCommitEnd(round);
      if (w.attack) await w.tx(w.pool.connect(admin).pause());
      refused += (await w.revealAll(round)).length;
      await w.toRevealEnd(round);
      if (w.attack) {
        await w.tx(w.pool.connect(admin).unpause());
        lateErrors.push(...(await w.revealAll(round)));
        await w.toRevealEnd(round); // the moved end
      }
      await w.fixSeed(round);
      await w.verifyHonestly(round);
      return [admin.address, treasury.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const refusedInAttack = refused;
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `${refusedInAttack} of 8 reveals refused while paused; after unpause ${8 - lateErrors.length} of 8 revealed (${lateErrors.join("; ") || "no refusal"})`,
      `miners lose ${tokens(netOf(honest.record, victims) - netOf(attack.record, victims))} tokens (their stake is released; their rewards go to the treasury)`,
    ]);
  },
};
