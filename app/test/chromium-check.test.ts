// `npm run test:app` starts with app/chromium-check.mjs: without Chromium it must stop with the
// fix in one line and a non-zero exit (never pass or skip), and with it carry on silently.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

const SCRIPT = fileURLToPath(new URL("../chromium-check.mjs", import.meta.url));
const run = (chromium: string) => spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, CHROMIUM_PATH: chromium }, encoding: "utf8" });

describe("test:app's Chromium check", () => {
  it("fails with the install command when Chromium is missing", () => {
    const r = run("/nonexistent/chromium");
    expect(r.status).to.equal(1);
    expect(r.stderr.trim()).to.equal("error: the web app's browser tests need Chromium at /nonexistent/chromium: apt-get install -y chromium (or set CHROMIUM_PATH), then npm run test:app");
  });

  it("passes quietly when Chromium is there", () => {
    const r = run(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium");
    expect(r.status).to.equal(0);
    expect(r.stderr).to.equal("");
  });

  it("is the first step of npm run test:app", () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["test:app"]).to.match(/^node app\/chromium-check\.mjs && /);
  });
});
