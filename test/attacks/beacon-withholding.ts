// Attacks: withholding a beacon secret (issue 10, property 1, second half).
//
// The pool's source is BeaconRandomness over FutureBlockRandomness: every committee member
// commits a secret before the pool requests the round's value; once the inner value (the target
// block's hash) is fixed they reveal, and the value hashes the inner value with the xor of the
// secrets. The builder of the target block no longer chooses the sample: the secrets are sealed
// until its block exists. What is left is the last revealer's choice: having seen the inner value
// and every other secret, it can compute both values (its secret in, or withheld) and keep its
// secret back when that spares its claims (RANDAO's last-revealer bias). The pool's answer is
// that a withheld value samples every submission (IRandomnessSource.withheld,
// Sampling.FULL_SAMPLE), so the re-roll it buys is the worst sample a cheater can get, and it
// costs the committee's penalty on top.
//
// beacon-withholding: a miner with 8 false claims (as in seed-grinding) who is also one of the
// three committee members commits its secret like the others; after the two honest members
// reveal, it computes the sample with its secret and the sample without it and keeps its secret
// back when that draws fewer of its false claims, else reveals. Its notes say how many claims the
// withheld value would have spared without the FULL_SAMPLE rule (what the rule takes away).
// Honest: the same miner claims the truth, the same verifier reveals.
//
// beacon-withholding-fees: a verifier keeps its secret back to make the round sample everything,
// hoping to be paid for the extra attestations it is drawn for. Honest: it reveals. Before the
// no-fee rule this paid whenever the extra fees (up to a member's share of the round's feeBudget)
// exceeded the penalty; now a member penalised for withholding is paid no fee in that round
// (VerifierCommittee.penaliseBeaconNoShow), and verifier nodes penalise at once, when the seed is
// fixed, before any attestation of the round can be judged.
//
// Measured: the attackers' net tokens (miner + verifier) against the honest baseline.
import type { BeaconRandomness } from "../../types/ethers-contracts/index.js";
import { BEACON_WINDOW, deployPoolWithSupply, ethers, networkHelpers, TOKEN } from "../helpers/pool.js";
import { drawn, seedOf } from "../helpers/rules.js";
import { inTopK, play, result, Rng, streamOf, tasksOf, tokens, type Fixture, type Strategy, type World } from "./harness.js";

const FALSE_CLAIMS = 8;

/** The attack fixture with the pool's source a BeaconRandomness over FutureBlockRandomness (no extra actors: none is needed). */
export async function beaconFixture(): Promise<Fixture> {
  return { ...(await deployPoolWithSupply(10_000_000n * TOKEN, "BeaconRandomness")), extras: [] };
}

function beaconOf(w: World): Promise<BeaconRandomness> {
  return w.f.randomness.getAddress().then((a) => ethers.getContractAt("BeaconRandomness", a) as unknown as Promise<BeaconRandomness>);
}

const coder = ethers.AbiCoder.defaultAbiCoder();
/** BeaconRandomness's value: keccak256(abi.encode(inner, xor of the revealed secrets, consumer, key)). */
const beaconValue = (inner: string, mix: bigint, pool: string, round: bigint) =>
  ethers.keccak256(coder.encode(["bytes32", "bytes32", "address", "uint256"], [inner, ethers.toBeHex(mix, 32), pool, round]));

/**
 * Every committee member commits its secret (as verifier nodes do when the round opens), the
 * round's value is requested after revealEnd and the inner value fixed; the members other than
 * `holdout` reveal. Returns what `holdout` sees then, and its secret.
 */
async function beaconUpToLastReveal(w: World, round: bigint, holdout: string) {
  const beacon = await beaconOf(w);
  const pool = w.f.poolAddress;
  const secretOf = (a: string) => ethers.solidityPackedKeccak256(["string", "uint256", "uint256", "address"], ["beacon-secret", w.seed, round, a]);
  const members = w.a.verifiers;
  for (const v of members) await w.tx(beacon.connect(v).commit(pool, round, await beacon.commitmentOf(pool, round, v.address, secretOf(v.address))));
  await w.toRevealEnd(round);
  await w.requestSeed(round, members[0]); // the request: the inner target is the next block
  await w.mine(1);
  for (const v of members) if (v.address !== holdout) await w.tx(beacon.connect(v).reveal(pool, round, secretOf(v.address)));
  const b = await beacon.beaconOf(pool, round);
  return { beacon, pool, b, secret: secretOf(holdout), holdoutSigner: members.find((v) => v.address === holdout)! };
}

