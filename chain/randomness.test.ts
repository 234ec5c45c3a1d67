import { expect } from "chai";
import { checkRandomnessFor, SEQUENCER_CHAINS } from "./randomness.js";

describe("randomness source per chain (chain/randomness.ts)", () => {
  it("refuses a block-hash source on every sequencer chain, with the fix in one line", () => {
    for (const id of [42161, 10, 8453, 421614]) {
      expect(() => checkRandomnessFor(id, "future-blockhash")).to.throw(/^chain \d+ \(.+\) has one sequencer .*PONAS_RANDOMNESS$/);
    }
    expect(Object.keys(SEQUENCER_CHAINS)).to.have.length.greaterThan(8);
  });

  it("allows a block-hash source on L1 and dev chains, and VRF anywhere", () => {
    for (const id of [1, 11155111, 31337]) expect(() => checkRandomnessFor(id, "future-blockhash")).not.to.throw();
    for (const id of [1, 42161, 8453]) expect(() => checkRandomnessFor(id, "chainlink-vrf-v2.5")).not.to.throw();
  });

  it("refuses a source kind it does not know", () => {
    expect(() => checkRandomnessFor(1, "prevrandao")).to.throw(/^unknown randomness source kind "prevrandao"/);
  });
});
