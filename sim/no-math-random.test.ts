// The simulation is deterministic per seed only if every draw comes from nas/ Rng: this fails when
// Math.random or crypto randomness appears in the code (not the comments) of a sim/ source file.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

describe("no unseeded randomness in sim/", () => {
  it("finds no Math.random, getRandomValues, randomBytes or randomUUID in the sources", () => {
    const dir = fileURLToPath(new URL(".", import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(files).to.include.members(["events.ts", "speedup.ts", "completion.ts", "rewards.ts", "seeds.ts"]);
    const code = (f: string) =>
      readFileSync(join(dir, f), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
    expect(files.filter((f) => /Math\s*\.\s*random|getRandomValues|randomBytes|randomUUID/.test(code(f)))).to.deep.equal([]);
  });
});
