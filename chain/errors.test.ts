// explainError on JSON-RPC errors: viem's short message for a node's refusal is generic, so the
// one line keeps the node's own words (what a failed demo or node log must say to be fixable).
import { expect } from "chai";
import { InvalidInputRpcError, TransactionExecutionError } from "viem";
import { explainError } from "./errors.js";

describe("chain/errors explainError", () => {
  it("keeps the node's own words after viem's generic message for an RPC refusal, also when wrapped", () => {
    const refused = new InvalidInputRpcError(new Error("Nonce too low. Expected nonce to be 7 but got 6."));
    expect(explainError(refused)).to.equal("Missing or invalid parameters. (the node said: Nonce too low. Expected nonce to be 7 but got 6.)");
    const wrapped = new TransactionExecutionError(refused, { account: undefined, chain: undefined } as never);
    expect(explainError(wrapped)).to.match(/^.+ \(the node said: Nonce too low\. Expected nonce to be 7 but got 6\.\)$/);
  });

  it("says a plain error's message as it is", () => {
    expect(explainError(new Error("boom"))).to.equal("boom");
  });
});
