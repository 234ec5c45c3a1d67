// The contract every search strategy follows: what a strategy author reads, and nothing else.
// Strategies only decide which genome to try next; the driver (run.ts) owns everything that must
// be identical across strategies: the bounds, the no-genome-twice rule, the best-so-far, and the
// checkpoint (checkpoint.ts) that lets a search killed mid-run (a training run takes minutes)
// resume exactly where it stopped. Everything a strategy remembers is plain JSON handed back to
// the driver, and every draw comes from one seeded Rng, so a resumed search replays the same
// proposals an uninterrupted one would have made.
import type { Hex } from "viem";
import type { Rng } from "../rng.js";
import type { SearchSpace } from "../space/space.js";
import type { Subspace } from "../space/subspace.js";

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
