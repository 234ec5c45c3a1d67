// The verifier node's part in the pool's randomness beacon (contracts/randomness/BeaconRandomness.sol,
// chain/actions/beacon.ts), when the pool's source is one: the beacon mixes a secret of every
// committee member that commits into the round's value, which draws the sample and the verifiers,
// so the builder of the inner source's target block cannot choose the sample. For every round it
// verifies, the node
//  1. commits a fresh secret as soon as it sees the round (commits close when the pool requests
//     the value, at the first fixSampleSeed after revealEnd; a commit the request beat is missed,
//     which is fine: the beacon goes on without it). The secret is PERSISTED (state.json's
//     beaconSecrets) before the commitment is sent;
//  2. reveals it once the inner value is fixed (revealsUntil != 0) and until revealsUntil. The
//     node's own fixSampleSeed calls fix the inner value and then, once every committer revealed
//     or the window closed, the seed; it runs this step before it waits for the seed, which
//     cannot come before its reveal;
//  3. once the value is fixed, penalises every committer of the round that never revealed
//     (penaliseNoShow: anyone may; one call each; one another caller was first to is no error).
// Crash safety is attest.ts's pattern: what the chain has is read back (entryOf) rather than
// remembered. Entry 0 while commits are open: (re)send the commitment of the persisted secret (a
// restart never draws a second one); the commitment of the persisted secret: committed, reveal
// when the window opens; 1: revealed; a commitment whose secret state.json lacks: the state was
// lost, said once (it will be penalised). A commit or reveal sent before a crash or an RPC error
// is in pendingTx ("round/beacon:step") and waited for before anything is sent again.
//
// Only rounds the node verifies (it ships their recipe, it is in their committee): its own
// fixSampleSeed calls early in the verify window are what open the reveals while it still holds
// the secret, which is forgotten with the round's seals when the verify window ends.
import type { Address, ContractErrorName, Hash, Hex } from "viem";
import type { beaconRandomnessAbi } from "../deployments/abi.js";
import { beaconCommitment, commitBeacon, penaliseBeaconNoShow, randomSecret, readBeacon, readBeaconEntry, readBeaconNoShows, revealBeacon, type BeaconState } from "../chain/actions/beacon.js";
import { receiptIfAny } from "../chain/actions/receipt.js";
import type { PoolClient } from "../chain/client.js";
import { explainError, isRevertError, poolError } from "../chain/errors.js";
import type { Persisted } from "./attest.js";
import type { Logger } from "../ops/log.js";
import type { OracleMetrics } from "./metrics.js";

export interface BeaconContext {
  /** Signs as the verifier. */
  conn: PoolClient;
  chainId: number;
  verifier: Address;
  /** The pool's BeaconRandomness (readBeaconSource). */
  source: Address;
  /** Round → this verifier's secret: written before its commitment is sent. */
  secrets: Persisted<Hex, bigint>;
  /** Transactions sent and not yet seen mined, by "round/beacon:commit" and "round/beacon:reveal". */
  pending: Persisted<Hash>;
  log: Logger;
  metrics: Pick<OracleMetrics, "beaconCommits" | "beaconReveals" | "beaconNoShows">;
  /** Told what the step waits on next, for the node's health and retry logs. */
  waitingFor(what: string): void;
  /** Most blocks per eth_getLogs request when the no-shows are read. */
  blockRange?: bigint;
}

/** What the beacon needs of a round the node follows. */
export interface BeaconRound {
  id: bigint;
  /** No commitment to the round's beacon is older: where the no-shows' events are read from. */
  openedBlock: bigint;
  revealEnd: number;
}

/**
 * Where this verifier stands in a round's beacon, in memory (the chain and state.json are the
 * record): open · not yet known what the chain has of ours (first look, a restart), or our commit
 * still to send · committed: our commitment of the persisted secret is on chain, to be revealed ·
 * revealed · idle: nothing of ours left to send (commit missed, reveal missed, secret lost,
 * penalised) · done: the value is fixed and its no-shows penalised.
 */
export type BeaconPhase = "open" | "committed" | "revealed" | "idle" | "done";

type BeaconError = ContractErrorName<typeof beaconRandomnessAbi>;

const isZero = (h: Hex) => BigInt(h) === 0n;
const same = (a: Address, b: Address) => a.toLowerCase() === b.toLowerCase();

export class BeaconParticipant {
  private readonly phases = new Map<bigint, BeaconPhase>();

  constructor(private readonly ctx: BeaconContext) {}

  /** This verifier's phase in round `id`'s beacon ("open" until it has looked). */
  phaseOf(id: bigint): BeaconPhase {
    return this.phases.get(id) ?? "open";
  }

  /** Rounds whose commitment is on chain and not yet revealed (for /healthz). */
  unrevealed(): number {
    return [...this.phases.values()].filter((p) => p === "committed").length;
  }

