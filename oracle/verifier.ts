// The start-up check of a verifier node: its key must be an active verifier of the pool's committee
// (the admin's setVerifier on VerifierCommittee) staked there at least at minVerifierStake, or it could not attest at all.
// With autoStake, a stake below the minimum is topped up from the key's own PONAS. Otherwise the
// node refuses to start with one line saying what to do.
import { formatUnits } from "viem";
import { DECIMALS, fmtTokens, sendCommittee, sendToken, type PoolConnection } from "../chain/node.js";
import { OracleError } from "./errors.js";
import type { Logger } from "../ops/log.js";

/** Resolves when `conn`'s account can verify; throws a one-line OracleError when it cannot. */
export async function ensureVerifier(conn: PoolConnection, o: { autoStake: boolean; log: Logger }): Promise<void> {
  const me = conn.account!.address;
  const read = conn.committeeContract.read;
  const [acct, min] = await Promise.all([read.verifierAccount([me]), read.minVerifierStake()]);
  if (!acct.active) {
    throw new OracleError(`${me} is not an active verifier of pool ${conn.pool}; ask the pool admin to call setVerifier(${me}, true) on its committee ${conn.committee}`);
  }
  if (acct.stake >= min) return;
  const need = min - acct.stake;
  if (!o.autoStake) {
    throw new OracleError(`verifier stake ${fmtTokens(acct.stake)} is below the pool's minimum ${fmtTokens(min)}; run with --auto-stake to add ${fmtTokens(need)} from ${me}`);
  }
  const balance = await conn.tokenContract.read.balanceOf([me]);
  if (balance < need) throw new OracleError(`--auto-stake needs ${fmtTokens(need)} but ${me} holds ${fmtTokens(balance)}; get PONAS first`);
  // serial: the same nonce queue as the node's attests and challenges
  await sendToken(conn, "approve", [conn.committee, need], { serial: true });
  await sendCommittee(conn, "stakeVerifier", [need], { serial: true });
  o.log.info({ staked: formatUnits(need, DECIMALS) }, "verifier stake topped up to the pool's minimum");
}
