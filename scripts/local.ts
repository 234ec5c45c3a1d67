// The main job on the embedded default: starts a Hardhat node on a free loopback port, deploys
// the pool to it with Ignition, and prints the deployment (deployments/localhost.json). With
// --keep the node keeps running (Ctrl-C stops it); otherwise it is stopped after the deploy.
import { parseArgs } from "node:util";
import { explainError } from "../chain/errors.js";
import { startLocalChain } from "../chain/localChain.js";

const { values: args } = parseArgs({
  options: { keep: { type: "boolean", default: false }, port: { type: "string" } },
});
const port = args.port === undefined ? undefined : Number(args.port);
if (port !== undefined && (!Number.isInteger(port) || port <= 0 || port > 65535)) {
  console.error(`--port must be a TCP port number (1-65535), got "${args.port}"`);
  process.exit(2);
}

try {
  const chain = await startLocalChain({ port, verbose: true });
  console.log(`hardhat node on ${chain.url}`);
  process.on("SIGINT", () => (chain.stop(), process.exit(130)));
  if (args.keep) {
    console.log(`node left running on ${chain.url} (Ctrl-C to stop)`);
    await new Promise(() => {});
  }
  chain.stop();
} catch (e) {
  console.error(`local deploy failed: ${explainError(e)}`);
  process.exitCode = 1;
}
