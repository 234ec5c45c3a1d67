// readRound/readRoundDetail: the read model every page and CLI shows, on a real hardhat node —
// the phase follows chain time, slots appear as they are claimed, the revealed genome, sampling
// and the paid reward come from the chain, and a missing round is one line.
import { expect } from "chai";
import { keccak256, stringToHex } from "viem";
import { genomeAt } from "../../nas/index.js";
import type { PoolConnection } from "../connect.js";
import { explainError } from "../errors.js";
import { DEV_KEYS, enterWindow, fund, openTestRound, startTestChain, TOKEN, type TestChain, type TestRound } from "../testing.js";
import { finalizeRound, fixSeed } from "./finalize.js";
import { sealFor } from "../seals.js";
import { latestRound, readRound, readRoundDetail } from "./readRound.js";
import { sendPool, sendToken } from "./send.js";

describe("readRound (chain/actions/readRound.ts)", function () {
  this.timeout(180_000);
  let t: TestChain;
  let m: PoolConnection;
  let round: TestRound;

  before(async () => {
    t = await startTestChain("read-round");
    m = await t.connect(DEV_KEYS[4]);
    await fund(t.admin, m.account!.address, 100n * TOKEN);
    await sendToken(m, "approve", [m.pool, 100n * TOKEN]);
    await sendPool(m, "stake", [100n * TOKEN]);
  });
  after(() => t?.stop());

  it("says in one line that the pool has no round, or that a round does not exist", async () => {
    expect(explainError(await latestRound(t.admin).catch((e) => e))).to.match(/^the pool has no rounds yet/);
    round = await openTestRound(t.admin, { tasks: 2 });
    expect(await latestRound(t.admin)).to.equal(round.roundId);
    expect(explainError(await readRound(t.admin, 9n).catch((e) => e))).to.equal("round 9 does not exist on this pool; check --pool and the round id (PoNASPoolUnknownRound)");
  });

  it("reads the claim phase with its end, and unclaimed tasks", async () => {
    const r = await readRoundDetail(t.admin, round.roundId);
    expect(r.phase).to.equal("claim");
    expect(r.endsAt).to.equal(r.params.commitEnd);
    expect(r.tasks.map((x) => x.slots.length)).to.deep.equal(round.tasks.map(() => 0));
    expect(r.tasks[0].mask).to.equal(round.tasks[0].mask);
    expect(r.pot).to.equal(r.params.rewardTotal);
    expect(r.seedFixed).to.equal(false);
  });

  it("follows a submission through claim, reveal, verification and payout", async () => {
    const me = m.account!.address;
    const genome = genomeAt(round.space, round.tasks[0], 0);
    const salt = keccak256(stringToHex("read-round"));
    await sendPool(m, "claim", [round.roundId, 0n]);
    let r = await readRoundDetail(t.admin, round.roundId);
    expect(r.tasks[0].slots.map((s) => [s.miner, s.status])).to.deep.equal([[me, "claimed"]]);
    const commitment = await m.poolContract.read.computeCommitment([round.roundId, 0n, me, genome, 7000, salt]);
    await sendPool(m, "commit", [round.roundId, commitment]);
    await enterWindow(t.admin, round, "reveal");
    await sendPool(m, "reveal", [round.roundId, 0n, 0n, genome, 7000, salt, sealFor(m, round.roundId, 0n, keccak256(stringToHex("weights")))]);
    r = await readRoundDetail(t.admin, round.roundId);
    expect(r.phase).to.equal("reveal-primaries");
    expect(r.endsAt).to.equal(r.backupRevealStart);
    const s = r.tasks[0].slots[0];
    expect([s.status, s.genome, s.claimedBps, s.counts, s.sampled]).to.deep.equal(["revealed", genome, 7000, true, null]);
    expect(r.events.map((e) => e.eventName)).to.include.members(["RoundOpened", "Claimed", "Committed", "Revealed"]);

    await enterWindow(t.admin, round, "verify");
    await fixSeed(t.admin, round.roundId);
    r = await readRoundDetail(t.admin, round.roundId);
    expect(r.phase).to.equal("verify");
    expect(r.tasks[0].slots[0].sampled).to.equal(true); // TEST_ROUND samples every submission
    await enterWindow(t.admin, round, "after");
    expect((await readRound(t.admin, round.roundId)).phase).to.equal("finalizable");
    expect(await finalizeRound(t.admin, round.roundId)).to.equal(true);
    expect(await finalizeRound(t.admin, round.roundId)).to.equal(false); // already finalized: done, not an error
    await sendPool(m, "withdraw", [round.roundId, 0n, 0n]);
    r = await readRoundDetail(t.admin, round.roundId);
    expect(r.phase).to.equal("finalized");
    expect(r.tasks[0].slots[0].status).to.equal("settled");
    expect(r.tasks[0].slots[0].paid).to.equal(0n); // sampled, no verifier attested: unpaid, not slashed
  });
});
