// The search driver: runs a strategy (strategy.ts) inside a subspace until a bound is hit, the
// subspace is exhausted or the caller says stop, checkpointing (checkpoint.ts) after every
// evaluation. It owns what must be the same for every strategy: the bounds, the no-genome-twice
// rule, the best-so-far and the resume, which is exact: a search stopped for any reason between
// evaluations and resumed ends with the same history as one that never stopped.
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Hex } from "viem";
import { SearchError } from "../errors.js";
import { Rng } from "../rng.js";
import { limitBreach } from "../space/cost.js";
import { isGenomeOf } from "../space/genome.js";
import { bytesToHex32, spaceId, type SearchSpace } from "../space/space.js";
import { allowedOptions, genomeAtOptions, inSubspace, type Subspace } from "../space/subspace.js";
import {
  CHECKPOINT_FIX,
  CHECKPOINT_FORMAT,
  mismatch,
  readCheckpoint,
  writeJsonAtomic,
  type Checkpoint,
  type CheckpointIdentity,
} from "./checkpoint.js";
import type { Evaluate, Evaluated, Evaluation, Json, SearchContext, Strategy } from "./strategy.js";

export interface EvaluationEvent<E extends Evaluation = Evaluation> {
  genome: Hex;
  evaluation: E;
  /** 0-based position in the history. */
  index: number;
  best: Evaluated<E>;
}

/** What the search holds before its first evaluation of this run: restored from the checkpoint, or nothing. */
export interface SearchStart<E extends Evaluation = Evaluation> {
  history: readonly Evaluated<E>[];
  best: Evaluated<E> | null;
  elapsedSeconds: number;
}

export interface SearchOptions<E extends Evaluation = Evaluation> {
  space: SearchSpace;
  subspace: Subspace;
  /** Unsigned 32-bit integer; the whole search is a function of it (and the evaluator). */
  seed: number;
  /** Bound on distinct evaluations (training runs), counted across resumes; capped at the subspace size. */
  maxEvaluations?: number;
  /** Bound on wall time in seconds, accumulated across resumes; checked between evaluations. */
  maxSeconds?: number;
  /** Checkpoint file: resumed from when it exists, rewritten atomically after every evaluation. */
  checkpoint?: string;
  /**
   * Asked once before every evaluation, after the previous one is in the checkpoint (and before
   * the first); true stops the search as "stopped". For a bound the driver cannot know, such as a
   * deadline in chain time. Not a bound by itself: maxEvaluations or maxSeconds is still needed.
   */
  shouldStop?: () => boolean | Promise<boolean>;
  /** Aborted: the search stops as "stopped" before its next evaluation (the running one ends first). */
  signal?: AbortSignal;
  /** Called once the checkpoint is restored (or found absent), before anything is evaluated. */
  onStart?: (start: SearchStart<E>) => void;
  /** Called after each fresh evaluation, once it is safely in the checkpoint. */
  onEvaluation?: (event: EvaluationEvent<E>) => void;
}

/** "stopped": shouldStop said so, or the signal was aborted. */
export type StopReason = "evaluations" | "time" | "exhausted" | "stopped";

export interface SearchResult<E extends Evaluation = Evaluation> {
  /** Highest scoreBps; on ties the genome evaluated first. Null when nothing was evaluated. */
  best: Evaluated<E> | null;
  /** Every distinct evaluation in order, restored ones first. */
  history: Evaluated<E>[];
  evaluations: number;
  stoppedBy: StopReason;
  /** Wall time of the search, summed over every run that resumed it. */
  elapsedSeconds: number;
}

/**
 * More consecutive already-evaluated proposals than this means the strategy is stuck (every
 * strategy here reaches an unevaluated genome long before); without it a buggy strategy would
 * spin forever without ever awaiting.
 */
export const MAX_REPEATS_IN_A_ROW = 10_000;

const hexLower = (h: string): Hex => h.toLowerCase() as Hex;

