// Random search: the baseline every other strategy must beat, and the one to use when nothing is
// known about the landscape. Uniform over the subspace without replacement: each proposal is
// uniform over the genomes not yet evaluated, so no training run is ever spent twice. It keeps no
// state of its own; the evaluated set and the Rng (both checkpointed by the driver) are enough.
import type { Strategy } from "./strategy.js";
import { SearchError } from "../errors.js";

export type RandomState = Record<string, never>;

export function randomSearch(): Strategy<RandomState> {
  return {
    name: "random",
    config: {},
    init: () => ({}),
    propose(_state, rng, ctx) {
      const g = ctx.randomUnevaluated(rng);
      // The driver stops before asking once everything is evaluated.
      if (g === null) throw new SearchError("random search: the subspace is exhausted");
      return g;
    },
    observe() {},
  };
}