  /** The round's verify window ended (its secret is dropped from the state by the caller, with its seals). */
  forget(id: bigint): void {
    this.phases.delete(id);
  }

  /** The chain was reset under the node: everything is read again. */
  reset(): void {
    this.phases.clear();
  }

  /**
   * One look at round `r`'s beacon at chain time `now`: commit, reveal or penalise, whichever the
   * chain says is due. RPC trouble is thrown (the node retries the whole look with backoff); an
   * unnamed revert is logged and tried again on the next look, so the node's attestations go on.
   */
  async step(r: BeaconRound, now: number): Promise<void> {
    let phase = this.phaseOf(r.id);
    if (phase === "done") return;
    // committed or settled: nothing moves before the request, which the pool makes after revealEnd
    if (phase !== "open" && now <= r.revealEnd) return;
    const { conn, source } = this.ctx;
    this.ctx.waitingFor(`round ${r.id}'s randomness beacon`);
    const b = await readBeacon(conn, source, r.id);
    try {
      if (phase === "open") phase = this.set(r.id, await this.resume(r, b));
      if (phase === "committed") phase = this.set(r.id, await this.reveal(r, b, now));
      if (!isZero(b.value)) {
        if (phase === "committed") {
          this.ctx.log.warn({ round: Number(r.id) }, "missed the beacon reveal: the round's value was fixed before this verifier revealed; it will be penalised");
        }
        await this.penaliseNoShows(r, b);
        this.set(r.id, "done");
      }
    } catch (e) {
      if (!isRevertError(e)) throw e;
      this.ctx.log.warn({ round: Number(r.id), error: explainError(e) }, "beacon step refused; trying again on the next look");
    }
  }

  private set(id: bigint, phase: BeaconPhase): BeaconPhase {
    this.phases.set(id, phase);
    return phase;
  }

  private commitmentOf(id: bigint, secret: Hex): Hex {
    return beaconCommitment(this.ctx.chainId, this.ctx.source, this.ctx.conn.pool, id, this.ctx.verifier, secret);
  }

  /** Waits for a transaction of `step` sent before a crash or an RPC error, if any; its hash when it was mined and succeeded, else null. */
  private async earlier(id: bigint, step: "commit" | "reveal"): Promise<Hash | null> {
    const k = `${id}/beacon:${step}`;
    const hash = this.ctx.pending.get(k);
    if (!hash) return null;
    this.ctx.waitingFor(`earlier beacon ${step} transaction ${hash}`);
    const rc = await receiptIfAny(this.ctx.conn, hash);
    this.ctx.pending.delete(k); // mined (either way) or dropped: nothing in flight any more
    return rc?.status === "success" ? hash : null;
  }

  /** First look (or a look after an unclear send): what the chain holds of ours, and the commit if it is still to send. */
  private async resume(r: BeaconRound, b: BeaconState): Promise<BeaconPhase> {
    const { ctx } = this;
    const round = Number(r.id);
    await this.earlier(r.id, "commit"); // its outcome is in the entry read next
    ctx.waitingFor(`this verifier's entry in round ${r.id}'s beacon`);
    const entry = await readBeaconEntry(ctx.conn, ctx.source, r.id, ctx.verifier);
    const secret = ctx.secrets.get(r.id);
    switch (entry.kind) {
      case "revealed":
        ctx.log.debug({ round }, "beacon secret already revealed");
        return "revealed";
      case "penalised":
        ctx.log.error({ round }, "penalised as a beacon no-show: this verifier's commitment was never revealed");
        return "idle";
      case "committed":
        if (secret && entry.commitment === this.commitmentOf(r.id, secret)) {
          ctx.log.debug({ round, commitment: entry.commitment }, "beacon commitment already on chain");
          return "committed";
        }
        // never logged: the secret (nor a guess at it); the commitment is public
        ctx.log.error({ round, commitment: entry.commitment }, "cannot reveal the beacon commitment: its secret is not in state.json (state lost); it will be penalised");
        return "idle";
      case "none":
        if (b.requested) return this.missedCommit(r);
        return this.commit(r, secret);
    }
  }

  private missedCommit(r: BeaconRound): BeaconPhase {
    // not an error: the beacon's value is the inner value mixed with the secrets that did go in
    this.ctx.log.info({ round: Number(r.id) }, "missed the beacon commit: the pool had already requested the round's value");
    return "idle";
  }

