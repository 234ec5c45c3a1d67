// The NAS engine's public surface: what miners, verifiers, the manager, the web app and the
// simulation import. Nothing outside nas/ re-implements any of it.
export * from "./errors.js";
export { Rng, type RngState } from "./rng.js";
export * from "./space/space.js";
export * from "./space/genome.js";
export * from "./space/subspace.js";
export * from "./space/cost.js";
export * from "./space/partition.js";
export * from "./train/recipe.js";
export * from "./train/backend.js";
export * from "./train/data.js";
export { trainGenome, type TrainOptions, type TrainResult } from "./train/trainer.js";
export { TrainerPool, type PoolOptions } from "./train/pool.js";
export * from "./search/index.js";
export * from "./bench/table.js";
export * from "./bench/timeModel.js";
