// Hardhat Ignition modules: the pool token and the pool (whose constructor creates its
// VerifierCommittee: read pool.committee()), with the randomness source its samples come from.
// `PoNASPool` (the default) also deploys a FutureBlockRandomness with `randomnessDelay` blocks
// and the committee's BeaconRandomness over it (`beaconRevealWindow` seconds of reveals);
// `PoNASPoolWithSource` takes an existing source's address as `randomness` (a VrfRandomness
// adapter on chains where one sequencer builds every block: scripts/deploy.ts picks and checks).
// Other parameters (all optional) come from `--parameters` or scripts/deploy.ts: token
// name/symbol/supply, admin, treasury and the minimum verifier stake. The deployer receives the
// whole token supply unless `holder` is given.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ArgumentType, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

function tokenAndPool(m: IgnitionModuleBuilder, randomness: ArgumentType) {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const treasury = m.getParameter("treasury", deployer);
  const holder = m.getParameter("holder", deployer);
  const supply = m.getParameter("supply", 100_000_000n * 10n ** 18n);
  const minVerifierStake = m.getParameter("minVerifierStake", 1_000n * 10n ** 18n);
  const token = m.contract("PoolToken", [m.getParameter("name", "PoNAS Pool Token"), m.getParameter("symbol", "PONAS"), holder, supply]);
  const pool = m.contract("PoNASPool", [token, admin, treasury, minVerifierStake, randomness]);
  return { token, pool };
}

export default buildModule("PoNASPool", (m) => {
  // the committee's beacon over a future block hash: the builder of the target block never sees
  // the members' secrets (BeaconRandomness); with no member committing it is the block hash alone
  const inner = m.contract("FutureBlockRandomness", [m.getParameter("randomnessDelay", 2n)]);
  const randomness = m.contract("BeaconRandomness", [inner, m.getParameter("beaconRevealWindow", 120n)]);
  return { ...tokenAndPool(m, randomness), randomness, inner };
});

export const PoNASPoolWithSource = buildModule("PoNASPoolWithSource", (m) => tokenAndPool(m, m.getParameter<string>("randomness")));
