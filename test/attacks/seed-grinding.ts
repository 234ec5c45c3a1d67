// Attack: seed grinding (issue 10, property 1).
//
// Against the old contract: the sample seed was keccak256(abi.encode(prevrandao,
// blockhash(n−1), roundId)) of the block n holding the first fixSampleSeed/attest/finalize after
// revealEnd. Both inputs are known one block ahead, so a miner holding false claims sent
// fixSampleSeed only in a block whose seed drew none of them, and made 8 false claims pay (it
// waited about 2^8 blocks for such a block).
// Today: the seed is the randomness source's value for the round (the fixture's
// FutureBlockRandomness, delay RANDOMNESS_DELAY = 1): the first fixSampleSeed after revealEnd,
// sent in block n, only requests it; the value is the hash of block n + 1, unknown when the
// request is sent. The attacker still does the best a transaction sender can: it chooses the
// block n in which to send that request, waiting 0..MAX_WAIT blocks, and before each block it
// predicts the sample from everything public at that moment — the old formula (prevrandao and
// the latest block hash), the source's formula with the latest block hash standing in for the
// unknown target hash, and the same with the target's parent (the latest block but one) — and
// sends in the first block for which its guesses draw at most SEND_AT of its claims (on average
// over the guesses), or at the last block it is willing to wait. Its guesses are scored against
// the seed the pool then fixes.
// Out of scope, and not done here: anything that uses information from after the request block.
// Peeking at the target block (snapshot, mine it, read its hash, revert and choose again) is a
// block builder's power, not a sender's: whoever builds block n + 1 can withhold it, and can also
// grind its hash (extraData, transaction order, fee recipient are the builder's choice), so an
// attacker that builds — or buys — the target block chooses among as many seeds as it can hash;
// on a chain with a single sequencer that is the sequencer, always (deployment refuses this source
// there, scripts/deploy.ts). Likewise, re-rolling by leaving a mined target's hash unused for 256
// blocks (FutureBlockRandomness re-targets an aged-out request) needs the attacker to see the
// target's hash and then to stop everyone else fulfilling, while verifier nodes fulfil at once
// (here: the next fixSampleSeed, by a verifier).
// Scenario: 12 tasks, sampleBps 5000, topK 3, quorum 3, minStake 320 (the "safe" stake, 312.5 at slashBps 20%).
// Four honest miners claim the truth of good genomes (9450–9800 bps, so they fill the top-K).
// The attacker holds 8 tasks whose genomes are worth nothing (truth 7000–8900 bps, P = 0) and
// claims 9150–9400 bps for each.
// Honest baseline: the same miner, same genomes, claims their truth (earns P = 0) and the seed
// is requested by the first call after revealEnd (a verifier node's), then fixed.
// Measured: the attacker's net tokens (reward + stake back − slashes), blocks it waited, how
// many of its claims its guesses drew and how many the fixed seed drew, and whether any guess
// was the fixed seed.
import { attackFixture, drawn, inTopK, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type World } from "./harness.js";
import { ethers } from "../helpers/pool.js";

const NAME = "seed-grinding";
const FALSE_CLAIMS = 8;
/** The most blocks the attacker lets pass after revealEnd before it sends the request. */
const MAX_WAIT = 7;
/** The attacker sends once its guesses draw at most this many of its claims (on average). */
const SEND_AT = 2;

export const seedGrinding: Strategy = {
  name: NAME,
  property: "1. Nobody who chooses when to send a transaction can choose or predict the sample.",
  description:
    "A miner with 8 false claims (P claimed 150–400 bps, true P = 0) sends the round's seed request in the block (0–7 blocks after revealEnd) whose public data (old seed formula, latest block hashes) predicts the fewest of its claims drawn; the value is the next block's hash. Honest: the same miner claims the truth.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const honestTruths = [0, 1, 2, 3].map(() => rng.int(9450, 9800));
    const falseTruths = Array.from({ length: FALSE_CLAIMS }, () => rng.int(7000, 8900));
    const falseClaims = Array.from({ length: FALSE_CLAIMS }, () => rng.int(9150, 9400));
    let waited = 0;
    let guessedDrawn = 0;
    let actualDrawn = 0;
    let guessMatched = false;
    let attackerSampled = 0;

    const body = async (w: World) => {
      const { miners, verifiers } = w.a;
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
        const drawnBy = (s: string) => always.filter((top, t) => top || drawn(s, round, t, 0, sampleBps)).length;
        let guesses: string[] = [];
        for (;;) {
          // Everything public before the next block n: the latest block n−1 and its parent.
          const latest = await ethers.provider.getBlock("latest");
          const parent = await ethers.provider.getBlock(latest!.number - 1);
          guesses = [await w.predictOldSeed(round), w.seedFromBlockHash(round, latest!.hash!), w.seedFromBlockHash(round, parent!.hash!)];
          const predicted = guesses.reduce((a, g) => a + drawnBy(g), 0) / guesses.length;
          if (predicted <= SEND_AT || waited >= MAX_WAIT) {
            guessedDrawn = predicted;
            await w.requestSeed(round, cheater); // block n: the request; its value is block n + 1's hash
            break;
          }
          await w.mine(1); // lets a block pass
          waited++;
        }
        // A verifier node fulfils as soon as it can (the next fixSampleSeed).
        const fixed = await w.fixSeed(round, verifiers[0]);
        guessMatched = guesses.includes(fixed);
        actualDrawn = drawnBy(fixed);
      } else {
        await w.fixSeed(round, verifiers[0]);
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
      `waited ${waited} blocks before requesting; its guesses drew ${guessedDrawn.toFixed(2)} of its ${FALSE_CLAIMS} claims, the fixed seed drew ${actualDrawn}`,
      `a guess ${guessMatched ? "MATCHED" : "did not match"} the fixed seed`,
      `attacker claims sampled: ${sampledInAttack} (attack), ${attackerSampled} (honest)`,
      `attack ${tokens(attack.record.net)} vs honest ${tokens(honest.record.net)} tokens`,
    ]);
  },
};
