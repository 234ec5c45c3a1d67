// The search: the strategies by name, for CLIs and nodes that pick one from a flag or a config
// file, and what the rest of the house uses of the driver (run.ts), the strategy contract
// (strategy.ts) and the checkpoint file with its atomic writer (checkpoint.ts).
import { SearchError } from "../errors.js";
import { evolution, type EvolutionOptions } from "./evolution.js";
import { exhaustive, type ExhaustiveOptions } from "./exhaustive.js";
import { randomSearch } from "./random.js";
import type { Json, Strategy } from "./strategy.js";

export type StrategyOptions = EvolutionOptions & ExhaustiveOptions;

export const STRATEGIES = {
  random: (_options: StrategyOptions = {}): Strategy => randomSearch(),
  evolution: (options: StrategyOptions = {}): Strategy => evolution(options),
  exhaustive: (options: StrategyOptions = {}): Strategy => exhaustive(options),
} as const satisfies Record<string, (options?: StrategyOptions) => Strategy<Json>>;

export type StrategyName = keyof typeof STRATEGIES;

/** The strategy called `name`; SearchError listing the known ones otherwise. */
export function createStrategy(name: string, options: StrategyOptions = {}): Strategy {
  if (!Object.hasOwn(STRATEGIES, name)) {
    throw new SearchError(`unknown search strategy "${name}"; use one of ${Object.keys(STRATEGIES).join(", ")}`);
  }
  return STRATEGIES[name as StrategyName](options);
}

export { evolution, mutate, EVOLUTION_DEFAULTS, type EvolutionOptions, type EvolutionState } from "./evolution.js";
export { exhaustive, DEFAULT_EXHAUSTIVE_LIMIT, type ExhaustiveOptions, type ExhaustiveState } from "./exhaustive.js";
export { randomSearch, type RandomState } from "./random.js";
export * from "./strategy.js";
export * from "./run.js";
export {
  CHECKPOINT_FORMAT,
  checkpointEvaluations,
  readCheckpoint,
  writeJsonAtomic,
  type Checkpoint,
  type CheckpointIdentity,
} from "./checkpoint.js";
