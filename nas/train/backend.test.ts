import { expect } from "chai";
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { BackendError } from "../errors.js";
import { BACKENDS, parseBackend, useBackend } from "./backend.js";

const require = createRequire(import.meta.url);
function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("backend selection", () => {
  after(() => useBackend("wasm"));

  it("parseBackend accepts the listed names and rejects others with the valid list", () => {
    expect([...BACKENDS]).to.deep.equal(["wasm", "cpu", "node", "gpu", "auto"]);
    for (const name of BACKENDS) expect(parseBackend(name)).to.equal(name);
    expect(parseBackend(" WASM ")).to.equal("wasm");
    for (const bad of ["bogus", "", "tensorflow", "webgl"]) {
      expect(() => parseBackend(bad)).to.throw(BackendError, /unknown backend .*wasm, cpu, node, gpu, auto/);
    }
  });

  it("useBackend rejects an unknown name with BackendError", async () => {
    const e = await rejection(useBackend("bogus" as never));
    expect(e).to.be.instanceOf(BackendError);
    expect(e.message).to.include("use one of wasm, cpu, node, gpu, auto");
  });

  it('useBackend("wasm") activates single-threaded wasm with the Conv2D filter gradient', async () => {
    expect(await useBackend("wasm")).to.deep.equal({ name: "wasm", requested: "wasm", native: false });
    expect(tf.getBackend()).to.equal("wasm");
    expect(getThreadsCount()).to.equal(1);
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).to.not.equal(undefined);
    // Again: a no-op, not a re-initialisation that would drop tensors.
    const t = tf.scalar(3);
    expect(await useBackend("wasm")).to.deep.equal({ name: "wasm", requested: "wasm", native: false });
    expect(t.dataSync()[0]).to.equal(3);
    t.dispose();
  });

  it('useBackend("cpu") activates the pure-JS backend without its "install tfjs-node" banner', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
      expect(await useBackend("cpu")).to.deep.equal({ name: "cpu", requested: "cpu", native: false });
      expect(tf.getBackend()).to.equal("cpu");
      tf.tidy(() => tf.tensor1d([1, 2]).add(1).dataSync());
    } finally {
      console.warn = warn;
    }
    expect(warnings.filter((w) => w.includes("tfjs-node"))).to.deep.equal([]);
    // And back: switching is reversible, as the trainer and the tests rely on.
    expect((await useBackend("wasm")).name).to.equal("wasm");
  });

  for (const [kind, pkg] of [
    ["gpu", "@tensorflow/tfjs-node-gpu"],
    ["node", "@tensorflow/tfjs-node"],
  ] as const) {
    it(`useBackend("${kind}") without ${pkg} rejects with BackendError naming the package`, async function () {
      if (installed(pkg)) this.skip();
      await useBackend("wasm");
      const e = await rejection(useBackend(kind));
      expect(e).to.be.instanceOf(BackendError);
      expect(e.message).to.include(`backend "${kind}" needs ${pkg}, which is not installed`);
      expect(e.message).to.include(`npm install ${pkg}`);
      expect(e.message).to.include("--backend wasm");
      expect(e.message).to.not.include("\n");
      // A failed switch leaves the previous backend in place.
      expect(tf.getBackend()).to.equal("wasm");
    });
  }

  it('useBackend("auto") falls back to wasm when neither native package is installed', async function () {
    if (installed("@tensorflow/tfjs-node-gpu") || installed("@tensorflow/tfjs-node")) this.skip();
    await useBackend("cpu");
    expect(await useBackend("auto")).to.deep.equal({ name: "wasm", requested: "auto", native: false });
    expect(tf.getBackend()).to.equal("wasm");
  });
});
