import { expect } from "chai";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { useBackend } from "./backend.js";
import { InputConv2D } from "./layers.js";

// InputConv2D must be tf.layers.conv2d in everything but the input gradient it skips: same
// initial weights, same forward bits, same kernel and bias gradients, bit for bit.
describe("InputConv2D (the first conv layer)", () => {
  before(() => useBackend("wasm"));

  function images(n: number, seed: number): tf.Tensor4D {
    const rng = new Rng(seed);
    return tf.tensor4d(Float32Array.from({ length: n * 28 * 28 }, () => rng.next()), [n, 28, 28, 1]);
  }
  const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

  for (const useBias of [true, false]) {
    for (const k of [3, 5]) {
      it(`equals tf.layers.conv2d bit for bit: ${k}×${k}, ${useBias ? "with" : "without"} bias`, () => {
        const init = () => tf.initializers.glorotUniform({ seed: 17 });
        const mine = new InputConv2D(8, k, useBias, init());
        const stock = tf.layers.conv2d({ filters: 8, kernelSize: k, padding: "same", useBias, kernelInitializer: init(), biasInitializer: "zeros" });
        const x = images(4, k);
        // build both (the same initial weights), then give the bias a non-zero value in both
        mine.apply(x);
        stock.apply(x);
        if (useBias) {
          const b = tf.tensor1d(Array.from({ length: 8 }, (_, i) => 0.01 * (i - 4)));
          mine.setWeights([mine.getWeights()[0], b]);
          stock.setWeights([stock.getWeights()[0], b]);
        }
        expect(mine.getWeights().map(bits)).to.deep.equal(stock.getWeights().map(bits));
        const w = tf.randomUniform([4, 28, 28, 8], -1, 1, "float32", 3);
        const loss = (layer: tf.layers.Layer) => () => (layer.apply(x, { training: true }) as tf.Tensor).mul(w).sum() as tf.Scalar;
        const gMine = tf.variableGrads(loss(mine), mine.trainableWeights.map((v) => v.read() as tf.Variable));
        const gStock = tf.variableGrads(loss(stock), stock.trainableWeights.map((v) => v.read() as tf.Variable));
        expect(bits(gMine.value)).to.deep.equal(bits(gStock.value));
        const names = (g: tf.NamedTensorMap) => Object.values(g).map(bits);
        expect(Object.keys(gMine.grads)).to.have.length(useBias ? 2 : 1);
        expect(names(gMine.grads)).to.deep.equal(names(gStock.grads));
        // inference (no gradient tape: tfjs runs conv2d then the bias add) is the same too
        expect(bits(mine.apply(x) as tf.Tensor)).to.deep.equal(bits(stock.apply(x) as tf.Tensor));
        tf.dispose([x, w, gMine.value, gStock.value, ...Object.values(gMine.grads), ...Object.values(gStock.grads)]);
        mine.dispose();
        stock.dispose();
      });
    }
  }

  it("skips the input gradient: tf.grads with respect to the images gives zeros", () => {
    const layer = new InputConv2D(4, 3, true, tf.initializers.glorotUniform({ seed: 1 }));
    const x = images(2, 9);
    const [dx] = tf.grads((x: tf.Tensor) => (layer.apply(x) as tf.Tensor).sum())([x]);
    expect(dx.shape).to.deep.equal(x.shape);
    expect(dx.abs().max().dataSync()[0]).to.equal(0);
    // while a stock layer's input gradient is not zero: the skip is real work saved
    const stock = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
    const [dxStock] = tf.grads((x: tf.Tensor) => (stock.apply(x) as tf.Tensor).sum())([x]);
    expect(dxStock.abs().max().dataSync()[0]).to.be.greaterThan(0);
    tf.dispose([x, dx, dxStock]);
    layer.dispose();
    stock.dispose();
  });
});
