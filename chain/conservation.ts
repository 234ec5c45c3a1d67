// Token conservation, as a token holder (or the soak benchmark, after every round) checks it from
// views alone: each contract holds exactly what it owes.
//   token.balanceOf(pool)      == Σ miner balances + Σ_rounds (rewardTotal + forfeited − paid − swept)
//   token.balanceOf(committee) == Σ verifier stakes + Σ verifier fees
//                                 + Σ_rounds unswept (feeBudget − fees spent + penalties)
// The same equations as the contract tests' invariant (test/helpers/pool.ts liabilities/holdings),
// read through viem for a live pool. The accounts must cover every miner and verifier that ever
// staked (the contracts keep no list of them): pass them, or read them from the Staked and
// VerifierStaked events.
import { erc20Abi, type Address } from "viem";
import { poNASPoolAbi, verifierCommitteeAbi } from "../deployments/abi.js";
import type { PoolReader } from "./client.js";

export interface Conservation {
  pool: { held: bigint; owed: bigint };
  committee: { held: bigint; owed: bigint };
  /** True when both contracts hold exactly what they owe. */
  ok: boolean;
}

export async function readConservation(c: PoolReader, accounts: readonly Address[], at?: { blockNumber: bigint }): Promise<Conservation> {
  const pc = c.publicClient;
  // every read at one block: on a live chain a fee or a settlement mined between two reads
  // would look like tokens appearing or vanishing
  const blockNumber = at?.blockNumber ?? (await pc.getBlockNumber({ cacheTime: 0 }));
  const pool = { address: c.pool, abi: poNASPoolAbi, blockNumber } as const;
  const committee = { address: c.committee, abi: verifierCommitteeAbi, blockNumber } as const;
  let owedPool = 0n;
  let owedCommittee = 0n;
  for (const a of accounts) {
    const [m, v] = await Promise.all([
      pc.readContract({ ...pool, functionName: "minerAccount", args: [a] }),
      pc.readContract({ ...committee, functionName: "verifierAccount", args: [a] }),
    ]);
    owedPool += BigInt(m.balance);
    owedCommittee += BigInt(v.stake) + BigInt(v.fees);
  }
  const rounds = await pc.readContract({ ...pool, functionName: "roundCount" });
  for (let r = 1n; r <= rounds; r++) {
    const [p, s, f] = await Promise.all([
      pc.readContract({ ...pool, functionName: "getRound", args: [r] }),
      pc.readContract({ ...pool, functionName: "getRoundState", args: [r] }),
      pc.readContract({ ...committee, functionName: "roundFees", args: [r] }),
    ]);
    owedPool += BigInt(p.rewardTotal) + BigInt(s.forfeited) - BigInt(s.paid) - BigInt(s.swept);
    owedCommittee += f.swept ? 0n : BigInt(f.budget) - BigInt(f.spent) + BigInt(f.penalties);
  }
  const [heldPool, heldCommittee] = await Promise.all([
    pc.readContract({ address: c.token, abi: erc20Abi, functionName: "balanceOf", args: [c.pool], blockNumber }),
    pc.readContract({ address: c.token, abi: erc20Abi, functionName: "balanceOf", args: [c.committee], blockNumber }),
  ]);
  return {
    pool: { held: heldPool, owed: owedPool },
    committee: { held: heldCommittee, owed: owedCommittee },
    ok: heldPool === owedPool && heldCommittee === owedCommittee,
  };
}
