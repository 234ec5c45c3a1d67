// A pool of training worker processes (worker.ts), one per core by default: the tabular
// benchmark, a miner searching on a multi-core box and a verifier re-training a batch all train
// in parallel through it. Each job goes to the next idle worker; results come back as promises.
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Hex } from "viem";
import { NasError } from "../errors.js";
import type { BackendName } from "./backend.js";
import type { Recipe } from "./recipe.js";
import type { TrainResult } from "./trainer.js";
import type { WorkerReply, WorkerRequest } from "./worker.js";

export interface PoolOptions {
  spacePath: string;
  recipe: Recipe;
  backend?: BackendName;
  /** Worker processes; default: the number of cores. */
  workers?: number;
}

// workers run TypeScript sources directly, through the same loader as the CLIs (resolved from
// here, so the pool works from any working directory)
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

interface Worker {
  proc: ChildProcess;
  busy: boolean;
  ready: Promise<void>;
}

export class TrainerPool {
  private readonly workers: Worker[] = [];
  private readonly waiting: { genome: Hex; resolve: (r: TrainResult) => void; reject: (e: Error) => void }[] = [];
  private readonly inflight = new Map<number, { w: Worker; resolve: (r: TrainResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private closed = false;

  constructor(options: PoolOptions) {
    const n = options.workers ?? availableParallelism();
    if (!Number.isInteger(n) || n < 1) throw new NasError(`workers must be a positive integer, got ${n}`);
    const script = fileURLToPath(new URL("./worker.ts", import.meta.url));
    const env = {
      ...process.env,
      PONAS_WORKER_INIT: JSON.stringify({ spacePath: options.spacePath, recipe: options.recipe, backend: options.backend ?? "wasm" }),
    };
    for (let i = 0; i < n; i++) {
      const proc = fork(script, [], { env, execArgv: ["--import", TSX_LOADER], stdio: ["ignore", "ignore", "inherit", "ipc"] });
      const w: Worker = { proc, busy: true, ready: Promise.resolve() };
      w.ready = new Promise((resolve, reject) => {
        proc.once("exit", (code) => reject(new NasError(`training worker exited with code ${code} before it was ready`)));
        proc.on("message", (m: WorkerReply) => {
          if ("ready" in m) {
            w.busy = false;
            resolve();
            this.pump();
            return;
          }
          const job = this.inflight.get(m.id);
          if (!job) return;
          this.inflight.delete(m.id);
          w.busy = false;
          if (m.error !== undefined) job.reject(new NasError(m.error));
          else job.resolve(m.result!);
          this.pump();
        });
      });
      w.ready.catch(() => undefined); // surfaced through the jobs that fail below
      proc.on("exit", (code) => {
        for (const [id, job] of this.inflight) {
          if (job.w === w) {
            this.inflight.delete(id);
            job.reject(new NasError(`training worker exited with code ${code} while training`));
          }
        }
        const i = this.workers.indexOf(w);
        if (i >= 0) this.workers.splice(i, 1);
        if (!this.closed && this.workers.length === 0) {
          for (const job of this.waiting.splice(0)) job.reject(new NasError("all training workers exited"));
        }
      });
      this.workers.push(w);
    }
  }

  /** Waits until every worker has loaded its backend and data; rejects if one fails to start. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Trains one genome on the next idle worker. */
  train(genome: Hex): Promise<TrainResult> {
    if (this.closed) return Promise.reject(new NasError("the trainer pool is closed"));
    return new Promise((resolve, reject) => {
      this.waiting.push({ genome, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const w of this.workers) {
      if (w.busy || this.waiting.length === 0) continue;
      const job = this.waiting.shift()!;
      const id = this.nextId++;
      w.busy = true;
      this.inflight.set(id, { w, resolve: job.resolve, reject: job.reject });
      w.proc.send({ id, genome: job.genome } satisfies WorkerRequest);
    }
  }

  /** Stops the workers; pending jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new NasError("the trainer pool was closed"));
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.proc.exitCode !== null) return resolve();
            w.proc.once("exit", () => resolve());
            w.proc.kill();
          }),
      ),
    );
  }
}
