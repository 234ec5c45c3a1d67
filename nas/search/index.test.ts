// The strategy registry (nas/search/index.ts): the strategies by name, their options passed
// through, and a one-line error naming the known ones.
import { expect } from "chai";
import { SearchError } from "../errors.js";
import { exhaustive } from "./exhaustive.js";
import { STRATEGIES, createStrategy } from "./index.js";
import { runSearch } from "./run.js";
import { MASKED, expectSearchError, hashEvaluator, space } from "./testing.js";

describe("search driver", () => {
  const base = { space, subspace: MASKED, seed: 11 };

  describe("registry", () => {
    it("has random, evolution and exhaustive, and names the known ones for an unknown name", async () => {
      expect(Object.keys(STRATEGIES)).to.deep.equal(["random", "evolution", "exhaustive"]);
      for (const name of Object.keys(STRATEGIES)) expect(createStrategy(name).name).to.equal(name);
      expect(createStrategy("evolution", { populationSize: 7 }).config).to.include({ populationSize: 7 });
      expect(createStrategy("exhaustive", { limit: 10 }).init).to.be.a("function");
      expect(() => createStrategy("bayesian")).to.throw(
        SearchError,
        /unknown search strategy "bayesian"; use one of random, evolution, exhaustive/,
      );
      expect(() => createStrategy("toString")).to.throw(SearchError);
    });
    it("exhaustive via the registry honours its limit", async () => {
      await expectSearchError(
        runSearch(createStrategy("exhaustive", { limit: 50 }), hashEvaluator, { ...base, maxEvaluations: 1 }),
        /96 architectures/,
      );
      await expectSearchError(
        runSearch(exhaustive({ limit: 50 }), hashEvaluator, { ...base, maxEvaluations: 1 }),
        /limit of 50/,
      );
    });
  });
});
