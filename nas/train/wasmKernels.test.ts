import { expect } from "chai";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { useBackend } from "./backend.js";
import { registerWasmGradKernels, stockWasmKernels } from "./wasmKernels.js";

// Tolerance for every wasm-vs-reference comparison, relative to the largest reference entry.
// Each gradient entry is a float32 sum of up to N·OH·OW = 1568 products; XNNPACK and the cpu
// loop add them in different orders (and the cpu loop in float64), which moves results by
// float32 rounding of the partial sums (measured here: ≤ 1.3e-6 relative for dW, ≤ 5.2e-7 for
// dX). An indexing or padding mistake moves entries by O(1) relative, so 1e-5 separates the two
// with a wide margin either way.
const REL_TOL = 1e-5;

/** Uniform in [-1, 1), from the engine's seeded PRNG, so both backends see identical inputs. */
function values(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.next() * 2 - 1;
  return v;
}
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** max |a − ref| / max |ref|. */
function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(a.length).to.equal(ref.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  expect(scale, "reference is all zeros: the comparison would prove nothing").to.be.greaterThan(0);
  return diff / scale;
}

interface Case {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: "same" | "valid";
}
const label = (c: Case) =>
  `${c.k}×${c.k} ${c.pad} stride ${c.stride}, ${c.n}×${c.h}×${c.w}×${c.cin} → ${c.cout} channels`;

// Inputs as plain arrays so each backend builds its own tensors from the same numbers.
function inputsOf(c: Case, seed: number) {
  const xShape = [c.n, c.h, c.w, c.cin] as [number, number, number, number];
  const fShape = [c.k, c.k, c.cin, c.cout] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(xShape, fShape, c.stride, 1, c.pad);
  const wShape = info.outShape;
  return {
    xShape,
    fShape,
    wShape,
    info,
    x: values(size(xShape), seed),
    f: values(size(fShape), seed + 1),
    // Weights of the scalar loss Σ conv2d(x, f) · w, so dLoss/dOut = w is not all ones.
    w: values(size(wShape), seed + 2),
  };
}

/** Gradients of Σ conv2d(x, f) · w w.r.t. x and f, on `backend`. */
async function convGrads(backend: "cpu" | "wasm", c: Case, seed: number) {
  await useBackend(backend);
  const d = inputsOf(c, seed);
  return tf.tidy(() => {
    const x = tf.tensor4d(d.x, d.xShape);
    const f = tf.tensor4d(d.f, d.fShape);
    const w = tf.tensor(d.w, d.wShape);
    const loss = (x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad).mul(w).sum();
    const [dx, df] = tf.grads(loss)([x, f]);
    expect(df.shape).to.deep.equal(d.fShape);
    expect(dx.shape).to.deep.equal(d.xShape);
    return { dx: dx.dataSync() as Float32Array, df: df.dataSync() as Float32Array };
  });
}

/** dW in float64, straight from the definition: an oracle independent of both backends. */
function filterGradF64(c: Case, seed: number): Float64Array {
  const d = inputsOf(c, seed);
  const { top, left } = d.info.padInfo;
  const [, oh, ow] = d.wShape;
  const out = new Float64Array(size(d.fShape));
  for (let n = 0; n < c.n; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let kh = 0; kh < c.k; kh++) {
          const r = i * c.stride + kh - top;
          if (r < 0 || r >= c.h) continue;
          for (let kw = 0; kw < c.k; kw++) {
            const col = j * c.stride + kw - left;
            if (col < 0 || col >= c.w) continue;
            for (let ci = 0; ci < c.cin; ci++) {
              const xv = d.x[((n * c.h + r) * c.w + col) * c.cin + ci];
              for (let co = 0; co < c.cout; co++) {
                out[((kh * c.k + kw) * c.cin + ci) * c.cout + co] += xv * d.w[((n * oh + i) * ow + j) * c.cout + co];
              }
            }
          }
        }
  return out;
}

