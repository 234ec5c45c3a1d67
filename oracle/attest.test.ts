// The crash-safe attest protocol against a scripted fake of the RPC (no chain): what is asked,
// what is sent, and what the pending record holds at each step: written before the transaction is
// mined, kept through an RPC error, cleared by a revert; an earlier transaction is waited for,
// never duplicated; the pool's refusals are outcomes. The real chain runs it in node.test.ts and
// cli.test.ts (SIGKILL mid-run).
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
import { attest, check, REFUSALS, type Attester } from "./attest.js";
import { subKey, type Round, type Sub } from "./rounds.js";

const ME: Address = "0x00000000000000000000000000000000000000a1";
const OTHER: Address = "0x00000000000000000000000000000000000000b2";
const POOL: Address = "0x0000000000000000000000000000000000000f00";
const H0: Hash = `0x${"01".repeat(32)}`;
const H1: Hash = `0x${"02".repeat(32)}`;
const KEY = subKey(1n, 0n, 0n);

type CallAbi = typeof committeeCallAbi;
type CallErrorName = ContractErrorName<CallAbi>;

/** The error viem throws when a simulation of the committee's attest hits `name` (the committee's own, or the pool's bubbled up). */
function revert<N extends CallErrorName>(name: N, args: ContractErrorArgs<CallAbi, N>): Error {
  const data = encodeErrorResult({ abi: committeeCallAbi, errorName: name, args } as Parameters<typeof encodeErrorResult>[0]);
  const cause = new ContractFunctionRevertedError({ abi: committeeCallAbi, data, functionName: "attest" });
  return new ContractFunctionExecutionError(cause, { abi: committeeCallAbi, functionName: "attest", args: [], contractAddress: POOL });
}
const rpcDown = () => new HttpRequestError({ url: "http://127.0.0.1:1/", details: "fetch failed" });

/** A scripted RPC: the submission it reports, and what each simulate/receipt call does. */
class FakeChain {
  calls: string[] = [];
  submission = { status: Status.Revealed as number, attestations: 0 };
  attesters: Address[] = [];
  sampled = true;
  /** One entry per simulateContract call, in order: an error to throw, or undefined to pass. */
  simulations: (Error | undefined)[] = [];
  /** What the next hashes handed out by writeContract are. */
  hashes = [H1];
  /** waitForTransactionReceipt's answer per hash (an Error is thrown). */
  receipts = new Map<Hash, "success" | "reverted" | Error>();
  /** getTransactionReceipt/getTransaction: hashes the node knows, mined or pending. */
  mined = new Map<Hash, "success" | "reverted">();
  pending = new Set<Hash>();
  /** The pending record at the moment a receipt was awaited. */
  pendingWhileMining: (Hash | undefined)[] = [];
  record?: Map<string, Hash>;

