// Attack: a challenge in the last block of the verify window (issue 10, property 5).
//
// The attack: challenge() is free; it puts a submission into the sample, and a sampled submission
// that never reaches quorum is paid 0 (its share goes to the treasury by sweep). A committee
// verifier waits as long as the pool lets it and challenges, in that one block, every honest
// submission that was not sampled, hoping to leave no time to re-train: every such reward voided.
// Against the old contract the last moment was the verify window's last block (verifyEnd). Now
// challenges close a quarter into the window (PoNASPoolChallengeWindowClosed), so the attacker's
// best is the block at challengeEnd = revealEnd + (verifyEnd − revealEnd) / 4, and the honest
// verifiers (as a verifier node does when it sees Challenged) re-train what it challenged in the
// quarter left before drawn commits close (half the window), then every commit is revealed.
// Scenario: 12 tasks, 8 honest miners and the attacker's own miner (truths 9100–9800, all claim
// the truth), sampleBps 5000, topK 3, quorum 3, four verifiers; the three others verify the
// sample as soon as the seed is fixed.
// Honest baseline: the same verifier challenges nothing.
// Measured: the challenger together with its own miner in the round (last-block-challenge), or
// together with the treasury (last-block-challenge-treasury: a challenger aligned with whoever
// receives sweeps). The voided shares are not redistributed to the other miners (ΣP keeps them),
// so a challenger that is only a miner gains nothing: that measurement is expected to read 0.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type StrategyResult, type World } from "./harness.js";
import { ethers } from "../helpers/pool.js";

export async function lastBlockScenario(name: string, seed: number, withTreasury: boolean): Promise<StrategyResult> {
  const rng = new Rng(seed, streamOf(name));
  const premine = rng.int(1, 48);
  const truths = Array.from({ length: 9 }, () => rng.int(9100, 9800));
  let voided = 0;
  let victims: string[] = [];
  const body = async (w: World) => {
    const { miners, treasury } = w.a;
    const verifiers = await w.enrolVerifiers([w.f.extras[1]]);
    const challenger = verifiers[0];
    const others = verifiers.slice(1);
    const own = w.f.extras[0];
    victims = miners.map((m) => m.address);
    const round = await w.open({ quorum: 3 }, tasksOf(2));
    for (let i = 0; i < 8; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
    await w.enter(round, own, [{ task: 8, truth: truths[8], claim: truths[8] }]);
    await w.toCommitEnd(round);
    await w.revealAll(round);
    await w.toRevealEnd(round);
    await w.fixSeed(round);
    await w.commitHonestly(round, () => others);
    if (w.attack) {
      const challengeEnd = await w.lens.challengeEnd(round); // the last second the pool takes a challenge
      const targets = [];
      for (const s of w.revealed(round)) if (s.miner !== own && !(await w.isSampled(s))) targets.push(s);
      await w.timeTo(challengeEnd - 10n);
      // Every challenge in one block whose timestamp is challengeEnd: the latest the pool allows.
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        for (const s of targets) await w.committee.connect(challenger).challenge(s.round, s.task, s.slot, { gasLimit: 200_000 });
        await ethers.provider.send("evm_mine", [Number(challengeEnd)]);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      // the other verifiers see the Challenged events and re-train in the time that is left
      // (drawn commits stay open until half the verify window: a quarter after the last challenge)
      await w.commitHonestly(round, () => others);
    }
    await w.finishVerification(round);
    if (w.attack) for (const s of w.revealed(round)) if ((await w.isChallenged(s)) && !(await w.isVerified(s))) voided++;
    return withTreasury ? [challenger.address, treasury.address] : [challenger.address, own.address];
  };
  const attack = await play(attackFixture, "attack", seed, premine, body);
  const honest = await play(attackFixture, "honest", seed, premine, body);
  const t = attack.world.a.treasury.address;
  return result(attack.record, honest.record, [
    `${voided} honest rewards voided by a late challenge`,
    `honest miners lose ${tokens(netOf(honest.record, victims) - netOf(attack.record, victims))} tokens`,
    `treasury gains ${tokens(netOf(attack.record, [t]) - netOf(honest.record, [t]))} tokens`,
  ]);
}

export const lastBlockChallenge: Strategy = {
  name: "last-block-challenge",
  property: "5. A last-moment challenge cannot void an honest reward.",
  description:
    "A verifier challenges every unsampled honest claim as late as the pool allows (the verify window's last block before the fix, a quarter into it now), hoping none can be re-trained and all are paid 0; attacker = the challenger + its own miner in the round; honest: no challenge.",
  run: (seed) => lastBlockScenario("last-block-challenge", seed, false),
};
