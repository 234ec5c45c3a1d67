// What a pool action needs to talk to the pool: a viem public client and the pool's addresses
// (pool, its verifier committee, its lens, token, the first block that can hold their events) and, to send, a wallet client with its
// account and chain. A CLI's PoolConnection (connect.ts) is one; the web app builds one from the
// client wagmi gives it and the deployment it serves. Browser-safe.
import type { Account, Address, Chain, PublicClient, WalletClient } from "viem";
import { ChainError } from "./errors.js";

export interface PoolReader {
  publicClient: PublicClient;
  pool: Address;
  /** The pool's VerifierCommittee (pool.committee()): verifiers stake, challenge and attest there. */
  committee: Address;
  /**
   * The pool's PoNASLens (pool.lens()): its derived views (isSampled, projectedReward,
   * backupsAllowed, backupRevealStart, getTopK, sweepable, σ_p) live there, computed with the
   * pool's own libraries, so the pool's code has room for its rules.
   */
  lens: Address;
  token: Address;
  /** The first block that can hold pool events: where log scans start. */
  fromBlock: bigint;
}

/** A reader that may sign (a CLI given --key-file, a browser with a wallet). */
export interface PoolClient extends PoolReader {
  walletClient?: WalletClient;
  account?: Account | Address;
  chain?: Chain;
}

export interface PoolSigner extends PoolReader {
  walletClient: WalletClient;
  account: Account | Address;
  chain: Chain | undefined;
}

/**
 * The round as the training recipe knows it (nas/train/recipe.ts, recipeForRound): the chain, the
 * pool and the round id. Every miner and verifier of the round derives the same key from its own
 * connection, so a seedPerRound recipe trains with the same seed on all of them.
 */
export function roundKeyOf(c: PoolReader, roundId: bigint): { chainId: number; pool: Address; roundId: bigint } {
  const chainId = c.publicClient.chain?.id;
  if (chainId === undefined) throw new ChainError("the connection has no chain id: connect with connectPool, which reads it from the node");
  return { chainId, pool: c.pool, roundId };
}

/** The signing part of `c`, or a one-line error saying how to give a key. */
export function signerOf(c: PoolClient): PoolSigner {
  if (!c.walletClient || !c.account) throw new ChainError("no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY");
  return { ...c, walletClient: c.walletClient, account: c.account, chain: c.chain ?? c.walletClient.chain };
}

/** The address of an account given as an Account or an address. */
export const addressOf = (a: Account | Address): Address => (typeof a === "string" ? a : a.address);
