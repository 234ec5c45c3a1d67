// The tabular benchmark: every architecture of a space trained once under a short recipe
// (written by `npm run bench:table`, committed under nas/bench/<space-id-prefix>.json). The
// simulation and the search tests evaluate genomes by looking them up here instead of training.
import { existsSync, readFileSync } from "node:fs";
import type { Hex } from "viem";
import { NasError } from "../errors.js";
import { spaceId, type SearchSpace } from "../space/space.js";
import type { TrainResult } from "../train/trainer.js";

export interface TableEntry {
  scoreBps: number;
  params: number;
  flops: number;
  seconds: number;
  weightsHash: Hex | null;
  reason?: string;
}

export interface Table {
  spaceId: Hex;
  space: string;
  recipeId: Hex;
  recipe: string;
  backend: string;
  tfjs: string;
  workers: number;
  createdAt: string;
  /** Wall time of the whole run (sum over resumed runs). */
  wallSeconds: number;
  entries: Record<string, TableEntry>;
}

/** The table entry of one training result (seconds to the millisecond): what bench:table and bench:space record. */
export function tableEntryOf(r: TrainResult): TableEntry {
  return {
    scoreBps: r.scoreBps,
    params: r.params,
    flops: r.flops,
    seconds: Math.round(r.seconds * 1000) / 1000,
    weightsHash: r.weightsHash,
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

/** nas/bench/<first 8 hex digits of the space id>.json */
export function tableUrl(space: SearchSpace): URL {
  return new URL(`./${spaceId(space).slice(2, 10)}.json`, import.meta.url);
}

/** The committed table of `space`; throws with the command that builds it when there is none. */
export function loadTable(space: SearchSpace, url: URL = tableUrl(space)): Table {
  if (!existsSync(url)) {
    throw new NasError(`no tabular benchmark for space "${space.name}" at ${url.pathname}: run npm run bench:table`);
  }
  const table = JSON.parse(readFileSync(url, "utf8")) as Table;
  if (table.spaceId !== spaceId(space)) {
    throw new NasError(`${url.pathname} was built for space ${table.spaceId}, not ${spaceId(space)}: rebuild it with npm run bench:table`);
  }
  return table;
}

/** An evaluator for the search strategies that reads scores from the table. */
export function tableEvaluator(table: Table): (genome: Hex) => Promise<TableEntry> {
  return async (genome) => {
    const e = table.entries[genome.toLowerCase()];
    if (!e) throw new NasError(`genome ${genome} is not in the benchmark table of space ${table.space}`);
    return e;
  };
}
