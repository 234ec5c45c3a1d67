// Genome → tf.LayersModel, by the space file's family: the conv family here, the others in
// families/ (nas/space/cost.ts and nas/space/families/ count the same shapes analytically).
// Everything random is seeded from the recipe: glorot-uniform kernels with
// a per-layer seed, zero biases, and SeededDropout, which draws a fresh mask every training step
// (tf.layers.dropout({seed}) would reuse one mask for the whole run, and unseeded dropout uses
// Math.random).
import * as tf from "@tensorflow/tfjs";
import { genomeValues } from "../space/genome.js";
import type { SearchSpace } from "../space/space.js";
import { buildCellModel } from "./families/cell.js";
import { InputConv2D, type Initializer } from "./layers.js";

const ACTIVATIONS = new Set(["relu", "elu", "tanh", "sigmoid", "selu", "linear"]);

/** Dropout with a mask drawn from (seed, step): deterministic per step, different each step. */
export class SeededDropout extends tf.layers.Layer {
  static className = "PoNASSeededDropout";
  private step = 0;
  constructor(
    private readonly rate: number,
    private readonly seed: number,
  ) {
    super({});
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs?.training || this.rate === 0) return x;
    const stepSeed = (this.seed * 1_000_003 + this.step++) % 2 ** 31;
    return tf.tidy(() => {
      const keep = tf.randomUniform(x.shape, 0, 1, "float32", stepSeed).greaterEqual(this.rate);
      return x.mul(keep.cast("float32")).div(1 - this.rate);
    });
  }
  override getConfig() {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** A layer seed derived from the recipe seed and the layer's position, so layers differ. */
function layerSeed(seed: number, index: number): number {
  return (seed * 131 + index * 7919 + 1) % 2 ** 31;
}

/** Builds (but does not compile) the model a genome describes, by the space's family. Throws on an unbuildable genome. */
export function buildModel(space: SearchSpace, genome: string, seed: number): tf.LayersModel {
  let li = 0;
  const kernelInit = () => tf.initializers.glorotUniform({ seed: layerSeed(seed, li++) });
  if (space.family === "cell") return buildCellModel(space, genome, kernelInit);
  return buildConvModel(space, genome, seed, kernelInit);
}

/** The conv family: 1-3 conv blocks of equal width, optional dense head and dropout. */
function buildConvModel(space: SearchSpace, genome: string, seed: number, kernelInit: () => Initializer): tf.LayersModel {
  const v = genomeValues(space, genome);
  const activation = String(v.activation);
  if (!ACTIVATIONS.has(activation)) throw new Error(`unsupported activation "${activation}"`);
  const pool = String(v.pool);
  if (pool !== "max" && pool !== "avg") throw new Error(`unsupported pooling "${pool}"`);
  const batchNorm = v.norm === "batch";

  const { height, width, channels } = space.input;
  const input = tf.input({ shape: [height, width, channels] });
  let x = input as tf.SymbolicTensor;
  for (let b = 0; b < Number(v.depth); b++) {
    const conv =
      b === 0
        ? new InputConv2D(Number(v.filters), Number(v.kernel), !batchNorm, kernelInit())
        : tf.layers.conv2d({
            filters: Number(v.filters),
            kernelSize: Number(v.kernel),
            padding: "same",
            useBias: !batchNorm,
            kernelInitializer: kernelInit(),
            biasInitializer: "zeros",
          });
    x = conv.apply(x) as tf.SymbolicTensor;
    // momentum 0.9, not Keras' 0.99: short recipes take ~60-800 steps, too few for 0.99's moving
    // statistics to settle, which would score every batch-norm net near chance at test time
    if (batchNorm) x = tf.layers.batchNormalization({ axis: -1, momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.activation({ activation: activation as "relu" }).apply(x) as tf.SymbolicTensor;
    const poolArgs = { poolSize: 2, strides: 2, padding: "valid" as const };
    x = (pool === "max" ? tf.layers.maxPooling2d(poolArgs) : tf.layers.averagePooling2d(poolArgs)).apply(
      x,
    ) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  if (Number(v.head) > 0) {
    x = tf.layers
      .dense({ units: Number(v.head), activation: activation as "relu", kernelInitializer: kernelInit() })
      .apply(x) as tf.SymbolicTensor;
  }
  const rate = Number(v.dropout);
  if (rate > 0) x = new SeededDropout(rate, layerSeed(seed, 1000)).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: space.classes, activation: "softmax", kernelInitializer: kernelInit() })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
