import { expect } from "chai";
import { ContractFunctionRevertedError, encodeErrorResult, keccak256, parseEther, toBytes, type Abi, type AbiParameter } from "viem";
import { beaconRandomnessAbi, poNASPoolAbi, poolTokenAbi, verifierCommitteeAbi } from "../deployments/abi.js";
import { explainError } from "./errors.js";
import { readFileSync } from "node:fs";
import { PARAM_RULES, REVERTS, revertLine, revertSentence, revertWords } from "./reverts.js";

type AbiError = Extract<Abi[number], { type: "error" }>;
const errorsOf = (abi: Abi) => abi.filter((x): x is AbiError => x.type === "error");
const abiErrors = [...errorsOf(poNASPoolAbi), ...errorsOf(verifierCommitteeAbi), ...errorsOf(poolTokenAbi), ...errorsOf(beaconRandomnessAbi)];

/** A plausible value of each ABI type, so every entry can be rendered. */
function sample(p: AbiParameter): unknown {
  if (p.type === "address") return "0x1111111111111111111111111111111111111111";
  if (p.type.startsWith("uint")) return 1_700_000_123n;
  if (p.type === "bytes32") return `0x${"ab".repeat(32)}`;
  if (p.type === "string") return "reason";
  throw new Error(`no sample for ${p.type}`);
}

/** The error viem throws for a revert with this name and these args, as a contract call would. */
function reverted(abi: Abi, errorName: string, args: readonly unknown[]) {
  const data = encodeErrorResult({ abi, errorName, args } as Parameters<typeof encodeErrorResult>[0]);
  return new ContractFunctionRevertedError({ abi, data, functionName: "claim" });
}

