// Attack: seed grinding (issue 10, property 1).
//
// The attack: the sample seed is keccak256(abi.encode(prevrandao, blockhash(n−1), roundId)) of
// the block n holding the first fixSampleSeed/attest/finalize after revealEnd. Both inputs are
// known one block ahead, so a miner holding false claims computes, before each block, whether
// any of its claims would be drawn (Sampling.drawn(seed, round, task, slot, sampleBps)); it sends
// fixSampleSeed only in a block where none is, and lets blocks pass otherwise. It is assumed to
// be the first to fix the seed (a builder, sequencer or colluding verifier; or the committee is
// slower than the expected 2^8 blocks).
// Scenario: 12 tasks, sampleBps 5000, topK 3, quorum 2, minStake 250 (the "safe" stake).
// Four honest miners claim the truth of good genomes (9450–9800 bps, so they fill the top-K).
// The attacker holds 8 tasks whose genomes are worth nothing (truth 7000–8900 bps, P = 0) and
// claims 9150–9400 bps for each.
// Honest baseline: the same miner, same genomes, claims their truth (earns P = 0) and the seed
// is fixed by the first call after revealEnd.
// Measured: the attacker's net tokens (reward + stake back − slashes), blocks it waited, and
// whether its seed prediction matched the seed the contract fixed.
import {
  attackFixture,
  drawn,
  inTopK,
  play,
  result,
  Rng,
  streamOf,
  tasksOf,
  tokens,
  type Strategy,
  type World,
} from "./harness.js";

const NAME = "seed-grinding";
const FALSE_CLAIMS = 8;
const MAX_BLOCKS = 4096;

export const seedGrinding: Strategy = {
  name: NAME,
  property: "1. Nobody who chooses when to send a transaction can choose or predict the sample.",
  description:
    "A miner with 8 false claims (P claimed 150–400 bps, true P = 0) fixes the sample seed only in a block where none of its claims is drawn, mining empty blocks otherwise; honest: the same miner claims the truth.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const honestTruths = [0, 1, 2, 3].map(() => rng.int(9450, 9800));
    const falseTruths = Array.from({ length: FALSE_CLAIMS }, () => rng.int(7000, 8900));
    const falseClaims = Array.from({ length: FALSE_CLAIMS }, () => rng.int(9150, 9400));
    let waited = 0;
    let predicted = true;
    let attackerSampled = 0;

    const body = async (w: World) => {
      const { miners } = w.a;
      const cheater = miners[4];
      const round = await w.open({ maxTasksPerMiner: FALSE_CLAIMS }, tasksOf(2));
      for (let i = 0; i < 4; i++) {
        await w.stakeFor(round, miners[i], 1);
        await w.claimAndCommit(round, miners[i], 8 + i, honestTruths[i], honestTruths[i]);
      }
      await w.stakeFor(round, cheater, FALSE_CLAIMS);
      for (let t = 0; t < FALSE_CLAIMS; t++) {
        await w.claimAndCommit(round, cheater, t, falseTruths[t], w.attack ? falseClaims[t] : falseTruths[t]);
      }
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);

      const sampleBps = (await w.params(round)).sampleBps;
      if (w.attack) {
        const always: boolean[] = [];
        for (let t = 0; t < FALSE_CLAIMS; t++) always.push(await inTopK(w, round, t, 0));
        for (;;) {
          const s = await w.predictSeed(round);
          const safe = always.every((top, t) => !top && !drawn(s, round, t, 0, sampleBps));
          if (safe || waited >= MAX_BLOCKS) {
            const fixed = await w.fixSeed(round, cheater);
            predicted = fixed === s;
            break;
          }
          await w.mine(1);
          waited++;
        }
      } else {
        await w.fixSeed(round);
      }
      for (let t = 0; t < FALSE_CLAIMS; t++) if (await w.isSampled({ round, task: t, slot: 0 })) attackerSampled++;
      await w.verifyHonestly(round);
      return [cheater.address];
    };

    const attack = await play(attackFixture, "attack", seed, premine, body);
    const sampledInAttack = attackerSampled;
    attackerSampled = 0;
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `waited ${waited} blocks for a seed drawing none of its ${FALSE_CLAIMS} claims`,
      `prediction ${predicted ? "matched" : "did NOT match"} the fixed seed`,
      `attacker claims sampled: ${sampledInAttack} (attack), ${attackerSampled} (honest)`,
      `attack ${tokens(attack.record.net)} vs honest ${tokens(honest.record.net)} tokens`,
    ]);
  },
};
