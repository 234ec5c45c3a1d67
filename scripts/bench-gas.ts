// Gas benchmark (npm run bench:gas): gas used by each pool function (and each function of its
// VerifierCommittee: verifiers challenge, commit and reveal sealed attestations, decide, withdraw
// fees and sweep fee budgets there) on the Hardhat network, and how withdraw and finalize scale
// with the number of miners. Writes reports/gas.json, with the runtime size of every contract a
// deployment uses.
// Per-function figures are medians over a round's calls, so the one-off cost of the first write
// to a fresh slot in a round (e.g. the first top-K entry) does not hide the typical cost; the
// first-call figures are reported beside them.
import { network } from "hardhat";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { Address, Hex } from "viem";
import type { BeaconRandomness, PoNASLens, PoNASPool, PoolToken, VerifierCommittee } from "../types/ethers-contracts/index.js";
import { weightsSeal } from "../chain/seals.js";

const TOKEN = 10n ** 18n;
/**
 * Stake per claim: the contract's floor for the bench round, pot·(1 − p)/(p·(K + 1)·(1 − s)) =
 * 1000 · 0.8 / (0.2 · 4 · 0.8) = 1250 tokens (sampleBps 2000, topK 3, slashBps 2000).
 */
const STAKE = 1250n * TOKEN;
const TARGETS: Record<string, number> = { claim: 80_000, commit: 50_000, reveal: 90_000, withdraw: 60_000, settle: 60_000 };
const SCALES = (process.env.GAS_SCALES ?? "10,100,1000").split(",").map(Number);

