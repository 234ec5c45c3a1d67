// The NAS engine's heavy face: what miners, verifiers, the manager, the CLIs and the simulation
// import — the light face (nas/space/index.ts: the codec, browser-safe) plus everything that
// reads files, trains, searches or uses the bench tables. The web app imports the light face
// instead, so TensorFlow stays out of its bundle. Nothing outside nas/ re-implements any of it.
export * from "./space/index.js";
export { Rng, type RngState } from "./rng.js";
export * from "./space/files.js";
export * from "./train/recipe.js";
export * from "./train/backend.js";
export * from "./train/data.js";
export { trainGenome, type TrainOptions, type TrainResult } from "./train/trainer.js";
export { TrainerPool, type PoolOptions } from "./train/pool.js";
export * from "./search/index.js";
export * from "./bench/table.js";
export * from "./bench/timeModel.js";
