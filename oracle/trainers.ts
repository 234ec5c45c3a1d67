// Re-training off the main event loop: the NAS engine's TrainerPool (worker processes) for the
// space and recipe of the round at hand. One pool at a time: rounds usually share a recipe, and
// keeping idle pools of other recipes would hold processes and memory for nothing. The node
// never runs more jobs than `workers`, so at most that many trainings run at once.
import type { Hex } from "viem";
import { TrainerPool, type BackendName, type Recipe, type TrainResult } from "../nas/index.js";

interface Entry {
  key: string;
  pool: TrainerPool;
  inflight: number;
  /** A worker died: replace the pool once its other jobs are done (TrainerPool does not respawn). */
  broken: boolean;
}

export class Trainers {
  private entries: Entry[] = [];

  constructor(private readonly options: { backend: BackendName; workers: number }) {}

  /** Trains `genome` under `recipe` in the space stored at `spacePath`. Rejects when a worker dies. */
  async train(spacePath: string, recipeKey: string, recipe: Recipe, genome: Hex): Promise<TrainResult> {
    const e = this.entryFor(`${spacePath}\n${recipeKey}`, spacePath, recipe);
    e.inflight++;
    try {
      return await e.pool.train(genome);
    } catch (err) {
      e.broken = true;
      throw err;
    } finally {
      e.inflight--;
      if (e.broken && e.inflight === 0) this.drop(e);
    }
  }

  private entryFor(key: string, spacePath: string, recipe: Recipe): Entry {
    const found = this.entries.find((e) => e.key === key && !e.broken);
    if (found) return found;
    for (const e of [...this.entries]) if (e.inflight === 0) this.drop(e);
    const e: Entry = {
      key,
      pool: new TrainerPool({ spacePath, recipe, backend: this.options.backend, workers: this.options.workers }),
      inflight: 0,
      broken: false,
    };
    this.entries.push(e);
    return e;
  }

  private drop(e: Entry): void {
    this.entries = this.entries.filter((x) => x !== e);
    void e.pool.close();
  }

  /** Stops every worker; trainings in progress are abandoned (their submissions stay unattested). */
  async close(): Promise<void> {
    const all = this.entries;
    this.entries = [];
    await Promise.all(all.map((e) => e.pool.close()));
  }
}