function genes(values: number[]): string {
  const b = new Uint8Array(32);
  values.forEach((v, i) => (b[i] = v));
  return "0x" + Buffer.from(b).toString("hex");
}
const median = (xs: bigint[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(xs.length / 2)];

async function gasOf(p: Promise<{ wait(): Promise<unknown> }>): Promise<bigint> {
  const rc = (await (await p).wait()) as { gasUsed: bigint };
  return rc.gasUsed;
}

/** A fresh in-process chain with `n` miners; `round()` plays one round and returns gas samples. */
async function setup(n: number) {
  // A fresh chain per scale, so earlier scales do not warm any storage.
  const { ethers, networkHelpers } = await network.create();
  const [admin, treasury, ...rest] = await ethers.getSigners();
  // three verifiers attest everything (quorum 3); a fourth commits on some submissions and never
  // reveals, so those are judged by `decide` after the reveal phase (and it pays the penalty)
  const verifiers = rest.slice(0, 4);
  const token = (await ethers.deployContract("PoolToken", ["PoNAS", "PONAS", admin.address, 10n ** 10n * TOKEN])) as unknown as PoolToken;
  // the default deployment's source: the committee's beacon over a future block hash
  const inner = await ethers.deployContract("FutureBlockRandomness", [1n]);
  const randomness = (await ethers.deployContract("BeaconRandomness", [await inner.getAddress(), 120n])) as unknown as BeaconRandomness;
  const pool = (await ethers.deployContract("PoNASPool", [await token.getAddress(), admin.address, treasury.address, 100n * TOKEN, await randomness.getAddress()])) as unknown as PoNASPool;
  const poolAddr = await pool.getAddress();
  const committeeAddr = await pool.committee();
  const committee = (await ethers.getContractAt("VerifierCommittee", committeeAddr)) as unknown as VerifierCommittee;
  // the pool's derived views (backupsAllowed, getTopK, sweepable) live on its lens
  const lens = (await ethers.getContractAt("PoNASLens", await pool.lens())) as unknown as PoNASLens;
  await token.approve(poolAddr, ethers.MaxUint256);
  for (const v of verifiers) {
    await token.transfer(v.address, 1000n * TOKEN);
    await token.connect(v).approve(committeeAddr, ethers.MaxUint256);
    await committee.setVerifier(v.address, true);
    await committee.connect(v).stakeVerifier(500n * TOKEN); // the minimum (100) and room for penalties
  }
  // 10×10×10×4 space; task i fixes the first three genes to the digits of i.
  const arities = genes([10, 10, 10, 4]);
  const tasks = Array.from({ length: n }, (_, i) => [Math.floor(i / 100) % 10, Math.floor(i / 10) % 10, i % 10]);
  const masks = tasks.map(() => genes([0xff, 0xff, 0xff]));
  const values = tasks.map((t) => genes(t));
  const miners: string[] = [];
  for (let i = 0; i < n + 1; i++) {
    const addr = ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0x100000 + i), 20));
    await networkHelpers.impersonateAccount(addr);
    await networkHelpers.setBalance(addr, 10n ** 20n);
    miners.push(addr);
  }
  const signers = await Promise.all(miners.map((a) => ethers.getSigner(a)));
  for (const m of signers) {
    await token.transfer(m.address, 4000n * TOKEN); // two rounds' stakes (2 × STAKE) and change
    await token.connect(m).approve(poolAddr, ethers.MaxUint256);
  }
  let roundId = 0n;

  async function round() {
  roundId++;
  const now = BigInt(await networkHelpers.time.latest());
  const params = {
    spaceId: ethers.id("bench-space"), recipeId: ethers.id("bench-recipe"), arities,
    commitEnd: now + 100_000n, revealEnd: now + 200_000n, verifyEnd: now + 300_000n,
    baselineBps: 9000, toleranceBps: 100, sampleBps: 2000, slashBps: 2000, noShowBps: 2000,
    rewardTotal: 1000n * TOKEN, minStake: STAKE, verifierFee: TOKEN, feeBudget: 100n * TOKEN,
    sigmaThreshold: 0n, topK: 3, quorum: 3, maxBackups: 1, maxTasksPerMiner: 1,
  };
  const batch = 200;
  const g: Record<string, bigint[]> = {};
  const add = (k: string, v: bigint) => (g[k] ??= []).push(v);
  add("openRound", await gasOf(pool.openRound(params, masks.slice(0, batch), values.slice(0, batch))));
  for (let i = batch; i < n; i += batch) await pool.addTasks(roundId, masks.slice(i, i + batch), values.slice(i, i + batch));

  const salt = ethers.id("salt");
  const reveals: { task: number; slot: number; genome: string; score: number }[] = [];
  for (let i = 0; i < n; i++) {
    const m = signers[i];
    add("stake", await gasOf(pool.connect(m).stake(STAKE)));
    add("claim", await gasOf(pool.connect(m).claim(roundId, i)));
    const genome = genes([...tasks[i], i % 4]);
    const score = 9100 + ((i * 37) % 800);
    const h = await pool.computeCommitment(roundId, i, m.address, genome, score, salt);
    add("commit", await gasOf(pool.connect(m).commit(roundId, h)));
    reveals.push({ task: i, slot: 0, genome, score });
  }
  // One backup on task 0 (the primary is new, so backups are open).
  const b = signers[n];
  await pool.connect(b).stake(STAKE);
  if (await lens.backupsAllowed(roundId, 0)) add("joinAsBackup", await gasOf(pool.connect(b).joinAsBackup(roundId, 0)));

  await networkHelpers.time.increaseTo(params.commitEnd + 1n);
  const { chainId } = await ethers.provider.getNetwork();
  const poolAddress = (await pool.getAddress()) as Address;
  for (let i = 0; i < n; i++) {
    const r = reveals[i];
    // the miner seals the digest of the weights it trained (the one the verifiers below agree on)
    const seal = weightsSeal({ chainId, pool: poolAddress, roundId, task: BigInt(r.task), miner: signers[i].address as Address, weightsDigest: ethers.id(`weights:${roundId}:${r.task}`) as Hex });
    add("reveal", await gasOf(pool.connect(signers[i]).reveal(roundId, r.task, r.slot, r.genome, r.score, salt, seal)));
  }
  // every member commits a beacon secret (its node does when it sees the round)
  const secretOf = (v: string) => ethers.id(`beacon:${roundId}:${v}`);
  for (const v of verifiers) add("beaconCommit", await gasOf(randomness.connect(v).commit(poolAddress, roundId, await randomness.commitmentOf(poolAddress, roundId, v.address, secretOf(v.address)))));
  await networkHelpers.time.increaseTo(params.revealEnd + 1n);
  // the first call requests the round's value from the randomness source; one block later the
  // members reveal (the first reveal also fixes the inner value) and the next call fixes the seed
  add("fixSampleSeed", await gasOf(pool.fixSampleSeed(roundId)));
  await networkHelpers.mine(1);
  for (const v of verifiers) add("beaconReveal", await gasOf(randomness.connect(v).reveal(poolAddress, roundId, secretOf(v.address))));
  add("fixSampleSeedFulfil", await gasOf(pool.fixSampleSeed(roundId)));
  // Verify the top-K and a few challenged ones in the verify window's phases: the three of the
  // four verifiers the round draws for each submission seal score and weights digest (commit),
  // then open them (reveal). A third of the submissions: all three reveal, and the last reveal
  // decides (revealDecides). Another third: one drawn verifier never reveals, so the submission is
  // disputed (fewer than quorum) and the fourth attests it in the escalation (commitEscalation,
  // whose reveal decides: escalationRevealDecides). The rest: disputed the same way with nobody
  // joining, so anyone decides it after the escalation, penalising the silent one (decide).
  const [topTasks] = await lens.getTopK(roundId);
  const toVerify = [...topTasks.map(Number)];
  for (let i = 0; i < n && toVerify.length < Math.min(n, 6); i++) {
    if (!toVerify.includes(i)) {
      add("challenge", await gasOf(committee.connect(verifiers[2]).challenge(roundId, i, 0)));
      toVerify.push(i);
    }
  }
  const digest = (t: number) => ethers.id(`weights:${roundId}:${t}`);
  const sealed: { t: number; v: (typeof verifiers)[number]; score: number; salt: string; last: boolean }[] = [];
  const undrawn = new Map<number, (typeof verifiers)[number]>();
  for (const [j, t] of toVerify.entries()) {
    const score = reveals[t].score;
    const drawn = [];
    for (const v of verifiers) {
      if (await committee.isDrawn(roundId, t, 0, v.address)) drawn.push(v);
      else undrawn.set(t, v);
    }
    for (const [k, v] of drawn.entries()) {
      const s = [score, score + 10, score - 20][k];
      const vsalt = ethers.id(`salt:${roundId}:${t}:${k}`);
      const seal = await committee.attestationSeal(roundId, t, 0, v.address, s, digest(t), vsalt);
      add("commitAttestation", await gasOf(committee.connect(v).commitAttestation(roundId, t, 0, seal)));
      // j % 3 == 0: all three open theirs; otherwise the third never does
      if (j % 3 === 0 || k < 2) sealed.push({ t, v, score: s, salt: vsalt, last: j % 3 === 0 && k === 2 });
    }
  }
  const [attestCommitEnd, attestRevealEnd, escalationCommitEnd, escalationRevealEnd] = await lens.attestPhases(roundId);
  await networkHelpers.time.increaseTo(attestCommitEnd + 1n);
  for (const a of sealed) {
    add(a.last ? "revealDecides" : "revealAttestation", await gasOf(committee.connect(a.v).revealAttestation(roundId, a.t, 0, a.score, digest(a.t), a.salt)));
  }
  await networkHelpers.time.increaseTo(attestRevealEnd + 1n);
  const late: { t: number; v: (typeof verifiers)[number]; salt: string }[] = [];
  for (const [j, t] of toVerify.entries()) {
    if (j % 3 !== 1) continue;
    const v = undrawn.get(t)!;
    const vsalt = ethers.id(`salt:${roundId}:${t}:late`);
    const seal = await committee.attestationSeal(roundId, t, 0, v.address, reveals[t].score, digest(t), vsalt);
    add("commitEscalation", await gasOf(committee.connect(v).commitAttestation(roundId, t, 0, seal)));
    late.push({ t, v, salt: vsalt });
  }
  await networkHelpers.time.increaseTo(escalationCommitEnd + 1n);
  for (const a of late) add("escalationRevealDecides", await gasOf(committee.connect(a.v).revealAttestation(roundId, a.t, 0, reveals[a.t].score, digest(a.t), a.salt)));
  await networkHelpers.time.increaseTo(escalationRevealEnd + 1n);
  for (const [j, t] of toVerify.entries()) if (j % 3 === 2) add("decide", await gasOf(committee.decide(roundId, t, 0)));
  await networkHelpers.time.increaseTo(params.verifyEnd + 1n);
  add("finalize", await gasOf(pool.finalize(roundId)));
  // Even miners take their reward as tokens, odd ones credit it to stake. Verified submissions
  // skip the sampling check, so they are a separate, cheaper path: reported apart, so that the
  // sizes compare like with like.
  for (let i = 0; i < n; i++) {
    const kind = (i % 2 === 0 ? "withdraw" : "settle") + (toVerify.includes(i) ? "Verified" : "");
    const call = i % 2 === 0 ? pool.connect(signers[i]).withdraw(roundId, i, 0) : pool.connect(signers[i]).settle(roundId, i, 0);
    add(kind, await gasOf(call));
  }
  if (g.joinAsBackup) add("withdrawBackup", await gasOf(pool.connect(b).withdraw(roundId, 0, 1)));
  // The pool's sweep takes forfeited stake, dust and unverified shares (there is nearly always
  // dust); the unspent fee budget is the committee's sweepFees.
  if ((await lens.sweepable(roundId)) > 0n) add("sweep", await gasOf(pool.sweep(roundId)));
  add("sweepFees", await gasOf(committee.sweepFees(roundId)));
  for (const m of [...signers.slice(0, Math.min(n, 5)), b]) {
    const a = await pool.minerAccount(m.address);
    if (a.balance > a.locked) add("unstake", await gasOf(pool.connect(m).unstake(a.balance - a.locked)));
  }
  add("withdrawFees", await gasOf(committee.connect(verifiers[0]).withdrawFees()));
  return g;
  }
  return { round };
}

