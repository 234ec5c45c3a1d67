// The NAS engine's codec on the server: describes a round's subspaces and revealed genomes in words
// and checks that the subspaces partition the space. Everything it computes comes from nas's light
// face ("@ponas/nas" = nas/space/index.ts, no TensorFlow); only locating the shipped spaces is
// here, because nas/space/files.ts finds them beside its own module, which a bundled route is not.
// POST { spaceId, tasks: [{mask, value}], genomes: [hex] }.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
import { checkPartition, describeGenome, describeSubspace, findSpaceById, type SearchSpace, type SpaceFile } from "@ponas/nas";
import { repoRoot } from "../../../lib/config.server";

export const dynamic = "force-dynamic";

/** The files of nas/spaces/, read one at a time (findSpaceById stops at the match). */
function* shippedSpaceFiles(): Generator<SpaceFile> {
  const dir = path.join(repoRoot(), "nas", "spaces");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    yield { source: f, text: readFileSync(path.join(dir, f), "utf8") };
  }
}

export async function POST(req: Request): Promise<Response> {
  const body = (await req.json()) as { spaceId: string; tasks: { mask: Hex; value: Hex }[]; genomes?: Hex[] };
  const space: SearchSpace | undefined = findSpaceById(shippedSpaceFiles(), body.spaceId)?.space;
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
  const partition = checkPartition(space, body.tasks);
  return Response.json({ space: space.name ?? body.spaceId, descriptions, genomes, partition });
}
