import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChainError } from "./errors.js";
import { KEY_ENV, loadAccount } from "./keys.js";
import { DEV_KEYS } from "./localChain.js";

describe("loadAccount", () => {
  const dir = mkdtempSync(join(tmpdir(), "ponas-keys-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("reads a key file (with or without 0x, trailing newline) and the environment variable", () => {
    const expected = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"; // Hardhat account #0
    expect(loadAccount(file("a", `${DEV_KEYS[0]}\n`)).address).to.equal(expected);
    expect(loadAccount(file("b", DEV_KEYS[0].slice(2))).address).to.equal(expected);
    expect(loadAccount(undefined, { [KEY_ENV]: DEV_KEYS[0] }).address).to.equal(expected);
  });

  it("fails with one line that never contains the key", () => {
    const bad = file("bad", "0x1234\n");
    expect(() => loadAccount(bad)).to.throw(ChainError, /does not hold a private key: expected 64 hex digits/);
    expect(() => loadAccount(join(dir, "missing"))).to.throw(ChainError, /cannot read key file .*missing: ENOENT/);
    expect(() => loadAccount(undefined, {})).to.throw(ChainError, /no signing key: pass --key-file <path> or set PONAS_PRIVATE_KEY/);
    const secret = "zz" + DEV_KEYS[1].slice(4);
    try {
      loadAccount(undefined, { [KEY_ENV]: secret });
      expect.fail("should throw");
    } catch (e) {
      expect((e as Error).message).to.not.include(secret);
    }
  });
});