/** Builds the context for `space`/`sub`; `evaluated` is the driver's live cache. */
export function createContext(
  space: SearchSpace,
  subspace: Subspace,
  evaluated: ReadonlyMap<Hex, unknown> = new Map(),
): SearchContext {
  const sub = { mask: hexLower(subspace.mask), value: hexLower(subspace.value) };
  const allowed = allowedOptions(space, sub);
  const size = allowed.reduce((n, o) => n * o.length, 1);
  const genomeAt = (k: number): Hex => {
    const g = k < size ? genomeAtOptions(allowed, k) : null;
    if (g === null) throw new SearchError(`index ${k} is outside the subspace (size ${size})`);
    return g;
  };
  return {
    space,
    subspace: sub,
    allowed,
    size,
    get evaluatedCount() {
      return evaluated.size;
    },
    genomeAt,
    isEvaluated: (g) => evaluated.has(hexLower(g)),
    randomUnevaluated(rng) {
      const left = size - evaluated.size;
      if (left <= 0) return null;
      // Per-gene draws are uniform over the product set; rejecting evaluated ones keeps it
      // uniform over the rest, at any subspace size. 64 straight rejections are only likely once
      // most of the subspace is evaluated (2^-64 at half), which only small subspaces reach;
      // then pick by rank among the rest, which is just as uniform.
      for (let t = 0; t < 64; t++) {
        const g = bytesToHex32(allowed.map((o) => (o.length === 1 ? o[0] : o[rng.int(o.length)])));
        if (!evaluated.has(g)) return g;
      }
      let r = rng.int(left);
      for (let k = 0; k < size; k++) {
        const g = genomeAt(k);
        if (!evaluated.has(g) && r-- === 0) return g;
      }
      return null;
    },
  };
}

function checkOptions(options: Pick<SearchOptions, "maxEvaluations" | "maxSeconds" | "seed">): void {
  const { maxEvaluations: n, maxSeconds: s, seed } = options;
  if (n === undefined && s === undefined) {
    throw new SearchError("a search needs a bound: pass maxEvaluations (number of training runs) and/or maxSeconds");
  }
  if (n !== undefined && !(Number.isInteger(n) && n >= 0)) {
    throw new SearchError(`maxEvaluations must be a non-negative integer, got ${n}`);
  }
  if (s !== undefined && !(typeof s === "number" && s >= 0 && !Number.isNaN(s))) {
    throw new SearchError(`maxSeconds must be a non-negative number, got ${s}`);
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new SearchError(`seed must be an unsigned 32-bit integer (0..4294967295), got ${seed}`);
  }
}

/**
 * Copies an evaluation through JSON: the checkpoint stores it that way, so a resumed search and
 * an uninterrupted one must hold the same thing (undefined fields dropped, NaN → null).
 */
function normaliseEvaluation<E extends Evaluation>(genome: Hex, raw: E): E {
  if (typeof raw !== "object" || raw === null || typeof raw.scoreBps !== "number" || !Number.isFinite(raw.scoreBps)) {
    throw new SearchError(
      `the evaluator returned ${
        typeof raw === "object" ? `scoreBps ${String(raw?.scoreBps)}` : String(raw)
      } for ${genome}; it must return an object with a finite number scoreBps`,
    );
  }
  try {
    return JSON.parse(JSON.stringify(raw)) as E;
  } catch (e) {
    throw new SearchError(
      `the evaluation of ${genome} is not JSON-serialisable (${(e as Error).message}); return plain data`,
    );
  }
}

/**
 * Runs `strategy` inside `options.subspace` until a bound is hit, the subspace is exhausted or
 * the caller stops it. Each loop: propose → (already evaluated: hand the cached result back, no
 * training) → evaluate → observe → checkpoint. Bounds and the stop request are checked between
 * evaluations, before the next proposal, so an evaluation started before the deadline runs to its
 * end and a stopped search's checkpoint holds no half-made step. The time of an evaluation that
 * throws is not counted (the checkpoint predates it).
 */
