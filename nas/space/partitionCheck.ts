// The partition rule a round's tasks must follow: every genome of the space in exactly one task.
// The manager's partitioner builds tasks that way (partition.ts); this checks a given list of
// tasks (a round read from the chain, say) against it, with the engine's own enumeration and
// membership test, so the web app's audit page and the engine cannot disagree about the codec.
// Pure: part of the browser-safe face (nas/space/index.ts).
import type { Hex } from "viem";
import type { SearchSpace } from "./space.js";
import { enumerateSubspace, inSubspace, type Subspace } from "./subspace.js";

export interface PartitionCheck {
  size: number;
  covered: number;
  uncovered: number;
  overlapping: number;
  /** A few example genomes for the failures. */
  examples: { genome: Hex; tasks: number[] }[];
  ok: boolean;
}

/** Checks that `tasks` cover every genome of `space` exactly once (a full scan of the space). */
export function checkPartition(space: SearchSpace, tasks: readonly Subspace[]): PartitionCheck {
  let size = 0;
  let covered = 0;
  let uncovered = 0;
  let overlapping = 0;
  const examples: PartitionCheck["examples"] = [];
  for (const g of enumerateSubspace(space)) {
    size++;
    const hits = tasks.flatMap((t, i) => (inSubspace(g, t) ? [i] : []));
    if (hits.length === 1) covered++;
    else {
      if (hits.length === 0) uncovered++;
      else overlapping++;
      if (examples.length < 5) examples.push({ genome: g, tasks: hits });
    }
  }
  return { size, covered, uncovered, overlapping, examples, ok: size > 0 && uncovered === 0 && overlapping === 0 };
}
