// `npm run demo`: a whole pool round on an embedded chain in one command. Starts a hardhat node on
// a free loopback port, deploys, opens a round of ≥ 6 subspace tasks, runs 7 miners (one claims an
// inflated score, one primary drops out and its backup takes over) and 3 verifiers as separate
// processes, plus a lazy fourth verifier, a loop in this process, that never trains and echoes
// each sampled claim with a zero digest. Quorum 3 of a four-member committee: the round's
// randomness draws three of the four for each sampled submission, who seal score and weights
// digest in the commit phase of the verify window and open them in the reveal phase; drawn
// reveals that disagree escalate the submission to the fourth member. Moves chain time through
// the windows and the verify window's phases once everyone has acted, finalises, lets the miners
// withdraw, and checks every payout against R_i = P_i / ΣP × R_total (the pot is R_total: the
// cheater's slash and the drop-out's no-show fee go to the treasury) and that the lazy verifier is
// caught: no fee for an echo, and a penalty wherever it echoed the cheater's inflated claim. The
// lazy verifier also commits to the round's randomness beacon (contracts/randomness/
// BeaconRandomness.sol) and never reveals: the round samples every submission, and the oracles
// penalise it.
// Writes reports/demo.json; --keep leaves the chain running for the web app.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { formatUnits, maxUint256, parseUnits, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  advanceTo,
  auditedEvents,
  auditRound,
  commitAttestation,
  connectPool,
  DEV_KEYS,
  explainError,
  finalizeRound,
  fmtTokens,
  getPoolEvents,
  NO_SLOT,
  openRound,
  randomSalt,
  readAttestPhases,
  readIsDrawn,
  readIsEscalated,
  revealAttestation,
  ROUND_DEFAULTS,
  sendCommittee,
  sendPool,
  sendToken,
  settlementOf,
  startLocalChain,
  ZERO_DIGEST,
  type AttestationSecret,
  type LocalChain,
} from "../chain/node.js";
import { commitBeacon, randomSecret, readBeacon, readBeaconSource } from "../chain/actions/beacon.js";
import { defaultSpace, describeSubspace, loadSpace, resolveRecipe } from "../nas/index.js";
import { childLines } from "./demoLines.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const program = new Command()
  .name("demo")
  .option("--keep", "leave the chain and deployment running afterwards (for the web app)")
  .option("--budget <n>", "architectures each miner trains", "3")
  .option("--recipe <name>", "training recipe", "mnist-demo-v1")
  .option("--space <path>", "search space JSON (default: the small MNIST space, nas/spaces/mnist-conv-v1.json; nas/spaces/fashion-cell-v1.json with --recipe fashion-demo-v1 runs the round on the cell space)")
  .option("--timeout <seconds>", "give up after this long", "280")
  .option("--report <path>", "report file", "reports/demo.json")
  .option("--deployment <name>", "deployments/<name>.json to write (the app reads localhost)", "localhost")
  .parse();
const opts = program.opts<{ keep?: boolean; budget: string; recipe: string; space?: string; timeout: string; report: string; deployment: string }>();

const started = performance.now();
const deadline = started + Number(opts.timeout) * 1000;
const log = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const children: ChildProcess[] = [];
let chain: LocalChain | undefined;

