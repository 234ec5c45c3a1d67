// The light face of the NAS engine: the search-space codec and nothing that reads files, trains or
// searches — spaces and their ids, arities and sizes, the genome codec, subspaces, the cost model,
// the partitioner and the partition check. Browser-safe (no node: module, no TensorFlow), so the
// web app imports it as "@ponas/nas" (app/tsconfig.json) and bundles only this. index.test.ts
// walks the import graph from here and fails on anything heavier; nas/index.ts, the heavy face,
// re-exports all of this plus files, training, search and the bench tables.
export * from "../errors.js";
export * from "./space.js";
export * from "./genome.js";
export * from "./subspace.js";
export * from "./cost.js";
export * from "./partition.js";
export * from "./partitionCheck.js";
