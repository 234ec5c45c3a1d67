// The single source of truth for ABIs and addresses: the committed deployments/abi.ts must equal
// what the current build generates, and deployment files are validated with helpful errors.
import { expect } from "chai";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { renderAbis } from "../scripts/gen-abis.js";
import { deploymentFile, loadDeployment, writeDeployment, poNASPoolAbi, verifierCommitteeAbi } from "../deployments/index.js";
import { ethers } from "./helpers/pool.js";

describe("deployments", () => {
  it("deployments/abi.ts matches the build (run `npm run build` when this fails)", () => {
    expect(readFileSync("deployments/abi.ts", "utf8")).to.equal(renderAbis());
  });

  it("exports every external function of PoNASPool in the typed ABI", async () => {
    const fromArtifact = (await import("../artifacts/contracts/PoNASPool.sol/PoNASPool.json", { with: { type: "json" } })).default.abi;
    const names = (abi: readonly { type: string; name?: string }[]) => abi.filter((e) => e.type === "function").map((e) => e.name).sort();
    expect(names(poNASPoolAbi)).to.deep.equal(names(fromArtifact));
    expect(names(poNASPoolAbi)).to.include.members(["claim", "commit", "reveal", "withdraw", "settle", "finalize", "committee"]);
    const committeeArtifact = (await import("../artifacts/contracts/VerifierCommittee.sol/VerifierCommittee.json", { with: { type: "json" } })).default.abi;
    expect(names(verifierCommitteeAbi)).to.deep.equal(names(committeeArtifact));
    expect(names(verifierCommitteeAbi)).to.include.members(["commitAttestation", "revealAttestation", "decide", "challenge", "stakeVerifier", "withdrawFees", "sweepFees"]);
  });

  it("round-trips a deployment file and rejects bad ones with a fix in the message", () => {
    const d = {
      network: "unit-test-net",
      chainId: 31337,
      contracts: { PoNASPool: ethers.ZeroAddress, VerifierCommittee: ethers.ZeroAddress, PoolToken: ethers.ZeroAddress },
      deploymentBlock: 7,
      deployedAt: new Date(0).toISOString(),
    };
    const file = writeDeployment(d);
    try {
      expect(loadDeployment("unit-test-net")).to.deep.equal(d);
      writeFileSync(file, JSON.stringify({ chainId: 1 }));
      expect(() => loadDeployment("unit-test-net")).to.throw(/not a deployment file of this version.*redeploy/);
    } finally {
      rmSync(file, { force: true });
    }
    expect(() => loadDeployment("unit-test-net")).to.throw(/run `npx hardhat run scripts\/deploy.ts --network unit-test-net`/);
    expect(() => deploymentFile("../etc")).to.throw(/invalid network name/);
  });
});
