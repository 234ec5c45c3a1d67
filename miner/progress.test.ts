// What a user sees: plain timestamped lines off a terminal, a progress bar with the best score on one.
import { expect } from "chai";
import { PassThrough } from "node:stream";
import type { MinerEvent } from "./events.js";
import { createReporter } from "./progress.js";

const events: MinerEvent[] = [
  { kind: "search-start", done: 0, budget: 2, subspaceSize: 432, message: "searching 432 architectures" },
  { kind: "evaluated", index: 0, budget: 2, genome: "0x00", scoreBps: 6100, seconds: 1, bestScoreBps: 6100, message: "evaluation 1/2: a → 6100 bps (best 6100)" },
  { kind: "evaluated", index: 1, budget: 2, genome: "0x01", scoreBps: 7200, seconds: 1, bestScoreBps: 7200, message: "evaluation 2/2: b → 7200 bps (best 7200)" },
  { kind: "search-stop", reason: "budget", evaluations: 2, message: "search stopped (budget reached) after 2 evaluation(s)" },
];

function capture(tty: boolean) {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown; moveCursor?: unknown };
  let text = "";
  out.on("data", (c: Buffer) => (text += c.toString()));
  if (tty) Object.assign(out, { isTTY: true, columns: 120 });
  return { out, text: () => text };
}

describe("miner progress output", () => {
  it("writes one timestamped, prefixed line per event when not on a terminal", () => {
    const c = capture(false);
    const r = createReporter({ out: c.out, prefix: "miner 0x1234", now: () => new Date(0) });
    events.forEach((e) => r.event(e));
    expect(c.text().trimEnd().split("\n")).to.deep.equal(events.map((e) => `1970-01-01T00:00:00.000Z miner 0x1234: ${e.message}`));
  });

  it("draws a bar with the best score on a terminal instead of evaluation lines", () => {
    const c = capture(true);
    const r = createReporter({ out: c.out, now: () => new Date(0) });
    events.forEach((e) => r.event(e));
    r.close();
    const text = c.text();
    expect(text).to.contain("2/2 architectures | best 7200 bps");
    expect(text).not.to.contain("evaluation 2/2");
    expect(text).to.contain("search stopped (budget reached)");
  });
});