  private async commit(r: BeaconRound, persisted: Hex | undefined): Promise<BeaconPhase> {
    const { ctx } = this;
    let secret = persisted;
    if (!secret) {
      secret = randomSecret();
      // on disk before the commitment is sent: a restart reveals this secret, never commits a second
      ctx.secrets.set(r.id, secret);
    }
    const k = `${r.id}/beacon:commit`;
    ctx.waitingFor(`beacon commit round ${r.id}`);
    try {
      const { hash } = await commitBeacon(ctx.conn, ctx.source, r.id, secret, { serial: true, onSent: (h) => ctx.pending.set(k, h) });
      ctx.pending.delete(k);
      ctx.metrics.beaconCommits.inc();
      ctx.log.info({ round: Number(r.id), commitment: this.commitmentOf(r.id, secret), tx: hash }, "beacon committed");
      return "committed";
    } catch (e) {
      // An RPC error keeps the hash: the transaction may still be mined, and the next look waits for it.
      if (!isRevertError(e)) throw e;
      ctx.pending.delete(k);
      switch (poolError(e)?.name as BeaconError | undefined) {
        case "BeaconRandomnessCommitsClosed":
          return this.missedCommit(r);
        case "BeaconRandomnessAlreadyCommitted":
          return "open"; // an earlier send landed after all: the next look reads which commitment
        case "BeaconRandomnessNotMember":
          ctx.log.warn({ round: Number(r.id), reason: explainError(e) }, "not a member of the round's beacon: not committing");
          return "idle";
        default:
          throw e;
      }
    }
  }

  /** Reveals the persisted secret if the reveals are open; the phase that follows. */
  private async reveal(r: BeaconRound, b: BeaconState, now: number): Promise<BeaconPhase> {
    const { ctx } = this;
    const round = Number(r.id);
    if (b.revealsUntil === 0 || !isZero(b.value)) return "committed"; // not open yet; or fixed (the caller says missed)
    const earlier = await this.earlier(r.id, "reveal");
    if (earlier) return this.revealed(r, earlier, " (earlier transaction)");
    if (now > b.revealsUntil) return this.missedReveal(r, b);
    const secret = ctx.secrets.get(r.id)!; // "committed" means the chain holds this secret's commitment
    const k = `${r.id}/beacon:reveal`;
    ctx.waitingFor(`beacon reveal round ${r.id}`);
    try {
      const { hash } = await revealBeacon(ctx.conn, ctx.source, r.id, secret, { serial: true, onSent: (h) => ctx.pending.set(k, h) });
      ctx.pending.delete(k);
      return this.revealed(r, hash, "");
    } catch (e) {
      if (!isRevertError(e)) throw e;
      ctx.pending.delete(k);
      switch (poolError(e)?.name as BeaconError | undefined) {
        case "BeaconRandomnessRevealsClosed":
          return this.missedReveal(r, b);
        case "BeaconRandomnessNotCommitted":
          return "open"; // nothing unrevealed of ours: an earlier reveal landed; the next look reads the entry
        case "BeaconRandomnessWrongSecret":
          ctx.log.error({ round, reason: explainError(e) }, "the beacon secret in state.json does not open this verifier's commitment: it stays unrevealed");
          return "idle";
        default:
          throw e;
      }
    }
  }

  private revealed(r: BeaconRound, tx: Hash, earlier: string): BeaconPhase {
    this.ctx.metrics.beaconReveals.inc();
    this.ctx.log.info({ round: Number(r.id), tx }, `beacon revealed${earlier}`);
    return "revealed";
  }

  private missedReveal(r: BeaconRound, b: BeaconState): BeaconPhase {
    this.ctx.log.warn({ round: Number(r.id), revealsUntil: b.revealsUntil }, "missed the beacon reveal: its window closed before this verifier revealed; it will be penalised");
    return "idle";
  }

  /** Once the value is fixed: every committer that neither revealed nor was penalised yet, one call each (this verifier's own left to the others). */
  private async penaliseNoShows(r: BeaconRound, b: BeaconState): Promise<void> {
    if (b.revealed >= b.committed) return; // everyone revealed: no events to read
    const { ctx } = this;
    const round = Number(r.id);
    ctx.waitingFor(`round ${r.id}'s beacon no-shows`);
    const noShows = await readBeaconNoShows(ctx.conn, ctx.source, r.id, { fromBlock: r.openedBlock, blockRange: ctx.blockRange });
    for (const member of noShows) {
      // a node does not pay gas to fine itself; any other member's node does it
      if (same(member, ctx.verifier)) continue;
      ctx.waitingFor(`penalising beacon no-show ${member} in round ${r.id}`);
      try {
        const { hash } = await penaliseBeaconNoShow(ctx.conn, ctx.source, r.id, member, { serial: true });
        ctx.metrics.beaconNoShows.inc();
        ctx.log.info({ round, member, tx: hash }, "beacon no-show penalised");
      } catch (e) {
        if (!isRevertError(e) || poolError(e)?.name !== ("BeaconRandomnessNotCommitted" satisfies BeaconError)) throw e;
        // another caller was first (every member's node polices the beacon)
        ctx.log.debug({ round, member }, "beacon no-show already penalised");
      }
    }
  }
}
