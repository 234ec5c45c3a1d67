// Subspaces as the contract sees them: `(mask, value)` with `genome & mask == value`
// (contracts/libraries/Genome.sol). The partitioner produces them by fixing gene prefixes; the
// search strategies enumerate and sample inside them.
import type { Hex } from "viem";
import { GenomeError } from "../errors.js";
import { isValidGenome } from "./genome.js";
import { arities, arityList, bytesToHex32, hex32ToBytes, type SearchSpace } from "./space.js";

export interface Subspace {
  mask: Hex;
  value: Hex;
}

/** The whole space: nothing fixed. */
export const WHOLE_SPACE: Subspace = { mask: bytesToHex32([]), value: bytesToHex32([]) };

/** genome & mask == value. */
export function inSubspace(genome: string, sub: Subspace): boolean {
  const g = hex32ToBytes(genome);
  const m = hex32ToBytes(sub.mask);
  const v = hex32ToBytes(sub.value);
  return g.every((b, i) => (b & m[i]) === v[i]);
}

/** Well formed and non-empty: value has no bit outside mask and is itself a valid genome. */
export function isSubspace(arityHex: string, sub: Subspace): boolean {
  const m = hex32ToBytes(sub.mask);
  const v = hex32ToBytes(sub.value);
  return v.every((b, i) => (b & ~m[i] & 0xff) === 0) && isValidGenome(arityHex, sub.value);
}

/** The subspace fixing gene i to fixed[i] for every i < fixed.length (mask 0xff on those genes). */
export function prefixSubspace(fixed: readonly number[]): Subspace {
  return { mask: bytesToHex32(fixed.map(() => 0xff)), value: bytesToHex32(fixed) };
}

/** The options of each gene allowed inside `sub`, in increasing order. */
export function allowedOptions(space: SearchSpace, sub: Subspace): number[][] {
  if (!isSubspace(arities(space), sub)) {
    throw new GenomeError(
      `subspace (mask ${sub.mask}, value ${sub.value}) is empty or malformed for space "${space.name}"`,
    );
  }
  const m = hex32ToBytes(sub.mask);
  const v = hex32ToBytes(sub.value);
  return arityList(space).map((n, i) => {
    const opts: number[] = [];
    for (let o = 0; o < n; o++) if ((o & m[i]) === v[i]) opts.push(o);
    return opts;
  });
}

/** Number of genomes in `sub`. */
export function subspaceSize(space: SearchSpace, sub: Subspace): number {
  return allowedOptions(space, sub).reduce((a, o) => a * o.length, 1);
}

/** Every genome of `sub`, in mixed-radix order (last gene fastest). */
export function* enumerateSubspace(space: SearchSpace, sub: Subspace = WHOLE_SPACE): Generator<Hex> {
  const allowed = allowedOptions(space, sub);
  const idx = allowed.map(() => 0);
  for (;;) {
    yield bytesToHex32(idx.map((k, i) => allowed[i][k]));
    let i = idx.length - 1;
    while (i >= 0 && ++idx[i] === allowed[i].length) idx[i--] = 0;
    if (i < 0) return;
  }
}

/**
 * The k-th genome in enumerateSubspace order (mixed radix, last gene fastest), given the allowed
 * options of each gene (allowedOptions); null when k is not an index of that product. Takes the
 * options rather than the subspace so a caller that asks for many indices (the search context)
 * computes them once.
 */
export function genomeAtOptions(allowed: readonly (readonly number[])[], k: number): Hex | null {
  if (!Number.isInteger(k) || k < 0) return null;
  const choice = new Array<number>(allowed.length);
  let rest = k;
  for (let i = allowed.length - 1; i >= 0; i--) {
    choice[i] = allowed[i][rest % allowed[i].length];
    rest = Math.floor(rest / allowed[i].length);
  }
  return rest === 0 ? bytesToHex32(choice) : null;
}

/** The k-th genome of `sub` in enumerateSubspace order (0 <= k < subspaceSize). */
export function genomeAt(space: SearchSpace, sub: Subspace, k: number): Hex {
  const g = genomeAtOptions(allowedOptions(space, sub), k);
  if (g === null) throw new GenomeError(`index ${k} is outside the subspace`);
  return g;
}

/** The subspace in words: "2 blocks, 16 filters" for the genes it fixes, "kernel ∈ {3×3}" style for partial masks. */
export function describeSubspace(space: SearchSpace, sub: Subspace): string {
  const allowed = allowedOptions(space, sub);
  const m = hex32ToBytes(sub.mask);
  const parts = allowed.flatMap((opts, i) => {
    const gene = space.genes[i];
    if (opts.length === gene.options.length) return [];
    if (opts.length === 1 && m[i] === 0xff) return [gene.options[opts[0]].label];
    return [`${gene.name} ∈ {${opts.map((o) => gene.options[o].label).join(", ")}}`];
  });
  return parts.length ? parts.join(", ") : "(whole space)";
}
