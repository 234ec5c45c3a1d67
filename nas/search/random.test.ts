import { expect } from "chai";
import { prefixSubspace } from "../space/subspace.js";
import { randomSearch } from "./random.js";
import { runSearch } from "./run.js";
import { conformance, hashEvaluator, space } from "./testing.js";

describe("random search", () => {
  conformance(randomSearch, { seeded: true });

  it("is roughly uniform: over many seeds every genome of a 6-genome subspace comes first about equally often", async () => {
    const sub = prefixSubspace([0, 0, 0, 0, 0, 0]); // head x dropout = 6
    const firsts = new Map<string, number>();
    for (let seed = 0; seed < 600; seed++) {
      const r = await runSearch(randomSearch(), hashEvaluator, { space, subspace: sub, seed, maxEvaluations: 1 });
      firsts.set(r.history[0].genome, (firsts.get(r.history[0].genome) ?? 0) + 1);
    }
    expect(firsts.size).to.equal(6);
    for (const n of firsts.values()) expect(n).to.be.within(60, 140);
  });
});
