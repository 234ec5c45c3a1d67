// Exhaustive search: every genome of the subspace in enumerateSubspace order. For the small
// subspaces a partition hands out, it is the strategy that cannot miss the best; the limit keeps
// someone from starting a search that would never finish.
import { SearchError } from "../errors.js";
import type { Strategy } from "./strategy.js";

export interface ExhaustiveOptions {
  /** Largest subspace it agrees to enumerate (default 4096). */
  limit?: number;
}

export const DEFAULT_EXHAUSTIVE_LIMIT = 4096;

export type ExhaustiveState = { next: number };

export function exhaustive(options: ExhaustiveOptions = {}): Strategy<ExhaustiveState> {
  const limit = options.limit ?? DEFAULT_EXHAUSTIVE_LIMIT;
  if (!(Number.isInteger(limit) && limit >= 1)) {
    throw new SearchError(`exhaustive: limit must be a positive integer, got ${limit}`);
  }
  return {
    name: "exhaustive",
    // The limit does not change which genomes come out or in what order, so a checkpoint may
    // resume under a different one.
    config: {},
    init(ctx) {
      if (ctx.size > limit) {
        throw new SearchError(
          `exhaustive: the subspace has ${ctx.size} architectures, more than the limit of ${limit}; use "random" or "evolution", fix more genes, or raise the limit`,
        );
      }
      return { next: 0 };
    },
    propose(state, _rng, ctx) {
      while (state.next < ctx.size) {
        const g = ctx.genomeAt(state.next++);
        if (!ctx.isEvaluated(g)) return g;
      }
      throw new SearchError("exhaustive: the subspace is exhausted");
    },
    observe() {},
  };
}
