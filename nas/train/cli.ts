// `npm run train -- --genome <bytes32 | description>`: trains one architecture under a recipe
// and prints the result as JSON (score, params, FLOPs, seconds, weights hash). What a miner or a
// verifier runs by hand, and what the determinism test runs in two fresh processes.
import { Command, InvalidArgumentError } from "commander";
import type { Hex } from "viem";
import { NasError } from "../errors.js";
import { describeGenome, parseDescription } from "../space/genome.js";
import { defaultSpace, loadSpace } from "../space/files.js";
import { BACKENDS, parseBackend } from "./backend.js";
import { recipeId, resolveRecipe } from "./recipe.js";
import { trainGenome } from "./trainer.js";

const program = new Command()
  .name("train")
  .description("Train one architecture under a recipe and print the result as JSON")
  .requiredOption("-g, --genome <genome>", 'bytes32 hex, or a description like "1 block, 8 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout"')
  .option("-r, --recipe <name|path>", "recipe name (mnist-short-v1, mnist-standard-v1) or JSON file", "mnist-short-v1")
  .option("-s, --space <path>", "search space JSON file (default: nas/spaces/mnist-conv-v1.json)")
  .option("-b, --backend <name>", `one of ${BACKENDS.join(", ")}`, (v) => {
    try {
      return parseBackend(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  }, "wasm" as const);

async function main() {
  program.parse();
  const opts = program.opts<{ genome: string; recipe: string; space?: string; backend: ReturnType<typeof parseBackend> }>();
  const space = opts.space ? loadSpace(opts.space) : defaultSpace();
  const genome = (/^0x[0-9a-fA-F]{64}$/.test(opts.genome) ? opts.genome : parseDescription(space, opts.genome)) as Hex;
  const recipe = resolveRecipe(opts.recipe);
  const result = await trainGenome(space, genome, recipe, { backend: opts.backend });
  console.log(
    JSON.stringify({ ...result, description: describeGenome(space, genome), recipe: recipe.name, recipeId: recipeId(recipe) }, null, 2),
  );
}

main().catch((e: unknown) => {
  // bad input (NasError) gets its one-line message; anything else is a bug and keeps its stack
  console.error(e instanceof NasError ? `error: ${e.message}` : e);
  process.exit(1);
});
