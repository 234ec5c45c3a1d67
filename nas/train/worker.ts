// A training worker process (forked by pool.ts): sets up its backend once, loads the recipe's
// dataset once, then trains the genomes it is sent, one at a time, and replies with the results.
// One process per core keeps each backend single-threaded and deterministic.
import { loadSpace } from "../space/files.js";
import type { BackendName } from "./backend.js";
import { useBackend } from "./backend.js";
import { loadDataset } from "./data.js";
import { parseRecipe } from "./recipe.js";
import { trainGenome, type TrainResult } from "./trainer.js";
import type { Hex } from "viem";

export interface WorkerInit {
  spacePath: string;
  recipe: unknown;
  backend: BackendName;
}
export type WorkerRequest = { id: number; genome: Hex };
export type WorkerReply = { id: number; result?: TrainResult; error?: string } | { ready: true; backend: string };

const init = JSON.parse(process.env.PONAS_WORKER_INIT ?? "null") as WorkerInit | null;
if (!init || !process.send) {
  console.error("nas/train/worker.ts is started by nas/train/pool.ts, not by hand");
  process.exit(2);
}
const space = loadSpace(init.spacePath);
const recipe = parseRecipe(init.recipe);
const backend = await useBackend(init.backend);
const dataset = loadDataset(recipe);
const send = (m: WorkerReply) => process.send!(m);
// the pool's process is gone (killed, crashed): nobody will read our results, so stop now
process.on("disconnect", () => process.exit(0));

let queue = Promise.resolve();
process.on("message", (req: WorkerRequest) => {
  // serialise: tfjs is single-threaded per process and the parent sends one job at a time anyway
  queue = queue.then(async () => {
    try {
      send({ id: req.id, result: await trainGenome(space, req.genome, recipe, { dataset }) });
    } catch (e) {
      send({ id: req.id, error: (e as Error).message });
    }
  });
});
send({ ready: true, backend: backend.name });
