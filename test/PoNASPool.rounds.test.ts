// Whole-round tests of PoNASPool: every expected value (P, ΣP, pot, rewards, slash split,
// dust, fees, attestation penalties, σ_p, the sample) is derived independently here in
// TypeScript with bigint from the inputs each test chooses, then compared with what the contract
// does. Verifications follow the sealed protocol (test/helpers/attest.ts): every attestation of a
// round is committed, then revealed; a submission is judged at its last reveal or by decide().
import { expect } from "chai";
import type { ContractTransactionReceipt, ContractTransactionResponse, LogDescription } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  BPS,
  DEFAULT_TIMING,
  MIN_VERIFIER_STAKE,
  TOKEN,
  after,
  afterPrimaryReveals,
  backupRevealStart,
  commitFor,
  deployPool,
  ethers,
  genes,
  GENE_ARITIES,
  genomeIn,
  holdings,
  liabilities,
  networkHelpers,
  openRound,
  partition,
  revealFor,
  roundParams,
  fixSeed,
  type Deployed,
  type Reveal,
} from "./helpers/pool.js";
import {
  byVerifiers,
  commitAttestations,
  commitSealed,
  phases,
  revealAttestation,
  revealAttestations,
  sealAttestation,
  toAttestDecide,
  toAttestReveals,
  trueDigest,
} from "./helpers/attest.js";
import { ceilDiv, drawn, medianOf, minSafeStake, paidScore, performance, seedOf, share } from "./helpers/rules.js";

const { loadFixture, time } = networkHelpers;
const STAKE = 2000n * TOKEN;

// ---------------------------------------------------------------------------------------------
// Independent reference math
// ---------------------------------------------------------------------------------------------

const perf = performance;
const median = medianOf;
/** Prefix of task `t` of partition(depth). */
const prefixOf = (depth: 1 | 2, t: number) => (depth === 1 ? [t] : [t >> 2, t & 3]);

// ---------------------------------------------------------------------------------------------
// Transaction helpers
// ---------------------------------------------------------------------------------------------

async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const rc = await (await tx).wait();
  if (!rc) throw new Error("no receipt");
  return rc;
}

/** The timestamp of the block a receipt's transaction was mined in. */
async function stamp(rc: ContractTransactionReceipt): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock(rc.blockNumber))!.timestamp);
}

/** The receipt's events `name` emitted by the pool or by its committee (their event names differ). */
function logsOf(d: Deployed, rc: ContractTransactionReceipt, name: string): LogDescription[] {
  const out: LogDescription[] = [];
  for (const l of rc.logs) {
    const addr = l.address.toLowerCase();
    const iface =
      addr === d.poolAddress.toLowerCase() ? d.pool.interface : addr === d.committeeAddress.toLowerCase() ? d.committee.interface : null;
    const e = iface?.parseLog(l);
    if (e && e.name === name) out.push(e);
  }
  return out;
}

interface Sub {
  miner: HardhatEthersSigner;
  task: number;
  slot: number;
  claim: number; // claimed score, bps
  reveal?: Reveal & { commitment: string };
}

/** Claims (primary when slot 0, else joinAsBackup) and commits each submission. */
async function claimAndCommit(d: Deployed, roundId: bigint, depth: 1 | 2, subs: Sub[], commit = (s: Sub) => true) {
  for (const [i, s] of subs.entries()) {
    if (s.slot === 0) await mined(d.pool.connect(s.miner).claim(roundId, s.task));
    else {
      const rc = await mined(d.pool.connect(s.miner).joinAsBackup(roundId, s.task));
      expect(logsOf(d, rc, "Claimed")[0].args.slot).to.equal(BigInt(s.slot));
    }
    if (commit(s)) {
      s.reveal = await commitFor(d, s.miner, {
        roundId,
        task: s.task,
        slot: s.slot,
        genome: genomeIn(prefixOf(depth, s.task), i),
        score: s.claim,
      });
    }
  }
}

/** One submission's verification: verifier i attests `scores[i]` (with `digests[i]`, default its true digest). */
interface Check {
  task: number;
  slot: number;
  scores: number[];
  digests?: string[];
}

/**
 * The sealed protocol for a round's checks: every attestation is committed first (the commit phase
 * closes before any reveal), then time moves into the reveal phase and each check's attestations
 * are revealed in verifier order. Returns, per check, the receipts of its reveals: the last one of
 * a check whose committers reached quorum carries the judgement (Verified, FeePaid, Penalised,
 * Slashed, SlashShareCredited). Must start in the commit phase.
 */
async function verifyAll(d: Deployed, roundId: bigint, checks: Check[]) {
  const sealed = [];
  for (const c of checks) sealed.push(await commitAttestations(d, roundId, byVerifiers(d.actors.verifiers, c.task, c.slot, c.scores, c.digests)));
  await toAttestReveals(d, roundId);
  const out: ContractTransactionReceipt[][] = [];
  for (const list of sealed) {
    const rcs: ContractTransactionReceipt[] = [];
    for (const a of list) rcs.push(await mined(revealAttestation(d, a)));
    out.push(rcs);
  }
  return out;
}

async function stakeMiners(d: Deployed, n = 8, amount = STAKE) {
  for (const m of d.actors.miners.slice(0, n)) await mined(d.pool.connect(m).stake(amount));
}

const allAccounts = (d: Deployed) =>
  [...d.actors.miners, ...d.actors.verifiers, d.actors.outsider, d.actors.treasury, d.actors.admin].map((s) => s.address);

/** A miner account as a plain [balance, locked, lastClaimRound, claimsInRound]. */
async function account(d: Deployed, who: string) {
  const a = await d.pool.minerAccount(who);
  return [a.balance, a.locked, a.lastClaimRound, a.claimsInRound];
}

/** Each contract holds exactly what it owes: the pool its miners and pots, the committee its verifiers and fee budgets. */
async function expectConserved(d: Deployed) {
  expect(await holdings(d)).to.deep.equal(await liabilities(d, allAccounts(d)));
}

/**
 * What round `roundId` still holds: in the pool rewardTotal + forfeited − paid − swept, in the
 * committee its fee budget − fees spent + attestation penalties until swept.
 */
async function roundHeld(d: Deployed, roundId: bigint) {
  const p = await d.pool.getRound(roundId);
  const s = await d.pool.getRoundState(roundId);
  const f = await d.committee.roundFees(roundId);
  return { pool: p.rewardTotal + s.forfeited - s.paid - s.swept, committee: f.swept ? 0n : f.budget - f.spent + f.penalties };
}
const EMPTY = { pool: 0n, committee: 0n };

/** Fees spent in a round (paid at each judgement to the winners that proved the work), as the committee records them. */
async function feesSpentOf(d: Deployed, roundId: bigint) {
  return (await d.committee.roundFees(roundId)).spent;
}

/**
 * Sweeps a finalised round to the treasury: the pool's surplus (`pool`, expected) and the
 * committee's unspent fee budget plus the round's attestation penalties (`fees`, expected). A part expected to be 0 must be refused
 * (NothingToSweep). The treasury must receive exactly pool + fees.
 */
async function sweepRest(d: Deployed, roundId: bigint, want: { pool: bigint; fees: bigint }) {
  const t = d.actors.treasury.address;
  const before = await d.token.balanceOf(t);
  expect(await d.lens.sweepable(roundId), "pool sweepable").to.equal(want.pool);
  if (want.pool > 0n) {
    const rc = await mined(d.pool.connect(d.actors.outsider).sweep(roundId));
    expect(logsOf(d, rc, "Swept")[0].args.amount).to.equal(want.pool);
  } else {
    await expect(d.pool.sweep(roundId)).to.be.revertedWithCustomError(d.pool, "PoNASPoolNothingToSweep").withArgs(roundId);
  }
  if (want.fees > 0n) {
    const rc = await mined(d.committee.connect(d.actors.outsider).sweepFees(roundId));
    const e = logsOf(d, rc, "FeesSwept")[0].args;
    expect([e.roundId, e.treasury, e.amount]).to.deep.equal([roundId, t, want.fees]);
    expect((await d.committee.roundFees(roundId)).swept).to.equal(true);
  } else {
    await expect(d.committee.sweepFees(roundId))
      .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeNothingToSweep")
      .withArgs(roundId);
  }
  expect((await d.token.balanceOf(t)) - before, "treasury receives").to.equal(want.pool + want.fees);
  // nothing is left to sweep twice
  await expect(d.pool.sweep(roundId)).to.be.revertedWithCustomError(d.pool, "PoNASPoolNothingToSweep");
  await expect(d.committee.sweepFees(roundId)).to.be.revertedWithCustomError(d.committee, "VerifierCommitteeNothingToSweep");
}

// =============================================================================================

