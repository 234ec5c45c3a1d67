// Plain words for every custom error the pool, its verifier committee, its token and its randomness beacon can revert with: what went wrong and
// what the person who caused it can do. The one table behind the nodes' one-line CLI errors
// (chain/errors.ts) and the web app's failed-transaction messages (app/src/lib/errors.ts);
// reverts.test.ts checks that it covers every error in the generated ABIs.
import { keccak256, toBytes } from "viem";
import { fmtTokens, isoTime } from "./format.js";

/** The words for one revert. Fragments start lower-case and carry no final full stop. */
export interface RevertWords {
  /** What went wrong. */
  what: string;
  /** What to do about it; absent when there is nothing the caller can do. */
  fix?: string;
  /** The same advice in command-line terms (flags), where it differs from `fix`. */
  cliFix?: string;
}

type Words = (args: readonly unknown[]) => RevertWords;

const tokens = (v: unknown): string => fmtTokens(BigInt(v as bigint));
const date = (v: unknown): string => isoTime(BigInt(v as bigint));
/** σ_p on chain is in bps · 1e6 (IPoNASPool.RoundParams.sigmaThreshold). */
const sigma = (v: unknown): string => `${(Number(v) / 1e8).toFixed(2)}%`;
const slotName = (r: unknown, t: unknown, s: unknown): string => `task ${t} slot ${s} of round ${r}`;

/**
 * The rules of openRound's parameters, in the order of IPoNASPool.ParamRule (the code
 * PoNASPoolInvalidParams carries): the pool has no room for revert strings, so the words live here.
 */
export const PARAM_RULES = [
  "windows must satisfy now < commitEnd, commitEnd + 2 <= revealEnd, revealEnd + 16 <= verifyEnd (every phase of the verify window needs a second)",
  "arities must declare at least one gene",
  "rewardTotal must be positive",
  "minStake must be positive",
  "baselineBps and slashBps must be below 10000 and toleranceBps, sampleBps, noShowBps at most 10000",
  "quorum must be odd, 3 to 9: no single verifier decides",
  "topK must be 0..8",
  "maxBackups must be 0..8",
  "maxTasksPerMiner must be positive",
  "verifierFee must fit in 80 bits",
  "masks and values must be non-empty and equal in length",
  "the verify window must be at least 4 times the randomness source's delayBound() (a beacon's reveal window), so that a withheld secret cannot hold the seed past the challenges",
] as const;
/** The contracts' roles by their hash (AccessControl reverts with the hash). */
const ROLE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  ["MANAGER_ROLE", "PAUSER_ROLE"].map((r) => [keccak256(toBytes(r)), r]).concat([[`0x${"00".repeat(32)}`, "DEFAULT_ADMIN_ROLE"]]),
);
const roleName = (v: unknown): string => ROLE_NAMES[String(v).toLowerCase()] ?? String(v);
const paramRule = (v: unknown): string => PARAM_RULES[Number(v)] ?? `rule ${v}`;

