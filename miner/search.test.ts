// The miner's search with synthetic scores (no training): budget, exact resume from the
// checkpoint, the chain-time deadline, exhaustion and abort; and the weights digest its reveal
// seals (one real training).
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, type Hex } from "viem";
import { defaultSpace, inSubspace, prefixSubspace, REFERENCE_BACKEND, resolveRecipe, trainGenome } from "../nas/index.js";
import { MinerError } from "./errors.js";
import type { MinerEvent } from "./events.js";
import { referenceDigest, searchTask, type TaskSearchOptions } from "./search.js";

const space = defaultSpace();
const recipe = resolveRecipe("mnist-demo-v1");
const subspace = prefixSubspace([1, 2]); // 144 architectures
/** A synthetic score per genome (no training): deterministic, different per genome. */
const score = (g: Hex) => Number(BigInt(keccak256(g)) % 10_000n);

describe("task search (synthetic scores)", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "miner-search-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = (checkpoint: string, extra: Partial<TaskSearchOptions> = {}): TaskSearchOptions => ({
    space,
    recipe,
    subspace,
    strategy: "evolution",
    seed: 11,
    checkpoint,
    evaluate: (g) => ({ scoreBps: score(g) }),
    ...extra,
  });

  it("stops at the evaluation budget inside the subspace and reports every evaluation", async () => {
    const events: MinerEvent[] = [];
    const r = await searchTask(base(join(dir, "a.json"), { budget: { evaluations: 5 }, onEvent: (e) => events.push(e) }));
    expect(r.stoppedBy).to.equal("budget");
    expect(r.history).to.have.length(5);
    expect(r.history.every((h) => inSubspace(h.genome, subspace))).to.equal(true);
    expect(r.best!.evaluation.scoreBps).to.equal(Math.max(...r.history.map((h) => score(h.genome))));
    expect(events.map((e) => e.kind)).to.deep.equal(["search-start", ...Array(5).fill("evaluated"), "search-stop"]);
    expect(events[3].message).to.match(/^evaluation 3\/5: .* → \d+ bps \(best \d+\)/);
  });

  it("resumes from its checkpoint without redoing evaluations and ends like an uninterrupted search", async () => {
    const calls: Hex[] = [];
    const counting = (g: Hex) => (calls.push(g), { scoreBps: score(g) });
    const cp = join(dir, "resumed.json");
    await searchTask(base(cp, { budget: { evaluations: 3 }, evaluate: counting }));
    const saved = JSON.parse(readFileSync(cp, "utf8")).history;
    const events: MinerEvent[] = [];
    const resumed = await searchTask(base(cp, { budget: { evaluations: 7 }, evaluate: counting, onEvent: (e) => events.push(e) }));
    expect(resumed.resumedFrom).to.equal(3);
    expect(calls).to.have.length(7); // 3 + 4, none twice
    expect(new Set(calls).size).to.equal(7);
    expect(resumed.history.slice(0, 3)).to.deep.equal(saved);
    expect(events[0].message).to.match(/^resuming search: 3 evaluation\(s\) restored/);
    const straight = await searchTask(base(join(dir, "straight.json"), { budget: { evaluations: 7 } }));
    expect(resumed.history).to.deep.equal(straight.history);
    expect(resumed.best).to.deep.equal(straight.best);
  });

  it("stops before the chain deadline, judged by chain time, and evaluates nothing once it has passed", async () => {
    let chainNow = 1000;
    const slow = (g: Hex) => ((chainNow += 10), { scoreBps: score(g) }); // each training run takes 10 s of chain time
    const r = await searchTask(base(join(dir, "d.json"), { evaluate: slow, deadline: { stopAt: 1035, now: async () => chainNow } }));
    expect(r.stoppedBy).to.equal("deadline");
    expect(r.history).to.have.length(4); // started at 1000, 1010, 1020, 1030; 1040 is past 1035
    const late = await searchTask(base(join(dir, "late.json"), { evaluate: slow, deadline: { stopAt: 900, now: async () => chainNow } }));
    expect(late.stoppedBy).to.equal("deadline");
    expect(late.best).to.equal(null);
  });

  it("off the reference backend, stops early enough to train the best once more on it before the deadline", async () => {
    for (const [backend, evaluations] of [["wasm", 3], ["tensorflow", 2]] as const) {
      let chainNow = 1000;
      // each training run takes (and reports) 10 s; on "tensorflow" (a GPU search) the best must then be re-trained on wasm
      const slow = (g: Hex) => ((chainNow += 10), { scoreBps: score(g), seconds: 10, backend });
      const r = await searchTask(base(join(dir, `ref-${backend}.json`), { evaluate: slow, deadline: { stopAt: 1035, now: async () => chainNow } }));
      expect(r.stoppedBy, backend).to.equal("deadline");
      // wasm: started at 1000, 1010, 1020 (1030 + 10 is past 1035); tensorflow: at 1000, 1010,
      // leaving 1035 − 1020 = 15 s for the 10 s re-training
      expect(r.history, backend).to.have.length(evaluations);
    }
  });

  it("stops when the subspace is exhausted, and on abort", async () => {
    const tiny = prefixSubspace([0, 0, 0, 0, 0, 0, 2]); // 2 architectures
    const r = await searchTask(base(join(dir, "e.json"), { subspace: tiny, strategy: "exhaustive", budget: { evaluations: 10 } }));
    expect(r.stoppedBy).to.equal("exhausted");
    expect(r.history).to.have.length(2);
    const abort = new AbortController();
    abort.abort();
    let err: unknown;
    await searchTask(base(join(dir, "f.json"), { signal: abort.signal, budget: { evaluations: 3 } })).catch((e) => (err = e));
    expect(err).to.be.instanceOf(MinerError);
  });
});

describe("referenceDigest (the weights digest a reveal seals)", function () {
  this.timeout(120_000);
  const genome = (() => {
    const g = new Uint8Array(32);
    g[0] = 1;
    g[1] = 2;
    return `0x${Buffer.from(g).toString("hex")}` as Hex;
  })();

  it("takes the search's own weightsHash when it trained on the reference backend, and trains once on it otherwise", async () => {
    const trained = await trainGenome(space, genome, recipe, { backend: REFERENCE_BACKEND });
    expect(trained.weightsHash).to.match(/^0x[0-9a-f]{64}$/);
    // a search on the reference backend: its hash as it is (no training: a hash no training gives proves it)
    const given = `0x${"ab".repeat(32)}` as Hex;
    expect(await referenceDigest(space, recipe, { genome, evaluation: { scoreBps: 1, weightsHash: given, backend: REFERENCE_BACKEND } })).to.equal(given);
    // a search on another backend (a GPU), a synthetic score, or a state written before seals: trained again, bit for bit
    expect(await referenceDigest(space, recipe, { genome, evaluation: { scoreBps: 1, weightsHash: given, backend: "tensorflow" } })).to.equal(trained.weightsHash);
    expect(await referenceDigest(space, recipe, { genome })).to.equal(trained.weightsHash);
  });
});
