// The crash-safe sealed-attestation protocol: how the node turns a measured score into exactly one
// commitment, one reveal and (when nobody else has) one decision, even when it is killed or loses
// its RPC at any point (VerifierCommittee; chain/actions/attest.ts; phases from the pool's lens).
//  0. After training, the node draws a random salt and PERSISTS {score, digest, salt} (`Seals`,
//     state.json) before anything is sent: a restart finds the seal, never re-trains, never draws
//     a second salt, and can always open a commitment it made.
//  1. Each step (commit, reveal, decide) first waits for a transaction of that step sent earlier
//     (before a crash or an RPC error) that may still be on its way (chain's receiptIfAny), rather
//     than send a second one.
//  2. It asks the chain again (check): committed or revealed by us already? decided? still sampled
//     and revealed?
//  3. It sends to the committee (serial: one key, one nonce sequence). The hash is recorded as
//     pending the moment it is handed to the node (onSent), before it is mined, so a restart finds
//     it in step 1. A revert clears it (nothing is in flight); an RPC error keeps it.
//  4. The committee's and the pool's refusals by name are outcomes, not failures (REFUSALS, per
//     step): e.g. AlreadyAttested means committed, NotInPhase means the phase was missed,
//     AlreadyDecided means done.
// Everything else (the RPC, an unnamed revert) is thrown, and the node tries again later.
import type { Address, ContractErrorName, Hash, Hex } from "viem";
import { poNASLensAbi, poNASPoolAbi, verifierCommitteeAbi } from "../deployments/abi.js";
import type { PoolClient, PoolReader } from "../chain/client.js";
import { explainError, isRevertError, poolError } from "../chain/errors.js";
import { receiptIfAny } from "../chain/actions/receipt.js";
import { ATTESTATION_STATE, commitAttestation, decideAttestations, revealAttestation, type AttestationSecret } from "../chain/actions/attest.js";
import { Status } from "../chain/submission.js";
import { stateAfterCheck, subKey, type CheckResult, type Sub, type SubState } from "./rounds.js";

/** The most attestations a submission takes (VerifierCommittee's MAX_QUORUM). */
export const MAX_ATTESTATIONS = 9;

/** What a verifier seals for one submission: persisted before its commitment is sent. */
export interface Seal {
  scoreBps: number;
  /** keccak256 of the trained weights on the reference backend, else 0x00…0. */
  weightsDigest: Hex;
  salt: Hex;
}

/** A store of key → value whose every change is persisted at once (state.json). */
export interface Persisted<T, K = string> {
  get(key: K): T | undefined;
  set(key: K, value: T): void;
  delete(key: K): void;
}

/** The protocol's steps; each has its own pending transaction. */
export type Step = "commit" | "reveal" | "decide";

/** Key of a step's pending transaction: "round/task/slot:step". */
export const pendingKey = (s: Sub, step: Step): string => `${subKey(s.round.id, s.task, s.slot)}:${step}`;

export interface Attester {
  /** Signs as the verifier. */
  conn: PoolClient;
  verifier: Address;
  /** Transactions sent and not yet seen mined, by pendingKey. */
  pending: Persisted<Hash>;
  /** Seals by subKey: written before the commitment is sent. */
  seals: Persisted<Seal>;
  /** Told what the protocol waits on next, for the node's health and retry logs. */
  waitingFor(what: string): void;
}

type RefusalName = ContractErrorName<typeof poNASPoolAbi> | ContractErrorName<typeof verifierCommitteeAbi>;

