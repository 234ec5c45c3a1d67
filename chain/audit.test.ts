// The payout audit over hand-built rounds whose payouts are known: a plain round, one with a slash
// (the pot stays R_total: the slash is forfeited to the treasury), one with rounding dust, a backup
// take-over whose no-show primary is fined, junk reveals (P = 0) that deliver nothing and are
// fined, a sampled-but-unverified submission, and tampered payouts and fees that must fail.
// (The partition check is nas's: nas/space/partitionCheck.test.ts.)
import { expect } from "chai";
import type { Address } from "viem";
import type { Hex } from "viem";
import { weightsSeal } from "./seals.js";
import { agreedDigest, auditCsv, auditedEvents, auditRound, medianBps, NO_SLOT, noShowFine, share, type PoolEvent } from "./audit.js";

const A = "0x00000000000000000000000000000000000000a1" as Address;
const B = "0x00000000000000000000000000000000000000b2" as Address;
const C = "0x00000000000000000000000000000000000000c3" as Address;
const D = "0x00000000000000000000000000000000000000d4" as Address;
const E18 = 10n ** 18n;
const R = 1n;

const opened = (rewardTotal: bigint, rules: { minStake?: bigint; noShowBps?: number } = {}): PoolEvent => ({ eventName: "RoundOpened", args: { roundId: R, params: { rewardTotal, ...rules } } });
const fined = (task: bigint, slot: bigint, miner: Address, amount: bigint): PoolEvent => ({ eventName: "NoShowFined", args: { roundId: R, task, slot, miner, amount } });
const claimed = (task: bigint, slot: bigint, miner: Address): PoolEvent => ({ eventName: "Claimed", args: { roundId: R, task, slot, miner } });
const revealed = (task: bigint, slot: bigint, miner: Address, p: bigint): PoolEvent => ({ eventName: "Revealed", args: { roundId: R, task, slot, miner, p } });
const verified = (task: bigint, slot: bigint, p: bigint, sumP: bigint, fraud = false): PoolEvent => ({ eventName: "Verified", args: { roundId: R, task, slot, fraud, p, sumP } });
const finalized = (pot: bigint, sumP: bigint): PoolEvent => ({ eventName: "RoundFinalized", args: { roundId: R, pot, sumP } });
const withdrawn = (task: bigint, slot: bigint, miner: Address, p: bigint, reward: bigint, unverified = false): PoolEvent => ({
  eventName: "Withdrawn",
  args: { roundId: R, task, slot, miner, p, reward, unverified },
});

