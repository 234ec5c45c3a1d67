import { expect } from "chai";
import { freePort } from "../chain/localChain.js";
import { OracleMetrics, serveMetrics } from "./metrics.js";

describe("oracle metrics server", () => {
  it("serves the node's metrics, a health probe that follows the node, and 404 elsewhere", async () => {
    const m = new OracleMetrics();
    m.attestations.inc(2);
    m.trainingSeconds.observe(1.5);
    m.jobsPending.set(4);
    let healthy = true;
    const server = await serveMetrics(m, () => ({ ok: healthy, lastBlock: 7 }), await freePort());
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const text = await (await fetch(`${url}/metrics`)).text();
      expect(text).to.match(/^ponas_oracle_attestations_total 2$/m);
      expect(text).to.match(/^ponas_oracle_jobs_pending 4$/m);
      expect(text).to.match(/^ponas_oracle_training_seconds_bucket\{le="2"\} 1$/m);
      expect(text).to.match(/^ponas_oracle_mismatches_total 0$/m);
      const ok = await fetch(`${url}/healthz`);
      expect([ok.status, await ok.json()]).to.deep.equal([200, { ok: true, lastBlock: 7 }]);
      healthy = false;
      expect((await fetch(`${url}/healthz`)).status).to.equal(503);
      expect((await fetch(`${url}/nope`)).status).to.equal(404);
    } finally {
      await server.close();
    }
  });
});
