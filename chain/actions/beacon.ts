// The committee's randomness beacon (contracts/randomness/BeaconRandomness.sol), as a verifier
// node takes part in it: commit a secret for a round before the pool requests the round's value
// (after revealEnd), reveal it once the inner value is fixed and within the source's reveal
// window. The secret is random and kept on the node's disk until the reveal (the caller persists
// it before sending the commitment, as it does an attestation's salt). Then, once the value is
// fixed, anyone may penalise a committer that never revealed: its entry says whether it did, and
// the round's BeaconCommitted/BeaconRevealed/BeaconNoShowPenalised events say who is left.
// Browser-safe.
import { encodeAbiParameters, keccak256, toHex, type Address, type Hex } from "viem";
import { beaconRandomnessAbi, poNASPoolAbi } from "../../deployments/abi.js";
import type { PoolClient, PoolReader } from "../client.js";
import { addressOf, signerOf } from "../client.js";
import { inBlockRanges, type BlockSpan } from "./history.js";
import { send, type SendOptions } from "./send.js";

/** The beacon of a round as the source holds it. */
export interface BeaconState {
  requested: boolean;
  committed: number;
  revealed: number;
  /** Chain time (s) until which reveals are taken; 0 until the inner value is fixed (reveals not yet open). */
  revealsUntil: number;
  inner: Hex;
  value: Hex;
}

/** The pool's randomness source, and whether it is a BeaconRandomness (kind "committee-beacon"). */
export async function readBeaconSource(c: PoolReader): Promise<Address | null> {
  const source = await c.publicClient.readContract({ address: c.pool, abi: poNASPoolAbi, functionName: "randomness" });
  const kind = await c.publicClient.readContract({ address: source, abi: beaconRandomnessAbi, functionName: "kind" });
  return kind === "committee-beacon" ? source : null;
}

/** A fresh 32-byte secret. */
export function randomSecret(): Hex {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** BeaconRandomness.commitmentOf, computed locally: keccak256(abi.encode(chainid, source, pool, roundId, member, secret)). */
export function beaconCommitment(chainId: number, source: Address, pool: Address, roundId: bigint, member: Address, secret: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "address" }, { type: "uint256" }, { type: "address" }, { type: "bytes32" }],
      [BigInt(chainId), source, pool, roundId, member, secret],
    ),
  );
}

export async function readBeacon(c: PoolReader, source: Address, roundId: bigint): Promise<BeaconState> {
  const b = await c.publicClient.readContract({ address: source, abi: beaconRandomnessAbi, functionName: "beaconOf", args: [c.pool, roundId] });
  return { requested: b.requested, committed: Number(b.committed), revealed: Number(b.revealed), revealsUntil: Number(b.revealsUntil), inner: b.inner, value: b.value };
}

/** Commits `secret` for `roundId` from `c`'s account (a member of the round's committee, before the pool's request). */
export function commitBeacon(c: PoolClient, source: Address, roundId: bigint, secret: Hex, options?: SendOptions) {
  const s = signerOf(c);
  const chainId = s.chain?.id ?? s.walletClient.chain?.id;
  if (chainId === undefined) throw new Error("commitBeacon needs the chain id of the connection");
  const commitment = beaconCommitment(chainId, source, c.pool, roundId, addressOf(s.account), secret);
  return send(c, { address: source, abi: beaconRandomnessAbi, functionName: "commit", args: [c.pool, roundId, commitment] }, options);
}

/** Reveals `secret` for `roundId` (once the inner value is fixed, within the reveal window). */
export function revealBeacon(c: PoolClient, source: Address, roundId: bigint, secret: Hex, options?: SendOptions) {
  return send(c, { address: source, abi: beaconRandomnessAbi, functionName: "reveal", args: [c.pool, roundId, secret] }, options);
}

/** A member's entry for a round, as entryOf holds it. */
export type BeaconEntry =
  | { kind: "none" }
  | { kind: "committed"; commitment: Hex }
  | { kind: "revealed" }
  | { kind: "penalised" };

/** `member`'s entry for `roundId`: never committed, committed (with its commitment) and not revealed, revealed, or penalised as a no-show. */
export async function readBeaconEntry(c: PoolReader, source: Address, roundId: bigint, member: Address): Promise<BeaconEntry> {
  const e = await c.publicClient.readContract({ address: source, abi: beaconRandomnessAbi, functionName: "entryOf", args: [c.pool, roundId, member] });
  const n = BigInt(e);
  if (n === 0n) return { kind: "none" };
  if (n === 1n) return { kind: "revealed" };
  if (n === 2n) return { kind: "penalised" };
  return { kind: "committed", commitment: e };
}

/** Default: the pool's first block; a node passes the round's opening block (no commit can be older). */
export type BeaconEventQuery = BlockSpan;

/**
 * The members that committed for `roundId` and neither revealed nor were penalised yet, from the
 * beacon's events: once the value is fixed, the ones penaliseBeaconNoShow takes the penalty from.
 * One read of the source's logs over the span (one head for all three events: a reveal between
 * separate reads could make a revealer look absent).
 */
export async function readBeaconNoShows(c: PoolReader, source: Address, roundId: bigint, q: BeaconEventQuery = {}): Promise<Address[]> {
  const logs = await inBlockRanges(c, q, (fromBlock, toBlock) => c.publicClient.getContractEvents({ address: source, abi: beaconRandomnessAbi, fromBlock, toBlock, strict: true }));
  const committed: Address[] = [];
  const settled = new Set<string>();
  for (const l of logs) {
    if (l.eventName !== "BeaconCommitted" && l.eventName !== "BeaconRevealed" && l.eventName !== "BeaconNoShowPenalised") continue;
    if (l.args.consumer.toLowerCase() !== c.pool.toLowerCase() || l.args.key !== roundId) continue;
    if (l.eventName === "BeaconCommitted") committed.push(l.args.member);
    else settled.add(l.args.member.toLowerCase());
  }
  return committed.filter((a) => !settled.has(a.toLowerCase()));
}

/** Takes the committee's penalty from `member`, a committer of `roundId` that never revealed (once the value is fixed; anyone may send it). */
export function penaliseBeaconNoShow(c: PoolClient, source: Address, roundId: bigint, member: Address, options?: SendOptions) {
  return send(c, { address: source, abi: beaconRandomnessAbi, functionName: "penaliseNoShow", args: [c.pool, roundId, member] }, options);
}
