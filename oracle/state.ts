// What the verifier node remembers across restarts, in <state-dir>/state.json. The chain is the
// source of truth: the state only says where to resume reading events (`lastBlock`), which rounds
// may still need work (their events are read again from `openedBlock` after a restart, so no
// submission is missed), which commit, reveal and decide transactions were sent but not yet seen
// mined (so a restart waits for them instead of sending a second one), and the one thing the chain
// cannot hold: each sealed attestation's score, weights digest and secret salt, written before its
// commitment is sent (so a restart opens it in the reveal phase and never re-trains or re-salts
// it), and likewise each round's randomness-beacon secret (oracle/beacon.ts), written before its
// commitment is sent, so a restart reveals the secret it committed and never commits a second
// one. It is written atomically (nas's
// writeJsonAtomic: temp file, fsync, rename), so a SIGKILL or a power cut leaves either the old or
// the new file, never half of one.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Address, Hex } from "viem";
import { writeJsonAtomic } from "../nas/index.js";
import type { Seal } from "./attest.js";
import { OracleError } from "./errors.js";

export interface OracleState {
  chainId: number;
  pool: Address;
  verifier: Address;
  /** Every pool event up to and including this block has been read. */
  lastBlock: bigint;
  /** Rounds whose verify window had not ended when last seen, with the block they opened in. */
  rounds: Map<bigint, bigint>;
  /** "round/task/slot:step" (commit, reveal, decide) → hash of a transaction sent and not yet seen mined. */
  pendingTx: Map<string, Hex>;
  /** "round/task/slot" → the sealed attestation (score, digest, salt), kept until its round's verify window ends. */
  seals: Map<string, Seal>;
  /** Round → this verifier's secret for the round's randomness beacon, kept until its verify window ends. */
  beaconSecrets: Map<bigint, Hex>;
}

interface StateFile {
  /**
   * 1: before sealed attestations (no `seals`); 2: before the randomness beacon (no
   * `beaconSecrets`); both read, and written back as 3.
   */
  version: 1 | 2 | 3;
  chainId: number;
  pool: Address;
  verifier: Address;
  lastBlock: string;
  rounds: Record<string, string>;
  pendingTx: Record<string, Hex>;
  seals?: Record<string, Seal>;
  beaconSecrets?: Record<string, Hex>;
}

/** `.ponas/oracle-<verifier address>`: one state per verifier key. */
export function defaultStateDir(verifier: Address): string {
  return path.join(".ponas", `oracle-${verifier.toLowerCase()}`);
}

export class StateStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, "state.json");
  }

  /**
   * The saved state, or a fresh one starting just before `fromBlock` when there is none. Refuses
   * a state written for another pool, chain or verifier: resuming from its block would skip events.
   */
  load(identity: { chainId: number; pool: Address; verifier: Address; fromBlock: bigint }): OracleState {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        return { ...identity, lastBlock: identity.fromBlock - 1n, rounds: new Map(), pendingTx: new Map(), seals: new Map(), beaconSecrets: new Map() };
      }
      throw new OracleError(`cannot read ${this.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check --state-dir`);
    }
    let f: StateFile;
    try {
      f = JSON.parse(text) as StateFile;
      if ((f.version !== 1 && f.version !== 2 && f.version !== 3) || typeof f.lastBlock !== "string") throw new Error("unknown layout");
    } catch (e) {
      throw new OracleError(`${this.file} is not an oracle state file (${(e as Error).message}); delete it to read the chain again from the deployment block`);
    }
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    if (f.chainId !== identity.chainId || !same(f.pool, identity.pool) || !same(f.verifier, identity.verifier)) {
      throw new OracleError(
        `${this.file} belongs to verifier ${f.verifier} on pool ${f.pool} (chain ${f.chainId}), not ${identity.verifier} on ${identity.pool} (chain ${identity.chainId}); use another --state-dir`,
      );
    }
    return {
      ...identity,
      lastBlock: BigInt(f.lastBlock),
      rounds: new Map(Object.entries(f.rounds ?? {}).map(([k, v]) => [BigInt(k), BigInt(v)])),
      pendingTx: new Map(Object.entries(f.pendingTx ?? {})),
      seals: new Map(Object.entries(f.seals ?? {})),
      beaconSecrets: new Map(Object.entries(f.beaconSecrets ?? {}).map(([k, v]) => [BigInt(k), v])),
    };
  }

  save(s: OracleState): void {
    const f: StateFile = {
      version: 3,
      chainId: s.chainId,
      pool: s.pool,
      verifier: s.verifier,
      lastBlock: s.lastBlock.toString(),
      rounds: Object.fromEntries([...s.rounds].map(([k, v]) => [k.toString(), v.toString()])),
      pendingTx: Object.fromEntries(s.pendingTx),
      seals: Object.fromEntries(s.seals),
      beaconSecrets: Object.fromEntries([...s.beaconSecrets].map(([k, v]) => [k.toString(), v])),
    };
    writeJsonAtomic(this.file, f);
  }
}
