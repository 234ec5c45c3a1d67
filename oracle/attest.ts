// The crash-safe attest protocol: how the node turns a measured score into exactly one
// attestation, even when it is killed or loses its RPC at any point.
//  1. An attest transaction sent earlier (before a crash or an RPC error) may still be on its way:
//     wait for it (chain's receiptIfAny) rather than send a second one.
//  2. Ask the chain again (check): already attested by us? final? still sampled and revealed?
//  3. Send to the committee (chain's sendCommittee, serial: one key, one nonce sequence). Its hash is recorded as
//     pending the moment it is handed to the node (onSent), before it is mined, so a restart
//     finds it in step 1. A revert clears it (nothing is in flight); an RPC error keeps it.
//  4. The committee's and the pool's refusals by name are outcomes, not failures: AlreadyAttested/AlreadyFinal mean
//     done, NotInVerifyWindow missed, NotSampled unsampled, NotRevealed and NotInCommittee gone (REFUSALS).
// Everything else (the RPC, an unnamed revert) is thrown, and the node tries again later.
import type { Address, ContractErrorName, Hash } from "viem";
import { poNASLensAbi, poNASPoolAbi, verifierCommitteeAbi } from "../deployments/abi.js";
import type { PoolClient, PoolReader } from "../chain/client.js";
import { explainError, isRevertError, poolError } from "../chain/errors.js";
import { receiptIfAny } from "../chain/actions/receipt.js";
import { sendCommittee } from "../chain/actions/send.js";
import { Status } from "../chain/submission.js";
import { stateAfterCheck, subKey, type CheckResult, type Sub, type SubState } from "./rounds.js";

/** Attest transactions sent and not yet seen mined, by subKey; every change is persisted at once (state.json). */
export interface PendingTxs {
  get(key: string): Hash | undefined;
  set(key: string, hash: Hash): void;
  delete(key: string): void;
}

export interface Attester {
  /** Signs as the verifier. */
  conn: PoolClient;
  verifier: Address;
  pending: PendingTxs;
  /** Told what the protocol waits on next, for the node's health and retry logs. */
  waitingFor(what: string): void;
}

type RefusalName = ContractErrorName<typeof poNASPoolAbi> | ContractErrorName<typeof verifierCommitteeAbi>;

/** The committee's and the pool's refusals of an attest that settle what this verifier does with the submission. */
export const REFUSALS = {
  VerifierCommitteeAlreadyAttested: "done",
  PoNASPoolAlreadyFinal: "done",
  PoNASPoolNotInVerifyWindow: "missed",
  PoNASPoolNotSampled: "unsampled",
  PoNASPoolNotRevealed: "gone",
  VerifierCommitteeNotInCommittee: "gone",
} as const satisfies Partial<Record<RefusalName, SubState>>;

export type Refusal = keyof typeof REFUSALS;

export type AttestOutcome =
  /** Our attestation is on chain: `tx` was sent now, or before a crash (`earlier`). */
  | { kind: "attested"; state: "done"; tx: Hash; earlier: boolean }
  /** The chain said before sending that it is not needed (already ours, final, unsampled, gone). */
  | { kind: "skipped"; state: SubState; check: Exclude<CheckResult, "todo"> }
  /** The pool refused it by name (the chain changed since the check); `reason` is its one line. */
  | { kind: "refused"; state: SubState; error: Refusal; reason: string };

/** The REFUSALS entry for an error, or null when it is no such refusal. */
export function refusalOf(e: unknown): Refusal | null {
  const name = poolError(e)?.name;
  return name !== undefined && Object.hasOwn(REFUSALS, name) ? (name as Refusal) : null;
}

/** What the chain says about a submission, for this verifier. */
export async function check(a: Pick<Attester, "conn" | "verifier" | "waitingFor">, s: Sub): Promise<CheckResult> {
  const c: PoolReader = a.conn;
  const read = { address: c.pool, abi: poNASPoolAbi } as const;
  const args = [s.round.id, s.task, s.slot] as const;
  a.waitingFor(`round ${s.round.id} task ${s.task} slot ${s.slot} on chain`);
  const [sub, [verifiers]] = await Promise.all([
    c.publicClient.readContract({ ...read, functionName: "getSubmission", args }),
    c.publicClient.readContract({ address: c.committee, abi: verifierCommitteeAbi, functionName: "getAttestations", args }),
  ]);
  if (sub.status !== Status.Revealed) return "gone";
  if (verifiers.some((v) => v.toLowerCase() === a.verifier.toLowerCase())) return "attested";
  if (verifiers.length >= s.round.params.quorum) return "final";
  // the sample is the lens's view of the pool's rule (challenged, top-K, or drawn by the seed)
  return (await c.publicClient.readContract({ address: c.lens, abi: poNASLensAbi, functionName: "isSampled", args })) ? "todo" : "unsampled";
}

/** Attests `score` for `s` once, unless the chain says it is no longer needed; see the file header. */
export async function attest(a: Attester, s: Sub, score: number): Promise<AttestOutcome> {
  const r = s.round;
  const k = subKey(r.id, s.task, s.slot);

  const earlier = a.pending.get(k);
  if (earlier) {
    a.waitingFor(`earlier attest transaction ${earlier}`);
    const rc = await receiptIfAny(a.conn, earlier);
    a.pending.delete(k); // mined (either way) or dropped: nothing in flight any more
    if (rc?.status === "success") return { kind: "attested", state: "done", tx: earlier, earlier: true };
  }

  const c = await check(a, s);
  if (c !== "todo") return { kind: "skipped", state: stateAfterCheck(c), check: c };

  a.waitingFor(`attest round ${r.id} task ${s.task} slot ${s.slot}`);
  try {
    const { hash } = await sendCommittee(a.conn, "attest", [r.id, s.task, s.slot, score], { serial: true, onSent: (h) => a.pending.set(k, h) });
    a.pending.delete(k);
    return { kind: "attested", state: "done", tx: hash, earlier: false };
  } catch (e) {
    // An RPC error keeps the hash: the transaction may still be mined, and the next try waits for it.
    if (!isRevertError(e)) throw e;
    // A revert, simulated or mined (another verifier closed the quorum in between): nothing in
    // flight; a named refusal settles it, anything else is tried again after asking the chain.
    a.pending.delete(k);
    const refusal = refusalOf(e);
    if (!refusal) throw e;
    return { kind: "refused", state: REFUSALS[refusal], error: refusal, reason: explainError(e) };
  }
}
