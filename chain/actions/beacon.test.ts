// The beacon actions against the real BeaconRandomness the default deployment puts in front of
// the pool's FutureBlockRandomness: the local commitment equals the contract's, a member commits
// before the request, reveals once the inner value is fixed, and the round's seed mixes its secret;
// a committer that never reveals is found from the round's events and penalised once the value is
// fixed, and its entry says so.
import { expect } from "chai";
import { encodeAbiParameters, keccak256, toHex, type Address } from "viem";
import { beaconRandomnessAbi } from "../../deployments/abi.js";
import type { PoolConnection } from "../connect.js";
import { advanceTo, DEV_KEYS, enterWindow, fund, openTestRound, startTestChain, type TestChain, type TestRound } from "../testing.js";
import { explainError, poolError } from "../errors.js";
import { sampleSeed } from "../randomness.js";
import { beaconCommitment, commitBeacon, penaliseBeaconNoShow, randomSecret, readBeacon, readBeaconEntry, readBeaconNoShows, readBeaconSource, revealBeacon } from "./beacon.js";
import { sendCommittee, sendPool, sendToken } from "./send.js";

describe("the committee's randomness beacon (chain/actions/beacon.ts)", function () {
  this.timeout(180_000);
  let t: TestChain;
  let v: PoolConnection;
  let round: TestRound;

  before(async () => {
    t = await startTestChain("beacon");
    v = await t.connect(DEV_KEYS[5]);
    const min = await t.admin.committeeContract.read.minVerifierStake();
    await fund(t.admin, v.account!.address, min);
    await sendCommittee(t.admin, "setVerifier", [v.account!.address, true]);
    await sendToken(v, "approve", [v.committee, min]);
    await sendCommittee(v, "stakeVerifier", [min]);
    round = await openTestRound(t.admin, { tasks: 1 });
  });
  after(() => t?.stop());

  it("commits before the request, reveals once the inner value is fixed, and the seed mixes the secret", async () => {
    const source = (await readBeaconSource(t.admin)) as Address;
    expect(source, "the default deployment's source is the beacon").to.not.equal(null);
    const me = v.account!.address;
    const secret = randomSecret();
    const onChain = await t.admin.publicClient.readContract({ address: source, abi: beaconRandomnessAbi, functionName: "commitmentOf", args: [t.admin.pool, round.roundId, me, secret] });
    expect(beaconCommitment(t.admin.chain.id, source, t.admin.pool, round.roundId, me, secret)).to.equal(onChain);
    expect(await readBeaconEntry(t.admin, source, round.roundId, me)).to.deep.equal({ kind: "none" });
    await commitBeacon(v, source, round.roundId, secret);
    expect(await readBeacon(t.admin, source, round.roundId)).to.include({ requested: false, committed: 1, revealed: 0, revealsUntil: 0 });
    expect(await readBeaconEntry(t.admin, source, round.roundId, me)).to.deep.equal({ kind: "committed", commitment: onChain });

    await enterWindow(t.admin, round, "verify");
    await sendPool(t.admin, "fixSampleSeed", [round.roundId]); // the request: commits close
    for (let i = 0; i < 3; i++) await sendPool(t.admin, "fixSampleSeed", [round.roundId]); // the inner target is mined and fixed
    const open = await readBeacon(t.admin, source, round.roundId);
    expect(open.requested).to.equal(true);
    expect(open.revealsUntil).to.be.greaterThan(0);
    // the committer has not revealed and the window is open: no seed yet
    expect((await t.admin.poolContract.read.getRoundState([round.roundId])).seed).to.equal(`0x${"00".repeat(32)}`);
    await revealBeacon(v, source, round.roundId, secret);
    expect(await readBeaconEntry(t.admin, source, round.roundId, me)).to.deep.equal({ kind: "revealed" });
    await sendPool(t.admin, "fixSampleSeed", [round.roundId]);
    expect(await readBeaconNoShows(t.admin, source, round.roundId), "it revealed").to.deep.equal([]);
    const done = await readBeacon(t.admin, source, round.roundId);
    expect(done.revealed).to.equal(1);
    const value = keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }, { type: "address" }, { type: "uint256" }], [done.inner, secret, t.admin.pool, round.roundId]));
    expect(done.value).to.equal(value);
    expect((await t.admin.poolContract.read.getRoundState([round.roundId])).seed, "nobody withheld: FULL_SAMPLE clear").to.equal(sampleSeed(value, round.roundId));
  });

  it("finds a committer that never revealed once the value is fixed, and penalises it once (fees, then stake)", async () => {
    const source = (await readBeaconSource(t.admin)) as Address;
    const me = v.account!.address;
    const r = await openTestRound(t.admin, { tasks: 1 });
    await commitBeacon(v, source, r.roundId, randomSecret());
    await enterWindow(t.admin, r, "verify");
    while ((await readBeacon(t.admin, source, r.roundId)).revealsUntil === 0) await sendPool(t.admin, "fixSampleSeed", [r.roundId]);
    // reveals open: nobody is a no-show while the member may still reveal
    const early = await penaliseBeaconNoShow(t.admin, source, r.roundId, me).catch((e: unknown) => e);
    expect(poolError(early)?.name).to.equal("BeaconRandomnessNotFixed");
    expect(explainError(early)).to.match(/^round \d+'s beacon value is not fixed yet, so nobody is a no-show yet; .* \(BeaconRandomnessNotFixed\)$/);
    const { revealsUntil } = await readBeacon(t.admin, source, r.roundId);
    await advanceTo(t.admin.publicClient, revealsUntil + 1);
    await sendPool(t.admin, "fixSampleSeed", [r.roundId]); // the window closed: the value is fixed without the secret
    expect(BigInt((await readBeacon(t.admin, source, r.roundId)).value)).to.not.equal(0n);
    expect(await readBeaconNoShows(t.admin, source, r.roundId, { fromBlock: t.admin.fromBlock })).to.deep.equal([me]);

    const before = await t.admin.committeeContract.read.verifierAccount([me]);
    const penalty = await t.admin.committeeContract.read.penalty();
    await penaliseBeaconNoShow(t.admin, source, r.roundId, me); // anyone may: here the admin
    const after = await t.admin.committeeContract.read.verifierAccount([me]);
    expect(BigInt(before.stake) + BigInt(before.fees) - (BigInt(after.stake) + BigInt(after.fees))).to.equal(BigInt(penalty));
    expect(await readBeaconEntry(t.admin, source, r.roundId, me)).to.deep.equal({ kind: "penalised" });
    expect(await readBeaconNoShows(t.admin, source, r.roundId)).to.deep.equal([]);
    const again = await penaliseBeaconNoShow(t.admin, source, r.roundId, me).catch((e: unknown) => e);
    expect(poolError(again)?.name, "once per member").to.equal("BeaconRandomnessNotCommitted");
  });
});
