import { expect } from "chai";
import { fileURLToPath } from "node:url";
import { NasError } from "../errors.js";
import { parseDescription } from "../space/genome.js";
import { DEFAULT_SPACE_URL, defaultSpace } from "../space/files.js";
import { TrainerPool } from "./pool.js";
import { resolveRecipe, type Recipe } from "./recipe.js";
import { trainGenome } from "./trainer.js";

describe("trainer pool (worker processes)", function () {
  this.timeout(300_000);
  const space = defaultSpace();
  const short = resolveRecipe("mnist-short-v1");
  const tiny: Recipe = { ...short, name: "tiny", dataset: { ...short.dataset, train: 256, test: 128 } };
  const genomes = [
    "1 block, 4 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout",
    "1 block, 8 filters, 5×5, batch-norm, tanh, avg-pool, dense-32, dropout 0.2",
    "2 blocks, 4 filters, 3×3, no norm, ELU, max-pool, no dense, no dropout",
  ].map((d) => parseDescription(space, d));

  it("trains jobs in parallel processes with the same results as in-process training", async () => {
    const pool = new TrainerPool({ spacePath: fileURLToPath(DEFAULT_SPACE_URL), recipe: tiny, workers: 2 });
    try {
      await pool.ready();
      expect(pool.size).to.equal(2);
      const remote = await Promise.all(genomes.map((g) => pool.train(g)));
      for (let i = 0; i < genomes.length; i++) {
        const local = await trainGenome(space, genomes[i], tiny, { backend: "wasm" });
        expect(remote[i].genome).to.equal(genomes[i]);
        expect(remote[i].weightsHash).to.equal(local.weightsHash);
        expect(remote[i].scoreBps).to.equal(local.scoreBps);
      }
    } finally {
      await pool.close();
    }
    let err: unknown;
    await pool.train(genomes[0]).catch((e) => (err = e));
    expect(err).to.be.instanceOf(NasError);
  });

  it("reports a bad genome as a rejected job and keeps serving", async () => {
    const pool = new TrainerPool({ spacePath: fileURLToPath(DEFAULT_SPACE_URL), recipe: tiny, workers: 1 });
    try {
      let err: Error | undefined;
      await pool.train(("0x09" + "00".repeat(31)) as `0x${string}`).catch((e) => (err = e));
      expect(err).to.be.instanceOf(NasError);
      expect(err!.message).to.match(/gene "depth" \(byte 0\) is 9/);
      const ok = await pool.train(genomes[0]);
      expect(ok.scoreBps).to.be.greaterThan(1000);
    } finally {
      await pool.close();
    }
  });

  it("rejects a non-positive worker count", () => {
    expect(() => new TrainerPool({ spacePath: fileURLToPath(DEFAULT_SPACE_URL), recipe: tiny, workers: 0 })).to.throw(
      NasError,
      /workers must be a positive integer/,
    );
  });
});
