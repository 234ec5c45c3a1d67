// Shared fixtures for the search tests: the default space's subspaces of every shape, synthetic
// evaluators (no training), and the checks every strategy must pass (conformance), so the three
// strategy test files assert the same invariants instead of three drifting copies.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, type Hex } from "viem";
import { SearchError } from "../errors.js";
import { decodeGenome, isGenomeOf } from "../space/genome.js";
import { defaultSpace } from "../space/files.js";
import { bytesToHex32 } from "../space/space.js";
import {
  WHOLE_SPACE,
  enumerateSubspace,
  inSubspace,
  prefixSubspace,
  subspaceSize,
  type Subspace,
} from "../space/subspace.js";
import { runSearch, type SearchOptions, type SearchResult } from "./run.js";
import type { Evaluation, Strategy } from "./strategy.js";

export const space = defaultSpace(); // arities 3,3,2,2,3,2,3,2 = 1296

/** Non-0xff masks: depth in {0,2} (bit 0 clear), activation = 2 (bit 1 set), head = 1 (bit 0 set). */
export const MASKED: Subspace = {
  mask: bytesToHex32([0x01, 0, 0, 0, 0x02, 0, 0x01, 0]),
  value: bytesToHex32([0x00, 0, 0, 0, 0x02, 0, 0x01, 0]),
};

export const SUBSPACES: { name: string; sub: Subspace; size: number }[] = [
  { name: "whole space", sub: WHOLE_SPACE, size: 1296 },
  { name: "1-gene prefix", sub: prefixSubspace([2]), size: 432 },
  { name: "3-gene prefix", sub: prefixSubspace([1, 2, 0]), size: 72 },
  { name: "bit-mask subspace", sub: MASKED, size: 96 },
  {
    name: "2-genome bit-mask subspace",
    sub: { mask: bytesToHex32([0x01, ...Array(7).fill(0xff)]), value: bytesToHex32([0, 1, 1, 0, 2, 1, 2, 0]) },
    size: 2,
  },
  { name: "single architecture", sub: prefixSubspace([2, 1, 0, 1, 1, 0, 2, 1]), size: 1 },
];
for (const s of SUBSPACES)
  if (subspaceSize(space, s.sub) !== s.size) throw new Error(`fixture ${s.name}: size ${subspaceSize(space, s.sub)}`);

export interface FakeEvaluation extends Evaluation {
  params: number;
  reason?: string;
}

/** A rugged landscape: score from the genome's hash, with a few extra fields like the trainer's. */
export function hashScore(genome: Hex): number {
  return parseInt(keccak256(genome).slice(2, 10), 16) % 10_001;
}
export const hashEvaluator = async (genome: Hex): Promise<FakeEvaluation> => ({
  scoreBps: hashScore(genome),
  params: decodeGenome(space, genome).reduce((a, b) => a * 3 + b, 1),
  reason: undefined,
});

/** A smooth separable landscape: 10000 minus the weighted distance of each gene to a target. */
export const TARGET = [2, 1, 1, 0, 2, 1, 0, 1];
export function smoothScore(genome: Hex): number {
  const g = decodeGenome(space, genome);
  return 10_000 - g.reduce((s, v, i) => s + Math.abs(v - TARGET[i]) * (400 + 50 * i), 0);
}

/** Counts calls and records every genome it was asked about (to catch double evaluations). */
export function counting<E extends Evaluation>(f: (g: Hex) => Promise<E>) {
  const calls: Hex[] = [];
  const evaluate = async (g: Hex) => {
    calls.push(g);
    return f(g);
  };
  return { evaluate, calls };
}

/** A fresh temp dir per test, removed afterwards. */
export function useTmpDir(): { path: (name: string) => string } {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ponas-search-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return { path: (name) => join(dir, name) };
}

export function expectInvariants(r: SearchResult, calls: Hex[], sub: Subspace, bound: number): void {
  const genomes = r.history.map((h) => h.genome);
  for (const g of genomes) {
    expect(isGenomeOf(space, g), `${g} valid`).to.equal(true);
    expect(inSubspace(g, sub), `${g} in subspace`).to.equal(true);
  }
  expect(new Set(genomes).size, "no genome twice in history").to.equal(genomes.length);
  expect(new Set(calls).size, "no genome evaluated twice").to.equal(calls.length);
  expect(calls).to.deep.equal(genomes);
  expect(r.evaluations).to.equal(genomes.length).and.at.most(bound);
  const top = Math.max(...r.history.map((h) => h.evaluation.scoreBps));
  if (r.history.length > 0) {
    expect(r.best!.evaluation.scoreBps).to.equal(top);
    expect(r.best!.genome).to.equal(r.history.find((h) => h.evaluation.scoreBps === top)!.genome);
  } else expect(r.best).to.equal(null);
}

export async function expectSearchError(p: Promise<unknown> | (() => unknown), match: RegExp): Promise<void> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    expect(e).to.be.instanceOf(SearchError);
    expect((e as Error).message).to.match(match);
    expect((e as Error).message).not.to.include("\n");
    return;
  }
  expect.fail(`expected a SearchError matching ${match}`);
}

const genomesOf = (r: SearchResult) => r.history.map((h) => h.genome);

/** The checks every strategy passes; `seeded` = the order depends on the seed. */
export function conformance(make: () => Strategy, opts: { seeded: boolean }): void {
  describe("conformance", () => conformanceSuite(make, opts));
}

