import { expect } from "chai";
import * as tf from "@tensorflow/tfjs";
import { SpaceError } from "../../errors.js";
import { Rng } from "../../rng.js";
import { useBackend } from "../../train/backend.js";
import { buildModel } from "../../train/model.js";
import { resolveRecipe } from "../../train/recipe.js";
import { trainGenome } from "../../train/trainer.js";
import type { Hex } from "viem";
import { archCost, limitBreach } from "../cost.js";
import { enumerateSubspace } from "../subspace.js";
import { loadSpace } from "../files.js";
import { decodeGenome, encodeGenome, parseDescription } from "../genome.js";
import { parseSpace, spaceId } from "../space.js";
import { cellArch } from "./cell.js";

const space = loadSpace(new URL("../../spaces/fashion-cell-v1.json", import.meta.url));
const cell = (edges: string) =>
  parseDescription(space, `2 stages, 1 cell per stage, width 4, ${edges}`);

describe("cell family (nas/spaces/fashion-cell-v1.json)", function () {
  this.timeout(120_000);
  before(() => useBackend("wasm"));

  it("is NAS-Bench-201's 15,625 cells times 12 macro designs: 187,500 architectures, macro genes first", () => {
    expect(space.family).to.equal("cell");
    const size = space.genes.reduce((n, g) => n * g.options.length, 1);
    expect(size).to.equal(187_500);
    expect(space.genes.slice(3).reduce((n, g) => n * g.options.length, 1)).to.equal(15_625);
    expect(space.genes.slice(0, 3).map((g) => g.name)).to.deep.equal(["stages", "cells", "width"]);
    // the codec takes it as it is (bytes32, one gene per byte)
    const g = encodeGenome(space, [1, 1, 2, 4, 3, 2, 1, 0, 3]);
    expect(decodeGenome(space, g)).to.deep.equal([1, 1, 2, 4, 3, 2, 1, 0, 3]);
    expect(spaceId(space)).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("declares limits that bind: 223 of the 187,500 architectures are over them, each scored 0 untrained by every node", async () => {
    expect(space.limits).to.deep.equal({ params: 250_000, flops: 50_000_000 });
    let over = 0;
    let worst: string | undefined;
    for (const g of enumerateSubspace(space)) {
      if (limitBreach(space, g)) {
        over++;
        worst ??= g;
      }
    }
    expect(over).to.equal(223);
    const widest = parseDescription(space, "3 stages, 2 cells per stage, width 12, 0→1 conv 3×3, 0→2 conv 3×3, 1→2 conv 3×3, 0→3 conv 3×3, 1→3 conv 3×3, 2→3 conv 3×3");
    expect(limitBreach(space, widest)).to.match(/^over the limits of space fashion-cell-v1: \d+ parameters \(the space allows 250000\), \d+ FLOPs per image \(the space allows 50000000\)$/);
    expect(limitBreach(space, cell("0→1 conv 3×3, 0→2 none, 1→2 none, 0→3 none, 1→3 none, 2→3 conv 3×3"))).to.equal(null);
    const t0 = performance.now();
    const r = await trainGenome(space, worst as Hex, resolveRecipe("fashion-demo-v1"));
    expect(performance.now() - t0).to.be.below(2000); // nothing trained (a real run of it takes tens of seconds)
    expect([r.scoreBps, r.weightsHash, r.trainFlops]).to.deep.equal([0, null, 0]);
    expect(r.reason).to.match(/^over the limits of space fashion-cell-v1/);
    // a malformed limit is refused naming the field
    expect(() => parseSpace({ ...space, limits: { params: 0, flops: 1 } })).to.throw(SpaceError, /`limits` must be \{params, flops\}/);
    expect(() => parseSpace({ ...space, limits: { params: 10 } })).to.throw(SpaceError, /`limits`/);
  });

  it("keeps only the edges on a path from the cell's input to its output", () => {
    const a = cellArch(space, cell("0→1 conv 3×3, 0→2 none, 1→2 none, 0→3 skip, 1→3 none, 2→3 conv 1×1"));
    // 0→1 leads nowhere (1 has no way to 3); 2→3 has no input reaching node 2
    expect(a.live).to.deep.equal([false, false, false, true, false, false]);
    const b = cellArch(space, cell("0→1 conv 3×3, 0→2 none, 1→2 avg-pool 3×3, 0→3 none, 1→3 none, 2→3 conv 1×1"));
    expect(b.live).to.deep.equal([true, false, true, false, false, true]);
    const dead = cellArch(space, cell("0→1 conv 3×3, 0→2 skip, 1→2 conv 3×3, 0→3 none, 1→3 none, 2→3 none"));
    expect(dead.live.some(Boolean)).to.equal(false);
    // dead edges cost nothing: the same cell without them has the same parameters
    expect(archCost(space, cell("0→1 conv 3×3, 0→2 none, 1→2 none, 0→3 skip, 1→3 none, 2→3 conv 1×1")).params).to.equal(
      archCost(space, cell("0→1 none, 0→2 none, 1→2 none, 0→3 skip, 1→3 none, 2→3 none")).params,
    );
  });

  it("counts parameters exactly as tfjs does for the model it builds, on a seeded sample", () => {
    const rng = new Rng(11);
    for (let t = 0; t < 60; t++) {
      const g = encodeGenome(space, space.genes.map((x) => Math.floor(rng.next() * x.options.length)));
      const model = buildModel(space, g, 1);
      expect(model.countParams(), g).to.equal(archCost(space, g).params);
      model.dispose();
    }
    expect(tf.memory().numTensors).to.equal(0);
  });

  it("trains on Fashion-MNIST: a real cell learns, a cell whose output no edge reaches stays at chance, and the run repeats bit for bit", async () => {
    const base = resolveRecipe("fashion-short-v1");
    const recipe = { ...base, dataset: { ...base.dataset, train: 1200, test: 500 } };
    const good = cell("0→1 conv 3×3, 0→2 skip, 1→2 conv 3×3, 0→3 skip, 1→3 conv 1×1, 2→3 conv 3×3");
    const a = await trainGenome(space, good, recipe);
    expect(a.reason).to.equal(undefined);
    expect(a.scoreBps).to.be.greaterThan(2500); // chance is 1000
    expect(a.params).to.equal(archCost(space, good).params);
    const b = await trainGenome(space, good, recipe);
    expect(b.weightsHash).to.equal(a.weightsHash);
    const zero = await trainGenome(space, cell("0→1 conv 3×3, 0→2 skip, 1→2 conv 3×3, 0→3 none, 1→3 none, 2→3 none"), recipe);
    expect(zero.scoreBps).to.be.within(500, 1600);
  });

  it("trains and scores a cell whose sum takes one node twice (skip chains), which tfjs's predict once freed too early", async () => {
    // node 1 = skip(node 0), so node 2 = skip(node 0) + skip(node 1) adds one tensor to itself;
    // before RepeatedAdd some such genomes scored 0 with "training failed: Tensor is disposed."
    const twice = cell("0→1 skip, 0→2 skip, 1→2 skip, 0→3 skip, 1→3 avg-pool 3×3, 2→3 conv 1×1");
    const model = buildModel(space, twice, 1);
    const out = tf.tidy(() => (model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape);
    model.dispose();
    expect(out).to.deep.equal([2, 10]);
    const base = resolveRecipe("fashion-short-v1");
    const r = await trainGenome(space, twice, { ...base, dataset: { ...base.dataset, train: 1200, test: 500 } });
    expect(r.reason).to.equal(undefined);
    expect(r.weightsHash).to.be.a("string");
    expect(r.scoreBps).to.be.greaterThan(1600); // chance is 1000
  });

  it("rejects a space that declares a family it lacks the genes of, or an unknown family", () => {
    const json = JSON.parse(JSON.stringify(space));
    expect(() => parseSpace({ ...json, genes: json.genes.slice(0, 8) }, "s")).to.throw(SpaceError, /the cell family needs gene e23/);
    expect(() => parseSpace({ ...json, family: "transformer" }, "s")).to.throw(SpaceError, /`family` must be one of conv, cell/);
  });
});
