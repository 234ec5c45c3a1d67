// Attack: squatting every task and backup slot (issue 10, property 8).
//
// The attack: in the old pool claiming a task or a backup slot cost only locked stake, released
// in full at settlement even when nothing was delivered (+737 tokens). Now a claim that delivers
// nothing (P = 0: a primary that never reveals or reveals a claim at or below the baseline, a
// backup of a task nobody delivered) pays noShowBps of its stake to the treasury at settlement
// (ROUND_DEFAULTS.noShowBps, 20%). Three addresses of one attacker claim, as soon as
// the round opens, every task as primary (address 1) and both backup slots of every task
// (addresses 2 and 3); honest miners find every task taken and every backup slot full. The
// attacker delivers one task (its best genome) and is the only counting submission, so it takes
// the whole pot; its 11 no-show primaries and the 22 backups of their tasks are fined.
// Scenario: 12 tasks, maxBackups 2, maxTasksPerMiner 12, minStake 320, noShowBps 2000, sampleBps 5000, topK 3;
// 8 honest miners want one task each; the attacker has true genomes for 3 tasks (truths 9100–9800
// everywhere; everybody claims the truth).
// Honest baseline: the attacker's three addresses claim one task each and deliver their 3
// genomes, next to the 8 honest miners.
// Measured: the attacker's three addresses together.
// The junk variant (slot-squatting-junk, found while fixing the above): the squatter reveals on
// every task it holds, one with its best genome and eleven with genomes worth nothing, each
// claiming its true score (P = 0: honest, never fraud). While only a claim that never revealed
// was fined, this held the whole round for free (+737 tokens). Now a reveal with P = 0 delivers
// nothing: it does not count (a backup could still take the task, but the squatter holds every
// backup slot), and its 11 junk primaries and the 22 backups of those undelivered tasks are
// fined like the no-shows above.
import {
  attackFixture,
  netOf,
  play,
  result,
  Rng,
  streamOf,
  tasksOf,
  tokens,
  type Strategy,
  type StrategyResult,
  type World,
} from "./harness.js";

async function squat(
  name: string,
  seed: number,
  junk: boolean
): Promise<StrategyResult> {
  const rng = new Rng(seed, streamOf(name));
  const premine = rng.int(1, 48);
  const honestTruths = Array.from({ length: 8 }, () => rng.int(9100, 9800));
  const ownTruths = [0, 1, 2].map(() => rng.int(9100, 9800));
  const junkTruths = Array.from({ length: 12 }, () => rng.int(7000, 8900)); // below the 9000 baseline
  let refused = 0;
  let victims: string[] = [];
  const body = async (w: World) => {
    const { miners } = w.a;
    const squat = w.f.extras.slice(0, 3);
    victims = miners.map((m) => m.address);
    const round = await w.open(
      { maxTasksPerMiner: 12, maxBackups: 2 },
      tasksOf(2)
    );
    const tasks = 12;
    if (w.attack) {
      await w.stakeFor(round, squat[0], tasks);
      await w.stakeFor(round, squat[1], tasks);
      await w.stakeFor(round, squat[2], tasks);
      for (let t = 0; t < tasks; t++) {
        await w.claim(round, squat[0], t);
        await w.backup(round, squat[1], t);
        await w.backup(round, squat[2], t);
      }
      // The honest miners arrive: every task taken, every backup slot full.
      for (let i = 0; i < 8; i++) {
        await w.stakeFor(round, miners[i], 1);
        const e1 = await w.tryTx(() =>
          w.pool.connect(miners[i]).claim(round, i)
        );
        const e2 = await w.tryTx(() =>
          w.pool.connect(miners[i]).joinAsBackup(round, i)
        );
        if (e1 && e2) refused++;
      }
      const best = ownTruths.indexOf(Math.max(...ownTruths));
      const task = 8 + best;
      await w.commit({
        round,
        task,
        slot: 0,
        miner: squat[0],
        genome: w.genome(round, task, 0),
        truth: ownTruths[best],
        claim: ownTruths[best],
      });
      if (junk) {
        for (let t = 0; t < tasks; t++) {
          if (t === task) continue;
          const worthless = junkTruths[t];
          await w.commit({
            round,
            task: t,
            slot: 0,
            miner: squat[0],
            genome: w.genome(round, t, 0),
            truth: worthless,
            claim: worthless,
          });
        }
      }
    } else {
      for (let i = 0; i < 8; i++)
        await w.enter(round, miners[i], [
          { task: i, truth: honestTruths[i], claim: honestTruths[i] },
        ]);
      for (let j = 0; j < 3; j++)
        await w.enter(round, squat[j], [
          { task: 8 + j, truth: ownTruths[j], claim: ownTruths[j] },
        ]);
    }
    await w.toCommitEnd(round);
    await w.revealAll(round);
    await w.toRevealEnd(round);
    await w.fixSeed(round);
    await w.verifyHonestly(round);
    return squat.map((s) => s.address);
  };
  const attack = await play(attackFixture, "attack", seed, premine, body);
  // the attack play's fines, read before the honest play reverts the chain
  const fines = await attack.world.pool.queryFilter(attack.world.pool.filters.NoShowFined());
  const finedPrimaries = fines.filter((e) => e.args.slot === 0n).length;
  const finedBackups = fines.length - finedPrimaries;
  const honest = await play(attackFixture, "honest", seed, premine, body);
  return result(attack.record, honest.record, [
    `${refused} of 8 honest miners found no task or backup slot`,
    `honest miners forgo ${tokens(
      netOf(honest.record, victims) - netOf(attack.record, victims)
    )} tokens; ${
      junk ? "the attacker revealed on all 12 tasks, 11 of them worth nothing (P = 0); " : ""
    }fined: ${finedPrimaries} ${junk ? "junk" : "no-show"} primaries and ${finedBackups} backups of undelivered tasks`,
  ]);
}

export const slotSquatting: Strategy = {
  name: "slot-squatting",
  property: "8. Holding a task or backup slot without delivering is not free.",
  description:
    "3 addresses claim every task and backup slot of a 12-task round at open, deliver one task and take the whole pot; honest: they claim and deliver one task each beside 8 honest miners.",
  run: (seed) => squat("slot-squatting", seed, false),
};

export const slotSquattingJunk: Strategy = {
  name: "slot-squatting-junk",
  property: "8. Holding a task or backup slot without delivering is not free.",
  description:
    "As slot-squatting, but the squatter reveals on every task it holds, eleven of them worthless genomes claimed honestly (P = 0), which deliver nothing and are fined like no-shows; honest: as slot-squatting.",
  run: (seed) => squat("slot-squatting", seed, true),
};
