// Which randomness source a pool may be deployed with on which chain. The pool draws its
// verification sample from an IRandomnessSource fixed at deployment (contracts/randomness/):
// `future-blockhash` (FutureBlockRandomness: the hash of a block that did not exist when the
// request was sent) is sound only where no single party builds every block. On Arbitrum
// prevrandao is the constant 1 and the sequencer orders every block; on OP Stack chains the
// sequencer sets prevrandao and builds the blocks: one party would choose the sample there.
// scripts/deploy.ts refuses that pairing before sending anything. Browser-safe.
import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import { ChainError } from "./errors.js";

/** The kind() strings of the sources in contracts/randomness/. */
export const RANDOMNESS_KINDS = ["future-blockhash", "chainlink-vrf-v2.5", "committee-beacon"] as const;
export type RandomnessKind = (typeof RANDOMNESS_KINDS)[number];

/**
 * Chains where one sequencer builds every block, so a block hash (or prevrandao) is its choice.
 * Arbitrum (Nitro: prevrandao = 1) and OP Stack (sequencer-set prevrandao) mainnets and testnets.
 */
export const SEQUENCER_CHAINS: Readonly<Record<number, string>> = {
  42161: "Arbitrum One",
  42170: "Arbitrum Nova",
  421614: "Arbitrum Sepolia",
  10: "OP Mainnet",
  11155420: "OP Sepolia",
  8453: "Base",
  84532: "Base Sepolia",
  7777777: "Zora",
  34443: "Mode",
  252: "Fraxtal",
  130: "Unichain",
  1301: "Unichain Sepolia",
  480: "World Chain",
};

/** Throws a one-line ChainError when a source of `kind` must not decide samples on `chainId`. */
export function checkRandomnessFor(chainId: number, kind: string): void {
  if (!(RANDOMNESS_KINDS as readonly string[]).includes(kind)) {
    throw new ChainError(`unknown randomness source kind "${kind}": use a source from contracts/randomness/ (${RANDOMNESS_KINDS.join(", ")})`);
  }
  const sequencer = SEQUENCER_CHAINS[chainId];
  // the beacon (BeaconRandomness) hides its secrets from the block builder, but a sequencer that
  // orders every transaction can keep honest reveals out until the window closes
  if ((kind === "future-blockhash" || kind === "committee-beacon") && sequencer) {
    throw new ChainError(
      `chain ${chainId} (${sequencer}) has one sequencer that builds every block, so a block-hash source would let it choose the verification sample; deploy a VrfRandomness adapter and pass it as PONAS_RANDOMNESS`,
    );
  }
}

/** Bit 0 of a round's seed (Sampling.FULL_SAMPLE): set when the source reports its value withheld, and then every revealed submission is sampled. */
export const FULL_SAMPLE = 1n;

/**
 * Sampling.seedOf: the round's sample seed from its source's value, keccak256(abi.encode(value,
 * roundId)) with bit 0 set when the value was withheld (a beacon member kept its secret) and
 * cleared otherwise. test/LibraryHarness checks this against the Solidity library.
 */
export function sampleSeed(value: Hex, roundId: bigint, withheld = false): Hex {
  const h = BigInt(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [value, roundId]))) & ~FULL_SAMPLE;
  return toHex(withheld ? h | FULL_SAMPLE : h, { size: 32 });
}
