import { expect } from "chai";
import { defaultSpace, loadSpace } from "../space/files.js";
import { isGenomeOf } from "../space/genome.js";
import { fiveNumbers, quantileOf, ranks, sampleGenomes, spearman } from "./sample.js";

describe("sampled benchmark statistics", () => {
  const cell = loadSpace(new URL("../spaces/fashion-cell-v1.json", import.meta.url));

  it("samples distinct genomes of the space, the same for the same seed, a larger sample extending a smaller", () => {
    const a = sampleGenomes(cell, 300, 1);
    expect(new Set(a).size).to.equal(300);
    expect(a.every((g) => isGenomeOf(cell, g))).to.equal(true);
    expect(sampleGenomes(cell, 300, 1)).to.deep.equal(a);
    expect(sampleGenomes(cell, 50, 1)).to.deep.equal(a.slice(0, 50));
    expect(sampleGenomes(cell, 300, 2)).to.not.deep.equal(a);
  });

  it("covers a small space whole when asked for all of it, and refuses more than the space holds", () => {
    const space = defaultSpace();
    expect(new Set(sampleGenomes(space, 1296, 3)).size).to.equal(1296);
    expect(() => sampleGenomes(space, 1297, 3)).to.throw(/1\.\.1296/);
  });

  it("quartiles interpolate between order statistics", () => {
    expect(quantileOf([1, 2, 3, 4], 0.5)).to.equal(2.5);
    expect(fiveNumbers([5, 1, 4, 2, 3])).to.deep.equal({ min: 1, q1: 2, median: 3, q3: 4, max: 5 });
  });

  it("Spearman's rho: 1 for the same order, -1 reversed, ties averaged, null when one side is constant", () => {
    expect(ranks([10, 20, 20, 5])).to.deep.equal([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4], [10, 30, 31, 90])).to.equal(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).to.equal(-1);
    // textbook case: d = (0, 1, -1, 0, 0) → 1 - 6·2 / (5·24) = 0.9
    expect(spearman([1, 2, 3, 4, 5], [1, 3, 2, 4, 5])).to.be.closeTo(0.9, 1e-12);
    expect(spearman([1, 2, 3], [7, 7, 7])).to.equal(null);
  });
});
