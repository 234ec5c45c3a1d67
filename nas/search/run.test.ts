// The search driver (run.ts) with synthetic evaluators: its options, what it keeps of an
// evaluation, its bounds, the stop request (shouldStop, signal) and an exact resume after it, and
// what it does with a strategy that misbehaves.
import { expect } from "chai";
import type { Hex } from "viem";
import { limitBreach } from "../space/cost.js";
import { loadSpace } from "../space/files.js";
import { enumerateSubspace, prefixSubspace } from "../space/subspace.js";
import { evolution } from "./evolution.js";
import { randomSearch } from "./random.js";
import { MAX_REPEATS_IN_A_ROW, runSearch, type SearchStart } from "./run.js";
import type { Strategy } from "./strategy.js";
import { MASKED, counting, expectSearchError, hashEvaluator, space, useTmpDir } from "./testing.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("search driver", () => {
  const tmp = useTmpDir();
  const base = { space, subspace: MASKED, seed: 11 };

  describe("options", () => {
    it("requires a bound, saying which options to pass", async () => {
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, base),
        /pass maxEvaluations .* and\/or maxSeconds/,
      );
    });
    it("rejects malformed bounds and seeds", async () => {
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: -1 }),
        /maxEvaluations must be a non-negative integer/,
      );
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 2.5 }),
        /maxEvaluations/,
      );
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxSeconds: Number.NaN }),
        /maxSeconds must be/,
      );
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 1, seed: -1 }),
        /seed must be an unsigned 32-bit integer/,
      );
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 1, seed: 2 ** 32 }),
        /seed/,
      );
    });
    it("maxEvaluations 0 evaluates nothing", async () => {
      const c = counting(hashEvaluator);
      const r = await runSearch(evolution(), c.evaluate, { ...base, maxEvaluations: 0 });
      expect(r).to.include({ evaluations: 0, stoppedBy: "evaluations", best: null });
      expect(c.calls).to.deep.equal([]);
    });
    it("never evaluates a genome over the space's limits: no training, no budget spent, never the best", async () => {
      const cell = loadSpace(new URL("../spaces/fashion-cell-v1.json", import.meta.url));
      // the widest macro design (3 stages, 2 cells, width 12): where the over-limit genomes are
      const widest = prefixSubspace([1, 1, 2]);
      const c = counting(async (g: Hex) => ({ scoreBps: 10_000 - (parseInt(g.slice(8, 20), 16) % 5000) }));
      const r = await runSearch(randomSearch(), c.evaluate, { space: cell, subspace: widest, seed: 3, maxEvaluations: 400 });
      expect(r.evaluations).to.equal(400);
      expect(c.calls).to.have.length(400);
      expect(c.calls.every((g) => limitBreach(cell, g) === null)).to.equal(true);
      expect(limitBreach(cell, r.best!.genome)).to.equal(null);
      // 222 of this design's 15,625 cells are over the limits (of the space's 223)
      let over = 0;
      for (const g of enumerateSubspace(cell, widest)) if (limitBreach(cell, g)) over++;
      expect(over).to.equal(222);
    });
    it("caps maxEvaluations at the subspace size", async () => {
      const r = await runSearch(randomSearch(), hashEvaluator, {
        ...base,
        subspace: prefixSubspace([0, 0, 0, 0, 0, 0, 0]),
        maxEvaluations: 1_000_000,
      });
      expect(r).to.include({ evaluations: 2, stoppedBy: "exhausted" });
    });
    it("rejects an empty or malformed subspace", async () => {
      const bad = { mask: prefixSubspace([0]).mask, value: prefixSubspace([3]).value };
      try {
        await runSearch(randomSearch(), hashEvaluator, { ...base, subspace: bad, maxEvaluations: 1 });
        expect.fail("should throw");
      } catch (e) {
        expect((e as Error).message).to.match(/empty or malformed/);
      }
    });
  });

  describe("evaluations", () => {
    it("keeps every field the evaluator returns, as JSON (undefined dropped, NaN -> null)", async () => {
      const r = await runSearch(
        randomSearch(),
        async (g: Hex) => ({ scoreBps: 10, params: 3, weightsHash: g, reason: undefined, loss: [1, Number.NaN] }),
        { ...base, maxEvaluations: 2 },
      );
      expect(r.history[0].evaluation).to.deep.equal({
        scoreBps: 10,
        params: 3,
        weightsHash: r.history[0].genome,
        loss: [1, null],
      });
    });
    it("rejects an evaluation without a finite scoreBps, or one that is not JSON", async () => {
      await expectSearchError(
        runSearch(randomSearch(), async () => ({ scoreBps: Number.NaN }), { ...base, maxEvaluations: 1 }),
        /finite number scoreBps/,
      );
      await expectSearchError(
        runSearch(randomSearch(), async () => ({} as { scoreBps: number }), { ...base, maxEvaluations: 1 }),
        /scoreBps undefined/,
      );
      await expectSearchError(
        runSearch(randomSearch(), async () => ({ scoreBps: 1, big: 1n }), { ...base, maxEvaluations: 1 }),
        /not JSON-serialisable/,
      );
    });
    it("accepts a synchronous evaluator", async () => {
      const r = await runSearch(randomSearch(), (g: Hex) => ({ scoreBps: parseInt(g.slice(2, 4), 16) }), {
        ...base,
        maxEvaluations: 5,
      });
      expect(r.evaluations).to.equal(5);
    });
    it("ties go to the genome evaluated first", async () => {
      // Scores 0,1,2 cycling: the first genome scoring 2 is history[2], later 2s must not replace it.
      let n = 0;
      const r = await runSearch(randomSearch(), async () => ({ scoreBps: n++ % 3 }), { ...base, maxEvaluations: 30 });
      expect(r.best).to.deep.equal(r.history[2]);
    });
    it("reports each evaluation with its index and the best so far", async () => {
      const events: { index: number; best: number; score: number }[] = [];
      const r = await runSearch(randomSearch(), hashEvaluator, {
        ...base,
        maxEvaluations: 20,
        onEvaluation: (e) =>
          events.push({ index: e.index, best: e.best.evaluation.scoreBps, score: e.evaluation.scoreBps }),
      });
      expect(events.map((e) => e.index)).to.deep.equal([...Array(20).keys()]);
      let top = -1;
      events.forEach((e) => {
        top = Math.max(top, e.score);
        expect(e.best).to.equal(top);
      });
      expect(r.best!.evaluation.scoreBps).to.equal(top);
    });
  });

  describe("time bound", () => {
    it("stops on maxSeconds with a slow evaluator, and the time adds up across resumes", async () => {
      const cp = tmp.path("cp.json");
      const slow = async (g: Hex) => (await sleep(30), hashEvaluator(g));
      const r = await runSearch(randomSearch(), slow, { ...base, maxSeconds: 0.1, checkpoint: cp });
      expect(r.stoppedBy).to.equal("time");
      expect(r.evaluations).to.be.within(1, 5);
      expect(r.elapsedSeconds).to.be.at.least(0.1);
      // The budget is already spent: resuming under the same bound trains nothing.
      const c = counting(slow);
      const again = await runSearch(randomSearch(), c.evaluate, { ...base, maxSeconds: 0.1, checkpoint: cp });
      expect(again.stoppedBy).to.equal("time");
      expect(c.calls).to.deep.equal([]);
      expect(again.history).to.deep.equal(r.history);
      // A larger budget goes on from where it stopped.
      const more = await runSearch(randomSearch(), slow, { ...base, maxSeconds: 0.2, checkpoint: cp });
      expect(more.evaluations).to.be.greaterThan(r.evaluations);
      expect(more.elapsedSeconds).to.be.at.least(0.2);
      expect(more.history.slice(0, r.evaluations)).to.deep.equal(r.history);
    });
    it("stops on whichever bound comes first", async () => {
      const r = await runSearch(randomSearch(), hashEvaluator, { ...base, maxSeconds: 60, maxEvaluations: 4 });
      expect(r).to.include({ stoppedBy: "evaluations", evaluations: 4 });
      const t = await runSearch(randomSearch(), hashEvaluator, { ...base, maxSeconds: 0, maxEvaluations: 4 });
      expect(t).to.include({ stoppedBy: "time", evaluations: 0 });
    });
  });

  describe("misbehaving strategies", () => {
    it("refuses a proposal outside the subspace", async () => {
      const bad: Strategy = {
        name: "bad",
        config: {},
        init: () => null,
        propose: () => prefixSubspace([1]).value,
        observe() {},
      };
      await expectSearchError(
        runSearch(bad, hashEvaluator, { ...base, maxEvaluations: 1 }),
        /strategy "bad" proposed .* not a genome of the subspace/,
      );
    });
    it(`stops a strategy that only repeats itself after ${MAX_REPEATS_IN_A_ROW} cached proposals`, async () => {
      const stuck: Strategy = {
        name: "stuck",
        config: {},
        init: () => null,
        propose: () => MASKED.value,
        observe() {},
      };
      const c = counting(hashEvaluator);
      await expectSearchError(
        runSearch(stuck, c.evaluate, { ...base, maxEvaluations: 5 }),
        /only already-evaluated genomes 10000 times in a row/,
      );
      expect(c.calls).to.deep.equal([MASKED.value]);
    });
  });

  describe("stop request", () => {
    it("asks shouldStop once before every evaluation, and stops as \"stopped\" when it says so", async () => {
      let asked = 0;
      const c = counting(hashEvaluator);
      // evolution re-proposes evaluated genomes (answered from the cache): still one question per evaluation
      const r = await runSearch(evolution(), c.evaluate, {
        ...base,
        maxEvaluations: 40,
        shouldStop: () => ++asked > 25,
      });
      expect(r).to.include({ stoppedBy: "stopped", evaluations: 25 });
      expect(asked).to.equal(26);
      expect(c.calls).to.have.length(25);
    });
    it("the search's own bounds come first: shouldStop is not asked once one is hit", async () => {
      let asked = 0;
      const r = await runSearch(randomSearch(), hashEvaluator, {
        ...base,
        maxEvaluations: 3,
        shouldStop: () => (asked++, false),
      });
      expect(r).to.include({ stoppedBy: "evaluations", evaluations: 3 });
      expect(asked).to.equal(3);
    });
    it("accepts an asynchronous shouldStop, and is not a bound by itself", async () => {
      const r = await runSearch(randomSearch(), hashEvaluator, {
        ...base,
        maxEvaluations: 10,
        shouldStop: async () => (await sleep(1), true),
      });
      expect(r).to.include({ stoppedBy: "stopped", evaluations: 0, best: null });
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, shouldStop: () => true }),
        /a search needs a bound/,
      );
    });
    it("an aborted signal stops it before the next evaluation; the running one ends and is kept", async () => {
      const abort = new AbortController();
      const c = counting(async (g: Hex) => {
        const e = await hashEvaluator(g);
        if (c.calls.length === 4) abort.abort();
        return e;
      });
      const r = await runSearch(randomSearch(), c.evaluate, { ...base, maxEvaluations: 20, signal: abort.signal });
      expect(r).to.include({ stoppedBy: "stopped", evaluations: 4 });
      const already = await runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 20, signal: abort.signal });
      expect(already).to.include({ stoppedBy: "stopped", evaluations: 0 });
    });
    it("stopped, then resumed with a larger budget, ends with the uninterrupted history", async () => {
      for (const make of [randomSearch, evolution] as (() => Strategy)[]) {
        const whole = await runSearch(make(), hashEvaluator, { ...base, maxEvaluations: 30 });
        const cp = tmp.path(`${make().name}.json`);
        let n = 0;
        const first = await runSearch(make(), hashEvaluator, {
          ...base,
          maxEvaluations: 20,
          checkpoint: cp,
          shouldStop: () => n >= 12,
          onEvaluation: () => n++,
        });
        expect(first).to.include({ stoppedBy: "stopped", evaluations: 12 });
        const abort = new AbortController();
        const second = await runSearch(make(), hashEvaluator, {
          ...base,
          maxEvaluations: 25,
          checkpoint: cp,
          signal: abort.signal,
          onEvaluation: (e) => e.index === 16 && abort.abort(),
        });
        expect(second).to.include({ stoppedBy: "stopped", evaluations: 17 });
        const c = counting(hashEvaluator);
        const rest = await runSearch(make(), c.evaluate, { ...base, maxEvaluations: 30, checkpoint: cp });
        expect(c.calls, "only the missing evaluations are run").to.have.length(30 - 17);
        expect(rest.history).to.deep.equal(whole.history);
        expect(rest.best).to.deep.equal(whole.best);
        expect(rest.stoppedBy).to.equal("evaluations");
      }
    });
    it("reports what it restored before evaluating anything", async () => {
      const cp = tmp.path("cp.json");
      const starts: SearchStart[] = [];
      const c = counting(hashEvaluator);
      await runSearch(randomSearch(), c.evaluate, { ...base, maxEvaluations: 3, checkpoint: cp, onStart: (s) => starts.push(s) });
      expect(starts).to.deep.equal([{ history: [], best: null, elapsedSeconds: 0 }]);
      const r = await runSearch(randomSearch(), hashEvaluator, {
        ...base,
        maxEvaluations: 5,
        checkpoint: cp,
        onStart: (s) => starts.push({ ...s, history: [...s.history] }),
        onEvaluation: () => expect(starts).to.have.length(2),
      });
      expect(starts[1].history).to.deep.equal(r.history.slice(0, 3));
      expect(starts[1].best!.evaluation.scoreBps).to.equal(Math.max(...r.history.slice(0, 3).map((h) => h.evaluation.scoreBps)));
      expect(starts[1].elapsedSeconds).to.be.greaterThan(0);
    });
  });
});
