// The pool client, node face: the browser-safe face (./index.ts) plus what needs the file system
// or child processes — connecting to a pool by deployments/<name>.json, reading a key file, the
// embedded hardhat chain, dev-chain time jumps, and openRound (the NAS partitioner reads the
// space's measured-time table from disk). What the CLIs, the demo and the tests import.
export * from "./index.js";
export * from "./connect.js";
export * from "./keys.js";
export * from "./localChain.js";
export * from "./devTime.js";
export * from "./actions/openRound.js";
