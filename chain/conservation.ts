// Token conservation, as a token holder (or the soak benchmark, after every round) checks it from
// views alone: each contract holds exactly what it owes.
//   token.balanceOf(pool)      == Σ miner balances + Σ_rounds (rewardTotal + forfeited − paid − swept)
//   token.balanceOf(committee) == Σ verifier stakes + Σ verifier fees
//                                 + Σ_rounds unswept (feeBudget − fees spent + penalties)
// `owed` is the one statement of the right-hand sides; `readConservation` reads its inputs through
// viem for a live pool, and the contract tests' invariant (test/helpers/pool.ts liabilities)
// through ethers. The accounts must cover every miner and verifier that ever
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

/** What one account holds in the two contracts (the pool's minerAccount, the committee's verifierAccount). */
export interface AccountLedger {
  minerBalance: bigint;
  verifierStake: bigint;
  verifierFees: bigint;
}

/** What one round leaves the contracts owing (getRound, getRoundState, the committee's roundFees). */
export interface RoundLedger {
  rewardTotal: bigint;
  forfeited: bigint;
  paid: bigint;
  swept: bigint;
  fees: { swept: boolean; budget: bigint; spent: bigint; penalties: bigint };
}

/** What the pool and the committee owe, given every account and every round. */
export function owed(accounts: readonly AccountLedger[], rounds: readonly RoundLedger[]): { pool: bigint; committee: bigint } {
  let pool = 0n;
  let committee = 0n;
  for (const a of accounts) {
    pool += a.minerBalance;
    committee += a.verifierStake + a.verifierFees;
  }
  for (const r of rounds) {
    pool += r.rewardTotal + r.forfeited - r.paid - r.swept;
    committee += r.fees.swept ? 0n : r.fees.budget - r.fees.spent + r.fees.penalties;
  }
  return { pool, committee };
}

export async function readConservation(c: PoolReader, accounts: readonly Address[], at?: { blockNumber: bigint }): Promise<Conservation> {
  const pc = c.publicClient;
  // every read at one block: on a live chain a fee or a settlement mined between two reads
  // would look like tokens appearing or vanishing
  const blockNumber = at?.blockNumber ?? (await pc.getBlockNumber({ cacheTime: 0 }));
  const pool = { address: c.pool, abi: poNASPoolAbi, blockNumber } as const;
  const committee = { address: c.committee, abi: verifierCommitteeAbi, blockNumber } as const;
  const accountLedgers = await Promise.all(
    accounts.map(async (a): Promise<AccountLedger> => {
      const [m, v] = await Promise.all([
        pc.readContract({ ...pool, functionName: "minerAccount", args: [a] }),
        pc.readContract({ ...committee, functionName: "verifierAccount", args: [a] }),
      ]);
      return { minerBalance: BigInt(m.balance), verifierStake: BigInt(v.stake), verifierFees: BigInt(v.fees) };
    }),
  );
  const rounds = await pc.readContract({ ...pool, functionName: "roundCount" });
  const roundLedgers: RoundLedger[] = [];
  for (let r = 1n; r <= rounds; r++) {
    const [p, s, f] = await Promise.all([
      pc.readContract({ ...pool, functionName: "getRound", args: [r] }),
      pc.readContract({ ...pool, functionName: "getRoundState", args: [r] }),
      pc.readContract({ ...committee, functionName: "roundFees", args: [r] }),
    ]);
    roundLedgers.push({ rewardTotal: BigInt(p.rewardTotal), forfeited: BigInt(s.forfeited), paid: BigInt(s.paid), swept: BigInt(s.swept), fees: { swept: f.swept, budget: BigInt(f.budget), spent: BigInt(f.spent), penalties: BigInt(f.penalties) } });
  }
  const { pool: owedPool, committee: owedCommittee } = owed(accountLedgers, roundLedgers);
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