/** The committee's and the pool's refusals of each step that settle what this verifier does with the submission. */
export const REFUSALS = {
  commit: {
    VerifierCommitteeAlreadyAttested: "committed",
    VerifierCommitteeAttestationsFull: "done",
    VerifierCommitteeNotInPhase: "missed",
    // not drawn: keep the seal for an escalation; in the escalation, not disputed or drawn: nothing to do
    VerifierCommitteeNotDrawn: "standby",
    VerifierCommitteeNotDisputed: "done",
    VerifierCommitteeWasDrawn: "done",
    VerifierCommitteeAlreadyDecided: "done",
    PoNASPoolAlreadyFinal: "done",
    PoNASPoolNotInVerifyWindow: "missed",
    PoNASPoolNotSampled: "unsampled",
    PoNASPoolNotRevealed: "gone",
    VerifierCommitteeNotInCommittee: "gone",
  },
  reveal: {
    // nothing sealed and unopened: the earlier reveal landed
    VerifierCommitteeNotCommitted: "revealed",
    VerifierCommitteeNotInPhase: "missed",
    // the seal does not open with what state.json holds: nothing to retry (the commitment stays unrevealed)
    VerifierCommitteeSealMismatch: "missed",
  },
  decide: {
    // disputed: decided after the escalation (the node asks again then)
    VerifierCommitteeEscalated: "revealed",
    VerifierCommitteeAlreadyDecided: "done",
    VerifierCommitteeNothingToDecide: "done",
    VerifierCommitteeNotInPhase: "done",
  },
} as const satisfies Record<Step, Partial<Record<RefusalName, SubState>>>;

export type Refusal<S extends Step = Step> = keyof (typeof REFUSALS)[S] & string;

export type StepOutcome =
  /** The step's transaction is on chain: `tx` was sent now, or before a crash (`earlier`). */
  | { kind: "sent"; step: Step; state: SubState; tx: Hash; earlier: boolean }
  /** The chain said before sending that it is not needed (already committed or revealed, decided, unsampled, gone). */
  | { kind: "skipped"; step: Step; state: SubState; check: CheckResult }
  /** The committee or the pool refused it by name (the chain changed since the check); `reason` is its one line. */
  | { kind: "refused"; step: Step; state: SubState; error: string; reason: string }
  /** A commitment on chain without its seal in state.json (the state was lost): it cannot be opened. */
  | { kind: "lost"; step: "reveal"; state: SubState };

/** The REFUSALS entry of `step` for an error, or null when it is no such refusal. */
export function refusalOf(step: Step, e: unknown): Refusal | null {
  const name = poolError(e)?.name;
  return name !== undefined && Object.hasOwn(REFUSALS[step], name) ? (name as Refusal) : null;
}

/** What the chain says about a submission, for this verifier. */
export async function check(a: Pick<Attester, "conn" | "verifier" | "waitingFor">, s: Sub): Promise<CheckResult> {
  const c: PoolReader = a.conn;
  const committee = { address: c.committee, abi: verifierCommitteeAbi } as const;
  const args = [s.round.id, s.task, s.slot] as const;
  a.waitingFor(`round ${s.round.id} task ${s.task} slot ${s.slot} on chain`);
  const [sub, list, decided] = await Promise.all([
    c.publicClient.readContract({ address: c.pool, abi: poNASPoolAbi, functionName: "getSubmission", args }),
    c.publicClient.readContract({ ...committee, functionName: "getAttestations", args }),
    c.publicClient.readContract({ ...committee, functionName: "isDecided", args }),
  ]);
  if (sub.status !== Status.Revealed) return "gone";
  if (decided) return "final";
  const mine = list.find((x) => x.verifier.toLowerCase() === a.verifier.toLowerCase());
  if (mine) return mine.state === ATTESTATION_STATE.Revealed ? "revealed" : "committed";
  if (list.length >= MAX_ATTESTATIONS) return "final";
  // the sample is the lens's view of the pool's rule (challenged, top-K, or drawn by the seed)
  return (await c.publicClient.readContract({ address: c.lens, abi: poNASLensAbi, functionName: "isSampled", args })) ? "todo" : "unsampled";
}

