// Gradient kernels for the wasm backend: one that @tensorflow/tfjs-backend-wasm 4.x lacks
// (Conv2DBackpropFilter) and two faster replacements for its own (Conv2DBackpropInput,
// MaxPoolGrad) that return the same bits. Without Conv2DBackpropFilter,
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
/** The wasm backend, as far as these kernels use it (tfjs-backend-wasm's BackendWasm). */
type Backend = tf.KernelBackend & {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(t: Info): Float32Array | Int32Array;
};

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

// Conv2DBackpropInput. wasm's own is a scalar loop (18% of a training step's kernel time on the
// one-block CNN). With stride 1, the input gradient is the convolution of dy with the filter
// rotated by 180° and its channel axes swapped:
//
//   dx[n, p, q, c] = Σ_{kh', kw', o} dy[n, p + kh' − (KH−1−top), q + kw' − (KW−1−left), o] · W'[kh', kw', o, c]
//   W'[kh', kw', o, c] = W[KH−1−kh', KW−1−kw', c, o]
//
// which XNNPACK computes. Same bits as the scalar loop: that loop sums each entry from 0 in the
// order (kh', kw', o), skipping taps outside dy; XNNPACK's GEMM sums in the same order from a zero
// bias, and a tap in its zero padding adds ±0, which leaves the sum unchanged. Strides other than
// 1 (none in the shipped spaces) go to the stock kernel.
let stockBackpropInput: tf.KernelFunc | undefined;
function conv2DBackpropInputWasm(args: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as Backend;
  const { dy, filter } = args.inputs as { dy: Info; filter: Info };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const channelsLast = tf.backend_util.convertConv2DDataFormat(dataFormat) === "channelsLast";
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    channelsLast ? "channelsLast" : "channelsFirst",
  );
  if (!channelsLast || info.strideHeight !== 1 || info.strideWidth !== 1) return stockBackpropInput!(args) as Info;
  const { filterHeight: kh, filterWidth: kw, inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  const temps: Info[] = [];
  const keep = (t: Info) => (temps.push(t), t);
  try {
    const rotated = keep(runWasm("Reverse", backend, { x: filter }, { dims: [0, 1] }));
    const swapped = keep(runWasm("Transpose", backend, { x: rotated }, { perm: [0, 1, 3, 2] }));
    // dy padded so that the output has the forward input's size: dx row p reads dy rows
    // p − (KH−1−top) … p + top, so dy (OH rows) needs KH−1−top above and inH − OH + top below
    const explicit = [[0, 0], [kh - 1 - top, inHeight - outHeight + top], [kw - 1 - left, inWidth - outWidth + left], [0, 0]];
    return runWasm("Conv2D", backend, { x: dy, filter: swapped }, { strides: 1, dilations: 1, pad: explicit, dataFormat: "NHWC" });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

// MaxPoolGrad. wasm's own recomputes every window's arg-max inside a loop over the input with a
// per-pixel callback (24% of a training step's kernel time on the one-block CNN). This finds each
// window's arg-max once and scatters dy there, for windows that do not overlap (stride ≥ pool
// size, the 2×2/2 pooling of the shipped spaces); overlapping windows go to the stock kernel.
// It reproduces the stock kernel's rules bit for bit, quirks included, because the tabular
// benchmark's weight hashes were made with them:
//   - the arg-max is the last entry ≥ the running maximum, which starts at FLT_MIN (the smallest
//     positive normal float), so zeros, negatives and subnormals are never chosen;
//   - a window with no such entry keeps arg-max 0, the flat index of the tensor's first entry:
//     its gradient goes there if that window covers it, and is dropped otherwise;
//   - dx = 0 + dy · mask, so a NaN or infinite dy poisons its whole window (handed to the stock
//     kernel, which does exactly that).
const FLT_MIN = 1.1754943508222875e-38;
let stockMaxPoolGrad: tf.KernelFunc | undefined;
function maxPoolGradWasm(args: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as Backend;
  const { dy, input } = args.inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { batchSize, inChannels: ch, inHeight, inWidth, outHeight, outWidth, strideHeight: sh, strideWidth: sw } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  if (sh < fh || sw < fw || info.dilationHeight !== 1 || info.dilationWidth !== 1 || !allFinite(wasmView(backend, dy))) {
    return stockMaxPoolGrad!(args) as Info;
  }
  const out = backend.makeOutput(input.shape, "float32");
  // views taken after the allocation, which may grow (and so detach) the wasm memory
  const [x, dyv, dx] = [input, dy, out].map((t) => wasmView(backend, t));
  dx.fill(0);
  const { top, left } = info.padInfo;
  const rowStride = inWidth * ch;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * rowStride;
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = yr * sh - top;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(inHeight, r0 + fh);
      for (let yc = 0; yc < outWidth; yc++) {
        const c0 = yc * sw - left;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(inWidth, c0 + fw);
        const coversFirst = b === 0 && r0 <= 0 && r0 + fh > 0 && c0 <= 0 && c0 + fw > 0;
        const yo = ((b * outHeight + yr) * outWidth + yc) * ch;
        if (rMax - rMin === 2 && cMax - cMin === 2) {
          // a full 2×2 window, the shipped pooling: the same scan, unrolled
          const first = xb + rMin * rowStride + cMin * ch;
          for (let c = 0; c < ch; c++) {
            const o0 = first + c;
            const o1 = o0 + ch;
            const o2 = o0 + rowStride;
            const o3 = o2 + ch;
            let best = FLT_MIN;
            let at = 0;
            if (x[o0] >= best) (best = x[o0]), (at = o0);
            if (x[o1] >= best) (best = x[o1]), (at = o1);
            if (x[o2] >= best) (best = x[o2]), (at = o2);
            if (x[o3] >= best) at = o3;
            if (at !== 0 || (c === 0 && coversFirst)) dx[at] = 0 + dyv[yo + c];
          }
          continue;
        }
        for (let c = 0; c < ch; c++) {
          let best = FLT_MIN;
          let at = 0;
          for (let r = rMin; r < rMax; r++) {
            for (let q = cMin; q < cMax; q++) {
              const o = xb + r * rowStride + q * ch + c;
              if (x[o] >= best) {
                best = x[o];
                at = o;
              }
            }
          }
          // at = 0 without a qualifying entry: the stock kernel's mask matches flat index 0 only
          // inside the window of batch 0, channel 0 that covers it
          if (at !== 0 || (c === 0 && coversFirst)) dx[at] = 0 + dyv[yo + c];
        }
      }
    }
  }
  return out;
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] - a[i] !== 0) return false; // NaN and ±Inf
  return true;
}

