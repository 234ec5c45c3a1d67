import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

// The app lives in app/ but imports the repo's own modules (deployments/abi.ts, chain/audit.ts,
// nas/space/*): the tracing root is the repository so those get traced.
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

const config: NextConfig = {
  outputFileTracingRoot: root,
  poweredByHeader: false,
  reactStrictMode: true,
  // The repo's modules import each other as ./x.js (node16 ESM) while the files are ./x.ts:
  // webpack's extensionAlias maps them (Turbopack has no equivalent yet, so builds use --webpack).
  webpack(cfg) {
    cfg.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"], ...cfg.resolve.extensionAlias };
    // nas/space/space.ts locates its bundled spaces with new URL("../spaces/", import.meta.url);
    // the app reads them itself (api/space), so leave those URLs alone instead of bundling a folder
    cfg.module.rules.push({ test: /[\\/]nas[\\/]space[\\/]space\.ts$/, parser: { url: false } });
    // chain/ (imported as @ponas/chain, a barrel) runs nothing when imported: marked side-effect
    // free, webpack keeps only the modules a page uses (the audit only on /audit, send only where
    // a page sends) instead of every module the barrel re-exports
    cfg.module.rules.push({ include: path.join(root, "chain"), exclude: /\.test\.ts$/, sideEffects: false });
    return cfg;
  },
};
export default config;
