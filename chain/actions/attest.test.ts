// Sealed attestations through chain/ on a real hardhat node: the seal computed here is the
// committee's attestationSeal, the phases are the lens's, each of the three calls is refused by
// name outside its phase, and readRoundDetail shows a slot's commitments, then its reveals, fees
// and penalties, and whether it was decided.
import { expect } from "chai";
import { keccak256, stringToHex, type Hex } from "viem";
import { genomeAt } from "../../nas/index.js";
import type { PoolConnection } from "../connect.js";
import { explainError } from "../errors.js";
import { DEV_KEYS, enterWindow, fund, openTestRound, startTestChain, TOKEN, type TestChain, type TestRound } from "../testing.js";
import { attestationSeal, attestPhaseAt, commitAttestation, decideAttestations, randomSalt, readAttestations, readAttestPhases, revealAttestation, ZERO_DIGEST, type AttestationSecret } from "./attest.js";
import { fixSeed } from "./finalize.js";
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
    await sendPool(m, "reveal", [round.roundId, 0n, 0n, genome, 9000, salt]);
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
    expect(w.revealEnd < p.commitEnd && p.challengeEnd < p.commitEnd && p.commitEnd < p.revealEnd && p.revealEnd < w.verifyEnd).to.equal(true);
    expect([w.revealEnd, w.revealEnd + 1, p.commitEnd, p.commitEnd + 1, p.revealEnd, p.revealEnd + 1, w.verifyEnd, w.verifyEnd + 1].map((n) => attestPhaseAt(n, w, p))).to.deep.equal([
      "before", "commit", "commit", "reveal", "reveal", "decide", "decide", "after",
    ]);
  });

  it("commit → reveal → decide: each refused by name outside its phase, and the slot's attestations in readRoundDetail", async () => {
    await enterWindow(t.admin, round, "verify");
    await fixSeed(t.admin, round.roundId);
    // three agree on 7000 and the digest; the fourth echoes the claim, score only, and then never reveals
    const sealed = [secret(vs[0], 7000), secret(vs[1], 7010), secret(vs[2], 6990), secret(vs[3], 9000, ZERO_DIGEST)];
    const early = await revealAttestation(vs[0], sealed[0]).catch((e: unknown) => e);
    expect(explainError(early)).to.match(/^this attestation step of round \d+ is open only after .* \(VerifierCommitteeNotInPhase\)$/);
    for (const [i, a] of sealed.entries()) await commitAttestation(vs[i], a);
    expect(explainError(await commitAttestation(vs[0], sealed[0]).catch((e: unknown) => e))).to.match(/already committed an attestation .*\(VerifierCommitteeAlreadyAttested\)$/);
    expect(explainError(await decideAttestations(t.admin, round.roundId, 0n, 0n).catch((e: unknown) => e))).to.match(/\(VerifierCommitteeNotInPhase\)$/);

    let r = await readRoundDetail(t.admin, round.roundId);
    expect(r.attestPhase).to.equal("commit");
    let slot = r.tasks[0].slots[0];
    expect(slot.attestations.map((a) => [a.verifier, a.state, a.scoreBps])).to.deep.equal(vs.map((v) => [v.account!.address, "committed", null]));
    expect(slot.attestations.every((a) => a.committedAt !== null && a.committedAt > round.params.revealEnd)).to.equal(true);
    expect(slot.decided).to.equal(false);

    await enterWindow(t.admin, round, "attest-reveal");
    expect(explainError(await commitAttestation(vs[0], sealed[0]).catch((e: unknown) => e))).to.match(/\(VerifierCommitteeNotInPhase\)$/);
    expect(explainError(await revealAttestation(vs[0], { ...sealed[0], scoreBps: 7001 }).catch((e: unknown) => e))).to.match(/do not open its sealed commitment; reveal exactly what was sealed, with the saved salt \(VerifierCommitteeSealMismatch\)$/);
    for (const i of [0, 1, 2]) await revealAttestation(vs[i], sealed[i]);
    expect(explainError(await revealAttestation(vs[0], sealed[0]).catch((e: unknown) => e))).to.match(/\(VerifierCommitteeNotCommitted\)$/);
    const { list, decided } = await readAttestations(t.admin, round.roundId, 0n, 0n);
    expect(list.map((a) => [a.state, a.seal])).to.deep.equal([[2, DIGEST], [2, DIGEST], [2, DIGEST], [1, attestationSeal(t.admin.chain.id, t.admin.committee, sealed[3])]]);
    expect(decided).to.equal(false); // the fourth has not revealed: nothing is decided before the reveal phase ends

    await enterWindow(t.admin, round, "attest-decide");
    expect((await readRound(t.admin, round.roundId)).attestPhase).to.equal("decide");
    await decideAttestations(t.admin, round.roundId, 0n, 0n);
    expect(explainError(await decideAttestations(t.admin, round.roundId, 0n, 0n).catch((e: unknown) => e))).to.match(/was already decided \(VerifierCommitteeAlreadyDecided\)$/);
    r = await readRoundDetail(t.admin, round.roundId);
    slot = r.tasks[0].slots[0];
    expect([slot.decided, slot.undecided, slot.finalBps, slot.fraud]).to.deep.equal([true, false, 7000, true]); // claimed 9000: fraud
    const fee = round.params.verifierFee;
    const penalty = await t.admin.committeeContract.read.penalty();
    expect(slot.attestations.map((a) => [a.state, a.scoreBps, a.weightsDigest, a.fee, a.penalty])).to.deep.equal([
      ["revealed", 7000, DIGEST, fee, null],
      ["revealed", 7010, DIGEST, fee, null],
      ["revealed", 6990, DIGEST, fee, null],
      ["committed", null, null, null, penalty],
    ]);
    expect(slot.attestations.slice(0, 3).every((a) => (a.slashShare ?? 0n) > 0n && a.revealedAt !== null)).to.equal(true);
  });
});
