// What the verifier node knows about the rounds it follows, and how pool events change it: the
// rounds (parameters, sample seed, how to re-train them) and their revealed submissions, each with
// where this verifier stands on it (SubState). A reducer: no chain access and no I/O, so the
// node's bookkeeping is tested without a chain (rounds.test.ts). Applying an event twice changes
// nothing the second time, because a restart reads the events of every open round again.
//
// Which submission to re-train next is decided here too: earliest commit deadline first (the one
// that would be missed soonest), then the highest claim (the one most worth catching if false).
import type { Address, Hex } from "viem";
import type { AttestPhases } from "../chain/actions/attest.js";
import type { PoolLog } from "../chain/actions/history.js";
import type { RoundParams } from "../chain/round.js";
import type { Recipe, SearchSpace } from "../nas/index.js";

/** How to re-train a round's submissions: its space (and the file a worker loads) and its recipe. */
export interface Engine {
  space: SearchSpace;
  spacePath: string;
  recipe: Recipe;
  recipeKey: string;
}

export interface Round {
  id: bigint;
  openedBlock: bigint;
  params: RoundParams;
  seed?: Hex;
  /** How to re-train this round's submissions; null when its space or recipe is not shipped. */
  engine: Engine | null;
  /** Whether this verifier is in the round's committee (enrolled before it opened); read once, when verification starts. */
  member?: boolean;
  /** An unpause moved its windows (WindowsExtended): `params` must be read again before they are trusted. */
  windowsMoved?: boolean;
  /** The verify window's phases (the lens's), read once verification starts. */
  phases?: AttestPhases;
  subs: Map<string, Sub>;
}

/**
 * new: not yet checked against the chain · unsampled: not in the sample (re-checked when
 * challenged) · queued/training: this verifier's job, before its commitment · standby: re-trained
 * and sealed, but the round did not draw this verifier for it: committed only if it is disputed
 * (the escalation phase) · attesting: a commit, reveal or decide transaction under way ·
 * committed: sealed on chain, waiting for its reveal phase · revealed: opened, waiting for the
 * decision (this node decides it after the reveals if nobody has) · done: decided, or nothing
 * left for us · missed: a phase ended first · gone: no longer attestable (not revealed).
 */
export type SubState = "new" | "unsampled" | "queued" | "training" | "standby" | "attesting" | "committed" | "revealed" | "done" | "missed" | "gone";

export interface Sub {
  round: Round;
  task: bigint;
  slot: bigint;
  miner: Address;
  genome: Hex;
  claimedBps: number;
  state: SubState;
  challenged: boolean;
  /** This node decided about challenging it (sent one, or found it pointless). */
  challengeDone: boolean;
  /** Worker crashes while training it; each delays the next try. */
  failures: number;
  /** Local time (Date.now()) before which it is not trained again. */
  retryAt: number;
  /** Our commitment is an escalation one (opened in the escalation-reveal phase); else drawn. */
  escalation?: boolean;
  /** The committee said it is disputed (its escalation open): decided only after the escalation. */
  disputed?: boolean;
}

/**
 * What the chain says about a submission, for this verifier (attest.ts `check`): todo (sampled,
 * not committed by us) · committed / revealed (our attestation's state) · final (decided, or no
 * room for another attestation) · unsampled · gone (not revealed).
 */
export type CheckResult = "todo" | "committed" | "revealed" | "final" | "unsampled" | "gone";

/** The rounds a node follows, by id. */
export type Rounds = Map<bigint, Round>;

/** The part of a pool log the reducer reads; tests write these by hand. */
export type PoolEvent = PoolLog extends infer L ? (L extends { eventName: infer N; args: infer A } ? { eventName: N; args: A; blockNumber: bigint } : never) : never;

export interface RoundsContext {
  /** This node's verifier address: its own AttestationCommitted and Attested events move its jobs on. */
  verifier: Address;
  /** How to re-train a newly seen round; null when this node cannot (the caller says why, once). */
  engineFor(roundId: bigint, params: RoundParams): Engine | null;
}

/** Key of a submission in Round.subs and in the state's seals (and, with ":step", its pendingTx): "round/task/slot". */
export const subKey = (round: bigint, task: bigint, slot: bigint): string => `${round}/${task}/${slot}`;

/** Log fields naming a submission. */
export const subFields = (s: Sub) => ({ round: Number(s.round.id), task: Number(s.task), slot: Number(s.slot) });

/** States in which a submission is still waiting for this verifier's decision (our AttestationCommitted moves them on). */
const WAITING: readonly SubState[] = ["new", "unsampled", "queued"];
/** States a decision (Verified, Undecided) ends: nothing left to send. A step in flight finds out itself. */
const UNDECIDED: readonly SubState[] = [...WAITING, "standby", "committed", "revealed"];

/**
 * Applies one pool event to `rounds`. Returns the round when the event opened one not seen before
 * (the caller records it as open), else undefined. Events of rounds opened before the node's
 * history starts are ignored.
 */