const functions: Record<string, number> = {};
const firstCall: Record<string, number> = {};
const scaling: Record<string, Record<string, number>> = { withdraw: {}, withdrawVerified: {}, settle: {}, settleVerified: {}, finalize: {} };
for (const n of SCALES) {
  const t0 = Date.now();
  const chain = await setup(n);
  const g = await chain.round();
  console.log(`${n} miners: round measured in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  for (const k of Object.keys(scaling)) scaling[k][n] = Number(median(g[k]));
  if (n === SCALES[0]) {
    // A second round with the same miners: the steady state, where every account, history and
    // token balance already exists. Its medians are the per-function figures.
    const steady = await chain.round();
    for (const [k, v] of Object.entries(steady)) {
      functions[k] = Number(median(v));
      firstCall[k] = Number(g[k]?.[0] ?? v[0]);
    }
  }
}
const spread = (o: Record<string, number>) => {
  const v = Object.values(o);
  return (Math.max(...v) - Math.min(...v)) / Math.min(...v);
};
// Runtime code of every contract a deployment uses, against EIP-170's 24,576-byte limit.
const ARTIFACTS: Record<string, string> = {
  PoNASPool: "artifacts/contracts/PoNASPool.sol/PoNASPool.json",
  PoNASLens: "artifacts/contracts/PoNASLens.sol/PoNASLens.json",
  VerifierCommittee: "artifacts/contracts/VerifierCommittee.sol/VerifierCommittee.json",
  PoolToken: "artifacts/contracts/PoolToken.sol/PoolToken.json",
  FutureBlockRandomness: "artifacts/contracts/randomness/FutureBlockRandomness.sol/FutureBlockRandomness.json",
  VrfRandomness: "artifacts/contracts/randomness/VrfRandomness.sol/VrfRandomness.json",
  BeaconRandomness: "artifacts/contracts/randomness/BeaconRandomness.sol/BeaconRandomness.json",
};
const sizes = Object.fromEntries(
  Object.entries(ARTIFACTS).map(([name, file]) => [name, (JSON.parse(readFileSync(file, "utf8")).deployedBytecode.length - 2) / 2]),
);
const report = {
  network: "hardhat (EDR, in-process)",
  // A miner's whole round (claim + commit + reveal + withdraw of a verified submission) and a
  // verifier's cost per attestation: its sealed commit (which calls into the pool) and its reveal
  // (the one reveal that decides, or a decide call, is paid once per submission, by someone).
  // A verifier's part in each round's randomness beacon (commit + reveal) comes on top, once per round.
  round: {
    miner: functions.claim + functions.commit + functions.reveal + functions.withdrawVerified,
    verifierPerAttestation: functions.commitAttestation + functions.revealAttestation,
    verifierBeaconPerRound: functions.beaconCommit + functions.beaconReveal,
  },
  sizes,
  sizeLimit: 24_576,
  note:
    "gasUsed per transaction incl. 21000 intrinsic. functions: medians over a steady-state round (second round of the same miners); " +
    "firstCall: the first call in the first round (fresh accounts, histories and round slots); scaling: medians of a first round at each size",
  functions,
  firstCall,
  targets: Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, { target: t, measured: functions[k], met: functions[k] <= t }])),
  scaling,
  scalingSpread: Object.fromEntries(Object.entries(scaling).map(([k, v]) => [k, spread(v)])),
};
mkdirSync("reports", { recursive: true });
writeFileSync("reports/gas.json", JSON.stringify(report, null, 2) + "\n");
console.table(Object.fromEntries(Object.entries(functions).map(([k, v]) => [k, { median: v, first: firstCall[k], target: TARGETS[k] ?? "" }])));
console.log("scaling", scaling, "spread", report.scalingSpread);
