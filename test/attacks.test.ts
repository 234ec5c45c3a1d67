// Attack harness of issue 10 (test/attacks/): every strategy runs once (seed 1) on the real
// contracts, returns bigint nets, and accounts for every token: Σ over tracked actors of net +
// the change of what the pool and its VerifierCommittee hold beyond their accounts = 0, and each
// of the two contracts holds what it owes (test/helpers/pool.ts liabilities).
// These tests do not assert that attacks fail — today most succeed (npm run bench:attacks
// measures by how much); they assert only what the harness guarantees. Plus the bench's
// statistics.
import { expect } from "chai";
import { STRATEGIES } from "./attacks/index.js";
import { ci95, mean, sampleStd, summarize, toTokens } from "./attacks/stats.js";

/** |a − b| ≤ eps (chai's closeTo is overridden by the ethers matchers to take bigints). */
function near(a: number, b: number, eps: number) {
  expect(Math.abs(a - b) <= eps, `${a} ≈ ${b} ± ${eps}`).to.equal(true);
}


describe("attack strategies (issue 10), one run each", function () {
  this.timeout(120_000);

  it("are named uniquely and described", () => {
    const names = STRATEGIES.map((s) => s.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names.length).to.be.at.least(11);
    for (const s of STRATEGIES) {
      expect(s.property, s.name).to.match(/\S/);
      expect(s.description, s.name).to.match(/\S/);
    }
  });

  for (const s of STRATEGIES) {
    it(`${s.name}: completes, returns bigints and conserves tokens`, async () => {
      const r = await s.run(1);
      expect(typeof r.attackerNet).to.equal("bigint");
      expect(typeof r.honestNet).to.equal("bigint");
      expect(r.plays, "both plays recorded").to.have.length(2);
      const [attack, honest] = r.plays!;
      expect([attack.mode, honest.mode]).to.deep.equal(["attack", "honest"]);
      expect([attack.net, honest.net]).to.deep.equal([r.attackerNet, r.honestNet]);
      for (const p of r.plays!) {
        expect(p.imbalance, `${s.name} ${p.mode}: Σ nets + Δ unowned pool and committee balances`).to.equal(0n);
        expect(p.solvent, `${s.name} ${p.mode}: pool and committee each hold what they owe`).to.equal(true);
        // every fee budget was swept to the treasury or spent: nothing is left in the committee
        // beyond the verifiers' own stakes and fees, and it owes exactly what it holds
        expect(p.leftInCommittee, `${s.name} ${p.mode}: tokens left in the committee after sweeping fees`).to.equal(0n);
        expect(p.surplus.committee, `${s.name} ${p.mode}: committee balance − liabilities`).to.equal(0n);
        // Every play settles and sweeps completely, the narrowing ones included: since the pool
        // refuses a token supply of 2^96 wei or more, no reward is truncated and nothing is left
        // in the pool that nobody owns (before that rule those two plays left tokens there).
        expect(p.leftInPool, `${s.name} ${p.mode}: tokens left in the pool after settling and sweeping`).to.equal(0n);
        expect(p.surplus.pool, `${s.name} ${p.mode}: pool balance − liabilities`).to.equal(0n);
        expect(p.drainErrors, `${s.name} ${p.mode}: settlement errors`).to.deep.equal([]);
      }
    });
  }
});

describe("attack bench statistics", () => {
  it("mean, sample standard deviation and the normal 95% interval", () => {
    const xs = [1, 2, 3, 4, 5];
    expect(mean(xs)).to.equal(3);
    near(sampleStd(xs), Math.sqrt(2.5), 1e-12);
    const [lo, hi] = ci95(xs);
    const h = (1.96 * Math.sqrt(2.5)) / Math.sqrt(5);
    near(lo, 3 - h, 1e-12);
    near(hi, 3 + h, 1e-12);
    expect(ci95([7])).to.deep.equal([7, 7]);
    expect(() => mean([])).to.throw();
  });

  it("summarises paired runs: gain = attacker − honest per seed", () => {
    const s = summarize([10, 12, 14], [1, 2, 6]);
    expect(s.runs).to.equal(3);
    expect(s.attackerNetMean).to.equal(12);
    expect(s.honestNetMean).to.equal(3);
    expect(s.gainMean).to.equal(9);
    // gains 9, 10, 8: s = 1, half-width 1.96/√3
    const h = 1.96 / Math.sqrt(3);
    near(s.gainCi95[0], 9 - h, 1e-12);
    near(s.gainCi95[1], 9 + h, 1e-12);
    expect(() => summarize([1], [1, 2])).to.throw();
  });

  it("converts wei to whole tokens", () => {
    expect(toTokens(1_500_000_000_000_000_000n)).to.equal(1.5);
    expect(toTokens(-250n * 10n ** 18n)).to.equal(-250);
    expect(toTokens(0n)).to.equal(0);
    near(toTokens(2n ** 120n), 1.329227995784916e18, 1e3);
  });
});
