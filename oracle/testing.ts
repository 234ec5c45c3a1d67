// Helpers for the verifier node's integration tests, on top of chain/testing.ts (chain, funding,
// rounds, chain time, waitFor): verifiers and miners staked in the pool, claim/commit/reveal done
// the way a miner does it (commitment from the contract's own computeCommitment view), sealed
// attestations committed and revealed by hand (chain's commitAttestation/revealAttestation), who
// the round drew for a submission, the escalation's phases (after chain/testing.ts's windows), the
// committee's commit and reveal events, captured logs and an RPC proxy that can be switched off.
// Not a test file: tests import it. Everything goes through the pool client (chain's sendPool/sendToken, getPoolEvents) and the
// real contract; nothing here re-implements a pool rule.
//
//   const t = await startTestChain("oracle-node");            // chain/testing.ts
//   const v = await t.connect(DEV_KEYS[1]); await addVerifier(t.admin, v);
//   const m = await t.connect(DEV_KEYS[3]); await addMiner(t.admin, m);
//   const round = await openTestRound(t.admin, { tasks: 2 });          // quorum 3: enrol three verifiers
//   const c = await claimAndCommit(m, round, 0, genomeAt(round.space, round.tasks[0], 0), 7000);
//   await enterWindow(t.admin, round, "reveal"); await reveal(m, c);
//   await enterWindow(t.admin, round, "verify");             // verifiers commit now
//   await enterWindow(t.admin, round, "attest-reveal");      // …and reveal now
//   await enterWindow(t.admin, round, "attest-decide");      // undisputed: decided; disputed: escalation commits
//   await enterEscalation(t.admin, round, "reveal");         // escalation seals are opened
//   await enterEscalation(t.admin, round, "decide");         // a disputed submission is decided
//   …; t.stop();
import { createServer } from "node:http";
import { Writable } from "node:stream";
import { keccak256, stringToHex, type Address, type Hex } from "viem";
import { advanceTo, sealFor, commitAttestation, fixSeed, getPoolEvents, randomSalt, readAttestPhases, readIsDrawn, revealAttestation, sendCommittee, sendPool, sendToken, ZERO_DIGEST, type AttestationSecret, type PoolConnection } from "../chain/node.js";
import { fund, TOKEN, type TestRound } from "../chain/testing.js";
import { createLogger, type Logger } from "../ops/log.js";

/** Makes `v` an active verifier of the pool's committee, staked at the minimum (funded by the admin). */
export async function addVerifier(admin: PoolConnection, v: PoolConnection): Promise<void> {
  const min = await admin.committeeContract.read.minVerifierStake();
  const me = v.account!.address;
  await fund(admin, me, min);
  await sendCommittee(admin, "setVerifier", [me, true]);
  await sendToken(v, "approve", [v.committee, min]);
  await sendCommittee(v, "stakeVerifier", [min]);
}

/** Funds `m` and stakes `stake` (default 1000 PONAS) in the pool, enough for several claims. */
export async function addMiner(admin: PoolConnection, m: PoolConnection, stake = 1000n * TOKEN): Promise<void> {
  await fund(admin, m.account!.address, stake);
  await sendToken(m, "approve", [m.pool, stake]);
  await sendPool(m, "stake", [stake]);
}

export interface Commitment {
  roundId: bigint;
  task: bigint;
  /** 0: the primary (claimAndCommit claims as primary). */
  slot: bigint;
  miner: Address;
  genome: Hex;
  scoreBps: number;
  salt: Hex;
  /** The weights digest the reveal seals (chain's sealFor): the reference training's for an honest miner. */
  weightsDigest: Hex;
}

/** Claims `task` as primary and commits to `genome` with `scoreBps` (during the claim window). */
export async function claimAndCommit(m: PoolConnection, round: TestRound, task: number, genome: Hex, scoreBps: number, weightsDigest: Hex = ZERO_DIGEST): Promise<Commitment> {
  const miner = m.account!.address;
  const t = BigInt(task);
  const salt = keccak256(stringToHex(`salt:${miner}:${round.roundId}:${task}`));
  await sendPool(m, "claim", [round.roundId, t]);
  const commitment = await m.poolContract.read.computeCommitment([round.roundId, t, miner, genome, scoreBps, salt]);
  await sendPool(m, "commit", [round.roundId, commitment]);
  return { roundId: round.roundId, task: t, slot: 0n, miner, genome, scoreBps, salt, weightsDigest };
}

