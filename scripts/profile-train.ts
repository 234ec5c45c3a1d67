// `node --import tsx scripts/profile-train.ts [--genome "<description>"] [--images N] [--batch B] [--profile] [--space F --recipe R]`:
// where one training epoch's time goes on the wasm backend: epoch seconds of trainGenome and,
// with --profile, tfjs's per-kernel totals for one epoch (kernel time only, not engine overhead).
// A diagnostic for trainer work (issue: trainer speed), not a benchmark: bench:train is that.
import { Command } from "commander";
import * as tf from "@tensorflow/tfjs";
import { parseDescription } from "../nas/space/genome.js";
import { defaultSpace, loadSpace } from "../nas/space/files.js";
import { loadDataset } from "../nas/train/data.js";
import { resolveRecipe, type Recipe } from "../nas/train/recipe.js";
import { trainGenome } from "../nas/train/trainer.js";

const o = new Command()
  .option("--genome <description>", "architecture", "1 block, 8 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout")
  .option("--images <n>", "training images", "2000")
  .option("--batch <n>", "batch size", "32")
  .option("--epochs <n>", "epochs", "3")
  .option("--profile", "per-kernel totals of one extra epoch")
  .option("--space <path>", "search space JSON (default: the MNIST conv space)")
  .option("--recipe <name>", "recipe whose dataset, optimiser and seed to use", "mnist-standard-v1")
  .parse()
  .opts<{ genome: string; images: string; batch: string; epochs: string; profile?: boolean; space?: string; recipe: string }>();
const space = o.space ? loadSpace(o.space) : defaultSpace();
const base = resolveRecipe(o.recipe);
const recipe: Recipe = { ...base, epochs: Number(o.epochs), batchSize: Number(o.batch), dataset: { ...base.dataset, train: Number(o.images), test: 500 } };
const dataset = loadDataset(recipe);
const genome = parseDescription(space, o.genome);
const r = await trainGenome(space, genome, recipe, { backend: "wasm", dataset });
console.log(`epochs (s): ${r.epochSeconds.map((s) => s.toFixed(3)).join(" ")}; score ${r.scoreBps}; hash ${r.weightsHash}`);
if (o.profile) {
  const info = await tf.profile(async () => {
    await trainGenome(space, genome, { ...recipe, epochs: 1 }, { dataset });
    return [];
  });
  const byKernel = new Map<string, number>();
  for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  console.log(`kernel time ${total.toFixed(0)} ms over ${info.kernels.length} kernel calls`);
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 16)) {
    console.log(`  ${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${((100 * ms) / total).toFixed(1)}%`);
  }
}
