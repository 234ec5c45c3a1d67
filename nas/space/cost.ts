// Analytic cost of an architecture: parameters and forward FLOPs, computed from the genome alone
// so the partitioner can balance tasks without TensorFlow. The trainer reports the same figures
// for the model it builds (its tests check the two agree), so there is one formula per family:
// the conv family here (genes depth, filters, kernel, norm, activation, pool, head, dropout),
// the others in families/, chosen by the space file's `family`.
import { cellCost } from "./families/cell.js";
import { genomeValues } from "./genome.js";
import type { SearchSpace } from "./space.js";

export interface ArchCost {
  /** Trainable and non-trainable parameters (batch-norm moving stats included), as tfjs counts them. */
  params: number;
  /** Forward-pass floating-point operations per image (2 per multiply-add). */
  flops: number;
}

/** The cost formula of each space family (SearchSpace.family; "conv" when a space names none). */
const COSTS: Record<string, (space: SearchSpace, genome: string) => ArchCost> = { conv: convCost, cell: cellCost };

export function archCost(space: SearchSpace, genome: string): ArchCost {
  return COSTS[space.family ?? "conv"](space, genome);
}

/** Shape bookkeeping for the conv space family: "same" convs, 2×2 "valid" pooling after each block. */
function convCost(space: SearchSpace, genome: string): ArchCost {
  const v = genomeValues(space, genome);
  const depth = Number(v.depth);
  const filters = Number(v.filters);
  const k = Number(v.kernel);
  const batchNorm = v.norm === "batch";
  const head = Number(v.head);
  let h = space.input.height;
  let w = space.input.width;
  let c = space.input.channels;
  let params = 0;
  let macs = 0;
  for (let b = 0; b < depth; b++) {
    // conv (no bias when batch-norm follows: its beta plays that role)
    params += k * k * c * filters + (batchNorm ? 0 : filters);
    macs += h * w * k * k * c * filters;
    if (batchNorm) params += 4 * filters; // gamma, beta, moving mean, moving variance
    c = filters;
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
  }
  let features = h * w * c;
  if (head > 0) {
    params += features * head + head;
    macs += features * head;
    features = head;
  }
  params += features * space.classes + space.classes;
  macs += features * space.classes;
  return { params, flops: 2 * macs };
}

/**
 * Why `genome` is outside the space's declared limits (SearchSpace.limits), in one line; null when
 * it is within them or the space declares none.
 */
export function limitBreach(space: SearchSpace, genome: string): string | null {
  if (!space.limits) return null;
  const c = archCost(space, genome);
  const over: string[] = [];
  if (c.params > space.limits.params) over.push(`${c.params} parameters (the space allows ${space.limits.params})`);
  if (c.flops > space.limits.flops) over.push(`${c.flops} FLOPs per image (the space allows ${space.limits.flops})`);
  return over.length ? `over the limits of space ${space.name}: ${over.join(", ")}` : null;
}

/**
 * Estimated training cost in FLOPs: forward + backward ≈ 3 × forward, per training image and
 * epoch. What the partitioner balances; the evaluation pass is small next to it and ignored.
 */
export function trainingFlops(space: SearchSpace, genome: string, trainImages: number, epochs: number): number {
  return 3 * archCost(space, genome).flops * trainImages * epochs;
}
