// `npm run bench:train`: seconds per training epoch of 10,000 MNIST images for a few reference
// genomes on each backend present (wasm, cpu; node and gpu where installed), written to
// reports/train.json. The pure-JS cpu backend is ~50× slower, so it trains on a subset and the
// time is scaled to 10,000 images (per-image cost is flat in the number of images).
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { Command } from "commander";
import * as tf from "@tensorflow/tfjs";
import { BackendError } from "../nas/errors.js";
import { parseDescription } from "../nas/space/genome.js";
import { defaultSpace } from "../nas/space/files.js";
import { useBackend, type BackendName } from "../nas/train/backend.js";
import { loadDataset } from "../nas/train/data.js";
import { resolveRecipe, type Recipe } from "../nas/train/recipe.js";
import { trainGenome } from "../nas/train/trainer.js";

const program = new Command()
  .name("bench:train")
  .option("--wasm-images <n>", "training images per epoch on wasm/node/gpu", "8000")
  .option("--cpu-images <n>", "training images per epoch on the pure-JS cpu backend", "1000")
  .option("--epochs <n>", "epochs per measurement (the first is a warm-up when > 1)", "2")
  .option("-o, --out <path>", "report file", "reports/train.json")
  .parse();
const opts = program.opts<{ wasmImages: string; cpuImages: string; epochs: string; out: string }>();

const space = defaultSpace();
const REFERENCE = [
  "1 block, 8 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout", // the reference conv8·3×3 CNN of the team's toolchain measurements (shared/TOOLCHAIN.md, outside this repository)
  "2 blocks, 16 filters, 5×5, batch-norm, ELU, max-pool, dense-64, no dropout",
  "3 blocks, 16 filters, 3×3, batch-norm, ReLU, avg-pool, dense-32, dropout 0.2",
];
const base = resolveRecipe("mnist-standard-v1");
const epochs = Number(opts.epochs);

type Row = { genome: string; description: string; flops: number; images: number; secondsPerEpoch10k: number; scoreBps: number };
const backends: Record<string, { available: boolean; reason?: string; rows?: Row[] }> = {};

for (const name of ["wasm", "cpu", "node", "gpu"] as BackendName[]) {
  try {
    await useBackend(name);
  } catch (e) {
    if (!(e instanceof BackendError)) throw e;
    backends[name] = { available: false, reason: e.message };
    console.log(`${name}: not available (${e.message})`);
    continue;
  }
  const images = Number(name === "cpu" ? opts.cpuImages : opts.wasmImages);
  const recipe: Recipe = { ...base, epochs, dataset: { ...base.dataset, train: images, test: 500 } };
  const dataset = loadDataset(recipe);
  const rows: Row[] = [];
  for (const description of REFERENCE) {
    const genome = parseDescription(space, description);
    const r = await trainGenome(space, genome, recipe, { backend: name, dataset });
    // the last epoch: the first pays for kernel compilation and allocation
    const s = r.epochSeconds[r.epochSeconds.length - 1];
    rows.push({ genome, description, flops: r.flops, images, secondsPerEpoch10k: +((s * 10_000) / images).toFixed(3), scoreBps: r.scoreBps });
    console.log(`${name.padEnd(4)} ${description}: ${((s * 10_000) / images).toFixed(2)} s / epoch of 10k images`);
  }
  backends[name] = { available: true, rows };
}

const ratio = (a: string, b: string) => {
  const ra = backends[a]?.rows;
  const rb = backends[b]?.rows;
  if (!ra || !rb) return null;
  // geometric mean over the reference genomes
  const logs = ra.map((row, i) => Math.log(rb[i].secondsPerEpoch10k / row.secondsPerEpoch10k));
  return +Math.exp(logs.reduce((x, y) => x + y, 0) / logs.length).toFixed(1);
};
const report = {
  // load average at the end: other processes on the cores inflate every time here
  machine: { cpus: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), loadAverage1m: +loadavg()[0].toFixed(2), node: process.version, tfjs: tf.version.tfjs },
  note: "seconds of model.fit per epoch of 10,000 28×28 images, batch 32, Adam; last of `epochs` epochs; single process",
  epochs,
  backends,
  wasmSpeedupOverCpu: ratio("wasm", "cpu"),
  createdAt: new Date().toISOString(),
};
mkdirSync("reports", { recursive: true });
writeFileSync(opts.out, JSON.stringify(report, null, 2) + "\n");
console.log(`wrote ${opts.out}: wasm is ${report.wasmSpeedupOverCpu}× faster than cpu`);
