// Server-only: where the app's pool lives. deployments/<PONAS_DEPLOYMENT>.json (default
// "localhost", written by `npm run demo` / `npm run chain`) gives the chain id and addresses; the
// RPC URL comes from PONAS_RPC, else the deployment's own `rpc` (a local dev chain records where it
// serves), else http://127.0.0.1:8545. Read at request time, so the same build serves any deployment.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export interface AppConfig {
  network: string;
  chainId: number;
  pool: `0x${string}`;
  token: `0x${string}`;
  fromBlock: string;
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

export function rpcUrl(): string {
  if (process.env.PONAS_RPC) return process.env.PONAS_RPC;
  const network = process.env.PONAS_DEPLOYMENT ?? "localhost";
  try {
    const file = path.join(repoRoot(), "deployments", `${network}.json`);
    const d = JSON.parse(readFileSync(file, "utf8")) as { rpc?: string };
    if (typeof d.rpc === "string") return d.rpc;
  } catch {
    // no deployment file yet: loadAppConfig reports that
  }
  return "http://127.0.0.1:8545";
}

export function loadAppConfig(): AppConfig | { error: string } {
  const network = process.env.PONAS_DEPLOYMENT ?? "localhost";
  if (!/^[A-Za-z0-9_-]+$/.test(network)) return { error: `PONAS_DEPLOYMENT "${network}" is not a deployment name` };
  const file = path.join(repoRoot(), "deployments", `${network}.json`);
  if (!existsSync(file)) return { error: `no deployment "${network}" (${file}): run \`npm run demo -- --keep\` first` };
  const d = JSON.parse(readFileSync(file, "utf8"));
  return { network, chainId: d.chainId, pool: d.contracts.PoNASPool, token: d.contracts.PoolToken, fromBlock: String(d.deploymentBlock ?? 0) };
}
