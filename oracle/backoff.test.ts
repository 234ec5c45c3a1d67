import { expect } from "chai";
import { Backoff, sleep } from "./backoff.js";

describe("oracle backoff", () => {
  it("doubles the wait up to the cap and starts over after a success", () => {
    const b = new Backoff(500, 3000);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).to.deep.equal([500, 1000, 2000, 3000, 3000]);
    expect(b.failures).to.equal(5);
    b.reset();
    expect(b.next()).to.equal(500);
  });

  it("sleep ends at once when aborted", async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 20);
    await sleep(10_000, ac.signal);
    expect(Date.now() - t0).to.be.below(2000);
  });
});
