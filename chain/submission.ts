// How to read the pool's `Submission` struct (contracts/interfaces/IPoNASPool.sol): the status
// names and flag bits as the contract defines them, and the decoded view every reader shows (the
// manager's status, the web app). Pure and browser-safe: no node: imports.

import type { RawSubmission } from "./round.js";

/** Status enum order in IPoNASPool. */
export const STATUS = ["none", "claimed", "revealed", "settled"] as const;
export type SubmissionStatus = (typeof STATUS)[number];
/** The same enum by name, for comparing with a raw `status` (Status.Revealed === 2). */
export const Status = { None: 0, Claimed: 1, Revealed: 2, Settled: 3 } as const;

/** Submission.flags bits (PoNASPool.sol: CHALLENGED, VERIFIED, FRAUD, DUPLICATE). */
export const FLAGS = { CHALLENGED: 1, VERIFIED: 2, FRAUD: 4, DUPLICATE: 8 } as const;

export type { RawSubmission };

export interface SubmissionView {
  slot: number;
  miner: `0x${string}`;
  status: SubmissionStatus;
  claimedBps: number;
  /** The verified median, when verified. */
  finalBps: number | null;
  fraud: boolean;
  duplicate: boolean;
  challenged: boolean;
  /** Whether this slot is the one that counts for its task (slot 0's `active`). */
  counts: boolean;
}

/** Decodes slot `slot` of a task, given the task's primary (slot 0) for `active`. */
export function submissionView(sub: RawSubmission, primary: RawSubmission, slot: number): SubmissionView {
  return {
    slot,
    miner: sub.miner,
    status: STATUS[sub.status],
    claimedBps: sub.claimedBps,
    finalBps: sub.flags & FLAGS.VERIFIED ? sub.finalBps : null,
    fraud: (sub.flags & FLAGS.FRAUD) !== 0,
    duplicate: (sub.flags & FLAGS.DUPLICATE) !== 0,
    challenged: (sub.flags & FLAGS.CHALLENGED) !== 0,
    counts: primary.active === slot + 1,
  };
}
