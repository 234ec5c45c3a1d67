// Challenge policies: which revealed claims this verifier forces into the verification sample
// (the contract's `challenge`, open to committee verifiers from a reveal until verifyEnd).
// Sampling already re-trains the top-K and a seeded random share; a challenge raises the chance
// that a suspicious claim outside them is re-trained, which is what makes cheating unprofitable.
import { OracleError } from "./errors.js";

export interface ChallengePolicy {
  /** The policy as given on the command line, for logs. */
  readonly text: string;
  /** Whether to challenge a revealed claim of `claimedBps`. */
  shouldChallenge(claimedBps: number): boolean;
}

const NONE: ChallengePolicy = { text: "none", shouldChallenge: () => false };

/**
 * Parses `none` (the default: rely on the contract's sampling) or `above:<bps>` (challenge every
 * claim strictly above <bps>, 0..10000: claims that good are the ones worth lying about).
 */
export function parseChallengePolicy(text: string): ChallengePolicy {
  const t = text.trim().toLowerCase();
  if (t === "none" || t === "") return NONE;
  const m = /^above:(\d{1,5})$/.exec(t);
  if (m) {
    const bps = Number(m[1]);
    if (bps <= 10_000) return { text: `above:${bps}`, shouldChallenge: (claimed) => claimed > bps };
  }
  throw new OracleError(`unknown challenge policy "${text}": use none or above:<bps> with <bps> in 0..10000`);
}
