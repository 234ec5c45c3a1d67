import { expect } from "chai";
import { readFileSync } from "node:fs";
import { GenomeError } from "../errors.js";
import {
  decodeGenome,
  describeGenome,
  encodeGenome,
  genomeValues,
  isGenomeOf,
  isValidGenome,
  parseDescription,
} from "./genome.js";
import { defaultSpace } from "./files.js";
import { arities, spaceSize } from "./space.js";
import { describeSubspace, enumerateSubspace, inSubspace, isSubspace, prefixSubspace, WHOLE_SPACE } from "./subspace.js";

// The same file the contract tests read (test/libraries.test.ts): one rule, two implementations,
// one set of vectors.
const vectors = JSON.parse(readFileSync(new URL("../../test/vectors/genome.json", import.meta.url), "utf8")) as {
  cases: { name: string; arities: string; genome: string; valid: boolean }[];
  subspaces: { name: string; arities: string; mask: string; value: string; genome: string; inSubspace: boolean; isSubspace: boolean }[];
};

describe("genome codec", () => {
  const space = defaultSpace();

  describe("shared validity vectors (test/vectors/genome.json)", () => {
    for (const c of vectors.cases) {
      it(`isValidGenome: ${c.name} -> ${c.valid}`, () => {
        expect(isValidGenome(c.arities, c.genome)).to.equal(c.valid);
      });
    }
    for (const c of vectors.subspaces) {
      it(`subspace: ${c.name}`, () => {
        expect(inSubspace(c.genome, { mask: c.mask as `0x${string}`, value: c.value as `0x${string}` })).to.equal(
          c.inSubspace,
        );
        expect(isSubspace(c.arities, { mask: c.mask as `0x${string}`, value: c.value as `0x${string}` })).to.equal(
          c.isSubspace,
        );
      });
    }
  });

  it("round-trips every genome of the default space through bytes32 and the description", () => {
    let n = 0;
    const seen = new Set<string>();
    for (const g of enumerateSubspace(space)) {
      const choices = decodeGenome(space, g);
      expect(encodeGenome(space, choices)).to.equal(g);
      const text = describeGenome(space, g);
      expect(parseDescription(space, text)).to.equal(g);
      expect(isGenomeOf(space, g)).to.equal(true);
      seen.add(text);
      n++;
    }
    expect(n).to.equal(spaceSize(space));
    expect(seen.size).to.equal(n); // descriptions are unique
  });

  it("describes a genome in words and reads the words back", () => {
    const g = parseDescription(space, "3 blocks, 16 filters, 5×5, batch-norm, ELU, max-pool, dense-64, dropout 0.2");
    expect(g).to.equal("0x0202010101000201000000000000000000000000000000000000000000000000");
    expect(genomeValues(space, g)).to.deep.equal({
      depth: 3,
      filters: 16,
      kernel: 5,
      norm: "batch",
      activation: "elu",
      pool: "max",
      head: 64,
      dropout: 0.2,
    });
    expect(describeGenome(space, g)).to.equal("3 blocks, 16 filters, 5×5, batch-norm, ELU, max-pool, dense-64, dropout 0.2");
  });

  it("agrees with the raw validity rule under the space's arities", () => {
    const a = arities(space);
    expect(a).to.equal("0x0303020203020302000000000000000000000000000000000000000000000000");
    expect(isValidGenome(a, "0x0303000000000000000000000000000000000000000000000000000000000000")).to.equal(false);
    expect(isGenomeOf(space, "0x0202010101010201000000000000000000000000000000000000000000000000")).to.equal(true);
    expect(isGenomeOf(space, "0x0202010101010201010000000000000000000000000000000000000000000000")).to.equal(false);
    expect(isGenomeOf(space, "0x1234")).to.equal(false);
  });

  it("describes subspaces in words", () => {
    expect(describeSubspace(space, WHOLE_SPACE)).to.equal("(whole space)");
    expect(describeSubspace(space, prefixSubspace([1, 2]))).to.equal("2 blocks, 16 filters");
    const oddKernel = { mask: ("0x0000ff01" + "00".repeat(28)) as `0x${string}`, value: ("0x00000101" + "00".repeat(28)) as `0x${string}` };
    expect(describeSubspace(space, oddKernel)).to.equal("5×5, norm ∈ {batch-norm}");
  });

  it("rejects bad input with one-line errors that say what to fix", () => {
    expect(() => encodeGenome(space, [0, 0])).to.throw(GenomeError, /has 8 genes, got 2 choices/);
    expect(() => encodeGenome(space, [3, 0, 0, 0, 0, 0, 0, 0])).to.throw(GenomeError, /gene "depth" has options 0..2, got 3/);
    expect(() => decodeGenome(space, "0x0000000000000000010000000000000000000000000000000000000000000000")).to.throw(
      GenomeError,
      /byte 8 must be 0/,
    );
    expect(() => decodeGenome(space, "0x0300000000000000000000000000000000000000000000000000000000000000")).to.throw(
      GenomeError,
      /gene "depth" \(byte 0\) is 3, but it has only 3 options/,
    );
    expect(() => parseDescription(space, "3 blocks, 16 filters")).to.throw(GenomeError, /has 2 parts/);
    expect(() =>
      parseDescription(space, "4 blocks, 16 filters, 5×5, batch-norm, ELU, max-pool, dense-64, dropout 0.2"),
    ).to.throw(GenomeError, /"4 blocks" is not one of "1 block", "2 blocks", "3 blocks"/);
  });
});
