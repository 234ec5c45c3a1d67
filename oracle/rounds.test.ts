// The node's round bookkeeping without a chain: pool events written by hand, applied to the
// in-memory rounds, and the pick of the next job. What a restart relies on (reading the same
// events twice changes nothing) and what ends or re-opens a job.
import { expect } from "chai";
import type { Address, Hex } from "viem";
import type { RoundParams } from "../chain/round.js";
import { allSubs, applyEvent, endCommits, endRound, nextJob, pendingJobs, stateAfterCheck, subKey, type Engine, type PoolEvent, type Rounds, type RoundsContext, type Sub } from "./rounds.js";

const ME: Address = "0x00000000000000000000000000000000000000a1";
const OTHER: Address = "0x00000000000000000000000000000000000000b2";
const MINER: Address = "0x00000000000000000000000000000000000000c3";
const ZERO32: Hex = `0x${"00".repeat(32)}`;
const ENGINE = { recipeKey: "test" } as Engine; // the reducer only stores it

function params(verifyEnd: number): RoundParams {
  return {
    spaceId: ZERO32,
    recipeId: ZERO32,
    arities: ZERO32,
    commitEnd: verifyEnd - 300,
    revealEnd: verifyEnd - 200,
    verifyEnd,
    baselineBps: 1000,
    toleranceBps: 200,
    sampleBps: 10_000,
    slashBps: 5000,
    topK: 0,
    quorum: 3,
    maxBackups: 0,
    maxTasksPerMiner: 4,
    sigmaThreshold: 500_000_000,
    noShowBps: 2000,
    rewardTotal: 100n,
    minStake: 10n,
    verifierFee: 1n,
    feeBudget: 10n,
  };
}

const opened = (roundId: bigint, verifyEnd = 1000, blockNumber = 7n): PoolEvent => ({
  eventName: "RoundOpened",
  args: { roundId, manager: OTHER, params: params(verifyEnd) },
  blockNumber,
});
const revealed = (roundId: bigint, task: bigint, claimedBps: number, slot = 0n): PoolEvent => ({
  eventName: "Revealed",
  args: { roundId, task, slot, miner: MINER, genome: `0x${"11".repeat(32)}`, claimedBps: BigInt(claimedBps), p: 1n, weightsSeal: `0x${"22".repeat(32)}` },
  blockNumber: 9n,
});
const challenged = (roundId: bigint, task: bigint, slot = 0n): PoolEvent => ({ eventName: "Challenged", args: { roundId, task, slot, verifier: OTHER }, blockNumber: 10n });
const committed = (roundId: bigint, task: bigint, verifier: Address, slot = 0n): PoolEvent => ({
  eventName: "AttestationCommitted",
  args: { roundId, task, slot, verifier, seal: `0x${"5e".repeat(32)}`, escalation: false },
  blockNumber: 11n,
});
const attested = (roundId: bigint, task: bigint, verifier: Address, slot = 0n): PoolEvent => ({
  eventName: "Attested",
  args: { roundId, task, slot, verifier, scoreBps: 7000n, weightsDigest: `0x${"d1".repeat(32)}` },
  blockNumber: 12n,
});
const undecided = (roundId: bigint, task: bigint, slot = 0n): PoolEvent => ({
  eventName: "Undecided",
  args: { roundId, task, slot, revealed: 1n, quorum: 3n },
  blockNumber: 13n,
});
const verified = (roundId: bigint, task: bigint, slot = 0n): PoolEvent => ({
  eventName: "Verified",
  args: { roundId, task, slot, medianBps: 7000n, fraud: false, p: 1n, sumP: 1n, weightsDigest: `0x${"33".repeat(32)}` },
  blockNumber: 12n,
});

