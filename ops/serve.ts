// /metrics (Prometheus text from a prom-client Registry) and /healthz (200 when the role's
// health says ok, else 503, with the health as JSON) for every long-running role: the oracle,
// `manager run` and the miner's `--rounds`. Binds 127.0.0.1 unless told otherwise.
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export interface Health {
  ok: boolean;
  [k: string]: unknown;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves /metrics and /healthz (200 when `health().ok`, else 503) on 127.0.0.1:`port` (or `host`). */
export async function serveMetrics(metrics: { registry: Registry }, health: () => Health, port: number, host = "127.0.0.1"): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405).end();
    } else if (url === "/metrics") {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        (e: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(e.message),
      );
    } else if (url === "/healthz") {
      const h = health();
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h));
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("try /metrics or /healthz\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
