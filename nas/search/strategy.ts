// The search driver and the contract every search strategy follows. Strategies only decide which
// genome to try next; the driver owns everything that must be identical across strategies: the
// bounds, the no-genome-twice rule, the best-so-far, and the checkpoint that lets a search killed
// mid-run (a training run takes minutes) resume exactly where it stopped. Everything a strategy
// remembers is plain JSON handed back to the driver, and every draw comes from one seeded Rng, so
// a resumed search replays the same proposals an uninterrupted one would have made.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";
import { performance } from "node:perf_hooks";
import canonicalize from "canonicalize";
import type { Hex } from "viem";
import { SearchError } from "../errors.js";
import { Rng, type RngState } from "../rng.js";
import { isGenomeOf } from "../space/genome.js";
import { bytesToHex32, spaceId, type SearchSpace } from "../space/space.js";
import { allowedOptions, inSubspace, type Subspace } from "../space/subspace.js";

/** What an evaluator reports. The trainer's TrainResult fits; extra fields are kept as given. */
export interface Evaluation {
  /** Higher is better; must be a finite number. */
  scoreBps: number;
}

/** Trains and scores one genome. A throw aborts the search without recording that genome. */
export type Evaluate<E extends Evaluation = Evaluation> = (genome: Hex) => Promise<E> | E;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Evaluated<E extends Evaluation = Evaluation> {
  genome: Hex;
  evaluation: E;
}

/** The subspace as strategies see it, plus what the driver has evaluated so far. */
export interface SearchContext {
  readonly space: SearchSpace;
  readonly subspace: Subspace;
  /** Options of each gene allowed in the subspace (length 1 = gene fixed). */
  readonly allowed: readonly (readonly number[])[];
  /** Number of genomes in the subspace. */
  readonly size: number;
  /** Genomes evaluated so far in this search (restored ones included). */
  readonly evaluatedCount: number;
  /** The k-th genome of the subspace in enumerateSubspace order. */
  genomeAt(k: number): Hex;
  isEvaluated(genome: Hex): boolean;
  /** Uniform over the not-yet-evaluated genomes of the subspace; null when none is left. */
  randomUnevaluated(rng: Rng): Hex | null;
}

/** One step a strategy learns from; `cached` = proposed again, answered without training. */
export interface Observation {
  genome: Hex;
  evaluation: Evaluation;
  cached: boolean;
}

/**
 * A search strategy. `state` is plain JSON the strategy mutates in place; the driver saves it in
 * the checkpoint after every evaluation, so it must hold everything the strategy needs to go on.
 * All randomness must come from the `rng` passed to propose (its state is checkpointed too).
 */
export interface Strategy<S extends Json = Json> {
  readonly name: string;
  /** The options that change behaviour; a checkpoint only resumes under the same config. */
  readonly config: { [key: string]: Json };
  /** Fresh state; may throw SearchError when the strategy cannot search this subspace. */
  init(ctx: SearchContext): S;
  /** The next genome to try; must lie in the subspace (the driver checks). */
  propose(state: S, rng: Rng, ctx: SearchContext): Hex;
  observe(state: S, step: Observation, ctx: SearchContext): void;
}

export interface EvaluationEvent<E extends Evaluation = Evaluation> {
  genome: Hex;
  evaluation: E;
  /** 0-based position in the history. */
  index: number;
  best: Evaluated<E>;
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
  /** Called after each fresh evaluation, once it is safely in the checkpoint. */
  onEvaluation?: (event: EvaluationEvent<E>) => void;
}

export type StopReason = "evaluations" | "time" | "exhausted";

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

export const CHECKPOINT_FORMAT = "ponas-search-checkpoint/1";

/** What a checkpoint file holds (JSON, one object). */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  strategy: string;
  strategyConfig: { [key: string]: Json };
  /** keccak256 of the canonical space (the contract's spaceId); `spaceName` is for humans. */
  spaceId: Hex;
  spaceName: string;
  subspace: Subspace;
  seed: number;
  elapsedSeconds: number;
  rng: RngState;
  state: Json;
  history: Evaluated[];
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
    if (!Number.isInteger(k) || k < 0 || k >= size)
      throw new SearchError(`index ${k} is outside the subspace (size ${size})`);
    const choice = new Array<number>(allowed.length);
    let rest = k;
    for (let i = allowed.length - 1; i >= 0; i--) {
      choice[i] = allowed[i][rest % allowed[i].length];
      rest = Math.floor(rest / allowed[i].length);
    }
    return bytesToHex32(choice);
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

/** Write to a temp file, fsync, rename: a crash leaves either the old or the new checkpoint. */
function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

const FIX = "delete the file to start a new search, or pass a different checkpoint path";