function secretOf(a: Attester, s: Sub, seal: Seal): AttestationSecret {
  return { roundId: s.round.id, task: s.task, slot: s.slot, verifier: a.verifier, ...seal };
}

/** Steps 1, 3 and 4 of the file header around one send: an earlier transaction, the send itself, its refusals. */
async function sendStep(a: Attester, s: Sub, step: Step, doneState: SubState, send: (onSent: (h: Hash) => void) => Promise<{ hash: Hash }>, ask: () => Promise<StepOutcome | null>): Promise<StepOutcome> {
  const k = pendingKey(s, step);
  const earlier = a.pending.get(k);
  if (earlier) {
    a.waitingFor(`earlier ${step} transaction ${earlier}`);
    const rc = await receiptIfAny(a.conn, earlier);
    a.pending.delete(k); // mined (either way) or dropped: nothing in flight any more
    if (rc?.status === "success") return { kind: "sent", step, state: doneState, tx: earlier, earlier: true };
  }
  const skip = await ask();
  if (skip) return skip;
  a.waitingFor(`${step} round ${s.round.id} task ${s.task} slot ${s.slot}`);
  try {
    const { hash } = await send((h) => a.pending.set(k, h));
    a.pending.delete(k);
    return { kind: "sent", step, state: doneState, tx: hash, earlier: false };
  } catch (e) {
    // An RPC error keeps the hash: the transaction may still be mined, and the next try waits for it.
    if (!isRevertError(e)) throw e;
    // A revert, simulated or mined: nothing in flight; a named refusal settles it, anything else
    // is tried again after asking the chain.
    a.pending.delete(k);
    const refusal = refusalOf(step, e);
    if (!refusal) throw e;
    return { kind: "refused", step, state: (REFUSALS[step] as Record<string, SubState>)[refusal], error: refusal, reason: explainError(e) };
  }
}

/** Commits `seal` for `s` once (commit phase), unless the chain says it is not needed; the seal must already be persisted. */
export function commit(a: Attester, s: Sub, seal: Seal): Promise<StepOutcome> {
  return sendStep(
    a,
    s,
    "commit",
    "committed",
    (onSent) => commitAttestation(a.conn, secretOf(a, s, seal), { serial: true, onSent }),
    async () => {
      const c = await check(a, s);
      return c === "todo" ? null : { kind: "skipped", step: "commit", state: stateAfterCheck(c), check: c };
    },
  );
}

/** Opens this verifier's commitment on `s` once (reveal phase), with the seal state.json holds. */
export async function reveal(a: Attester, s: Sub): Promise<StepOutcome> {
  const seal = a.seals.get(subKey(s.round.id, s.task, s.slot));
  return sendStep(
    a,
    s,
    "reveal",
    "revealed",
    (onSent) => revealAttestation(a.conn, secretOf(a, s, seal!), { serial: true, onSent }),
    async () => {
      const c = await check(a, s);
      // "todo": never committed (the commit phase was missed), so nothing to open
      if (c !== "committed") return { kind: "skipped", step: "reveal", state: c === "todo" ? "missed" : stateAfterCheck(c), check: c };
      if (!seal) return { kind: "lost", step: "reveal", state: "missed" };
      return null;
    },
  );
}

/** Decides `s` once (decide phase) unless it is decided already. */
export function decide(a: Attester, s: Sub): Promise<StepOutcome> {
  return sendStep(
    a,
    s,
    "decide",
    "done",
    (onSent) => decideAttestations(a.conn, s.round.id, s.task, s.slot, { serial: true, onSent }),
    async () => {
      a.waitingFor(`round ${s.round.id} task ${s.task} slot ${s.slot} decided?`);
      const decided = await a.conn.publicClient.readContract({ address: a.conn.committee, abi: verifierCommitteeAbi, functionName: "isDecided", args: [s.round.id, s.task, s.slot] });
      return decided ? { kind: "skipped", step: "decide", state: "done", check: "final" } : null;
    },
  );
}
