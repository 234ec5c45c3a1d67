// A JSON-RPC proxy that can be taken down, for outage tests and soak benchmarks: it forwards every
// HTTP request to `targetUrl` (a hardhat node, any JSON-RPC endpoint) and, while "down", is not
// there at all — its listening socket is closed and every open connection destroyed, so clients
// see what a crashed or unreachable node gives them (ECONNREFUSED on connect, a reset mid-request),
// not an HTTP error page. `up()` listens again on the same port, so a client's URL stays valid.
//
//   const p = await startFaultProxy(chain.url);      // p.url: http://127.0.0.1:<port>/
//   p.down(15_000);                                  // refused for 15 s, then back by itself
//   await p.up();                                    // or back now
//   p.stats                                          // { forwarded, failed, dropped, downs, down }
//   await p.close();
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface FaultProxyStats {
  /** Requests answered by the target and relayed. */
  forwarded: number;
  /** Requests the target itself failed (unreachable target): answered 502. */
  failed: number;
  /** Connections destroyed by `down()` (requests cut mid-way included). */
  dropped: number;
  /** Times `down()` took the proxy down. */
  downs: number;
  /** Whether it is down now. */
  down: boolean;
}

export interface FaultProxy {
  /** `http://<host>:<port>/`: the same before and after an outage. */
  url: string;
  port: number;
  /** Refuses connections until `up()`, or for `ms` milliseconds when given. Resolves once the socket is closed. */
  down(ms?: number): Promise<void>;
  /** Listens again (no-op when up). */
  up(): Promise<void>;
  close(): Promise<void>;
  readonly stats: FaultProxyStats;
}

export interface FaultProxyOptions {
  /** Default 0: any free port (then kept across outages). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export async function startFaultProxy(targetUrl: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const host = options.host ?? "127.0.0.1";
  const stats: FaultProxyStats = { forwarded: 0, failed: 0, dropped: 0, downs: 0, down: false };
  const sockets = new Set<Socket>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const relay = (req: IncomingMessage, res: ServerResponse) => {
    const out = httpRequest(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("end", () => stats.forwarded++);
      },
    );
    out.on("error", (e) => {
      stats.failed++;
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`fault proxy: target ${target.host} failed: ${e.message}\n`);
    });
    req.pipe(out);
  };

  const server: Server = createServer(relay);
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.removeListener("error", reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (server.address() as { port: number }).port;

  const up = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!stats.down || closed) return;
    await listen(port);
    stats.down = false;
  };
  const takeDown = async () => {
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    // server.close waits for open connections: keep-alive ones would carry on; cut them instead
    for (const s of sockets) {
      s.destroy();
      stats.dropped++;
    }
    await closing;
  };

  return {
    url: `http://${host}:${port}/`,
    port,
    stats,
    async down(ms?: number) {
      if (closed) return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!stats.down) {
        stats.down = true;
        stats.downs++;
        await takeDown();
      }
      if (ms !== undefined) timer = setTimeout(() => void up(), ms);
    },
    up,
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      if (!stats.down) await takeDown();
    },
  };
}