const CASES: Case[] = [
  { n: 2, h: 7, w: 9, cin: 1, cout: 3, k: 3, stride: 1, pad: "same" },
  { n: 2, h: 7, w: 9, cin: 4, cout: 8, k: 3, stride: 1, pad: "valid" },
  { n: 2, h: 7, w: 9, cin: 4, cout: 3, k: 5, stride: 1, pad: "same" },
  { n: 2, h: 7, w: 9, cin: 1, cout: 8, k: 5, stride: 1, pad: "valid" },
  { n: 2, h: 28, w: 28, cin: 1, cout: 8, k: 3, stride: 1, pad: "same" },
  { n: 2, h: 28, w: 28, cin: 4, cout: 3, k: 5, stride: 1, pad: "same" },
  { n: 2, h: 28, w: 28, cin: 4, cout: 8, k: 5, stride: 1, pad: "valid" },
  { n: 2, h: 28, w: 28, cin: 4, cout: 8, k: 3, stride: 2, pad: "same" },
  { n: 2, h: 7, w: 9, cin: 1, cout: 3, k: 3, stride: 2, pad: "same" },
  // Valid with a stride that leaves the last row and column unread (the kernel's slice path).
  { n: 2, h: 8, w: 10, cin: 4, cout: 3, k: 5, stride: 2, pad: "valid" },
];

describe("wasm Conv2DBackpropFilter", () => {
  after(() => useBackend("wasm"));

  it("is registered for wasm by useBackend('wasm'), and registering again is harmless", async () => {
    await useBackend("wasm");
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).to.not.equal(undefined);
    // The input gradient is native to tfjs-backend-wasm: together they make a full training step.
    expect(tf.getKernel("Conv2DBackpropInput", "wasm")).to.not.equal(undefined);
    registerWasmGradKernels();
    registerWasmGradKernels();
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).to.not.equal(undefined);
  });

  CASES.forEach((c, i) => {
    it(`filter and input gradients match cpu and a float64 oracle: ${label(c)}`, async () => {
      const seed = 100 + 10 * i;
      const cpu = await convGrads("cpu", c, seed);
      const wasm = await convGrads("wasm", c, seed);
      const exact = filterGradF64(c, seed);
      expect(relErr(cpu.df, exact), "cpu vs float64 (sanity of the oracle)").to.be.below(REL_TOL);
      expect(relErr(wasm.df, exact), "wasm dW vs float64").to.be.below(REL_TOL);
      expect(relErr(wasm.df, cpu.df), "wasm dW vs cpu").to.be.below(REL_TOL);
      expect(relErr(wasm.dx, cpu.dx), "wasm dX vs cpu").to.be.below(REL_TOL);
    });
  });

  it("handles NCHW, explicit and numeric padding (called as a kernel: wasm's forward Conv2D is NHWC-only)", async () => {
    const cases: { xShape: number[]; fShape: [number, number, number, number]; attrs: tf.NamedAttrMap }[] = [
      { xShape: [2, 3, 8, 10], fShape: [3, 3, 3, 2], attrs: { strides: 2, pad: "same", dataFormat: "NCHW" } },
      { xShape: [2, 3, 8, 10], fShape: [3, 5, 3, 2], attrs: { strides: 1, pad: [[0, 0], [0, 0], [2, 0], [1, 3]], dataFormat: "NCHW" } },
      { xShape: [2, 8, 10, 3], fShape: [3, 3, 3, 2], attrs: { strides: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]], dataFormat: "NHWC" } },
      { xShape: [2, 8, 10, 3], fShape: [3, 3, 3, 2], attrs: { strides: [2, 3], pad: 1, dataFormat: "NHWC" } },
      { xShape: [2, 8, 10, 3], fShape: [3, 3, 3, 2], attrs: { strides: 2, pad: 1, dataFormat: "NHWC", dimRoundingMode: "ceil" } },
    ];
    for (const [i, c] of cases.entries()) {
      const fmt = c.attrs.dataFormat === "NHWC" ? "channelsLast" : "channelsFirst";
      const info = tf.backend_util.computeConv2DInfo(
        c.xShape as [number, number, number, number],
        c.fShape,
        c.attrs.strides as number,
        1,
        c.attrs.pad as "same",
        c.attrs.dimRoundingMode as "ceil" | undefined,
        false,
        fmt,
      );
      const x = values(size(c.xShape), 7 + i);
      const dy = values(size(info.outShape), 70 + i);
      const run = async (backend: "cpu" | "wasm") => {
        await useBackend(backend);
        return tf.tidy(() => {
          const out = tf.engine().runKernel(
            "Conv2DBackpropFilter",
            { x: tf.tensor(x, c.xShape), dy: tf.tensor(dy, info.outShape) },
            { ...c.attrs, filterShape: c.fShape },
          ) as tf.Tensor;
          expect(out.shape).to.deep.equal(c.fShape);
          return out.dataSync() as Float32Array;
        });
      };
      const cpu = await run("cpu");
      const wasm = await run("wasm");
      expect(relErr(wasm, cpu), JSON.stringify(c.attrs)).to.be.below(REL_TOL);
    }
  });

  it("leaks no tensors and no wasm buffers over repeated gradient computations", async () => {
    await useBackend("wasm");
    const c = CASES[7];
    const d = inputsOf(c, 1);
    const x = tf.tensor4d(d.x, d.xShape);
    const f = tf.tensor4d(d.f, d.fShape);
    const dy = tf.tensor(d.w, d.wShape);
    const step = () =>
      tf.tidy(() => {
        const [dx, df] = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad).square().sum())([x, f]);
        return dx.sum().add(df.sum()).dataSync()[0];
      });
    step();
    const tensors = tf.memory().numTensors;
    // The kernel's intermediates never become engine tensors, so only the backend's own count
    // of live buffers would reveal one left behind.
    const buffers = tf.engine().backend.numDataIds();
    const first = step();
    for (let i = 0; i < 5; i++) expect(step()).to.equal(first);
    expect(tf.memory().numTensors).to.equal(tensors);
    expect(tf.engine().backend.numDataIds()).to.equal(buffers);

    // A direct kernel call adds exactly its output.
    const out = tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
      strides: c.stride,
      pad: c.pad,
      dataFormat: "NHWC",
      filterShape: d.fShape,
    }) as tf.Tensor;
    expect(tf.engine().backend.numDataIds()).to.equal(buffers + 1);
    tf.dispose([out, x, f, dy]);
    expect(tf.memory().numTensors).to.equal(tensors - 3);
  });
});

