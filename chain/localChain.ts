// An embedded chain for the main job, the demo and integration tests: a `hardhat node` on a free
// loopback port (its own process group, so stopping it stops everything npx started) with the
// pool deployed to it by scripts/deploy.ts, which writes deployments/<name>.json.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { loadDeployment, writeDeployment, type Deployment } from "../deployments/index.js";
import { ChainError } from "./errors.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Hardhat's well-known dev accounts (mnemonic "test test … junk"): funded with 10,000 ETH each. */
export const DEV_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
  "0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897",
  "0x701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82",
  "0xa267530f49f8280200edf313ee7af6b827f2a8bce2897751d06a843f644967b1",
  "0x47c99abed3324a2707c28affff1267e45918ec8c3f20b8aa892e8b065d2942dd",
  "0xc526ee95bf44d8fc405a158bb884d9d1238d99f0612e9f33d006bb0789009aaa",
  "0x8166f546bab6da521a8369cab06c5d2b9e46670292d85c875ee9ec20e84ffb61",
  "0xea6c44ac03bff858b476bba40716402b03e41b8e97e276d1baec7c37d42484a0",
  "0x689af8efa8c651a91ad287602527f3af2fe9f6501a7ac4b061667b5a93e037fd",
  "0xde9be858da4a475276426320d5e9262ecfc3ba460bfac56360bfa6c4c28b4ee0",
  "0xdf57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e",
] as const;

export interface LocalChain {
  url: string;
  deployment: Deployment;
  /** Name of the deployments/<name>.json file written for this chain. */
  name: string;
  node: ChildProcess;
  stop(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForRpc(url: string, node: ChildProcess, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new ChainError(`hardhat node exited with code ${node.exitCode} before serving ${url}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new ChainError(`hardhat node did not answer on ${url} within ${seconds} s`);
}

export interface LocalChainOptions {
  port?: number;
  /** deployments/<name>.json to write; default "localhost". Tests use a unique name. */
  name?: string;
  /** Print the node's and the deploy's output (default: quiet). */
  verbose?: boolean;
  /**
   * A block every second, and blocks that may share a timestamp (hardhat.config.ts's `realtime`
   * network): chain time then follows the wall clock, for nodes that wait on it unattended (the
   * soak, `manager run`). Default: a block per transaction, for tests that move time themselves.
   */
  realtime?: boolean;
}

/** Starts a hardhat node, deploys the pool, and returns where it is. */
export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  const port = options.port ?? (await freePort());
  const name = options.name ?? "localhost";
  const url = `http://127.0.0.1:${port}`;
  const node = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port), ...(options.realtime ? ["--network", "realtime"] : [])], {
    cwd: ROOT,
    stdio: ["ignore", options.verbose ? "inherit" : "ignore", "inherit"],
    detached: true,
  });
  const stop = () => {
    if (node.exitCode === null && node.pid) {
      try {
        process.kill(-node.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitForRpc(url, node);
    const deploy = spawnSync("npx", ["hardhat", "run", "scripts/deploy.ts", "--network", "localhost"], {
      cwd: ROOT,
      stdio: options.verbose ? "inherit" : "pipe",
      env: { ...process.env, LOCALHOST_RPC_URL: url, PONAS_DEPLOYMENT_NAME: name },
    });
    if (deploy.status !== 0) {
      throw new ChainError(`deploy to ${url} failed with exit code ${deploy.status}: ${deploy.stderr?.toString().trim().split("\n").pop() ?? ""}`);
    }
    // record where this chain serves, so the app and the CLIs can find it from the name alone
    const deployment = { ...loadDeployment(name), rpc: url };
    writeDeployment(deployment);
    return { url, deployment, name, node, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