export async function runSearch<S extends Json, E extends Evaluation>(
  strategy: Strategy<S>,
  evaluate: Evaluate<E>,
  options: SearchOptions<E>,
): Promise<SearchResult<E>> {
  checkOptions(options);
  const { space, seed, checkpoint, maxEvaluations, maxSeconds, shouldStop, signal, onStart, onEvaluation } = options;
  const evaluated = new Map<Hex, E>();
  const ctx = createContext(space, options.subspace, evaluated);
  const identity: CheckpointIdentity = {
    format: CHECKPOINT_FORMAT,
    strategy: strategy.name,
    strategyConfig: strategy.config,
    spaceId: spaceId(space),
    spaceName: space.name,
    subspace: ctx.subspace,
    seed,
  };

  // init runs on resume too: it is where a strategy refuses a subspace it cannot search.
  let state = strategy.init(ctx);
  let rng = new Rng(seed);
  let history: Evaluated<E>[] = [];
  let elapsedBefore = 0;

  if (checkpoint !== undefined && existsSync(checkpoint)) {
    const cp = readCheckpoint(checkpoint);
    const diff = mismatch(cp, identity);
    if (diff) throw new SearchError(`checkpoint ${checkpoint} belongs to another search: ${diff}; ${CHECKPOINT_FIX}`);
    for (const h of cp.history) {
      const g = typeof h?.genome === "string" ? hexLower(h.genome) : "";
      if (!isGenomeOf(space, g) || !inSubspace(g, ctx.subspace) || evaluated.has(g as Hex)) {
        throw new SearchError(
          `checkpoint ${checkpoint} holds a foreign or repeated genome ${String(h?.genome)}; ${CHECKPOINT_FIX}`,
        );
      }
      evaluated.set(g as Hex, h.evaluation as E);
    }
    history = cp.history as Evaluated<E>[];
    state = cp.state as S;
    rng = new Rng(cp.rng);
    elapsedBefore = cp.elapsedSeconds;
  }

  let best: Evaluated<E> | null = null;
  for (const h of history) if (best === null || h.evaluation.scoreBps > best.evaluation.scoreBps) best = h;
  onStart?.({ history: [...history], best, elapsedSeconds: elapsedBefore });

  const started = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - started) / 1000;
  const save = () => {
    if (checkpoint === undefined) return;
    const cp: Checkpoint = { ...identity, elapsedSeconds: elapsed(), rng: rng.state, state, history };
    writeJsonAtomic(checkpoint, cp, { compact: true });
  };

  let stoppedBy: StopReason;
  let repeats = 0;
  // The stop request is asked once per evaluation, not once per cached proposal: those take no
  // time, and shouldStop may be a network call (the miner reads chain time).
  let askStop = true;
  for (;;) {
    if (evaluated.size >= ctx.size) {
      stoppedBy = "exhausted";
      break;
    }
    if (maxEvaluations !== undefined && history.length >= maxEvaluations) {
      stoppedBy = "evaluations";
      break;
    }
    if (maxSeconds !== undefined && elapsed() >= maxSeconds) {
      stoppedBy = "time";
      break;
    }
    if (askStop) {
      // the signal again after the await: it may have been aborted while shouldStop ran
      if (signal?.aborted || (shouldStop !== undefined && (await shouldStop())) || signal?.aborted) {
        stoppedBy = "stopped";
        break;
      }
      askStop = false;
    }
    const proposed = strategy.propose(state, rng, ctx);
    const genome = typeof proposed === "string" ? hexLower(proposed) : proposed;
    if (!isGenomeOf(space, genome) || !inSubspace(genome, ctx.subspace)) {
      throw new SearchError(
        `strategy "${strategy.name}" proposed ${String(proposed)}, which is not a genome of the subspace (mask ${
          ctx.subspace.mask
        }, value ${ctx.subspace.value}); this is a bug in the strategy`,
      );
    }
    const cached = evaluated.get(genome);
    if (cached !== undefined) {
      if (++repeats > MAX_REPEATS_IN_A_ROW) {
        throw new SearchError(
          `strategy "${strategy.name}" proposed only already-evaluated genomes ${MAX_REPEATS_IN_A_ROW} times in a row; this is a bug in the strategy`,
        );
      }
      strategy.observe(state, { genome, evaluation: cached, cached: true }, ctx);
      continue;
    }
    repeats = 0;
    const breach = limitBreach(space, genome);
    if (breach) {
      // over the space's limits (SearchSpace.limits): every trainer scores it 0 untrained, so it
      // is never the best and costs no evaluation of the budget; the strategy hears it scored 0
      const evaluation = { scoreBps: 0, reason: breach } as unknown as E;
      evaluated.set(genome, evaluation);
      strategy.observe(state, { genome, evaluation, cached: false }, ctx);
      continue;
    }
    const evaluation = normaliseEvaluation(genome, await evaluate(genome));
    const entry = { genome, evaluation };
    history.push(entry);
    evaluated.set(genome, evaluation);
    if (best === null || evaluation.scoreBps > best.evaluation.scoreBps) best = entry;
    strategy.observe(state, { genome, evaluation, cached: false }, ctx);
    save();
    onEvaluation?.({ genome, evaluation, index: history.length - 1, best });
    askStop = true;
  }
  save();
  return { best, history, evaluations: history.length, stoppedBy, elapsedSeconds: elapsed() };
}
