import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Hex } from "viem";
import { SearchError } from "../errors.js";
import { spaceId } from "../space/space.js";
import { WHOLE_SPACE, prefixSubspace } from "../space/subspace.js";
import { evolution } from "./evolution.js";
import { exhaustive } from "./exhaustive.js";
import { STRATEGIES, createStrategy } from "./index.js";
import { randomSearch } from "./random.js";
import { CHECKPOINT_FORMAT, MAX_REPEATS_IN_A_ROW, runSearch, type Checkpoint, type Strategy } from "./strategy.js";
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

  describe("checkpoints", () => {
    it("writes a JSON checkpoint after every evaluation, atomically (no temp file left)", async () => {
      const cp = tmp.path("search.json");
      const lengths: number[] = [];
      await runSearch(randomSearch(), hashEvaluator, {
        ...base,
        maxEvaluations: 5,
        checkpoint: cp,
        onEvaluation: () => lengths.push((JSON.parse(readFileSync(cp, "utf8")) as Checkpoint).history.length),
      });
      expect(lengths).to.deep.equal([1, 2, 3, 4, 5]);
      const saved = JSON.parse(readFileSync(cp, "utf8")) as Checkpoint;
      expect(saved).to.include({
        format: CHECKPOINT_FORMAT,
        strategy: "random",
        spaceId: spaceId(space),
        spaceName: space.name,
        seed: 11,
      });
      expect(saved.subspace).to.deep.equal(MASKED);
      expect(Object.keys(saved.rng)).to.deep.equal(["a", "b", "c", "d"]);
      expect(readdirSync(dirname(cp))).to.deep.equal(["search.json"]);
    });

    it("does not create a checkpoint when none is asked for", async () => {
      await runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 2 });
      expect(existsSync(tmp.path("search.json"))).to.equal(false);
    });

    const variants: [string, () => Parameters<typeof runSearch>, RegExp][] = [
      [
        "seed",
        () => [
          randomSearch(),
          hashEvaluator,
          { ...base, seed: 12, maxEvaluations: 5, checkpoint: tmp.path("cp.json") },
        ],
        /seed differs: checkpoint has 11, this search has 12/,
      ],
      [
        "strategy",
        () => [evolution(), hashEvaluator, { ...base, maxEvaluations: 5, checkpoint: tmp.path("cp.json") }],
        /strategy differs: checkpoint has random, this search has evolution/,
      ],
      [
        "subspace",
        () => [
          randomSearch(),
          hashEvaluator,
          { ...base, subspace: WHOLE_SPACE, maxEvaluations: 5, checkpoint: tmp.path("cp.json") },
        ],
        /subspace\.mask differs/,
      ],
      [
        "space",
        () => [
          randomSearch(),
          hashEvaluator,
          { ...base, space: { ...space, name: "mnist-conv-v2" }, maxEvaluations: 5, checkpoint: tmp.path("cp.json") },
        ],
        /spaceId differs: .*checkpoint space "mnist-conv-v1", this space "mnist-conv-v2"/,
      ],
    ];
    for (const [field, args, match] of variants) {
      it(`refuses a checkpoint of another ${field}, naming the field and the fix`, async () => {
        await runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 3, checkpoint: tmp.path("cp.json") });
        const before = readFileSync(tmp.path("cp.json"), "utf8");
        const [s, e, o] = args();
        await expectSearchError(runSearch(s, e, o), match);
        await expectSearchError(runSearch(s, e, o), /delete the file .* or pass a different checkpoint path/);
        expect(readFileSync(tmp.path("cp.json"), "utf8"), "left untouched").to.equal(before);
      });
    }

    it("refuses a file that is not a checkpoint, or a corrupted one", async () => {
      const cp = tmp.path("cp.json");
      writeFileSync(cp, "{ not json");
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 1, checkpoint: cp }),
        /cannot be read as JSON/,
      );
      writeFileSync(cp, JSON.stringify({ hello: 1 }));
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 1, checkpoint: cp }),
        /is not a search checkpoint/,
      );
      await runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 0, checkpoint: tmp.path("ok.json") });
      const good = JSON.parse(readFileSync(tmp.path("ok.json"), "utf8")) as Checkpoint;
      writeFileSync(
        cp,
        JSON.stringify({ ...good, history: [{ genome: prefixSubspace([1]).value, evaluation: { scoreBps: 1 } }] }),
      );
      await expectSearchError(
        runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 1, checkpoint: cp }),
        /foreign or repeated genome/,
      );
    });

    it("resumes with a lower-case/upper-case hex subspace alike", async () => {
      const cp = tmp.path("cp.json");
      await runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 3, checkpoint: cp });
      const upper = {
        mask: ("0x" + MASKED.mask.slice(2).toUpperCase()) as Hex,
        value: ("0x" + MASKED.value.slice(2).toUpperCase()) as Hex,
      };
      const r = await runSearch(randomSearch(), hashEvaluator, {
        ...base,
        subspace: upper,
        maxEvaluations: 4,
        checkpoint: cp,
      });
      expect(r.evaluations).to.equal(4);
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

  describe("registry", () => {
    it("has random, evolution and exhaustive, and names the known ones for an unknown name", async () => {
      expect(Object.keys(STRATEGIES)).to.deep.equal(["random", "evolution", "exhaustive"]);
      for (const name of Object.keys(STRATEGIES)) expect(createStrategy(name).name).to.equal(name);
      expect(createStrategy("evolution", { populationSize: 7 }).config).to.include({ populationSize: 7 });
      expect(createStrategy("exhaustive", { limit: 10 }).init).to.be.a("function");
      expect(() => createStrategy("bayesian")).to.throw(
        SearchError,
        /unknown search strategy "bayesian"; use one of random, evolution, exhaustive/,
      );
      expect(() => createStrategy("toString")).to.throw(SearchError);
    });
    it("exhaustive via the registry honours its limit", async () => {
      await expectSearchError(
        runSearch(createStrategy("exhaustive", { limit: 50 }), hashEvaluator, { ...base, maxEvaluations: 1 }),
        /96 architectures/,
      );
      await expectSearchError(
        runSearch(exhaustive({ limit: 50 }), hashEvaluator, { ...base, maxEvaluations: 1 }),
        /limit of 50/,
      );
    });
  });
});
