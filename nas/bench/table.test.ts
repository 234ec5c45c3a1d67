import { expect } from "chai";
import type { Hex } from "viem";
import { NasError } from "../errors.js";
import { exhaustive, randomSearch, runSearch } from "../search/index.js";
import { archCost } from "../space/cost.js";
import { parseDescription } from "../space/genome.js";
import { partitionSpace } from "../space/partition.js";
import { defaultSpace } from "../space/files.js";
import { spaceId } from "../space/space.js";
import { enumerateSubspace, inSubspace } from "../space/subspace.js";
import { recipeId, resolveRecipe } from "../train/recipe.js";
import { trainGenome } from "../train/trainer.js";
import { loadTable, tableEvaluator, tableUrl } from "./table.js";

describe("tabular benchmark (committed nas/bench/<space-id-prefix>.json)", function () {
  this.timeout(120_000);
  const space = defaultSpace();
  const table = loadTable(space);
  const all = [...enumerateSubspace(space)];

  it("has one real entry for every architecture of the default space, under the short recipe", () => {
    expect(table.spaceId).to.equal(spaceId(space));
    expect(table.recipeId).to.equal(recipeId(resolveRecipe("mnist-short-v1")));
    expect(Object.keys(table.entries).sort()).to.deep.equal([...all].sort());
    for (const g of all) {
      const e = table.entries[g];
      const cost = archCost(space, g);
      expect(e.params, g).to.equal(cost.params);
      expect(e.flops, g).to.equal(cost.flops);
      expect(e.scoreBps, g).to.be.within(0, 10_000);
      expect(e.seconds, g).to.be.greaterThan(0);
    }
    const scores = all.map((g) => table.entries[g].scoreBps);
    // real training: most nets learn, the scores spread, nobody is perfect on 1,000 test digits
    expect(scores.filter((s) => s > 8000).length).to.be.greaterThan(all.length / 2);
    expect(Math.max(...scores)).to.be.within(9000, 9990);
    expect(Math.max(...scores) - Math.min(...scores)).to.be.greaterThan(1000);
  });

  it("is reproducible: re-training entries on the same backend gives the recorded weights hash and score", async () => {
    for (const d of [
      "1 block, 4 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout",
      "2 blocks, 8 filters, 3×3, batch-norm, tanh, avg-pool, dense-32, dropout 0.2",
    ]) {
      const g = parseDescription(space, d);
      const r = await trainGenome(space, g, resolveRecipe(table.recipe), { backend: "wasm" });
      expect(r.weightsHash, d).to.equal(table.entries[g].weightsHash);
      expect(r.scoreBps, d).to.equal(table.entries[g].scoreBps);
    }
  });

  it("serves as an evaluator: exhaustive search of each task finds the task's best entry", async () => {
    const evaluate = tableEvaluator(table);
    const { tasks } = partitionSpace(space, 8);
    for (const task of tasks) {
      const r = await runSearch(exhaustive(), evaluate, { space, subspace: task, seed: 1, maxEvaluations: task.size });
      const best = Math.max(...all.filter((g) => inSubspace(g, task)).map((g) => table.entries[g].scoreBps));
      expect(r.best!.evaluation.scoreBps).to.equal(best);
      expect(r.stoppedBy).to.equal("exhausted");
    }
    const random = await runSearch(randomSearch(), evaluate, { space, subspace: tasks[0], seed: 3, maxEvaluations: 10 });
    expect(random.evaluations).to.equal(10);
    let err: unknown;
    await evaluate(("0x09" + "00".repeat(31)) as Hex).catch((e) => (err = e));
    expect(err).to.be.instanceOf(NasError);
  });

  it("names the command that builds a missing table", () => {
    const other = { ...space, name: "other-space" };
    expect(() => loadTable(other)).to.throw(NasError, /run npm run bench:table/);
    expect(tableUrl(space).pathname).to.match(new RegExp(`${spaceId(space).slice(2, 10)}\\.json$`));
  });
});
