// The crash-safe sealed-attestation protocol against a scripted fake of the RPC (no chain): what is
// asked, what is sent, and what the pending record holds at each step (commit, reveal, decide):
// written before the transaction is mined, kept through an RPC error, cleared by a revert; an
// earlier transaction is waited for, never duplicated; a reveal opens the seal state.json holds
// (a restart between commit and reveal); the committee's and the pool's refusals are outcomes. The
// real chain runs it in node.test.ts and cli.test.ts (SIGKILL mid-run).
import { expect } from "chai";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  HttpRequestError,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Address,
  type ContractErrorArgs,
  type ContractErrorName,
  type Hash,
  type PublicClient,
  type WalletClient,
} from "viem";
import { hardhat } from "viem/chains";
import type { PoolClient } from "../chain/client.js";
import { isUnreachable, TxRevertedError } from "../chain/errors.js";
import type { RoundParams } from "../chain/round.js";
import { Status } from "../chain/submission.js";
import { committeeCallAbi } from "../chain/actions/send.js";
import { attestationSeal } from "../chain/actions/attest.js";
import { check, commit, decide, pendingKey, REFUSALS, reveal, type Attester, type Seal } from "./attest.js";
import { subKey, type Round, type Sub } from "./rounds.js";

const ME: Address = "0x00000000000000000000000000000000000000a1";
const OTHER: Address = "0x00000000000000000000000000000000000000b2";
const POOL: Address = "0x0000000000000000000000000000000000000f00";
const H0: Hash = `0x${"01".repeat(32)}`;
const H1: Hash = `0x${"02".repeat(32)}`;
const SUB = subKey(1n, 0n, 0n);
const SEAL: Seal = { scoreBps: 7000, weightsDigest: `0x${"d1".repeat(32)}`, salt: `0x${"5a".repeat(32)}` };

type CallAbi = typeof committeeCallAbi;
type CallErrorName = ContractErrorName<CallAbi>;

/** The error viem throws when a simulation of a committee call hits `name` (the committee's own, or the pool's bubbled up). */
function revert<N extends CallErrorName>(name: N, args: ContractErrorArgs<CallAbi, N>): Error {
  const data = encodeErrorResult({ abi: committeeCallAbi, errorName: name, args } as Parameters<typeof encodeErrorResult>[0]);
  const cause = new ContractFunctionRevertedError({ abi: committeeCallAbi, data, functionName: "commitAttestation" });
  return new ContractFunctionExecutionError(cause, { abi: committeeCallAbi, functionName: "commitAttestation", args: [], contractAddress: POOL });
}
const rpcDown = () => new HttpRequestError({ url: "http://127.0.0.1:1/", details: "fetch failed" });

interface FakeAttestation {
  verifier: Address;
  state: 1 | 2;
}

/** A scripted RPC: the submission it reports, and what each simulate/receipt call does. */
class FakeChain {
  calls: string[] = [];
  status: number = Status.Revealed;
  attestations: FakeAttestation[] = [];
  decided = false;
  sampled = true;
  /** One entry per simulateContract call, in order: an error to throw, or undefined to pass. */
  simulations: (Error | undefined)[] = [];
  /** The function name and arguments of each simulated call. */
  sent: { functionName: string; args: readonly unknown[] }[] = [];
  /** What the next hashes handed out by writeContract are. */
  hashes = [H1];
  /** waitForTransactionReceipt's answer per hash (an Error is thrown). */
  receipts = new Map<Hash, "success" | "reverted" | Error>();
  /** getTransactionReceipt/getTransaction: hashes the node knows, mined or pending. */
  mined = new Map<Hash, "success" | "reverted">();
  pending = new Set<Hash>();
  /** The pending record of the step at the moment a receipt was awaited. */
  pendingWhileMining: (Hash | undefined)[] = [];
  record?: Map<string, Hash>;
  step = "commit";

