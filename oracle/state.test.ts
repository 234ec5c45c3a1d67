import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { OracleError } from "./errors.js";
import { defaultStateDir, StateStore } from "./state.js";

describe("oracle state", () => {
  let dir: string;
  const id = { chainId: 31337, pool: "0x5FbDB2315678afecb367f032d93F642f64180aa3", verifier: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", fromBlock: 5n } as const;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "oracle-state-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("starts just before the deployment block when there is no state, and round-trips what it saves", () => {
    const store = new StateStore(path.join(dir, "nested", "v"));
    const s = store.load(id);
    expect(s.lastBlock).to.equal(4n);
    expect(s.rounds.size).to.equal(0);
    s.lastBlock = 1234n;
    s.rounds.set(7n, 1200n);
    s.pendingTx.set("7/0/1:commit", "0xabc");
    const seal = { scoreBps: 7000, weightsDigest: `0x${"d1".repeat(32)}`, salt: `0x${"5a".repeat(32)}` } as const;
    s.seals.set("7/0/1", seal);
    const secret = `0x${"be".repeat(32)}` as const;
    s.beaconSecrets.set(7n, secret);
    store.save(s);
    expect(readdirSync(store.dir)).to.deep.equal(["state.json"]); // no temp file left behind
    const back = new StateStore(store.dir).load({ ...id, pool: id.pool.toLowerCase() as `0x${string}` });
    expect(back.lastBlock).to.equal(1234n);
    expect([...back.rounds]).to.deep.equal([[7n, 1200n]]);
    expect([...back.pendingTx]).to.deep.equal([["7/0/1:commit", "0xabc"]]);
    expect([...back.seals]).to.deep.equal([["7/0/1", seal]]); // the salt survives a restart
    expect([...back.beaconSecrets]).to.deep.equal([[7n, secret]]); // so does the beacon secret, keyed by round
    expect(JSON.parse(readFileSync(store.file, "utf8"))).to.include({ version: 3 }).and.have.property("beaconSecrets").that.deep.equals({ "7": secret });
  });

  it("reads a state written before sealed attestations (version 1) with no seals, and writes it back as version 3", () => {
    const store = new StateStore(dir);
    writeFileSync(store.file, JSON.stringify({ version: 1, chainId: id.chainId, pool: id.pool, verifier: id.verifier, lastBlock: "9", rounds: { "3": "8" }, pendingTx: {} }));
    const s = store.load(id);
    expect([s.lastBlock, s.seals.size, s.beaconSecrets.size]).to.deep.equal([9n, 0, 0]);
    store.save(s);
    expect(JSON.parse(readFileSync(store.file, "utf8"))).to.include({ version: 3 }).and.have.property("seals").that.deep.equals({});
  });

  it("reads a state written before the randomness beacon (version 2) with its seals and no beacon secrets, and writes it back as version 3", () => {
    const store = new StateStore(dir);
    const seal = { scoreBps: 6500, weightsDigest: `0x${"00".repeat(32)}`, salt: `0x${"11".repeat(32)}` };
    writeFileSync(store.file, JSON.stringify({ version: 2, chainId: id.chainId, pool: id.pool, verifier: id.verifier, lastBlock: "12", rounds: { "3": "8" }, pendingTx: { "3/0/0:reveal": "0xdef" }, seals: { "3/0/0": seal } }));
    const s = store.load(id);
    expect([s.lastBlock, s.beaconSecrets.size]).to.deep.equal([12n, 0]);
    expect([...s.seals]).to.deep.equal([["3/0/0", seal]]);
    expect([...s.pendingTx]).to.deep.equal([["3/0/0:reveal", "0xdef"]]);
    store.save(s);
    const f = JSON.parse(readFileSync(store.file, "utf8"));
    expect(f).to.include({ version: 3 }).and.have.property("beaconSecrets").that.deep.equals({});
    expect(f.seals).to.deep.equal({ "3/0/0": seal });
  });

  it("refuses another pool's or verifier's state and a corrupt file, in one line", () => {
    const store = new StateStore(dir);
    store.save(store.load(id));
    expect(() => store.load({ ...id, chainId: 1 })).to.throw(OracleError, /belongs to verifier .* on pool .* \(chain 31337\), not .*; use another --state-dir$/);
    expect(() => store.load({ ...id, verifier: "0x0000000000000000000000000000000000000001" })).to.throw(OracleError, /use another --state-dir/);
    writeFileSync(store.file, "{not json");
    expect(() => store.load(id)).to.throw(OracleError, /is not an oracle state file .*; delete it to read the chain again from the deployment block$/);
  });

  it("defaults to .ponas/oracle-<address>", () => {
    expect(defaultStateDir(id.verifier)).to.equal(path.join(".ponas", "oracle-0x70997970c51812dc3a010c7d01b50e0d17dc79c8"));
  });
});
