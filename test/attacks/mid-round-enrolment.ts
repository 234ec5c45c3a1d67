// Attack: verifiers enrolled mid-round decide its verifications (issue 10, property 11).
//
// The attack: until the committee was fixed per round (VerifierCommittee.setVerifier's
// sinceRound, which now refuses their attestations' commits with VerifierCommitteeNotInCommittee), the
// committee was whoever was active when attest() was called, not who was active when the round
// opened, and the first `quorum` attestations decided. Two verifiers enrolled (and
// staked) during the verify window attest before the original committee: 0 bps for the honest
// miners' claims, the truth for their own miner's. At quorum 3 their two attestations are the
// median, so both honest miners are slashed, the two newcomers (near the median) earn the
// slashBps share of each slash, the committee member who completes the quorum loses its fee, and
// their miner takes the pot with the rest of the slashed stake.
// Scenario: 3 tasks, quorum 3, topK 3 (all claims verified), slashBps 2000, committee at open: 3
// honest verifiers; honest miners' truths 9500–9800 and 9300–9600, the attacker's miner 9100–9400;
// every miner claims the truth.
// Honest baseline: the same two are enrolled mid-round and attest the truth first.
// Measured: the two enrolled verifiers and their miner together.
import { attackFixture, netOf, play, result, Rng, streamOf, tasksOf, tokens, type Strategy, type World } from "./harness.js";
import { MIN_VERIFIER_STAKE } from "../helpers/pool.js";

const NAME = "mid-round-enrolment";

export const midRoundEnrolment: Strategy = {
  name: NAME,
  property: "11. The committee of a round is fixed when it opens.",
  description:
    "Quorum 3: two verifiers enrolled during the verify window attest first (0 for honest claims), slashing both honest miners in favour of their own miner; honest: the same two attest the truth.",
  async run(seed) {
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = [rng.int(9500, 9800), rng.int(9300, 9600), rng.int(9100, 9400)];
    let victims: string[] = [];
    let slashedHonest = 0;
    const refusals = new Set<string>();
    const body = async (w: World) => {
      const { miners, verifiers, admin } = w.a;
      const [x1, x2] = w.f.extras.slice(0, 2);
      const own = miners[2];
      victims = [miners[0].address, miners[1].address];
      const round = await w.open({ quorum: 3 }, tasksOf(1));
      for (let i = 0; i < 3; i++) await w.enter(round, miners[i], [{ task: i, truth: truths[i], claim: truths[i] }]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      await w.toRevealEnd(round);
      for (const x of [x1, x2]) {
        await w.tx(w.committee.connect(admin).setVerifier(x.address, true));
        await w.tx(w.committee.connect(x).stakeVerifier(MIN_VERIFIER_STAKE));
      }
      await w.fixSeed(round);
      for (const s of w.revealed(round)) {
        if (!(await w.isSampled(s))) continue;
        const score = w.attack && s.miner !== own ? 0 : s.truth;
        // the newcomers commit first (refused: VerifierCommitteeNotInCommittee), then the committee
        for (const x of [x1, x2]) {
          const err = await w.attest(x, s, score);
          if (w.attack) refusals.add(err ?? "accepted");
        }
        for (const v of verifiers) await w.attest(v, s, s.truth);
      }
      await w.finishVerification(round);
      if (w.attack) for (const s of w.revealed(round)) if (s.miner !== own && (await w.isFraud(s))) slashedHonest++;
      return [x1.address, x2.address, own.address];
    };
    const attack = await play(attackFixture, "attack", seed, premine, body);
    const honest = await play(attackFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `${slashedHonest} honest miners slashed`,
      `the newcomers' commits: ${[...refusals].join(", ")}`,
      `honest miners lose ${tokens(netOf(honest.record, victims) - netOf(attack.record, victims))} tokens`,
    ]);
  },
};
