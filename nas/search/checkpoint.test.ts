// The search checkpoint (checkpoint.ts) through the driver: written after every evaluation and
// atomically, refused with the field and the fix when it belongs to another search or is broken;
// and the shared atomic JSON writer and the evaluation count on their own.
import { expect } from "chai";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Hex } from "viem";
import { spaceId } from "../space/space.js";
import { WHOLE_SPACE, prefixSubspace } from "../space/subspace.js";
import { CHECKPOINT_FORMAT, checkpointEvaluations, writeJsonAtomic, type Checkpoint } from "./checkpoint.js";
import { evolution } from "./evolution.js";
import { randomSearch } from "./random.js";
import { runSearch } from "./run.js";
import { MASKED, expectSearchError, hashEvaluator, space, useTmpDir } from "./testing.js";

describe("search driver", () => {
  const tmp = useTmpDir();
  const base = { space, subspace: MASKED, seed: 11 };

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

  describe("atomic JSON writer", () => {
    it("writes pretty JSON with a final newline, or compact, creating the folder, leaving no temp file", () => {
      const file = tmp.path("a/b/state.json");
      writeJsonAtomic(file, { x: 1, y: [2] });
      expect(readFileSync(file, "utf8")).to.equal('{\n  "x": 1,\n  "y": [\n    2\n  ]\n}\n');
      writeJsonAtomic(file, { x: 2 }, { compact: true });
      expect(readFileSync(file, "utf8")).to.equal('{"x":2}');
      expect(readdirSync(dirname(file))).to.deep.equal(["state.json"]);
    });
    it("leaves the old file and no temp file when the write fails", () => {
      const file = tmp.path("state.json");
      writeJsonAtomic(file, { ok: true });
      expect(() => writeJsonAtomic(file, { big: 1n })).to.throw(TypeError);
      mkdirSync(tmp.path("dir.json"));
      expect(() => writeJsonAtomic(tmp.path("dir.json"), { x: 1 })).to.throw();
      expect(JSON.parse(readFileSync(file, "utf8"))).to.deep.equal({ ok: true });
      expect(readdirSync(dirname(file)).sort()).to.deep.equal(["dir.json", "state.json"]);
    });
  });

  describe("checkpointEvaluations", () => {
    it("counts the evaluations in a checkpoint, 0 when there is none or it is not one", async () => {
      const cp = tmp.path("cp.json");
      expect(checkpointEvaluations(cp)).to.equal(0);
      await runSearch(randomSearch(), hashEvaluator, { ...base, maxEvaluations: 4, checkpoint: cp });
      expect(checkpointEvaluations(cp)).to.equal(4);
      writeFileSync(cp, "{ not json");
      expect(checkpointEvaluations(cp)).to.equal(0);
      writeFileSync(cp, JSON.stringify({ history: [1, 2] }));
      expect(checkpointEvaluations(cp)).to.equal(0);
    });
  });
});
