// `npm run bench:table`: trains every architecture of a space under the short recipe on all
// cores (one worker process each) and writes nas/bench/<space-id-prefix>.json. Resumable: each
// result is appended to a .partial.jsonl file as it arrives, and a restart skips what is there.
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import cliProgress from "cli-progress";
import { Command } from "commander";
import type { Hex } from "viem";
import { loadTable, tableEntryOf, tableUrl, type Table, type TableEntry } from "../nas/bench/table.js";
import { NasError } from "../nas/errors.js";
import { Rng } from "../nas/rng.js";
import { describeGenome } from "../nas/space/genome.js";
import { DEFAULT_SPACE_URL, loadSpace } from "../nas/space/files.js";
import { spaceId } from "../nas/space/space.js";
import { enumerateSubspace } from "../nas/space/subspace.js";
import { parseBackend } from "../nas/train/backend.js";
import { TrainerPool } from "../nas/train/pool.js";
import { recipeId, resolveRecipe } from "../nas/train/recipe.js";

const program = new Command()
  .name("bench:table")
  .description("Train every architecture of a search space once and write the tabular benchmark")
  .option("-s, --space <path>", "search space JSON", fileURLToPath(DEFAULT_SPACE_URL))
  .option("-r, --recipe <name|path>", "training recipe", "mnist-short-v1")
  .option("-b, --backend <name>", "training backend", "wasm")
  .option("-w, --workers <n>", "worker processes", String(availableParallelism()))
  .option("-l, --limit <n>", "train only the first n architectures (smoke runs); the table is then written to --out only")
  .option("-o, --out <path>", "output file (default nas/bench/<space-id-prefix>.json)")
  .option("--verify <n>", "re-train a seeded sample of n committed entries and report any whose weights hash or score differs (exit 1)")
  .option("--seed <n>", "seed of the --verify sample", "1")
  .parse();
const opts = program.opts<{ space: string; recipe: string; backend: string; workers: string; limit?: string; out?: string; verify?: string; seed: string }>();

const space = loadSpace(opts.space);
const recipe = resolveRecipe(opts.recipe);
const backend = parseBackend(opts.backend);
const workers = Number(opts.workers);
const out = opts.out ?? fileURLToPath(tableUrl(space));
if (opts.limit && !opts.out) throw new NasError("--limit needs --out, so a partial table never replaces the committed one");
const partial = out.replace(/\.json$/, "") + ".partial.jsonl";

if (opts.verify !== undefined) process.exit(await verify(Number(opts.verify)));

/**
 * Re-trains a seeded sample of the committed table on this machine: the check that a trainer
 * change (or another machine) still gives the table's bits. Returns the exit code.
 */
async function verify(n: number): Promise<number> {
  if (!Number.isInteger(n) || n < 1) throw new NasError(`--verify ${opts.verify}: give a positive number of entries`);
  const table = loadTable(space);
  if (table.recipeId !== recipeId(recipe)) throw new NasError(`the committed table was made under ${table.recipe}: pass --recipe ${table.recipe}`);
  const sample = new Rng(Number(opts.seed)).shuffle(Object.keys(table.entries).sort()).slice(0, n) as Hex[];
  const pool = new TrainerPool({ spacePath: opts.space, recipe, backend, workers });
  const bar = new cliProgress.SingleBar({ format: "{bar} {value}/{total} | differ {differ}", noTTYOutput: true, notTTYSchedule: 30_000 }, cliProgress.Presets.shades_classic);
  const differ: string[] = [];
  try {
    await pool.ready();
    bar.start(sample.length, 0, { differ: 0 });
    await Promise.all(
      sample.map(async (genome) => {
        const r = await pool.train(genome);
        const e = table.entries[genome];
        if (r.weightsHash !== e.weightsHash || r.scoreBps !== e.scoreBps) {
          differ.push(`${describeGenome(space, genome)}: ${r.scoreBps} bps ${r.weightsHash}, table ${e.scoreBps} bps ${e.weightsHash}`);
        }
        bar.increment({ differ: differ.length });
      }),
    );
  } finally {
    bar.stop();
    await pool.close();
  }
  for (const line of differ) console.log(`differs: ${line}`);
  console.log(`${sample.length - differ.length} of ${sample.length} sampled entries re-trained to the table's weights hash and score`);
  return differ.length ? 1 : 0;
}

