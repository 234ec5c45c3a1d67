// Spaces on disk: the default space, a shipped space found by its on-chain id (the space and its
// file, in one scan of nas/spaces/), and one-line errors for a missing or broken file.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SpaceError } from "../errors.js";
import { DEFAULT_SPACE_URL, defaultSpace, findShippedSpace, loadSpace, spaceById, spacePathById } from "./files.js";
import { findSpaceById, spaceId } from "./space.js";

describe("space files", () => {
  const space = defaultSpace();

  it("finds the shipped space by its on-chain id", () => {
    expect(spaceById(spaceId(space)).name).to.equal("mnist-conv-v1");
    expect(() => spaceById("0x" + "00".repeat(32))).to.throw(SpaceError, /no search space in nas\/spaces\/ has id/);
  });

  it("finds the space and its file in one go, for any case of the id", () => {
    const id = spaceId(space);
    const shipped = findShippedSpace(id.toUpperCase().replace("0X", "0x"));
    expect(shipped.space).to.deep.equal(space);
    expect(shipped.path).to.equal(fileURLToPath(DEFAULT_SPACE_URL));
    expect(spacePathById(id)).to.equal(shipped.path);
    expect(() => spacePathById("0x" + "00".repeat(32))).to.throw(SpaceError, /add its JSON file there/);
  });

  it("matches files given as text (what the web app hands in), stopping at the match", () => {
    const read: string[] = [];
    function* files() {
      for (const [source, text] of [["a.json", JSON.stringify(space)], ["b.json", "{ not json"]]) {
        read.push(source);
        yield { source, text };
      }
    }
    expect(findSpaceById(files(), spaceId(space))?.file.source).to.equal("a.json");
    expect(read).to.deep.equal(["a.json"]);
    expect(findSpaceById([{ source: "a.json", text: JSON.stringify(space) }], "0x" + "00".repeat(32))).to.equal(undefined);
  });

  it("says which file is missing or broken, in one line", () => {
    const dir = mkdtempSync(join(tmpdir(), "ponas-space-"));
    try {
      expect(() => loadSpace(join(dir, "none.json"))).to.throw(SpaceError, /^cannot read search space .*none\.json/);
      writeFileSync(join(dir, "bad.json"), "{ not json");
      expect(() => loadSpace(join(dir, "bad.json"))).to.throw(SpaceError, /bad\.json is not valid JSON/);
      writeFileSync(join(dir, "schema.json"), JSON.stringify({ ...space, classes: 1 }));
      expect(() => loadSpace(join(dir, "schema.json"))).to.throw(SpaceError, /schema\.json: `classes` must be an integer >= 2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
