// What the verifier node knows about the rounds it follows, and how pool events change it: the
// rounds (parameters, sample seed, how to re-train them) and their revealed submissions, each with
// where this verifier stands on it (SubState). A reducer: no chain access and no I/O, so the
// node's bookkeeping is tested without a chain (rounds.test.ts). Applying an event twice changes
// nothing the second time, because a restart reads the events of every open round again.
//
// Which submission to re-train next is decided here too: earliest verify deadline first (the one
// that would be missed soonest), then the highest claim (the one most worth catching if false).
import type { Address, Hex } from "viem";
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
  subs: Map<string, Sub>;
}

/**
 * new: not yet checked against the chain · unsampled: not in the sample (re-checked when
 * challenged) · queued/training/attesting: this verifier's job · done: attested by us or final ·
 * missed: the window ended first · gone: no longer attestable (not revealed).
 */
export type SubState = "new" | "unsampled" | "queued" | "training" | "attesting" | "done" | "missed" | "gone";

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
  /** Measured score waiting to be attested (kept across RPC retries, not across restarts). */
  score?: number;
  /** Worker crashes while training it; each delays the next try. */
  failures: number;
  /** Local time (Date.now()) before which it is not trained again. */
  retryAt: number;
}

/** What the chain says about a submission, for this verifier (attest.ts `check`). */
export type CheckResult = "todo" | "attested" | "final" | "unsampled" | "gone";

/** The rounds a node follows, by id. */
export type Rounds = Map<bigint, Round>;

/** The part of a pool log the reducer reads; tests write these by hand. */
export type PoolEvent = PoolLog extends infer L ? (L extends { eventName: infer N; args: infer A } ? { eventName: N; args: A; blockNumber: bigint } : never) : never;

export interface RoundsContext {
  /** This node's verifier address: its own Attested events end its jobs. */
  verifier: Address;
  /** How to re-train a newly seen round; null when this node cannot (the caller says why, once). */
  engineFor(roundId: bigint, params: RoundParams): Engine | null;
}

/** Key of a submission in Round.subs and in the state's pendingTx: "round/task/slot". */
export const subKey = (round: bigint, task: bigint, slot: bigint): string => `${round}/${task}/${slot}`;

/** Log fields naming a submission. */
export const subFields = (s: Sub) => ({ round: Number(s.round.id), task: Number(s.task), slot: Number(s.slot) });

/** States in which a submission is still waiting for this verifier's decision (an Attested or Verified event ends them). */
const WAITING: readonly SubState[] = ["new", "unsampled", "queued"];

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
    case "Attested": {
      const s = subOf(rounds, e.args);
      // ours: nothing left to do (a job in flight re-checks the chain before it sends)
      if (s && e.args.verifier.toLowerCase() === ctx.verifier.toLowerCase() && WAITING.includes(s.state)) s.state = "done";
      return undefined;
    }
    case "Verified": {
      const s = subOf(rounds, e.args);
      if (s && WAITING.includes(s.state)) s.state = "done";
      return undefined;
    }
  }
  return undefined;
}

function subOf(rounds: Rounds, a: { roundId: bigint; task: bigint; slot: bigint }): Sub | undefined {
  return rounds.get(a.roundId)?.subs.get(subKey(a.roundId, a.task, a.slot));
}

/** The state a submission moves to after a check: "todo" queues it for training. */
export function stateAfterCheck(c: CheckResult): SubState {
  return c === "todo" ? "queued" : c === "unsampled" ? "unsampled" : c === "gone" ? "gone" : "done";
}

/**
 * The verify window of `r` ended: removes it, and marks its queued submissions missed (returned,
 * for the caller to count). A job already training or attesting finds out from the pool's
 * NotInVerifyWindow and counts itself.
 */
export function endRound(rounds: Rounds, r: Round): Sub[] {
  const missed = [...r.subs.values()].filter((s) => s.state === "queued");
  for (const s of missed) s.state = "missed";
  rounds.delete(r.id);
  return missed;
}

/** Every submission of every round followed. */
export function* allSubs(rounds: Rounds): Generator<Sub> {
  for (const r of rounds.values()) yield* r.subs.values();
}

/** Submissions this verifier still has to re-train and attest: queued, training or attesting. */
export function pendingJobs(rounds: Rounds): number {
  let n = 0;
  for (const s of allSubs(rounds)) if (s.state === "queued" || s.state === "training" || s.state === "attesting") n++;
  return n;
}

/** The queued submission to train next at local time `nowMs`: earliest verifyEnd, then highest claim; undefined when none is due. */
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
