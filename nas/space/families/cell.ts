// The cell family (NAS-Bench-201 style, Dong & Yang 2020): a stem conv, then stages of identical
// cells separated by residual reduction blocks, then batch-norm, ReLU, global average pooling and
// a dense softmax. A cell is a DAG of 4 nodes; each of its 6 edges i→j (i < j) applies one op to
// node i, and node j is the sum of its incoming edges:
//
//   none | skip | conv 1×1 | conv 3×3 | avg-pool 3×3      (convs are ReLU → conv → batch-norm)
//
// Genes, macro first: stages (cells are at width w, 2w, 4w…; each new stage halves the image),
// cells per stage, stem width w, then the six edges in NAS-Bench-201's order. This file is the
// family's shape bookkeeping, shared by the analytic cost (params, FLOPs) and the model builder
// (nas/train/families/cell.ts), so the two cannot disagree about which layers exist.
import type { ArchCost } from "../cost.js";
import { genomeValues } from "../genome.js";
import type { SearchSpace } from "../space.js";

export const CELL_OPS = ["none", "skip", "conv1x1", "conv3x3", "avg3x3"] as const;
export type CellOp = (typeof CELL_OPS)[number];
/** The cell's edges [from, to], in NAS-Bench-201's order (and the genes' order). */
export const CELL_EDGES = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
] as const;
export const CELL_MACRO_GENES = ["stages", "cells", "width"] as const;
export const CELL_EDGE_GENES = ["e01", "e02", "e12", "e03", "e13", "e23"] as const;

export interface CellArch {
  stages: number;
  cells: number;
  width: number;
  /** One op per edge of CELL_EDGES. */
  ops: CellOp[];
  /**
   * The edges that become layers: those on a path from the cell's input (node 0) to its output
   * (node 3) through edges that are not "none". The others would compute nothing that reaches
   * the output, and a functional model keeps only what does.
   */
  live: boolean[];
}

export function cellArch(space: SearchSpace, genome: string): CellArch {
  const v = genomeValues(space, genome);
  const ops = CELL_EDGE_GENES.map((g) => String(v[g]) as CellOp);
  for (const op of ops) if (!CELL_OPS.includes(op)) throw new Error(`unsupported cell op "${op}"`);
  const from0 = [true, false, false, false];
  for (const [k, [i, j]] of CELL_EDGES.entries()) if (ops[k] !== "none" && from0[i]) from0[j] = true;
  const to3 = [false, false, false, true];
  for (let k = CELL_EDGES.length - 1; k >= 0; k--) {
    const [i, j] = CELL_EDGES[k];
    if (ops[k] !== "none" && to3[j]) to3[i] = true;
  }
  const live = CELL_EDGES.map(([i, j], k) => ops[k] !== "none" && from0[i] && to3[j]);
  return { stages: Number(v.stages), cells: Number(v.cells), width: Number(v.width), ops, live };
}

/** Output size of a "same" convolution or pooling with stride s. */
const down = (n: number) => Math.ceil(n / 2);

export function cellCost(space: SearchSpace, genome: string): ArchCost {
  const a = cellArch(space, genome);
  let h = space.input.height;
  let w = space.input.width;
  let params = 0;
  let macs = 0;
  const conv = (k: number, cin: number, cout: number, oh: number, ow: number, bn: boolean) => {
    params += k * k * cin * cout + (bn ? 4 * cout : 0); // no conv bias: batch-norm's beta plays that role
    macs += oh * ow * k * k * cin * cout;
  };
  let c = a.width;
  conv(3, space.input.channels, c, h, w, true); // stem
  for (let s = 0; s < a.stages; s++) {
    if (s > 0) {
      // reduction: ReLU-conv3×3/2-BN, ReLU-conv3×3-BN, beside avg-pool 2×2/2 → conv 1×1
      const cout = 2 * c;
      h = down(h);
      w = down(w);
      conv(3, c, cout, h, w, true);
      conv(3, cout, cout, h, w, true);
      conv(1, c, cout, h, w, false);
      c = cout;
    }
    for (let n = 0; n < a.cells; n++) {
      a.ops.forEach((op, k) => {
        if (!a.live[k]) return;
        if (op === "conv1x1") conv(1, c, c, h, w, true);
        if (op === "conv3x3") conv(3, c, c, h, w, true);
      });
    }
  }
  params += 4 * c + c * space.classes + space.classes; // final batch-norm, dense softmax
  macs += c * space.classes;
  return { params, flops: 2 * macs };
}