/** Keeps the holdout's secret back: the window closes, the seed is fixed (withheld: every submission sampled), a node penalises the no-show. */
async function withhold(w: World, round: bigint, beacon: BeaconRandomness, pool: string, holdout: string) {
  const { revealsUntil } = await beacon.beaconOf(pool, round);
  await w.timeTo(revealsUntil + 1n);
  await w.fixSeed(round, w.a.verifiers[0]);
  await w.tx(beacon.connect(w.a.outsider).penaliseNoShow(pool, round, holdout));
}

export const beaconWithholding: Strategy = {
  name: "beacon-withholding",
  property: "1. Nobody who chooses when to send a transaction can choose or predict the sample.",
  description:
    "A miner with 8 false claims (true P = 0) that is also one of the 3 committee members commits its beacon secret, sees the inner value and the other 2 secrets, and keeps its own back when the value without it samples fewer of its false claims (the last revealer's choice). Honest: it claims the truth and reveals.",
  async run(seed) {
    const NAME = "beacon-withholding";
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const honestTruths = [0, 1, 2, 3].map(() => rng.int(9450, 9800));
    const falseTruths = Array.from({ length: FALSE_CLAIMS }, () => rng.int(7000, 8900));
    const falseClaims = Array.from({ length: FALSE_CLAIMS }, () => rng.int(9150, 9400));
    let withheld = false;
    let withRevealed = 0;
    let withWithheld = 0;
    let withheldWithoutRule = 0;
    let sampled = 0;

    const body = async (w: World) => {
      const { miners, verifiers } = w.a;
      const cheater = miners[4];
      const holdout = verifiers[2];
      const round = await w.open({ maxTasksPerMiner: FALSE_CLAIMS }, tasksOf(2));
      for (let i = 0; i < 4; i++) {
        await w.stakeFor(round, miners[i], 1);
        await w.claimAndCommit(round, miners[i], 8 + i, honestTruths[i], honestTruths[i]);
      }
      await w.stakeFor(round, cheater, FALSE_CLAIMS);
      for (let t = 0; t < FALSE_CLAIMS; t++) await w.claimAndCommit(round, cheater, t, falseTruths[t], w.attack ? falseClaims[t] : falseTruths[t]);
      await w.toCommitEnd(round);
      await w.revealAll(round);
      const { beacon, pool, b, secret, holdoutSigner } = await beaconUpToLastReveal(w, round, holdout.address);
      if (w.attack) {
        // What the holdout can know now: everything the chain will do either way. It plays both
        // futures on a snapshot (its secret in; its secret withheld and the window run out) and
        // counts its false claims the pool then samples (the lens), then picks the better one.
        const sampledIn = async (future: () => Promise<unknown>) => {
          const snap = await networkHelpers.takeSnapshot();
          await future();
          await w.fixSeed(round, verifiers[0]);
          let n = 0;
          for (let t = 0; t < FALSE_CLAIMS; t++) if (await w.isSampled({ round, task: t, slot: 0 })) n++;
          await snap.restore();
          return n;
        };
        withRevealed = await sampledIn(() => w.tx(beacon.connect(holdoutSigner).reveal(pool, round, secret)));
        withWithheld = await sampledIn(async () => w.timeTo((await beacon.beaconOf(pool, round)).revealsUntil + 1n));
        // what the withheld value alone would have sampled (the rule that a withheld value
        // samples everything taken away), from the formulas: the choice the rule removes
        const sampleBps = (await w.params(round)).sampleBps;
        const top: boolean[] = [];
        for (let t = 0; t < FALSE_CLAIMS; t++) top.push(await inTopK(w, round, t, 0));
        const withheldSeed = seedOf(beaconValue(b.inner, BigInt(b.mix), pool, round), round, false);
        withheldWithoutRule = top.filter((inTop, t) => inTop || drawn(withheldSeed, round, t, 0, sampleBps)).length;
        withheld = withWithheld < withRevealed;
        if (withheld) await withhold(w, round, beacon, pool, holdout.address);
        else await w.tx(beacon.connect(holdoutSigner).reveal(pool, round, secret));
      } else {
        await w.tx(beacon.connect(holdoutSigner).reveal(pool, round, secret));
      }
      await w.fixSeed(round, verifiers[0]);
      if (w.attack) for (let t = 0; t < FALSE_CLAIMS; t++) if (await w.isSampled({ round, task: t, slot: 0 })) sampled++;
      await w.verifyHonestly(round);
      return [cheater.address, holdout.address];
    };

    const attack = await play(beaconFixture, "attack", seed, premine, body);
    const honest = await play(beaconFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `of its ${FALSE_CLAIMS} false claims: ${withRevealed} sampled with its secret, ${withWithheld} if withheld (${withheldWithoutRule} without the full-sample rule)`,
      `it ${withheld ? "WITHHELD" : "revealed"}; ${sampled} of its claims sampled`,
      `attack ${tokens(attack.record.net)} vs honest ${tokens(honest.record.net)} tokens`,
    ]);
  },
};

