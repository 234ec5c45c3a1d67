// Sealed attestations the way a verifier node makes them (VerifierCommittee): seal score and
// weights digest with a secret salt in the commit phase of the verify window, open the seal in
// the reveal phase, decide what is left after it. Tests build every attestation through here
// rather than re-deriving seals or phase boundaries.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { Signer } from "ethers";
import { ethers, fixSeed, networkHelpers, trueDigest, type Deployed } from "./pool.js";

import { medianOf } from "./rules.js";

export { medianOf, trueDigest };


export interface Attestation {
  verifier: HardhatEthersSigner | Signer;
  task: number;
  slot: number;
  score: number;
  /** Weights digest sealed with the score: default the submission's trueDigest; 0x00…0 = cross-backend. */
  digest?: string;
  salt?: string;
}

export interface Sealed extends Required<Omit<Attestation, "verifier">> {
  verifier: HardhatEthersSigner | Signer;
  roundId: bigint;
  seal: string;
}

/**
 * The round's attestation phases (the lens's view of Windows): drawn commits until `commitEnd`,
 * drawn reveals until `revealEnd`; a disputed submission's escalation commits until
 * `escalationCommitEnd` and their reveals until `escalationRevealEnd`.
 */
export async function phases(d: Pick<Deployed, "lens">, roundId: bigint) {
  const [commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd] = await d.lens.attestPhases(roundId);
  return { commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd };
}

/**
 * Splits `verifiers` into those the round's randomness drew for a submission (committee.isDrawn)
 * and the rest, each in the given order; fixes the round's seed first (in the verify window).
 */
export async function drawnOf<V extends HardhatEthersSigner | Signer>(d: Deployed, roundId: bigint, task: number, slot: number, verifiers: V[]) {
  await ensureSeed(d, roundId);
  const drawn: V[] = [];
  const others: V[] = [];
  for (const v of verifiers) (await d.committee.isDrawn(roundId, task, slot, await v.getAddress()) ? drawn : others).push(v);
  return { drawn, others };
}

async function passTo(at: bigint) {
  if (BigInt(await networkHelpers.time.latest()) <= at) await networkHelpers.time.increaseTo(at + 1n);
}

/** Moves time into the escalation-commit phase (just after the drawn reveals end). */
export async function toEscalation(d: Deployed, roundId: bigint) {
  await passTo((await phases(d, roundId)).revealEnd);
}

/** Moves time into the escalation-reveal phase. */
export async function toEscalationReveals(d: Deployed, roundId: bigint) {
  await passTo((await phases(d, roundId)).escalationCommitEnd);
}

/** Moves time past the escalation: a disputed submission can be decided. */
export async function toFinalDecide(d: Deployed, roundId: bigint) {
  await passTo((await phases(d, roundId)).escalationRevealEnd);
}

/**
 * A disputed submission the whole way: the drawn verifiers seal and open `drawn` (which must
 * dispute it), then the rest seal `late` in the escalation phase and open all but the last.
 * Returns the last escalation reveal (which decides the submission) and every sealed attestation
 * in commit order. Must start in the drawn-commit phase.
 */
export async function escalate(d: Deployed, roundId: bigint, drawn: Attestation[], late: Attestation[]) {
  const first = await commitAttestations(d, roundId, drawn);
  await toAttestReveals(d, roundId);
  await revealAttestations(d, first);
  await toEscalation(d, roundId);
  const second = await commitAttestations(d, roundId, late);
  await toEscalationReveals(d, roundId);
  await revealAttestations(d, second.slice(0, -1));
  return { last: revealAttestation(d, second[second.length - 1]), sealed: [...first, ...second] };
}

/** Fixes the round's sample seed if it is still pending (commits are refused until it is: VerifierCommitteeSeedPending). */
export async function ensureSeed(d: Deployed, roundId: bigint) {
  if (BigInt((await d.pool.getRoundState(roundId)).seed) === 0n) await fixSeed(d, roundId);
}

/** Seals and commits each attestation (fixing the round's seed first if needed); returns what revealing needs. */
export async function commitAttestations(d: Deployed, roundId: bigint, list: Attestation[]): Promise<Sealed[]> {
  if (list.length > 0) await ensureSeed(d, roundId);
  const out: Sealed[] = [];
  for (const a of list) {
    const digest = a.digest ?? trueDigest(roundId, a.task, a.slot);
    const salt = a.salt ?? ethers.hexlify(ethers.randomBytes(32));
    const who = await a.verifier.getAddress();
    const seal = await d.committee.attestationSeal(roundId, a.task, a.slot, who, a.score, digest, salt);
    await (await d.committee.connect(a.verifier).commitAttestation(roundId, a.task, a.slot, seal)).wait();
    out.push({ ...a, digest, salt, roundId, seal });
  }
  return out;
}

/** Moves time into the reveal phase (just after the commit phase ends). */
export async function toAttestReveals(d: Deployed, roundId: bigint) {
  const { commitEnd } = await phases(d, roundId);
  if (BigInt(await networkHelpers.time.latest()) <= commitEnd) await networkHelpers.time.increaseTo(commitEnd + 1n);
}

