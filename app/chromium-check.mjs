// Run first by `npm run test:app`: the web app's browser tests drive Debian Chromium through
// playwright-core (which downloads no browser here), so without one they cannot run. Failing here,
// at once and with the fix, beats a build and a stack trace later; and a skip would let `npm test`
// pass without testing the app (CI installs Chromium first, see .ci/run).
import { accessSync, constants } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
try {
  accessSync(chromium, constants.X_OK);
} catch {
  console.error(`error: the web app's browser tests need Chromium at ${chromium}: apt-get install -y chromium (or set CHROMIUM_PATH), then npm run test:app`);
  process.exit(1);
}