describe("training a conv model on wasm", () => {
  after(() => useBackend("wasm"));

  // 8×8 images: class 0 bright in the top half, class 1 in the bottom half, plus seeded noise.
  function dataset(count: number) {
    const rng = new Rng(42);
    const images = new Float32Array(count * 64);
    const labels = new Int32Array(count);
    for (let s = 0; s < count; s++) {
      labels[s] = s % 2;
      for (let p = 0; p < 64; p++) {
        const topHalf = p < 32;
        images[s * 64 + p] = (topHalf === (labels[s] === 0) ? 0.7 : 0) + 0.3 * rng.next();
      }
    }
    return { images, labels };
  }

  async function train(backend: "cpu" | "wasm"): Promise<number[]> {
    await useBackend(backend);
    const { images, labels } = dataset(32);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [8, 8, 1],
          filters: 4,
          kernelSize: 3,
          padding: "same",
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.conv2d({
          filters: 4,
          kernelSize: 5,
          strides: 2,
          padding: "valid",
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    const optimizer = tf.train.sgd(0.1);
    model.compile({ optimizer, loss: "categoricalCrossentropy" });
    const x = tf.tensor4d(images, [32, 8, 8, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 2));
    const history = await model.fit(x, y, { epochs: 6, batchSize: 8, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
    return history.history.loss as number[];
  }

  it("fits without error, the loss falls, and the run tracks the cpu backend step for step", async () => {
    const tensors = tf.memory().numTensors;
    const wasm = await train("wasm");
    expect(wasm).to.have.length(6);
    for (const l of wasm) expect(Number.isFinite(l)).to.equal(true);
    expect(wasm[5]).to.be.below(wasm[0] * 0.8);
    expect(tf.memory().numTensors, "model.fit on wasm left tensors behind").to.equal(tensors);

    const cpu = await train("cpu");
    // 24 SGD steps compound the per-step float32 differences; still far below any real bug.
    for (let e = 0; e < wasm.length; e++) expect(Math.abs(wasm[e] - cpu[e]), `epoch ${e}`).to.be.below(1e-4 * Math.max(1, cpu[e]));
  });
});

// The replacement kernels must return exactly the stock kernels' bits: the tabular benchmark's
// weight hashes, and every verifier's re-training, were made with the stock ones.
describe("wasm replacement kernels: the stock kernels' bits", () => {
  before(() => useBackend("wasm"));

  /** Runs `name` on wasm as registered now and as the stock kernel, on the same inputs. */
  function both(name: "Conv2DBackpropInput" | "MaxPoolGrad" | "Tile", inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) {
    const stock = stockWasmKernels();
    const stockFunc = { Conv2DBackpropInput: stock.conv2DBackpropInput, MaxPoolGrad: stock.maxPoolGrad, Tile: stock.tile }[name];
    expect(stockFunc, `stock ${name} kept`).to.not.equal(undefined);
    const backend = tf.engine().backend;
    const mine = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
    const ref = stockFunc!({ inputs, backend, attrs }) as tf.TensorInfo;
    const refValues = backend.readSync(ref.dataId) as Float32Array | Int32Array;
    expect(mine.shape).to.deep.equal(ref.shape);
    const a = mine.dataSync() as Float32Array | Int32Array;
    backend.disposeData(ref.dataId);
    mine.dispose();
    return { a, ref: refValues };
  }
  /** Bit-for-bit equality (NaN payloads and the sign of zero included). */
  function expectSameBits(a: Float32Array | Int32Array, b: Float32Array | Int32Array, what: string) {
    expect(a.length, what).to.equal(b.length);
    const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
    const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
    let first = -1;
    for (let i = 0; i < ua.length && first < 0; i++) if (ua[i] !== ub[i]) first = i;
    expect(first, `${what}: first differing entry ${first} (${a[first]} vs ${b[first]})`).to.equal(-1);
  }

  it("registers the replacements once, keeping the stock kernels as fallbacks", () => {
    registerWasmGradKernels();
    const s = stockWasmKernels();
    for (const [name, stock] of [
      ["Conv2DBackpropInput", s.conv2DBackpropInput],
      ["MaxPoolGrad", s.maxPoolGrad],
      ["Tile", s.tile],
    ] as const) {
      expect(stock, name).to.be.a("function");
      expect(tf.getKernel(name, "wasm")!.kernelFunc, name).to.not.equal(stock);
    }
  });

  const inputCases: { dy: number[]; f: [number, number, number, number]; pad: "same" | "valid"; stride: number }[] = [
    { dy: [2, 7, 9, 3], f: [3, 3, 4, 3], pad: "same", stride: 1 },
    { dy: [3, 14, 14, 16], f: [5, 5, 16, 16], pad: "same", stride: 1 },
    { dy: [2, 5, 7, 8], f: [3, 3, 4, 8], pad: "valid", stride: 1 },
    { dy: [2, 4, 4, 8], f: [5, 5, 1, 8], pad: "valid", stride: 1 },
    { dy: [2, 6, 5, 3], f: [3, 5, 2, 3], pad: "same", stride: 1 },
    { dy: [2, 4, 5, 3], f: [3, 3, 4, 3], pad: "same", stride: 2 }, // stride 2: the stock kernel itself
  ];
  inputCases.forEach((c, i) => {
    it(`Conv2DBackpropInput: dy ${c.dy.join("×")}, filter ${c.f.join("×")}, ${c.pad}, stride ${c.stride}`, () => {
      const info = (inputShape: [number, number, number, number]) => tf.backend_util.computeConv2DInfo(inputShape, c.f, c.stride, 1, c.pad);
      // the forward input shape whose output is dy
      const [n, oh, ow] = c.dy;
      const inputShape: [number, number, number, number] =
        c.pad === "same" ? [n, oh * c.stride, ow * c.stride, c.f[2]] : [n, (oh - 1) * c.stride + c.f[0], (ow - 1) * c.stride + c.f[1], c.f[2]];
      expect(info(inputShape).outShape).to.deep.equal(c.dy);
      const dy = tf.tensor(values(size(c.dy), 300 + i), c.dy);
      const f = tf.tensor(values(size(c.f), 400 + i), c.f);
      const { a, ref } = both("Conv2DBackpropInput", { dy, filter: f }, { strides: c.stride, pad: c.pad, dataFormat: "NHWC", inputShape });
      expectSameBits(a, ref, "dx");
      tf.dispose([dy, f]);
    });
  });

  // Inputs built to hit the stock kernel's rules: ties, zeros, negatives, subnormals, and windows
  // with no positive entry (the first window among them).
  function poolInput(shape: number[], seed: number): Float32Array {
    const rng = new Rng(seed);
    const v = new Float32Array(size(shape));
    for (let i = 0; i < v.length; i++) {
      const u = rng.next();
      v[i] = u < 0.2 ? 0 : u < 0.3 ? 0.5 : u < 0.35 ? 1e-40 : u < 0.6 ? -u : u;
    }
    // the first 3×3 corner of batch 0, every channel: no positive entry, so the stock kernel's
    // arg-max stays at flat index 0 there
    const [, , w, ch] = shape;
    for (let r = 0; r < 3; r++) for (let q = 0; q < 3; q++) for (let c = 0; c < ch; c++) v[(r * w + q) * ch + c] = -0.25;
    return v;
  }
  const poolCases: { x: number[]; filterSize: number; strides: number; pad: "same" | "valid" }[] = [
    { x: [4, 28, 28, 8], filterSize: 2, strides: 2, pad: "valid" },
    { x: [2, 7, 9, 3], filterSize: 2, strides: 2, pad: "valid" }, // last row and column unread
    { x: [2, 7, 9, 3], filterSize: 2, strides: 2, pad: "same" }, // windows cut by the padding
    { x: [2, 8, 8, 2], filterSize: 3, strides: 3, pad: "same" },
    { x: [2, 6, 6, 2], filterSize: 2, strides: 1, pad: "valid" }, // overlapping: the stock kernel
    { x: [2, 7, 7, 2], filterSize: 3, strides: 2, pad: "same" }, // overlapping: the stock kernel
  ];
  poolCases.forEach((c, i) => {
    it(`MaxPoolGrad: ${c.x.join("×")}, pool ${c.filterSize}, stride ${c.strides}, ${c.pad}`, () => {
      const x = tf.tensor4d(poolInput(c.x, 500 + i), c.x as [number, number, number, number]);
      const yShape = tf.backend_util.computePool2DInfo(x.shape, c.filterSize, c.strides, 1, c.pad).outShape;
      const dy = tf.tensor(values(size(yShape), 600 + i), yShape);
      const { a, ref } = both("MaxPoolGrad", { dy, input: x }, { filterSize: c.filterSize, strides: c.strides, pad: c.pad });
      expectSameBits(a, ref, "dx");
      tf.dispose([x, dy]);
    });
  });

  it("MaxPoolGrad: a NaN or infinite dy poisons its window as the stock kernel does", () => {
    const shape = [2, 6, 6, 2] as [number, number, number, number];
    const x = tf.tensor4d(poolInput(shape, 7), shape);
    const d = values(2 * 3 * 3 * 2, 8);
    d[3] = NaN;
    d[10] = Infinity;
    const dy = tf.tensor(d, [2, 3, 3, 2]);
    const { a, ref } = both("MaxPoolGrad", { dy, input: x }, { filterSize: 2, strides: 2, pad: "valid" });
    expect(a.some(Number.isNaN)).to.equal(true);
    expectSameBits(a, ref, "dx");
    tf.dispose([x, dy]);
  });

  const tileCases: { shape: number[]; reps: number[]; dtype: "float32" | "int32" }[] = [
    { shape: [1, 1, 1, 16], reps: [32, 14, 14, 1], dtype: "float32" }, // the batch-norm gradient's
    { shape: [2, 3], reps: [3, 5], dtype: "float32" },
    { shape: [3, 1, 2], reps: [1, 4, 3], dtype: "int32" },
    { shape: [5], reps: [7], dtype: "float32" },
    { shape: [2, 2, 3, 1], reps: [1, 1, 1, 1], dtype: "float32" },
    { shape: [2, 3], reps: [0, 2], dtype: "float32" },
  ];
  tileCases.forEach((c, i) => {
    it(`Tile: ${c.dtype} ${c.shape.join("×")} by ${c.reps.join("×")}`, () => {
      const x = tf.tensor(c.dtype === "int32" ? Int32Array.from(values(size(c.shape), 700 + i), (v) => Math.round(v * 1000)) : values(size(c.shape), 700 + i), c.shape, c.dtype);
      const { a, ref } = both("Tile", { x }, { reps: c.reps });
      expect(a.length).to.equal(size(c.shape.map((d, k) => d * c.reps[k])));
      expectSameBits(a, ref, "tiled");
      x.dispose();
    });
  });

  it("leak no tensors and no wasm buffers", () => {
    const x = tf.tensor4d(poolInput([2, 8, 8, 4], 1), [2, 8, 8, 4]);
    const f = tf.tensor4d(values(3 * 3 * 4 * 4, 2), [3, 3, 4, 4]);
    const run = () =>
      tf.tidy(() => {
        const [dx, df] = tf.grads((x: tf.Tensor, f: tf.Tensor) =>
          tf.maxPool(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same"), 2, 2, "valid").tile([1, 2, 1, 1]).square().sum(),
        )([x, f]);
        return dx.sum().add(df.sum()).dataSync()[0];
      });
    const first = run();
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 5; i++) expect(run()).to.equal(first);
    expect(tf.memory().numTensors).to.equal(tensors);
    expect(tf.engine().backend.numDataIds()).to.equal(buffers);
    tf.dispose([x, f]);
  });
});
