// `npm run bench:train [-- --peer torch]`: seconds per training epoch of the reference genomes and
// the tabular benchmark's median architecture on the wasm trainer (trainGenome, the engine's one
// implementation of the recipe), at batch 32 and 128, written to reports/train.json. With
// `--peer torch`, the same architectures, images and per-epoch batch order also train in PyTorch
// through /usr/bin/python3 (scripts/bench-train-torch.py; Debian's python3-torch), with one and
// with two threads. Each repeat runs wasm, torch-1, torch-2 back to back, so drift of a shared
// machine hits all three alike; the report keeps every run and their medians, and the ratios
// are geometric means of wasm seconds / torch seconds over the genomes at batch 32.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Command } from "commander";
import * as tf from "@tensorflow/tfjs";
import type { Hex } from "viem";
import { loadTable } from "../nas/bench/table.js";
import { BackendError } from "../nas/errors.js";
import { Rng } from "../nas/rng.js";
import { describeGenome, genomeValues, parseDescription } from "../nas/space/genome.js";
import { defaultSpace } from "../nas/space/files.js";
import { parseBackend, useBackend, type BackendName } from "../nas/train/backend.js";
import { loadDataset } from "../nas/train/data.js";
import { resolveRecipe, type Recipe } from "../nas/train/recipe.js";
import { trainGenome } from "../nas/train/trainer.js";

// the interpreter of Debian's python3-torch; PONAS_TORCH_PYTHON names another one
const PYTHON = process.env.PONAS_TORCH_PYTHON || "/usr/bin/python3";
const program = new Command()
  .name("bench:train")
  .option("--images <n>", "training images per epoch", "4000")
  .option("--epochs <n>", "epochs per run; the last is timed (the first pays for compilation and allocation)", "2")
  .option("--batches <list>", "batch sizes", "32,128")
  .option("--repeats <n>", "runs per genome, batch size and backend (the report gives their median)", "3")
  .option("--backends <list>", "engine backends (wasm, cpu, node, gpu); cpu is ~50× slower", "wasm")
  .option("--peer <name>", "also train in PyTorch (torch), when python3-torch is installed")
  .option("-o, --out <path>", "report file", "reports/train.json")
  .parse();
const opts = program.opts<{ images: string; epochs: string; batches: string; repeats: string; backends: string; peer?: string; out: string }>();
if (opts.peer !== undefined && opts.peer !== "torch") throw new Error(`--peer ${opts.peer}: the only peer is torch`);

const space = defaultSpace();
const REFERENCE = [
  "1 block, 8 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout", // the reference conv8·3×3 CNN of the team's toolchain measurements (shared/TOOLCHAIN.md, outside this repository)
  "2 blocks, 16 filters, 5×5, batch-norm, ELU, max-pool, dense-64, no dropout",
  "3 blocks, 16 filters, 3×3, batch-norm, ReLU, avg-pool, dense-32, dropout 0.2",
];
/** The table's median-scoring architecture (lower median; ties by genome), a typical net of the space. */
function medianArchitecture(): Hex {
  const entries = Object.entries(loadTable(space).entries).sort((a, b) => a[1].scoreBps - b[1].scoreBps || a[0].localeCompare(b[0]));
  return entries[Math.floor((entries.length - 1) / 2)][0] as Hex;
}
const genomes: { genome: Hex; description: string; role: string }[] = [
  ...REFERENCE.map((d) => ({ genome: parseDescription(space, d), description: d, role: "reference" })),
];
{
  const g = medianArchitecture();
  genomes.push({ genome: g, description: describeGenome(space, g), role: "table median" });
}

const images = Number(opts.images);
const epochs = Number(opts.epochs);
const repeats = Number(opts.repeats);
const batches = opts.batches.split(",").map(Number);
const base = resolveRecipe("mnist-standard-v1");
const recipeFor = (batchSize: number): Recipe => ({ ...base, epochs, batchSize, dataset: { ...base.dataset, train: images, test: 500 } });
const dataset = loadDataset(recipeFor(32));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// --- the PyTorch peer: one long-lived process, one JSON request per line ---------------------
type TorchAnswer = { epochSeconds: number[]; steps: number; loss: number[]; error?: string };
class TorchPeer {
  private pending: ((line: string) => void)[] = [];
  private constructor(private readonly child: ReturnType<typeof spawn>) {
    createInterface({ input: child.stdout! }).on("line", (line) => this.pending.shift()?.(line));
  }
  static async start(dir: string): Promise<TorchPeer | string> {
    if (!existsSync(PYTHON)) return `${PYTHON} not found`;
    const child = spawn(PYTHON, [new URL("./bench-train-torch.py", import.meta.url).pathname], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += String(d)));
    const peer = new TorchPeer(child);
    // the images as bench-train-torch.py reads them: float32 N×28×28, labels int32
    writeFileSync(join(dir, "images.bin"), dataset.train.images);
    writeFileSync(join(dir, "labels.bin"), dataset.train.labels);
    const exited = new Promise<string>((resolve) => child.on("exit", () => resolve(stderr.trim().split("\n").pop() ?? "exited")));
    const answer = await Promise.race([peer.ask({ load: { images: join(dir, "images.bin"), labels: join(dir, "labels.bin"), count: dataset.train.count } }), exited]);
    return typeof answer === "string" ? `PyTorch did not start (${answer}): apt-get install -y python3-torch` : peer;
  }
  ask(request: unknown): Promise<TorchAnswer> {
    return new Promise((resolve) => {
      this.pending.push((line) => resolve(JSON.parse(line)));
      this.child.stdin!.write(JSON.stringify(request) + "\n");
    });
  }
  close() {
    this.child.stdin!.end();
  }
}

