// The weights seal a miner's reveal carries (contracts/libraries/WeightsSeal.sol): the digest of
// the weights it trained under the round's recipe on the reference backend, bound to chain, pool,
// round, task and miner. The reveal shows only the seal; the verifiers' agreed digest opens it
// at the verdict, and a seal it does not open makes the claim fraud. Same formula as the
// contract's, both checked against test/vectors/weights-seal.json.
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";
import type { PoolConnection } from "./connect.js";
import { addressOf, signerOf } from "./client.js";

export interface WeightsSealInput {
  chainId: number | bigint;
  pool: Address;
  roundId: bigint;
  task: bigint;
  miner: Address;
  /** keccak256 of the trained weights (the trainer's weightsHash on the reference backend). */
  weightsDigest: Hex;
}

export function weightsSeal(s: WeightsSealInput): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "uint256" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }, { type: "address" }, { type: "bytes32" }],
      [BigInt(s.chainId), s.pool, s.roundId, s.task, s.miner, s.weightsDigest],
    ),
  );
}

/** The seal `conn`'s account reveals for its submission on `task` of `roundId` in `conn`'s pool (signerOf's one-line error without a key). */
export function sealFor(conn: PoolConnection, roundId: bigint, task: bigint, weightsDigest: Hex): Hex {
  const miner = addressOf(signerOf(conn).account);
  return weightsSeal({ chainId: conn.chain.id, pool: conn.pool, roundId, task, miner, weightsDigest });
}
