// Server-only: where the app's pool lives. deployments/<PONAS_DEPLOYMENT>.json (default
// "localhost", written by `npm run demo` / `npm run chain`), read by deployments/index.ts's
// loadDeployment like every other node, gives the chain id, the pool and token addresses and the
// deployment block; the RPC URL comes from PONAS_RPC, else the deployment's own `rpc` (a local dev
// chain records where it serves), else http://127.0.0.1:8545. PONAS_PUBLIC_RPC is the URL miners
// are told to use when the app's own is not reachable from their machines. Read at request time,
// so the same build serves any deployment.
import { existsSync } from "node:fs";
import path from "node:path";
import { getAddress, type Address } from "viem";
import { deploymentFile, loadDeployment } from "@ponas/deployments/node";

export interface AppConfig {
  network: string;
  chainId: number;
  pool: Address;
  /** The pool's VerifierCommittee (verifier stakes, attestations, fees). */
  committee: Address;
  token: Address;
  /** The deployment block (a decimal string: the config crosses from server to client as props). */
  fromBlock: string;
  /** The RPC URL the mine page tells a miner to pass to `npm run miner -- --rpc`: PONAS_PUBLIC_RPC, else the app's own (rpcUrl()). */
  minerRpc: string;
}

/** The repository root: the first directory up from the cwd that holds deployments/index.ts. */
export function repoRoot(): string {
  let dir = process.cwd();
  for (let i = 0; i < 4; i++) {
    if (existsSync(path.join(dir, "deployments", "index.ts"))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the repository (deployments/index.ts) above ${process.cwd()}`);
}

const networkName = (): string => process.env.PONAS_DEPLOYMENT ?? "localhost";

export function rpcUrl(): string {
  if (process.env.PONAS_RPC) return process.env.PONAS_RPC;
  try {
    const rpc = loadDeployment(networkName()).rpc;
    if (typeof rpc === "string") return rpc;
  } catch {
    // no deployment file yet: loadAppConfig reports that
  }
  return "http://127.0.0.1:8545";
}

export function loadAppConfig(): AppConfig | { error: string } {
  const network = networkName();
  try {
    const file = deploymentFile(network);
    if (!existsSync(file)) return { error: `no deployment "${network}" (${file}): run \`npm run demo -- --keep\` first` };
    const d = loadDeployment(network);
    return { network, chainId: d.chainId, pool: getAddress(d.contracts.PoNASPool), committee: getAddress(d.contracts.VerifierCommittee), token: getAddress(d.contracts.PoolToken), fromBlock: String(d.deploymentBlock ?? 0), minerRpc: process.env.PONAS_PUBLIC_RPC ?? rpcUrl() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
