// A verifier's own money in the committee: depositing stake (approving the committee first when
// its allowance is short), withdrawing stake (an active member keeps minVerifierStake; a removed
// one may take all of it) and withdrawing the fees and slash shares credited to it. Each checks
// what the caller holds before sending anything, so a refusal costs no gas and no approve is
// left behind; what the chain still refuses (the state changed in between) is the committee's
// named error, worded by chain/reverts.ts. Browser-safe.
import { verifierCommitteeAbi } from "../../deployments/abi.js";
import { addressOf, signerOf, type PoolClient } from "../client.js";
import { ChainError } from "../errors.js";
import { fmtTokens } from "../format.js";
import { revertLine } from "../reverts.js";
import { sendCommittee, sendToken, type SendOptions } from "./send.js";
import { poolTokenAbi } from "../../deployments/abi.js";

/** uint96: the committee keeps stakes and fees in 96 bits. */
const MAX_U96 = (1n << 96n) - 1n;

const account = (c: PoolClient) => {
  const s = signerOf(c);
  const me = addressOf(s.account);
  return { s, me, read: () => s.publicClient.readContract({ address: s.committee, abi: verifierCommitteeAbi, functionName: "verifierAccount", args: [me] }) };
};

function positive(amount: bigint): void {
  if (amount <= 0n) throw new ChainError(revertLine("VerifierCommitteeZeroAmount"));
  if (amount > MAX_U96) throw new ChainError(`${fmtTokens(amount)} does not fit the committee's 96-bit stakes; enter a smaller amount`);
}

/** Deposits `amount` of the caller's PONAS as verifier stake; approves the committee first if needed. */
export async function stakeAsVerifier(c: PoolClient, amount: bigint, options: SendOptions = {}) {
  positive(amount);
  const { s, me } = account(c);
  const token = { address: s.token, abi: poolTokenAbi } as const;
  const [balance, allowance] = await Promise.all([
    s.publicClient.readContract({ ...token, functionName: "balanceOf", args: [me] }),
    s.publicClient.readContract({ ...token, functionName: "allowance", args: [me, s.committee] }),
  ]);
  if (balance < amount) throw new ChainError(revertLine("ERC20InsufficientBalance", [me, balance, amount]));
  if (allowance < amount) await sendToken(s, "approve", [s.committee, amount], options);
  return sendCommittee(s, "stakeVerifier", [amount], options);
}

/** Withdraws `amount` of verifier stake; refuses, before sending, more than an active member may take. */
export async function unstakeAsVerifier(c: PoolClient, amount: bigint, options: SendOptions = {}) {
  positive(amount);
  const { s, me, read } = account(c);
  const [v, min] = await Promise.all([read(), s.publicClient.readContract({ address: s.committee, abi: verifierCommitteeAbi, functionName: "minVerifierStake" })]);
  const keep = v.active ? min : 0n;
  if (amount + keep > v.stake) {
    const most = v.stake > keep ? v.stake - keep : 0n;
    throw new ChainError(
      `${me} has ${fmtTokens(v.stake)} of verifier stake${v.active ? ` and, as an active verifier, must keep ${fmtTokens(min)}` : ""}: it can unstake at most ${fmtTokens(most)}, not ${fmtTokens(amount)}${v.active ? " (removed from the committee, it may unstake all)" : ""} (VerifierCommitteeStakeTooLow)`,
    );
  }
  return sendCommittee(s, "unstakeVerifier", [amount], options);
}

/** Withdraws every fee and slash share credited to the caller; returns the amount. */
export async function withdrawVerifierFees(c: PoolClient, options: SendOptions = {}): Promise<bigint> {
  const { s, me, read } = account(c);
  const v = await read();
  if (v.fees === 0n) throw new ChainError(revertLine("VerifierCommitteeNothingToWithdraw", [me]));
  await sendCommittee(s, "withdrawFees", [], options);
  return v.fees;
}
