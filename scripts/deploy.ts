// Deploys PoolToken + PoNASPool (which creates its VerifierCommittee) and its randomness source with Hardhat Ignition to the selected network and writes
// deployments/<network>.json (chainId, addresses, deployment block), which the nodes and the app
// read. Usage: npx hardhat run scripts/deploy.ts --network localhost|external|hardhatMainnet
// Optional env: PONAS_ADMIN, PONAS_TREASURY, PONAS_MIN_VERIFIER_STAKE (wei), and
// PONAS_DEPLOYMENT_NAME to name the file after the chain (e.g. base-sepolia) instead of the
// Hardhat network (external).
import { network } from "hardhat";
import { rmSync } from "node:fs";
import PoNASPoolModule, { PoNASPoolWithSource } from "../ignition/modules/PoNASPool.js";
import { checkRandomnessFor } from "../chain/randomness.js";
import { writeDeployment, type Deployment } from "../deployments/index.js";

const connection = await network.getOrCreate();
const { ethers, ignition, networkName } = connection;
const chainId = Number((await ethers.provider.getNetwork()).chainId);

// A local dev chain starts empty every time; a journal from an earlier run would not match it.
if (chainId === 31337) rmSync("ignition/deployments/chain-31337", { recursive: true, force: true });

const parameters: Record<string, string> = {};
if (process.env.PONAS_ADMIN) parameters.admin = process.env.PONAS_ADMIN;
if (process.env.PONAS_TREASURY) parameters.treasury = process.env.PONAS_TREASURY;
if (process.env.PONAS_MIN_VERIFIER_STAKE) parameters.minVerifierStake = process.env.PONAS_MIN_VERIFIER_STAKE;

// The sample's randomness: an existing source (PONAS_RANDOMNESS, e.g. a VrfRandomness adapter),
// or a new BeaconRandomness over a FutureBlockRandomness (PONAS_RANDOMNESS_DELAY blocks, default
// 2; PONAS_BEACON_REVEAL_WINDOW seconds of reveals, default 120). Refused before
// anything is sent where one sequencer would choose a block-hash sample (chain/randomness.ts).
const given = process.env.PONAS_RANDOMNESS;
const kind = given ? await (await ethers.getContractAt("IRandomnessSource", given)).kind() : "committee-beacon";
checkRandomnessFor(chainId, kind);
if (process.env.PONAS_RANDOMNESS_DELAY) parameters.randomnessDelay = process.env.PONAS_RANDOMNESS_DELAY;
if (process.env.PONAS_BEACON_REVEAL_WINDOW) parameters.beaconRevealWindow = process.env.PONAS_BEACON_REVEAL_WINDOW;
const { token, pool } = given
  ? await ignition.deploy(PoNASPoolWithSource, { parameters: { PoNASPoolWithSource: { ...parameters, randomness: given } } })
  : await ignition.deploy(PoNASPoolModule, { parameters: { PoNASPool: parameters } });

// The exact block of the pool's creation, which the pool records itself: the first block the
// nodes must scan for its events.
const deploymentBlock = Number(await pool.deploymentBlock());

const deployment: Deployment = {
  network: process.env.PONAS_DEPLOYMENT_NAME ?? networkName,
  chainId,
  contracts: { PoNASPool: await pool.getAddress(), VerifierCommittee: await pool.committee(), PoolToken: await token.getAddress() },
  randomness: { address: await pool.randomness(), kind },
  deploymentBlock,
  deployedAt: new Date().toISOString(),
};
const file = writeDeployment(deployment);
console.log(JSON.stringify({ ...deployment, file }, null, 2));
