// First-load JS of each app route from the build output (Next 16 no longer prints it): the root
// main files plus the chunks of the client modules its layout and page reference, gzip-compressed.
// Usage: node app/route-sizes.mjs (after npm run app:build)
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import vm from "node:vm";

const next = path.join(path.dirname(new URL(import.meta.url).pathname), ".next");
const build = JSON.parse(readFileSync(path.join(next, "build-manifest.json"), "utf8"));
const size = (f) => gzipSync(readFileSync(path.join(next, f))).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const rows = [];
function walk(dir, route) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(path.join(dir, e.name), `${route}/${e.name}`);
    else if (e.name === "page_client-reference-manifest.js") {
      const ctx = { globalThis: {} };
      vm.runInNewContext(readFileSync(path.join(dir, e.name), "utf8"), ctx);
      const m = Object.values(ctx.globalThis.__RSC_MANIFEST)[0];
      const files = new Set(build.rootMainFiles);
      // every chunk of the client modules this route's server tree references (layout + page)
      for (const mod of Object.values(m.clientModules ?? {})) for (const f of mod.chunks ?? []) if (String(f).endsWith(".js")) files.add(String(f));
      const total = [...files].filter((f) => existsSync(path.join(next, f))).reduce((a, f) => a + size(f), 0);
      rows.push([route || "/", total]);
    }
  }
}
walk(path.join(next, "server", "app"), "");
rows.sort((a, b) => a[0].localeCompare(b[0]));
console.log("| route | first-load JS (gzip) |\n|---|---:|");
for (const [r, n] of rows) console.log(`| ${r} | ${kb(n)} |`);
