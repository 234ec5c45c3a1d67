// Typed errors of the miner client. Every failure a user can cause (no tokens, a closed window,
// no free task, a round this miner cannot mine) is a MinerError whose message is one line saying
// what went wrong and how to fix it. It extends ChainError so `explainError` (chain/errors.ts)
// passes it through unchanged, and the CLI prints every error the same way.
import { BaseError, ContractFunctionRevertedError } from "viem";
import { ChainError } from "../chain/errors.js";

export class MinerError extends ChainError {
  override name = "MinerError";
}

/** The pool's custom error name behind a viem error (e.g. "PoNASPoolTaskTaken"), if any. */
export function revertName(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  return revert?.data?.errorName;
}
