// Sealed attestations, as every verifier sends them (the oracle node, the demo's lazy verifier,
// tests): the verify window's phases as the pool's lens gives them (never re-derived here), the
// seal a commitment binds (the committee's attestationSeal, computed locally so the salt never
// leaves the machine before the reveal; attest.test.ts checks it against the contract), and the
// committee calls — commitAttestation (drawn verifiers in the commit phase, the others in a
// disputed submission's escalation phase), revealAttestation in the matching reveal phase, decide
// after the reveals — typed through sendCommittee. Browser-safe.
//
//   verify window (revealEnd, verifyEnd] of length V (contracts/libraries/Windows.sol):
//     challenge (revealEnd, challengeEnd = +V/4]     commit (revealEnd, commitEnd = +V/2]  drawn only
//     reveal (commitEnd, revealEnd' = +5V/8]          escalation (revealEnd', +7V/8]      disputed, undrawn only
//     escalation-reveal (+7V/8, +15V/16]              decide: undisputed from revealEnd', disputed after +15V/16
import { encodeAbiParameters, keccak256, toHex, type Address, type Hex } from "viem";
import { poNASLensAbi, verifierCommitteeAbi } from "../../deployments/abi.js";
import type { PoolClient, PoolReader } from "../client.js";
import { sendCommittee, type SendOptions } from "./send.js";

/** The digest a cross-backend (score-only) attestation seals: no proof of the re-training. */
export const ZERO_DIGEST: Hex = `0x${"00".repeat(32)}`;

/** Attestation.state in the committee (IVerifierCommittee.Attestation). */
export const ATTESTATION_STATE = { Committed: 1, Revealed: 2 } as const;

/** The phases of a round's verify window, in chain time (seconds): the lens's challengeEnd and attestPhases. */
export interface AttestPhases {
  /** Challenges are taken until here (inclusive). */
  challengeEnd: number;
  /** The drawn verifiers commit seals in (revealEnd, commitEnd]. */
  commitEnd: number;
  /** Drawn seals are opened in (commitEnd, revealEnd]; an undisputed submission is decided from then on. */
  revealEnd: number;
  /** A disputed submission takes escalation commits from members not drawn in (revealEnd, escalationCommitEnd]. */
  escalationCommitEnd: number;
  /** Escalation seals are opened in (escalationCommitEnd, escalationRevealEnd]; a disputed submission is decided after it. */
  escalationRevealEnd: number;
}

/** Where chain time `now` is in a verify window: before it, one of its phases, or after it. */
export type AttestPhase = "before" | "commit" | "reveal" | "escalation" | "escalation-reveal" | "decide" | "after";

/** The verify window's phases of `roundId`, from the pool's lens (libraries/Windows.sol). */
export async function readAttestPhases(c: PoolReader, roundId: bigint): Promise<AttestPhases> {
  const lens = { address: c.lens, abi: poNASLensAbi } as const;
  const [challengeEnd, [commitEnd, revealEnd, escalationCommitEnd, escalationRevealEnd]] = await Promise.all([
    c.publicClient.readContract({ ...lens, functionName: "challengeEnd", args: [roundId] }),
    c.publicClient.readContract({ ...lens, functionName: "attestPhases", args: [roundId] }),
  ]);
  return {
    challengeEnd: Number(challengeEnd),
    commitEnd: Number(commitEnd),
    revealEnd: Number(revealEnd),
    escalationCommitEnd: Number(escalationCommitEnd),
    escalationRevealEnd: Number(escalationRevealEnd),
  };
}

/** The attestation phase at chain time `now`, given the round's revealEnd and verifyEnd and its phases (bounds inclusive, as the contract's). */
export function attestPhaseAt(now: number, window: { revealEnd: number; verifyEnd: number }, p: AttestPhases): AttestPhase {
  if (now <= window.revealEnd) return "before";
  if (now <= p.commitEnd) return "commit";
  if (now <= p.revealEnd) return "reveal";
  if (now <= p.escalationCommitEnd) return "escalation";
  if (now <= p.escalationRevealEnd) return "escalation-reveal";
  if (now <= window.verifyEnd) return "decide";
  return "after";
}

