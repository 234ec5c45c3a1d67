// JSON-RPC proxy to the chain (PONAS_RPC) for the app's read-only client: the browser needs only
// the app's origin, and the RPC URL is chosen when the server starts, not at build time. It
// forwards read methods only (lib/rpcAllowlist.ts): the node may hold unlocked accounts, and this
// route is reachable by anyone who can reach the app. Bodies are capped at MAX_BODY_BYTES.
import { rpcUrl } from "../../../lib/config.server";
import { INVALID_REQUEST, MAX_BODY_BYTES, screenRpc, type RpcError } from "../../../lib/rpcAllowlist";

export const dynamic = "force-dynamic";

const json = (body: unknown, status = 200): Response => Response.json(body, { status });
const tooLarge = (): Response => json({ jsonrpc: "2.0", id: null, error: { code: INVALID_REQUEST, message: `request body is larger than ${MAX_BODY_BYTES} bytes; send smaller calls` } }, 413);

/** The body as text, or null once it passes MAX_BODY_BYTES (read no further: a huge body is not buffered). */
async function readCapped(req: Request): Promise<string | null> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

export async function POST(req: Request): Promise<Response> {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return tooLarge();
  const text = await readCapped(req);
  if (text === null) return tooLarge();
  const s = screenRpc(text);
  if (s.forward === undefined) return json(s.batch ? s.refused : s.refused[0], s.status);
  try {
    const res = await fetch(rpcUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(s.forward) });
    const answer = await res.text();
    if (!s.batch) return new Response(answer, { status: res.status, headers: { "content-type": "application/json" } });
    // a batch: the node's answers to the forwarded calls, then an error for each refused one
    const parsed = JSON.parse(answer) as unknown;
    return json([...(Array.isArray(parsed) ? parsed : [parsed]), ...s.refused], res.status);
  } catch (e) {
    const down: RpcError = { jsonrpc: "2.0", id: null, error: { code: -32603, message: `chain unreachable at ${rpcUrl()}: ${(e as Error).message}` } };
    return json(s.batch ? [down, ...s.refused] : down, 502);
  }
}
