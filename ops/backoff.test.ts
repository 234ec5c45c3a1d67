import { expect } from "chai";
import { Backoff } from "./backoff.js";

describe("oracle backoff", () => {
  it("doubles the wait up to the cap and starts over after a success", () => {
    const b = new Backoff(500, 3000);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).to.deep.equal([500, 1000, 2000, 3000, 3000]);
    expect(b.failures).to.equal(5);
    b.reset();
    expect(b.next()).to.equal(500);
  });
});
