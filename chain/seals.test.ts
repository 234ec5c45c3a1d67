import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { Address, Hex } from "viem";
import { weightsSeal } from "./seals.js";

describe("weightsSeal", () => {
  it("matches the shared vectors the contract's tests also check (test/vectors/weights-seal.json)", () => {
    const shared = JSON.parse(readFileSync(new URL("../test/vectors/weights-seal.json", import.meta.url), "utf8")) as {
      cases: { name: string; chainId: number; pool: Address; roundId: string; task: string; miner: Address; weightsDigest: Hex; seal: Hex }[];
    };
    expect(shared.cases.length).to.be.at.least(4);
    for (const v of shared.cases) {
      expect(weightsSeal({ ...v, roundId: BigInt(v.roundId), task: BigInt(v.task) }), v.name).to.equal(v.seal);
    }
  });

  it("changes with every bound field, so a seal cannot be replayed for another miner, round or task", () => {
    const base = { chainId: 31337, pool: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address, roundId: 1n, task: 0n, miner: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address, weightsDigest: `0x${"11".repeat(32)}` as Hex };
    const s0 = weightsSeal(base);
    const variants = [
      { ...base, chainId: 1 },
      { ...base, pool: "0x000000000000000000000000000000000000dEaD" as Address },
      { ...base, roundId: 2n },
      { ...base, task: 1n },
      { ...base, miner: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as Address },
      { ...base, weightsDigest: `0x${"12".repeat(32)}` as Hex },
    ];
    for (const v of variants) expect(weightsSeal(v)).to.not.equal(s0);
  });
});
