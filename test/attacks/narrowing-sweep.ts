// Attack: a truncated `paid` lets sweep take funds that are not the round's (issue 10, property 9).
//
// The attack: settle/withdraw add uint120(reward) to the round's `paid`; a reward ≥ 2^120 wei
// adds only its low 120 bits, so sweepable() believes the round still holds 2^120 wei more than
// it does, and sweep() sends that to the treasury, out of whatever the pool holds. Combined with
// settle's uint96 credit: a caller aligned with the treasury settles the winner's reward (the
// miner is credited uint96(reward), the rest stays in the pool) and sweeps: the treasury takes
// 2^120 wei of the miner's reward.
// Reachability: needs a token supply ≥ 2^120 wei (≈ 1.33·10^18 tokens): the real PoolToken
// deployed with a 2^130 wei supply. The pool now refuses a supply of 2^96 or more, so the attack
// runs at the largest supply it accepts (harness bigSupplyFixture, 2^96 − 1 wei) with the largest
// reward that allows: the truncation it relied on can no longer happen; sampleBps 10000.
// Scenario: 3 tasks, rewardTotal 2^95 + 2^90 wei + k tokens (once 2^120 + 2^100 wei + k tokens) (k from the seed), one honest miner
// (truth 9300–9800, claims the truth), verified honestly.
// Honest baseline: the miner withdraws (the whole reward arrives; `paid` is still truncated,
// and the final sweep, which then finds too little in the pool, reverts — in the notes).
// Measured: the settling caller together with the treasury.
import { bigSupplyFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type World } from "./harness.js";
import { TOKEN } from "../helpers/pool.js";

const NAME = "narrowing-sweep";

export const narrowingSweep: Strategy = {
  name: NAME,
  property: "9. No silent narrowing.",
  description:
    "The largest reward a pool can hold (PoolToken at 2^96 − 1 wei, the largest supply accepted; rewards ≥ 2^120 wei used to truncate `paid`): a treasury-aligned caller settles it (uint96 credit) and sweeps the round, whose uint120-truncated `paid` makes 2^120 wei look unspent; honest: the miner withdraws. Attacker = caller + treasury.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truth = rng.int(9300, 9800);
    const rewardTotal = 2n ** 95n + 2n ** 90n + BigInt(rng.int(1, 1_000_000)) * TOKEN;
    let victim = "";
    let swept = 0n;
    const body = async (w: World) => {
      const { miners, outsider, treasury } = w.a;
      victim = miners[0].address;
      const round = await w.open({ rewardTotal, sampleBps: 10_000, minStake: 250n * TOKEN }, tasksOf(1));
      await w.enter(round, miners[0], [{ task: 0, truth, claim: truth }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      await w.verifyHonestly(round);
      if (w.attack) {
        await w.toVerifyEnd(round);
        await w.tx(w.pool.connect(outsider).finalize(round));
        await w.tx(w.pool.connect(outsider).settle(round, 0, 0));
        // Only the pool's sweep could take a truncated `paid`'s phantom funds; with nothing
        // sweepable (the only miner is owed the whole pot) it is refused, so it is not sent. The
        // unspent fee budget is the committee's (sweepFees, in the drain of both plays).
        swept = await w.lens.sweepable(round);
        if (swept > 0n) await w.tx(w.pool.connect(outsider).sweep(round));
      }
      return [outsider.address, treasury.address];
    };
    const attack = await play(bigSupplyFixture, "attack", seed, premine, body);
    const honest = await play(bigSupplyFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `rewardTotal ${tokens(rewardTotal, 0)} tokens; swept ${tokens(swept, 0)} (2^120 wei = ${tokens(2n ** 120n, 0)})`,
      `the miner loses ${tokens(netOf(honest.record, [victim]) - netOf(attack.record, [victim]), 0)} tokens`,
      `left in the pool, owned by nobody: ${tokens(attack.record.leftInPool, 0)} (attack) vs ${tokens(honest.record.leftInPool, 0)} (honest)`,
    ]);
  },
};
