// The verifier committee's roster, as the pool admin manages it: who was ever enrolled (from the
// committee's VerifierSet events: the roster itself is private), each member's account (stake,
// credited fees, active, the first round it verifies) and whether it holds the minimum stake, and
// enrolling or removing a member (the committee's setVerifier, DEFAULT_ADMIN_ROLE). openRound reads
// the roster to refuse a quorum the committee cannot fill. Browser-safe.
import { getAddress, type Address } from "viem";
import { verifierCommitteeAbi } from "../../deployments/abi.js";
import type { PoolClient, PoolReader } from "../client.js";
import { ChainError } from "../errors.js";
import { getPoolEvents } from "./history.js";
import { sendCommittee, type SendOptions } from "./send.js";

export interface CommitteeMember {
  address: Address;
  active: boolean;
  stake: bigint;
  /** Credited fees and slash shares not yet withdrawn. */
  fees: bigint;
  /** The first round whose committee it is in. */
  sinceRound: bigint;
  /** Whether it holds at least minVerifierStake: an active, staked member can attest. */
  staked: boolean;
}

export interface Committee {
  minVerifierStake: bigint;
  penalty: bigint;
  members: CommitteeMember[];
  /** Active members holding the minimum stake: those a round opened now could draw to attest. */
  activeStaked: number;
}

const committee = (c: PoolReader) => ({ address: c.committee, abi: verifierCommitteeAbi }) as const;

/** Everyone ever enrolled, in enrolment order, with their accounts now. */
export async function readCommittee(c: PoolReader): Promise<Committee> {
  const pc = c.publicClient;
  const [logs, minVerifierStake, penalty] = await Promise.all([
    getPoolEvents(c, { eventName: "VerifierSet" }),
    pc.readContract({ ...committee(c), functionName: "minVerifierStake" }),
    pc.readContract({ ...committee(c), functionName: "penalty" }),
  ]);
  const seen = new Set<Address>();
  for (const l of logs) seen.add(getAddress(l.args.verifier));
  const members = await Promise.all(
    [...seen].map(async (address): Promise<CommitteeMember> => {
      const v = await pc.readContract({ ...committee(c), functionName: "verifierAccount", args: [address] });
      return { address, active: v.active, stake: v.stake, fees: v.fees, sinceRound: BigInt(v.sinceRound), staked: v.stake >= minVerifierStake };
    }),
  );
  return { minVerifierStake, penalty, members, activeStaked: members.filter((m) => m.active && m.staked).length };
}

/**
 * Enrols (`active` true) or removes a verifier; refuses a no-op in one line before sending (the
 * contract would accept it and only re-emit VerifierSet). An account without the committee's
 * admin role gets the contract's AccessControlUnauthorizedAccount.
 */
export async function setCommitteeMember(c: PoolClient, verifier: Address, active: boolean, options?: SendOptions) {
  const v = await c.publicClient.readContract({ ...committee(c), functionName: "verifierAccount", args: [verifier] });
  if (v.active === active) {
    throw new ChainError(active ? `${verifier} is already an active verifier of this pool's committee` : `${verifier} is not an active verifier of this pool's committee: nothing to remove`);
  }
  return sendCommittee(c, "setVerifier", [verifier, active], options);
}
