import { expect } from "chai";
import { WHOLE_SPACE, enumerateSubspace, prefixSubspace } from "../space/subspace.js";
import { exhaustive } from "./exhaustive.js";
import { runSearch } from "./run.js";
import { MASKED, SUBSPACES, conformance, expectSearchError, hashEvaluator, hashScore, space } from "./testing.js";

describe("exhaustive search", () => {
  conformance(exhaustive, { seeded: false });

  for (const { name, sub } of SUBSPACES) {
    it(`enumerates the ${name} in enumerateSubspace order, whatever the seed, and finds its true best`, async () => {
      const all = [...enumerateSubspace(space, sub)];
      const r = await runSearch(exhaustive(), hashEvaluator, { space, subspace: sub, seed: 123, maxEvaluations: 5000 });
      expect(r.history.map((h) => h.genome)).to.deep.equal(all);
      const top = Math.max(...all.map(hashScore));
      expect(r.best!.evaluation.scoreBps).to.equal(top);
      expect(r.best!.genome).to.equal(all.find((g) => hashScore(g) === top));
    });
  }

  it("finds the best of a lookup-table landscape, ties going to the genome evaluated first", async () => {
    const all = [...enumerateSubspace(space, MASKED)];
    const table = new Map(all.map((g, i) => [g, i === 150 || i === 37 ? 9000 : i % 100]));
    const r = await runSearch(exhaustive(), async (g) => ({ scoreBps: table.get(g)! }), {
      space,
      subspace: MASKED,
      seed: 1,
      maxEvaluations: 1000,
    });
    expect(r.best!.genome).to.equal(all[37]);
  });

  it("refuses a subspace over its limit, suggesting random or evolution", async () => {
    await expectSearchError(
      runSearch(exhaustive({ limit: 1000 }), hashEvaluator, {
        space,
        subspace: WHOLE_SPACE,
        seed: 1,
        maxEvaluations: 10,
      }),
      /1296 architectures, more than the limit of 1000; use "random" or "evolution"/,
    );
    const r = await runSearch(exhaustive({ limit: 432 }), hashEvaluator, {
      space,
      subspace: prefixSubspace([0]),
      seed: 1,
      maxEvaluations: 3,
    });
    expect(r.evaluations).to.equal(3);
    await expectSearchError(() => exhaustive({ limit: 0 }), /limit must be a positive integer/);
  });
});