function spawnNode(script: string, args: string[], name: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buf = "";
  const onData = (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split("\n");
    buf = lines.pop()!;
    // wrapped to the terminal, never cut: a cut line drops the digits of an amount
    for (const l of lines) for (const out of childLines(name, l, { verbose: Boolean(process.env.PONAS_DEMO_VERBOSE), width: process.stdout.columns })) console.log(out);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  children.push(child);
  return child;
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, everyMs = 500): Promise<T> {
  for (;;) {
    const v = await check();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function main() {
  chain = await startLocalChain({ name: opts.deployment });
  log(`chain ${chain.url}, pool ${chain.deployment.contracts.PoNASPool}`);
  const keysDir = mkdtempSync(join(tmpdir(), "ponas-demo-keys-"));
  const stateDir = mkdtempSync(join(tmpdir(), "ponas-demo-state-"));
  const keyFile = (i: number) => {
    const p = join(keysDir, `key${i}`);
    writeFileSync(p, DEV_KEYS[i] + "\n");
    chmodSync(p, 0o600);
    return p;
  };
  const admin = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[0]), pollingInterval: 200 });

  // roles: 0 admin/manager, 1..6 primaries (1 drops out, 2 cheats), 7 backup, 8..10 verifiers
  // (oracle processes), 11 the lazy verifier (this process: echoes claims, never trains)
  const MINERS = [1, 2, 3, 4, 5, 6, 7];
  const VERIFIERS = [8, 9, 10];
  const LAZY = 11;
  const addr = (i: number) => privateKeyToAccount(DEV_KEYS[i]).address;
  for (const i of [...MINERS, ...VERIFIERS, LAZY]) {
    await sendToken(admin, "transfer", [addr(i), parseUnits("5000", 18)]);
  }
  const minVerifierStake = await admin.committeeContract.read.minVerifierStake();
  // enrolled before the round opens: a round's committee is fixed when it opens
  for (const i of [...VERIFIERS, LAZY]) {
    await sendCommittee(admin, "setVerifier", [addr(i), true]);
    const v = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[i]) });
    // the lazy one holds twice the minimum, so that its penalties do not stop it attesting (at the
    // minimum, the first one would: VerifierCommitteeStakeTooLow)
    const stake = i === LAZY ? 2n * minVerifierStake : minVerifierStake;
    await sendToken(v, "approve", [v.committee, stake]);
    await sendCommittee(v, "stakeVerifier", [stake]);
  }

  const space = opts.space ? loadSpace(opts.space) : defaultSpace();
  const round = await openRound(admin, {
    ...ROUND_DEFAULTS,
    space,
    recipe: resolveRecipe(opts.recipe),
    tasks: 6,
    commitSeconds: 3600,
    revealSeconds: 1800,
    // three phases of transactions (commit ¾, reveal ⅛, decide ⅛): the commit phase must hold the
    // oracles' re-training in real time, since chain time moves with the clock until the demo jumps it
    verifySeconds: 3600,
    toleranceBps: 300,
    sampleBps: 5000,
    topK: 3,
    quorum: 3,
  });
  log(`round ${round.roundId}: ${round.tasks.length} tasks balanced by ${round.costModel} (max/mean ${round.imbalance.toFixed(2)}), stake ${fmtTokens(round.minStake)} each`);
  round.tasks.forEach((t, i) => log(`  task ${i}: ${describeSubspace(space, t)}`));
  const p = await admin.poolContract.read.getRound([round.roundId]);
  // The lazy verifier also commits to the round's randomness beacon and will never reveal (a
  // node that went away after its commit, or one keeping its secret back to re-roll the sample):
  // the round then samples every submission, and the oracles penalise it.
  const lazy = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[LAZY]), pollingInterval: 200 });
  const beaconSource = await readBeaconSource(admin);
  if (!beaconSource) throw new Error("the demo deployment's randomness source is not the committee beacon");
  await commitBeacon(lazy, beaconSource, round.roundId, randomSecret());
  log("the lazy verifier committed a beacon secret it will never reveal");

  const common = ["--rpc", chain.url, "--pool", chain.name, "--poll-ms", "250"];
  for (const i of VERIFIERS) {
    spawnNode("oracle/cli.ts", [...common, "--key-file", keyFile(i), "--workers", "1", "--state-dir", join(stateDir, `oracle${i}`)], `verifier${i - 7}`);
  }
  const miner = (i: number, extra: string[]) =>
    spawnNode(
      "miner/cli.ts",
      [...common, "--key-file", keyFile(i), "--round", String(round.roundId), "--budget", opts.budget, "--strategy", "evolution", "--seed", String(i), "--state-dir", join(stateDir, `miner${i}`), ...extra],
      `miner${i}`,
    );
  const minerProcs = [
    miner(1, ["--task", "0", "--drop-out"]),
    // claims 100%: the highest claim, so always in the verified top-K (a +3000 bps claim could tie
    // honest ones and fall to the random sample, and the demo's "cheater slashed" would be luck)
    miner(2, ["--task", "1", "--inflate", "10000"]),
    miner(3, ["--task", "2"]),
    miner(4, ["--task", "3"]),
    miner(5, ["--task", "4"]),
    miner(6, ["--task", "5"]),
  ];
  const backup = await until("the primary of task 0", async () => (await admin.poolContract.read.getSubmission([round.roundId, 0n, 0n])).status !== 0);
  void backup;
  minerProcs.push(miner(7, ["--task", "0", "--backup"]));
  const exited = minerProcs.map((m) => new Promise<number>((r) => m.once("exit", (code) => r(code ?? 1))));

  const args = { roundId: round.roundId };
  const logs = {
    committed: () => getPoolEvents(admin, { eventName: "Committed", args }),
    revealed: () => getPoolEvents(admin, { eventName: "Revealed", args }),
    activeChanged: () => getPoolEvents(admin, { eventName: "ActiveChanged", args }),
    verified: () => getPoolEvents(admin, { eventName: "Verified", args }),
    slashed: () => getPoolEvents(admin, { eventName: "Slashed", args }),
    fined: () => getPoolEvents(admin, { eventName: "NoShowFined", args }),
    committedAttestations: () => getPoolEvents(admin, { eventName: "AttestationCommitted", args }),
    attested: () => getPoolEvents(admin, { eventName: "Attested", args }),
    feePaid: () => getPoolEvents(admin, { eventName: "FeePaid", args }),
    penalised: () => getPoolEvents(admin, { eventName: "Penalised", args }),
  };

  await until("7 commitments", async () => (await logs.committed()).length >= 7, 1000);
  log("every miner committed: moving chain time to the reveal window");
  await advanceTo(admin.publicClient, p.commitEnd + 1);
  await until("5 primary reveals", async () => (await logs.revealed()).length >= 5, 500);
  const split = Number(await admin.lensContract.read.backupRevealStart([round.roundId]));
  log("primaries revealed (one dropped out): moving to the backups' half");
  await advanceTo(admin.publicClient, split + 1);
  await until("the backup's take-over", async () => (await logs.activeChanged()).length >= 1, 500);
  log("the backup took over task 0: moving to the verify window");
  await advanceTo(admin.publicClient, p.revealEnd + 1);
  const reveals = await logs.revealed();
  // the oracles request the round's value and reveal their beacon secrets once the inner value
  // (the next block's hash) is fixed; the lazy one's stays back until the window closes
  const beacon = await until("the oracles' beacon reveals", async () => {
    const b = await readBeacon(admin, beaconSource, round.roundId);
    return b.revealsUntil !== 0 && b.revealed === VERIFIERS.length && b;
  });
  log(`${beacon.revealed} of ${beacon.committed} beacon secrets revealed; the lazy verifier withholds its own: moving past the beacon's reveal window`);
  await advanceTo(admin.publicClient, beacon.revealsUntil + 1);
  await until("the sample seed", async () => BigInt((await admin.poolContract.read.getRoundState([round.roundId])).seed) !== 0n);
  const sampled: typeof reveals = [];
  for (const r of reveals) if (await admin.lensContract.read.isSampled([round.roundId, r.args.task, r.args.slot])) sampled.push(r);
  log(`${sampled.length} of ${reveals.length} submissions sampled for re-training`);
  // The lazy verifier: seals each sampled claim it is drawn for as its own score, with no weights
  // digest (it trained nothing), commits in the commit phase and opens the seals in the reveal
  // phase; later it joins every disputed submission's escalation the same way.
  const echo = (r: (typeof reveals)[number]): AttestationSecret => ({ roundId: round.roundId, task: r.args.task, slot: r.args.slot, verifier: addr(LAZY), scoreBps: Number(r.args.claimedBps), weightsDigest: ZERO_DIGEST, salt: randomSalt() });
  const drawn = new Map<string, bigint[]>(); // submission → the key indices of the verifiers the round drew for it
  const keyOf = (r: (typeof reveals)[number]) => `${r.args.task}/${r.args.slot}`;
  for (const r of sampled) {
    const who: bigint[] = [];
    for (const i of [...VERIFIERS, LAZY]) if (await readIsDrawn(admin, round.roundId, r.args.task, r.args.slot, addr(i))) who.push(BigInt(i));
    drawn.set(keyOf(r), who);
  }
  const echoes: AttestationSecret[] = sampled.filter((r) => drawn.get(keyOf(r))!.includes(BigInt(LAZY))).map(echo);
  for (const e of echoes) await commitAttestation(lazy, e);
  log(`the round drew 3 of the 4 verifiers for each sampled submission; the lazy verifier, drawn for ${echoes.length}, echoed those claims, sealed with a zero digest`);
  const phases = await readAttestPhases(admin, round.roundId);
  const drawnCommits = sampled.length * 3;
  await until(`${drawnCommits} sealed commitments`, async () => (await logs.committedAttestations()).length >= drawnCommits, 1000);
  log("every drawn verifier committed its seals: moving to the reveal phase");
  await advanceTo(admin.publicClient, phases.commitEnd + 1);
  for (const e of echoes) await revealAttestation(lazy, e);
  await until(`${drawnCommits} drawn reveals`, async () => (await logs.attested()).length >= drawnCommits, 500);
  const disputed = [];
  for (const r of sampled) if (await readIsEscalated(admin, round.roundId, r.args.task, r.args.slot)) disputed.push(r);
  const undisputed = sampled.length - disputed.length;
  await until(`${undisputed} verifications`, async () => (await logs.verified()).length >= undisputed, 1000);
  if (disputed.length > 0) {
    // the drawn reveals of these disagree: the member not drawn (an oracle on standby with its
    // seal, or the lazy verifier, which echoes again) attests in the escalation phase
    log(`${undisputed} submissions decided by their drawn reveals; ${disputed.length} disputed (task ${disputed.map((r) => r.args.task).join(", ")}): moving to the escalation phase`);
    await advanceTo(admin.publicClient, phases.revealEnd + 1);
    const lateEchoes = disputed.filter((r) => !drawn.get(keyOf(r))!.includes(BigInt(LAZY))).map(echo);
    for (const e of lateEchoes) await commitAttestation(lazy, e);
    echoes.push(...lateEchoes);
    await until(`${disputed.length} escalation commitments`, async () => (await logs.committedAttestations()).filter((e) => e.args.escalation).length >= disputed.length, 1000);
    await advanceTo(admin.publicClient, phases.escalationCommitEnd + 1);
    for (const e of lateEchoes) await revealAttestation(lazy, e);
    await until(`${sampled.length} verifications`, async () => (await logs.verified()).length >= sampled.length, 1000);
  }
  const revealedAttestations = (await logs.attested()).length;
  const escalationAttestations = (await logs.committedAttestations()).filter((e) => e.args.escalation).length;
  log(`${revealedAttestations} attestations revealed (${escalationAttestations} in escalations); each submission was decided by its last reveal: moving past verify end and finalising`);
  await advanceTo(admin.publicClient, p.verifyEnd + 1);
  // a miner (they finalize too once the round is over) may get there first: that is fine
  await finalizeRound(admin, round.roundId, { serial: true });
  const codes = await until("the miners to withdraw and exit", async () => {
    const done = minerProcs.every((m) => m.exitCode !== null);
    return done ? Promise.all(exited) : undefined;
  }, 1000);
  log(`miners exited with codes ${codes.join(", ")}`);
  // the drop-out never comes back: anyone may settle its submission, which releases its stake less
  // the no-show fee (noShowBps of it, to the treasury) and records the no-show (performance 0) in
  // its on-chain history, raising its σ_p
  for (let t = 0n; t < BigInt(round.tasks.length); t++) {
    const primary = await admin.poolContract.read.getSubmission([round.roundId, t, 0n]);
    for (let slot = 0n; slot <= BigInt(primary.backups); slot++) {
      const sub = slot === 0n ? primary : await admin.poolContract.read.getSubmission([round.roundId, t, slot]);
      if (sub.status === 1 || sub.status === 2) {
        await sendPool(admin, "settle", [round.roundId, t, slot]);
        // the fee as the pool charged it (NoShowFined), not re-derived here
        const fee = (await settlementOf(admin, round.roundId, t, slot, sub.miner))?.noShowFee ?? 0n;
        log(`settled task ${t} slot ${slot} of ${sub.miner} on its behalf (stake released${fee > 0n ? `, less the no-show fee of ${fmtTokens(fee)}` : ""})`);
      }
    }
  }

  // the audit: recompute every payout from the logs alone, with the same code the web app runs
  const all = await getPoolEvents(admin);
  const state = await admin.poolContract.read.getRoundState([round.roundId]);
  const fees = await admin.committeeContract.read.roundFees([round.roundId]);
  const audit = auditRound({
    roundId: round.roundId,
    events: auditedEvents(all),
    state: { finalized: state.finalized, paid: BigInt(state.paid), forfeited: state.forfeited, sumP: BigInt(state.sumP), fees },
    seals: { chainId: admin.chain.id, pool: admin.pool },
  });
  const pot = audit.pot;
  const sumP = audit.sumP;
  const slashed = await logs.slashed();
  const takeovers = (await logs.activeChanged()).filter((e) => e.args.slot !== NO_SLOT).length;
  const rows = audit.rows.map((r) => ({ address: r.miner, task: r.task, slot: r.slot, P: Number(r.p), reward: r.paid ?? 0n, expectedReward: r.expected, unverified: r.unverified }));
  const paidOk = audit.verdict === "pass" && rows.every((r) => r.reward === r.expectedReward);
  const slashedMiners = [...new Set(slashed.map((s) => s.args.miner as Address))];
  const finedMiners = [...new Set((await logs.fined()).map((f) => f.args.miner as Address))];
  const cheater = addr(2);
  const backupAddr = addr(7);
  const lazyAddr = addr(LAZY);
  const feePaid = await logs.feePaid();
  const penalised = await logs.penalised();
  const cheaterSub = sampled.find((r) => r.args.miner === cheater);
  // the penalty for the withheld beacon secret is on no submission (task = slot = 2^256 - 1)
  const onBeacon = (e: (typeof penalised)[number]) => e.args.task === maxUint256 && e.args.slot === maxUint256;
  const beaconPenalised = await until("the beacon no-show's penalty", async () => (await logs.penalised()).some((e) => e.args.verifier === lazyAddr && onBeacon(e)));
  const lazyPenalties = penalised.filter((e) => e.args.verifier === lazyAddr && !onBeacon(e));
  const attestedAll = await logs.attested();
  const attestedBy = (v: Address) => attestedAll.filter((e) => e.args.verifier === v).length;
  const lazyEchoedCheater = cheaterSub !== undefined && echoes.some((e) => e.task === cheaterSub.args.task && e.slot === cheaterSub.args.slot);
  const lazyReport = {
    address: lazyAddr,
    echoed: echoes.length,
    echoedCheater: lazyEchoedCheater,
    fees: feePaid.filter((e) => e.args.verifier === lazyAddr).reduce((t, e) => t + e.args.fee, 0n),
    penalties: penalised.filter((e) => e.args.verifier === lazyAddr).reduce((t, e) => t + e.args.amount, 0n),
    penalisedOn: lazyPenalties.map((e) => ({ task: Number(e.args.task), slot: Number(e.args.slot) })),
  };
  const feesByVerifier = Object.fromEntries(
    [...VERIFIERS.map(addr), lazyAddr].map((v) => [v, feePaid.filter((e) => e.args.verifier === v).reduce((t, e) => t + e.args.fee, 0n)]),
  );
  // the miners' weights seals: every verdict's agreed digest (real re-trainings in the oracles'
  // workers) must open the seal the miner's own training made, except where the claim was fraud
  const verdicts = await logs.verified();
  const sealsOpened = await Promise.all(
    verdicts.map((v) => admin.poolContract.read.weightsSealOpens([v.args.roundId, v.args.task, v.args.slot, v.args.weightsDigest])),
  );
  const honestVerdicts = verdicts.filter((v) => !v.args.fraud);
  const checks = {
    "cheater slashed": slashedMiners.includes(cheater),
    "every honest miner's weights seal opened by the verifiers' agreed digest (its training and theirs bit for bit the same)":
      honestVerdicts.length > 0 && verdicts.every((v, i) => v.args.fraud || (BigInt(v.args.weightsDigest) !== 0n && sealsOpened[i])),
    "every sampled submission sealed and revealed by its three drawn verifiers, and by the fourth where disputed": revealedAttestations === sampled.length * 3 + disputed.length && escalationAttestations === disputed.length,
    "the honest verifiers were paid for each re-training they attested (their weights digests agree)": VERIFIERS.every((i) => feePaid.filter((e) => e.args.verifier === addr(i)).length === attestedBy(addr(i))),
    "the lazy verifier earned no fee for its echoes": lazyReport.fees === 0n,
    "the lazy verifier was penalised wherever it echoed the cheater's inflated claim, and only there":
      cheaterSub !== undefined &&
      JSON.stringify(lazyReport.penalisedOn) === JSON.stringify(lazyEchoedCheater ? [{ task: Number(cheaterSub.args.task), slot: Number(cheaterSub.args.slot) }] : []),
    "no honest verifier penalised": penalised.every((e) => e.args.verifier === lazyAddr),
    "the lazy verifier's withheld beacon secret made the round sample every submission, and cost it the penalty": beaconPenalised && sampled.length === reveals.length,
    "backup took over and was paid": takeovers >= 1 && rows.some((r) => r.address === backupAddr && r.reward > 0n),
    "the drop-out paid the no-show fee, and no one else": finedMiners.length === 1 && finedMiners[0] === addr(1),
    "payouts match R_i = P_i / ΣP × R_total": paidOk && rows.length >= 6,
    "audit from logs agrees with contract state": audit.checks.every((c) => c.ok),
    "every miner exited cleanly": codes.every((c) => c === 0),
    "no stake left locked": (await Promise.all(MINERS.map((i) => admin.poolContract.read.minerAccount([addr(i)])))).every((a) => a.locked === 0n),
  };
  console.log("\n  task slot miner                                       P      reward (PONAS)   expected");
  for (const r of rows) {
    console.log(`  ${String(r.task).padStart(4)} ${String(r.slot).padStart(4)} ${r.address}  ${String(r.P).padStart(5)}  ${Number(formatUnits(r.reward, 18)).toFixed(6).padStart(14)}  ${Number(formatUnits(r.expectedReward, 18)).toFixed(6).padStart(10)}`);
  }
  console.log(`  pot ${formatUnits(pot, 18)} PONAS (the reward), ΣP ${sumP}; forfeited to the treasury ${formatUnits(audit.forfeited, 18)} PONAS (slash and no-show fee)\n`);
  const on = [...lazyReport.penalisedOn.map((x) => `task ${x.task} slot ${x.slot}`), ...(beaconPenalised ? ["its withheld beacon secret"] : [])];
  console.log(`  lazy verifier ${lazyAddr}: echoed ${lazyReport.echoed} claims, fees ${fmtTokens(lazyReport.fees)}, penalised ${fmtTokens(lazyReport.penalties)} for ${on.join(" and ") || "nothing"}\n`);
  for (const [k, v] of Object.entries(checks)) console.log(`  ${v ? "✔" : "✘"} ${k}`);

  const seconds = Math.round((performance.now() - started) / 100) / 10;
  mkdirSync(dirname(opts.report), { recursive: true });
  writeFileSync(
    opts.report,
    JSON.stringify(
      {
        seconds,
        space: space.name,
        recipe: opts.recipe,
        roundId: Number(round.roundId),
        tasks: round.tasks.length,
        miners: rows.map((r) => ({ address: r.address, task: r.task, slot: r.slot, P: r.P, reward: r.reward.toString(), expectedReward: r.expectedReward.toString() })),
        slashed: slashedMiners,
        noShowFined: finedMiners,
        forfeited: audit.forfeited.toString(),
        backupTakeovers: takeovers,
        payoutsMatchFormula: paidOk,
        sampled: sampled.map((r) => ({ task: Number(r.args.task), slot: Number(r.args.slot), miner: r.args.miner })),
        disputed: disputed.map((r) => ({ task: Number(r.args.task), slot: Number(r.args.slot) })),
        escalationAttestations,
        verifierFees: Object.fromEntries(Object.entries(feesByVerifier).map(([k, v]) => [k, v.toString()])),
        lazyVerifier: { ...lazyReport, fees: lazyReport.fees.toString(), penalties: lazyReport.penalties.toString() },
        checks,
      },
      null,
      2,
    ) + "\n",
  );
  log(`wrote ${opts.report}`);
  rmSync(keysDir, { recursive: true, force: true });
  return Object.values(checks).every(Boolean);
}

let ok = false;
try {
  ok = await main();
} catch (e) {
  console.error(`demo failed: ${explainError(e)}`);
} finally {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  if (opts.keep && chain) {
    console.log(`chain left running on ${chain.url} with deployments/${opts.deployment}.json (Ctrl-C to stop)`);
    process.on("SIGINT", () => (chain!.stop(), process.exit(ok ? 0 : 1)));
  } else {
    chain?.stop();
    process.exit(ok ? 0 : 1);
  }
}
