// Hardhat 3 configuration: offline solc-js compiler, the in-process network, a local node and any
// external EVM network taken from environment variables (see README, "Deploying").
import { createRequire } from "node:module";
import { defineConfig, configVariable } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";

const require = createRequire(import.meta.url);
// The solc npm package ships the wasm compiler; pointing Hardhat at it skips the compiler
// download, which fails offline (HHE905).
const solcVersion: string = require("solc/package.json").version;
const solcPath: string = require.resolve("solc/soljson.js");

const localhostUrl = process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    version: solcVersion,
    path: solcPath,
    settings: {
      evmVersion: "cancun",
      viaIR: true,
      optimizer: { enabled: true, runs: 200 },
    },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    // `hardhat node --network realtime` (startLocalChain({ realtime: true })): a block every second
    // and blocks that may share a timestamp, so chain time follows the wall clock however many
    // transactions arrive; the default node mines only on a transaction and gives every block its
    // own second, so under load its clock runs ahead and windows shrink (the soak, manager run)
    realtime: { type: "edr-simulated", chainType: "l1", allowBlocksWithSameTimestamp: true, mining: { auto: true, interval: 1000 } },
    localhost: { type: "http", chainType: "l1", url: localhostUrl },
    // Any EVM chain: PONAS_RPC_URL and PONAS_DEPLOYER_KEY are read only when this network is used.
    external: {
      type: "http",
      chainType: "generic",
      url: configVariable("PONAS_RPC_URL"),
      accounts: [configVariable("PONAS_DEPLOYER_KEY")],
    },
  },
  paths: { tests: { mocha: "test" } },
});
