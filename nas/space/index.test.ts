// Keeps the light face light: follows every relative import from nas/space/index.ts and fails if
// any file it reaches imports a node: module, fs, path or TensorFlow — what would break the web
// app's bundle (or pull a native backend into a browser) without any type error to warn of it.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

/** Every module specifier in `source`: static imports and re-exports, side-effect imports, import(). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

const HEAVY = (spec: string) =>
  spec.startsWith("node:") || spec === "fs" || spec === "path" || spec.startsWith("fs/") || spec.startsWith("@tensorflow/");

/** Each reached file with the heavy specifiers it imports (empty when none). */
function walk(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    const specs = specifiers(readFileSync(file, "utf8"));
    seen.set(file, specs.filter(HEAVY));
    for (const s of specs.filter((s) => s.startsWith("."))) todo.push(join(dirname(file), s.replace(/\.js$/, ".ts")));
  }
  return seen;
}

describe("the light face (nas/space/index.ts)", () => {
  it("reaches no node: module, fs, path or @tensorflow/* through its imports", () => {
    const reached = walk(join(here, "index.ts"));
    expect(reached.size, "it reaches the codec files").to.be.greaterThan(5);
    const heavy = [...reached].filter(([, h]) => h.length > 0).map(([f, h]) => `${relative(root, f)} imports ${h.join(", ")}`);
    expect(heavy, "move file access into nas/space/files.ts and training into nas/train/").to.deep.equal([]);
  });

  it("the walk catches a heavy import (it would not pass vacuously)", () => {
    expect(walk(join(here, "files.ts")).get(join(here, "files.ts"))).to.include("node:fs");
    expect(specifiers('import x from "a";\nexport * from "./b.js";\nimport "c";\nawait import("d");\nimport type { T } from "e";')).to.have.members(["a", "./b.js", "c", "d", "e"]);
  });
});
