// Genome codec: option indices ⇄ bytes32 (gene i = byte i, byte 0 most significant) ⇄ a human
// description. The validity rule is the contract's (contracts/libraries/Genome.sol): every gene
// below its arity, and every byte of an unused gene (arity 0) zero. Both sides are checked
// against test/vectors/genome.json.
import type { Hex } from "viem";
import { GenomeError } from "../errors.js";
import { arities, bytesToHex32, hex32ToBytes, type OptionValue, type SearchSpace } from "./space.js";

/** The rule, on raw bytes32 values: what `Genome.isValid(genome, arities)` computes on-chain. */
export function isValidGenome(arityHex: string, genome: string): boolean {
  const a = hex32ToBytes(arityHex);
  const g = hex32ToBytes(genome);
  return g.every((v, i) => (a[i] === 0 ? v === 0 : v < a[i]));
}

/** Option indices → bytes32; throws GenomeError naming the first gene out of range. */
export function encodeGenome(space: SearchSpace, choices: readonly number[]): Hex {
  if (choices.length !== space.genes.length) {
    throw new GenomeError(
      `space "${space.name}" has ${space.genes.length} genes, got ${choices.length} choices; give one option index per gene`,
    );
  }
  choices.forEach((c, i) => {
    const n = space.genes[i].options.length;
    if (!Number.isInteger(c) || c < 0 || c >= n) {
      throw new GenomeError(`gene "${space.genes[i].name}" has options 0..${n - 1}, got ${c}`);
    }
  });
  return bytesToHex32(choices);
}

/** bytes32 → option indices; throws GenomeError when the genome breaks the validity rule. */
export function decodeGenome(space: SearchSpace, genome: string): number[] {
  const g = hex32ToBytes(genome);
  const n = space.genes.length;
  for (let i = 0; i < 32; i++) {
    if (i >= n) {
      if (g[i] !== 0) {
        throw new GenomeError(`genome ${genome}: byte ${i} must be 0 (space "${space.name}" has only ${n} genes)`);
      }
    } else if (g[i] >= space.genes[i].options.length) {
      const gene = space.genes[i];
      throw new GenomeError(
        `genome ${genome}: gene "${gene.name}" (byte ${i}) is ${g[i]}, but it has only ${gene.options.length} options`,
      );
    }
  }
  return g.slice(0, n);
}

/** The chosen option value of every gene, by gene name (what the model builder reads). */
export function genomeValues(space: SearchSpace, genome: string): Record<string, OptionValue> {
  const choices = decodeGenome(space, genome);
  return Object.fromEntries(space.genes.map((g, i) => [g.name, g.options[choices[i]].value]));
}

/** "3 blocks, 16 filters, 5×5, batch-norm, ELU, max-pool, dense-64, dropout 0.2". */
export function describeGenome(space: SearchSpace, genome: string): string {
  const choices = decodeGenome(space, genome);
  return space.genes.map((g, i) => g.options[choices[i]].label).join(", ");
}

/** The inverse of describeGenome: one label per gene, in gene order, separated by commas. */
export function parseDescription(space: SearchSpace, text: string): Hex {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length !== space.genes.length) {
    throw new GenomeError(
      `"${text}" has ${parts.length} parts; space "${space.name}" needs ${space.genes.length}, one label per gene in order (${space.genes.map((g) => g.name).join(", ")})`,
    );
  }
  const choices = parts.map((label, i) => {
    const gene = space.genes[i];
    const j = gene.options.findIndex((o) => o.label.toLowerCase() === label.toLowerCase());
    if (j < 0) {
      throw new GenomeError(
        `gene "${gene.name}": "${label}" is not one of ${gene.options.map((o) => `"${o.label}"`).join(", ")}`,
      );
    }
    return j;
  });
  return encodeGenome(space, choices);
}

/** Checks a genome against a space; true when decodeGenome would accept it. */
export function isGenomeOf(space: SearchSpace, genome: string): boolean {
  return /^0x[0-9a-fA-F]{64}$/.test(genome) && isValidGenome(arities(space), genome);
}
