// The deterministic trainer: genome + recipe → score in basis points, parameter count, FLOPs,
// wall time and a hash of the final weights. Miners, verifiers and the tabular benchmark all call
// this one function, so a verifier reproduces a miner's run bit for bit on the same backend
// (seeded initialisers, seeded data order, seeded per-step dropout; see model.ts).
// A model that does not build or a loss that turns NaN yields score 0 with a reason, never a
// crash; every tensor is released (tests check 100 consecutive runs for growth).
import * as tf from "@tensorflow/tfjs";
import { keccak256, type Hex } from "viem";
import { Rng } from "../rng.js";
import { archCost, limitBreach, trainingFlops } from "../space/cost.js";
import { decodeGenome } from "../space/genome.js";
import type { SearchSpace } from "../space/space.js";
import { useBackend, type BackendName } from "./backend.js";
import { CLASSES, IMAGE_SIZE, loadDataset, PIXELS, type Dataset, type Split } from "./data.js";
import { buildModel } from "./model.js";
import type { Recipe } from "./recipe.js";

export interface TrainResult {
  genome: Hex;
  /** floor(10000 × test accuracy); 0 when training failed (see `reason`). */
  scoreBps: number;
  params: number;
  /** Forward FLOPs per image (2 per multiply-add). */
  flops: number;
  /** Wall time of build + training + evaluation, excluding data loading. */
  seconds: number;
  /**
   * What one run (so one verifier's re-training) costs in FLOPs, estimated from the genome:
   * 3 × forward FLOPs per training image per epoch, plus the forward pass over the test images.
   * With `seconds`, the cost a round's verification asks of each drawn verifier.
   */
  trainFlops: number;
  /** keccak256 over the final weights (float32, little-endian, in model.getWeights() order). */
  weightsHash: Hex | null;
  /** The tfjs backend that ran it ("wasm", "cpu", "tensorflow", …). */
  backend: string;
  /** Mean training loss of each epoch. */
  loss: number[];
  /** Wall time of each training epoch, from the epoch's shuffle to its last step (what bench:train compares). */
  epochSeconds: number[];
  /** Why the score is 0, when it is 0 because training failed. */
  reason?: string;
}

export interface TrainOptions {
  /** Backend to train on; default: keep the current one if set up, else "wasm". */
  backend?: BackendName;
  /** A preloaded dataset (must be the recipe's split); default: loadDataset(recipe). */
  dataset?: Dataset;
  onEpoch?: (epoch: number, loss: number) => void;
}

let ready: Promise<unknown> | undefined;
/** Sets up the requested backend, or wasm when none was requested and none was set up. */
async function ensureBackend(name: BackendName | undefined): Promise<void> {
  if (name) {
    await useBackend(name);
    ready = Promise.resolve();
  } else {
    ready ??= useBackend("wasm");
    await ready;
  }
}

function toTensors(split: Split): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => ({
    x: tf.tensor4d(split.images, [split.count, IMAGE_SIZE, IMAGE_SIZE, 1]),
    y: tf.oneHot(tf.tensor1d(split.labels, "int32"), CLASSES) as tf.Tensor2D,
  }));
}

