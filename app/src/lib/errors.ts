// Failed calls in plain words for the web app: the pool's and token's custom errors (decoded by
// viem from deployments/abi.ts, worded by chain/reverts.ts, the table the CLIs use too) and the
// wallet's own refusals.
import { BaseError, ContractFunctionRevertedError, UserRejectedRequestError } from "viem";
import { revertSentence } from "../../../chain/reverts";

/** { name, message } of a failed call: name is the custom error (or "") and message plain words. */
export function explainRevert(e: unknown): { name: string; message: string } {
  if (e instanceof BaseError) {
    if (e.walk((x) => x instanceof UserRejectedRequestError)) return { name: "UserRejected", message: "You rejected the request in your wallet." };
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    const name = revert?.data?.errorName;
    if (name) return { name, message: revertSentence(name, revert.data?.args ?? []) };
    if (revert?.reason) return { name: "Error", message: `The call reverted: ${revert.reason}` };
    return { name: "", message: e.shortMessage };
  }
  return { name: "", message: e instanceof Error ? e.message : String(e) };
}
