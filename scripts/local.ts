// The main job on the embedded default: starts a Hardhat node on a free loopback port, deploys
// the pool to it with Ignition, and prints the deployment (deployments/localhost.json). With
// --keep the node keeps running (Ctrl-C stops it); otherwise it is stopped after the deploy.
// The full demo round (miners, verifiers, payouts) arrives with the oracle/miner issue.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { keep: { type: "boolean", default: false }, port: { type: "string" } },
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForRpc(url: string, node: ReturnType<typeof spawn>, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new Error(`hardhat node exited with code ${node.exitCode} before serving ${url}`);
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
  throw new Error(`hardhat node did not answer on ${url} within ${seconds} s`);
}

const port = args.port ? Number(args.port) : await freePort();
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`--port must be a TCP port number (1-65535), got "${args.port}"`);
  process.exit(2);
}
const url = `http://127.0.0.1:${port}`;
const node = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)], {
  stdio: ["ignore", "ignore", "inherit"],
  // Its own process group, so stopping it also stops the node that npx starts.
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
process.on("SIGINT", () => (stop(), process.exit(130)));
try {
  await waitForRpc(url, node);
  console.log(`hardhat node on ${url}`);
  const deploy = spawnSync("npx", ["hardhat", "run", "scripts/deploy.ts", "--network", "localhost"], {
    stdio: "inherit",
    env: { ...process.env, LOCALHOST_RPC_URL: url },
  });
  if (deploy.status !== 0) throw new Error(`deploy failed with exit code ${deploy.status}`);
  if (args.keep) {
    console.log(`node left running on ${url} (Ctrl-C to stop)`);
    await new Promise(() => {});
  }
} catch (e) {
  console.error(`local deploy failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  if (!args.keep) stop();
}