describe("revert words (chain/reverts.ts)", () => {
  it("word every custom error of the pool, the committee, the token and the beacon, and nothing else", () => {
    const names = new Set(abiErrors.map((e) => e.name));
    expect([...names].filter((n) => !(n in REVERTS)), "errors without words").to.deep.equal([]);
    expect(Object.keys(REVERTS).filter((n) => !names.has(n)), "words for no error").to.deep.equal([]);
  });

  it("render each error's ABI arguments into a clean fragment", () => {
    for (const e of abiErrors) {
      const w = revertWords(e.name, e.inputs.map(sample));
      for (const part of [w.what, w.fix, w.cliFix].filter((x): x is string => x !== undefined)) {
        expect(part, e.name).to.match(/^[a-z0-9σ$]/);
        expect(part, e.name).not.to.match(/\.$|undefined|NaN|Invalid Date|\[object/);
      }
    }
  });

  it("read the arguments in ABI order: amounts exactly, times as UTC, σ_p as a percentage", () => {
    const miner = "0x2222222222222222222222222222222222222222";
    expect(revertLine("PoNASPoolInsufficientFreeStake", [miner, parseEther("1.5"), parseEther("10")])).to.equal(
      "not enough free stake: 1.5 PONAS free, 10 PONAS needed; stake more (the miner's --stake) or wait for a finished round to release stake (PoNASPoolInsufficientFreeStake)",
    );
    expect(revertSentence("PoNASPoolInsufficientFreeStake", [miner, 1n, parseEther("10")])).to.equal(
      "Not enough free stake: 0.000000000000000001 PONAS free, 10 PONAS needed. Stake more, or wait for a finished round to release stake.",
    );
    expect(revertLine("PoNASPoolClaimWindowClosed", [3n, 1_700_000_000n])).to.equal(
      "round 3 stopped taking claims and commits at 2023-11-14T22:13:20Z; wait for the next round (PoNASPoolClaimWindowClosed)",
    );
    // 500 bps · 1e6 is the default threshold: 5%
    expect(revertWords("PoNASPoolBackupsNotAllowed", [1n, 2n, 123_000_000n, 500_000_000n]).what).to.equal(
      "task 2 of round 1 takes no backups: its primary is reliable (σ_p 1.23% is below the threshold 5.00%)",
    );
  });

  it("give the command line its own advice where it differs, and the app plain sentences", () => {
    const args = [7n, 0n, "0x3333333333333333333333333333333333333333"];
    expect(revertLine("PoNASPoolTaskTaken", args)).to.equal(
      "task 0 of round 7 already has a primary miner (0x3333333333333333333333333333333333333333); pick another task or --task auto (PoNASPoolTaskTaken)",
    );
    expect(revertSentence("PoNASPoolTaskTaken", args)).to.equal(
      "Task 0 of round 7 already has a primary miner (0x3333333333333333333333333333333333333333). Pick another task, or join this one as a backup.",
    );
    expect(revertSentence("PoNASPoolAlreadyFinalized", [4n])).to.equal("Round 4 is already finalised.");
  });

  it("name an error the table does not know, with its arguments", () => {
    expect(revertLine("SomethingNew", [1n, "x"])).to.equal("the pool refused the call: SomethingNew(1, x) (SomethingNew)");
  });

  it("reach explainError through viem's decoded revert, for pool and token errors alike", () => {
    expect(explainError(reverted(poNASPoolAbi, "PoNASPoolUnknownRound", [99n]))).to.equal(
      "round 99 does not exist on this pool; check --pool and the round id (PoNASPoolUnknownRound)",
    );
    const who = "0x4444444444444444444444444444444444444444";
    expect(explainError(reverted(poolTokenAbi, "ERC20InsufficientBalance", [who, parseEther("2"), parseEther("25")]))).to.equal(
      `${who} holds 2 PONAS but 25 PONAS are needed; get more PONAS first (ERC20InsufficientBalance)`,
    );
  });

  it("word each ParamRule code of PoNASPoolInvalidParams, one rule per enum member in the contract's order", () => {
    const source = readFileSync(new URL("../contracts/interfaces/IPoNASPool.sol", import.meta.url), "utf8");
    const body = /enum ParamRule \{([^}]*)\}/.exec(source)?.[1] ?? "";
    const members = body.split(",").map((m) => m.trim()).filter(Boolean);
    expect(members).to.have.length(PARAM_RULES.length);
    expect(members.indexOf("Quorum")).to.equal(5);
    expect(revertLine("PoNASPoolInvalidParams", [5])).to.equal(
      "the round parameters are invalid: quorum must be odd, 3 to 9: no single verifier decides; correct them and open the round again (PoNASPoolInvalidParams)",
    );
  });

  it("reach a pool error raised inside a committee call through the committee's ABI with the pool's errors", () => {
    const abi = [...verifierCommitteeAbi, ...errorsOf(poNASPoolAbi)] as Abi;
    expect(explainError(reverted(abi, "PoNASPoolNotSampled", [1n, 2n, 0n]))).to.equal(
      "task 2 slot 0 of round 1 is not sampled for verification; challenge it first if it should be checked (PoNASPoolNotSampled)",
    );
  });

  it("decode the token's ERC20 errors bubbled up through a pool or committee call, and name a role by its name", async () => {
    const { poolCallAbi, committeeCallAbi } = await import("./actions/send.js");
    const who = "0x4444444444444444444444444444444444444444";
    // 0xe450d38c: what open-round printed raw when the pool's ABI lacked the token's errors
    expect(explainError(reverted(poolCallAbi as Abi, "ERC20InsufficientBalance", [who, parseEther("2"), parseEther("25")]))).to.equal(
      `${who} holds 2 PONAS but 25 PONAS are needed; get more PONAS first (ERC20InsufficientBalance)`,
    );
    expect(explainError(reverted(committeeCallAbi as Abi, "ERC20InsufficientAllowance", [who, 0n, parseEther("5")]))).to.equal(
      `${who} may spend 0 PONAS of this account's PONAS but needs 5 PONAS; approve it first (ERC20InsufficientAllowance)`,
    );
    expect(revertLine("AccessControlUnauthorizedAccount", [who, keccak256(toBytes("PAUSER_ROLE"))])).to.match(new RegExp(`^${who} lacks the role PAUSER_ROLE this call needs; `));
  });
});
