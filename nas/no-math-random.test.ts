// Every random draw in the engine must be reproducible from a seed (nas/rng.ts). This fails when
// Math.random (or crypto randomness) appears in any source file under nas/.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

describe("no unseeded randomness in nas/", () => {
  const root = fileURLToPath(new URL(".", import.meta.url));
  const files = sources(root);

  it("scans the engine's sources", () => {
    expect(files.length).to.be.greaterThan(10);
    expect(files.some((f) => f.endsWith("rng.ts"))).to.equal(true);
  });

  it("the scan sees code, not comments", () => {
    const probe = "const x = 1; // Math.random is banned\n/* Math.random */ const y = Math.random();";
    const stripped = probe.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
    expect(stripped.match(/Math\.random/g)).to.have.length(1);
  });

  it("finds no Math.random, crypto.getRandomValues or randomBytes in them", () => {
    // comments may name what they avoid; code may not
    const code = (f: string) => readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
    const offenders = files.filter((f) => /Math\s*\.\s*random|getRandomValues|randomBytes|randomUUID/.test(code(f)));
    expect(offenders).to.deep.equal([]);
  });
});
