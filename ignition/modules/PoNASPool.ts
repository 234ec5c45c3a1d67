// Hardhat Ignition module: the pool token and the pool (whose constructor creates its
// VerifierCommittee: read pool.committee()). Parameters (all optional) come from
// `--parameters` or scripts/deploy.ts: token name/symbol/supply, admin, treasury and the minimum
// verifier stake. The deployer receives the whole token supply unless `holder` is given.
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("PoNASPool", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const treasury = m.getParameter("treasury", deployer);
  const holder = m.getParameter("holder", deployer);
  const supply = m.getParameter("supply", 100_000_000n * 10n ** 18n);
  const minVerifierStake = m.getParameter("minVerifierStake", 1_000n * 10n ** 18n);

  const token = m.contract("PoolToken", [
    m.getParameter("name", "PoNAS Pool Token"),
    m.getParameter("symbol", "PONAS"),
    holder,
    supply,
  ]);
  const pool = m.contract("PoNASPool", [token, admin, treasury, minVerifierStake]);
  return { token, pool };
});
