// What the pool's admin (and, for sweeping and moving tokens, anyone) does outside rounds:
// pausing and unpausing the pool (PAUSER_ROLE), sweeping a finished round's surplus to the
// treasury (the pool's sweep: slashes, no-show fees, unverified shares and dust; the committee's
// sweepFees: the unspent fee budget and verifier penalties; both permissionless), and moving
// PONAS (the token's transfer). Each checks what it can before sending, so a refusal costs no gas;
// what the chain refuses is the contract's named error, worded by chain/reverts.ts. Browser-safe.
import type { Address, Hash } from "viem";
import { poNASLensAbi, poNASPoolAbi, poolTokenAbi, verifierCommitteeAbi } from "../../deployments/abi.js";
import { addressOf, signerOf, type PoolClient } from "../client.js";
import { ChainError } from "../errors.js";
import { revertLine } from "../reverts.js";
import { sendCommittee, sendPool, sendToken, type SendOptions } from "./send.js";

/** Pauses (`paused` true) or unpauses the pool; refuses a pool already in that state before sending. */
export async function setPaused(c: PoolClient, paused: boolean, options?: SendOptions) {
  const now = await c.publicClient.readContract({ address: c.pool, abi: poNASPoolAbi, functionName: "paused" });
  if (now === paused) {
    throw new ChainError(paused ? "the pool is already paused; unpause it with `npm run manager -- unpause` (EnforcedPause)" : revertLine("ExpectedPause"));
  }
  return sendPool(c, paused ? "pause" : "unpause", [], options);
}

export interface Swept {
  /** The pool's sweep: what the round forfeited and left unpaid (0: nothing to sweep). */
  pool: bigint;
  /** The committee's sweepFees: unspent fee budget and penalties (0: nothing to sweep). */
  fees: bigint;
  treasury: Address;
  txs: Hash[];
}

/**
 * Sends a round's surplus to the treasury: the pool's sweepable amount (finalised rounds only) and
 * the committee's unspent fees (after the verify window). Sends only what is there; refuses in one
 * line when neither has anything, naming why.
 */
export async function sweepRound(c: PoolClient, roundId: bigint, options?: SendOptions): Promise<Swept> {
  const s = signerOf(c);
  const pc = s.publicClient;
  const [params, state, sweepable, fees, treasury, block] = await Promise.all([
    pc.readContract({ address: s.pool, abi: poNASPoolAbi, functionName: "getRound", args: [roundId] }),
    pc.readContract({ address: s.pool, abi: poNASPoolAbi, functionName: "getRoundState", args: [roundId] }),
    pc.readContract({ address: s.lens, abi: poNASLensAbi, functionName: "sweepable", args: [roundId] }),
    pc.readContract({ address: s.committee, abi: verifierCommitteeAbi, functionName: "roundFees", args: [roundId] }),
    pc.readContract({ address: s.pool, abi: poNASPoolAbi, functionName: "treasury" }),
    pc.getBlock({ blockTag: "latest" }),
  ]);
  if (params.commitEnd === 0) throw new ChainError(revertLine("PoNASPoolUnknownRound", [roundId]));
  const feesLeft = block.timestamp > BigInt(params.verifyEnd) && !fees.swept ? fees.budget - fees.spent + fees.penalties : 0n;
  if (sweepable === 0n && feesLeft === 0n) {
    if (!state.finalized) throw new ChainError(`round ${roundId} is not finalised yet, so it has nothing to sweep; finalise it first (npm run manager -- finalize --round ${roundId}) (PoNASPoolNotFinalized)`);
    throw new ChainError(revertLine("PoNASPoolNothingToSweep", [roundId]));
  }
  const txs: Hash[] = [];
  if (sweepable !== 0n) txs.push((await sendPool(s, "sweep", [roundId], options)).hash);
  if (feesLeft !== 0n) txs.push((await sendCommittee(s, "sweepFees", [roundId], options)).hash);
  return { pool: sweepable, fees: feesLeft, treasury, txs };
}

/** Sends `amount` PONAS from the caller to `to`; refuses more than it holds before sending. */
export async function transferTokens(c: PoolClient, to: Address, amount: bigint, options?: SendOptions) {
  const s = signerOf(c);
  const me = addressOf(s.account);
  if (amount <= 0n) throw new ChainError(revertLine("PoNASPoolZeroAmount"));
  const balance = await s.publicClient.readContract({ address: s.token, abi: poolTokenAbi, functionName: "balanceOf", args: [me] });
  if (balance < amount) throw new ChainError(revertLine("ERC20InsufficientBalance", [me, balance, amount]));
  return sendToken(s, "transfer", [to, amount], options);
}
