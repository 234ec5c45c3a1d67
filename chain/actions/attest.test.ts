// Sealed attestations through chain/ on a real hardhat node: the seal computed here is the
// committee's attestationSeal, the phases are the lens's, each call is refused by name outside
// its phase, a member the round did not draw is refused until a dispute escalates the
// submission, and readRoundDetail shows a slot's commitments (drawn and escalation), then its
// reveals, fees and penalties, and whether it was decided.
import { expect } from "chai";
import { keccak256, stringToHex, type Hex } from "viem";
import { genomeAt } from "../../nas/index.js";
import type { PoolConnection } from "../connect.js";
import { explainError } from "../errors.js";
import { DEV_KEYS, enterWindow, fund, openTestRound, startTestChain, TOKEN, type TestChain, type TestRound } from "../testing.js";
import { attestationSeal, attestPhaseAt, commitAttestation, decideAttestations, randomSalt, readAttestations, readAttestPhases, readIsDrawn, readIsEscalated, revealAttestation, ZERO_DIGEST, type AttestationSecret } from "./attest.js";
import { fixSeed } from "./finalize.js";
import { sealFor } from "../seals.js";
import { readRound, readRoundDetail } from "./readRound.js";
import { sendCommittee, sendPool, sendToken } from "./send.js";

describe("sealed attestations (chain/actions/attest.ts)", function () {
  this.timeout(180_000);
  let t: TestChain;
  let m: PoolConnection;
  let vs: PoolConnection[];
  let round: TestRound;
  const DIGEST: Hex = keccak256(stringToHex("trained weights"));

  before(async () => {
    t = await startTestChain("attest");
    m = await t.connect(DEV_KEYS[4]);
    await fund(t.admin, m.account!.address, 100n * TOKEN);
    await sendToken(m, "approve", [m.pool, 100n * TOKEN]);
    await sendPool(m, "stake", [100n * TOKEN]);
    const min = await t.admin.committeeContract.read.minVerifierStake();
    vs = [];
    for (const k of DEV_KEYS.slice(5, 9)) {
      const v = await t.connect(k);
      await fund(t.admin, v.account!.address, min);
      await sendCommittee(t.admin, "setVerifier", [v.account!.address, true]);
      await sendToken(v, "approve", [v.committee, min]);
      await sendCommittee(v, "stakeVerifier", [min]);
      vs.push(v);
    }
    round = await openTestRound(t.admin, { tasks: 2 });
    const genome = genomeAt(round.space, round.tasks[0], 0);
    const salt = keccak256(stringToHex("attest-test"));
    await sendPool(m, "claim", [round.roundId, 0n]);
    await sendPool(m, "commit", [round.roundId, await m.poolContract.read.computeCommitment([round.roundId, 0n, m.account!.address, genome, 9000, salt])]);
    await enterWindow(t.admin, round, "reveal");
    // the miner seals the digest the honest re-trainings below agree on (it trained; the score is what it inflated)
    await sendPool(m, "reveal", [round.roundId, 0n, 0n, genome, 9000, salt, sealFor(m, round.roundId, 0n, DIGEST)]);
  });
  after(() => t?.stop());

  const secret = (v: PoolConnection, scoreBps: number, weightsDigest: Hex = DIGEST): AttestationSecret => ({ roundId: round.roundId, task: 0n, slot: 0n, verifier: v.account!.address, scoreBps, weightsDigest, salt: randomSalt() });

  it("computes the committee's attestationSeal locally, and reads the phases from the lens", async () => {
    const a = secret(vs[0], 7123);
    const onChain = await t.admin.committeeContract.read.attestationSeal([a.roundId, a.task, a.slot, a.verifier, a.scoreBps, a.weightsDigest, a.salt]);
    expect(attestationSeal(t.admin.chain.id, t.admin.committee, a)).to.equal(onChain);
    expect(attestationSeal(t.admin.chain.id, t.admin.committee, { ...a, salt: randomSalt() })).not.to.equal(onChain);
    const p = await readAttestPhases(t.admin, round.roundId);
    const w = { revealEnd: round.params.revealEnd, verifyEnd: round.params.verifyEnd };
    expect(w.revealEnd < p.commitEnd && p.challengeEnd < p.commitEnd && p.commitEnd < p.revealEnd && p.revealEnd < p.escalationCommitEnd).to.equal(true);
    expect(p.escalationCommitEnd < p.escalationRevealEnd && p.escalationRevealEnd < w.verifyEnd).to.equal(true);
    const at = [w.revealEnd, w.revealEnd + 1, p.commitEnd, p.commitEnd + 1, p.revealEnd, p.revealEnd + 1, p.escalationCommitEnd, p.escalationCommitEnd + 1, p.escalationRevealEnd, p.escalationRevealEnd + 1, w.verifyEnd, w.verifyEnd + 1];
    expect(at.map((n) => attestPhaseAt(n, w, p))).to.deep.equal([
      "before", "commit", "commit", "reveal", "reveal", "escalation", "escalation", "escalation-reveal", "escalation-reveal", "decide", "decide", "after",
    ]);
  });

  it("commit → reveal → escalation → decide: each refused by name outside its phase, and the slot's attestations in readRoundDetail", async () => {
    await enterWindow(t.admin, round, "verify");
    await fixSeed(t.admin, round.roundId);
    // four members, quorum 3: the round draws three; two of them agree on 7000 with the digest,
    // the third echoes the claim, score only, and then never reveals; the fourth joins the dispute
    const drawnFlags = await Promise.all(vs.map((v) => readIsDrawn(t.admin, round.roundId, 0n, 0n, v.account!.address)));
    const drawn = vs.filter((_, i) => drawnFlags[i]);
    const [undrawn] = vs.filter((_, i) => !drawnFlags[i]);
    expect(drawn.length).to.equal(3);
    const sealed = [secret(drawn[0], 7000), secret(drawn[1], 7010), secret(drawn[2], 9000, ZERO_DIGEST)];
    const late = secret(undrawn, 6990);
    expect(explainError(await revealAttestation(drawn[0], sealed[0]).catch((e: unknown) => e))).to.match(/has no sealed, unrevealed attestation .*\(VerifierCommitteeNotCommitted\)$/);
    expect(explainError(await commitAttestation(undrawn, late).catch((e: unknown) => e))).to.match(/did not draw .*\(VerifierCommitteeNotDrawn\)$/);
    for (const [i, a] of sealed.entries()) await commitAttestation(drawn[i], a);
    const early = await revealAttestation(drawn[0], sealed[0]).catch((e: unknown) => e);
    expect(explainError(early)).to.match(/^this attestation step of round \d+ is open only after .* \(VerifierCommitteeNotInPhase\)$/);
    expect(explainError(await commitAttestation(drawn[0], sealed[0]).catch((e: unknown) => e))).to.match(/already committed an attestation .*\(VerifierCommitteeAlreadyAttested\)$/);
    expect(explainError(await decideAttestations(t.admin, round.roundId, 0n, 0n).catch((e: unknown) => e))).to.match(/\(VerifierCommitteeNotInPhase\)$/);

    let r = await readRoundDetail(t.admin, round.roundId);
    expect(r.attestPhase).to.equal("commit");
    let slot = r.tasks[0].slots[0];
    expect(slot.attestations.map((a) => [a.verifier, a.state, a.scoreBps, a.escalation])).to.deep.equal(drawn.map((v) => [v.account!.address, "committed", null, false]));
    expect(slot.attestations.every((a) => a.committedAt !== null && a.committedAt > round.params.revealEnd)).to.equal(true);
    expect(slot.decided).to.equal(false);

    await enterWindow(t.admin, round, "attest-reveal");
    expect(explainError(await commitAttestation(undrawn, late).catch((e: unknown) => e))).to.match(/\(VerifierCommitteeNotInPhase\)$/);
    expect(explainError(await revealAttestation(drawn[0], { ...sealed[0], scoreBps: 7001 }).catch((e: unknown) => e))).to.match(/do not open its sealed commitment; reveal exactly what was sealed, with the saved salt \(VerifierCommitteeSealMismatch\)$/);
    for (const i of [0, 1]) await revealAttestation(drawn[i], sealed[i]);
    expect(explainError(await revealAttestation(drawn[0], sealed[0]).catch((e: unknown) => e))).to.match(/\(VerifierCommitteeNotCommitted\)$/);
    const { list, decided } = await readAttestations(t.admin, round.roundId, 0n, 0n);
    expect(list.map((a) => [a.state, a.seal])).to.deep.equal([[2, DIGEST], [2, DIGEST], [1, attestationSeal(t.admin.chain.id, t.admin.committee, sealed[2])]]);
    expect(decided).to.equal(false); // the third has not revealed: nothing is decided before the reveal phase ends

    // two reveals of quorum 3: disputed, so decide waits and the member not drawn may join
    await enterWindow(t.admin, round, "attest-decide");
    expect((await readRound(t.admin, round.roundId)).attestPhase).to.equal("escalation");
    expect(await readIsEscalated(t.admin, round.roundId, 0n, 0n)).to.equal(true);
    expect(explainError(await decideAttestations(t.admin, round.roundId, 0n, 0n).catch((e: unknown) => e))).to.match(/is disputed and its escalation is open until .*\(VerifierCommitteeEscalated\)$/);
    expect(explainError(await commitAttestation(drawn[2], { ...sealed[2], salt: randomSalt() }).catch((e: unknown) => e))).to.match(/\(VerifierCommitteeAlreadyAttested\)$/);
    await commitAttestation(undrawn, late);
    await enterWindow(t.admin, round, "escalation-reveal");
    await revealAttestation(undrawn, late); // the last escalation seal: it decides
    expect(explainError(await decideAttestations(t.admin, round.roundId, 0n, 0n).catch((e: unknown) => e))).to.match(/was already decided \(VerifierCommitteeAlreadyDecided\)$/);
    r = await readRoundDetail(t.admin, round.roundId);
    slot = r.tasks[0].slots[0];
    expect([slot.decided, slot.undecided, slot.finalBps, slot.fraud]).to.deep.equal([true, false, 7000, true]); // claimed 9000: fraud
    const fee = round.params.verifierFee;
    const penalty = await t.admin.committeeContract.read.penalty();
    expect(slot.attestations.map((a) => [a.state, a.scoreBps, a.weightsDigest, a.fee, a.penalty, a.escalation])).to.deep.equal([
      ["revealed", 7000, DIGEST, fee, null, false],
      ["revealed", 7010, DIGEST, fee, null, false],
      ["committed", null, null, null, penalty, false],
      ["revealed", 6990, DIGEST, fee, null, true],
    ]);
    expect(slot.attestations.filter((a) => a.state === "revealed").every((a) => (a.slashShare ?? 0n) > 0n && a.revealedAt !== null)).to.equal(true);
  });
});
