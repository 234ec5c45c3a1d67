// Attack: rubber-stamping in a round with no cheater (issue 10, property 3: "laziness must have an
// expected cost").
//
// The attack: two lazy verifiers of a committee of five seal every claim they are drawn for as
// claimed, with a 0 (score-only) digest, and never re-train. Where every miner is honest, an echo
// is the truth: near the median, so it is never penalised, only unpaid (fees go to proven work).
// Echoing then costs nothing at all, and a verifier whose re-training costs more than its fee
// does best by echoing: the sealed protocol alone makes laziness unpaid, not costly.
// What changed: the operator plants canaries (chain/canary.ts), its own miners that train their
// task like anyone, seal their real digest and claim 2 × tolerance + 1 bps below what they
// measured. Under-claiming is never fraud, so a canary is paid its claim and costs the operator
// only the bps it gave up. An echo of a canary is off the honest re-trainings' median by more than
// the tolerance: drawn beside an honest re-trainer it disputes the canary, the escalation's median
// is the truth, and the echoer loses `penalty` of stake (every echoer, the drawn one and the one
// escalated to). The verifiers cannot tell a canary from an honest miner without re-training it.
// Scenario: 12 tasks, quorum 3, five verifiers (two echoers, three re-trainers); six honest miners
// (truths 9100–9700, claim = truth) and `canaries` operator canaries (truths 9400–9700, claim =
// canaryClaimBps), in both plays. Honest baseline: the two echoers re-train (truth, true digest).
// Measured: the two echoers' net tokens (re-training counted as 0 tokens: real compute they skip).
// The bench plays it at the round's default sampling (5000 bps), so its gain includes the fees the
// echoers forgo; test/attacks.properties.test.ts also plays it with every submission sampled,
// where the echoers' own net must be below 0 in every seed, and with no canary, where it is 0.
import { canaryClaimBps } from "../../chain/canary.js";
import { attackFixture, play, result, Rng, streamOf, tasksOf, tokens, type Signer, type Strategy, type StrategyResult, type Sub, type World } from "./harness.js";
import { ethers } from "../helpers/pool.js";

export interface CanaryEchoOptions {
  /** Operator canaries among the eight miners (0: a round with six honest miners only). */
  canaries: number;
  /** The round's sampleBps; default the fixture's (5000). */
  sampleBps?: number;
}

export async function canaryEchoScenario(name: string, seed: number, opts: CanaryEchoOptions): Promise<StrategyResult> {
  const rng = new Rng(seed, streamOf(name));
  const premine = rng.int(1, 48);
  const truths = Array.from({ length: 6 }, () => rng.int(9100, 9700));
  const canaryTruths = Array.from({ length: opts.canaries }, () => rng.int(9400, 9700));
  const record = { echoerFees: 0, echoerPenalties: 0, echoerPenaltyTokens: 0n, canariesSampled: 0, canariesEscalated: 0, canaryFraud: 0, honestFees: 0 };
  const body = async (w: World) => {
    const { miners } = w.a;
    const members = await w.enrolVerifiers(w.f.extras.slice(0, 2));
    const [e1, e2] = members;
    const echoers = [e1, e2];
    const round = await w.open({ quorum: 3, ...(opts.sampleBps === undefined ? {} : { sampleBps: opts.sampleBps }) }, tasksOf(2));
    const tolerance = Number((await w.params(round)).toleranceBps);
    for (let i = 0; i < 6; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
    const canaryMiners = miners.slice(6, 6 + opts.canaries);
    for (let i = 0; i < opts.canaries; i++) {
      await w.enter(round, canaryMiners[i], [{ task: 6 + i, truth: canaryTruths[i], claim: canaryClaimBps(canaryTruths[i], tolerance) }]);
    }
    await w.toCommitEnd(round);
    await w.revealAll(round);
    await w.toRevealEnd(round);
    await w.fixSeed(round);
    // what each member seals: the echoers (when attacking) the claim with no digest, everyone else the truth
    const attestation = (v: Signer, s: Sub) => (w.attack && echoers.includes(v) ? { score: s.claim, digest: ethers.ZeroHash } : { score: s.truth, digest: w.digestOf(s) });
    const isCanary = (s: Sub) => canaryMiners.some((m) => m.address === s.miner.address);
    const sampled = await w.attestWith(round, members, attestation, (s) => {
      if (w.attack && isCanary(s)) record.canariesEscalated++;
    });
    const r1 = await w.verifierRecord(e1.address);
    const r2 = await w.verifierRecord(e2.address);
    if (w.attack) {
      record.echoerFees = r1.fees + r2.fees;
      record.echoerPenalties = r1.penalties + r2.penalties;
      record.echoerPenaltyTokens = r1.penaltyTokens + r2.penaltyTokens;
      for (const s of sampled) {
        if (!isCanary(s)) continue;
        record.canariesSampled++;
        if (await w.isFraud(s)) record.canaryFraud++;
      }
    } else record.honestFees = r1.fees + r2.fees;
    return [e1.address, e2.address];
  };
  const attack = await play(attackFixture, "attack", seed, premine, body);
  const honest = await play(attackFixture, "honest", seed, premine, body);
  return result(attack.record, honest.record, [
    `${opts.canaries} canaries, ${record.canariesSampled} sampled, ${record.canariesEscalated} escalated by an echo, ${record.canaryFraud} found fraud`,
    `echoers paid ${record.echoerFees} fees and ${record.echoerPenalties} penalties of ${record.echoerPenaltyTokens} wei in all (echoing) vs ${record.honestFees} fees (re-training)`,
    `echoers' net ${tokens(attack.record.net)} (echoing) vs ${tokens(honest.record.net)} (re-training)`,
    "re-training cost counted as 0 tokens; the echoers skip it on every sampled submission",
  ]);
}

export const canaryEcho: Strategy = {
  name: "canary-echo",
  property: "3. Rubber-stamping the public claim is not the best strategy for a verifier (laziness has an expected cost).",
  description:
    "Quorum 3, five verifiers: two of them seal every claim they are drawn for as claimed with a 0 digest, never re-training, in a round with no cheater: six honest miners and two operator canaries (claim 2 × tolerance + 1 bps below their truth, chain/canary.ts); honest: the two re-train. Attacker = the two echoers (re-training cost counted as 0).",
  run: (seed: number) => canaryEchoScenario("canary-echo", seed, { canaries: 2 }),
};