export const REVERTS: Readonly<Record<string, Words>> = {
  // --- pool: arguments -------------------------------------------------------------------------
  PoNASPoolZeroAddress: () => ({ what: "an address argument is the zero address", fix: "pass a real address" }),
  PoNASPoolTokenSupplyTooLarge: ([supply, limit]) => ({
    what: `the token's supply ${tokens(supply)} does not fit the pool's 96-bit accounting (it must be below ${tokens(limit)})`,
    fix: "deploy the pool with a token of smaller fixed supply (PoolToken's supply parameter)",
  }),
  PoNASPoolZeroAmount: () => ({ what: "the amount is zero", fix: "enter an amount above zero" }),
  PoNASPoolUnknownRound: ([r]) => ({ what: `round ${r} does not exist on this pool`, fix: "check the pool address and the round id", cliFix: "check --pool and the round id" }),
  PoNASPoolUnknownTask: ([r, t]) => ({ what: `round ${r} has no task ${t}`, fix: "pick one of the round's tasks" }),
  PoNASPoolInvalidParams: ([rule]) => ({ what: `the round parameters are invalid: ${paramRule(rule)}`, fix: "correct them and open the round again" }),
  PoNASPoolUnsafeStake: ([min, need]) => ({
    what: `the minimum stake ${tokens(min)} is below ${tokens(need)}, the least that makes a false claim lose money on average (rewardTotal·(1−p)/(p·(K+1)·(1−s)), s the verifiers' share of a slash)`,
    fix: "raise the minimum stake, the sample rate or top-K, or lower the reward or the slash share",
  }),
  PoNASPoolInvalidSubspace: ([i, mask, value]) => ({
    what: `task ${i}'s subspace (mask ${mask}, value ${value}) is not a subspace of the round's genes: a fixed gene's value must be below its arity and free genes must be zero in the value`,
    fix: "build the tasks with the partitioner (npm run partition) instead of by hand",
  }),
  // --- pool: windows ---------------------------------------------------------------------------
  PoNASPoolClaimWindowClosed: ([r, end]) => ({ what: `round ${r} stopped taking claims and commits at ${date(end)}`, fix: "wait for the next round" }),
  PoNASPoolNotInRevealWindow: ([r, from, to]) => ({ what: `round ${r} accepts reveals only after ${date(from)} and until ${date(to)}`, fix: "reveal inside that window" }),
  PoNASPoolNotInVerifyWindow: ([r, from, to]) => ({ what: `round ${r} is verified only after ${date(from)} and until ${date(to)}`, fix: "commit attestations or challenge inside that window" }),
  PoNASPoolChallengeWindowClosed: ([r, end]) => ({ what: `round ${r} stopped taking challenges at ${date(end)}, halfway through its verify window, so every challenged claim leaves time to re-train`, fix: "challenge earlier next round" }),
  PoNASPoolVerifyWindowOpen: ([r, end]) => ({ what: `round ${r} is still being verified until ${date(end)}`, fix: "finalise it after that" }),
  // --- pool: claims and stake ------------------------------------------------------------------
  PoNASPoolInsufficientFreeStake: ([, free, need]) => ({
    what: `not enough free stake: ${tokens(free)} free, ${tokens(need)} needed`,
    fix: "stake more, or wait for a finished round to release stake",
    cliFix: "stake more (the miner's --stake) or wait for a finished round to release stake",
  }),
  PoNASPoolTaskTaken: ([r, t, primary]) => ({
    what: `task ${t} of round ${r} already has a primary miner${primary ? ` (${primary})` : ""}`,
    fix: "pick another task, or join this one as a backup",
    cliFix: "pick another task or --task auto",
  }),
  PoNASPoolNoPrimary: ([r, t]) => ({ what: `task ${t} of round ${r} has no primary miner yet`, fix: "claim it as its primary instead of joining as a backup" }),
  PoNASPoolBackupsNotAllowed: ([r, t, s, threshold]) => ({
    what: `task ${t} of round ${r} takes no backups: its primary is reliable (σ_p ${sigma(s)} is below the threshold ${sigma(threshold)})`,
    fix: "pick another task",
  }),
  PoNASPoolBackupSlotsFull: ([r, t, max]) => ({ what: `all ${max} backup slots of task ${t} in round ${r} are taken`, fix: "pick another task" }),
  PoNASPoolAlreadyOnTask: ([r, t]) => ({ what: `this address already holds a place on task ${t} of round ${r}`, fix: "pick another task" }),
  PoNASPoolTooManyTasks: ([, r, max]) => ({ what: `a miner may hold at most ${max} tasks in round ${r}`, fix: "use another address or wait for the next round" }),
  PoNASPoolClaimOutOfOrder: ([, r, last]) => ({ what: `this address already claimed in round ${last}, and claims must go to rounds in increasing order (not round ${r})`, fix: `claim in round ${last} or later` }),
  // --- pool: reveals ---------------------------------------------------------------------------
  PoNASPoolNotYourSubmission: ([r, t, s]) => ({ what: `${slotName(r, t, s)} belongs to another miner`, fix: "use the task and slot your claim returned" }),
  PoNASPoolAlreadyRevealed: ([r, t, s]) => ({ what: `${slotName(r, t, s)} is already revealed (or was never committed)` }),
  PoNASPoolScoreOutOfRange: ([score]) => ({ what: `score ${score} bps is above 10000 (100%)`, fix: "give scores in basis points, 0..10000" }),
  PoNASPoolCommitmentNotFound: ([h]) => ({
    what: `no commitment ${h} was made: the genome, score or salt differ from the committed ones, or nothing was committed`,
    fix: "reveal exactly what was committed, with the saved salt",
  }),
  PoNASPoolInvalidGenome: ([genome, arities]) => ({ what: `genome ${genome} is not valid for the round's gene arities ${arities}: a gene is at or above its arity, or an unused gene is not zero` }),
  PoNASPoolGenomeOutsideSubspace: ([genome]) => ({ what: `genome ${genome} is outside the task's subspace`, fix: "search only inside the task you claimed" }),
  PoNASPoolTaskDelivered: ([r, t, slot]) => ({ what: `task ${t} of round ${r} is already delivered by slot ${slot}, so a backup's reveal does not count`, fix: "nothing to do: the backup's stake is released when the round is finalised" }),
  PoNASPoolDuplicateGenome: ([genome, t, s]) => ({ what: `genome ${genome} was committed earlier on task ${t} slot ${s}; the earliest commit of a genome wins` }),
  // --- pool: verification (raised inside the committee's calls) -------------------------------
  PoNASPoolNotCommittee: ([who]) => ({ what: `${who} is not this pool's verifier committee: verifiers challenge and attest through the committee contract`, fix: "send the call to the pool's committee (pool.committee())" }),
  PoNASPoolNotRevealed: ([r, t, s]) => ({ what: `${slotName(r, t, s)} has not been revealed, so there is nothing to attest or challenge` }),
  PoNASPoolNotSampled: ([r, t, s]) => ({ what: `${slotName(r, t, s)} is not sampled for verification`, fix: "challenge it first if it should be checked" }),
  PoNASPoolAlreadyFinal: ([r, t, s]) => ({ what: `${slotName(r, t, s)} already has a final, verified score` }),
  PoNASPoolAlreadyChallenged: ([r, t, s]) => ({ what: `${slotName(r, t, s)} is already challenged` }),
  PoNASPoolSeedNotFixed: ([r]) => ({
    what: `round ${r}'s sampling seed is not fixed yet: its randomness source has not delivered`,
    fix: "call fixSampleSeed after the reveal window ends and again a block or two later",
    cliFix: "run `npm run manager -- finalize`, which fixes the seed first",
  }),
  // --- pool: payouts ---------------------------------------------------------------------------
  PoNASPoolNotFinalized: ([r]) => ({ what: `round ${r} is not finalised yet`, fix: "wait for its verify window to end and the round to be finalised" }),
  PoNASPoolAlreadyFinalized: ([r]) => ({ what: `round ${r} is already finalised` }),
  PoNASPoolAlreadySettled: ([r, t, s]) => ({ what: `${slotName(r, t, s)} was already paid out` }),
  PoNASPoolNoSubmission: ([r, t, s]) => ({ what: `there is no submission on ${slotName(r, t, s)}` }),
  PoNASPoolNothingToSweep: ([r]) => ({ what: `round ${r} has nothing left for the treasury to sweep` }),
  // --- committee (VerifierCommittee) ----------------------------------------------------------
  VerifierCommitteeZeroAddress: () => ({ what: "an address argument is the zero address", fix: "pass a real address" }),
  VerifierCommitteeZeroAmount: () => ({ what: "the amount is zero", fix: "enter an amount above zero" }),
  VerifierCommitteeOnlyPool: ([who]) => ({ what: `${who} is not the pool this committee serves; only the pool funds rounds` }),
  VerifierCommitteeOnlyRandomness: ([who, consumer]) => ({
    what: `${who} is not the randomness source of pool ${consumer} this committee serves; only that source penalises a withheld beacon secret`,
    fix: "call the pool's BeaconRandomness penaliseNoShow instead",
  }),
  VerifierCommitteeNotVerifier: ([who]) => ({ what: `${who} is not an active verifier of this pool`, fix: "ask the pool admin to enrol it (the committee's setVerifier)" }),
  VerifierCommitteeNotInCommittee: ([r, who, since]) => ({
    what: `${who} was enrolled after round ${r} opened, so it is not in that round's committee (it verifies rounds from ${since} on)`,
    fix: "verify the rounds opened after the enrolment",
  }),
  VerifierCommitteeStakeTooLow: ([who, stake, need]) => ({ what: `${who} has ${tokens(stake)} of verifier stake but ${tokens(need)} is needed`, fix: "stake more as a verifier, or unstake less" }),
  VerifierCommitteeScoreOutOfRange: ([score]) => ({ what: `score ${score} bps is above 10000 (100%)`, fix: "seal scores in basis points, 0..10000" }),
  VerifierCommitteeAlreadyAttested: ([r, t, s]) => ({ what: `this verifier already committed an attestation of ${slotName(r, t, s)}` }),
  VerifierCommitteeNotInPhase: ([r, from, to]) => ({ what: `this attestation step of round ${r} is open only after ${date(from)} and until ${date(to)} (verify window: drawn commits, reveals, escalation commits and reveals, then decide)`, fix: "send it in that phase" }),
  VerifierCommitteeSeedPending: ([r]) => ({ what: `round ${r}'s sample seed is not fixed yet, so no verifier is drawn`, fix: "call the pool's fixSampleSeed (a block or two after the reveal window) and commit again" }),
  VerifierCommitteeNotDrawn: ([r, t, s, who]) => ({ what: `the round's randomness did not draw ${who} to attest ${slotName(r, t, s)}`, fix: "wait: if its drawn verifiers dispute it, attest it in the escalation phase" }),
  VerifierCommitteeWasDrawn: ([r, t, s, who]) => ({ what: `${who} was drawn for ${slotName(r, t, s)} and had its turn in the commit phase; an escalation is for the members not drawn` }),
  VerifierCommitteeNotDisputed: ([r, t, s]) => ({ what: `the drawn verifiers' reveals of ${slotName(r, t, s)} agree, so it takes no escalation attestation` }),
  VerifierCommitteeEscalated: ([r, t, s, until]) => ({ what: `${slotName(r, t, s)} is disputed and its escalation is open until ${date(until)}`, fix: "decide it after the escalation" }),
  VerifierCommitteeSealMismatch: ([r, t, s, who]) => ({ what: `the score, weights digest or salt ${who} revealed for ${slotName(r, t, s)} do not open its sealed commitment`, fix: "reveal exactly what was sealed, with the saved salt" }),
  VerifierCommitteeNotCommitted: ([r, t, s, who]) => ({ what: `${who} has no sealed, unrevealed attestation of ${slotName(r, t, s)} to reveal` }),
  VerifierCommitteeAttestationsFull: ([r, t, s]) => ({ what: `${slotName(r, t, s)} already has the most attestations a submission takes (9)` }),
  VerifierCommitteeAlreadyDecided: ([r, t, s]) => ({ what: `${slotName(r, t, s)} was already decided` }),
  VerifierCommitteeNothingToDecide: ([r, t, s]) => ({ what: `nobody committed an attestation of ${slotName(r, t, s)}, so there is nothing to decide` }),
  VerifierCommitteePenaltyTooLarge: ([penalty, min]) => ({ what: `a penalty of ${tokens(penalty)} is above the minimum verifier stake ${tokens(min)}`, fix: "set a penalty of at most the minimum verifier stake" }),
  VerifierCommitteeNothingToWithdraw: ([who]) => ({
    what: `${who} has no verifier fees to withdraw`,
    fix: "fees and slash shares are credited when a sampled submission it attested is decided",
    cliFix: "fees are credited when a submission it attested is decided; see `npm run verifier -- fees`",
  }),
  VerifierCommitteeVerifyWindowOpen: ([r, end]) => ({ what: `round ${r}'s fee budget can still be spent until ${date(end)}`, fix: "sweep its fees after the verify window ends" }),
  VerifierCommitteeNothingToSweep: ([r]) => ({ what: `round ${r} has no unspent verifier fees left to sweep` }),
  // --- randomness (BeaconRandomness: the committee's commit-reveal beacon) ---------------------
  BeaconRandomnessZeroWindow: () => ({ what: "the beacon's reveal window is zero seconds", fix: "deploy it with a reveal window of at least one second" }),
  BeaconRandomnessAlreadyRequested: ([consumer, r]) => ({ what: `pool ${consumer} already requested round ${r}'s value from the beacon` }),
  BeaconRandomnessNotRequested: ([consumer, r]) => ({ what: `pool ${consumer} has not requested round ${r}'s value from the beacon yet`, fix: "call the pool's fixSampleSeed after the round's reveal window" }),
  BeaconRandomnessCommitsClosed: ([consumer, r]) => ({ what: `the beacon stopped taking commitments for round ${r} of pool ${consumer}: the pool requested its value (after the reveal window)`, fix: "commit earlier, before the round's reveal window ends" }),
  BeaconRandomnessNotMember: ([, r, who]) => ({ what: `${who} is not in round ${r}'s committee, so it cannot commit to its beacon`, fix: "commit to the beacons of rounds opened after the verifier's enrolment" }),
  BeaconRandomnessAlreadyCommitted: ([, r, who]) => ({ what: `${who} already committed to round ${r}'s beacon` }),
  BeaconRandomnessInvalidCommitment: ([commitment]) => ({ what: `${commitment} is not a commitment (0, 1 and 2 mark an empty, revealed and penalised entry)`, fix: "commit commitmentOf(pool, round, member, secret)" }),
  BeaconRandomnessNotCommitted: ([, r, who]) => ({ what: `${who} has no unrevealed commitment to round ${r}'s beacon (it never committed, already revealed or was already penalised)` }),
  BeaconRandomnessInnerPending: ([, r]) => ({ what: `round ${r}'s inner randomness is not fixed yet, so the beacon's reveals are not open`, fix: "call the pool's fixSampleSeed a block or two later and reveal then" }),
  BeaconRandomnessRevealsClosed: ([, r, until]) => ({ what: `round ${r}'s beacon stopped taking reveals${BigInt(until as bigint) === 0n ? "" : ` at ${date(until)}`} (or its value is already fixed)` }),
  BeaconRandomnessWrongSecret: ([, r, who]) => ({ what: `the secret ${who} revealed does not open its commitment to round ${r}'s beacon`, fix: "reveal exactly the secret that was committed (the oracle keeps it in state.json)" }),
  BeaconRandomnessNotFixed: ([, r]) => ({ what: `round ${r}'s beacon value is not fixed yet, so nobody is a no-show yet`, fix: "penalise after the reveal window closes and fixSampleSeed fixes the value" }),
  // --- pool: roles and pause (OpenZeppelin) ----------------------------------------------------
  AccessControlUnauthorizedAccount: ([who, role]) => ({
    what: `${who} lacks the role ${roleName(role)} this call needs`,
    fix: "send it from an account that holds it (the deployer's admin account holds every role; the admin may grantRole it to another)",
  }),
  AccessControlBadConfirmation: () => ({ what: "renounceRole must be confirmed with the caller's own address" }),
  EnforcedPause: () => ({ what: "the pool is paused: claims, commits and reveals are stopped", fix: "wait for the pool to be unpaused; withdrawals, settlements and unstaking still work" }),
  ExpectedPause: () => ({ what: "the pool is not paused" }),
  ReentrancyGuardReentrantCall: () => ({ what: "the pool was re-entered during a call" }),
  SafeERC20FailedOperation: ([token]) => ({ what: `the token ${token} refused a transfer` }),
  // --- token (PoolToken: ERC20 + permit) -------------------------------------------------------
  PoolTokenZeroHolder: () => ({ what: "the token's initial holder is the zero address", fix: "deploy it with a real holder" }),
  ERC20InsufficientBalance: ([who, have, need]) => ({ what: `${who} holds ${tokens(have)} but ${tokens(need)} are needed`, fix: "get more PONAS first" }),
  ERC20InsufficientAllowance: ([spender, have, need]) => ({ what: `${spender} may spend ${tokens(have)} of this account's PONAS but needs ${tokens(need)}`, fix: "approve it first" }),
  ERC20InvalidApprover: ([a]) => ({ what: `${a} cannot approve a spender` }),
  ERC20InvalidReceiver: ([a]) => ({ what: `${a} cannot receive PONAS`, fix: "send to a real address" }),
  ERC20InvalidSender: ([a]) => ({ what: `${a} cannot send PONAS` }),
  ERC20InvalidSpender: ([a]) => ({ what: `${a} cannot be approved as a spender`, fix: "approve a real address" }),
  ERC2612ExpiredSignature: ([deadline]) => ({ what: `the permit expired at ${date(deadline)}`, fix: "sign a new permit" }),
  ERC2612InvalidSigner: ([signer, owner]) => ({ what: `the permit was signed by ${signer}, not by the owner ${owner}`, fix: "sign it with the owner's key" }),
  InvalidAccountNonce: ([who, nonce]) => ({ what: `the permit's nonce is not ${who}'s current nonce ${nonce}`, fix: "sign a new permit" }),
  ECDSAInvalidSignature: () => ({ what: "the permit signature is invalid", fix: "sign it again" }),
  ECDSAInvalidSignatureLength: ([n]) => ({ what: `the permit signature is ${n} bytes long instead of 65`, fix: "sign it again" }),
  ECDSAInvalidSignatureS: () => ({ what: "the permit signature is malleable (high s)", fix: "sign it again with a standard signer" }),
  InvalidShortString: () => ({ what: "a short-string field is malformed" }),
  StringTooLong: ([s]) => ({ what: `the string "${s}" is too long for a short string` }),
};

/** The words for a revert, or generic words naming the error when the table has none. */
export function revertWords(name: string, args: readonly unknown[] = []): RevertWords {
  const words = REVERTS[name];
  return words ? words(args) : { what: `the pool refused the call: ${name}(${args.map(String).join(", ")})` };
}

/** "what; fix (Name)": the one-line form the command-line nodes print. */
export function revertLine(name: string, args: readonly unknown[] = []): string {
  const w = revertWords(name, args);
  const fix = w.cliFix ?? w.fix;
  return `${w.what}${fix ? `; ${fix}` : ""} (${name})`;
}

/** "What. Fix.": the sentence form the web app shows (the error name is shown beside it). */
export function revertSentence(name: string, args: readonly unknown[] = []): string {
  const w = revertWords(name, args);
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return `${cap(w.what)}.${w.fix ? ` ${cap(w.fix)}.` : ""}`;
}
