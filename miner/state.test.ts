// The persisted miner state: created once (the seed is not redrawn on restart), written atomically,
// and refused when it belongs to another round or miner or is corrupt.
import { expect } from "chai";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MinerError } from "./errors.js";
import { defaultStateDir, loadState, openState, saveState, stateFile } from "./state.js";

const ID = { chainId: 31337, pool: "0x00000000000000000000000000000000000000aa", roundId: "3", miner: "0x00000000000000000000000000000000000000Bb" } as const;

describe("miner state", () => {
  let dir: string;
  beforeEach(() => (dir = join(mkdtempSync(join(tmpdir(), "miner-state-")), "nested", "dir")));
  afterEach(() => rmSync(join(dir, "..", ".."), { recursive: true, force: true }));

  it("names the default directory after the miner and the round", () => {
    expect(defaultStateDir("0xABCDEF0000000000000000000000000000000001", 12n)).to.equal(join(".ponas", "miner-0xabcdef0000000000000000000000000000000001-round12"));
  });

  it("creates the state once, then reloads it unchanged (the seed is not redrawn)", () => {
    let draws = 0;
    const fresh = () => ({ seed: ++draws, strategy: "evolution" });
    const a = openState(dir, ID, fresh);
    expect(a.seed).to.equal(1);
    a.commit = { genome: "0x01", claimedBps: 7000, bestScoreBps: 7000, salt: "0x02", commitment: "0x03" };
    saveState(dir, a);
    const b = openState(dir, ID, fresh);
    expect(draws).to.equal(1);
    expect(b).to.deep.equal(a);
    // atomic writes leave no temp files behind
    expect(readdirSync(dir)).to.deep.equal(["state.json"]);
  });

  it("refuses a state dir of another round or miner, and a corrupt file, in one line", () => {
    openState(dir, ID, () => ({ seed: 1, strategy: "random" }));
    expect(() => openState(dir, { ...ID, roundId: "4" }, () => ({ seed: 1, strategy: "random" }))).to.throw(MinerError, /belongs to roundId 3, not 4; pass another --state-dir/);
    expect(() => openState(dir, { ...ID, miner: "0x00000000000000000000000000000000000000cc" }, () => ({ seed: 1, strategy: "random" }))).to.throw(MinerError, /belongs to miner/);
    // the address's case does not matter
    expect(() => openState(dir, { ...ID, miner: ID.miner.toLowerCase() as `0x${string}` }, () => ({ seed: 1, strategy: "random" }))).not.to.throw();
    writeFileSync(stateFile(dir), "{ half");
    expect(() => loadState(dir)).to.throw(MinerError, /is not JSON/);
    writeFileSync(stateFile(dir), JSON.stringify({ hello: 1 }));
    expect(() => loadState(dir)).to.throw(MinerError, /not a miner state file/);
    expect(readFileSync(stateFile(dir), "utf8")).to.contain("hello");
  });
});
