// Genome → tf.LayersModel for the cell family (see nas/space/families/cell.ts for the shapes and
// which edges become layers, shared with the analytic cost). Seeded like the conv family: one
// glorot-uniform seed per conv layer, in build order.
import * as tf from "@tensorflow/tfjs";
import { cellArch, CELL_EDGES, type CellOp } from "../../space/families/cell.js";
import type { SearchSpace } from "../../space/space.js";
import { InputConv2D, type Initializer } from "../layers.js";

type T = tf.SymbolicTensor;

/** A cell whose output node no edge reaches: zeros of its input's shape (nothing to learn). */
export class ZerosLike extends tf.layers.Layer {
  static className = "PoNASZerosLike";
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.zerosLike(Array.isArray(inputs) ? inputs[0] : inputs);
  }
}

/**
 * The add of a cell's node, for a node that takes one value more than once (two skip edges from
 * the same value: node 1 = skip(node 0), node 2 = skip(node 0) + skip(node 1)). tfjs's executor
 * counts a value's recipients once per layer but decrements once per input, so in predict() an
 * add([x, x]) frees x while a later layer still needs it ("Tensor is disposed"). This layer takes
 * each value once and adds them in `order` (indices into its inputs) with exactly tf.layers.add's
 * ops, so its outputs, gradients and the model's weight order are those add([x, x]) gave in
 * training, bit for bit.
 */
export class RepeatedAdd extends tf.layers.Layer {
  static className = "PoNASRepeatedAdd";
  constructor(private readonly order: number[]) {
    super({});
  }
  override computeOutputShape(shapes: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(shapes[0]) ? shapes[0] : shapes) as tf.Shape;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() => {
      let out = xs[this.order[0]].clone();
      for (let i = 1; i < this.order.length; i++) out = tf.add(out, xs[this.order[i]]);
      return out;
    });
  }
}

export function buildCellModel(space: SearchSpace, genome: string, kernelInit: () => Initializer): tf.LayersModel {
  const a = cellArch(space, genome);
  const bn = (x: T) => tf.layers.batchNormalization({ axis: -1, momentum: 0.9 }).apply(x) as T;
  const relu = (x: T) => tf.layers.activation({ activation: "relu" }).apply(x) as T;
  const conv = (x: T, k: number, filters: number, strides = 1) =>
    tf.layers.conv2d({ filters, kernelSize: k, strides, padding: "same", useBias: false, kernelInitializer: kernelInit() }).apply(x) as T;
  const sum = (xs: T[]) => {
    if (xs.length === 1) return xs[0];
    const distinct = [...new Set(xs)];
    if (distinct.length === xs.length) return tf.layers.add().apply(xs) as T;
    return new RepeatedAdd(xs.map((t) => distinct.indexOf(t))).apply(distinct.length === 1 ? distinct[0] : distinct) as T;
  };
  const edge = (x: T, op: CellOp, c: number): T => {
    if (op === "skip") return x;
    if (op === "avg3x3") return tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: "same" }).apply(x) as T;
    return bn(conv(relu(x), op === "conv1x1" ? 1 : 3, c)); // ReLU → conv → batch-norm
  };

  const { height, width, channels } = space.input;
  const input = tf.input({ shape: [height, width, channels] });
  let c = a.width;
  // the stem reads the images: InputConv2D skips their gradient
  let x = bn(new InputConv2D(c, 3, false, kernelInit()).apply(input) as T);
  for (let s = 0; s < a.stages; s++) {
    if (s > 0) {
      const cout = 2 * c;
      const main = bn(conv(relu(bn(conv(relu(x), 3, cout, 2))), 3, cout));
      const shortcut = conv(tf.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: "same" }).apply(x) as T, 1, cout);
      x = sum([main, shortcut]);
      c = cout;
    }
    for (let n = 0; n < a.cells; n++) {
      const nodes: (T | null)[] = [x, null, null, null];
      for (let j = 1; j < 4; j++) {
        const ins = CELL_EDGES.flatMap(([i, to], k) => (to === j && a.live[k] ? [edge(nodes[i]!, a.ops[k], c)] : []));
        nodes[j] = ins.length ? sum(ins) : null;
      }
      x = nodes[3] ?? (new ZerosLike({}).apply(x) as T);
    }
  }
  x = relu(bn(x));
  x = tf.layers.globalAveragePooling2d({}).apply(x) as T;
  const out = tf.layers.dense({ units: space.classes, activation: "softmax", kernelInitializer: kernelInit() }).apply(x) as T;
  return tf.model({ inputs: input, outputs: out });
}