/** One verifier's attestation of one submission, before it is sealed. */
export interface AttestationSecret {
  roundId: bigint;
  task: bigint;
  slot: bigint;
  verifier: Address;
  scoreBps: number;
  /** keccak256 of the trained weights on the reference backend; ZERO_DIGEST for a cross-backend re-training. */
  weightsDigest: Hex;
  /** 32 secret random bytes (randomSalt): kept until the reveal, never sent before it. */
  salt: Hex;
}

/**
 * The seal the committee's attestationSeal computes: keccak256(abi.encode(chainid, committee,
 * roundId, task, slot, verifier, scoreBps, weightsDigest, salt)).
 */
export function attestationSeal(chainId: number, committee: Address, a: AttestationSecret): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "uint256" },
        { type: "address" },
        { type: "uint256" },
        { type: "uint256" },
        { type: "uint256" },
        { type: "address" },
        { type: "uint16" },
        { type: "bytes32" },
        { type: "bytes32" },
      ],
      [BigInt(chainId), committee, a.roundId, a.task, a.slot, a.verifier, a.scoreBps, a.weightsDigest, a.salt],
    ),
  );
}

/** 32 random bytes from the platform's CSPRNG (Web Crypto: Node and browsers). */
export function randomSalt(): Hex {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

function chainIdOf(c: PoolClient): number {
  const id = c.chain?.id ?? c.walletClient?.chain?.id;
  if (id === undefined) throw new Error("the connection names no chain: the seal binds the chain id");
  return id;
}

/** Commits the seal of `a` (commit phase if drawn, escalation phase of a disputed submission if not). `a.verifier` must be `c`'s account. */
export function commitAttestation(c: PoolClient, a: AttestationSecret, options?: SendOptions) {
  const seal = attestationSeal(chainIdOf(c), c.committee, a);
  return sendCommittee(c, "commitAttestation", [a.roundId, a.task, a.slot, seal], options);
}

/** Opens the seal of `a` (the reveal phase matching its commit); the last reveal of agreeing drawn seals, or of the escalation seals, decides it. */
export function revealAttestation(c: PoolClient, a: AttestationSecret, options?: SendOptions) {
  return sendCommittee(c, "revealAttestation", [a.roundId, a.task, a.slot, a.scoreBps, a.weightsDigest, a.salt], options);
}

/** Decides a submission whose drawn reveals are over (a disputed one after its escalation; anyone may; VerifierCommitteeAlreadyDecided once judged). */
export function decideAttestations(c: PoolClient, roundId: bigint, task: bigint, slot: bigint, options?: SendOptions) {
  return sendCommittee(c, "decide", [roundId, task, slot], options);
}

/** A submission's attestations as the committee holds them (commit order), and whether it was decided (readIsEscalated says whether it is disputed). */
export async function readAttestations(c: PoolReader, roundId: bigint, task: bigint, slot: bigint) {
  const committee = { address: c.committee, abi: verifierCommitteeAbi } as const;
  const args = [roundId, task, slot] as const;
  const [list, decided] = await Promise.all([
    c.publicClient.readContract({ ...committee, functionName: "getAttestations", args }),
    c.publicClient.readContract({ ...committee, functionName: "isDecided", args }),
  ]);
  return { list, decided };
}

/** Whether the round's randomness drew `verifier` to attest a submission in the commit phase (false while the seed is not fixed). */
export function readIsDrawn(c: PoolReader, roundId: bigint, task: bigint, slot: bigint, verifier: Address) {
  return c.publicClient.readContract({ address: c.committee, abi: verifierCommitteeAbi, functionName: "isDrawn", args: [roundId, task, slot, verifier] });
}

/** Whether a submission is disputed and its escalation open (meaningful once the drawn reveals are over). */
export function readIsEscalated(c: PoolReader, roundId: bigint, task: bigint, slot: bigint) {
  return c.publicClient.readContract({ address: c.committee, abi: verifierCommitteeAbi, functionName: "isEscalated", args: [roundId, task, slot] });
}
