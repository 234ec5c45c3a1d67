// Revert reasons in plain words: the pool's custom errors (decoded by viem from the ABI in
// deployments/abi.ts) and the wallet's own refusals.
import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError, formatUnits } from "viem";

const tok = (v: unknown) => `${Number(formatUnits(BigInt(v as bigint), 18)).toLocaleString("en-US", { maximumFractionDigits: 4 })} PONAS`;
const when = (v: unknown) => new Date(Number(v) * 1000).toUTCString();

const WORDS: Record<string, (a: readonly unknown[]) => string> = {
  PoNASPoolZeroAmount: () => "The amount must be more than zero.",
  PoNASPoolUnknownRound: ([r]) => `Round ${r} does not exist on this pool.`,
  PoNASPoolUnknownTask: ([r, t]) => `Round ${r} has no task ${t}.`,
  PoNASPoolClaimWindowClosed: ([r, end]) => `Round ${r} stopped taking claims at ${when(end)}.`,
  PoNASPoolInsufficientFreeStake: ([, free, need]) => `Not enough free stake: you have ${tok(free)} free but a claim locks ${tok(need)}. Stake more first.`,
  PoNASPoolTaskTaken: ([r, t, primary]) => `Task ${t} of round ${r} already has a primary miner (${primary}). Pick another task or join it as a backup.`,
  PoNASPoolNoPrimary: ([r, t]) => `Task ${t} of round ${r} has no primary yet: claim it instead of joining as a backup.`,
  PoNASPoolBackupsNotAllowed: ([r, t]) => `Task ${t} of round ${r} takes no backups: its primary miner is reliable.`,
  PoNASPoolBackupSlotsFull: ([r, t, max]) => `All ${max} backup slots of task ${t} in round ${r} are taken.`,
  PoNASPoolAlreadyOnTask: ([r, t]) => `You already hold a place on task ${t} of round ${r}.`,
  PoNASPoolTooManyTasks: ([, r, max]) => `A miner may hold at most ${max} tasks in round ${r}.`,
  PoNASPoolClaimOutOfOrder: ([, r, last]) => `You already claimed in round ${last}; claims must go to rounds in increasing order (not round ${r}).`,
  PoNASPoolNotFinalized: ([r]) => `Round ${r} is not finalised yet: wait for the verify window to end and the round to be finalised.`,
  PoNASPoolAlreadySettled: ([r, t, s]) => `Your submission on task ${t} (slot ${s}) of round ${r} was already paid out.`,
  PoNASPoolNoSubmission: ([r, t, s]) => `There is no submission on task ${t}, slot ${s} of round ${r}.`,
  PoNASPoolNothingToWithdraw: () => "There is nothing to withdraw.",
  PoNASPoolNotYourSubmission: ([r, t, s]) => `Task ${t} slot ${s} of round ${r} is not yours.`,
  PoNASPoolUnsafeStake: ([min, need]) => `The stake ${tok(min)} is below the safe minimum ${tok(need)}.`,
  PoNASPoolVerifyWindowOpen: ([r, end]) => `Round ${r} is still being verified until ${when(end)}.`,
  PoNASPoolAlreadyFinalized: ([r]) => `Round ${r} is already finalised.`,
  PoNASPoolNotVerifier: () => "This address is not an active verifier of the pool.",
  EnforcedPause: () => "The pool is paused: claims, commits and reveals are stopped; withdrawals still work.",
  ERC20InsufficientBalance: ([, have, need]) => `Your wallet holds ${tok(have)} but ${tok(need)} are needed.`,
  ERC20InsufficientAllowance: ([, have, need]) => `The pool may spend only ${tok(have)} of your PONAS but needs ${tok(need)}; approve it first.`,
};

/** { name, message } of a failed call: name is the custom error (or "") and message plain words. */
export function explainRevert(e: unknown): { name: string; message: string } {
  if (e instanceof BaseError) {
    if (e.walk((x) => x instanceof UserRejectedRequestError)) return { name: "UserRejected", message: "You rejected the request in your wallet." };
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    const name = revert?.data?.errorName;
    if (name) {
      const args = revert.data?.args ?? [];
      const words = WORDS[name];
      return { name, message: words ? words(args) : `The pool refused the call: ${name}(${args.map(String).join(", ")}).` };
    }
    if (revert?.reason) return { name: "Error", message: `The call reverted: ${revert.reason}` };
    return { name: "", message: e.shortMessage };
  }
  return { name: "", message: e instanceof Error ? e.message : String(e) };
}