describe("oracle rounds (the event reducer)", () => {
  let rounds: Rounds;
  let engines: bigint[];
  let ctx: RoundsContext;
  const sub = (round: bigint, task: bigint, slot = 0n): Sub => rounds.get(round)!.subs.get(subKey(round, task, slot))!;
  const apply = (...events: PoolEvent[]) => events.map((e) => applyEvent(rounds, e, ctx));

  beforeEach(() => {
    rounds = new Map();
    engines = [];
    ctx = { verifier: ME, engineFor: (id) => (engines.push(id), id === 99n ? null : ENGINE) };
  });

  it("opens a round once, with its engine and opening block, and returns it only the first time", () => {
    const [first, again] = apply(opened(1n, 1000, 7n), opened(1n, 1000, 7n));
    expect(first).to.include({ id: 1n, openedBlock: 7n, engine: ENGINE });
    expect(again).to.equal(undefined);
    expect(engines).to.deep.equal([1n]); // the engine (and its error line) is looked up once
    expect(apply(opened(99n))[0]!.engine).to.equal(null); // a round it cannot re-train is still followed
    expect([...rounds.keys()]).to.deep.equal([1n, 99n]);
  });

  it("records revealed submissions as new; applying the same events twice changes nothing", () => {
    apply(opened(1n), revealed(1n, 0n, 7000), revealed(1n, 1n, 8000), { eventName: "SampleSeedFixed", args: { roundId: 1n, seed: `0x${"ab".repeat(32)}` }, blockNumber: 8n });
    const s = sub(1n, 0n);
    expect(s).to.include({ task: 0n, slot: 0n, miner: MINER, claimedBps: 7000, state: "new", challenged: false, challengeDone: false, failures: 0, retryAt: 0 });
    expect(s.round).to.equal(rounds.get(1n));
    s.state = "training"; // a job under way…
    apply(opened(1n), revealed(1n, 0n, 7000), revealed(1n, 1n, 8000)); // …and a restart's second read
    expect(sub(1n, 0n)).to.equal(s);
    expect(s.state).to.equal("training");
    expect(rounds.get(1n)!.subs.size).to.equal(2);
    expect(rounds.get(1n)!.seed).to.equal(`0x${"ab".repeat(32)}`);
  });

  it("an unpause's WindowsExtended marks a round's windows for a re-read, once however often it is read", () => {
    apply(opened(1n, 1000), opened(2n, 2000));
    const extended: PoolEvent = { eventName: "WindowsExtended", args: { roundId: 1n, by: 50n }, blockNumber: 13n };
    expect(apply(extended, extended)).to.deep.equal([undefined, undefined]);
    expect(rounds.get(1n)!.windowsMoved).to.equal(true);
    expect(rounds.get(1n)!.params.verifyEnd).to.equal(1000); // the node reads the moved windows from the pool
    expect(rounds.get(2n)!.windowsMoved).to.equal(undefined);
    expect(apply({ ...extended, args: { roundId: 5n, by: 50n } } as PoolEvent)).to.deep.equal([undefined]); // a round not followed
  });

  it("ignores events of a round opened before its history starts", () => {
    expect(apply(revealed(5n, 0n, 7000), challenged(5n, 0n), attested(5n, 0n, ME), verified(5n, 0n))).to.deep.equal([undefined, undefined, undefined, undefined]);
    expect(rounds.size).to.equal(0);
  });

  it("a challenge re-queues an unsampled submission for a check, and leaves a queued one queued", () => {
    apply(opened(1n), revealed(1n, 0n, 9500), revealed(1n, 1n, 9500));
    sub(1n, 0n).state = "unsampled";
    sub(1n, 1n).state = "queued";
    apply(challenged(1n, 0n), challenged(1n, 1n));
    expect(sub(1n, 0n)).to.include({ state: "new", challenged: true, challengeDone: true });
    expect(sub(1n, 1n)).to.include({ state: "queued", challenged: true, challengeDone: true });
  });

  it("our own commitment and reveal (read again after a restart) move a waiting job on; another verifier's do not; a step in flight re-checks the chain itself", () => {
    apply(opened(1n), revealed(1n, 0n, 7000), revealed(1n, 1n, 7000), revealed(1n, 2n, 7000), revealed(1n, 3n, 7000));
    sub(1n, 1n).state = "queued";
    sub(1n, 2n).state = "attesting";
    apply(committed(1n, 0n, OTHER), committed(1n, 1n, ME.toUpperCase().replace("0X", "0x") as Address), committed(1n, 2n, ME), committed(1n, 3n, ME));
    expect(sub(1n, 0n).state).to.equal("new");
    expect(sub(1n, 1n).state).to.equal("committed"); // addresses compared case-insensitively
    expect(sub(1n, 2n).state).to.equal("attesting");
    expect(sub(1n, 3n).state).to.equal("committed");
    apply(attested(1n, 0n, OTHER), attested(1n, 1n, ME), attested(1n, 2n, ME));
    expect([0n, 1n, 2n, 3n].map((t) => sub(1n, t).state)).to.deep.equal(["new", "revealed", "attesting", "committed"]);
    // a restart reads both again: nothing moves back
    apply(committed(1n, 1n, ME), attested(1n, 1n, ME));
    expect(sub(1n, 1n).state).to.equal("revealed");
  });

  it("a decision (Verified or Undecided) ends every waiting, committed and revealed state but not training or a step in flight", () => {
    apply(opened(1n));
    const states = ["new", "unsampled", "queued", "committed", "revealed", "training", "attesting", "missed"] as const;
    states.forEach((st, i) => {
      apply(revealed(1n, BigInt(i), 7000));
      sub(1n, BigInt(i)).state = st;
    });
    apply(...states.map((_, i) => (i % 2 ? undecided(1n, BigInt(i)) : verified(1n, BigInt(i)))));
    expect(states.map((_, i) => sub(1n, BigInt(i)).state)).to.deep.equal(["done", "done", "done", "done", "done", "training", "attesting", "missed"]);
  });

  it("maps a check to the next state: todo queues it, our commitment or reveal resumes there", () => {
    expect((["todo", "committed", "revealed", "final", "unsampled", "gone"] as const).map(stateAfterCheck)).to.deep.equal(["queued", "committed", "revealed", "done", "unsampled", "gone"]);
  });

  it("picks the queued job with the earliest verifyEnd, then the highest claim, skipping ones waiting for a retry", () => {
    apply(opened(1n, 2000), opened(2n, 1000), revealed(1n, 0n, 9900), revealed(2n, 0n, 6000), revealed(2n, 1n, 8000), revealed(2n, 2n, 9000));
    for (const s of allSubs(rounds)) s.state = "queued";
    expect(nextJob(rounds, 0)).to.equal(sub(2n, 2n)); // round 2 ends first; 9000 is its highest claim
    sub(2n, 2n).retryAt = 5000; // its worker died: not before t = 5000
    expect(nextJob(rounds, 4999)).to.equal(sub(2n, 1n));
    expect(nextJob(rounds, 5000)).to.equal(sub(2n, 2n));
    for (const t of [0n, 1n, 2n]) sub(2n, t).state = "training";
    expect(nextJob(rounds, 0)).to.equal(sub(1n, 0n));
    sub(1n, 0n).state = "done";
    expect(nextJob(rounds, 0)).to.equal(undefined);
  });

  it("counts queued, training and attesting submissions as pending", () => {
    apply(opened(1n));
    (["new", "unsampled", "queued", "training", "attesting", "committed", "revealed", "done", "missed", "gone"] as const).forEach((st, i) => {
      apply(revealed(1n, BigInt(i), 7000));
      sub(1n, BigInt(i)).state = st;
    });
    expect(pendingJobs(rounds)).to.equal(3);
  });

  it("ending a round marks only its queued submissions missed and forgets it", () => {
    apply(opened(1n), opened(2n), revealed(1n, 0n, 7000), revealed(1n, 1n, 7000), revealed(1n, 2n, 7000), revealed(2n, 0n, 7000));
    sub(1n, 0n).state = "queued";
    sub(1n, 1n).state = "attesting";
    sub(2n, 0n).state = "queued";
    const r = rounds.get(1n)!;
    const missed = endRound(rounds, r);
    expect(missed.map((s) => s.task)).to.deep.equal([0n]);
    expect([...r.subs.values()].map((s) => s.state)).to.deep.equal(["missed", "attesting", "new"]);
    expect([...rounds.keys()]).to.deep.equal([2n]);
    expect(pendingJobs(rounds)).to.equal(1);
  });

  it("the end of the commit phase marks queued submissions missed and keeps the round", () => {
    apply(opened(1n), revealed(1n, 0n, 7000), revealed(1n, 1n, 7000), revealed(1n, 2n, 7000));
    sub(1n, 0n).state = "queued";
    sub(1n, 1n).state = "committed";
    sub(1n, 2n).state = "training";
    expect(endCommits(rounds.get(1n)!).map((s) => s.task)).to.deep.equal([0n]);
    expect([0n, 1n, 2n].map((t) => sub(1n, t).state)).to.deep.equal(["missed", "committed", "training"]);
    expect(rounds.has(1n)).to.equal(true);
  });
});
