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

export function buildCellModel(space: SearchSpace, genome: string, kernelInit: () => Initializer): tf.LayersModel {
  const a = cellArch(space, genome);
  const bn = (x: T) => tf.layers.batchNormalization({ axis: -1, momentum: 0.9 }).apply(x) as T;
  const relu = (x: T) => tf.layers.activation({ activation: "relu" }).apply(x) as T;
  const conv = (x: T, k: number, filters: number, strides = 1) =>
    tf.layers.conv2d({ filters, kernelSize: k, strides, padding: "same", useBias: false, kernelInitializer: kernelInit() }).apply(x) as T;
  const sum = (xs: T[]) => (xs.length === 1 ? xs[0] : (tf.layers.add().apply(xs) as T));
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