/** The batch order trainGenome uses (Rng(recipe.seed), one shuffle per epoch), for the peer. */
function writeOrder(dir: string, seed: number): string {
  const order = new Rng(seed);
  const indices = Array.from({ length: dataset.train.count }, (_, i) => i);
  const all = new Int32Array(epochs * dataset.train.count);
  for (let e = 0; e < epochs; e++) all.set(order.shuffle(indices), e * dataset.train.count);
  const path = join(dir, `order-${seed}.bin`);
  writeFileSync(path, all);
  return path;
}

type Runs = { seconds: number[]; secondsPerEpoch10k: number; perStepMs: number };
type Row = { genome: Hex; description: string; role: string; flops: number; batch: number; images: number; steps: number; scoreBps: number; runs: Record<string, Runs> };
const summarize = (seconds: number[], steps: number): Runs => ({
  seconds: seconds.map((s) => +s.toFixed(4)),
  secondsPerEpoch10k: +((median(seconds) * 10_000) / images).toFixed(3),
  perStepMs: +((median(seconds) * 1000) / steps).toFixed(3),
});

const dir = mkdtempSync(join(tmpdir(), "bench-train-"));
let peer: TorchPeer | undefined;
let peerNote: string | undefined;
if (opts.peer === "torch") {
  const p = await TorchPeer.start(dir);
  if (typeof p === "string") {
    peerNote = p;
    console.log(`torch: skipped, ${p}`);
  } else peer = p;
}

const backendNames = opts.backends.split(",").map(parseBackend) as BackendName[];
const unavailable: Record<string, string> = {};
const rows: Row[] = [];
try {
  for (const batch of batches) {
    const recipe = recipeFor(batch);
    const steps = Math.ceil(images / batch);
    const order = peer ? writeOrder(dir, recipe.seed) : "";
    for (const g of genomes) {
      const v = genomeValues(space, g.genome);
      const arch = { depth: v.depth, filters: v.filters, kernel: v.kernel, norm: v.norm, activation: v.activation, pool: v.pool, head: v.head, dropout: v.dropout };
      const seconds: Record<string, number[]> = {};
      let flops = 0;
      let scoreBps = 0;
      for (let r = 0; r < repeats; r++) {
        for (const name of backendNames) {
          if (unavailable[name]) continue;
          try {
            await useBackend(name);
          } catch (e) {
            if (!(e instanceof BackendError)) throw e;
            unavailable[name] = e.message;
            console.log(`${name}: not available (${e.message})`);
            continue;
          }
          const t = await trainGenome(space, g.genome, recipe, { backend: name, dataset });
          (seconds[name] ??= []).push(t.epochSeconds[t.epochSeconds.length - 1]);
          flops = t.flops;
          scoreBps = t.scoreBps;
        }
        if (peer) {
          for (const threads of [1, 2]) {
            const a = await peer.ask({ train: { arch, order, epochs, batch, lr: recipe.learningRate, threads, seed: recipe.seed } });
            if (a.error) throw new Error(`torch: ${a.error}`);
            (seconds[`torch${threads}`] ??= []).push(a.epochSeconds[a.epochSeconds.length - 1]);
          }
        }
      }
      const runs = Object.fromEntries(Object.entries(seconds).map(([k, s]) => [k, summarize(s, steps)]));
      rows.push({ genome: g.genome, description: g.description, role: g.role, flops, batch, images, steps, scoreBps, runs });
      console.log(
        `batch ${String(batch).padStart(3)} ${g.description}: ` +
          Object.entries(runs)
            .map(([k, r]) => `${k} ${r.secondsPerEpoch10k.toFixed(2)} s`)
            .join(", ") +
          " per 10k images",
      );
    }
  }
} finally {
  peer?.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Geometric mean over the genomes at `batch` of a's seconds / b's seconds. */
function ratio(a: string, b: string, batch: number): number | null {
  const logs = rows.filter((r) => r.batch === batch && r.runs[a] && r.runs[b]).map((r) => Math.log(r.runs[a].secondsPerEpoch10k / r.runs[b].secondsPerEpoch10k));
  return logs.length ? +Math.exp(logs.reduce((x, y) => x + y, 0) / logs.length).toFixed(3) : null;
}
const report = {
  // load average at the end: other processes on the cores inflate every time here
  machine: { cpus: cpus()[0]?.model ?? "unknown", cores: availableParallelism(), loadAverage1m: +loadavg()[0].toFixed(2), node: process.version, tfjs: tf.version.tfjs },
  note:
    "seconds of the last of `epochs` training epochs, scaled to 10,000 28×28 images (median of `repeats` runs, every run kept), Adam; " +
    "wasm = trainGenome on tfjs-backend-wasm, one thread; torch1/torch2 = PyTorch on the CPU with 1/2 threads (scripts/bench-train-torch.py), same images and batch order",
  images,
  epochs,
  repeats,
  batches,
  ...(peerNote ? { peer: peerNote } : {}),
  ...(Object.keys(unavailable).length ? { unavailable } : {}),
  rows,
  ratios: {
    wasmOverTorch1: ratio("wasm", "torch1", 32),
    wasmOverTorch2: ratio("wasm", "torch2", 32),
    wasmOverTorch1Batch128: ratio("wasm", "torch1", 128),
    wasmOverTorch2Batch128: ratio("wasm", "torch2", 128),
    cpuOverWasm: ratio("cpu", "wasm", 32),
  },
  createdAt: new Date().toISOString(),
};
mkdirSync("reports", { recursive: true });
writeFileSync(opts.out, JSON.stringify(report, null, 2) + "\n");
console.log(`wrote ${opts.out}: ${JSON.stringify(report.ratios)}`);
