// Failed calls in plain words for the web app: the pool's and token's custom errors (found by
// chain's poolError, worded by chain's revertSentence: the table the CLIs use too, for simulated
// and mined reverts alike) and the wallet's own refusals.
import { BaseError, UserRejectedRequestError } from "viem";
import { ChainError, explainError, isRevertError, poolError, revertSentence } from "@ponas/chain";
import { NO_WALLET } from "./noWallet";

const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** { name, message } of a failed call: name is the custom error (or "") and message plain words. */
export function explainRevert(e: unknown): { name: string; message: string } {
  // wagmi's ProviderNotFoundError ("Provider not found. Version: @wagmi/core@…"), by name: it is @wagmi/core's BaseError, not viem's
  if (e instanceof Error && e.name === "ProviderNotFoundError") return { name: "NoWallet", message: NO_WALLET };
  if (e instanceof BaseError && e.walk((x) => x instanceof UserRejectedRequestError)) return { name: "UserRejected", message: "You rejected the request in your wallet." };
  const named = poolError(e);
  if (named) return { name: named.name, message: revertSentence(named.name, named.args) };
  // a mined revert without a named reason, or another of chain/'s one-line errors
  if (e instanceof ChainError) return { name: "", message: sentence(e.message) };
  // a revert with a require() string ("The call reverted: …") or none
  if (isRevertError(e)) return { name: "Error", message: sentence(explainError(e)) };
  if (e instanceof BaseError) return { name: "", message: e.shortMessage };
  return { name: "", message: e instanceof Error ? e.message : String(e) };
}