describe("PoNASPool rounds", () => {
  it("pays honest miners exactly floor(P_i·pot/ΣP); dust and unspent fees go to the treasury", async () => {
    const d = await loadFixture(deployPool);
    const { treasury, outsider, verifiers } = d.actors;
    const rewardTotal = 1000n * TOKEN - 12_345n; // odd, so the shares leave dust
    const { roundId, params } = await openRound(d, { rewardTotal }, partition(2));
    const baseline = BigInt(params.baselineBps);
    await stakeMiners(d, 6);
    const tasks = [0, 3, 5, 6, 9, 11];
    // every claim more than 62 bps above the 9000 baseline, so the over-claim penalty below never
    // takes all of a verified claim's P (that would be fraud: the slashing test covers it)
    const claims = [9100, 9250, 9400, 9550, 9777, 9083];
    const subs: Sub[] = tasks.map((task, i) => ({ miner: d.actors.miners[i], task, slot: 0, claim: claims[i] }));
    await claimAndCommit(d, roundId, 2, subs);
    await after(d, roundId, "commit");
    for (const s of subs) await mined(revealFor(d, s.miner, s.reveal!));
    expect((await d.pool.getRoundState(roundId)).sumP).to.equal(claims.reduce((a, c) => a + perf(c, baseline), 0n));

    // Verifiers measure slightly less than claimed (within tolerance): median = claim − 31, so a
    // verified claim is paid median − ceil(31·(1 − p)/p) (p = 50 %: claim − 62).
    await after(d, roundId, "reveal");
    const seed = await fixSeed({ ...d, pool: d.pool.connect(outsider) }, roundId); // anyone may fix it
    const top3 = [...claims].sort((a, b) => b - a).slice(0, 3);
    const expectedP: bigint[] = [];
    const checks: Check[] = [];
    let attestations = 0n;
    for (const s of subs) {
      const sampled = top3.includes(s.claim) || drawn(seed, roundId, s.task, 0, BigInt(params.sampleBps));
      expect(await d.lens.isSampled(roundId, s.task, 0)).to.equal(sampled);
      if (sampled) {
        // the quorum: all three verifiers, each sealing its score with the submission's true
        // weights digest (the agreed one, so each proves its work and is paid)
        const scores = [s.claim - 20, s.claim - 41, s.claim - 31];
        checks.push({ task: s.task, slot: 0, scores });
        attestations += 3n;
        expectedP.push(perf(paidScore(s.claim, median(scores), params.sampleBps), baseline));
      } else {
        expectedP.push(perf(s.claim, baseline));
      }
    }
    const judged = await verifyAll(d, roundId, checks);
    for (const rcs of judged) {
      expect(logsOf(d, rcs[2], "FeePaid").map((e) => e.args.verifier)).to.deep.equal(verifiers.map((v) => v.address));
      expect(logsOf(d, rcs[2], "Penalised")).to.have.length(0);
    }
    const sumP = expectedP.reduce((a, b) => a + b, 0n);
    const feesSpent = attestations * params.verifierFee;

    await after(d, roundId, "verify");
    const frc = await mined(d.pool.connect(outsider).finalize(roundId));
    const fin = logsOf(d, frc, "RoundFinalized")[0].args;
    expect([fin.pot, fin.sumP]).to.deep.equal([rewardTotal, sumP]);
    expect(await feesSpentOf(d, roundId)).to.equal(feesSpent);

    let paid = 0n;
    for (const [i, s] of subs.entries()) {
      const want = share(expectedP[i], rewardTotal, sumP);
      const before = await d.token.balanceOf(s.miner.address);
      const rc = await mined(d.pool.connect(outsider).withdraw(roundId, s.task, 0)); // anyone may settle
      const w = logsOf(d, rc, "Withdrawn")[0].args;
      expect(w.p).to.equal(expectedP[i]);
      expect(w.reward).to.equal(want);
      expect(w.stakeReleased).to.equal(params.minStake);
      expect(w.unverified).to.equal(false);
      expect((await d.token.balanceOf(s.miner.address)) - before).to.equal(want);
      expect((await d.pool.minerAccount(s.miner.address)).locked).to.equal(0n);
      paid += want;
    }
    const dust = rewardTotal - paid;
    expect(dust).to.be.greaterThan(0n); // the chosen numbers do not divide evenly
    expect(dust).to.be.lessThan(BigInt(subs.length)); // each floor loses < 1 wei
    const unspentFees = params.feeBudget - feesSpent;
    expect(unspentFees).to.be.greaterThan(0n);
    // the committee keeps the fee budget: it cannot be swept before the verify window ends
    // (it has ended here), and the pool's sweep takes only the dust
    const tBefore = await d.token.balanceOf(treasury.address);
    await sweepRest(d, roundId, { pool: dust, fees: unspentFees });
    expect((await d.token.balanceOf(treasury.address)) - tBefore).to.equal(dust + unspentFees);
    // Σ payouts + swept dust == rewardTotal exactly; the fee budget = fees + unspent.
    expect(paid + dust).to.equal(rewardTotal);
    let earned = 0n;
    for (const v of verifiers) {
      const fees = (await d.committee.verifierAccount(v.address)).fees;
      expect(fees).to.equal((attestations / 3n) * params.verifierFee);
      earned += fees;
    }
    expect(earned + unspentFees).to.equal(params.feeBudget);
    expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
    await expectConserved(d);
  });

  it("slashes a claim above the verified median (top-K and challenged): honest verifiers share slashBps, the rest goes to the treasury via sweep", async () => {
    const d = await loadFixture(deployPool);
    const { outsider, verifiers } = d.actors;
    const { roundId, params } = await openRound(d, { quorum: 3 }, partition(2));
    const baseline = BigInt(params.baselineBps);
    const minStake = params.minStake;
    const fee = params.verifierFee;
    await stakeMiners(d, 6);
    // m0 inflates to the top claim (top-K); m3 inflates a low claim (caught by a challenge).
    const claims = [9900, 9300, 9450, 9200, 9100, 9150];
    const truth = [9500, 9300, 9450, 9000, 9100, 9150];
    const tasks = [0, 4, 8, 2, 6, 10];
    const subs: Sub[] = tasks.map((task, i) => ({ miner: d.actors.miners[i], task, slot: 0, claim: claims[i] }));
    await claimAndCommit(d, roundId, 2, subs);
    await after(d, roundId, "commit");
    for (const s of subs) await mined(revealFor(d, s.miner, s.reveal!));
    const crc = await mined(d.committee.connect(verifiers[0]).challenge(roundId, tasks[3], 0));
    const ch = logsOf(d, crc, "Challenged");
    expect(ch).to.have.length(1);
    expect([ch[0].args.task, ch[0].args.slot, ch[0].args.verifier]).to.deep.equal([BigInt(tasks[3]), 0n, verifiers[0].address]);
    await after(d, roundId, "reveal");
    const seed = await fixSeed(d, roundId);
    expect(await d.lens.isSampled(roundId, tasks[0], 0)).to.equal(true); // top-K
    expect(await d.lens.isSampled(roundId, tasks[3], 0)).to.equal(true); // challenged

    const balBefore = await Promise.all(subs.map(async (s) => (await d.pool.minerAccount(s.miner.address)).balance));
    const feesBefore = await Promise.all(verifiers.map(async (v) => (await d.committee.verifierAccount(v.address)).fees));
    const penalty = await d.committee.penalty();
    expect(penalty).to.equal(MIN_VERIFIER_STAKE / 10n); // the default: a tenth of the minimum verifier stake
    const vAttest = [0n, 0n, 0n]; // fees paid per verifier
    const vSlash = [0n, 0n, 0n];
    const vFees = [...feesBefore]; // each verifier's credited fees as the judgements go (penalties come from them first)
    const vStakeLost = [0n, 0n, 0n];
    let penalties = 0n;
    let toTreasuryTotal = 0n;
    const expectedP: bigint[] = [];
    const slashed: number[] = [];
    const checks: (Check & { i: number })[] = [];
    for (const [i, s] of subs.entries()) {
      const sampled =
        i === 0 || i === 3 || [9900, 9450, 9300].includes(s.claim) || drawn(seed, roundId, s.task, 0, BigInt(params.sampleBps));
      expect(await d.lens.isSampled(roundId, s.task, 0)).to.equal(sampled);
      if (!sampled) continue;
      // v2 lies for the top-K cheater (colludes: confirms the claim, which it cannot back with
      // trained weights: it seals a score-only 0 digest); otherwise everyone is honest and seals
      // the submission's true weights digest.
      const scores =
        i === 0 ? [truth[0], truth[0] + 20, claims[0]] : i === 3 ? [truth[3], truth[3] + 10, truth[3] + 5] : [s.claim, s.claim, s.claim];
      const digests = i === 0 ? [trueDigest(roundId, s.task, 0), trueDigest(roundId, s.task, 0), ethers.ZeroHash] : undefined;
      checks.push({ i, task: s.task, slot: 0, scores, digests });
    }
    const judged = await verifyAll(d, roundId, checks);
    for (const [k, c] of checks.entries()) {
      const { i, scores } = c;
      const s = subs[i];
      const rcs = judged[k];
      const med = median(scores);
      const fraud = BigInt(s.claim) > med + BigInt(params.toleranceBps);
      const honest = scores.map((sc) => {
        const diff = BigInt(sc) > med ? BigInt(sc) - med : med - BigInt(sc);
        return diff <= BigInt(params.toleranceBps);
      });
      const last = rcs[rcs.length - 1];
      // only the last reveal (every committer revealed, quorum reached) judges
      for (const rc of rcs.slice(0, -1)) expect(logsOf(d, rc, "Verified")).to.have.length(0);
      const ver = logsOf(d, last, "Verified")[0].args;
      expect(ver.medianBps).to.equal(med);
      expect(ver.fraud).to.equal(fraud);
      expect(fraud).to.equal(i === 0 || i === 3);
      // fees to the winners that proved the work (the agreed true digest); the liar, far from the
      // median, loses `penalty`: from its credited fees first, then from its stake
      expect(logsOf(d, last, "FeePaid").map((e) => [e.args.verifier, e.args.fee])).to.deep.equal(
        verifiers.filter((_, v) => honest[v]).map((v) => [v.address, fee]),
      );
      const pen = logsOf(d, last, "Penalised");
      expect(pen.map((e) => [e.args.verifier, e.args.amount])).to.deep.equal(verifiers.filter((_, v) => !honest[v]).map((v) => [v.address, penalty]));
      for (const v of [0, 1, 2]) {
        if (honest[v]) {
          vAttest[v] += fee;
          vFees[v] += fee;
        } else {
          const fromFees = vFees[v] < penalty ? vFees[v] : penalty;
          vFees[v] -= fromFees;
          vStakeLost[v] += penalty - fromFees;
          penalties += penalty;
        }
      }
      if (fraud) {
        const nHonest = BigInt(honest.filter(Boolean).length);
        const each = (minStake * BigInt(params.slashBps)) / BPS / nHonest;
        honest.forEach((h, v) => {
          vSlash[v] += h ? each : 0n;
          vFees[v] += h ? each : 0n;
        });
        const toTreasury = minStake - each * nHonest;
        toTreasuryTotal += toTreasury;
        const sl = logsOf(d, last, "Slashed");
        expect(sl).to.have.length(1);
        expect([sl[0].args.miner, sl[0].args.amount, sl[0].args.toVerifiers, sl[0].args.toTreasury]).to.deep.equal([
          s.miner.address,
          minStake,
          each * nHonest,
          toTreasury,
        ]);
        // the pool sends the verifiers' part to the committee, which credits each winner its share
        const shares = logsOf(d, last, "SlashShareCredited");
        expect(shares.map((e) => [e.args.verifier, e.args.amount])).to.deep.equal(
          verifiers.filter((_, v) => honest[v]).map((v) => [v.address, each]),
        );
        expect((await d.pool.minerAccount(s.miner.address)).balance).to.equal(balBefore[i] - minStake);
        slashed.push(i);
      } else {
        expect(logsOf(d, last, "Slashed")).to.have.length(0);
      }
    }
    for (const [i, s] of subs.entries()) {
      const c = checks.find((x) => x.i === i);
      if (!c) expectedP.push(perf(s.claim, baseline));
      else if (slashed.includes(i)) expectedP.push(0n);
      else expectedP.push(perf(paidScore(s.claim, median(c.scores), params.sampleBps), baseline));
    }
    expect(slashed).to.deep.equal([0, 3]);
    // the lying verifier got no fee and no slash share for the cheater's claim, and paid the
    // penalty (here from its stake: it had no fees yet); it shares the other slash
    expect(vSlash[2]).to.equal((minStake * BigInt(params.slashBps)) / BPS / 3n);
    expect(vStakeLost).to.deep.equal([0n, 0n, penalty]);
    for (const v of [0, 1]) expect(vFees[v] - feesBefore[v]).to.equal(vAttest[v] + vSlash[v]);
    expect(vFees[2] - feesBefore[2]).to.equal(vAttest[2] + vSlash[2]); // nothing was taken from its fees
    for (const [v, signer] of verifiers.entries()) {
      const acct = await d.committee.verifierAccount(signer.address);
      expect(acct.fees, `verifier ${v}'s fees`).to.equal(vFees[v]);
      expect(acct.stake).to.equal(MIN_VERIFIER_STAKE - vStakeLost[v]);
    }
    expect((await d.committee.roundFees(roundId)).penalties).to.equal(penalties);

    // slashed stake is forfeited to the treasury, never added to the pot (the cheater's own
    // unsampled claims would win part of it back)
    const pot = params.rewardTotal;
    const sumP = expectedP.reduce((a, b) => a + b, 0n);
    expect(sumP).to.equal(perf(9300, baseline) + perf(9450, baseline) + perf(9100, baseline) + perf(9150, baseline));
    await after(d, roundId, "verify");
    const fin = logsOf(d, await mined(d.pool.finalize(roundId)), "RoundFinalized")[0].args;
    expect([fin.pot, fin.sumP]).to.deep.equal([pot, sumP]);
    expect((await d.pool.getRoundState(roundId)).forfeited).to.equal(toTreasuryTotal);

    let paid = 0n;
    for (const [i, s] of subs.entries()) {
      const before = await d.token.balanceOf(s.miner.address);
      const w = logsOf(d, await mined(d.pool.connect(outsider).withdraw(roundId, s.task, 0)), "Withdrawn")[0].args;
      const want = share(expectedP[i], pot, sumP);
      expect(w.reward).to.equal(want);
      expect(w.stakeReleased).to.equal(slashed.includes(i) ? 0n : minStake);
      expect((await d.token.balanceOf(s.miner.address)) - before).to.equal(want);
      const acct = await d.pool.minerAccount(s.miner.address);
      expect(acct.locked).to.equal(0n);
      expect(acct.balance).to.equal(slashed.includes(i) ? balBefore[i] - minStake : balBefore[i]);
      if (slashed.includes(i)) expect(want).to.equal(0n);
      paid += want;
    }
    expect(paid).to.be.lessThanOrEqual(pot);
    expect(pot - paid).to.be.lessThan(4n);
    const feesSpent = await feesSpentOf(d, roundId);
    expect(feesSpent).to.equal(vAttest.reduce((a, b) => a + b, 0n));
    // the sweep sends the treasury the dust and the forfeited slashes
    // the sweep sends the treasury the dust and the forfeited slashes, and the committee's the
    // unspent fee budget and the liar's penalty
    await sweepRest(d, roundId, { pool: pot - paid + toTreasuryTotal, fees: params.feeBudget - feesSpent + penalties });
    expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
    await expectConserved(d);
  });

  it("a no-show primary is replaced by its backup, which is paid; the primary gets its stake back and a 0 in its history", async () => {
    const d = await loadFixture(deployPool);
    const [m0, m1, m2] = d.actors.miners;
    const { roundId, params } = await openRound(d);
    const baseline = BigInt(params.baselineBps);
    await stakeMiners(d, 3);
    expect(await d.lens.backupsAllowed(roundId, 0)).to.equal(false); // no primary yet
    const subs: Sub[] = [
      { miner: m0, task: 0, slot: 0, claim: 9700 }, // new miner: backups allowed
      { miner: m1, task: 0, slot: 1, claim: 9420 },
      { miner: m2, task: 1, slot: 0, claim: 9260 },
    ];
    await claimAndCommit(d, roundId, 1, subs, (s) => s.miner !== m0); // m0 never commits
    expect(await d.lens.backupsAllowed(roundId, 0)).to.equal(true);
    expect((await d.pool.getSubmission(roundId, 0, 0)).backups).to.equal(1n);
    await after(d, roundId, "commit");
    await mined(revealFor(d, m2, subs[2].reveal!));
    // backups reveal only after the primaries' part of the reveal window
    await expect(revealFor(d, m1, subs[1].reveal!))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow")
      .withArgs(roundId, await backupRevealStart(d, roundId), params.revealEnd);
    await afterPrimaryReveals(d, roundId);
    const rrc = await mined(revealFor(d, m1, subs[1].reveal!));
    const ac = logsOf(d, rrc, "ActiveChanged")[0].args;
    expect([ac.task, ac.slot, ac.p, ac.sumP]).to.deep.equal([0n, 1n, perf(9420, baseline), perf(9420, baseline) + perf(9260, baseline)]);
    expect((await d.pool.getSubmission(roundId, 0, 0)).active).to.equal(2n); // slot 1 counts

    await after(d, roundId, "reveal");
    await fixSeed(d, roundId);
    const checks: Check[] = [];
    for (const s of subs.slice(1)) {
      if (await d.lens.isSampled(roundId, s.task, s.slot)) checks.push({ task: s.task, slot: s.slot, scores: [s.claim, s.claim, s.claim] });
    }
    await verifyAll(d, roundId, checks);
    const p1 = perf(9420, baseline);
    const p2 = perf(9260, baseline);
    const sumP = p1 + p2;
    const pot = params.rewardTotal;
    await after(d, roundId, "verify");
    await mined(d.pool.finalize(roundId));
    expect((await d.pool.getRoundState(roundId)).sumP).to.equal(sumP);

    const b1 = await d.token.balanceOf(m1.address);
    const w1 = logsOf(d, await mined(d.pool.withdraw(roundId, 0, 1)), "Withdrawn")[0].args;
    expect([w1.miner, w1.p, w1.reward]).to.deep.equal([m1.address, p1, share(p1, pot, sumP)]);
    expect((await d.token.balanceOf(m1.address)) - b1).to.equal(share(p1, pot, sumP));

    const b0 = await d.token.balanceOf(m0.address);
    const rc0 = await mined(d.pool.withdraw(roundId, 0, 0));
    const w0 = logsOf(d, rc0, "Withdrawn")[0].args;
    expect([w0.miner, w0.p, w0.reward, w0.stakeReleased]).to.deep.equal([m0.address, 0n, 0n, params.minStake]);
    expect(logsOf(d, rc0, "NoShowFined")).to.have.length(0); // noShowBps 0 (the fixture's): a no-show pays no fee
    const st0 = await d.pool.performanceStats(m0.address);
    expect([st0.count, st0.mean, st0.m2]).to.deep.equal([1n, 0n, 0n]); // one sample: P = 0
    expect(await d.token.balanceOf(m0.address)).to.equal(b0);
    expect(await account(d, m0.address)).to.deep.equal([STAKE, 0n, roundId, 1n]);

    const w2 = logsOf(d, await mined(d.pool.withdraw(roundId, 1, 0)), "Withdrawn")[0].args;
    expect(w2.reward).to.equal(share(p2, pot, sumP));
    expect(w1.reward + w2.reward).to.be.lessThanOrEqual(pot);
    await sweepRest(d, roundId, { pool: pot - w1.reward - w2.reward, fees: params.feeBudget - (await feesSpentOf(d, roundId)) });
    expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
    await expectConserved(d);

    // m0 now has a history with σ_p = 0 < threshold: its next task opens no backup slots.
    const r2 = await openRound(d);
    await mined(d.pool.connect(m0).claim(r2.roundId, 2));
    expect(await d.lens.backupsAllowed(r2.roundId, 2)).to.equal(false);
    await expect(d.pool.connect(m1).joinAsBackup(r2.roundId, 2))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolBackupsNotAllowed")
      .withArgs(r2.roundId, 2n, 0n, BigInt(r2.params.sigmaThreshold));
  });

  describe("a reveal with P = 0 delivers nothing (property 8: holding a slot without delivering is not free)", () => {
    const NO_SHOW_BPS = 2500n;

    /** Each miner's wealth in the pool's token: wallet + stake account. */
    async function wealth(d: Deployed, ms: HardhatEthersSigner[]) {
      return Promise.all(ms.map(async (m) => (await d.token.balanceOf(m.address)) + (await d.pool.minerAccount(m.address)).balance));
    }

    /** Verifies every sampled revealed submission at its claim (all three verifiers agree). */
    async function verifySampled(d: Deployed, roundId: bigint, subs: Sub[]) {
      const checks: Check[] = [];
      for (const s of subs) {
        if ((await d.pool.getSubmission(roundId, s.task, s.slot)).status !== 2n) continue; // not revealed
        if (await d.lens.isSampled(roundId, s.task, s.slot)) checks.push({ task: s.task, slot: s.slot, scores: [s.claim, s.claim, s.claim] });
      }
      await verifyAll(d, roundId, checks);
    }

    it("fines a P = 0 primary; a backup reveals over it, takes the task and is paid; backups of a task only P = 0 reached are fined; a P > 0 primary is not; tokens balance", async () => {
      const d = await loadFixture(deployPool);
      const ms = d.actors.miners.slice(0, 8);
      const [m0, m1, m2, m3, m4, m5, m6, m7] = ms;
      await stakeMiners(d, 8);
      const { roundId, params } = await openRound(d, { noShowBps: Number(NO_SHOW_BPS) });
      const baseline = BigInt(params.baselineBps);
      const pot = params.rewardTotal;
      const fine = (params.minStake * NO_SHOW_BPS) / BPS;
      expect(fine).to.equal(80n * TOKEN);
      const before = await wealth(d, ms);
      const subs: Sub[] = [
        { miner: m0, task: 0, slot: 0, claim: 8800 }, // P = 0 primary → fined
        { miner: m1, task: 0, slot: 1, claim: 9400 }, // reveals over it, takes task 0 → paid
        { miner: m2, task: 0, slot: 2, claim: 9500 }, // never commits; task 0 was delivered → not fined
        { miner: m3, task: 1, slot: 0, claim: 8500 }, // P = 0 primary → fined
        { miner: m4, task: 1, slot: 1, claim: 9300 }, // never commits; task 1 only reached P = 0 → fined
        { miner: m5, task: 1, slot: 2, claim: 9000 }, // reveals at the baseline (P = 0): takes nothing → fined
        { miner: m6, task: 2, slot: 0, claim: 9600 }, // P > 0 primary → paid, not fined
        { miner: m7, task: 2, slot: 1, claim: 9700 }, // never commits; task 2 was delivered → not fined
      ];
      await claimAndCommit(d, roundId, 1, subs, (s) => ![m2, m4, m7].includes(s.miner));
      await after(d, roundId, "commit");
      for (const s of subs) if (s.reveal && s.slot === 0) await mined(revealFor(d, s.miner, s.reveal));
      // the P = 0 reveals are recorded but count for nothing: no ΣP, no top-K entry, the task stays open
      for (const t of [0, 1]) {
        const p = await d.pool.getSubmission(roundId, t, 0);
        expect([p.status, p.active]).to.deep.equal([2n, 0n]);
        expect(await d.lens.projectedReward(roundId, t, 0)).to.equal(0n);
      }
      expect((await d.pool.getSubmission(roundId, 2, 0)).active).to.equal(1n);
      expect((await d.pool.getRoundState(roundId)).sumP).to.equal(perf(9600, baseline));
      let top = await d.lens.getTopK(roundId);
      expect([[...top.tasks], [...top.slots]]).to.deep.equal([[2n], [0n]]);

      await afterPrimaryReveals(d, roundId);
      // task 0: the backup's reveal is accepted (the primary delivered nothing) and takes the task
      const rc1 = await mined(revealFor(d, m1, subs[1].reveal!));
      const ac = logsOf(d, rc1, "ActiveChanged").map((e) => [e.args.task, e.args.slot, e.args.p, e.args.sumP]);
      expect(ac).to.deep.equal([[0n, 1n, perf(9400, baseline), perf(9400, baseline) + perf(9600, baseline)]]);
      expect((await d.pool.getSubmission(roundId, 0, 0)).active).to.equal(2n);
      // task 1: a backup's P = 0 reveal takes nothing either
      const rc5 = await mined(revealFor(d, m5, subs[5].reveal!));
      expect(logsOf(d, rc5, "Revealed")[0].args.p).to.equal(0n);
      expect(logsOf(d, rc5, "ActiveChanged")).to.have.length(0);
      expect((await d.pool.getSubmission(roundId, 1, 0)).active).to.equal(0n);
      top = await d.lens.getTopK(roundId);
      expect([[...top.tasks], [...top.slots]]).to.deep.equal([[2n, 0n], [0n, 1n]]);

      await after(d, roundId, "reveal");
      await fixSeed(d, roundId);
      await verifySampled(d, roundId, subs);
      await after(d, roundId, "verify");
      await mined(d.pool.finalize(roundId));
      const sumP = perf(9400, baseline) + perf(9600, baseline);
      expect((await d.pool.getRoundState(roundId)).sumP).to.equal(sumP);

      const fined = new Map<string, bigint>();
      let paid = 0n;
      for (const s of subs) {
        const rc = await mined(d.pool.connect(d.actors.outsider).withdraw(roundId, s.task, s.slot));
        const w = logsOf(d, rc, "Withdrawn")[0].args;
        expect(w.stakeReleased, `${s.task}:${s.slot} released`).to.equal(params.minStake);
        paid += w.reward;
        for (const e of logsOf(d, rc, "NoShowFined")) fined.set(e.args.miner, e.args.amount);
      }
      // fined: the two P = 0 primaries and both backups of task 1 (the one only P = 0 reached)
      expect([...fined.entries()]).to.deep.equal([m0, m3, m4, m5].map((m) => [m.address, fine]));
      const rewards = [0n, share(perf(9400, baseline), pot, sumP), 0n, 0n, 0n, 0n, share(perf(9600, baseline), pot, sumP), 0n];
      const fines = [fine, 0n, 0n, fine, fine, fine, 0n, 0n];
      const after_ = await wealth(d, ms);
      expect(after_.map((w, i) => w - before[i])).to.deep.equal(rewards.map((r, i) => r - fines[i]));
      expect(paid).to.equal(pot); // 400 + 600 of 1000: no dust
      // a P = 0 primary's history records 0, as a no-show's does
      for (const m of [m0, m3]) expect((await d.pool.performanceStats(m.address)).count).to.equal(1n);
      expect((await d.pool.performanceStats(m0.address)).mean).to.equal(0n);
      const s = await d.pool.getRoundState(roundId);
      expect([s.forfeited, s.paid, s.remainingP]).to.deep.equal([4n * fine, pot, 0n]);
      // the fines go to the treasury with the round's surplus; nothing else is left
      await sweepRest(d, roundId, { pool: 4n * fine, fees: params.feeBudget - (await feesSpentOf(d, roundId)) });
      expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
      await expectConserved(d);
    });

    it("an honest round under the fee: every claim above the baseline, nothing fined, pot paid out exactly, tokens balance", async () => {
      const d = await loadFixture(deployPool);
      const ms = d.actors.miners.slice(0, 6);
      await stakeMiners(d, 6);
      const { roundId, params } = await openRound(d, { noShowBps: Number(NO_SHOW_BPS), rewardTotal: 1000n * TOKEN - 7n }, partition(2));
      const baseline = BigInt(params.baselineBps);
      const pot = params.rewardTotal;
      const before = await wealth(d, ms);
      const poolBefore = await d.token.balanceOf(d.poolAddress);
      const claims = [9100, 9250, 9400, 9550, 9777, 9083];
      const subs: Sub[] = ms.map((miner, i) => ({ miner, task: [0, 3, 5, 6, 9, 11][i], slot: 0, claim: claims[i] }));
      // a backup of a delivered task owes nothing either
      subs.push({ miner: ms[1], task: 0, slot: 1, claim: 9900 });
      await claimAndCommit(d, roundId, 2, subs, (s) => s.slot === 0);
      await after(d, roundId, "commit");
      for (const s of subs) if (s.reveal) await mined(revealFor(d, s.miner, s.reveal));
      await after(d, roundId, "reveal");
      await fixSeed(d, roundId);
      await verifySampled(d, roundId, subs);
      await after(d, roundId, "verify");
      await mined(d.pool.finalize(roundId));
      const sumP = claims.reduce((a, c) => a + perf(c, baseline), 0n);
      expect((await d.pool.getRoundState(roundId)).sumP).to.equal(sumP);
      let paid = 0n;
      const want = new Map<string, bigint>();
      for (const s of subs) {
        const rc = await mined(d.pool.withdraw(roundId, s.task, s.slot));
        expect(logsOf(d, rc, "NoShowFined"), `${s.task}:${s.slot}`).to.have.length(0);
        const w = logsOf(d, rc, "Withdrawn")[0].args;
        const r = s.slot === 0 ? share(perf(s.claim, baseline), pot, sumP) : 0n;
        expect(w.reward).to.equal(r);
        want.set(s.miner.address, (want.get(s.miner.address) ?? 0n) + r);
        paid += r;
      }
      const after_ = await wealth(d, ms);
      expect(after_.map((w, i) => w - before[i])).to.deep.equal(ms.map((m) => want.get(m.address)!));
      const dust = pot - paid;
      expect(dust).to.be.lessThan(BigInt(claims.length));
      expect((await d.pool.getRoundState(roundId)).forfeited).to.equal(0n);
      await sweepRest(d, roundId, { pool: dust, fees: params.feeBudget - (await feesSpentOf(d, roundId)) });
      // the pool paid out exactly its pot: what it holds now is what it held before the round opened
      expect(await d.token.balanceOf(d.poolAddress)).to.equal(poolBefore - pot);
      expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
      await expectConserved(d);
    });
  });

  it("σ_p and the Welford stats match a float reference over rounds with varying P and a no-show", async () => {
    const d = await loadFixture(deployPool);
    const [m0, m1] = d.actors.miners;
    await stakeMiners(d, 2);
    // null = no-show; 8800 is a revealed score below the baseline (P = 0).
    const claims: (number | null)[] = [9400, null, 9150, 9720, 8800, 9033, 9999];
    const history: number[] = [];
    for (const [i, claim] of claims.entries()) {
      const { roundId, params } = await openRound(d);
      await mined(d.pool.connect(m0).claim(roundId, 0));
      let r: (Reveal & { commitment: string }) | undefined;
      if (claim !== null) r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: genomeIn([0], i), score: claim });
      await after(d, roundId, "commit");
      if (r) await mined(revealFor(d, m0, r));
      await after(d, roundId, "reveal");
      await fixSeed(d, roundId);
      if (r && (await d.lens.isSampled(roundId, 0, 0))) await verifyAll(d, roundId, [{ task: 0, slot: 0, scores: [claim!, claim!, claim!] }]);
      await after(d, roundId, "verify");
      await mined(d.pool.finalize(roundId));
      const rc = await mined(d.pool.withdraw(roundId, 0, 0));
      const p = claim === null ? 0 : Number(perf(claim, params.baselineBps));
      history.push(p);
      const w = logsOf(d, rc, "Withdrawn")[0].args;
      expect(w.p).to.equal(BigInt(p));
      // a lone submission with P > 0 takes the whole pot
      expect(w.reward).to.equal(p > 0 ? params.rewardTotal : 0n);

      const n = history.length;
      const mean = history.reduce((a, b) => a + b, 0) / n;
      const m2 = history.reduce((a, b) => a + (b - mean) ** 2, 0);
      const sigmaRef = Math.sqrt(m2 / n) * 1e6;
      const st = await d.pool.performanceStats(m0.address);
      expect(st.count).to.equal(BigInt(n));
      expect(Math.abs(Number(st.mean) - mean * 1e6)).to.be.lessThanOrEqual(n); // truncation: < 1 unit per update
      expect(Math.abs(Number(st.m2) - m2 * 1e6)).to.be.lessThanOrEqual(10 * n + 1e-9 * m2 * 1e6);
      const sig = Number(await d.lens.sigma(m0.address));
      expect(Math.abs(sig - sigmaRef)).to.be.lessThanOrEqual(2);
    }
    // σ_p drives backups: a threshold just under σ_p opens slots, just above keeps them closed.
    const n = history.length;
    const mean = history.reduce((a, b) => a + b, 0) / n;
    const sigmaRef = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / n) * 1e6;
    expect(sigmaRef).to.be.greaterThan(1e8); // the chosen history is spread out
    const low = await openRound(d, { sigmaThreshold: BigInt(Math.floor(sigmaRef)) - 100n });
    await mined(d.pool.connect(m0).claim(low.roundId, 0));
    expect(await d.lens.backupsAllowed(low.roundId, 0)).to.equal(true);
    await mined(d.pool.connect(m1).joinAsBackup(low.roundId, 0));
    const high = await openRound(d, { sigmaThreshold: BigInt(Math.ceil(sigmaRef)) + 100n });
    await mined(d.pool.connect(m0).claim(high.roundId, 0));
    expect(await d.lens.backupsAllowed(high.roundId, 0)).to.equal(false);
    await expect(d.pool.connect(m1).joinAsBackup(high.roundId, 0)).to.be.revertedWithCustomError(
      d.pool,
      "PoNASPoolBackupsNotAllowed",
    );
  });

  it("top-K and challenged submissions are always sampled; others follow the seeded draw and may be skipped", async () => {
    const d = await loadFixture(deployPool);
    const rewardTotal = 10n * TOKEN;
    const sampleBps = 100n; // 1 %
    const topK = 3n;
    const slashBps = 2000n;
    const need = minSafeStake(rewardTotal, sampleBps, topK, slashBps); // 10·0.99/(0.01·4·0.8) = 309.375 tokens
    expect(need).to.equal(309_375n * TOKEN / 1000n);
    const base = { rewardTotal, sampleBps, topK, slashBps, minStake: 310n * TOKEN };
    // the stake rule: below the bound, or sampleBps 0 (no sampling at all), is rejected
    const p0 = await roundParams({ ...base, minStake: need - 1n });
    await expect(d.pool.openRound(p0, partition(2).masks, partition(2).values))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
      .withArgs(need - 1n, need);
    const pz = await roundParams({ ...base, sampleBps: 0 });
    await expect(d.pool.openRound(pz, partition(2).masks, partition(2).values))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
      .withArgs(base.minStake, ethers.MaxUint256);
    // the bound grows with the verifiers' share of a slash: at slashBps 50 % the same stake is unsafe
    const need50 = minSafeStake(rewardTotal, sampleBps, topK, 5000n); // 495 tokens
    expect(need50).to.equal(495n * TOKEN);
    const ps = await roundParams({ ...base, slashBps: 5000 });
    await expect(d.pool.openRound(ps, partition(2).masks, partition(2).values))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolUnsafeStake")
      .withArgs(base.minStake, need50);

    await stakeMiners(d, 6, 4000n * TOKEN);
    let unsampledSeen = 0;
    for (let round = 0; round < 3; round++) {
      const { roundId } = await openRound(d, base, partition(2));
      const subs: Sub[] = [];
      for (let t = 0; t < 12; t++) {
        // distinct scores, in a different order every round
        const claim = 9000 + ((t * 7 + round * 5) % 12) * 61 + round;
        subs.push({ miner: d.actors.miners[t % 6], task: t, slot: 0, claim });
      }
      await claimAndCommit(d, roundId, 2, subs);
      await after(d, roundId, "commit");
      // isSampled reverts until the seed is fixed
      await expect(d.lens.isSampled(roundId, 0, 0)).to.be.revertedWithCustomError(d.pool, "PoNASPoolSeedNotFixed");
      const order = [...subs].sort((a, b) => ((a.task * 5 + round) % 12) - ((b.task * 5 + round) % 12));
      for (const s of order) await mined(revealFor(d, s.miner, s.reveal!));
      const expectedTop = [...subs].sort((a, b) => b.claim - a.claim).slice(0, 3);
      const [tt, ts, tsc] = await d.lens.getTopK(roundId);
      expect(tt.map(Number)).to.deep.equal(expectedTop.map((s) => s.task));
      expect(ts.map(Number)).to.deep.equal([0, 0, 0]);
      expect(tsc.map(Number)).to.deep.equal(expectedTop.map((s) => s.claim));
      const lowest = [...subs].sort((a, b) => a.claim - b.claim)[0];
      await mined(d.committee.connect(d.actors.verifiers[1]).challenge(roundId, lowest.task, 0));
      await expect(d.committee.connect(d.actors.verifiers[2]).challenge(roundId, lowest.task, 0)).to.be.revertedWithCustomError(
        d.pool,
        "PoNASPoolAlreadyChallenged",
      );
      await after(d, roundId, "reveal");
      const seed = await fixSeed(d, roundId);
      // the seed comes from the hash of a block mined after the request, itself after revealEnd:
      // unknown while miners committed and revealed, and to whoever sent the request
      const target = await d.randomness.targetOf(d.poolAddress, roundId);
      const targetBlock = (await ethers.provider.getBlock(target))!;
      expect(BigInt(targetBlock.timestamp)).to.be.greaterThan((await d.pool.getRound(roundId)).revealEnd);
      const coder = ethers.AbiCoder.defaultAbiCoder();
      const value = await d.randomness.randomnessOf(d.poolAddress, roundId);
      expect(value).to.equal(ethers.keccak256(coder.encode(["bytes32", "address", "uint256"], [targetBlock.hash, d.poolAddress, roundId])));
      expect(seed).to.equal(seedOf(value, roundId));
      let unsampled: Sub | undefined;
      for (const s of subs) {
        const forced = expectedTop.includes(s) || s === lowest;
        const expected = forced || drawn(seed, roundId, s.task, 0, sampleBps);
        expect(await d.lens.isSampled(roundId, s.task, 0), `task ${s.task}`).to.equal(expected);
        if (forced) expect(await d.lens.isSampled(roundId, s.task, 0)).to.equal(true);
        if (!expected) unsampled ??= s;
      }
      expect(unsampled, "with 1 % sampling some non-top-K task is skipped").to.not.equal(undefined);
      unsampledSeen++;
      // only sampled submissions can be attested (committed)
      const v0 = d.actors.verifiers[0];
      await expect(commitSealed(d, await sealAttestation(d, roundId, { verifier: v0, task: unsampled!.task, slot: 0, score: unsampled!.claim })))
        .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotSampled")
        .withArgs(roundId, BigInt(unsampled!.task), 0n);
      await mined(commitSealed(d, await sealAttestation(d, roundId, { verifier: v0, task: lowest.task, slot: 0, score: lowest.claim })));
      // an unclaimed slot is never sampled
      expect(await d.lens.isSampled(roundId, 0, 1)).to.equal(false);
    }
    expect(unsampledSeen).to.equal(3);
  });

  it("enforces the claim/commit, reveal, verify and finalize windows at their boundaries", async () => {
    const d = await loadFixture(deployPool);
    const [m0, m1, m2] = d.actors.miners;
    const v0 = d.actors.verifiers[0];
    const { roundId } = await openRound(d);
    const p = await d.pool.getRound(roundId);
    const split = (p.commitEnd + p.revealEnd) / 2n; // primaries reveal up to here, backups after it
    const [, , , m3, m4] = d.actors.miners;
    await stakeMiners(d, 5);
    await mined(d.pool.connect(m0).claim(roundId, 0));
    const r = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: genomeIn([0], 3), score: 9800 });
    // task 2: primary m3 never reveals; its backup m4 does
    await mined(d.pool.connect(m3).claim(roundId, 2));
    await mined(d.pool.connect(m4).joinAsBackup(roundId, 2));
    const rb = await commitFor(d, m4, { roundId, task: 2, slot: 1, genome: genomeIn([2], 5), score: 9600 });
    // reveal before the commit window ends, each with its own part of the reveal window
    await expect(revealFor(d, m0, r))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow")
      .withArgs(roundId, p.commitEnd, split);
    await expect(revealFor(d, m4, rb))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow")
      .withArgs(roundId, split, p.revealEnd);
    // claim and join at exactly commitEnd still work (inclusive)
    await time.setNextBlockTimestamp(p.commitEnd);
    await mined(d.pool.connect(m1).claim(roundId, 1));
    // past commitEnd: claim, backup, commit and addTasks close
    await expect(d.pool.connect(m2).claim(roundId, 2))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolClaimWindowClosed")
      .withArgs(roundId, p.commitEnd);
    await expect(d.pool.connect(m2).joinAsBackup(roundId, 0))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolClaimWindowClosed")
      .withArgs(roundId, p.commitEnd);
    await expect(d.pool.connect(m1).commit(roundId, ethers.id("late")))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolClaimWindowClosed")
      .withArgs(roundId, p.commitEnd);
    // an attestation's commit and fixSampleSeed before revealEnd
    const att = (v: HardhatEthersSigner, score: number) => sealAttestation(d, roundId, { verifier: v, task: 0, slot: 0, score });
    await expect(commitSealed(d, await att(v0, 9800)))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInVerifyWindow")
      .withArgs(roundId, p.revealEnd, p.verifyEnd);
    await expect(d.pool.fixSampleSeed(roundId)).to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInVerifyWindow");
    // a primary reveals at exactly backupRevealStart
    await time.setNextBlockTimestamp(split);
    await mined(revealFor(d, m0, r));
    // after it, primaries no longer reveal (m1 committed nothing, but the window check comes first)
    await expect(d.pool.connect(m1).reveal(roundId, 1, 0, genomeIn([1], 0), 9500, ethers.ZeroHash, ethers.ZeroHash))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow")
      .withArgs(roundId, p.commitEnd, split);
    // a backup reveals at exactly revealEnd
    await time.setNextBlockTimestamp(p.revealEnd);
    await mined(revealFor(d, m4, rb));
    // finalize and the committee's fee sweep before verifyEnd
    await expect(d.pool.finalize(roundId))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolVerifyWindowOpen")
      .withArgs(roundId, p.verifyEnd);
    await expect(d.committee.sweepFees(roundId))
      .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeVerifyWindowOpen")
      .withArgs(roundId, p.verifyEnd);
    await expect(d.pool.withdraw(roundId, 0, 0))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotFinalized")
      .withArgs(roundId);
    // after revealEnd: reveal closes for primaries and backups alike (the window check comes first)
    await expect(d.pool.connect(m1).reveal(roundId, 1, 0, genomeIn([1], 0), 9500, ethers.ZeroHash, ethers.ZeroHash))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow")
      .withArgs(roundId, p.commitEnd, split);
    await expect(d.pool.connect(m4).reveal(roundId, 2, 1, genomeIn([2], 0), 9500, ethers.ZeroHash, ethers.ZeroHash))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow")
      .withArgs(roundId, split, p.revealEnd);
    // The verify window's attestation phases (libraries/Windows.sol; the lens's attestPhases):
    // drawn commits in (revealEnd, commitEnd], their reveals in (commitEnd, openEnd], decide from
    // openEnd (a disputed submission after its escalation, which a three-member committee never has).
    const L = p.verifyEnd - p.revealEnd;
    const commitEnd = p.revealEnd + L / 2n;
    const openEnd = p.revealEnd + (L * 5n) / 8n;
    const escalationCommitEnd = p.revealEnd + (L * 7n) / 8n;
    expect(await phases(d, roundId)).to.deep.equal({ commitEnd, revealEnd: openEnd, escalationCommitEnd, escalationRevealEnd: p.revealEnd + (L * 15n) / 16n });
    const [, v1, v2] = d.actors.verifiers;
    // top-K: m0's submission is sampled; a commit waits for the seed (fixSampleSeed requests and fixes it)
    const s0 = await att(v0, 9800);
    await expect(commitSealed(d, s0)).to.be.revertedWithCustomError(d.committee, "VerifierCommitteeSeedPending");
    await fixSeed(d, roundId);
    await mined(commitSealed(d, s0));
    // no reveal in the commit phase, even at its last second; a commit at exactly commitEnd works
    await time.setNextBlockTimestamp(commitEnd);
    await expect(revealAttestation(d, s0))
      .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeNotInPhase")
      .withArgs(roundId, commitEnd, openEnd);
    const s1 = await att(v1, 9800);
    await mined(commitSealed(d, s1));
    // after it: commits close and reveals open
    await time.setNextBlockTimestamp(commitEnd + 1n);
    await expect(commitSealed(d, await att(v2, 9800)))
      .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeNotInPhase")
      .withArgs(roundId, openEnd, escalationCommitEnd);
    await mined(revealAttestation(d, s0));
    // no decide while reveals are open; a reveal at exactly their end works, and as the last
    // committer's it judges at once: two reveals of quorum 3 and nobody left to draw, no verdict
    await time.setNextBlockTimestamp(openEnd);
    await expect(d.committee.decide(roundId, 0, 0))
      .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeNotInPhase")
      .withArgs(roundId, openEnd, p.verifyEnd);
    const drc = await mined(revealAttestation(d, s1));
    expect(logsOf(d, drc, "Undecided").map((e) => [e.args.task, e.args.revealed, e.args.quorum])).to.deep.equal([[0n, 2n, 3n]]);
    expect(await d.committee.isDecided(roundId, 0, 0)).to.equal(true);
    // after verifyEnd: commits, decide and challenge close; finalize opens
    await time.increaseTo(p.verifyEnd + 1n);
    await expect(commitSealed(d, await att(v2, 9800)))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInVerifyWindow")
      .withArgs(roundId, p.revealEnd, p.verifyEnd);
    await expect(d.committee.decide(roundId, 0, 0))
      .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeNotInPhase")
      .withArgs(roundId, openEnd, p.verifyEnd);
    await expect(d.committee.connect(v0).challenge(roundId, 0, 0))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolChallengeWindowClosed")
      .withArgs(roundId, p.revealEnd + L / 4n);
    // the committee's unspent fee budget can be swept once verifyEnd has passed, like finalize
    await mined(d.committee.sweepFees(roundId));
    await fixSeed(d, roundId); // the commits requested (and fixed) it
    await mined(d.pool.finalize(roundId));
    await expect(d.pool.finalize(roundId)).to.be.revertedWithCustomError(d.pool, "PoNASPoolAlreadyFinalized");
    expect((await d.pool.getRoundState(roundId)).finalized).to.equal(true);
  });

  it("a sampled submission without quorum by verify end is paid nothing, not slashed, stake released; its share is swept", async () => {
    const d = await loadFixture(deployPool);
    const [m0, m1, m2] = d.actors.miners;
    const { roundId, params } = await openRound(d, { rewardTotal: 999n * TOKEN + 1n });
    const baseline = BigInt(params.baselineBps);
    const pot = params.rewardTotal;
    await stakeMiners(d, 3);
    const subs: Sub[] = [
      { miner: m0, task: 0, slot: 0, claim: 9800 },
      { miner: m1, task: 1, slot: 0, claim: 9300 },
      { miner: m2, task: 2, slot: 0, claim: 9500 },
    ];
    await claimAndCommit(d, roundId, 1, subs);
    await after(d, roundId, "commit");
    for (const s of subs) await mined(revealFor(d, s.miner, s.reveal!));
    await after(d, roundId, "reveal");
    await fixSeed(d, roundId);
    for (const s of subs) expect(await d.lens.isSampled(roundId, s.task, 0)).to.equal(true); // all in top-3
    const judged = await verifyAll(d, roundId, [
      { task: 0, slot: 0, scores: [9800, 9800] }, // 2 of quorum 3: two attestations decide nothing
      { task: 1, slot: 0, scores: [9300, 9300, 9300] },
      { task: 2, slot: 0, scores: [9500, 9500, 9500] },
    ]);
    for (const rc of judged[0]) expect(logsOf(d, rc, "Verified")).to.have.length(0);
    // both committers revealed and a three-member committee has nobody left to draw, so the last
    // reveal judges it at once: no verdict, no fee, and no penalty (both revealed)
    const drc = judged[0][judged[0].length - 1];
    expect(logsOf(d, drc, "Undecided").map((e) => [e.args.task, e.args.slot, e.args.revealed, e.args.quorum])).to.deep.equal([[0n, 0n, 2n, 3n]]);
    for (const name of ["Verified", "FeePaid", "Penalised"]) expect(logsOf(d, drc, name), name).to.have.length(0);
    await toAttestDecide(d, roundId);
    await expect(d.committee.decide(roundId, 0, 0))
      .to.be.revertedWithCustomError(d.committee, "VerifierCommitteeAlreadyDecided")
      .withArgs(roundId, 0n, 0n);
    await expect(d.committee.decide(roundId, 1, 0)).to.be.revertedWithCustomError(d.committee, "VerifierCommitteeAlreadyDecided"); // by its last reveal
    expect((await d.pool.getSubmission(roundId, 0, 0)).flags & 2n).to.equal(0n); // not VERIFIED
    const feesSpent = 6n * params.verifierFee;
    await after(d, roundId, "verify");
    await mined(d.pool.finalize(roundId));
    expect(await feesSpentOf(d, roundId)).to.equal(feesSpent); // the attestations short of quorum are not paid
    expect((await d.committee.roundFees(roundId)).penalties).to.equal(0n);
    const [P0, P1, P2] = subs.map((s) => perf(s.claim, baseline));
    const sumP = P0 + P1 + P2; // the unverified P stays in ΣP: the others are not paid more
    expect((await d.pool.getRoundState(roundId)).sumP).to.equal(sumP);

    const r1 = share(P1, pot, sumP);
    const w1 = logsOf(d, await mined(d.pool.withdraw(roundId, 1, 0)), "Withdrawn")[0].args;
    expect(w1.reward).to.equal(r1);
    // the treasury may take only what the still-unsettled submissions cannot claim
    const held1 = pot - r1; // the pool's part: the fee budget is the committee's
    expect(await d.lens.sweepable(roundId)).to.equal(held1 - ceilDiv((P0 + P2) * pot, sumP));

    const bal0 = (await d.pool.minerAccount(m0.address)).balance;
    const tok0 = await d.token.balanceOf(m0.address);
    const rc0 = await mined(d.pool.withdraw(roundId, 0, 0));
    const w0 = logsOf(d, rc0, "Withdrawn")[0].args;
    expect([w0.p, w0.reward, w0.stakeReleased, w0.unverified]).to.deep.equal([P0, 0n, params.minStake, true]);
    expect(logsOf(d, rc0, "Slashed")).to.have.length(0);
    expect(await d.token.balanceOf(m0.address)).to.equal(tok0);
    const acct0 = await d.pool.minerAccount(m0.address);
    expect([acct0.balance, acct0.locked]).to.deep.equal([bal0, 0n]);
    // m0's share is now provably surplus
    expect(await d.lens.sweepable(roundId)).to.equal(held1 - ceilDiv(P2 * pot, sumP));

    const r2 = share(P2, pot, sumP);
    const w2 = logsOf(d, await mined(d.pool.withdraw(roundId, 2, 0)), "Withdrawn")[0].args;
    expect(w2.reward).to.equal(r2);
    const want = pot - r1 - r2;
    expect(want).to.be.greaterThanOrEqual(share(P0, pot, sumP));
    await sweepRest(d, roundId, { pool: want, fees: params.feeBudget - feesSpent });
    expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
    await expectConserved(d);
  });

  it("a round where nobody reveals: finalize works, the treasury gets rewardTotal + feeBudget, claimed stakes are released", async () => {
    const d = await loadFixture(deployPool);
    const [m0, m1] = d.actors.miners;
    const rewardTotal = 777n * TOKEN + 3n;
    const feeBudget = 13n * TOKEN;
    const { roundId, params } = await openRound(d, { rewardTotal, feeBudget });
    await stakeMiners(d, 2);
    await mined(d.pool.connect(m0).claim(roundId, 0));
    await mined(d.pool.connect(m1).claim(roundId, 1));
    await commitFor(d, m1, { roundId, task: 1, slot: 0, genome: genomeIn([1], 0), score: 9500 }); // never revealed
    // and an empty round next to it
    const empty = await openRound(d, { rewardTotal: 5n * TOKEN, feeBudget: 0n });
    await after(d, empty.roundId, "verify");
    for (const r of [roundId, empty.roundId]) {
      await fixSeed(d, r); // finalize needs the seed even with nothing to sample
      const fin = logsOf(d, await mined(d.pool.finalize(r)), "RoundFinalized")[0].args;
      expect(fin.sumP).to.equal(0n);
      expect(await feesSpentOf(d, r)).to.equal(0n);
    }
    const tBefore = await d.token.balanceOf(d.actors.treasury.address);
    await sweepRest(d, roundId, { pool: rewardTotal, fees: feeBudget });
    await sweepRest(d, empty.roundId, { pool: 5n * TOKEN, fees: 0n }); // no fee budget: nothing to sweep there
    expect((await d.token.balanceOf(d.actors.treasury.address)) - tBefore).to.equal(rewardTotal + feeBudget + 5n * TOKEN);
    for (const [m, task] of [
      [m0, 0],
      [m1, 1],
    ] as const) {
      expect((await d.pool.minerAccount(m.address)).locked).to.equal(params.minStake);
      const w = logsOf(d, await mined(d.pool.withdraw(roundId, task, 0)), "Withdrawn")[0].args;
      expect([w.p, w.reward, w.stakeReleased]).to.deep.equal([0n, 0n, params.minStake]);
      expect(await account(d, m.address)).to.deep.equal([STAKE, 0n, roundId, 1n]);
      await mined(d.pool.connect(m).unstake(STAKE)); // everything is free again
    }
    await expect(d.pool.withdraw(roundId, 2, 0))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNoSubmission")
      .withArgs(roundId, 2n, 0n);
    await expect(d.pool.sweep(roundId)).to.be.revertedWithCustomError(d.pool, "PoNASPoolNothingToSweep");
    expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
    expect(await roundHeld(d, empty.roundId)).to.deep.equal(EMPTY);
    await expectConserved(d);
  });

  it("rejects double withdrawal and unstaking locked stake; pause stops claim/commit/reveal (unpause gives the time back) but not withdraw/unstake", async () => {
    const d = await loadFixture(deployPool);
    const [m0, m1, m2] = d.actors.miners;
    const { admin } = d.actors;
    const { roundId, params } = await openRound(d);
    const minStake = params.minStake;
    await mined(d.pool.connect(m0).stake(minStake + 10n));
    await mined(d.pool.connect(m1).stake(STAKE));
    await mined(d.pool.connect(m0).claim(roundId, 0));
    await expect(d.pool.connect(m0).unstake(11n))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolInsufficientFreeStake")
      .withArgs(m0.address, 10n, 11n);
    await mined(d.pool.connect(m0).unstake(10n)); // the free part is fine
    await expect(d.pool.connect(m0).claim(roundId, 1))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolInsufficientFreeStake")
      .withArgs(m0.address, 0n, minStake);
    const r0 = await commitFor(d, m0, { roundId, task: 0, slot: 0, genome: genomeIn([0], 1), score: 9600 });

    const pauseRc = await mined(d.pool.connect(admin).pause());
    await expect(d.pool.connect(m1).claim(roundId, 1)).to.be.revertedWithCustomError(d.pool, "EnforcedPause");
    await expect(d.pool.connect(m1).joinAsBackup(roundId, 0)).to.be.revertedWithCustomError(d.pool, "EnforcedPause");
    await expect(d.pool.connect(m1).commit(roundId, ethers.id("x"))).to.be.revertedWithCustomError(d.pool, "EnforcedPause");
    await mined(d.pool.connect(m1).unstake(1n)); // unstake works while paused
    await after(d, roundId, "commit");
    await expect(revealFor(d, m0, r0)).to.be.revertedWithCustomError(d.pool, "EnforcedPause");
    const unpauseRc = await mined(d.pool.connect(admin).unpause());
    // unpause moves every window end that had not passed when the pause began later by the
    // pause's length: here all three (the pause began inside the commit window)
    const by = (await stamp(unpauseRc)) - (await stamp(pauseRc));
    expect(by).to.be.greaterThan(BigInt(DEFAULT_TIMING.commit) / 2n);
    expect(logsOf(d, unpauseRc, "WindowsExtended").map((e) => [e.args.roundId, e.args.by])).to.deep.equal([[roundId, by]]);
    const moved = await d.pool.getRound(roundId);
    expect([moved.commitEnd, moved.revealEnd, moved.verifyEnd]).to.deep.equal([
      params.commitEnd + by,
      params.revealEnd + by,
      params.verifyEnd + by,
    ]);
    // so the commit window is open again, and the reveal comes after it as before
    await expect(revealFor(d, m0, r0))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolNotInRevealWindow")
      .withArgs(roundId, moved.commitEnd, (moved.commitEnd + moved.revealEnd) / 2n);
    await after(d, roundId, "commit");
    await mined(revealFor(d, m0, r0));
    await after(d, roundId, "reveal");
    // the seed is requested before the next pause (a pause stops new requests, not their fulfilment)
    await mined(d.pool.fixSampleSeed(roundId));
    expect(await d.randomness.requested(d.poolAddress, roundId)).to.equal(true);
    await mined(d.pool.connect(admin).pause());
    // verification, finalisation, withdrawal and sweeping keep working while paused
    await verifyAll(d, roundId, [{ task: 0, slot: 0, scores: [9600, 9600, 9600] }]);
    await after(d, roundId, "verify");
    await fixSeed(d, roundId); // fulfilling the request works while paused
    await mined(d.pool.finalize(roundId));
    const before = await d.token.balanceOf(m0.address);
    const w = logsOf(d, await mined(d.pool.withdraw(roundId, 0, 0)), "Withdrawn")[0].args;
    expect(w.reward).to.equal(params.rewardTotal); // the only submission takes the whole pot
    expect((await d.token.balanceOf(m0.address)) - before).to.equal(params.rewardTotal);
    await expect(d.pool.withdraw(roundId, 0, 0))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolAlreadySettled")
      .withArgs(roundId, 0n, 0n);
    // the whole pot was paid: the pool has nothing to sweep; the committee's unspent fees are swept while paused
    await sweepRest(d, roundId, { pool: 0n, fees: params.feeBudget - 3n * params.verifierFee });
    await mined(d.pool.connect(m0).unstake(minStake)); // released, and unstake works while paused
    expect((await d.pool.minerAccount(m0.address)).balance).to.equal(0n);
    await expect(d.pool.connect(m0).unstake(1n))
      .to.be.revertedWithCustomError(d.pool, "PoNASPoolInsufficientFreeStake")
      .withArgs(m0.address, 0n, 1n);
    await expect(d.pool.connect(m2).unpause()).to.be.revertedWithCustomError(d.pool, "AccessControlUnauthorizedAccount");
    await expectConserved(d);
  });

  it("every payout can be recomputed from the emitted events alone", async () => {
    const d = await loadFixture(deployPool);
    const [m0, m1, m2, m3, m4, m5] = d.actors.miners;
    const { verifiers } = d.actors;
    // noShowBps 10 %: the no-show primary pays a fee to the treasury (NoShowFined)
    const { roundId } = await openRound(d, { rewardTotal: 987n * TOKEN + 567n, noShowBps: 1000 }, partition(2));
    await stakeMiners(d, 6);
    const subs: Sub[] = [
      { miner: m0, task: 0, slot: 0, claim: 9950 }, // top-K cheater (truth 9400) → slashed
      { miner: m1, task: 1, slot: 0, claim: 9600 }, // no-show primary → fined
      { miner: m2, task: 1, slot: 1, claim: 9350 }, // its backup, counts
      { miner: m3, task: 5, slot: 0, claim: 9700 }, // top-K, its only attestation never revealed → unverified
      { miner: m4, task: 7, slot: 0, claim: 9650 }, // top-K honest, verified below its claim → paid below the median
      { miner: m5, task: 10, slot: 0, claim: 9111 }, // challenged, honest
    ];
    await claimAndCommit(d, roundId, 2, subs, (s) => s.miner !== m1);
    await after(d, roundId, "commit");
    for (const s of subs) if (s.reveal && s.slot === 0) await mined(revealFor(d, s.miner, s.reveal));
    await afterPrimaryReveals(d, roundId);
    for (const s of subs) if (s.reveal && s.slot !== 0) await mined(revealFor(d, s.miner, s.reveal));
    await mined(d.committee.connect(verifiers[2]).challenge(roundId, 10, 0));
    await after(d, roundId, "reveal");
    // every commit first (the commit phase closes before any reveal)
    const sealed = [
      ...(await commitAttestations(d, roundId, byVerifiers(verifiers, 0, 0, [9400, 9420, 9410]))),
      ...(await commitAttestations(d, roundId, byVerifiers(verifiers, 7, 0, [9640, 9600, 9620]))),
      ...(await commitAttestations(d, roundId, byVerifiers(verifiers, 10, 0, [9111, 9111, 9111]))),
    ];
    await commitAttestations(d, roundId, byVerifiers(verifiers, 5, 0, [9700])); // v0 never reveals it
    // the first commit requested the seed, a later one (past the target block) fixed it
    expect((await d.pool.getRoundState(roundId)).seed).to.not.equal(ethers.ZeroHash);
    if (await d.lens.isSampled(roundId, 1, 1)) sealed.push(...(await commitAttestations(d, roundId, byVerifiers(verifiers, 1, 1, [9350, 9360, 9355]))));
    await toAttestReveals(d, roundId);
    await revealAttestations(d, sealed); // each submission is judged at its last reveal
    // m3's submission is judged after the reveal phase: no verdict, and v0 loses the penalty
    await toAttestDecide(d, roundId);
    await mined(d.committee.connect(m0).decide(roundId, 5, 0));
    await after(d, roundId, "verify");
    await mined(d.pool.finalize(roundId));
    // m4 settles to stake (credited, not transferred); the others withdraw
    const m4Before = (await d.pool.minerAccount(m4.address)).balance;
    for (const s of subs) {
      await mined(s.miner === m4 ? d.pool.settle(roundId, s.task, s.slot) : d.pool.withdraw(roundId, s.task, s.slot));
    }
    await mined(d.pool.sweep(roundId));
    await mined(d.committee.sweepFees(roundId));

    // ---- audit from logs only (the pool's and the committee's) ----
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const f = d.pool.filters as any;
    const q = async (name: string) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (await d.pool.queryFilter(f[name](roundId), 0, "latest")) as any[];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const cf = d.committee.filters as any;
    const qc = async (name: string) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (await d.committee.queryFilter(cf[name](roundId), 0, "latest")) as any[];
    const opened = await q("RoundOpened");
    const slashes = await q("Slashed");
    const finals = await q("RoundFinalized");
    const withdrawals = await q("Withdrawn");
    const reveals = await q("Revealed");
    const verifs = await q("Verified");
    const actives = await q("ActiveChanged");
    const fines = await q("NoShowFined");
    expect(opened).to.have.length(1);
    expect(finals).to.have.length(1);
    expect(slashes).to.have.length(1);
    expect(withdrawals).to.have.length(subs.length);
    // the pot is the round's rewardTotal; slashes (less the verifiers' share) and no-show fees are the treasury's
    const pot = opened[0].args.params.rewardTotal;
    expect(finals[0].args.pot).to.equal(pot);
    const minStake = BigInt(opened[0].args.params.minStake);
    const noShowBps = BigInt(opened[0].args.params.noShowBps);
    expect(fines.map((e) => [e.args.task, e.args.slot, e.args.miner, e.args.amount])).to.deep.equal([
      [1n, 0n, m1.address, (minStake * noShowBps) / BPS],
    ]);
    const forfeited = slashes.reduce((a, e) => a + e.args.toTreasury, 0n) + fines.reduce((a, e) => a + e.args.amount, 0n);
    expect(slashes[0].args.toVerifiers + slashes[0].args.toTreasury).to.equal(slashes[0].args.amount);
    const sumP = finals[0].args.sumP;
    // Which submission counts for each task: the last ActiveChanged, else a primary revealed with
    // P > 0 (a primary's reveal on a task with nothing counting emits no ActiveChanged; P = 0 never counts).
    const key = (t: bigint, s: bigint) => `${t}:${s}`;
    const activeSlot = new Map<bigint, bigint>();
    for (const e of reveals) if (e.args.slot === 0n && e.args.p > 0n) activeSlot.set(e.args.task, 0n);
    for (const e of actives) activeSlot.set(e.args.task, e.args.slot);
    // each submission's P: Revealed, then Verified if it was verified
    const pOf = new Map<string, bigint>();
    for (const e of reveals) pOf.set(key(e.args.task, e.args.slot), e.args.p);
    for (const e of verifs) pOf.set(key(e.args.task, e.args.slot), e.args.p);
    const sumFromLogs = [...activeSlot.entries()].reduce((a, [t, sl]) => a + (pOf.get(key(t, sl)) ?? 0n), 0n);
    expect(sumFromLogs).to.equal(sumP);
    let sumCounted = 0n;
    let paid = 0n;
    for (const w of withdrawals) {
      const counts = activeSlot.get(w.args.task) === w.args.slot;
      const p = counts ? pOf.get(key(w.args.task, w.args.slot))! : 0n;
      expect(w.args.p, `P of ${w.args.task}:${w.args.slot}`).to.equal(p);
      sumCounted += p;
      const expected = w.args.unverified ? 0n : (w.args.p * pot) / sumP;
      expect(w.args.reward, `reward of ${w.args.task}:${w.args.slot}`).to.equal(expected);
      paid += w.args.reward;
    }
    expect(sumCounted).to.equal(sumP);
    expect(withdrawals.filter((w) => w.args.unverified).map((w) => w.args.miner)).to.deep.equal([m3.address]);
    expect(withdrawals.filter((w) => w.args.reward > 0n).length).to.equal(3); // m2, m4, m5
    const m4Reward = withdrawals.find((w) => w.args.miner === m4.address).args.reward;
    expect((await d.pool.minerAccount(m4.address)).balance - m4Before).to.equal(m4Reward);
    // m4 claimed 9650 and was verified at 9620: paid on 9620 − ceil(30·(1 − p)/p), here its Verified P
    const sampleBps = opened[0].args.params.sampleBps;
    const m4Verified = verifs.find((e) => e.args.task === 7n)!.args;
    expect(m4Verified.p).to.equal(perf(paidScore(9650, m4Verified.medianBps, sampleBps), opened[0].args.params.baselineBps));
    const swept = (await q("Swept")).reduce((a, e) => a + e.args.amount, 0n);
    // the pool's pot went to miners and the treasury, and the forfeits to the treasury
    expect(paid + swept).to.equal(pot + forfeited);
    // the committee's fee budget: funded at open, paid at each judgement to the winners that proved
    // their work (FeePaid), the rest swept to the treasury with the penalties the round collected
    const funded = await qc("FeeBudgetFunded");
    expect(funded.map((e) => e.args.amount)).to.deep.equal([opened[0].args.params.feeBudget]);
    const feesPaid = (await qc("FeePaid")).reduce((a, e) => a + e.args.fee, 0n);
    const penalised = await qc("Penalised");
    const penalties = penalised.reduce((a, e) => a + e.args.amount, 0n);
    const feesSwept = (await qc("FeesSwept")).reduce((a, e) => a + e.args.amount, 0n);
    expect(feesPaid).to.be.greaterThan(0n);
    expect(feesSwept).to.be.greaterThan(0n);
    expect(penalised.map((e) => [e.args.task, e.args.verifier, e.args.amount])).to.deep.equal([[5n, verifiers[0].address, await d.committee.penalty()]]);
    expect((await qc("Undecided")).map((e) => [e.args.task, e.args.slot, e.args.revealed, e.args.quorum])).to.deep.equal([[5n, 0n, 0n, 3n]]);
    expect(feesPaid + feesSwept).to.equal(funded[0].args.amount + penalties);
    // every revealed attestation is an Attested event with the digest sealed with it
    for (const e of await qc("Attested")) expect(e.args.weightsDigest).to.equal(trueDigest(roundId, Number(e.args.task), Number(e.args.slot)));
    // the slash's share for verifiers is exactly what the committee credited
    const credited = (await qc("SlashShareCredited")).reduce((a, e) => a + e.args.amount, 0n);
    expect(credited).to.equal(slashes[0].args.toVerifiers);
    expect(await roundHeld(d, roundId)).to.deep.equal(EMPTY);
    await expectConserved(d);
  });
});

