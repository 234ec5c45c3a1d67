// Typed errors of the chain layer (oracle, miner, manager): one line that says what went wrong
// and how to fix it. `explainError` turns viem's nested errors and the pool's custom errors into
// such a line; CLIs print it instead of a stack trace.
import { BaseError, ContractFunctionRevertedError, HttpRequestError, formatUnits } from "viem";

export class ChainError extends Error {
  override name = "ChainError";
}

type Hint = (args: readonly unknown[]) => string;
const tokens = (v: unknown) => `${formatUnits(BigInt(v as bigint), 18)} PONAS`;

/** What a user can do about each revert they can cause. */
const HINTS: Record<string, Hint> = {
  PoNASPoolInsufficientFreeStake: ([, free, need]) =>
    `not enough free stake: ${tokens(free)} free, ${tokens(need)} needed; stake more (the miner's --stake) or wait for a round to release stake`,
  PoNASPoolTaskTaken: ([round, task]) => `task ${task} of round ${round} already has a primary miner; pick another task or --task auto`,
  PoNASPoolTooManyTasks: ([, round, max]) => `a miner may hold at most ${max} tasks in round ${round}; use another address or wait for the next round`,
  PoNASPoolBackupsNotAllowed: ([round, task]) => `task ${task} of round ${round} takes no backups (its primary is reliable); pick another task`,
  PoNASPoolBackupSlotsFull: ([round, task]) => `every backup slot of task ${task} in round ${round} is taken; pick another task`,
  PoNASPoolCommitmentNotFound: () => "no commitment matches this reveal: it was never committed, or genome/score/salt differ from the committed ones",
  PoNASPoolGenomeOutsideSubspace: ([genome]) => `genome ${genome} is outside the task's subspace; search only inside the task you claimed`,
  PoNASPoolNotFinalized: ([round]) => `round ${round} is not finalized yet; wait for verify end, then finalize`,
  PoNASPoolNothingToWithdraw: ([who]) => `${who} has nothing to withdraw`,
  PoNASPoolClaimWindowClosed: ([round, end]) => `round ${round} stopped taking claims and commits at ${date(end)}; wait for the next round`,
  PoNASPoolNotInRevealWindow: ([round, from, to]) => `round ${round} accepts this reveal only after ${date(from)} and until ${date(to)}`,
  PoNASPoolNotInVerifyWindow: ([round, from, to]) => `round ${round} is verified after ${date(from)} and until ${date(to)}`,
  PoNASPoolUnknownRound: ([round]) => `round ${round} does not exist on this pool; check --pool and the round id`,
  PoNASPoolNotVerifier: ([who]) => `${who} is not an active verifier of this pool; ask the pool admin to call setVerifier`,
  PoNASPoolAlreadyAttested: ([round, task, slot]) => `already attested round ${round} task ${task} slot ${slot}`,
  ERC20InsufficientBalance: ([who, have, need]) => `${who} holds ${tokens(have)} but ${tokens(need)} are needed; get more PONAS first`,
  ERC20InsufficientAllowance: ([, have, need]) => `the pool may spend ${tokens(have)} of your PONAS but needs ${tokens(need)}; approve it first`,
  EnforcedPause: () => "the pool is paused: claims, commits and reveals are stopped; withdrawals still work",
};

function date(v: unknown): string {
  return new Date(Number(v) * 1000).toISOString();
}

/** One line for any error a chain call can throw. */
export function explainError(e: unknown): string {
  if (e instanceof ChainError) return e.message;
  if (e instanceof BaseError) {
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    const name = revert?.data?.errorName;
    if (name) {
      const args = revert.data?.args ?? [];
      const hint = HINTS[name];
      return hint ? `${hint(args)} (${name})` : `the pool rejected the call: ${name}(${args.map(String).join(", ")})`;
    }
    if (revert?.reason) return `the call reverted: ${revert.reason}`;
    const http = e.walk((x) => x instanceof HttpRequestError) as HttpRequestError | null;
    if (http) return `cannot reach the RPC endpoint ${http.url}: is the node running and the --rpc URL right?`;
    return e.shortMessage;
  }
  return e instanceof Error ? e.message : String(e);
}
