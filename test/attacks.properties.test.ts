// The properties of issue 10 that hold today, each as its attack: the strategy of test/attacks/
// played against the real contract over several seeds, and the attacker's tokens measured
// against the honest play of the same scenario. A property joins this list when the contract
// change that makes it hold lands; the bench (npm run bench:attacks) measures all strategies.
// Where the attacker's own net cannot show the harm (a griefer gains nothing either way), the
// victims' loss is asserted too.
import { expect } from "chai";
import { lastBlockChallenge } from "./attacks/last-block-challenge.js";
import { lastBlockChallengeTreasury } from "./attacks/last-block-challenge-treasury.js";
import { midRoundEnrolment } from "./attacks/mid-round-enrolment.js";
import { narrowing } from "./attacks/narrowing.js";
import { narrowingSweep } from "./attacks/narrowing-sweep.js";
import type { Strategy } from "./attacks/harness.js";

const SEEDS = [1, 2, 3];

function holds(strategy: Strategy, extra?: (notes: string) => void) {
  it(`${strategy.property} — ${strategy.name}: the attacker ends with no more than it would honestly (seeds ${SEEDS.join(", ")})`, async () => {
    for (const seed of SEEDS) {
      const r = await strategy.run(seed);
      expect(r.attackerNet <= r.honestNet, `seed ${seed}: attacker ${r.attackerNet} > honest ${r.honestNet} (${r.notes ?? ""})`).to.equal(true);
      extra?.(r.notes ?? "");
    }
  });
}

describe("issue 10 properties that hold, as attacks", function () {
  this.timeout(180_000);
  holds(midRoundEnrolment, (notes) => expect(notes).to.match(/\b0 honest miners slashed/));
  holds(narrowing, (notes) => expect(notes).to.match(/victims lose 0\b/));
  holds(narrowingSweep);
  const noVictim = (notes: string) => {
    expect(notes).to.match(/\b0 honest rewards voided/);
    expect(notes).to.match(/honest miners lose -?0(\.0+)? tokens/);
  };
  holds(lastBlockChallenge, noVictim);
  holds(lastBlockChallengeTreasury, noVictim);
});