/** Reveals a commitment (during the primaries' half of the reveal window). */
export async function reveal(m: PoolConnection, c: Commitment): Promise<void> {
  await sendPool(m, "reveal", [c.roundId, c.task, c.slot, c.genome, c.scoreBps, c.salt, sealFor(m, c.roundId, c.task, c.weightsDigest)]);
}

/**
 * Verifier `v` seals `scoreBps` (and `weightsDigest`, default zero: score only) for task `task`'s
 * primary and commits it by hand (in the commit phase where the round drew `v`, or in the
 * escalation phase of a disputed submission where it did not), fixing the sample seed first as a
 * node does: a third verifier for a quorum of three whose score the test already knows, without a
 * third training. Returns what revealByHand needs.
 */
export async function commitByHand(v: PoolConnection, roundId: bigint, task: number, scoreBps: number, weightsDigest: Hex = ZERO_DIGEST): Promise<AttestationSecret> {
  await fixSeed(v, roundId);
  const a: AttestationSecret = { roundId, task: BigInt(task), slot: 0n, verifier: v.account!.address, scoreBps, weightsDigest, salt: randomSalt() };
  await commitAttestation(v, a);
  return a;
}

/** Opens a commitByHand seal (in the reveal phase matching its commit). */
export async function revealByHand(v: PoolConnection, a: AttestationSecret): Promise<void> {
  await revealAttestation(v, a);
}

/**
 * Splits `verifiers` into those the round's randomness drew for task `task`'s primary
 * (committee.isDrawn) and the others, each in the given order. `c` fixes the sample seed first if
 * nobody has (in the verify window: nothing is drawn before it); it must not be a connection a
 * running node signs with, whose nonces it would race.
 */
export async function drawnOf(c: PoolConnection, roundId: bigint, task: number, verifiers: PoolConnection[]): Promise<{ drawn: PoolConnection[]; others: PoolConnection[] }> {
  await fixSeed(c, roundId);
  const drawn: PoolConnection[] = [];
  const others: PoolConnection[] = [];
  for (const v of verifiers) ((await readIsDrawn(c, roundId, BigInt(task), 0n, v.account!.address)) ? drawn : others).push(v);
  return { drawn, others };
}

/**
 * Jumps chain time to the first second of a disputed submission's escalation-reveal phase
 * ("reveal") or of its decide phase, past the escalation ("decide"), from the lens's
 * attestPhases. Its escalation-commit phase starts where chain/testing.ts's "attest-decide" does.
 */
export async function enterEscalation(c: PoolConnection, round: TestRound, phase: "reveal" | "decide"): Promise<void> {
  const p = await readAttestPhases(c, round.roundId);
  await advanceTo(c.publicClient, (phase === "reveal" ? p.escalationCommitEnd : p.escalationRevealEnd) + 1);
}

/** AttestationCommitted events of a round (optionally only `verifier`'s). */
export async function commitments(c: PoolConnection, roundId: bigint, verifier?: Address) {
  return getPoolEvents(c, { eventName: "AttestationCommitted", args: verifier ? { roundId, verifier } : { roundId } });
}

/** Attested events (the reveals) of a round (optionally only `verifier`'s). */
export async function attestations(c: PoolConnection, roundId: bigint, verifier?: Address) {
  return getPoolEvents(c, { eventName: "Attested", args: verifier ? { roundId, verifier } : { roundId } });
}

export interface CapturedLogger {
  logger: Logger;
  /** Every log line so far, parsed. */
  lines: Record<string, unknown>[];
  /** Lines whose `msg` is `msg`. */
  find(msg: string): Record<string, unknown>[];
}

/** A pino logger that keeps its JSON lines in memory (and prints them when $ORACLE_TEST_LOG is set). */
export function captureLogs(base: Record<string, unknown> = {}, level = "debug"): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) {
        lines.push(JSON.parse(l));
        if (process.env.ORACLE_TEST_LOG) process.stdout.write(l + "\n");
      }
      done();
    },
  });
  return { logger: createLogger({ name: "oracle", level, destination, base }), lines, find: (msg) => lines.filter((l) => l.msg === msg) };
}

export interface RpcProxy {
  url: string;
  /** While true, every connection is dropped (an RPC outage). */
  down: boolean;
  close(): Promise<void>;
}

/** An HTTP JSON-RPC proxy in front of `target` that a test can switch off and on. */
export async function rpcProxy(target: string): Promise<RpcProxy> {
  const proxy: RpcProxy = { url: "", down: false, close: async () => undefined };
  const server = createServer(async (req, res) => {
    if (proxy.down) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      const r = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
      res.writeHead(r.status, { "content-type": "application/json" }).end(Buffer.from(await r.arrayBuffer()));
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