  client(): PoolClient {
    const publicClient = {
      readContract: async ({ functionName }: { functionName: string }) => {
        this.calls.push(functionName);
        if (functionName === "getSubmission") return { miner: OTHER, claimedBps: 7000, finalBps: 0, flags: 0, backups: 0, active: 1, status: this.status };
        if (functionName === "getAttestations") return this.attestations.map((x) => ({ verifier: x.verifier, scoreBps: 0, state: x.state, seal: `0x${"00".repeat(32)}` }));
        if (functionName === "isDecided") return this.decided;
        if (functionName === "isSampled") return this.sampled;
        throw new Error(`unexpected read ${functionName}`);
      },
      simulateContract: async (p: { functionName: string; args: readonly unknown[] }) => {
        this.calls.push(`simulate ${p.functionName}`);
        this.sent.push({ functionName: p.functionName, args: p.args });
        const e = this.simulations.shift();
        if (e) throw e;
        return { request: p, result: undefined };
      },
      waitForTransactionReceipt: async ({ hash }: { hash: Hash }) => {
        this.calls.push(`wait ${hash.slice(0, 4)}`);
        this.pendingWhileMining.push(this.record?.get(`${SUB}:${this.step}`));
        const r = this.receipts.get(hash) ?? this.mined.get(hash) ?? "success";
        if (r instanceof Error) throw r;
        return { status: r, transactionHash: hash };
      },
      getTransactionReceipt: async ({ hash }: { hash: Hash }) => {
        this.calls.push(`receipt ${hash.slice(0, 4)}`);
        const r = this.mined.get(hash);
        if (!r) throw new TransactionReceiptNotFoundError({ hash });
        return { status: r, transactionHash: hash };
      },
      getTransaction: async ({ hash }: { hash: Hash }) => {
        this.calls.push(`tx ${hash.slice(0, 4)}`);
        if (!this.pending.has(hash)) throw new TransactionNotFoundError({ hash });
        return { hash };
      },
    };
    const walletClient = {
      chain: hardhat,
      writeContract: async () => {
        this.calls.push("write");
        return this.hashes.shift()!;
      },
    };
    return {
      publicClient: publicClient as unknown as PublicClient,
      walletClient: walletClient as unknown as WalletClient,
      account: ME,
      chain: hardhat,
      pool: POOL,
      committee: POOL,
      lens: POOL,
      token: POOL,
      fromBlock: 0n,
    };
  }
}

function submission(): Sub {
  const round = { id: 1n, openedBlock: 1n, params: { quorum: 3, toleranceBps: 200, verifyEnd: 1000 } as RoundParams, engine: null, subs: new Map() } as Round;
  return { round, task: 0n, slot: 0n, miner: OTHER, genome: `0x${"11".repeat(32)}`, claimedBps: 7000, state: "attesting", challenged: false, challengeDone: false, failures: 0, retryAt: 0 };
}

/** The reads of one check. */
const CHECK = ["getSubmission", "getAttestations", "isDecided", "isSampled"];

