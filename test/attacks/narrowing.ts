// Attack: settle truncating a reward ≥ 2^96 wei (issue 10, property 9).
//
// The attack: settle() — callable by anyone — credits a reward to the miner's stake balance as
// uint96(reward): a reward ≥ 2^96 wei loses its high bits for good (`paid` records the whole
// reward, so the lost part is never swept either: it stays in the pool, owned by nobody). A
// griefer settles every submission of a round whose rewards are ≥ 2^96 wei before their miners
// withdraw.
// Reachability: 2^96 wei ≈ 7.92·10^10 tokens. The default deployment (Ignition, 10^8 tokens) and
// the test fixture (10^7 tokens) cannot reach it; PoolToken takes its supply as a constructor
// argument (bench-gas uses 10^12 tokens), so a deployment with ≥ 7.92·10^10 tokens can. This
// strategy deploys the real PoolToken with the largest supply the pool now accepts, 2^96 − 1 wei
// (harness bigSupplyFixture): a supply of 2^96 or more is refused at deployment, so no reward can
// reach 2^96 any more, and the attack is run at the largest rewards that remain possible.
// minSafeStake(R, p, K) ≥ 2^96 for such R unless sampleBps = 10000 (a uint96 stake balance could
// not lock it), so the round samples every claim.
// Scenario: 3 tasks, rewardTotal 2^95 wei + k tokens (k from the seed), sampleBps 10000, two
// honest miners (truths 9300–9800, claim the truth), verified honestly.
// Honest baseline: the griefer does nothing; the miners withdraw (transfer, no truncation).
// Measured: the griefer's net (it gains nothing: 0 in both plays); the victims' loss and the
// tokens left in the pool owned by nobody are in the notes.
import { bigSupplyFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type World } from "./harness.js";
import { TOKEN } from "../helpers/pool.js";

const NAME = "narrowing";

export const narrowing: Strategy = {
  name: NAME,
  property: "9. No silent narrowing.",
  description:
    "The largest rewards a pool can hold (PoolToken at 2^96 − 1 wei, the largest supply the pool accepts; rewards ≥ 2^96 wei would have been truncated): a griefer settles the miners' submissions, which credits uint96(reward) and loses the rest for good; honest: the miners withdraw. Attacker = the griefer (gains nothing; the victims' loss is in the notes).",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = [rng.int(9300, 9800), rng.int(9300, 9800)];
    const rewardTotal = 2n ** 95n + BigInt(rng.int(1, 1_000_000)) * TOKEN;
    let victims: string[] = [];
    const body = async (w: World) => {
      const { miners, outsider } = w.a;
      victims = [miners[0].address, miners[1].address];
      const round = await w.open({ rewardTotal, sampleBps: 10_000, minStake: 250n * TOKEN }, tasksOf(1));
      for (let i = 0; i < 2; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      await w.fixSeed(round);
      await w.verifyHonestly(round);
      if (w.attack) {
        await w.toVerifyEnd(round);
        await w.tx(w.pool.connect(outsider).finalize(round));
        for (const s of w.revealed(round)) await w.tx(w.pool.connect(outsider).settle(round, s.task, s.slot));
      }
      return [outsider.address];
    };
    const attack = await play(bigSupplyFixture, "attack", seed, premine, body);
    const honest = await play(bigSupplyFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `rewardTotal ${tokens(rewardTotal, 0)} tokens (2^96 wei = ${tokens(2n ** 96n, 0)})`,
      `victims lose ${tokens(netOf(honest.record, victims) - netOf(attack.record, victims), 0)} tokens`,
      `left in the pool, owned by nobody: ${tokens(attack.record.leftInPool, 0)} (attack) vs ${tokens(honest.record.leftInPool, 0)} (honest)`,
    ]);
  },
};
