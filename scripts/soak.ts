// `npm run soak -- --rounds N`: the pool run unattended, with faults, on an embedded chain; writes
// reports/soak.json. Every role is its real CLI in its own process: `manager run` opens N rounds
// back to back and closes them; four verifiers (three oracles and a lazy one, `oracle --echo`);
// eight miners with `--rounds all` (an unreliable primary that commits and never reveals, a
// cheater claiming 100%, a backup, four honest and the operator's canary, `--canary`). Each node reaches the chain through a fault proxy
// of its own (its link), and all of those through one shared proxy (the endpoint), each an
// ops/faultProxy.ts. Each round injects:
//   - a kill -9 of a random node process (manager, oracle or miner), restarted a few seconds later;
//   - two RPC outages of 10–60 s (the proxy refuses every connection): one of the shared endpoint,
//     which every node sees at once, and one of a random node's own link;
//   - a burst of bad transactions from an outsider (claims in a closed round, a stake it does not
//     hold, an attestation of a non-member, a finalisation before its time, …), each of which
//     must be refused.
// Faults are placed inside windows: a fault starts at a random moment of the round's claim
// window, once it can end `--margin` seconds before the next deadline, of any live round, that
// the nodes it cuts off act on (a miner's claims, reveals; a verifier's beacon, attestations,
// decisions; the manager has none that loses anything: a late round opens late). It is judged as
// the fault starts; an outage waits up to a minute for room for its length, then is shortened to
// fit and reported with its real length; one that finds no room for 10 s is not injected. An outage across a deadline makes a miner miss it by design;
// the miner's tests cover that it says so in one line and goes on.
// After every round closes it checks token conservation (chain/conservation.ts) and at the end
// counts, from the chain's events: submissions, lost submissions (an honest miner's claim that
// never delivered), double and missed attestations (a drawn honest verifier that never revealed
// a sampled submission), stake still locked, and tokens paid to the cheater.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { Command } from "commander";
import { formatUnits, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { connectPool, DEV_KEYS, explainError, getPoolEvents, readAttestPhases, readConservation, sendCommittee, sendPool, sendToken, startLocalChain, type LocalChain, type PoolConnection } from "../chain/node.js";
import { startFaultProxy, type FaultProxy } from "../ops/faultProxy.js";
import { spawnCli, type Spawned } from "../ops/spawn.js";
import { DEFAULT_SPACE_URL } from "../nas/index.js";

const program = new Command()
  .name("soak")
  .option("--rounds <n>", "rounds the manager opens", "20")
  .option("--commit <s>", "commit window, seconds", "60")
  .option("--reveal <s>", "reveal window, seconds", "60")
  .option("--verify <s>", "verify window, seconds (≥ 4 × the beacon's delay bound)", "100")
  .option("--beacon <s>", "the randomness beacon's reveal window, seconds", "20")
  .option("--gap <s>", "seconds after a round's commit window before the next opens", "0")
  .option("--outage <min-max>", "outage length range, seconds", "10-60")
  .option("--margin <s>", "a fault ends at least this long before the next deadline", "10")
  .option("--commit-margin <s>", "miners stop searching this long before the commit deadline", "15")
  .option("--budget <n>", "architectures each miner trains per round", "2")
  .option("--seed <n>", "seed of the fault schedule", "1")
  .option("--report <path>", "report file", "reports/soak.json")
  .option("--logs <dir>", "keep every process's output here (default: a temp dir, removed)")
  .parse();
const o = program.opts<{ rounds: string; commit: string; reveal: string; verify: string; beacon: string; gap: string; outage: string; margin: string; commitMargin: string; budget: string; seed: string; report: string; logs?: string }>();
const ROUNDS = Number(o.rounds);
const [OUT_MIN, OUT_MAX] = o.outage.split("-").map(Number);
const MARGIN = Number(o.margin);

const started = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${msg}`);

// a seeded generator (mulberry32): the same --seed places the same faults
let rs = Number(o.seed) >>> 0;
const rand = () => {
  rs = (rs + 0x6d2b79f5) >>> 0;
  let t = rs;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

// roles: 0 manager, 1 unreliable primary, 2 cheater, 3 backup, 4..7 honest, 8 the operator's canary
// (an honest worker that under-claims: chain/canary.ts), 9..11 oracles, 12 lazy verifier, 13 outsider
const MINERS = [1, 2, 3, 4, 5, 6, 7, 8];
const DROP_OUT = 1;
const CHEATER = 2;
const BACKUP = 3;
const CANARY = 8;
const ORACLES = [9, 10, 11];
const LAZY = 12;
const OUTSIDER = 13;
const addr = (i: number) => privateKeyToAccount(DEV_KEYS[i]).address;

type Kind = "manager" | "miner" | "verifier";

interface Role {
  name: string;
  kind: Kind;
  /** This node's own link to the shared endpoint. */
  link?: FaultProxy;
  script: string;
  args: string[];
  proc?: Spawned;
  /** Set while the soak itself killed it: an exit then is not a crash. */
  killing?: boolean;
  crashes: number;
  restarts: number;
  done?: boolean;
}

let chain: LocalChain | undefined;
/** The shared endpoint every node's own link goes through. */
let proxy: FaultProxy | undefined;
const roles: Role[] = [];
let stopping = false;

function start(role: Role, logDir: string): void {
  const p = spawnCli(role.script, role.args);
  role.proc = p;
  const out = createWriteStream(join(logDir, `${role.name}.log`), { flags: "a" });
  p.proc.stdout!.on("data", (d) => out.write(d));
  p.proc.stderr!.on("data", (d) => out.write(d));
  void p.exited.then(({ code, signal }) => {
    out.end();
    if (stopping || role.killing) return;
    if (role.name === "manager" && code === 0) {
      role.done = true;
      return;
    }
    role.crashes++;
    log(`${role.name} exited (code ${code}, signal ${signal}) without being told to: restarting it`);
    setTimeout(() => !stopping && start(role, logDir), 1000);
  });
}

/** Every deadline of every round still live that a node of one of `kinds` acts on, in chain seconds. */
async function deadlines(c: PoolConnection, beacon: number, kinds: readonly Kind[]): Promise<number[]> {
  const miner = kinds.includes("miner");
  const verifier = kinds.includes("verifier");
  const n = Number(await c.poolContract.read.roundCount());
  const out: number[] = [];
  for (let r = Math.max(1, n - 4); r <= n; r++) {
    const p = await c.poolContract.read.getRound([BigInt(r)]);
    const split = Number(await c.lensContract.read.backupRevealStart([BigInt(r)]));
    const ph = await readAttestPhases(c, BigInt(r));
    if (miner) out.push(p.commitEnd, split, p.revealEnd);
    // the beacon's commits close at the first fixSampleSeed after revealEnd
    if (verifier) out.push(p.revealEnd, p.revealEnd + beacon + 4, Number(ph.challengeEnd), Number(ph.commitEnd), Number(ph.revealEnd), Number(ph.escalationCommitEnd), Number(ph.escalationRevealEnd), p.verifyEnd);
  }
  // the round the manager opens next (at the latest one's commitEnd + gap): its claims deadline
  // can fall inside a fault that starts before it opens
  if (miner && n > 0) {
    const latest = await c.poolContract.read.getRound([BigInt(n)]);
    out.push(latest.commitEnd + Number(o.gap) + 1 + Number(o.commit));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Seconds from now until the next deadline of any live round (or of the round the manager opens
 * next), less MARGIN: how long a fault starting now may last without spanning a deadline. Judged
 * when the fault is about to start, since rounds opened after it was scheduled add deadlines.
 */
async function roomNow(c: PoolConnection, beacon: number, kinds: readonly Kind[]): Promise<number> {
  const now = Number((await c.publicClient.getBlock()).timestamp);
  const next = (await deadlines(c, beacon, kinds)).find((d) => d > now);
  return next === undefined ? Number.MAX_SAFE_INTEGER : next - MARGIN - now;
}

/**
 * Runs `fault(room)` at a random moment of the next `withinS` seconds, once the room before the
 * next deadline that nodes of `kinds` act on is at least `want` seconds (looked at again every
 * 2 s); after a minute without, at least `min` seconds (for another minute); gives up (the fault
 * is not injected, nor counted) when no such moment comes or `over()`.
 */
function inject(c: PoolConnection, beacon: number, kinds: readonly Kind[], withinS: number, want: number, min: number, over: () => boolean, fault: (room: number) => void): void {
  let tries = 60;
  const attempt = async () => {
    if (over()) return;
    const room = await roomNow(c, beacon, kinds).catch(() => 0);
    if (room >= (tries > 30 ? want : min)) return fault(room);
    if (--tries > 0) setTimeout(() => void attempt(), 2000);
  };
  setTimeout(() => void attempt(), (2 + rand() * withinS) * 1000);
}

async function badTransactions(outsider: PoolConnection, roundId: bigint): Promise<{ sent: number; refused: number; accepted: string[] }> {
  const attempts: [string, () => Promise<unknown>][] = [
    ["claim in a round whose claims closed", () => sendPool(outsider, "claim", [roundId > 1n ? roundId - 1n : roundId, 0n])],
    ["claim a task that does not exist", () => sendPool(outsider, "claim", [roundId, 10_000n])],
    ["stake tokens not approved", () => sendPool(outsider, "stake", [parseUnits("1000000", 18)])],
    ["finalise a round in its windows", () => sendPool(outsider, "finalize", [roundId])],
    ["withdraw a submission that does not exist", () => sendPool(outsider, "withdraw", [roundId, 0n, 7n])],
    ["reveal with no commitment", () => sendPool(outsider, "reveal", [roundId, 0n, 0n, `0x${"00".repeat(32)}`, 9000, `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`])],
    ["sweep a round before it is final", () => sendPool(outsider, "sweep", [roundId])],
    ["withdraw verifier fees it never earned", () => sendCommittee(outsider, "withdrawFees", [])],
    ["enrol itself as a verifier", () => sendCommittee(outsider, "setVerifier", [outsider.account!.address, true])],
    ["pause the pool", () => sendPool(outsider, "pause", [])],
  ];
  const accepted: string[] = [];
  let refused = 0;
  for (const [what, send] of attempts) {
    try {
      await send();
      accepted.push(what);
    } catch {
      refused++;
    }
  }
  return { sent: attempts.length, refused, accepted };
}

async function main(): Promise<boolean> {
  process.env.PONAS_BEACON_REVEAL_WINDOW = o.beacon;
  const logDir = o.logs ?? mkdtempSync(join(tmpdir(), "ponas-soak-logs-"));
  mkdirSync(logDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "ponas-soak-"));
  // a block every second and chain time that follows the wall clock, as on a real chain: the
  // default dev node mines only on a transaction (chain time stands still while all wait) and
  // gives each block its own second (under load its clock runs ahead and windows shrink)
  chain = await startLocalChain({ name: `soak-${process.pid}`, realtime: true });
  proxy = await startFaultProxy(chain.url);
  log(`chain ${chain.url}, every node through its own fault proxy and the shared one ${proxy.url}; logs in ${logDir}`);
  const admin = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[0]), pollingInterval: 200 });
  const keyFile = (i: number) => {
    const p = join(work, `key${i}`);
    writeFileSync(p, DEV_KEYS[i] + "\n", { mode: 0o600 });
    return p;
  };
  for (const i of [...MINERS, ...ORACLES, LAZY, OUTSIDER]) await sendToken(admin, "transfer", [addr(i), parseUnits("20000", 18)]);
  const minVerifierStake = await admin.committeeContract.read.minVerifierStake();
  for (const i of [...ORACLES, LAZY]) {
    await sendCommittee(admin, "setVerifier", [addr(i), true]);
    const v = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[i]) });
    // the lazy one holds more, so that its penalties do not stop it attesting round after round
    const stake = i === LAZY ? 10n * minVerifierStake : 2n * minVerifierStake;
    await sendToken(v, "approve", [v.committee, stake]);
    await sendCommittee(v, "stakeVerifier", [stake]);
  }
  for (const i of MINERS) {
    const m = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[i]) });
    await sendToken(m, "approve", [m.pool, parseUnits("10000", 18)]);
    await sendPool(m, "stake", [parseUnits("10000", 18)]);
  }
  const outsider = await connectPool({ rpc: chain.url, pool: chain.name, account: privateKeyToAccount(DEV_KEYS[OUTSIDER]) });

  const config = join(work, "manager.json");
  writeFileSync(
    config,
    JSON.stringify({
      // the small MNIST space and its demo recipe: the soak tests the pool's mechanics, so its
      // training must stay seconds long (the manager's own default is the cell space)
      round: { tasks: 7, space: fileURLToPath(DEFAULT_SPACE_URL), recipe: "mnist-demo-v1", reward: "1000", feeBudget: "100", verifierFee: "1", commitSeconds: Number(o.commit), revealSeconds: Number(o.reveal), verifySeconds: Number(o.verify), toleranceBps: 300, sampleBps: 5000, topK: 3, quorum: 3, maxBackups: 2, maxTasksPerMiner: 1 },
      schedule: { rounds: ROUNDS, gapSeconds: Number(o.gap), settleAfterSeconds: 20 },
    }),
  );
  // each node's own link (a fault proxy) to the shared endpoint (another)
  const linked = async (name: string, kind: Kind, script: string, args: (rpc: string) => string[]): Promise<Role> => {
    const link = await startFaultProxy(proxy!.url);
    return { name, kind, link, script, args: args(link.url), crashes: 0, restarts: 0 };
  };
  const common = (rpc: string) => ["--rpc", rpc, "--pool", chain!.name];
  roles.push(await linked("manager", "manager", "manager/cli.ts", (rpc) => ["run", ...common(rpc), "--config", config, "--key-file", keyFile(0), "--state-dir", join(work, "manager"), "--poll-ms", "1000", "--rpc-wait", "600"]));
  for (const i of [...ORACLES, LAZY]) {
    roles.push(await linked(i === LAZY ? "lazy-verifier" : `oracle${i}`, "verifier", "oracle/cli.ts", (rpc) => [...common(rpc), "--key-file", keyFile(i), "--workers", "1", "--poll-ms", "500", "--rpc-wait", "600", "--state-dir", join(work, `oracle${i}`), ...(i === LAZY ? ["--echo"] : [])]));
  }
  for (const i of MINERS) {
    const extra = i === DROP_OUT ? ["--drop-out"] : i === CHEATER ? ["--inflate", "10000"] : i === BACKUP ? ["--backup"] : i === CANARY ? ["--canary"] : [];
    roles.push(await linked(`miner${i}`, "miner", "miner/cli.ts", (rpc) => [...common(rpc), "--key-file", keyFile(i), "--rounds", "all", "--budget", o.budget, "--strategy", "random", "--commit-margin", o.commitMargin, "--poll-ms", "500", "--state-dir", join(work, `miner${i}`), ...extra]));
  }
  for (const r of roles) start(r, logDir);
  const ALL: readonly Kind[] = ["manager", "miner", "verifier"];

  const beacon = Number(o.beacon);
  const faults = { kills: 0, outages: 0, outageSeconds: [] as number[], sharedOutageSeconds: [] as number[], linkOutages: {} as Record<string, number[]>, badTransactions: 0, badTransactionsAccepted: [] as string[] };
  const conservation: { round: number; ok: boolean; pool: string; committee: string }[] = [];
  const accounts = [...MINERS, ...ORACLES, LAZY, OUTSIDER].map(addr);
  /** Conservation after every round the manager closed (finalised and its fees swept); the last round checked. */
  const checkClosed = async (from: bigint, count: bigint): Promise<bigint> => {
    let through = from;
    for (let r = from + 1n; r <= count; r++) {
      const s = await admin.poolContract.read.getRoundState([r]);
      const f = await admin.committeeContract.read.roundFees([r]);
      if (!s.finalized || !f.swept) break;
      const c = await readConservation(admin, accounts);
      conservation.push({ round: Number(r), ok: c.ok, pool: `${c.pool.held}/${c.pool.owed}`, committee: `${c.committee.held}/${c.committee.owed}` });
      log(`round ${r} closed: tokens ${c.ok ? "conserved" : `NOT conserved (pool ${c.pool.held} held / ${c.pool.owed} owed, committee ${c.committee.held} / ${c.committee.owed})`}`);
      through = r;
    }
    return through;
  };
  let seenRound = 0n;
  let checkedThrough = 0n;
  const manager = roles[0];
  for (;;) {
    if (manager.done) break;
    const count = await admin.poolContract.read.roundCount();
    if (count > seenRound) {
      seenRound = count;
      log(`round ${count} opened`);
      // this round's faults, each at a random moment of the round's claim window, started only
      // where it ends MARGIN before the next deadline of any live round
      // a fault due once every round is closed would hit nothing: not injected, not counted
      const over = () => stopping || checkedThrough >= BigInt(ROUNDS);
      const victim = pick(roles.filter((r) => r.proc && !r.done));
      inject(admin, beacon, ALL, Number(o.commit), 5, 5, over, () => {
        if (!victim.proc || victim.killing) return;
        victim.killing = true;
        victim.proc.proc.kill("SIGKILL");
        faults.kills++;
        log(`kill -9 ${victim.name}`);
        void victim.proc.exited.then(() =>
          setTimeout(() => {
            victim.killing = false;
            victim.restarts++;
            if (!stopping) start(victim, logDir);
          }, 2000),
        );
      });
      const outage = (what: string, p: FaultProxy, kinds: readonly Kind[], record: (s: number) => void) => {
        const want = OUT_MIN + Math.floor(rand() * (OUT_MAX - OUT_MIN + 1));
        inject(admin, beacon, kinds, Number(o.commit), want, OUT_MIN, () => over() || p.stats.down, (room) => {
          const length = Math.min(want, room);
          void p.down(length * 1000);
          faults.outages++;
          faults.outageSeconds.push(length);
          record(length);
          log(`RPC outage of ${what} for ${length} s${length < want ? ` (${want} s wanted; cut to end ${MARGIN} s before a deadline)` : ""}`);
        });
      };
      outage("the shared endpoint", proxy!, ALL, (s) => faults.sharedOutageSeconds.push(s));
      const cut = pick(roles.filter((r) => r.link && !r.done));
      outage(`${cut.name}'s link`, cut.link!, [cut.kind], (s) => (faults.linkOutages[cut.name] ??= []).push(s));
      const bad = await badTransactions(outsider, count);
      faults.badTransactions += bad.sent;
      faults.badTransactionsAccepted.push(...bad.accepted);
    }
    checkedThrough = await checkClosed(checkedThrough, count);
    await new Promise((r) => setTimeout(r, 2000));
  }
  // the rounds the manager closed between the last look and its exit
  checkedThrough = await checkClosed(checkedThrough, await admin.poolContract.read.roundCount());
  stopping = true;
  await proxy.up();
  for (const r of roles) await r.link?.up();
  for (const r of roles) if (r.proc && r.proc.proc.exitCode === null) r.proc.proc.kill("SIGTERM");
  await Promise.all(roles.map((r) => r.proc?.exited));

  // ---- the loss columns, from the chain ----
  const claimed = await getPoolEvents(admin, { eventName: "Claimed" });
  const revealed = await getPoolEvents(admin, { eventName: "Revealed" });
  const withdrawn = await getPoolEvents(admin, { eventName: "Withdrawn" });
  const committed = await getPoolEvents(admin, { eventName: "AttestationCommitted" });
  const attested = await getPoolEvents(admin, { eventName: "Attested" });
  const penalised = await getPoolEvents(admin, { eventName: "Penalised" });
  const feePaid = await getPoolEvents(admin, { eventName: "FeePaid" });
  const key = (e: { args: { roundId: bigint; task: bigint; slot: bigint } }) => `${e.args.roundId}/${e.args.task}/${e.args.slot}`;
  const revealedKeys = new Set(revealed.map(key));
  const honest = new Set([BACKUP, 4, 5, 6, 7, 8].map((i) => addr(i).toLowerCase()));
  const byTask = new Map<string, typeof claimed>();
  for (const c of claimed) {
    const k = `${c.args.roundId}/${c.args.task}`;
    byTask.set(k, [...(byTask.get(k) ?? []), c]);
  }
  let lost = 0;
  const lostList: string[] = [];
  for (const [k, cs] of byTask) {
    const delivered = cs.some((c) => revealedKeys.has(key(c)));
    for (const c of cs) {
      if (!honest.has(String(c.args.miner).toLowerCase())) continue;
      // a primary must deliver; a backup must when nobody on its task did
      const must = c.args.slot === 0n || !delivered;
      if (must && !revealedKeys.has(key(c))) {
        lost++;
        lostList.push(`${key(c)} ${c.args.miner}`);
      }
    }
    void k;
  }
  const commitsBy = new Map<string, number>();
  for (const e of committed) commitsBy.set(`${key(e)}/${e.args.verifier}/${e.args.escalation}`, (commitsBy.get(`${key(e)}/${e.args.verifier}/${e.args.escalation}`) ?? 0) + 1);
  const doubleAttestations = [...commitsBy.values()].filter((n) => n > 1).length;
  // missed: a drawn honest oracle's sealed commit that was never opened, or a drawn oracle that never committed a sampled submission
  let missed = 0;
  const missedList: string[] = [];
  for (const r of revealed) {
    if (!(await admin.lensContract.read.isSampled([r.args.roundId, r.args.task, r.args.slot]))) continue;
    for (const i of ORACLES) {
      const drawn = await admin.committeeContract.read.isDrawn([r.args.roundId, r.args.task, r.args.slot, addr(i)]);
      if (!drawn) continue;
      if (!attested.some((a) => key(a) === key(r) && a.args.verifier === addr(i))) {
        missed++;
        missedList.push(`${key(r)} oracle${i}`);
      }
    }
  }
  const honestPenalties = penalised.filter((e) => ORACLES.some((i) => e.args.verifier === addr(i)));
  const cheaterPaid = withdrawn.filter((w) => w.args.miner === addr(CHEATER) && w.args.reward > 0n);
  let locked = 0n;
  for (const i of MINERS) locked += BigInt((await admin.poolContract.read.minerAccount([addr(i)])).locked);
  const lazyFees = feePaid.filter((e) => e.args.verifier === addr(LAZY)).reduce((t, e) => t + e.args.fee, 0n);
  // the canary's submissions: how many were verified (never fraud: it under-claims), and the lazy verifier's penalties on them
  const verifiedEvents = await getPoolEvents(admin, { eventName: "Verified" });
  const canaryKeys = new Set(revealed.filter((e) => e.args.miner === addr(CANARY)).map(key));
  const canaryVerdicts = verifiedEvents.filter((e) => canaryKeys.has(key(e)));
  const canary = {
    revealed: canaryKeys.size,
    verified: canaryVerdicts.length,
    fraud: canaryVerdicts.filter((e) => e.args.fraud).length,
    lazyPenalties: penalised.filter((e) => e.args.verifier === addr(LAZY) && canaryKeys.has(key(e))).length,
  };
  const lazyPenalty = penalised.filter((e) => e.args.verifier === addr(LAZY)).reduce((t, e) => t + e.args.amount, 0n);
  const rounds = Number(await admin.poolContract.read.roundCount());
  const conservationViolations = conservation.filter((c) => !c.ok).length + (conservation.length < rounds ? rounds - conservation.length : 0);
  const spread = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { count: sorted.length, min: sorted[0] ?? 0, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0, total: sorted.reduce((a, b) => a + b, 0) };
  };
  const { count: _all, ...outageSeconds } = spread(faults.outageSeconds);
  void _all;
  const report = {
    rounds,
    faults: { kills: faults.kills, outages: faults.outages, outageSeconds, sharedOutages: spread(faults.sharedOutageSeconds), linkOutages: spread(Object.values(faults.linkOutages).flat()), badTransactions: faults.badTransactions, badTransactionsAccepted: faults.badTransactionsAccepted.length, crashes: roles.reduce((t, r) => t + r.crashes, 0) },
    submissions: claimed.length,
    revealed: revealed.length,
    lostSubmissions: lost,
    doubleAttestations,
    missedAttestations: missed,
    honestVerifierPenalties: honestPenalties.length,
    conservationViolations,
    stakeLockedAtEnd: locked.toString(),
    cheatersPaid: cheaterPaid.length,
    lazyVerifier: { fees: formatUnits(lazyFees, 18), penalties: formatUnits(lazyPenalty, 18) },
    canary,
    wallSeconds: Math.round((performance.now() - started) / 1000),
    details: { lost: lostList, missed: missedList, linkOutages: faults.linkOutages, accepted: faults.badTransactionsAccepted, restarts: Object.fromEntries(roles.map((r) => [r.name, r.restarts])), crashes: Object.fromEntries(roles.map((r) => [r.name, r.crashes])) },
    settings: { commit: Number(o.commit), reveal: Number(o.reveal), verify: Number(o.verify), beacon, gap: Number(o.gap), outage: o.outage, margin: MARGIN, budget: Number(o.budget), seed: Number(o.seed) },
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`,
    date: new Date().toISOString(),
    commit: (() => {
      try {
        return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
      } catch {
        return null;
      }
    })(),
  };
  mkdirSync(dirname(o.report), { recursive: true });
  writeFileSync(o.report, JSON.stringify(report, null, 2) + "\n");
  log(`wrote ${o.report}: ${JSON.stringify({ rounds: report.rounds, faults: report.faults, lostSubmissions: lost, doubleAttestations, missedAttestations: missed, conservationViolations, stakeLockedAtEnd: report.stakeLockedAtEnd, cheatersPaid: report.cheatersPaid })}`);
  if (!o.logs) rmSync(logDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  return lost === 0 && doubleAttestations === 0 && missed === 0 && conservationViolations === 0 && locked === 0n && cheaterPaid.length === 0 && faults.badTransactionsAccepted.length === 0 && canary.fraud === 0 && rounds >= ROUNDS;
}

// stopped from outside (Ctrl-C, a CI timeout): take every child process down with us
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    stopping = true;
    for (const r of roles) r.proc?.proc.kill("SIGKILL");
    chain?.stop();
    process.exit(130);
  });
}

let ok = false;
try {
  ok = await main();
} catch (e) {
  console.error(`soak failed: ${explainError(e)}`);
  if (process.env.PONAS_DEBUG && e instanceof Error) console.error(e.stack);
} finally {
  stopping = true;
  for (const r of roles) if (r.proc && r.proc.proc.exitCode === null) r.proc.proc.kill("SIGKILL");
  for (const r of roles) await r.link?.close();
  await proxy?.close();
  chain?.stop();
  process.exit(ok ? 0 : 1);
}