function readCheckpoint(path: string): Checkpoint {
  let cp: Partial<Checkpoint>;
  try {
    cp = JSON.parse(readFileSync(path, "utf8")) as Partial<Checkpoint>;
  } catch (e) {
    throw new SearchError(`checkpoint ${path} cannot be read as JSON (${(e as Error).message}); ${FIX}`);
  }
  if (typeof cp !== "object" || cp === null || cp.format !== CHECKPOINT_FORMAT) {
    throw new SearchError(`${path} is not a search checkpoint (format "${CHECKPOINT_FORMAT}"); ${FIX}`);
  }
  const ok =
    Array.isArray(cp.history) &&
    typeof cp.elapsedSeconds === "number" &&
    typeof cp.rng === "object" &&
    cp.rng !== null &&
    ["a", "b", "c", "d"].every((k) => Number.isInteger((cp.rng as unknown as Record<string, unknown>)[k])) &&
    "state" in cp;
  if (!ok)
    throw new SearchError(`checkpoint ${path} is incomplete (history, elapsedSeconds, rng or state missing); ${FIX}`);
  return cp as Checkpoint;
}

/** The first identity field where the checkpoint differs from this search, or null. */
function mismatch(
  cp: Checkpoint,
  mine: Omit<Checkpoint, "elapsedSeconds" | "rng" | "state" | "history">,
): string | null {
  const fields: [string, unknown, unknown][] = [
    ["strategy", cp.strategy, mine.strategy],
    ["strategyConfig", canonicalize(cp.strategyConfig), canonicalize(mine.strategyConfig)],
    ["spaceId", cp.spaceId, mine.spaceId],
    [
      "subspace.mask",
      typeof cp.subspace?.mask === "string" ? hexLower(cp.subspace.mask) : cp.subspace?.mask,
      mine.subspace.mask,
    ],
    [
      "subspace.value",
      typeof cp.subspace?.value === "string" ? hexLower(cp.subspace.value) : cp.subspace?.value,
      mine.subspace.value,
    ],
    ["seed", cp.seed, mine.seed],
  ];
  for (const [field, theirs, ours] of fields) {
    if (theirs !== ours) {
      const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
      const extra = field === "spaceId" ? ` (checkpoint space "${cp.spaceName}", this space "${mine.spaceName}")` : "";
      return `${field} differs: checkpoint has ${show(theirs)}, this search has ${show(ours)}${extra}`;
    }
  }
  return null;
}

/**
 * Runs `strategy` inside `options.subspace` until a bound is hit or the subspace is exhausted.
 * Each loop: propose → (already evaluated: hand the cached result back, no training) → evaluate
 * → observe → checkpoint. Bounds are checked between evaluations, so an evaluation started
 * before the deadline runs to its end. The time of an evaluation that throws is not counted
 * (the checkpoint predates it).
 */
export async function runSearch<S extends Json, E extends Evaluation>(
  strategy: Strategy<S>,
  evaluate: Evaluate<E>,
  options: SearchOptions<E>,
): Promise<SearchResult<E>> {
  checkOptions(options);
  const { space, seed, checkpoint, maxEvaluations, maxSeconds, onEvaluation } = options;
  const evaluated = new Map<Hex, E>();
  const ctx = createContext(space, options.subspace, evaluated);
  const identity = {
    format: CHECKPOINT_FORMAT,
    strategy: strategy.name,
    strategyConfig: strategy.config,
    spaceId: spaceId(space),
    spaceName: space.name,
    subspace: ctx.subspace,
    seed,
  } as const;

  // init runs on resume too: it is where a strategy refuses a subspace it cannot search.
  let state = strategy.init(ctx);
  let rng = new Rng(seed);
  let history: Evaluated<E>[] = [];
  let elapsedBefore = 0;

  if (checkpoint !== undefined && existsSync(checkpoint)) {
    const cp = readCheckpoint(checkpoint);
    const diff = mismatch(cp, identity);
    if (diff) throw new SearchError(`checkpoint ${checkpoint} belongs to another search: ${diff}; ${FIX}`);
    for (const h of cp.history) {
      const g = typeof h?.genome === "string" ? hexLower(h.genome) : "";
      if (!isGenomeOf(space, g) || !inSubspace(g, ctx.subspace) || evaluated.has(g as Hex)) {
        throw new SearchError(
          `checkpoint ${checkpoint} holds a foreign or repeated genome ${String(h?.genome)}; ${FIX}`,
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

  const started = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - started) / 1000;
  const save = () => {
    if (checkpoint === undefined) return;
    const cp: Checkpoint = { ...identity, elapsedSeconds: elapsed(), rng: rng.state, state, history };
    writeAtomic(checkpoint, JSON.stringify(cp));
  };

  let stoppedBy: StopReason;
  let repeats = 0;
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
    const evaluation = normaliseEvaluation(genome, await evaluate(genome));
    const entry = { genome, evaluation };
    history.push(entry);
    evaluated.set(genome, evaluation);
    if (best === null || evaluation.scoreBps > best.evaluation.scoreBps) best = entry;
    strategy.observe(state, { genome, evaluation, cached: false }, ctx);
    save();
    onEvaluation?.({ genome, evaluation, index: history.length - 1, best });
  }
  save();
  return { best, history, evaluations: history.length, stoppedBy, elapsedSeconds: elapsed() };
}