describe("payout audit (chain/audit.ts)", () => {
  it("reads only the events it audits, in order, out of a round's whole log", () => {
    const log = [{ eventName: "RoundOpened" }, { eventName: "Committed" }, { eventName: "Attested" }, { eventName: "Withdrawn" }, { eventName: "SampleSeedFixed" }] as const;
    expect(auditedEvents(log).map((e) => e.eventName)).to.deep.equal(["RoundOpened", "Attested", "Withdrawn"]);
  });

  it("a plain round: every payout is P_i / ΣP × R_total and the verdict passes", () => {
    const events = [
      opened(1000n * E18),
      claimed(0n, 0n, A),
      claimed(1n, 0n, B),
      revealed(0n, 0n, A, 3000n),
      revealed(1n, 0n, B, 1000n),
      verified(0n, 0n, 3000n, 4000n),
      finalized(1000n * E18, 4000n),
      withdrawn(0n, 0n, A, 3000n, 750n * E18),
      withdrawn(1n, 0n, B, 1000n, 250n * E18),
    ];
    const a = auditRound({ roundId: R, events, state: { finalized: true, paid: 1000n * E18, forfeited: 0n, sumP: 4000n } });
    expect(a.verdict).to.equal("pass");
    expect(a.rows.map((r) => [r.miner, r.expected, r.paid, r.ok])).to.deep.equal([
      [A, 750n * E18, 750n * E18, true],
      [B, 250n * E18, 250n * E18, true],
    ]);
    expect(a.dust).to.equal(0n);
    expect(a.miners).to.have.length(2);
  });

  it("a round with a slash: the cheater gets 0 and the pot stays R_total; the treasury's share is forfeited", () => {
    // C claims 9000 (P 8000), the median is far lower: fraud, stake 10 slashed, 5 to verifiers, 5 to the treasury
    const slash = { eventName: "Slashed", args: { roundId: R, task: 2n, slot: 0n, miner: C, amount: 10n * E18, toVerifiers: 5n * E18, toTreasury: 5n * E18 } } as PoolEvent;
    const events = [
      opened(100n * E18),
      revealed(0n, 0n, A, 2000n),
      revealed(1n, 0n, B, 2000n),
      revealed(2n, 0n, C, 8000n),
      verified(2n, 0n, 0n, 4000n, true),
      slash,
      finalized(100n * E18, 4000n),
      withdrawn(0n, 0n, A, 2000n, 50n * E18),
      withdrawn(1n, 0n, B, 2000n, 50n * E18),
      withdrawn(2n, 0n, C, 0n, 0n),
    ];
    const a = auditRound({ roundId: R, events, state: { finalized: true, paid: 100n * E18, forfeited: 5n * E18, sumP: 4000n } });
    expect(a.pot).to.equal(100n * E18);
    expect(a.forfeited).to.equal(5n * E18);
    expect(a.verdict).to.equal("pass");
    const c = a.rows.find((r) => r.miner === C)!;
    expect(c).to.include({ fraud: true, expected: 0n, paid: 0n, ok: true, slashed: 10n * E18 });
    expect(a.miners.find((m) => m.miner === A)!.expected).to.equal(50n * E18);

    // the old rule (the slash raising the pot to 105) fails: the pot and the payouts disagree
    const old = auditRound({
      roundId: R,
      events: [...events.slice(0, 6), finalized(105n * E18, 4000n), withdrawn(0n, 0n, A, 2000n, 52_500_000_000_000_000_000n), withdrawn(1n, 0n, B, 2000n, 52_500_000_000_000_000_000n), withdrawn(2n, 0n, C, 0n, 0n)],
      state: { finalized: true, paid: 105n * E18, forfeited: 0n, sumP: 4000n },
    });
    expect(old.verdict).to.equal("fail");
    expect(old.checks.filter((x) => !x.ok).map((x) => x.name)).to.include.members([
      "pot = rewardTotal",
      "payouts never exceed the pot",
      "contract forfeited = Σ Slashed.toTreasury + Σ NoShowFined.amount",
    ]);
  });

  it("checks each verdict against the miner's weights seal: a digest that does not open it must be fraud", () => {
    const seals = { chainId: 31337, pool: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address };
    const trained = `0x${"aa".repeat(32)}` as Hex;
    const madeUp = `0x${"bb".repeat(32)}` as Hex;
    const sealOf = (miner: Address, task: bigint, digest: Hex) => weightsSeal({ ...seals, roundId: R, task, miner, weightsDigest: digest });
    const round = (fraudOfB: boolean): PoolEvent[] => [
      opened(100n * E18),
      { eventName: "Revealed", args: { roundId: R, task: 0n, slot: 0n, miner: A, p: 2000n, weightsSeal: sealOf(A, 0n, trained) } },
      { eventName: "Revealed", args: { roundId: R, task: 1n, slot: 0n, miner: B, p: 2000n, weightsSeal: sealOf(B, 1n, madeUp) } },
      { eventName: "Verified", args: { roundId: R, task: 0n, slot: 0n, fraud: false, p: 2000n, sumP: 4000n, weightsDigest: trained } },
      { eventName: "Verified", args: { roundId: R, task: 1n, slot: 0n, fraud: fraudOfB, p: fraudOfB ? 0n : 2000n, sumP: fraudOfB ? 2000n : 4000n, weightsDigest: trained } },
    ];
    // B sealed a digest nobody trained: the verdict is fraud, and the audit says why
    const ok = auditRound({ roundId: R, events: round(true), seals });
    expect(ok.rows.map((r) => [r.miner, r.ok])).to.deep.equal([[A, true], [B, true]]);
    expect(ok.rows[1].note).to.match(/weights seal does not open/);
    // a pool that let it pass would fail the audit
    const bad = auditRound({ roundId: R, events: round(false), seals });
    expect(bad.rows[1].ok).to.equal(false);
    expect(bad.rows[1].note).to.match(/does not open the miner's weights seal, yet the verdict is not fraud/);
    expect(bad.rows[0].ok).to.equal(true);
    // without the chain and pool the seal cannot be recomputed, and is not judged
    expect(auditRound({ roundId: R, events: round(false) }).rows[1].ok).to.equal(true);
  });

  it("a round with dust: floor shares leave pot − Σ R_i for the treasury", () => {
    // pot 100 wei over three equal P: 33 each, 1 wei of dust
    const events = [
      opened(100n),
      revealed(0n, 0n, A, 7n),
      revealed(1n, 0n, B, 7n),
      revealed(2n, 0n, C, 7n),
      finalized(100n, 21n),
      withdrawn(0n, 0n, A, 7n, 33n),
      withdrawn(1n, 0n, B, 7n, 33n),
      withdrawn(2n, 0n, C, 7n, 33n),
    ];
    const a = auditRound({ roundId: R, events });
    expect(a.rows.every((r) => r.expected === 33n && r.ok)).to.equal(true);
    expect(a.dust).to.equal(1n);
    expect(a.totalPaid + a.dust).to.equal(a.pot);
    expect(a.verdict).to.equal("pass");
  });

  it("a backup take-over: the backup's P counts, the no-show primary's does not and it pays its fee", () => {
    // minStake 50, noShowBps 2000: the primary that never revealed pays 10 to the treasury
    const fee = noShowFine(50n, 2000);
    expect(fee).to.equal(10n);
    const events = [
      opened(60n, { minStake: 50n, noShowBps: 2000 }),
      claimed(0n, 0n, A),
      claimed(0n, 1n, D),
      claimed(1n, 0n, B),
      revealed(1n, 0n, B, 100n),
      revealed(0n, 1n, D, 200n),
      { eventName: "ActiveChanged", args: { roundId: R, task: 0n, slot: 1n, p: 200n, sumP: 300n } } as PoolEvent,
      finalized(60n, 300n),
      fined(0n, 0n, A, fee),
      withdrawn(0n, 0n, A, 0n, 0n),
      withdrawn(0n, 1n, D, 200n, 40n),
      withdrawn(1n, 0n, B, 100n, 20n),
    ];
    const a = auditRound({ roundId: R, events, state: { finalized: true, paid: 60n, forfeited: fee, sumP: 300n } });
    expect(a.verdict).to.equal("pass");
    expect(a.forfeited).to.equal(fee);
    expect(a.rows.find((r) => r.miner === A)).to.include({ counts: false, expected: 0n, fined: fee, note: "did not deliver: no-show fee to the treasury" });
    expect(a.rows.find((r) => r.miner === D)).to.include({ counts: true, expected: 40n, fined: 0n });
    expect(a.miners.find((m) => m.miner === A)!.fined).to.equal(fee);
    expect(auditCsv(a)).to.match(/# forfeited,10\n/);

    // a no-show left unfined, and a fee charged to a backup whose task was delivered, both fail
    const unfined = auditRound({ roundId: R, events: events.filter((e) => e.eventName !== "NoShowFined") });
    expect(unfined.verdict).to.equal("fail");
    expect(unfined.rows.find((r) => r.miner === A)!.note).to.equal("fined 0, expected 10 (a no-show)");
    const wrong = auditRound({ roundId: R, events: [...events.slice(0, 8), fined(0n, 1n, D, fee), ...events.slice(8)] });
    expect(wrong.rows.find((r) => r.miner === D)).to.include({ ok: false, note: "fined 10, expected 0" });
  });

  it("fines a backup of a task nothing counts for, and no backup of a delivered task", () => {
    // task 0: neither the primary A nor the backup D delivers; task 1: B delivers, its backup C idles
    const events = [
      opened(10n, { minStake: 100n, noShowBps: 2000 }),
      claimed(0n, 0n, A),
      claimed(0n, 1n, D),
      claimed(1n, 0n, B),
      claimed(1n, 1n, C),
      revealed(1n, 0n, B, 5n),
      finalized(10n, 5n),
      fined(0n, 0n, A, 20n),
      withdrawn(0n, 0n, A, 0n, 0n),
      fined(0n, 1n, D, 20n),
      withdrawn(0n, 1n, D, 0n, 0n),
      withdrawn(1n, 0n, B, 5n, 10n),
      withdrawn(1n, 1n, C, 0n, 0n),
    ];
    const a = auditRound({ roundId: R, events, state: { finalized: true, paid: 10n, forfeited: 40n, sumP: 5n } });
    expect(a.verdict).to.equal("pass");
    expect(a.rows.map((r) => [r.miner, r.fined])).to.deep.equal([[A, 20n], [D, 20n], [B, 0n], [C, 0n]]);
  });

  it("a reveal with P = 0 delivers nothing: its primary is fined, a backup that takes over is paid, and a backup of a task only P = 0 reached is fined", () => {
    // task 0: primary A reveals P = 0, backup D takes the task (P 30); task 1: primary B reveals
    // P = 0, its backup C never reveals; task 2: primary E delivers P 10. minStake 100, 20%.
    const E = "0x00000000000000000000000000000000000000e5" as Address;
    const events = [
      opened(40n, { minStake: 100n, noShowBps: 2000 }),
      claimed(0n, 0n, A),
      claimed(0n, 1n, D),
      claimed(1n, 0n, B),
      claimed(1n, 1n, C),
      claimed(2n, 0n, E),
      revealed(0n, 0n, A, 0n),
      revealed(1n, 0n, B, 0n),
      revealed(2n, 0n, E, 10n),
      revealed(0n, 1n, D, 30n),
      { eventName: "ActiveChanged", args: { roundId: R, task: 0n, slot: 1n, p: 30n, sumP: 40n } } as PoolEvent,
      finalized(40n, 40n),
      fined(0n, 0n, A, 20n),
      withdrawn(0n, 0n, A, 0n, 0n),
      withdrawn(0n, 1n, D, 30n, 30n),
      fined(1n, 0n, B, 20n),
      withdrawn(1n, 0n, B, 0n, 0n),
      fined(1n, 1n, C, 20n),
      withdrawn(1n, 1n, C, 0n, 0n),
      withdrawn(2n, 0n, E, 10n, 10n),
    ];
    const a = auditRound({ roundId: R, events, state: { finalized: true, paid: 40n, forfeited: 60n, sumP: 40n } });
    expect(a.verdict).to.equal("pass");
    expect(a.rows.map((r) => [r.miner, r.counts, r.expected, r.fined])).to.deep.equal([
      [A, false, 0n, 20n],
      [D, true, 30n, 0n],
      [B, false, 0n, 20n],
      [C, false, 0n, 20n],
      [E, true, 10n, 0n],
    ]);
    expect(a.rows.find((r) => r.miner === A)!.note).to.equal("revealed but counts for nothing (P = 0 or a voided duplicate): no-show fee to the treasury");
    // a P = 0 primary left unfined fails, and so does a fine on the P > 0 primary
    const unfined = auditRound({ roundId: R, events: events.filter((e) => !(e.eventName === "NoShowFined" && e.args.miner === B)) });
    expect(unfined.verdict).to.equal("fail");
    expect(unfined.rows.find((r) => r.miner === B)!.note).to.equal("fined 0, expected 20 (it delivered nothing)");
    const wrong = auditRound({ roundId: R, events: [...events.slice(0, -1), fined(2n, 0n, E, 20n), events[events.length - 1]] });
    expect(wrong.rows.find((r) => r.miner === E)).to.include({ ok: false, note: "fined 20, expected 0" });
  });

  it("a voided duplicate leaves its task without a counting submission", () => {
    const events = [
      opened(50n),
      revealed(0n, 0n, A, 10n),
      revealed(1n, 0n, B, 10n),
      { eventName: "ActiveChanged", args: { roundId: R, task: 0n, slot: NO_SLOT, p: 0n, sumP: 10n } } as PoolEvent,
      { eventName: "DuplicateVoided", args: { roundId: R, task: 0n, slot: 0n, sumP: 10n } } as PoolEvent,
      finalized(50n, 10n),
      withdrawn(0n, 0n, A, 0n, 0n),
      withdrawn(1n, 0n, B, 10n, 50n),
    ];
    const a = auditRound({ roundId: R, events });
    expect(a.sumP).to.equal(10n);
    expect(a.verdict).to.equal("pass");
  });

  it("a sampled submission without quorum is paid 0 and its share is withheld", () => {
    const events = [opened(90n), revealed(0n, 0n, A, 1n), revealed(1n, 0n, B, 2n), finalized(90n, 3n), withdrawn(0n, 0n, A, 1n, 0n, true), withdrawn(1n, 0n, B, 2n, 60n)];
    const a = auditRound({ roundId: R, events });
    expect(a.verdict).to.equal("pass");
    expect(a.withheld).to.equal(30n);
    expect(a.rows[0]).to.include({ unverified: true, expected: 0n, ok: true });
  });

  it("fails on an overpaid miner, a wrong pot, and disagreeing contract state", () => {
    const events = [opened(100n), revealed(0n, 0n, A, 1n), revealed(1n, 0n, B, 1n), finalized(101n, 2n), withdrawn(0n, 0n, A, 1n, 51n), withdrawn(1n, 0n, B, 1n, 50n)];
    const a = auditRound({ roundId: R, events, state: { finalized: true, paid: 90n, forfeited: 0n, sumP: 2n } });
    expect(a.verdict).to.equal("fail");
    expect(a.rows[0]).to.include({ ok: false });
    expect(a.rows[1]).to.include({ ok: true });
    const failed = a.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).to.include("pot = rewardTotal");
    expect(failed).to.include("contract paid = Σ Withdrawn.reward");
    expect(auditCsv(a)).to.match(/MISMATCH/).and.match(/# verdict,fail/);
  });

  it("compares unsettled submissions with the lens's projectedReward before finalisation", () => {
    const events = [opened(10n), revealed(0n, 0n, A, 1n), revealed(1n, 0n, B, 4n)];
    const ok = auditRound({ roundId: R, events, state: { finalized: false, paid: 0n, forfeited: 0n, sumP: 5n, projected: { "0:0": 2n, "1:0": 8n } } });
    expect(ok.verdict).to.equal("pending");
    const bad = auditRound({ roundId: R, events, state: { finalized: false, paid: 0n, forfeited: 0n, sumP: 5n, projected: { "0:0": 3n, "1:0": 8n } } });
    expect(bad.verdict).to.equal("fail");
    expect(share(1n, 10n, 5n)).to.equal(2n);
  });

  it("ignores other rounds' events", () => {
    const other: PoolEvent = { eventName: "Withdrawn", args: { roundId: 2n, task: 0n, slot: 0n, miner: A, p: 1n, reward: 999n, unverified: false } };
    const a = auditRound({ roundId: R, events: [opened(10n), revealed(0n, 0n, A, 1n), finalized(10n, 1n), withdrawn(0n, 0n, A, 1n, 10n), other] });
    expect(a.verdict).to.equal("pass");
    expect(a.totalPaid).to.equal(10n);
  });

  describe("verifiers (sealed attestations)", () => {
    const V = ["0x00000000000000000000000000000000000000e1", "0x00000000000000000000000000000000000000e2", "0x00000000000000000000000000000000000000e3", "0x00000000000000000000000000000000000000e4"] as Address[];
    const DIGEST = `0x${"5a".repeat(32)}` as Hex;
    const ZERO = `0x${"00".repeat(32)}` as Hex;
    const rules = { rewardTotal: 100n, minStake: 10n, noShowBps: 0, quorum: 3, toleranceBps: 200, verifierFee: 2n, feeBudget: 5n };
    const open: PoolEvent = { eventName: "RoundOpened", args: { roundId: R, params: rules } };
    const commit = (task: bigint, v: Address): PoolEvent => ({ eventName: "AttestationCommitted", args: { roundId: R, task, slot: 0n, verifier: v } });
    const reveal = (task: bigint, v: Address, score: number, digest: Hex = DIGEST): PoolEvent => ({ eventName: "Attested", args: { roundId: R, task, slot: 0n, verifier: v, scoreBps: BigInt(score), weightsDigest: digest } });
    const fee = (task: bigint, v: Address, amount: bigint): PoolEvent => ({ eventName: "FeePaid", args: { roundId: R, task, slot: 0n, verifier: v, fee: amount } });
    const penalised = (task: bigint, v: Address, amount: bigint): PoolEvent => ({ eventName: "Penalised", args: { roundId: R, task, slot: 0n, verifier: v, amount } });
    const verdict = (task: bigint, median: number, fraud: boolean): PoolEvent => ({ eventName: "Verified", args: { roundId: R, task, slot: 0n, medianBps: BigInt(median), fraud, p: 0n, sumP: 0n } });
    const credit = (task: bigint, v: Address, amount: bigint): PoolEvent => ({ eventName: "SlashShareCredited", args: { roundId: R, task, slot: 0n, verifier: v, amount } });

    /** Task 0 a fraud: three reference re-trainings agree on 6000 and DIGEST, a lazy fourth echoes the claim 9500 with digest 0. Task 1 honest at 7000: the echo agrees but is not paid; the budget (5) runs out on the third fee. */
    const round = (): PoolEvent[] => [
      open,
      { eventName: "FeeBudgetFunded", args: { roundId: R, amount: 5n } },
      ...[0n, 1n].flatMap((t) => V.map((v) => commit(t, v))),
      reveal(0n, V[0], 6000), reveal(0n, V[1], 6010), reveal(0n, V[2], 5990), reveal(0n, V[3], 9500, ZERO),
      fee(0n, V[0], 2n), fee(0n, V[1], 2n), fee(0n, V[2], 1n), penalised(0n, V[3], 3n),
      verdict(0n, 6005, true),
      { eventName: "Slashed", args: { roundId: R, task: 0n, slot: 0n, miner: A, amount: 10n, toVerifiers: 3n, toTreasury: 7n } },
      credit(0n, V[0], 1n), credit(0n, V[1], 1n), credit(0n, V[2], 1n),
      reveal(1n, V[0], 7000), reveal(1n, V[1], 7000), reveal(1n, V[2], 7000), reveal(1n, V[3], 7000, ZERO),
      verdict(1n, 7000, false),
    ];

    it("the committee's rules, recomputed: median and agreed digest; a lazy echo earns no fee and is penalised off the median", () => {
      expect(medianBps([6000, 6010, 5990, 9500])).to.equal(6005);
      expect(medianBps([3, 1, 2])).to.equal(2);
      expect(agreedDigest([DIGEST, ZERO, DIGEST])).to.equal(DIGEST);
      expect(agreedDigest([DIGEST, ZERO])).to.equal(ZERO); // once is not agreement
      const a = auditRound({ roundId: R, events: round(), penalty: 3n, state: { finalized: false, paid: 0n, forfeited: 7n, sumP: 0n, fees: { budget: 5n, spent: 5n, penalties: 3n } } });
      expect(a.verifiers!.checks.every((c) => c.ok), JSON.stringify(a.verifiers!.rows.filter((r) => !r.ok).map((r) => r.note))).to.equal(true);
      const lazy = a.verifiers!.verifiers.find((v) => v.verifier === V[3])!;
      expect(lazy).to.include({ fees: 0n, penalties: 3n, slashShares: 0n, ok: true });
      expect(a.verifiers!.rows.filter((r) => r.verifier === V[3]).map((r) => r.note)).to.deep.equal([
        "off the median or a contradicted digest: penalised",
        "agrees, score only (digest 0): no fee",
      ]);
      expect(a.verifiers!.totalFees).to.equal(5n);
      expect(a.checks.map((c) => c.name)).to.include.members(["committee spent = Σ FeePaid", "committee penalties = Σ Penalised", "verifier fees never exceed the fee budget"]);
    });

    it("fails on a fee to the echo, a missing penalty, a wrong median and state that disagrees", () => {
      const tampered = round().map((e) => (e.eventName === "Penalised" ? fee(0n, V[3], 0n) : e)).concat([fee(1n, V[3], 2n)]);
      const a = auditRound({ roundId: R, events: tampered, state: { finalized: false, paid: 0n, forfeited: 7n, sumP: 0n, fees: { budget: 5n, spent: 5n, penalties: 3n } } });
      const bad = a.verifiers!.rows.filter((r) => !r.ok);
      expect(bad.map((r) => [r.task, r.verifier])).to.deep.equal([[0, V[3]], [1, V[3]]]);
      expect(bad[0].note).to.match(/not penalised/);
      expect(bad[1].note).to.match(/fee 2, expected 0/);
      expect(a.checks.filter((c) => !c.ok).map((c) => c.name)).to.include.members(["committee spent = Σ FeePaid", "committee penalties = Σ Penalised"]);
      const wrongMedian = auditRound({ roundId: R, events: round().map((e) => (e.eventName === "Verified" && e.args.task === 1n ? verdict(1n, 6900, false) : e)) });
      expect(wrongMedian.verifiers!.rows.find((r) => r.task === 1 && !r.ok)?.note).to.match(/medianBps 6900 ≠ the median of the revealed scores 7000/);
    });

    it("a committer that never revealed is penalised; below quorum there is no verdict and the revealed ones keep their stake", () => {
      const events: PoolEvent[] = [
        open,
        ...V.slice(0, 3).map((v) => commit(0n, v)),
        reveal(0n, V[0], 7000), reveal(0n, V[1], 7000),
        penalised(0n, V[2], 3n),
        { eventName: "Undecided", args: { roundId: R, task: 0n, slot: 0n } },
      ];
      const a = auditRound({ roundId: R, events, penalty: 3n });
      expect(a.verifiers!.rows.map((r) => [r.verifier, r.penalised, r.fee, r.ok, r.note])).to.deep.equal([
        [V[0], false, 0n, true, "no verdict (fewer than quorum revealed)"],
        [V[1], false, 0n, true, "no verdict (fewer than quorum revealed)"],
        [V[2], true, 0n, true, "never revealed: penalised"],
      ]);
      // a penalty above the rate in force fails
      const over = auditRound({ roundId: R, events: events.map((e) => (e.eventName === "Penalised" ? penalised(0n, V[2], 4n) : e)), penalty: 3n });
      expect(over.verifiers!.rows[2].note).to.match(/penalised 4, above the penalty 3/);
    });

    it("a beacon no-show (Penalised on task = slot = 2^256 − 1) is paid no fee in the round after it; a fee to it fails, and so does a second penalty", () => {
      const MAX = 2n ** 256n - 1n;
      const noShow: PoolEvent = { eventName: "Penalised", args: { roundId: R, task: MAX, slot: MAX, verifier: V[2], amount: 3n } };
      // V[2] withheld its beacon secret: penalised when the seed was fixed, before any verdict;
      // it still attests task 1 with the others and agrees, but the committee pays it nothing
      const events: PoolEvent[] = [
        open,
        { eventName: "FeeBudgetFunded", args: { roundId: R, amount: 5n } },
        noShow,
        ...V.slice(0, 3).map((v) => commit(1n, v)),
        reveal(1n, V[0], 7000), reveal(1n, V[1], 7000), reveal(1n, V[2], 7000),
        fee(1n, V[0], 2n), fee(1n, V[1], 2n),
        verdict(1n, 7000, false),
      ];
      const state = { finalized: false, paid: 0n, forfeited: 0n, sumP: 0n, fees: { budget: 5n, spent: 4n, penalties: 3n } };
      const a = auditRound({ roundId: R, events, penalty: 3n, state });
      expect(a.verifiers!.checks.every((c) => c.ok), JSON.stringify(a.verifiers!.checks)).to.equal(true);
      expect(a.verifiers!.beaconNoShows).to.deep.equal([{ verifier: V[2], penalty: 3n }]);
      expect(a.verifiers!.verifiers.find((v) => v.verifier === V[2])).to.include({ fees: 0n, penalties: 3n });
      expect(a.verifiers!.rows.find((r) => r.verifier === V[2])).to.include({ expectedFee: 0n, ok: true });
      // the fee the committee must not pay
      const paid = auditRound({ roundId: R, events: events.flatMap((e) => (e === events[events.length - 1] ? [fee(1n, V[2], 1n), e] : [e])), penalty: 3n });
      expect(paid.verifiers!.rows.find((r) => r.verifier === V[2])!.note).to.match(/fee 1, expected 0/);
      const twice = auditRound({ roundId: R, events: [...events, noShow], penalty: 3n });
      expect(twice.verifiers!.checks.find((c) => c.name.startsWith("each beacon no-show"))!.ok).to.equal(false);
    });
  });
});