describe("oracle sealed-attestation protocol (scripted RPC)", () => {
  let chain: FakeChain;
  let record: Map<string, Hash>;
  let seals: Map<string, Seal>;
  let a: Attester;
  let waits: string[];

  beforeEach(() => {
    chain = new FakeChain();
    record = new Map();
    seals = new Map([[SUB, SEAL]]);
    chain.record = record;
    waits = [];
    a = {
      conn: chain.client(),
      verifier: ME,
      waitingFor: (w) => waits.push(w),
      pending: { get: (k) => record.get(k), set: (k, h) => void record.set(k, h), delete: (k) => void record.delete(k) },
      seals: { get: (k) => seals.get(k), set: (k, v) => void seals.set(k, v), delete: (k) => void seals.delete(k) },
    };
  });

  describe("commit", () => {
    it("asks the chain, sends the seal once, and records the hash before it is mined; clears it once mined", async () => {
      const out = await commit(a, submission(), SEAL);
      expect(out).to.deep.equal({ kind: "sent", step: "commit", state: "committed", tx: H1, earlier: false });
      expect(chain.calls).to.deep.equal([...CHECK, "simulate commitAttestation", "write", "wait 0x02"]);
      expect(chain.pendingWhileMining).to.deep.equal([H1]);
      expect(record.size).to.equal(0);
      expect(waits.at(-1)).to.equal("commit round 1 task 0 slot 0");
      // the commitment is the seal of score, digest and salt (never the salt itself)
      const seal = attestationSeal(hardhat.id, POOL, { roundId: 1n, task: 0n, slot: 0n, verifier: ME, ...SEAL });
      expect(chain.sent[0].args).to.deep.equal([1n, 0n, 0n, seal]);
      expect(chain.sent[0].args.map(String).join()).not.to.contain(SEAL.salt.slice(2));
    });

    it("an earlier commit that was mined counts: nothing is sent again", async () => {
      record.set(pendingKey(submission(), "commit"), H0);
      chain.mined.set(H0, "success");
      expect(await commit(a, submission(), SEAL)).to.deep.equal({ kind: "sent", step: "commit", state: "committed", tx: H0, earlier: true });
      expect(chain.calls).to.deep.equal(["receipt 0x01"]);
      expect(record.size).to.equal(0);
    });

    it("an earlier commit still in flight (a restart with the commit tx pending) is waited for, not duplicated", async () => {
      record.set(`${SUB}:commit`, H0);
      chain.pending.add(H0);
      expect(await commit(a, submission(), SEAL)).to.include({ kind: "sent", tx: H0, earlier: true });
      expect(chain.calls).to.deep.equal(["receipt 0x01", "tx 0x01", "wait 0x01"]);
    });

    it("an earlier commit the node never saw (dropped) or that reverted: checked and sent again", async () => {
      for (const fate of ["dropped", "reverted"] as const) {
        chain.calls = [];
        chain.hashes = [H1];
        record.set(`${SUB}:commit`, H0);
        if (fate === "reverted") chain.mined.set(H0, "reverted");
        expect(await commit(a, submission(), SEAL), fate).to.include({ kind: "sent", tx: H1, earlier: false });
        expect(chain.calls[0], fate).to.equal("receipt 0x01");
        expect(chain.calls.slice(-7), fate).to.deep.equal([...CHECK, "simulate commitAttestation", "write", "wait 0x02"]);
        expect(record.size, fate).to.equal(0);
      }
    });

    it("an RPC error after sending keeps the hash, so the next try waits for that transaction instead of sending another", async () => {
      chain.receipts.set(H1, rpcDown());
      const err = await commit(a, submission(), SEAL).catch((e: unknown) => e);
      expect(isUnreachable(err)).to.equal(true);
      expect(record.get(`${SUB}:commit`)).to.equal(H1);
      chain.calls = [];
      chain.mined.set(H1, "success"); // it was mined meanwhile
      expect(await commit(a, submission(), SEAL)).to.deep.equal({ kind: "sent", step: "commit", state: "committed", tx: H1, earlier: true });
      expect(chain.calls).to.deep.equal(["receipt 0x02"]);
      expect(record.size).to.equal(0);
    });

    it("mined but reverted: the hash is cleared; a named reason is an outcome, an unnamed one is thrown for a retry", async () => {
      chain.receipts.set(H1, "reverted");
      chain.simulations = [undefined, revert("VerifierCommitteeNotInPhase", [1n, 800n, 950n])]; // the commit phase closed in between
      const out = await commit(a, submission(), SEAL);
      expect(out).to.include({ kind: "refused", state: "missed", error: "VerifierCommitteeNotInPhase" });
      expect(chain.pendingWhileMining).to.deep.equal([H1]);
      expect(record.size).to.equal(0);

      chain.hashes = [H0];
      chain.receipts.set(H0, "reverted");
      chain.simulations = [undefined, undefined]; // the re-simulation passes: no reason to name
      const err = await commit(a, submission(), SEAL).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(TxRevertedError);
      expect(record.size).to.equal(0);
    });

    it("maps the committee's and the pool's refusals to states, sends nothing, and throws any other revert", async () => {
      const cases = [
        [revert("VerifierCommitteeAlreadyAttested", [1n, 0n, 0n, ME]), "committed"],
        [revert("VerifierCommitteeAttestationsFull", [1n, 0n, 0n]), "done"],
        [revert("VerifierCommitteeNotInPhase", [1n, 800n, 950n]), "missed"],
        // the round drew others for it: the seal waits for a dispute (the escalation phase)
        [revert("VerifierCommitteeNotDrawn", [1n, 0n, 0n, ME]), "standby"],
        // in the escalation phase: its drawn reveals agree, it was drawn itself, or it was decided meanwhile
        [revert("VerifierCommitteeNotDisputed", [1n, 0n, 0n]), "done"],
        [revert("VerifierCommitteeWasDrawn", [1n, 0n, 0n, ME]), "done"],
        [revert("VerifierCommitteeAlreadyDecided", [1n, 0n, 0n]), "done"],
        [revert("PoNASPoolAlreadyFinal", [1n, 0n, 0n]), "done"],
        [revert("PoNASPoolNotInVerifyWindow", [1n, 800n, 1000n]), "missed"],
        [revert("PoNASPoolNotSampled", [1n, 0n, 0n]), "unsampled"],
        [revert("PoNASPoolNotRevealed", [1n, 0n, 0n]), "gone"],
        [revert("VerifierCommitteeNotInCommittee", [1n, ME, 2n]), "gone"],
      ] as const;
      expect(cases.map(([, state]) => state)).to.deep.equal(Object.values(REFUSALS.commit));
      const named: string[] = [];
      for (const [e, state] of cases) {
        chain.simulations = [e];
        const out = await commit(a, submission(), SEAL);
        expect(out, state).to.include({ kind: "refused", state });
        expect((out as { reason: string }).reason, state).to.be.a("string").and.not.match(/\n/);
        named.push((out as { error: string }).error);
      }
      // every refusal in the table, each recognised by its own name
      expect(named).to.deep.equal(Object.keys(REFUSALS.commit));
      expect(chain.calls).not.to.include("write");
      chain.simulations = [revert("VerifierCommitteeNotVerifier", [ME])];
      const err = await commit(a, submission(), SEAL).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ContractFunctionExecutionError);
      expect(record.size).to.equal(0);
    });

    it("sends nothing when the check says it is not needed", async () => {
      chain.status = Status.Settled;
      expect(await commit(a, submission(), SEAL)).to.deep.equal({ kind: "skipped", step: "commit", state: "gone", check: "gone" });
      chain.status = Status.Revealed;
      chain.attestations = [{ verifier: ME, state: 1 }];
      expect(await commit(a, submission(), SEAL)).to.deep.equal({ kind: "skipped", step: "commit", state: "committed", check: "committed" });
      expect(chain.calls.filter((c) => c.startsWith("simulate"))).to.deep.equal([]);
    });
  });

  describe("reveal", () => {
    it("after a restart between commit and reveal: opens the commitment with the score, digest and salt from state", async () => {
      chain.step = "reveal";
      chain.attestations = [{ verifier: OTHER, state: 2 }, { verifier: ME, state: 1 }];
      const out = await reveal(a, submission());
      expect(out).to.deep.equal({ kind: "sent", step: "reveal", state: "revealed", tx: H1, earlier: false });
      expect(chain.sent).to.deep.equal([{ functionName: "revealAttestation", args: [1n, 0n, 0n, SEAL.scoreBps, SEAL.weightsDigest, SEAL.salt] }]);
      expect(chain.pendingWhileMining).to.deep.equal([H1]);
      expect(record.size).to.equal(0);
    });

    it("a reveal in flight before a crash is waited for; a revealed one, a decided one and one never committed send nothing", async () => {
      record.set(`${SUB}:reveal`, H0);
      chain.pending.add(H0);
      expect(await reveal(a, submission())).to.include({ kind: "sent", step: "reveal", tx: H0, earlier: true });
      chain.calls = [];
      chain.attestations = [{ verifier: ME, state: 2 }];
      expect(await reveal(a, submission())).to.deep.equal({ kind: "skipped", step: "reveal", state: "revealed", check: "revealed" });
      chain.decided = true;
      expect(await reveal(a, submission())).to.include({ kind: "skipped", state: "done", check: "final" });
      chain.decided = false;
      chain.attestations = [];
      expect(await reveal(a, submission())).to.include({ kind: "skipped", state: "missed", check: "todo" }); // the commit phase was missed
      expect(chain.calls.filter((c) => c.startsWith("simulate"))).to.deep.equal([]);
    });

    it("a commitment whose seal is not in state cannot be opened: lost, nothing sent", async () => {
      seals.clear();
      chain.attestations = [{ verifier: ME, state: 1 }];
      expect(await reveal(a, submission())).to.deep.equal({ kind: "lost", step: "reveal", state: "missed" });
      expect(chain.calls).to.deep.equal(CHECK.slice(0, 3));
    });

    it("maps the reveal's refusals", async () => {
      chain.attestations = [{ verifier: ME, state: 1 }];
      const cases = [
        [revert("VerifierCommitteeNotCommitted", [1n, 0n, 0n, ME]), "revealed"],
        [revert("VerifierCommitteeNotInPhase", [1n, 950n, 975n]), "missed"],
        [revert("VerifierCommitteeSealMismatch", [1n, 0n, 0n, ME]), "missed"],
      ] as const;
      expect(cases.map(([, state]) => state)).to.deep.equal(Object.values(REFUSALS.reveal));
      for (const [e, state] of cases) {
        chain.simulations = [e];
        expect(await reveal(a, submission()), state).to.include({ kind: "refused", step: "reveal", state });
      }
    });
  });

  describe("decide", () => {
    it("decides an undecided submission once; a decided one is left alone; Escalated waits (revealed), AlreadyDecided and NothingToDecide are done", async () => {
      chain.step = "decide";
      expect(await decide(a, submission())).to.deep.equal({ kind: "sent", step: "decide", state: "done", tx: H1, earlier: false });
      expect(chain.sent).to.deep.equal([{ functionName: "decide", args: [1n, 0n, 0n] }]);
      expect(chain.pendingWhileMining).to.deep.equal([H1]);
      chain.decided = true;
      chain.calls = [];
      expect(await decide(a, submission())).to.deep.equal({ kind: "skipped", step: "decide", state: "done", check: "final" });
      expect(chain.calls).to.deep.equal(["isDecided"]);
      chain.decided = false;
      const cases = [
        // disputed and its escalation still open: stays revealed, asked again after the escalation
        [revert("VerifierCommitteeEscalated", [1n, 0n, 0n, 990n]), "revealed"],
        [revert("VerifierCommitteeAlreadyDecided", [1n, 0n, 0n]), "done"],
        [revert("VerifierCommitteeNothingToDecide", [1n, 0n, 0n]), "done"],
        [revert("VerifierCommitteeNotInPhase", [1n, 975n, 1000n]), "done"],
      ] as const;
      expect(cases.map(([, state]) => state)).to.deep.equal(Object.values(REFUSALS.decide));
      const named: string[] = [];
      for (const [e, state] of cases) {
        chain.calls = [];
        chain.simulations = [e];
        const out = await decide(a, submission());
        expect(out, state).to.include({ kind: "refused", step: "decide", state });
        expect((out as { reason: string }).reason, state).to.be.a("string").and.not.match(/\n/);
        expect(chain.calls, state).not.to.include("write");
        named.push((out as { error: string }).error);
      }
      expect(named).to.deep.equal(Object.keys(REFUSALS.decide));
      expect(record.size).to.equal(0);
    });
  });

  it("check: gone unless revealed, final once decided or full, ours by its state, else by the sample", async () => {
    const s = submission();
    chain.status = Status.Claimed;
    expect(await check(a, s)).to.equal("gone");
    chain.status = Status.Revealed;
    chain.attestations = [{ verifier: ME.toUpperCase().replace("0X", "0x") as Address, state: 1 }];
    expect(await check(a, s)).to.equal("committed");
    chain.attestations = [{ verifier: ME, state: 2 }];
    expect(await check(a, s)).to.equal("revealed");
    chain.attestations = [{ verifier: OTHER, state: 2 }, { verifier: OTHER, state: 2 }, { verifier: OTHER, state: 2 }];
    expect(await check(a, s)).to.equal("todo"); // three others committed: every member still commits until the phase ends
    chain.decided = true;
    expect(await check(a, s)).to.equal("final");
    chain.decided = false;
    chain.attestations = Array.from({ length: 9 }, () => ({ verifier: OTHER, state: 1 as const }));
    expect(await check(a, s)).to.equal("final"); // no room for a tenth
    chain.attestations = [];
    chain.sampled = false;
    expect(await check(a, s)).to.equal("unsampled");
    chain.sampled = true;
    expect(await check(a, s)).to.equal("todo");
    expect(waits.at(-1)).to.equal("round 1 task 0 slot 0 on chain");
  });
});
