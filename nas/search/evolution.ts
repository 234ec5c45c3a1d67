// Regularised (aging) evolution, Real et al. 2019 ("Regularized Evolution for Image Classifier
// Architecture Search", Algorithm 1). Chosen because it needs no model of the landscape, has two
// knobs, and its population is small plain data that checkpoints cleanly. Aging (drop the
// oldest, not the worst) keeps a lucky early score from pinning the search.
import type { Hex } from "viem";
import { SearchError } from "../errors.js";
import type { Rng } from "../rng.js";
import { bytesToHex32, hex32ToBytes } from "../space/space.js";
import type { SearchContext, Strategy } from "./strategy.js";

export interface EvolutionOptions {
  /** Population size P (default 20); capped at the subspace size. */
  populationSize?: number;
  /** Tournament size S (default 5): parents are the best of S draws, with replacement, as in the paper. */
  sampleSize?: number;
  /**
   * Children that were already evaluated cost no training but also teach nothing; after this
   * many in a row (default 100) the next child is an unevaluated random genome instead, so a
   * converged population cannot loop forever on a nearly exhausted subspace.
   */
  maxRepeats?: number;
}

export const EVOLUTION_DEFAULTS = { populationSize: 20, sampleSize: 5, maxRepeats: 100 } as const;

export type EvolutionState = {
  /** Oldest first. */
  population: { genome: Hex; scoreBps: number }[];
  /** Consecutive children answered from the cache. */
  repeats: number;
};

/** The parent with one gene moved to another option the subspace allows; fixed genes never move. */
export function mutate(genome: Hex, rng: Rng, ctx: SearchContext): Hex {
  const mutable = ctx.allowed.flatMap((o, i) => (o.length > 1 ? [i] : []));
  // Only a one-genome subspace has nothing to mutate; the driver stops it after one evaluation.
  if (mutable.length === 0) return genome;
  const bytes = hex32ToBytes(genome);
  const gene = mutable[rng.int(mutable.length)];
  const others = ctx.allowed[gene].filter((o) => o !== bytes[gene]);
  bytes[gene] = others[rng.int(others.length)];
  return bytesToHex32(bytes);
}

export function evolution(options: EvolutionOptions = {}): Strategy<EvolutionState> {
  const { populationSize, sampleSize, maxRepeats } = { ...EVOLUTION_DEFAULTS, ...options };
  for (const [k, v] of Object.entries({ populationSize, sampleSize, maxRepeats })) {
    if (!(Number.isInteger(v) && v >= 1)) throw new SearchError(`evolution: ${k} must be a positive integer, got ${v}`);
  }
  const cap = (ctx: SearchContext) => Math.min(populationSize, ctx.size);
  return {
    name: "evolution",
    config: { populationSize, sampleSize, maxRepeats },
    init: () => ({ population: [], repeats: 0 }),
    propose(state, rng, ctx) {
      const pop = state.population;
      // Initial population: random and distinct (P <= subspace size, so there is room).
      if (pop.length < cap(ctx) || state.repeats >= maxRepeats) {
        const g = ctx.randomUnevaluated(rng);
        if (g === null) throw new SearchError("evolution: the subspace is exhausted");
        return g;
      }
      let parent = pop[rng.int(pop.length)];
      for (let s = 1; s < sampleSize; s++) {
        const c = pop[rng.int(pop.length)];
        // Strictly better only: ties go to the earlier draw, which keeps it deterministic.
        if (c.scoreBps > parent.scoreBps) parent = c;
      }
      return mutate(parent.genome, rng, ctx);
    },
    observe(state, { genome, evaluation, cached }, ctx) {
      // A cached child still joins the population and ages out the oldest: the algorithm is
      // followed as if it had been trained, it just cost nothing.
      state.population.push({ genome, scoreBps: evaluation.scoreBps });
      if (state.population.length > cap(ctx)) state.population.shift();
      state.repeats = cached ? state.repeats + 1 : 0;
    },
  };
}