export const beaconWithholdingFees: Strategy = {
  name: "beacon-withholding-fees",
  property: "1. Nobody who chooses when to send a transaction can choose or predict the sample.",
  description:
    "One of the 3 committee members keeps its beacon secret back so that the round samples every submission (12 honest claims), hoping to be paid for the extra attestations; it pays the committee's penalty and is paid no fee in the round. Honest: it reveals.",
  async run(seed) {
    const NAME = "beacon-withholding-fees";
    const rng = new Rng(seed, streamOf(NAME));
    const premine = rng.int(1, 48);
    const truths = Array.from({ length: 12 }, () => rng.int(9100, 9800));
    let sampled = 0;
    let fees = 0;
    let others = 0;

    const body = async (w: World) => {
      const { miners, verifiers } = w.a;
      const holdout = verifiers[2];
      // it holds a penalty's worth above the minimum stake, so that after the penalty it may
      // still attest (a penalised member at the minimum could not: VerifierCommitteeStakeTooLow)
      await w.tx(w.committee.connect(holdout).stakeVerifier(await w.committee.penalty()));
      const round = await w.open({ maxTasksPerMiner: 3 }, tasksOf(2));
      for (let t = 0; t < 12; t++) {
        const m = miners[t % 4];
        if (t < 4) await w.stakeFor(round, m, 3);
        await w.claimAndCommit(round, m, t, truths[t], truths[t]);
      }
      await w.toCommitEnd(round);
      await w.revealAll(round);
      const { beacon, pool, secret, holdoutSigner } = await beaconUpToLastReveal(w, round, holdout.address);
      if (w.attack) await withhold(w, round, beacon, pool, holdout.address);
      else await w.tx(beacon.connect(holdoutSigner).reveal(pool, round, secret));
      await w.fixSeed(round, verifiers[0]);
      sampled = 0;
      for (let t = 0; t < 12; t++) if (await w.isSampled({ round, task: t, slot: 0 })) sampled++;
      await w.verifyHonestly(round);
      fees = (await w.verifierRecord(holdout.address)).fees;
      others = (await w.verifierRecord(verifiers[0].address)).fees;
      return [holdout.address];
    };

    const attack = await play(beaconFixture, "attack", seed, premine, body);
    const sampledInAttack = sampled;
    const [feesInAttack, othersInAttack] = [fees, others];
    const honest = await play(beaconFixture, "honest", seed, premine, body);
    return result(attack.record, honest.record, [
      `sampled: ${sampledInAttack} of 12 withheld, ${sampled} revealed`,
      `withholder paid ${feesInAttack} fees (withheld), ${fees} (revealed); an honest member ${othersInAttack} and ${others}`,
      `penalty ${tokens((await attack.world.committee.penalty()) as bigint)}; reveal window ${BEACON_WINDOW} s`,
      `attack ${tokens(attack.record.net)} vs honest ${tokens(honest.record.net)} tokens`,
    ]);
  },
};
