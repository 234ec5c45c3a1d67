// The verifier node's part in the committee's randomness beacon (oracle/beacon.ts), in-process
// against a real hardhat node whose default deployment puts BeaconRandomness in front of the
// pool's FutureBlockRandomness. Two nodes (N and M) and a verifier acting by hand (H) make the
// committee: quorum 3, so everyone is drawn for every submission. The nodes commit a secret to
// each round's beacon as soon as they see it, reveal once the reveals open, and the seed the
// round is verified with mixes both secrets; a node stopped after its commitment and started again
// on the same state directory reveals the secret it committed (never a second commitment), and one
// whose secret was persisted but never sent commits exactly that secret; a member that commits by
// hand and never reveals is penalised by a running node once the reveal window has closed.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";
import { beaconRandomnessAbi } from "../deployments/abi.js";
import type { PoolConnection } from "../chain/connect.js";
import { getPoolEvents } from "../chain/actions/history.js";
import { sampleSeed } from "../chain/randomness.js";
import { beaconCommitment, commitBeacon, randomSecret, readBeacon, readBeaconEntry, readBeaconSource } from "../chain/actions/beacon.js";
import { advanceTo, DEV_KEYS, enterWindow, openTestRound, startTestChain, waitFor, type TestChain } from "../chain/testing.js";
import { genomeAt, REFERENCE_BACKEND, trainGenome } from "../nas/index.js";
import { OracleNode } from "./node.js";
import { StateStore } from "./state.js";
import { addMiner, addVerifier, attestations, captureLogs, claimAndCommit, commitByHand, commitments, reveal, revealByHand, type CapturedLogger } from "./testing.js";

const ZERO = `0x${"00".repeat(32)}`;

