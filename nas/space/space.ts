// Search spaces as data: a space is one JSON file under nas/spaces/ with ordered genes (macro
// decisions first), each with named options. Its id is keccak256 of the RFC 8785 canonical JSON,
// the same bytes32 the pool contract stores as `spaceId`; its arities are the `bytes32` the
// contract checks genomes against (byte i = number of options of gene i, 0 = unused).
// Pure (no file access), so the browser-safe face nas/space/index.ts can offer it; reading space
// files from disk is nas/space/files.ts.
import canonicalize from "canonicalize";
import { keccak256, stringToBytes, type Hex } from "viem";
import { SpaceError } from "../errors.js";

export type OptionValue = string | number;

export interface GeneOption {
  value: OptionValue;
  /** Human label; the genome description joins these with ", ". */
  label: string;
}

export interface Gene {
  name: string;
  options: GeneOption[];
}

export interface SearchSpace {
  name: string;
  description: string;
  input: { height: number; width: number; channels: number };
  classes: number;
  genes: Gene[];
  /**
   * The model family that turns a genome into a network (nas/train/model.ts) and into its cost
   * (nas/space/cost.ts); "conv" when absent, which keeps the first space's id unchanged.
   */
  family?: (typeof FAMILIES)[number];
  /**
   * The most a genome of the space may cost: parameters and forward FLOPs per image, as
   * nas/space/cost.ts counts them. What bounds a verifier's re-training. The contract cannot
   * evaluate a family's cost formula, so it checks only the arities; the trainer scores a genome
   * over a limit 0 without training it (every miner and verifier alike), which makes claiming one
   * a slashable false claim. Absent: no bound beyond the genes'.
   */
  limits?: { params: number; flops: number };
}

/** The families the engine can build, and the genes each requires. */
export const FAMILIES = ["conv", "cell"] as const;
const FAMILY_GENES: Record<(typeof FAMILIES)[number], string[]> = {
  conv: ["depth", "filters", "kernel", "norm", "activation", "pool", "head", "dropout"],
  cell: ["stages", "cells", "width", "e01", "e02", "e12", "e03", "e13", "e23"],
};

/** The most genes a bytes32 genome holds. */
export const MAX_GENES = 32;
/** The most options a gene may have (a gene is one byte). */
export const MAX_OPTIONS = 255;