/** Rows perm[at … at + size) of a split: images, and labels as one-hot rows. */
function batchOf(split: Split, perm: number[], at: number, size: number): { images: Float32Array; labels: Float32Array } {
  const images = new Float32Array(size * PIXELS);
  const labels = new Float32Array(size * CLASSES);
  for (let i = 0; i < size; i++) {
    const row = perm[at + i];
    images.set(split.images.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
    labels[i * CLASSES + split.labels[row]] = 1;
  }
  return { images, labels };
}

/** keccak256 over the final weights, or null when one of them is NaN or infinite. */
function hashWeights(model: tf.LayersModel): Hex | null {
  const parts = model.getWeights().map((w) => w.dataSync() as Float32Array);
  if (parts.some((p) => !p.every(Number.isFinite))) return null;
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return keccak256(bytes);
}

/** Trains `genome` under `recipe` and scores it on the recipe's test split. */
export async function trainGenome(
  space: SearchSpace,
  genome: Hex,
  recipe: Recipe,
  options: TrainOptions = {},
): Promise<TrainResult> {
  decodeGenome(space, genome); // an invalid genome is the caller's error, not a zero score
  const { params, flops } = archCost(space, genome);
  await ensureBackend(options.backend);
  const result: TrainResult = {
    genome,
    scoreBps: 0,
    params,
    flops,
    seconds: 0,
    trainFlops: trainingFlops(space, genome, recipe.dataset.train, recipe.epochs) + flops * recipe.dataset.test,
    weightsHash: null,
    backend: tf.getBackend(),
    loss: [],
    epochSeconds: [],
  };
  // over the space's limits: score 0 untrained, on every node alike (a claim for it is false)
  const breach = limitBreach(space, genome);
  if (breach) {
    result.reason = breach;
    result.trainFlops = 0;
    return result;
  }
  const data = options.dataset ?? loadDataset(recipe);
  const start = performance.now();
  const test = toTensors(data.test);
  let model: tf.LayersModel | undefined;
  let optimizer: tf.Optimizer | undefined;
  try {
    try {
      model = buildModel(space, genome, recipe.seed);
    } catch (e) {
      result.reason = `model does not build: ${(e as Error).message}`;
      return result;
    }
    result.params = model.countParams();
    optimizer = recipe.optimizer === "adam" ? tf.train.adam(recipe.learningRate) : tf.train.sgd(recipe.learningRate);
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const net = model;
    const opt = optimizer;

    const order = new Rng(recipe.seed);
    const indices = Array.from({ length: data.train.count }, (_, i) => i);
    const n = data.train.count;
    for (let epoch = 0; epoch < recipe.epochs; epoch++) {
      const t0 = performance.now();
      // Each batch is copied from the split's arrays into two fresh tensors (images, one-hot
      // labels): the values model.fit's gathers produced, without them (wasm's Gather and Slice
      // each cost more than the copy; its Slice reads its whole input). The step runs the same ops
      // in the same order as model.fit (forward with training: true, the mean categorical
      // cross-entropy, the optimizer's minimize over the trainable weights), so the weights are
      // bit-identical to its.
      const perm = order.shuffle(indices);
      let lossSum = tf.scalar(0);
      for (let at = 0; at < n; at += recipe.batchSize) {
        const size = Math.min(recipe.batchSize, n - at);
        const { images, labels } = batchOf(data.train, perm, at, size);
        const batchLoss = tf.tidy(() => {
          const xb = tf.tensor4d(images, [size, IMAGE_SIZE, IMAGE_SIZE, 1]);
          const yb = tf.tensor2d(labels, [size, CLASSES]);
          return opt.minimize(
            () => tf.mean(tf.metrics.categoricalCrossentropy(yb, net.apply(xb, { training: true }) as tf.Tensor)) as tf.Scalar,
            true,
            weights,
          )!;
        });
        // the epoch's loss is the size-weighted mean of batch losses, as model.fit reports it;
        // it stays on the device, so the loop never waits for a read-back
        const next = tf.tidy(() => lossSum.add(batchLoss.mul(size)) as tf.Scalar);
        tf.dispose([lossSum, batchLoss]);
        lossSum = next;
      }
      const loss = (await lossSum.data())[0] / n;
      lossSum.dispose();
      result.epochSeconds.push((performance.now() - t0) / 1000);
      result.loss.push(loss);
      options.onEpoch?.(epoch, loss);
      if (!Number.isFinite(loss)) {
        result.reason = `training loss became ${loss} in epoch ${epoch + 1}`;
        return result;
      }
    }

    // tfjs clips probabilities inside the cross-entropy, so a diverged run can report a finite
    // loss; its weights tell the truth
    const weightsHash = hashWeights(model);
    if (weightsHash === null) {
      result.reason = "training diverged: the weights became NaN or infinite";
      return result;
    }

    let correct = 0;
    const step = 500;
    for (let i = 0; i < data.test.count; i += step) {
      const n = Math.min(step, data.test.count - i);
      const pred = tf.tidy(() => (model!.predict(test.x.slice(i, n)) as tf.Tensor).argMax(-1));
      const p = pred.dataSync();
      pred.dispose();
      for (let j = 0; j < n; j++) if (p[j] === data.test.labels[i + j]) correct++;
    }
    result.scoreBps = Math.floor((correct * 10_000) / data.test.count);
    result.weightsHash = weightsHash;
    return result;
  } catch (e) {
    result.scoreBps = 0;
    result.reason = `training failed: ${(e as Error).message}`;
    return result;
  } finally {
    result.seconds = (performance.now() - start) / 1000;
    model?.dispose();
    optimizer?.dispose();
    tf.dispose([test.x, test.y]);
  }
}