  client(): PoolClient {
    const publicClient = {
      readContract: async ({ functionName, args }: { functionName: string; args: readonly unknown[] }) => {
        this.calls.push(functionName);
        if (functionName === "getSubmission") return { miner: OTHER, claimedBps: 7000, finalBps: 0, flags: 0, backups: 0, active: 1, ...this.submission };
        if (functionName === "getAttestations") {
          const verifiers = this.attesters.slice(0, this.submission.attestations);
          return [verifiers, verifiers.map(() => 7000n), verifiers.map(() => 0n)];
        }
        if (functionName === "isSampled") return this.sampled;
        throw new Error(`unexpected read ${functionName}`);
      },
      simulateContract: async (p: unknown) => {
        this.calls.push("simulate");
        const e = this.simulations.shift();
        if (e) throw e;
        return { request: p, result: undefined };
      },
      waitForTransactionReceipt: async ({ hash }: { hash: Hash }) => {
        this.calls.push(`wait ${hash.slice(0, 4)}`);
        this.pendingWhileMining.push(this.record?.get(KEY));
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

function submission(quorum = 3): Sub {
  const round = { id: 1n, openedBlock: 1n, params: { quorum, toleranceBps: 200, verifyEnd: 1000 } as RoundParams, engine: null, subs: new Map() } as Round;
  return { round, task: 0n, slot: 0n, miner: OTHER, genome: `0x${"11".repeat(32)}`, claimedBps: 7000, state: "attesting", challenged: false, challengeDone: false, failures: 0, retryAt: 0 };
}

describe("oracle attest protocol (scripted RPC)", () => {
  let chain: FakeChain;
  let record: Map<string, Hash>;
  let a: Attester;
  let waits: string[];

  beforeEach(() => {
    chain = new FakeChain();
    record = new Map();
    chain.record = record;
    waits = [];
    a = {
      conn: chain.client(),
      verifier: ME,
      waitingFor: (w) => waits.push(w),
      pending: { get: (k) => record.get(k), set: (k, h) => void record.set(k, h), delete: (k) => void record.delete(k) },
    };
  });

  it("asks the chain, sends once, and records the hash before it is mined; clears it once mined", async () => {
    const out = await attest(a, submission(), 7000);
    expect(out).to.deep.equal({ kind: "attested", state: "done", tx: H1, earlier: false });
    expect(chain.calls).to.deep.equal(["getSubmission", "getAttestations", "isSampled", "simulate", "write", "wait 0x02"]);
    expect(chain.pendingWhileMining).to.deep.equal([H1]);
    expect(record.size).to.equal(0);
    expect(waits.at(-1)).to.equal("attest round 1 task 0 slot 0");
  });

  it("an earlier transaction that was mined counts as the attestation: nothing is sent again", async () => {
    record.set(KEY, H0);
    chain.mined.set(H0, "success");
    expect(await attest(a, submission(), 7000)).to.deep.equal({ kind: "attested", state: "done", tx: H0, earlier: true });
    expect(chain.calls).to.deep.equal(["receipt 0x01"]);
    expect(record.size).to.equal(0);
  });

  it("an earlier transaction still pending is waited for, not duplicated", async () => {
    record.set(KEY, H0);
    chain.pending.add(H0);
    expect(await attest(a, submission(), 7000)).to.include({ kind: "attested", tx: H0, earlier: true });
    expect(chain.calls).to.deep.equal(["receipt 0x01", "tx 0x01", "wait 0x01"]);
  });

  it("an earlier transaction the node never saw (dropped) or that reverted: checked and sent again", async () => {
    for (const fate of ["dropped", "reverted"] as const) {
      chain.calls = [];
      chain.hashes = [H1];
      record.set(KEY, H0);
      if (fate === "reverted") chain.mined.set(H0, "reverted");
      expect(await attest(a, submission(), 7000), fate).to.include({ kind: "attested", tx: H1, earlier: false });
      expect(chain.calls[0], fate).to.equal("receipt 0x01");
      expect(chain.calls.slice(-6), fate).to.deep.equal(["getSubmission", "getAttestations", "isSampled", "simulate", "write", "wait 0x02"]);
      expect(record.size, fate).to.equal(0);
    }
  });

  it("an RPC error after sending keeps the hash, so the next try waits for that transaction instead of sending another", async () => {
    chain.receipts.set(H1, rpcDown());
    const err = await attest(a, submission(), 7000).catch((e: unknown) => e);
    expect(isUnreachable(err)).to.equal(true);
    expect(record.get(KEY)).to.equal(H1);
    chain.calls = [];
    chain.mined.set(H1, "success"); // it was mined meanwhile
    expect(await attest(a, submission(), 7000)).to.deep.equal({ kind: "attested", state: "done", tx: H1, earlier: true });
    expect(chain.calls).to.deep.equal(["receipt 0x02"]);
    expect(record.size).to.equal(0);
  });

  it("mined but reverted: the hash is cleared; a named reason is an outcome, an unnamed one is thrown for a retry", async () => {
    chain.receipts.set(H1, "reverted");
    chain.simulations = [undefined, revert("PoNASPoolAlreadyFinal", [1n, 0n, 0n])]; // the quorum closed in between
    const out = await attest(a, submission(), 7000);
    expect(out).to.include({ kind: "refused", state: "done", error: "PoNASPoolAlreadyFinal" });
    expect(chain.pendingWhileMining).to.deep.equal([H1]);
    expect(record.size).to.equal(0);

    chain.hashes = [H0];
    chain.receipts.set(H0, "reverted");
    chain.simulations = [undefined, undefined]; // the re-simulation passes: no reason to name
    const err = await attest(a, submission(), 7000).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TxRevertedError);
    expect(record.size).to.equal(0);
  });

  it("maps the committee's and the pool's refusals to states, sends nothing, and throws any other revert", async () => {
    const cases = [
      [revert("VerifierCommitteeAlreadyAttested", [1n, 0n, 0n, ME]), "done"],
      [revert("PoNASPoolAlreadyFinal", [1n, 0n, 0n]), "done"],
      [revert("PoNASPoolNotInVerifyWindow", [1n, 800n, 1000n]), "missed"],
      [revert("PoNASPoolNotSampled", [1n, 0n, 0n]), "unsampled"],
      [revert("PoNASPoolNotRevealed", [1n, 0n, 0n]), "gone"],
      [revert("VerifierCommitteeNotInCommittee", [1n, ME, 2n]), "gone"],
    ] as const;
    expect(cases.map(([, state]) => state)).to.deep.equal(Object.values(REFUSALS));
    for (const [e, state] of cases) {
      chain.simulations = [e];
      const out = await attest(a, submission(), 7000);
      expect(out, state).to.include({ kind: "refused", state });
      expect((out as { reason: string }).reason, state).to.be.a("string").and.not.match(/\n/);
    }
    expect(chain.calls).not.to.include("write");
    chain.simulations = [revert("VerifierCommitteeNotVerifier", [ME])];
    const err = await attest(a, submission(), 7000).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ContractFunctionExecutionError);
    expect(record.size).to.equal(0);
  });

  it("check: gone unless revealed, attested when ours is among the attestations, final at quorum, else by the sample", async () => {
    const s = submission(3);
    chain.submission = { status: Status.Claimed, attestations: 0 };
    expect(await check(a, s)).to.equal("gone");
    chain.submission = { status: Status.Revealed, attestations: 1 };
    chain.attesters = [ME.toUpperCase().replace("0X", "0x") as Address];
    expect(await check(a, s)).to.equal("attested");
    chain.attesters = [OTHER, OTHER, OTHER];
    chain.submission = { status: Status.Revealed, attestations: 2 };
    expect(await check(a, s)).to.equal("todo"); // two of three: not final yet
    chain.submission = { status: Status.Revealed, attestations: 3 };
    expect(await check(a, s)).to.equal("final");
    chain.submission = { status: Status.Revealed, attestations: 1 };
    chain.sampled = false;
    expect(await check(a, s)).to.equal("unsampled");
    chain.sampled = true;
    expect(await check(a, s)).to.equal("todo");
    expect(waits.at(-1)).to.equal("round 1 task 0 slot 0 on chain");
  });

  it("sends nothing when the check says it is not needed", async () => {
    chain.submission = { status: Status.Settled, attestations: 0 };
    expect(await attest(a, submission(), 7000)).to.deep.equal({ kind: "skipped", state: "gone", check: "gone" });
    chain.submission = { status: Status.Revealed, attestations: 1 };
    chain.attesters = [ME];
    expect(await attest(a, submission(), 7000)).to.deep.equal({ kind: "skipped", state: "done", check: "attested" });
    expect(chain.calls).not.to.include("simulate");
  });
});