// Tile. wasm's own walks the output one element at a time through index arithmetic (28% of a
// batch-norm net's kernel time: the batch-norm gradient tiles 1/√variance to the whole
// activation). A tile is a copy, so any order of copying gives the same bits: this writes each
// innermost row once and then doubles blocks with copyWithin (memmove).
function tileWasm(args: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): Info {
  const backend = args.backend as Backend;
  const { x } = args.inputs as { x: Info };
  const { reps } = args.attrs as unknown as tf.TileAttrs;
  if (x.dtype !== "float32" && x.dtype !== "int32") return stockTile!(args) as Info;
  const shape = x.shape;
  const outShape = shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  if (dst.length === 0) return out;
  const rank = shape.length;
  // sizes of one block below each axis, in x and in out
  const xBlock = new Array<number>(rank + 1).fill(1);
  const outBlock = new Array<number>(rank + 1).fill(1);
  for (let d = rank - 1; d >= 0; d--) {
    xBlock[d] = xBlock[d + 1] * shape[d];
    outBlock[d] = outBlock[d + 1] * outShape[d];
  }
  const fill = (d: number, xAt: number, outAt: number) => {
    if (d === rank) {
      dst[outAt] = src[xAt];
      return;
    }
    if (d === rank - 1) dst.set(src.subarray(xAt, xAt + shape[d]), outAt);
    else for (let i = 0; i < shape[d]; i++) fill(d + 1, xAt + i * xBlock[d + 1], outAt + i * outBlock[d + 1]);
    // the first repetition along d is written: copy it reps[d] − 1 times, doubling
    const chunk = shape[d] * outBlock[d + 1];
    for (let done = 1; done < reps[d]; done *= 2) {
      const n = Math.min(done, reps[d] - done);
      dst.copyWithin(outAt + done * chunk, outAt, outAt + n * chunk);
    }
  };
  fill(0, 0, 0);
  return out;
}
let stockTile: tf.KernelFunc | undefined;

/** A Float32Array view of a wasm tensor's memory (valid until the next wasm allocation). */
function wasmView(backend: Backend, t: Info): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/**
 * Registers the wasm gradient kernels this engine needs: Conv2DBackpropFilter (missing in
 * tfjs-backend-wasm 4.x) and the faster Conv2DBackpropInput and MaxPoolGrad. Safe to call
 * repeatedly; leaves alone a Conv2DBackpropFilter that a newer tfjs-backend-wasm provides.
 */
export function registerWasmGradKernels(): void {
  if (!tf.getKernel(tf.Conv2DBackpropFilter, "wasm")) {
    tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: "wasm", kernelFunc: conv2DBackpropFilterWasm });
  }
  if (!stockBackpropInput) {
    stockBackpropInput = replaceKernel(tf.Conv2DBackpropInput, conv2DBackpropInputWasm);
    stockMaxPoolGrad = replaceKernel(tf.MaxPoolGrad, maxPoolGradWasm);
    stockTile = replaceKernel(tf.Tile, tileWasm);
  }
}

/** Swaps in `kernelFunc` for wasm's `name`, returning the stock one (kept as the fallback). */
function replaceKernel(name: string, kernelFunc: tf.KernelFunc): tf.KernelFunc {
  const stock = tf.getKernel(name, "wasm");
  if (!stock) throw new Error(`wasm backend has no ${name} kernel to replace`);
  tf.unregisterKernel(name, "wasm");
  tf.registerKernel({ ...stock, kernelFunc });
  return stock.kernelFunc;
}

/** The stock wasm kernels this module replaced, for tests that compare the two bit for bit. */
export function stockWasmKernels(): { conv2DBackpropInput?: tf.KernelFunc; maxPoolGrad?: tf.KernelFunc; tile?: tf.KernelFunc } {
  return { conv2DBackpropInput: stockBackpropInput, maxPoolGrad: stockMaxPoolGrad, tile: stockTile };
}
