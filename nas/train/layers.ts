// Layers of the engine's own, used by the model builders of every family (nas/train/model.ts,
// nas/train/families/).
import * as tf from "@tensorflow/tfjs";

/** A weight initialiser, as tf.initializers makes them. */
export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

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
    private readonly kernelInitializer: Initializer,
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

