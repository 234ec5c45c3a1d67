import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../nas/train/backend.js";
import { stockWasmKernels } from "../nas/train/wasmKernels.js";
await useBackend("wasm");
const x = tf.randomUniform([32, 28, 28, 8], -1, 1, "float32", 1);
const dy = tf.randomUniform([32, 14, 14, 8], -1, 1, "float32", 2);
const f = tf.randomUniform([3, 3, 8, 8], -1, 1, "float32", 3);
const dyc = tf.randomUniform([32, 28, 28, 8], -1, 1, "float32", 4);
const be = tf.backend();
function time(name: string, fn: () => tf.TensorInfo | tf.Tensor) {
  for (let i = 0; i < 5; i++) { const r = fn(); be.disposeData((r as tf.TensorInfo).dataId); }
  const t0 = performance.now(); const N = 50;
  for (let i = 0; i < N; i++) { const r = fn(); be.disposeData((r as tf.TensorInfo).dataId); }
  console.log(name.padEnd(30), ((performance.now() - t0) / N).toFixed(3), "ms");
}
const attrs = { filterSize: 2, strides: 2, pad: "valid" } as any;
time("MaxPoolGrad new", () => tf.engine().runKernel("MaxPoolGrad", { dy, input: x }, attrs) as any);
const s = stockWasmKernels();
time("MaxPoolGrad stock", () => s.maxPoolGrad!({ inputs: { dy, input: x } as any, backend: be, attrs }) as any);
const a2 = { strides: 1, pad: "same", dataFormat: "NHWC", inputShape: [32, 28, 28, 8] } as any;
time("BackpropInput new", () => tf.engine().runKernel("Conv2DBackpropInput", { dy: dyc, filter: f }, a2) as any);
time("BackpropInput stock", () => s.conv2DBackpropInput!({ inputs: { dy: dyc, filter: f } as any, backend: be, attrs: a2 }) as any);
time("BackpropFilter", () => tf.engine().runKernel("Conv2DBackpropFilter", { x, dy: dyc }, { strides: 1, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 8, 8] } as any) as any);
time("Conv2D fwd", () => tf.engine().runKernel("Conv2D", { x, filter: f }, { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1 } as any) as any);
const m = tf.randomUniform([32, 1568], -1, 1, "float32", 5), w = tf.randomUniform([1568, 10], -1, 1, "float32", 6), g = tf.randomUniform([32, 10], -1, 1, "float32", 7);
time("MatMul fwd", () => tf.engine().runKernel("BatchMatMul", { a: m.reshape([1,32,1568]), b: w.reshape([1,1568,10]) }, { transposeA: false, transposeB: false }) as any);
time("MatMul dW (aT b)", () => tf.engine().runKernel("BatchMatMul", { a: m.reshape([1,32,1568]), b: g.reshape([1,32,10]) }, { transposeA: true, transposeB: false }) as any);
time("MatMul dX (a bT)", () => tf.engine().runKernel("BatchMatMul", { a: g.reshape([1,32,10]), b: w.reshape([1,1568,10]) }, { transposeA: false, transposeB: true }) as any);
const xi = tf.randomUniform([2000, 28, 28, 1], 0, 1, "float32", 8); const idx = tf.tensor1d(Array.from({length:32},(_, i)=>i*7), "int32");
time("Gather 32 rows", () => tf.engine().runKernel("GatherV2", { x: xi, indices: idx }, { axis: 0, batchDims: 0 }) as any);
