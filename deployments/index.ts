// The one source of truth for where the contracts live: deployments/<network>.json, written by
// scripts/deploy.ts and read by the oracle, the miner, the manager CLI and the app. ABIs come
// from ./abi.ts (generated from the build).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export { poNASPoolAbi, poolTokenAbi, verifierCommitteeAbi } from "./abi.js";

export interface Deployment {
  network: string;
  chainId: number;
  /** VerifierCommittee is created by the pool (pool.committee()); recorded so readers need no extra call. */
  contracts: { PoNASPool: `0x${string}` | string; VerifierCommittee: `0x${string}` | string; PoolToken: `0x${string}` | string };
  /** The pool's randomness source (pool.randomness()) and its kind() ("future-blockhash", "chainlink-vrf-v2.5"). */
  randomness?: { address: `0x${string}` | string; kind: string };
  /** First block that can hold pool events: where log back-fills start. */
  deploymentBlock: number;
  deployedAt: string;
  /** Where a local development chain serves JSON-RPC (written by chain/localChain.ts); public networks omit it. */
  rpc?: string;
}

const dir = path.dirname(fileURLToPath(import.meta.url));

export function deploymentFile(network: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(network)) throw new Error(`invalid network name "${network}": use letters, digits, - and _`);
  return path.join(dir, `${network}.json`);
}

export function writeDeployment(d: Deployment): string {
  const file = deploymentFile(d.network);
  writeFileSync(file, JSON.stringify(d, null, 2) + "\n");
  return file;
}

/** Reads deployments/<network>.json; the error says how to create it when it is missing. */
export function loadDeployment(network: string): Deployment {
  const file = deploymentFile(network);
  if (!existsSync(file)) {
    throw new Error(`no deployment for network "${network}" (${file}): run \`npx hardhat run scripts/deploy.ts --network ${network}\` first`);
  }
  const d = JSON.parse(readFileSync(file, "utf8")) as Deployment;
  if (typeof d.chainId !== "number" || !d.contracts?.PoNASPool || !d.contracts?.VerifierCommittee || !d.contracts?.PoolToken) {
    throw new Error(`${file} is not a deployment file of this version: expected chainId and contracts.PoNASPool/VerifierCommittee/PoolToken; redeploy to regenerate it`);
  }
  return d;
}