/** Moves time into the decide phase of an undisputed submission (just after the drawn reveals end). */
export async function toAttestDecide(d: Deployed, roundId: bigint) {
  const { revealEnd } = await phases(d, roundId);
  if (BigInt(await networkHelpers.time.latest()) <= revealEnd) await networkHelpers.time.increaseTo(revealEnd + 1n);
}

/** Reveals one sealed attestation (the transaction, for `expect(...).to.emit`). */
export function revealAttestation(d: Deployed, s: Sealed) {
  return d.committee.connect(s.verifier).revealAttestation(s.roundId, s.task, s.slot, s.score, s.digest, s.salt);
}

/** Reveals each sealed attestation in order. */
export async function revealAttestations(d: Deployed, sealed: Sealed[]) {
  for (const s of sealed) await (await revealAttestation(d, s)).wait();
}

/**
 * The whole protocol for a set of attestations of one round: commit them all, move into the
 * reveal phase, reveal them all (a submission whose committers all revealed is decided by its
 * last reveal). Must start in the commit phase.
 */
export async function attestAll(d: Deployed, roundId: bigint, list: Attestation[]) {
  const sealed = await commitAttestations(d, roundId, list);
  await toAttestReveals(d, roundId);
  await revealAttestations(d, sealed);
  return sealed;
}

/**
 * Seals one attestation without sending it (what `commitAttestations` commits), so that a test can
 * send the commit itself (`commitSealed`) and check that transaction's events or revert.
 */
export async function sealAttestation(d: Pick<Deployed, "committee">, roundId: bigint, a: Attestation): Promise<Sealed> {
  const digest = a.digest ?? trueDigest(roundId, a.task, a.slot);
  const salt = a.salt ?? ethers.hexlify(ethers.randomBytes(32));
  const who = await a.verifier.getAddress();
  const seal = await d.committee.attestationSeal(roundId, a.task, a.slot, who, a.score, digest, salt);
  return { ...a, digest, salt, roundId, seal };
}

/** Commits one sealed attestation (the transaction, for `expect(...).to.emit` or a revert); the round's seed must be fixed (ensureSeed). */
export function commitSealed(d: Pick<Deployed, "committee">, s: Sealed) {
  return d.committee.connect(s.verifier).commitAttestation(s.roundId, s.task, s.slot, s.seal);
}

/** `scores[i]` by verifier i on one submission: the usual shape of a verification in tests. */
export function byVerifiers(verifiers: (HardhatEthersSigner | Signer)[], task: number, slot: number, scores: number[], digests?: string[]): Attestation[] {
  return scores.map((score, i) => ({ verifier: verifiers[i], task, slot, score, digest: digests?.[i] }));
}

/** One attestation of a submission as the judgement sees it (commit order). */
export interface Judged {
  verifier: string;
  revealed: boolean;
  score: number;
  /** The revealed weights digest (0x00…0: cross-backend, score only). */
  digest: string;
}

/**
 * Sampling.agreedDigest: the non-zero digest revealed most often, if at least twice and more often
 * than any other; else 0x00…0.
 */
export function agreedDigestOf(digests: string[]): string {
  const counts = new Map<string, number>();
  for (const d of digests) if (BigInt(d) !== 0n) counts.set(d.toLowerCase(), (counts.get(d.toLowerCase()) ?? 0) + 1);
  const best = Math.max(0, ...counts.values());
  const top = [...counts.entries()].filter(([, c]) => c === best);
  return best >= 2 && top.length === 1 ? top[0][0] : ethers.ZeroHash;
}

/**
 * The committee's judgement of a submission's attestations (VerifierCommittee._decide), from the
 * documented rule: a verdict (the median of the revealed scores) when at least `quorum` were
 * revealed; winners = revealed, within the tolerance of the median, digest = agreed or 0 or no
 * agreed digest; `proved` = the winners paid a fee (digest = the agreed one; nobody when no
 * digest is agreed); `penalised` = committers that never revealed and, with a verdict, every
 * revealed attestation that did not win. Lists are in commit order.
 */
export function judge(list: Judged[], quorum: number, toleranceBps: number) {
  const revealed = list.filter((a) => a.revealed);
  const verdict = revealed.length >= quorum && revealed.length > 0;
  const median = verdict ? medianOf(revealed.map((a) => a.score)) : null;
  const agreed = agreedDigestOf(revealed.map((a) => a.digest));
  const none = BigInt(agreed) === 0n;
  const winners: string[] = [];
  const proved: string[] = [];
  const penalised: string[] = [];
  for (const a of list) {
    let won = false;
    if (a.revealed && median !== null) {
      const s = BigInt(a.score);
      const near = (s > median ? s - median : median - s) <= BigInt(toleranceBps);
      const same = a.digest.toLowerCase() === agreed;
      won = near && (none || same || BigInt(a.digest) === 0n);
      if (won) {
        winners.push(a.verifier);
        if (!none && same) proved.push(a.verifier);
      }
    }
    if (!won && (!a.revealed || verdict)) penalised.push(a.verifier);
  }
  return { verdict, median, agreed, revealed: revealed.length, winners, proved, penalised };
}