let genomes = [...enumerateSubspace(space)] as Hex[];
if (opts.limit) genomes = genomes.slice(0, Number(opts.limit));

// resume: results already on disk, from a run with the same space and recipe
const done = new Map<string, TableEntry>();
let priorWall = 0;
if (existsSync(partial)) {
  for (const line of readFileSync(partial, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let rec: { genome?: string; entry?: TableEntry; spaceId?: string; recipeId?: string; wallSeconds?: number };
    try {
      rec = JSON.parse(line);
    } catch {
      continue; // a line cut short by a crash: that genome is simply trained again
    }
    if (rec.spaceId !== undefined && (rec.spaceId !== spaceId(space) || rec.recipeId !== recipeId(recipe))) {
      throw new NasError(`${partial} belongs to another space or recipe: delete it or pass another --out`);
    }
    if (rec.wallSeconds !== undefined) priorWall += rec.wallSeconds;
    if (rec.genome && rec.entry) done.set(rec.genome, rec.entry);
  }
} else {
  appendFileSync(partial, JSON.stringify({ spaceId: spaceId(space), recipeId: recipeId(recipe) }) + "\n");
}
const todo = genomes.filter((g) => !done.has(g));
console.log(
  `${space.name}: ${genomes.length} architectures, ${done.size} done, ${todo.length} to train on ${workers} ${backend} workers (recipe ${recipe.name})`,
);

const start = performance.now();
const pool = new TrainerPool({ spacePath: opts.space, recipe, backend, workers });
const bar = new cliProgress.SingleBar(
  { format: "{bar} {value}/{total} | ETA {eta_formatted} | last {last}", etaBuffer: 50, noTTYOutput: true, notTTYSchedule: 30_000 },
  cliProgress.Presets.shades_classic,
);
let backendName = backend as string;
try {
  await pool.ready();
  bar.start(genomes.length, done.size, { last: "-" });
  await Promise.all(
    todo.map(async (genome) => {
      const r = await pool.train(genome);
      backendName = r.backend;
      const entry = tableEntryOf(r);
      appendFileSync(partial, JSON.stringify({ genome, entry }) + "\n");
      done.set(genome, entry);
      bar.increment({ last: `${r.scoreBps} bps in ${r.seconds.toFixed(1)} s` });
    }),
  );
} finally {
  bar.stop();
  const wall = (performance.now() - start) / 1000;
  appendFileSync(partial, JSON.stringify({ wallSeconds: wall }) + "\n");
  await pool.close();
}

const table: Table = {
  spaceId: spaceId(space),
  space: space.name,
  recipeId: recipeId(recipe),
  recipe: recipe.name,
  backend: backendName,
  tfjs: JSON.parse(readFileSync(new URL("../node_modules/@tensorflow/tfjs/package.json", import.meta.url), "utf8")).version,
  workers,
  createdAt: new Date().toISOString(),
  wallSeconds: Math.round(priorWall + (performance.now() - start) / 1000),
  entries: Object.fromEntries(genomes.map((g) => [g, done.get(g)!])),
};
writeFileSync(out + ".tmp", JSON.stringify(table, null, 1) + "\n");
renameSync(out + ".tmp", out);
rmSync(partial);
const scores = Object.values(table.entries).map((e) => e.scoreBps);
console.log(`wrote ${out}: ${scores.length} entries, best ${Math.max(...scores)} bps, wall ${table.wallSeconds} s`);