describe("oracle nodes in the committee's randomness beacon", function () {
  this.timeout(240_000);
  let t: TestChain;
  let dir: string;
  let source: Address;
  let vN: PoolConnection;
  let vM: PoolConnection;
  let vH: PoolConnection;
  let miner: PoolConnection;
  const nodes = new Map<string, { node: OracleNode; logs: CapturedLogger }>();
  const addr = (c: PoolConnection) => c.account!.address;
  const stateDir = (name: string) => path.join(dir, name);

  /** Starts (or starts again) node `name` signing with `conn` on its own state directory. */
  async function startNode(name: string, conn: PoolConnection): Promise<{ node: OracleNode; logs: CapturedLogger }> {
    const logs = captureLogs({ node: name });
    const node = new OracleNode(conn, { stateDir: stateDir(name), pollMs: 100, logger: logs.logger });
    await node.start();
    const n = { node, logs };
    nodes.set(name, n);
    return n;
  }
  async function stopNode(name: string): Promise<void> {
    await nodes.get(name)?.node.stop();
    nodes.delete(name);
  }
  const entryOf = (roundId: bigint, c: PoolConnection) => readBeaconEntry(t.admin, source, roundId, addr(c));
  const secretsOf = (name: string): Record<string, Hex> => JSON.parse(readFileSync(path.join(stateDir(name), "state.json"), "utf8")).beaconSecrets;
  const beaconEvents = <E extends "BeaconCommitted" | "BeaconRevealed" | "BeaconNoShowPenalised">(eventName: E, roundId: bigint, member?: Address) =>
    t.admin.publicClient.getContractEvents({ address: source, abi: beaconRandomnessAbi, eventName, args: { consumer: t.admin.pool, key: roundId, ...(member ? { member } : {}) } as never, fromBlock: t.admin.fromBlock, strict: true });
  const seedOf = async (roundId: bigint) => (await t.admin.poolContract.read.getRoundState([roundId])).seed;

  before(async () => {
    t = await startTestChain("oracle-beacon");
    dir = mkdtempSync(path.join(tmpdir(), "oracle-beacon-"));
    source = (await readBeaconSource(t.admin))!;
    expect(source, "the default deployment's source is the beacon").to.be.a("string");
    vN = await t.connect(DEV_KEYS[1]);
    vM = await t.connect(DEV_KEYS[2]);
    vH = await t.connect(DEV_KEYS[6]); // no node: attests and commits to the beacon by hand
    for (const v of [vN, vM, vH]) await addVerifier(t.admin, v);
    miner = await t.connect(DEV_KEYS[3]);
    await addMiner(t.admin, miner);
    await startNode("N", vN);
    await startNode("M", vM);
  });

  after(async () => {
    for (const name of [...nodes.keys()]) await stopNode(name);
    t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("commits before the reveal window ends, reveals once the inner value is fixed, and the round is verified with a seed that mixes both secrets; the secret is forgotten with the round", async () => {
    const round = await openTestRound(t.admin, { tasks: 1, quorum: 3, toleranceBps: 200 });
    const genome = genomeAt(round.space, round.tasks[0], 0);
    const ref = await trainGenome(round.space, genome, round.recipe, { backend: REFERENCE_BACKEND });
    const c = await claimAndCommit(miner, round, 0, genome, ref.scoreBps, ref.weightsHash!);
    // both commit as soon as they see the round, long before the request closes the commits
    await waitFor("both nodes' beacon commitments", async () => (await readBeacon(t.admin, source, round.roundId)).committed === 2);
    expect(await readBeacon(t.admin, source, round.roundId)).to.include({ requested: false, revealed: 0, revealsUntil: 0 });
    for (const [name, v] of [["N", vN], ["M", vM]] as const) {
      // persisted before it was sent: the commitment on chain is the one of the secret on disk
      const secret = secretsOf(name)[String(round.roundId)];
      expect(secret, `${name}'s secret is on disk`).to.match(/^0x[0-9a-f]{64}$/);
      expect(await entryOf(round.roundId, v)).to.deep.equal({ kind: "committed", commitment: beaconCommitment(t.admin.chain.id, source, t.admin.pool, round.roundId, addr(v), secret) });
      expect(JSON.stringify(nodes.get(name)!.logs.lines)).not.to.contain(secret.slice(2)); // never logged before its reveal
    }
    await enterWindow(t.admin, round, "reveal");
    await reveal(miner, c);
    await enterWindow(t.admin, round, "verify");

    // the nodes request the value, see the inner value fixed, reveal, and fix the seed
    const seed = await waitFor("the sample seed", async () => BigInt(await seedOf(round.roundId)) !== 0n && (await seedOf(round.roundId)));
    const b = await readBeacon(t.admin, source, round.roundId);
    expect(b).to.include({ requested: true, committed: 2, revealed: 2 });
    expect(b.value).to.not.equal(ZERO);
    const secrets = [secretsOf("N"), secretsOf("M")].map((s) => BigInt(s[String(round.roundId)]));
    const mix = `0x${(secrets[0] ^ secrets[1]).toString(16).padStart(64, "0")}` as Hex;
    expect(b.value).to.equal(keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes32" }, { type: "address" }, { type: "uint256" }], [b.inner, mix, t.admin.pool, round.roundId])));
    expect(seed, "nobody withheld: FULL_SAMPLE clear").to.equal(sampleSeed(b.value, round.roundId));
    for (const v of [vN, vM]) expect(await entryOf(round.roundId, v)).to.deep.equal({ kind: "revealed" });

    // …and the round is verified as before: H attests by hand beside the two nodes
    const byH = await commitByHand(vH, round.roundId, 0, ref.scoreBps, ref.weightsHash!);
    await waitFor("both nodes' attestation commitments", async () => (await commitments(t.admin, round.roundId)).length === 3, 90_000);
    await enterWindow(t.admin, round, "attest-reveal");
    await revealByHand(vH, byH);
    const verified = await waitFor("the verdict", async () => {
      const v = await getPoolEvents(t.admin, { eventName: "Verified", args: { roundId: round.roundId } });
      return v.length > 0 && v;
    }, 90_000);
    expect(verified.map((e) => [Number(e.args.task), e.args.fraud, Number(e.args.medianBps)])).to.deep.equal([[0, false, ref.scoreBps]]);
    expect(await attestations(t.admin, round.roundId)).to.have.length(3);
    for (const name of ["N", "M"]) {
      const { node, logs } = nodes.get(name)!;
      expect(logs.find("beacon committed"), name).to.have.length(1);
      expect(logs.find("beacon revealed"), name).to.have.length(1);
      expect(await node.metrics.beaconCommits.get(), name).to.have.nested.property("values[0].value", 1);
      expect(await node.metrics.beaconReveals.get(), name).to.have.nested.property("values[0].value", 1);
      expect(node.health().beaconUnrevealed, name).to.equal(0);
    }
    expect(await getPoolEvents(t.admin, { eventName: "Penalised", args: { roundId: round.roundId } })).to.have.length(0);

    // the verify window ends: the secret goes with the round's seals
    await enterWindow(t.admin, round, "after");
    await waitFor("the secrets to be forgotten", () => ["N", "M"].every((name) => !(String(round.roundId) in secretsOf(name))));
  });

  it("a node stopped after its commitment and started again reveals the secret it committed; one whose secret was persisted but not sent commits that secret; never two commitments", async () => {
    // M goes down before the round opens; its state gets the secret a node persists just before
    // it sends the commitment, as if it had died between the two
    await stopNode("M");
    const round = await openTestRound(t.admin, { tasks: 1 }); // no claims: only the beacon and the seed
    const persisted = randomSecret();
    const store = new StateStore(stateDir("M"));
    const s = store.load({ chainId: t.admin.chain.id, pool: t.admin.pool, verifier: addr(vM), fromBlock: t.admin.fromBlock });
    s.beaconSecrets.set(round.roundId, persisted);
    store.save(s);
    await waitFor("N's beacon commitment", async () => (await entryOf(round.roundId, vN)).kind === "committed");

    // second life: commits the persisted secret (not a fresh one) and is stopped right after
    let m = await startNode("M", vM);
    const commitment = beaconCommitment(t.admin.chain.id, source, t.admin.pool, round.roundId, addr(vM), persisted);
    await waitFor("M's commitment of the persisted secret", async () => (await entryOf(round.roundId, vM)).kind === "committed");
    expect(await entryOf(round.roundId, vM)).to.deep.equal({ kind: "committed", commitment });
    expect(m.logs.find("beacon committed")).to.have.length(1);
    await stopNode("M");
    expect(secretsOf("M")[String(round.roundId)], "kept for the reveal").to.equal(persisted);

    // M is down when the reveals open: N requests, sees the inner value fixed and reveals; the
    // seed waits for M (its reveal window is open for the beacon's 120 s)
    await enterWindow(t.admin, round, "verify");
    await waitFor("N's reveal", async () => (await entryOf(round.roundId, vN)).kind === "revealed");
    const open = await readBeacon(t.admin, source, round.roundId);
    expect(open.revealsUntil).to.be.greaterThan(0);
    expect(await entryOf(round.roundId, vM)).to.deep.equal({ kind: "committed", commitment });
    expect(await seedOf(round.roundId)).to.equal(ZERO);

    // third life, inside the reveal window: reveals what it committed, and the seed follows
    m = await startNode("M", vM);
    await waitFor("M's reveal", async () => (await entryOf(round.roundId, vM)).kind === "revealed");
    const revealed = await beaconEvents("BeaconRevealed", round.roundId, addr(vM));
    expect(revealed.map((e) => e.args.secret)).to.deep.equal([persisted]);
    await waitFor("the sample seed", async () => BigInt(await seedOf(round.roundId)) !== 0n);
    expect(await readBeacon(t.admin, source, round.roundId)).to.include({ committed: 2, revealed: 2 });
    // one commitment each, over all of M's lives; the third found its commitment on chain and sent none
    expect((await beaconEvents("BeaconCommitted", round.roundId)).map((e) => e.args.member).sort()).to.deep.equal([addr(vN), addr(vM)].sort());
    expect(m.logs.find("beacon committed")).to.have.length(0);
    expect(m.logs.find("beacon revealed")).to.have.length(1);
    expect(await getPoolEvents(t.admin, { eventName: "Penalised", args: { roundId: round.roundId } })).to.have.length(0);
  });

  it("a member that commits by hand and never reveals is penalised by a running node after the reveal window, once; the round's seed goes ahead without its secret", async () => {
    const round = await openTestRound(t.admin, { tasks: 1 });
    await commitBeacon(vH, source, round.roundId, randomSecret()); // H never reveals it
    await waitFor("both nodes' beacon commitments", async () => (await readBeacon(t.admin, source, round.roundId)).committed === 3);
    await enterWindow(t.admin, round, "verify");
    await waitFor("both nodes' reveals", async () => (await readBeacon(t.admin, source, round.roundId)).revealed === 2);
    expect(await seedOf(round.roundId), "H may still reveal").to.equal(ZERO);
    const before = await t.admin.committeeContract.read.verifierAccount([addr(vH)]);
    const penalty = BigInt(await t.admin.committeeContract.read.penalty());
    expect(penalty).to.be.greaterThan(0n);

    const { revealsUntil } = await readBeacon(t.admin, source, round.roundId);
    await advanceTo(t.admin.publicClient, revealsUntil + 1); // the window closes without H's secret
    await waitFor("the sample seed", async () => BigInt(await seedOf(round.roundId)) !== 0n);
    await waitFor("H to be penalised", async () => (await entryOf(round.roundId, vH)).kind === "penalised");
    const after = await t.admin.committeeContract.read.verifierAccount([addr(vH)]);
    // taken from its unwithdrawn fees first, then its stake
    expect(BigInt(before.stake) + BigInt(before.fees) - (BigInt(after.stake) + BigInt(after.fees))).to.equal(penalty);
    expect((await beaconEvents("BeaconNoShowPenalised", round.roundId)).map((e) => e.args.member)).to.deep.equal([addr(vH)]);
    const penalised = await getPoolEvents(t.admin, { eventName: "Penalised", args: { roundId: round.roundId } });
    expect(penalised.map((e) => [e.args.verifier, e.args.amount])).to.deep.equal([[addr(vH), penalty]]);
    // one node sent it; the other found it done (another caller was first is no error)
    const lines = () => [...nodes.values()].flatMap((n) => n.logs.find("beacon no-show penalised").filter((l) => l.round === Number(round.roundId)));
    await waitFor("the penalising node's log line", () => lines().length > 0);
    expect(lines().map((l) => l.member)).to.deep.equal([addr(vH)]);
    let counted = 0;
    for (const n of nodes.values()) counted += (await n.node.metrics.beaconNoShows.get()).values[0]?.value ?? 0;
    expect(counted).to.equal(1);
    for (const n of nodes.values()) expect(n.logs.find("beacon step refused; trying again on the next look")).to.have.length(0);
  });
});
