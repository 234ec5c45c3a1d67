// The NAS engine's codec on the server (nas/ reads its spaces from disk): describes a round's
// subspaces and revealed genomes in words and checks that the subspaces partition the space.
// POST { spaceId, tasks: [{mask, value}], genomes: [hex] }.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
import { checkPartition } from "../../../../../chain/audit";
import { parseSpace, spaceId, type SearchSpace } from "../../../../../nas/space/space";
import { describeGenome } from "../../../../../nas/space/genome";
import { describeSubspace, enumerateSubspace, inSubspace } from "../../../../../nas/space/subspace";
import { repoRoot } from "../../../lib/config.server";

export const dynamic = "force-dynamic";

function findSpace(id: string): SearchSpace | undefined {
  const dir = path.join(repoRoot(), "nas", "spaces");
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    const space = parseSpace(JSON.parse(readFileSync(path.join(dir, f), "utf8")), f);
    if (spaceId(space).toLowerCase() === id.toLowerCase()) return space;
  }
  return undefined;
}

export async function POST(req: Request): Promise<Response> {
  const body = (await req.json()) as { spaceId: string; tasks: { mask: Hex; value: Hex }[]; genomes?: Hex[] };
  const space = findSpace(body.spaceId);
  if (!space) return Response.json({ error: `search space ${body.spaceId} is not shipped with this app` }, { status: 404 });
  const descriptions = body.tasks.map((t) => {
    try {
      return describeSubspace(space, t);
    } catch {
      return `${t.mask} / ${t.value} (not a valid subspace)`;
    }
  });
  const genomes = Object.fromEntries(
    (body.genomes ?? []).map((g) => {
      try {
        return [g, describeGenome(space, g)];
      } catch {
        return [g, g];
      }
    }),
  );
  const partition = checkPartition(enumerateSubspace(space), body.tasks, inSubspace);
  return Response.json({ space: space.name ?? body.spaceId, descriptions, genomes, partition });
}