/** Checks the schema and returns the space; throws SpaceError naming the first problem. */
export function parseSpace(json: unknown, source = "space"): SearchSpace {
  const fail = (msg: string): never => {
    throw new SpaceError(`${source}: ${msg}`);
  };
  if (typeof json !== "object" || json === null) fail("must be a JSON object");
  const s = json as Partial<SearchSpace>;
  if (typeof s.name !== "string" || !/^[a-z0-9][a-z0-9-]*$/.test(s.name)) fail("`name` must be a lower-case slug");
  if (typeof s.description !== "string") fail("`description` must be a string");
  const inp = s.input;
  if (!inp || ![inp.height, inp.width, inp.channels].every((v) => Number.isInteger(v) && v > 0)) {
    fail("`input` must be {height, width, channels} of positive integers");
  }
  if (!Number.isInteger(s.classes) || (s.classes as number) < 2) fail("`classes` must be an integer >= 2");
  if (!Array.isArray(s.genes) || s.genes.length === 0 || s.genes.length > MAX_GENES) {
    fail(`\`genes\` must be a list of 1..${MAX_GENES} genes`);
  }
  const names = new Set<string>();
  s.genes!.forEach((g, i) => {
    if (typeof g?.name !== "string" || g.name === "") fail(`gene ${i} needs a \`name\``);
    if (names.has(g.name)) fail(`gene name "${g.name}" is used twice`);
    names.add(g.name);
    if (!Array.isArray(g.options) || g.options.length === 0 || g.options.length > MAX_OPTIONS) {
      fail(`gene "${g.name}" must have 1..${MAX_OPTIONS} options`);
    }
    const labels = new Set<string>();
    g.options.forEach((o, j) => {
      if (typeof o?.value !== "string" && typeof o?.value !== "number") {
        fail(`gene "${g.name}" option ${j}: \`value\` must be a string or a number`);
      }
      if (typeof o.label !== "string" || o.label === "" || o.label.includes(",")) {
        fail(`gene "${g.name}" option ${j}: \`label\` must be a non-empty string without commas`);
      }
      if (labels.has(o.label)) fail(`gene "${g.name}": label "${o.label}" is used twice`);
      labels.add(o.label);
    });
  });
  if (s.limits !== undefined) {
    const l = s.limits as Partial<Record<string, unknown>>;
    const ok = typeof l === "object" && l !== null && Object.keys(l).sort().join() === "flops,params" && [l.params, l.flops].every((v) => Number.isSafeInteger(v) && (v as number) > 0);
    if (!ok) fail("`limits` must be {params, flops}: the most parameters and forward FLOPs per image a genome may have, positive integers");
  }
  if (s.family !== undefined && !FAMILIES.includes(s.family)) fail(`\`family\` must be one of ${FAMILIES.join(", ")}`);
  // a space that declares its family must carry that family's genes (spaces without one, the
  // first conv space and the tests' toy spaces, are checked when a model is built)
  const missing = s.family === undefined ? [] : FAMILY_GENES[s.family].filter((g) => !names.has(g));
  if (missing.length) fail(`the ${s.family} family needs gene${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  return s as SearchSpace;
}

/** A space file's text, checked; SpaceError when it is not JSON or breaks the schema. */
export function parseSpaceText(text: string, source: string): SearchSpace {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SpaceError(`search space ${source} is not valid JSON: ${(e as Error).message}`);
  }
  return parseSpace(json, source);
}

/** A space file as read by whoever can read files: where it came from (for messages) and its text. */
export interface SpaceFile {
  source: string;
  text: string;
}

/**
 * The first of `files` whose space has id `id` (hex, any case), or undefined. Takes files rather
 * than a folder so that both nas/space/files.ts (nas/spaces/ beside this module) and the web app
 * (which locates the folder itself) share the matching; it stops at the match, so a lazy iterable
 * reads no file after it.
 */
export function findSpaceById<F extends SpaceFile>(
  files: Iterable<F>,
  id: string,
): { space: SearchSpace; file: F } | undefined {
  for (const file of files) {
    const space = parseSpaceText(file.text, file.source);
    if (spaceId(space).toLowerCase() === id.toLowerCase()) return { space, file };
  }
  return undefined;
}

/** RFC 8785 canonical JSON: the exact bytes the id hashes. */
export function canonicalSpace(space: SearchSpace): string {
  return canonicalize(space) as string;
}

/** keccak256 of the canonical form: the contract's `spaceId`. */
export function spaceId(space: SearchSpace): Hex {
  return keccak256(stringToBytes(canonicalSpace(space)));
}

/** Per-gene option counts. */
export function arityList(space: SearchSpace): number[] {
  return space.genes.map((g) => g.options.length);
}

/** The contract's `arities`: byte i = number of options of gene i, trailing bytes 0. */
export function arities(space: SearchSpace): Hex {
  return bytesToHex32(arityList(space));
}

/** Number of architectures in the space. */
export function spaceSize(space: SearchSpace): number {
  return arityList(space).reduce((a, b) => a * b, 1);
}

/** Index of a gene by name; throws SpaceError when the space has no such gene. */
export function geneIndex(space: SearchSpace, name: string): number {
  const i = space.genes.findIndex((g) => g.name === name);
  if (i < 0) throw new SpaceError(`space "${space.name}" has no gene "${name}"`);
  return i;
}

/** bytes32 hex of up to 32 bytes, byte 0 first, zero-padded on the right. */
export function bytesToHex32(bytes: readonly number[]): Hex {
  if (bytes.length > 32) throw new SpaceError(`a bytes32 holds at most 32 bytes, got ${bytes.length}`);
  let hex = "0x";
  for (let i = 0; i < 32; i++) hex += (bytes[i] ?? 0).toString(16).padStart(2, "0");
  return hex as Hex;
}

/** The 32 bytes of a bytes32 hex string. */
export function hex32ToBytes(hex: string): number[] {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
    throw new SpaceError(`expected a bytes32 as 0x followed by 64 hex digits, got "${hex}"`);
  }
  const out: number[] = [];
  for (let i = 0; i < 32; i++) out.push(parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16));
  return out;
}