export function applyEvent(rounds: Rounds, e: PoolEvent, ctx: RoundsContext): Round | undefined {
  switch (e.eventName) {
    case "RoundOpened": {
      const id = e.args.roundId;
      if (rounds.has(id)) return undefined;
      const r: Round = { id, openedBlock: e.blockNumber, params: e.args.params, engine: ctx.engineFor(id, e.args.params), subs: new Map() };
      rounds.set(id, r);
      return r;
    }
    case "WindowsExtended": {
      // an unpause gave the paused time back: the windows that had not passed when the pause
      // began moved later. Which ones depends on when it began, which the event does not say, so
      // the node re-reads the round's windows (a flag, so a second read changes nothing)
      const r = rounds.get(e.args.roundId);
      if (r) r.windowsMoved = true;
      return undefined;
    }
    case "SampleSeedFixed": {
      const r = rounds.get(e.args.roundId);
      if (r) r.seed = e.args.seed;
      return undefined;
    }
    case "Revealed": {
      const a = e.args;
      const r = rounds.get(a.roundId);
      const k = subKey(a.roundId, a.task, a.slot);
      if (!r || r.subs.has(k)) return undefined;
      r.subs.set(k, {
        round: r,
        task: a.task,
        slot: a.slot,
        miner: a.miner,
        genome: a.genome,
        claimedBps: Number(a.claimedBps),
        state: "new",
        challenged: false,
        challengeDone: false,
        failures: 0,
        retryAt: 0,
      });
      return undefined;
    }
    case "Challenged": {
      const s = subOf(rounds, e.args);
      if (!s) return undefined;
      s.challenged = true;
      s.challengeDone = true;
      if (s.state === "unsampled") s.state = "new"; // now in the sample
      return undefined;
    }
    case "AttestationCommitted": {
      const s = subOf(rounds, e.args);
      // ours (read again after a restart): sealed, to be opened in the reveal phase (a step in
      // flight re-checks the chain before it sends)
      if (s && sameAddress(e.args.verifier, ctx.verifier)) {
        s.escalation = e.args.escalation;
        if (WAITING.includes(s.state) || s.state === "standby") s.state = "committed";
      }
      return undefined;
    }
    case "Attested": {
      const s = subOf(rounds, e.args);
      // ours: opened; what is left is the decision
      if (s && sameAddress(e.args.verifier, ctx.verifier) && (WAITING.includes(s.state) || s.state === "committed")) s.state = "revealed";
      return undefined;
    }
    case "Verified":
    case "Undecided": {
      const s = subOf(rounds, e.args);
      if (s && UNDECIDED.includes(s.state)) s.state = "done";
      return undefined;
    }
  }
  return undefined;
}

const sameAddress = (a: Address, b: Address) => a.toLowerCase() === b.toLowerCase();

function subOf(rounds: Rounds, a: { roundId: bigint; task: bigint; slot: bigint }): Sub | undefined {
  return rounds.get(a.roundId)?.subs.get(subKey(a.roundId, a.task, a.slot));
}

/** The state a submission moves to after a check: "todo" queues it for training. */
export function stateAfterCheck(c: CheckResult): SubState {
  return c === "todo" ? "queued" : c === "final" ? "done" : c;
}

/**
 * The commit phase of `r` ended: its queued submissions can no longer be committed and are marked
 * missed (returned, for the caller to count). A job already training finds out from the
 * committee's NotInPhase and counts itself.
 */
export function endCommits(r: Round): Sub[] {
  const missed = [...r.subs.values()].filter((s) => s.state === "queued");
  for (const s of missed) s.state = "missed";
  return missed;
}

/** The verify window of `r` ended: removes it; returns the submissions still queued (missed, for the caller to count). */
export function endRound(rounds: Rounds, r: Round): Sub[] {
  const missed = endCommits(r);
  rounds.delete(r.id);
  return missed;
}

/** Every submission of every round followed. */
export function* allSubs(rounds: Rounds): Generator<Sub> {
  for (const r of rounds.values()) yield* r.subs.values();
}

/** Submissions this verifier still has to re-train and commit: queued or training, or a transaction under way. */
export function pendingJobs(rounds: Rounds): number {
  let n = 0;
  for (const s of allSubs(rounds)) if (s.state === "queued" || s.state === "training" || s.state === "attesting") n++;
  return n;
}

/** The queued submission to train next at local time `nowMs`: earliest verifyEnd (its commit phase ends first), then highest claim; undefined when none is due. */
export function nextJob(rounds: Rounds, nowMs: number): Sub | undefined {
  let next: Sub | undefined;
  for (const s of allSubs(rounds)) {
    if (s.state !== "queued" || s.retryAt > nowMs) continue;
    const earlier =
      !next ||
      s.round.params.verifyEnd < next.round.params.verifyEnd ||
      (s.round.params.verifyEnd === next.round.params.verifyEnd && s.claimedBps > next.claimedBps);
    if (earlier) next = s;
  }
  return next;
}