function conformanceSuite(make: () => Strategy, opts: { seeded: boolean }): void {
  const tmp = useTmpDir();
  const base = (sub: Subspace, extra: Partial<SearchOptions<FakeEvaluation>> = {}): SearchOptions<FakeEvaluation> => ({
    space,
    subspace: sub,
    seed: 7,
    ...extra,
  });

  for (const { name, sub, size } of SUBSPACES) {
    describe(`in the ${name} (${size} genomes)`, () => {
      const bound = Math.min(size, 40);

      it(`stays inside the subspace, never evaluates a genome twice, respects maxEvaluations = ${bound}`, async () => {
        const c = counting(hashEvaluator);
        const r = await runSearch(make(), c.evaluate, base(sub, { maxEvaluations: bound }));
        expectInvariants(r, c.calls, sub, bound);
        expect(r.evaluations).to.equal(bound);
        expect(r.stoppedBy).to.equal(bound === size ? "exhausted" : "evaluations");
      });

      it("covers the whole subspace exactly once when the bound exceeds its size, then stops as exhausted", async () => {
        const c = counting(hashEvaluator);
        const r = await runSearch(make(), c.evaluate, base(sub, { maxEvaluations: size + 1000 }));
        expectInvariants(r, c.calls, sub, size);
        expect(r.stoppedBy).to.equal("exhausted");
        expect([...genomesOf(r)].sort()).to.deep.equal([...enumerateSubspace(space, sub)].sort());
      });

      it("gives the identical history for the same seed", async () => {
        const a = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: bound }));
        const b = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: bound }));
        expect(b.history).to.deep.equal(a.history);
        expect(b.best).to.deep.equal(a.best);
      });

      if (opts.seeded && size > 10) {
        it("visits genomes in a different order for a different seed", async () => {
          const a = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: 10 }));
          const b = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: 10, seed: 8 }));
          expect(genomesOf(b)).not.to.deep.equal(genomesOf(a));
        });
      }
    });
  }

  for (const { name, sub, size } of SUBSPACES.filter((s) => s.size >= 72 && s.size <= 432)) {
    describe(`resuming in the ${name}`, () => {
      const n = 45;
      const k = 17;

      it(`run ${k}, stop, resume to ${n} = uninterrupted ${n}`, async () => {
        const whole = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: n }));
        const cp = tmp.path("a/b/search.json"); // parent folders are created
        const first = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: k, checkpoint: cp }));
        expect(first.evaluations).to.equal(k);
        expect(first.history).to.deep.equal(whole.history.slice(0, k));
        const c = counting(hashEvaluator);
        const rest = await runSearch(make(), c.evaluate, base(sub, { maxEvaluations: n, checkpoint: cp }));
        expect(c.calls.length, "only the missing evaluations are run").to.equal(n - k);
        expect(rest.history).to.deep.equal(whole.history);
        expect(rest.best).to.deep.equal(whole.best);
        expect(rest.stoppedBy).to.equal("evaluations");
        // Resuming a finished search trains nothing.
        const c2 = counting(hashEvaluator);
        const again = await runSearch(make(), c2.evaluate, base(sub, { maxEvaluations: n, checkpoint: cp }));
        expect(c2.calls).to.deep.equal([]);
        expect(again.history).to.deep.equal(whole.history);
      });

      it(`stopped by shouldStop after ${k}, resumed to ${n} = uninterrupted ${n}`, async () => {
        const whole = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: n }));
        const cp = tmp.path("search.json");
        let done = 0;
        const first = await runSearch(
          make(),
          hashEvaluator,
          base(sub, { maxEvaluations: n, checkpoint: cp, shouldStop: () => done >= k, onEvaluation: () => done++ }),
        );
        expect(first).to.include({ stoppedBy: "stopped", evaluations: k });
        const c = counting(hashEvaluator);
        const rest = await runSearch(make(), c.evaluate, base(sub, { maxEvaluations: n, checkpoint: cp }));
        expect(c.calls.length, "only the missing evaluations are run").to.equal(n - k);
        expect(rest.history).to.deep.equal(whole.history);
        expect(rest.best).to.deep.equal(whole.best);
      });

      it(`an evaluator crash at evaluation ${k} is not recorded, and resuming gives the uninterrupted result`, async () => {
        const whole = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: n }));
        const cp = tmp.path("search.json");
        let calls = 0;
        const crashing = async (g: Hex) => {
          if (++calls === k + 1) throw new Error("GPU fell off the bus");
          return hashEvaluator(g);
        };
        let seen: number[] = [];
        const p = runSearch(
          make(),
          crashing,
          base(sub, { maxEvaluations: n, checkpoint: cp, onEvaluation: (e) => seen.push(e.index) }),
        );
        const err = await p.then(
          () => null,
          (e: Error) => e,
        );
        expect(err?.message).to.equal("GPU fell off the bus");
        expect(seen).to.deep.equal([...Array(k).keys()]);
        seen = [];
        const c = counting(hashEvaluator);
        const r = await runSearch(
          make(),
          c.evaluate,
          base(sub, { maxEvaluations: n, checkpoint: cp, onEvaluation: (e) => seen.push(e.index) }),
        );
        expect(c.calls[0], "the crashed genome is tried again first").to.equal(whole.history[k].genome);
        expect(seen[0]).to.equal(k);
        expect(r.history).to.deep.equal(whole.history);
        expect(r.best).to.deep.equal(whole.best);
      });

      it("resumes to exhaustion after several interruptions", async () => {
        const whole = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: size }));
        const cp = tmp.path("search.json");
        let r: SearchResult | undefined;
        for (const stop of [1, 2, 30, size / 2, size]) {
          r = await runSearch(make(), hashEvaluator, base(sub, { maxEvaluations: stop, checkpoint: cp }));
          expect(r.evaluations).to.equal(stop);
        }
        expect(r!.history).to.deep.equal(whole.history);
        expect(r!.stoppedBy).to.equal("exhausted");
      });
    });
  }
}
