import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs";
import type { Hex } from "viem";
import { GenomeError } from "../errors.js";
import { archCost } from "../space/cost.js";
import { parseDescription } from "../space/genome.js";
import { defaultSpace } from "../space/files.js";
import { enumerateSubspace } from "../space/subspace.js";
import { useBackend } from "./backend.js";
import { loadDataset } from "./data.js";
import { buildModel } from "./model.js";
import { resolveRecipe, type Recipe } from "./recipe.js";
import { trainGenome } from "./trainer.js";

const run = promisify(execFile);
const space = defaultSpace();
const short = resolveRecipe("mnist-short-v1");
/** A tiny recipe so the tests stay fast; the scores it gives are still real. */
const tiny: Recipe = { ...short, name: "tiny", dataset: { ...short.dataset, train: 256, test: 128 } };
const SMALL = parseDescription(space, "1 block, 4 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout");
const FULL = parseDescription(space, "2 blocks, 8 filters, 5×5, batch-norm, ELU, avg-pool, dense-32, dropout 0.2");

describe("trainer", function () {
  this.timeout(300_000);
  before(async () => {
    await useBackend("wasm");
  });

  it("counts parameters exactly as the analytic cost model does, for every architecture", () => {
    for (const g of enumerateSubspace(space)) {
      const m = buildModel(space, g, 1);
      expect(m.countParams(), g).to.equal(archCost(space, g).params);
      m.dispose();
    }
  });

  it("learns real digits: the short recipe scores far above chance", async () => {
    const r = await trainGenome(space, SMALL, short);
    expect(r.reason).to.equal(undefined);
    expect(r.scoreBps).to.be.greaterThan(7000); // chance is 1000
    expect(r.params).to.equal(archCost(space, SMALL).params);
    expect(r.flops).to.equal(archCost(space, SMALL).flops);
    expect(r.weightsHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(r.backend).to.equal("wasm");
    expect(r.loss).to.have.length(1);
    expect(r.seconds).to.be.greaterThan(0);
  });

  it("learns real clothing: Fashion-MNIST's short recipe scores far above chance, and harder than digits", async () => {
    const fashion = resolveRecipe("fashion-short-v1");
    const r = await trainGenome(space, SMALL, fashion);
    expect(r.reason).to.equal(undefined);
    expect(r.scoreBps).to.be.within(6000, 9500); // chance is 1000; small CNNs stay well below MNIST's 99%
    expect(r.weightsHash).to.match(/^0x[0-9a-f]{64}$/);
    // the verifier's cost of this re-training: 3 × forward per training image, plus the test pass
    expect(r.trainFlops).to.equal(3 * r.flops * 6000 + r.flops * 2000);
  });

  it("is deterministic in-process: same inputs, same weights hash; another seed, another hash", async () => {
    const a = await trainGenome(space, FULL, tiny);
    const b = await trainGenome(space, FULL, tiny);
    expect(a.weightsHash).to.equal(b.weightsHash);
    expect(a.scoreBps).to.equal(b.scoreBps);
    const c = await trainGenome(space, FULL, { ...tiny, seed: tiny.seed + 1 });
    expect(c.weightsHash).to.not.equal(a.weightsHash);
  });

  it("dropout draws a fresh mask each step (the model differs from one trained with a fixed mask)", async () => {
    // 2 epochs over the same data: with a per-step mask, epoch 2 sees different masks than epoch 1
    const two = { ...tiny, epochs: 2 };
    const withDropout = await trainGenome(space, FULL, two);
    const noDropout = await trainGenome(
      space,
      parseDescription(space, "2 blocks, 8 filters, 5×5, batch-norm, ELU, avg-pool, dense-32, no dropout"),
      two,
    );
    expect(withDropout.weightsHash).to.not.equal(noDropout.weightsHash);
    expect(withDropout.loss[1]).to.be.lessThan(withDropout.loss[0]);
  });

  it("gives the identical weights hash in two fresh processes (same backend)", async () => {
    const args = ["--import", "tsx", "nas/train/cli.ts", "--genome", FULL, "--recipe", "mnist-short-v1", "--backend", "wasm"];
    const [a, b] = await Promise.all([run(process.execPath, args), run(process.execPath, args)]);
    const ra = JSON.parse(a.stdout.slice(a.stdout.indexOf("{")));
    const rb = JSON.parse(b.stdout.slice(b.stdout.indexOf("{")));
    expect(ra.weightsHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(ra.weightsHash).to.equal(rb.weightsHash);
    expect(ra.scoreBps).to.equal(rb.scoreBps);
  });

  it("a diverged run (NaN or infinite weights) gives score 0 with a reason, not a crash", async () => {
    const r = await trainGenome(space, SMALL, { ...tiny, optimizer: "sgd", learningRate: 1e30 });
    expect(r.scoreBps).to.equal(0);
    expect(r.reason).to.match(/training diverged: the weights became NaN or infinite|training loss became/);
    expect(r.weightsHash).to.equal(null);
  });

  it("a model that does not build gives score 0 with a reason", async () => {
    // a space whose activation option the builder does not know
    const odd = structuredClone(space);
    odd.genes[4].options[0] = { value: "softplus-ish", label: "softplus-ish" };
    const r = await trainGenome(odd, SMALL, tiny);
    expect(r.scoreBps).to.equal(0);
    expect(r.reason).to.match(/model does not build: unsupported activation "softplus-ish"/);
  });

  it("rejects a genome outside the space as bad input", async () => {
    const bad = ("0x09" + "00".repeat(31)) as Hex;
    let err: unknown;
    await trainGenome(space, bad, tiny).catch((e) => (err = e));
    expect(err).to.be.instanceOf(GenomeError);
  });

  it("releases every tensor: no growth over 100 consecutive trainings", async () => {
    const micro: Recipe = { ...tiny, dataset: { ...tiny.dataset, train: 64, test: 32 } };
    const dataset = loadDataset(micro);
    const genomes = [SMALL, FULL];
    await trainGenome(space, FULL, micro, { dataset }); // warm-up: kernels, caches
    const before = tf.memory();
    for (let i = 0; i < 100; i++) await trainGenome(space, genomes[i % 2], micro, { dataset });
    const after = tf.memory();
    expect(after.numTensors).to.equal(before.numTensors);
    expect(after.numBytes).to.equal(before.numBytes);
  });
});
