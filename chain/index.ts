// The pool client, browser-safe face: everything a caller needs to talk to the pool through a
// viem client — send a transaction, read a round and its phase, query what the chain remembers,
// decode and word a revert, format amounts and times, audit payouts. Nothing here imports a
// `node:` module, so the web app uses the same code (as "@ponas/chain") as the CLIs.
// Node-only pieces (connecting by deployment file, keys, the embedded chain, openRound with the
// NAS partitioner) are in ./node.ts.
export * from "./client.js";
export * from "./errors.js";
export * from "./reverts.js";
export * from "./format.js";
export * from "./clock.js";
export * from "./round.js";
export * from "./submission.js";
export * from "./audit.js";
export * from "./actions/send.js";
export * from "./actions/attest.js";
export * from "./actions/receipt.js";
export * from "./actions/readRound.js";
export * from "./actions/history.js";
export * from "./actions/finalize.js";
export * from "./randomness.js";
export * from "./seals.js";
export * from "./canary.js";
export * from "./conservation.js";
export * from "./actions/committee.js";
export * from "./actions/verifierFunds.js";
export * from "./actions/admin.js";
export * from "./roundRules.js";
export * from "./gas.js";
