// Gradient kernels that @tensorflow/tfjs-backend-wasm 4.x lacks. Without Conv2DBackpropFilter,
// training any Conv2D on wasm fails with "Kernel 'Conv2DBackpropFilter' not registered for
// backend 'wasm'", and handing it to the cpu backend makes a training step ~30× slower.
//
// The filter gradient is itself a convolution, so it is expressed as one wasm Conv2D (XNNPACK,
// SIMD) over transposed operands:
//
//   dW[kh, kw, c, o] = Σ_{n, i, j} x[n, kh + i·sh − top, kw + j·sw − left, c] · dy[n, i, j, o]
//
// Read the input channel c as the batch, the batch n as the channel, and dy as a filter of size
// OH×OW dilated by the forward strides: conv2d(x as [C, H, W, N], dy as [OH, OW, N, OC],
// dilations = strides) gives [C, KH, KW, OC], which a transpose turns into [KH, KW, C, OC].
// On MNIST-sized layers this beat wasm's own Conv3DBackpropFilterV2 used as 2-D (a scalar loop,
// up to 20× slower, and wrong for stride 2) and a per-tap matMul (up to 40× slower).
//
// Accuracy: XNNPACK sums the N·OH·OW products of each entry in float32, while the cpu backend
// sums in float64, so the two differ by float32 rounding that grows with batch × image size:
// ≤ 1.3e-6 of the largest entry at batch 2 on 28×28, ~9e-6 at batch 64 (vs a float64 oracle,
// cpu is at 3e-8 there). A depthwise variant (per-sample gradients, then a Sum over the batch)
// was ~10× more accurate at similar speed, but its intermediate grows with N·C·OC·KH·KW.
// Either way the result is deterministic, which is what reproducible scores need.
import * as tf from "@tensorflow/tfjs";

type Info = tf.TensorInfo;
type Backend = tf.KernelBackend;

/** Runs another wasm kernel on TensorInfos, the way the wasm backend composes its own kernels. */
function runWasm(name: string, backend: Backend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): Info {
  const kernel = tf.getKernel(name, "wasm");
  if (!kernel) throw new Error(`wasm backend has no ${name} kernel, needed for Conv2DBackpropFilter`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as Info;
}

function conv2DBackpropFilterWasm({
  inputs,
  backend: anyBackend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: {};
  attrs?: tf.NamedAttrMap;
}): Info {
  const backend = anyBackend as Backend;
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const channelsLast = tf.backend_util.convertConv2DDataFormat(dataFormat) === "channelsLast";
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    channelsLast ? "channelsLast" : "channelsFirst",
  );
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels, strideHeight: sh, strideWidth: sw } = info;
  const { inHeight, inWidth } = info;
  // dy's own shape, not info's, decides which input rows contributed (they agree for every
  // padding tfjs accepts; dy is what the forward pass actually produced).
  const [outHeight, outWidth] = channelsLast ? dy.shape.slice(1, 3) : dy.shape.slice(2, 4);
  const { top, left } = info.padInfo;

  const temps: Info[] = [];
  const keep = (t: Info) => (temps.push(t), t);
  try {
    // One transpose each also absorbs the NCHW case, which wasm's Conv2D does not support.
    const xT = keep(runWasm("Transpose", backend, { x }, { perm: channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0] }));
    const dyT = keep(runWasm("Transpose", backend, { x: dy }, { perm: channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1] }));
    // Padding goes to XNNPACK as explicit pads (no padded copy of x). Bottom/right are chosen so
    // the output is exactly kh×kw; when the forward pass ignored trailing rows/columns (valid
    // padding with a stride that does not divide), that would be negative, so pad 0 and slice.
    const bottom = Math.max(0, kh + (outHeight - 1) * sh - inHeight - top);
    const right = Math.max(0, kw + (outWidth - 1) * sw - inWidth - left);
    const explicit = [[0, 0], [top, bottom], [left, right], [0, 0]];
    let dW = keep(
      runWasm("Conv2D", backend, { x: xT, filter: dyT }, { strides: 1, dilations: [sh, sw], pad: explicit, dataFormat: "NHWC" }),
    );
    if (dW.shape[1] !== kh || dW.shape[2] !== kw) {
      dW = keep(runWasm("Slice", backend, { x: dW }, { begin: [0, 0, 0, 0], size: [inChannels, kh, kw, outChannels] }));
    }
    return runWasm("Transpose", backend, { x: dW }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/**
 * Registers the wasm gradient kernels this engine needs (today: Conv2DBackpropFilter). Safe to
 * call repeatedly; leaves alone a kernel that a newer tfjs-backend-wasm already provides.
 */
export function registerWasmGradKernels(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, "wasm")) return;
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: "wasm", kernelFunc: conv2DBackpropFilterWasm });
}
