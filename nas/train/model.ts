// Genome → tf.LayersModel for the conv space family (see nas/space/cost.ts for the same shapes,
// counted analytically). Everything random is seeded from the recipe: glorot-uniform kernels with
// a per-layer seed, zero biases, and SeededDropout, which draws a fresh mask every training step
// (tf.layers.dropout({seed}) would reuse one mask for the whole run, and unseeded dropout uses
// Math.random).
import * as tf from "@tensorflow/tfjs";
import { genomeValues } from "../space/genome.js";
import type { SearchSpace } from "../space/space.js";

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

/**
 * The first conv layer, whose input is the image batch. Same weights, initialisers and forward
 * computation as tf.layers.conv2d ("same" padding, stride 1, a linear activation, so tfjs runs
 * one FusedConv2D with the bias): the weights and scores are bit-identical to it. Its gradient
 * skips the input's: tfjs's fused conv2d computes the input gradient eagerly for every layer,
 * and for this one, where nothing upstream learns, that Conv2DBackpropInput was a sixth of a
 * one-block net's training step. The input gets zeros, which nothing reads.
 */
export class InputConv2D extends tf.layers.Layer {
  static className = "PoNASInputConv2D";
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;
  constructor(
    private readonly filters: number,
    private readonly kernelSize: number,
    private readonly useBias: boolean,
    private readonly kernelInitializer: ReturnType<typeof tf.initializers.glorotUniform>,
  ) {
    super({});
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const k = this.kernelSize;
    // the order tf.layers.conv2d adds them: kernel, then bias
    this.kernel = this.addWeight("kernel", [k, k, shape[3]!, this.filters], "float32", this.kernelInitializer, undefined, true);
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], "float32", tf.initializers.zeros(), undefined, true);
    this.built = true;
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], shape[1], shape[2], this.filters];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const kernel = this.kernel!.read() as tf.Tensor4D;
    const conv = (x: tf.Tensor4D, filter: tf.Tensor4D, bias?: tf.Tensor) =>
      tf.fused.conv2d({ x, filter, bias, strides: [1, 1], pad: "same", dataFormat: "NHWC", dilations: [1, 1], activation: "linear" });
    const filterGrad = (x: tf.Tensor4D, dy: tf.Tensor) =>
      tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: [1, 1], pad: "same", dataFormat: "NHWC", filterShape: kernel.shape }) as tf.Tensor;
    if (!this.bias) {
      return tf.customGrad((x, filter, save) => {
        (save as tf.GradSaveFunc)([x as tf.Tensor4D]);
        return { value: conv(x as tf.Tensor4D, filter as tf.Tensor4D), gradFunc: (dy, [x]) => [tf.zerosLike(x), filterGrad(x as tf.Tensor4D, dy)] };
      })(x, kernel);
    }
    return tf.customGrad((x, filter, bias, save) => {
      (save as tf.GradSaveFunc)([x as tf.Tensor4D]);
      return {
        value: conv(x as tf.Tensor4D, filter as tf.Tensor4D, bias as tf.Tensor),
        // the bias gradient as tfjs's fused conv2d takes it: dy summed over batch, rows, columns
        gradFunc: (dy, [x]) => [tf.zerosLike(x), filterGrad(x as tf.Tensor4D, dy), tf.sum(dy, [0, 1, 2]).reshape((bias as tf.Tensor).shape)],
      };
    })(x, kernel, this.bias.read());
  }
  override getConfig() {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, useBias: this.useBias };
  }
}

/** A layer seed derived from the recipe seed and the layer's position, so layers differ. */
function layerSeed(seed: number, index: number): number {
  return (seed * 131 + index * 7919 + 1) % 2 ** 31;
}

/** Builds (but does not compile) the model a genome describes. Throws on an unbuildable genome. */
export function buildModel(space: SearchSpace, genome: string, seed: number): tf.LayersModel {
  const v = genomeValues(space, genome);
  const activation = String(v.activation);
  if (!ACTIVATIONS.has(activation)) throw new Error(`unsupported activation "${activation}"`);
  const pool = String(v.pool);
  if (pool !== "max" && pool !== "avg") throw new Error(`unsupported pooling "${pool}"`);
  const batchNorm = v.norm === "batch";
  let li = 0;
  const kernelInit = () => tf.initializers.glorotUniform({ seed: layerSeed(seed, li++) });

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
