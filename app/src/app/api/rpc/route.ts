// JSON-RPC proxy to the chain (PONAS_RPC) for the app's read-only client: the browser needs only
// the app's origin, and the RPC URL is chosen when the server starts, not at build time.
import { rpcUrl } from "../../../lib/config.server";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  const body = await req.text();
  try {
    const res = await fetch(rpcUrl(), { method: "POST", headers: { "content-type": "application/json" }, body });
    return new Response(await res.text(), { status: res.status, headers: { "content-type": "application/json" } });
  } catch (e) {
    return Response.json({ jsonrpc: "2.0", id: null, error: { code: -32603, message: `chain unreachable at ${rpcUrl()}: ${(e as Error).message}` } }, { status: 502 });
  }
}
