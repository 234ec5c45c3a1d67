// Experiment 3, reward variance: a miner's income per round when it mines solo under PoNAS (the
// miner whose architecture scores highest when the round's time is up takes the whole block
// reward) against the pool's proportional split R_i = P_i / ΣP × R_total (P = score above the
// round's baseline), with the same miners, the same compute and the same total reward per round.
// Each round every miner searches for roundSeconds of simulated training with the miner client's
// strategy; solo miners search the whole space, pool miners the tasks of managerPartition(bench, M)
// assigned at random each round. Both regimes pay R per round in total, so mean income is R/M in
// both and the variances compare directly. A third, mixed scenario puts k of the M miners in a pool
// that competes with the other M − k mining solo (k = 2, 4, 8): the pool wins the block when its
// best beats every solo miner's, and then splits it by P. That is the choice a single miner faces
// ("join a pool of k or stay solo?"), and its variance reduction depends on k.
import { WHOLE_SPACE, type StrategyName, type Subspace } from "../nas/index.js";
import { ROUND_DEFAULTS } from "../chain/actions/openRound.js";
import { managerPartition, type Bench } from "./bench.js";
import { Simulation } from "./events.js";
import { claimInOrder, sameSubspace, spawnMiner, type TaskSource } from "./miner.js";
import { deriveSeed, minerSeed, rngFor, STREAM } from "./seeds.js";
import { bootstrapCI, mean, round, sig } from "./stats.js";

export interface RewardOptions {
  rounds: number;
  miners?: number;
  /** Simulated training seconds per round (the block interval, or the pool's commit window). */
  roundSeconds?: number;
  baselineBps?: number;
  /** Pool sizes k of the mixed scenario (k pool members against M − k solo miners). */
  mixedSizes?: number[];
  strategy?: StrategyName;
  onRound?: (done: number) => void;
}

export const REWARD_DEFAULTS = {
  miners: 16,
  roundSeconds: 120,
  baselineBps: ROUND_DEFAULTS.baselineBps,
  mixedSizes: [2, 4, 8],
  strategy: "evolution" as StrategyName,
};

/** What each miner's search reached by the deadline: best score and when it first reached it. */
interface Reach {
  best: number;
  at: number;
}

/** Runs `miners` miners on `tasks` until `deadline`; the best per miner and per task. */
async function searchRound(
  bench: Bench,
  miners: number,
  tasks: TaskSource,
  seed: number,
  deadline: number,
  strategy: StrategyName,
): Promise<{ byMiner: Reach[]; byTask: Map<number, { miner: number; best: number }> }> {
  const sim = new Simulation();
  const byMiner: Reach[] = Array.from({ length: miners }, () => ({ best: -1, at: Infinity }));
  const byTask = new Map<number, { miner: number; best: number }>();
  for (let i = 0; i < miners; i++) {
    spawnMiner({
      sim,
      bench,
      miner: i,
      strategy,
      tasks,
      seed: (j) => minerSeed(seed, i, j),
      onEvaluation: (r) => {
        const m = byMiner[r.miner];
        if (r.scoreBps > m.best) {
          m.best = r.scoreBps;
          m.at = r.end;
        }
        const t = byTask.get(r.task);
        if (!t || r.scoreBps > t.best) byTask.set(r.task, { miner: r.miner, best: r.scoreBps });
      },
    });
  }
  await sim.run({ until: deadline });
  return { byMiner, byTask };
}

/** Index of the winner: highest score, then earliest to reach it, then lowest index. */
export function winner(reach: readonly Reach[]): number {
  let w = 0;
  for (let i = 1; i < reach.length; i++) {
    const a = reach[i];
    const b = reach[w];
    if (a.best > b.best || (a.best === b.best && a.at < b.at)) w = i;
  }
  return w;
}

/** Proportional split of `total` by P (all zero: nobody is paid, as ΣP = 0 on-chain). */
export function proportional(p: readonly number[], total: number): number[] {
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((x) => (sum > 0 ? (x / sum) * total : 0));
}

/** The pool's tasks in a random order for this round: miner i starts on the i-th, then miners claim the rest in order. */
function shuffledTasks(tasks: readonly Subspace[], miners: number, rngSeed: number): TaskSource {
  return claimInOrder(rngFor(rngSeed, STREAM.assignment).shuffle(tasks), miners);
}

/** The pool's payout of one round: each task's P = best − baseline (≥ 0), summed per miner, split proportionally. */
function split(bests: readonly { miner: number; best: number }[], miners: number, baselineBps: number): number[] {
  const p = new Array<number>(miners).fill(0);
  for (const { miner, best } of bests) p[miner] += Math.max(0, best - baselineBps);
  return proportional(p, 1);
}

export interface IncomeSummary {
  /** Mean income per miner per round, in units of R (the round's total reward). */
  mean: number;
  /** Per-miner variance of income across rounds, averaged over miners (units R²). */
  variance: number;
  /** sqrt(variance) / mean. */
  cv: number;
}

export interface RewardResult {
  /** 1 − Var(pool) / Var(solo): the relative reduction of per-miner income variance. */
  varianceReduction: number;
  ci95: [number, number];
  /** 1 − CV(pool) / CV(solo). */
  cvReduction: number;
  solo: IncomeSummary;
  pool: IncomeSummary;
  /** By pool size k: k miners in a pool against M − k solo miners; reductions are of members against solo miners. */
  mixed: Record<
    string,
    {
      poolMembers: IncomeSummary;
      soloMiners: IncomeSummary;
      /** Share of rounds the pool won. */
      poolWinShare: number;
      varianceReduction: number;
      cvReduction: number;
      tasks: number;
    }
  >;
  /** varianceReduction with the pool's P measured above other baselines (bps → reduction): how much the split's spread depends on it. */
  baselineSweep: Record<string, number>;
  setup: { rounds: number; miners: number; tasks: number; roundSeconds: number; baselineBps: number };
  /** Income per round per miner (rounds × miners), for the plots; not written to the report. */
  raw: { solo: number[][]; pool: number[][]; mixed: Record<string, number[][]> };
}

/** Income summary of rows = rounds, columns = miners (only the given columns). */
export function summarise(rows: readonly number[][], cols: readonly number[], at: readonly number[] = [...rows.keys()]): IncomeSummary {
  const vars = cols.map((c) => {
    const xs = at.map((r) => rows[r][c]);
    const m = mean(xs);
    return mean(xs.map((x) => (x - m) ** 2));
  });
  const m = mean(cols.map((c) => mean(at.map((r) => rows[r][c]))));
  const v = mean(vars);
  return { mean: m, variance: v, cv: m > 0 ? Math.sqrt(v) / m : Infinity };
}

export async function rewardExperiment(bench: Bench, opts: RewardOptions): Promise<RewardResult> {
  const o = { ...REWARD_DEFAULTS, ...opts };
  const M = o.miners;
  const tasks = managerPartition(bench, M).tasks;
  const sizes = o.mixedSizes.filter((k) => k >= 1 && k < M);
  const kTasks = new Map(sizes.map((k) => [k, managerPartition(bench, k).tasks]));
  const solo: number[][] = [];
  const pool: number[][] = [];
  const mixed = new Map<number, number[][]>(sizes.map((k) => [k, []]));
  const poolWins = new Map<number, number>(sizes.map((k) => [k, 0]));
  /** Per round, (miner, best score) of every task the pool searched: the split under any baseline. */
  const poolBests: { miner: number; best: number }[][] = [];
  for (let r = 0; r < o.rounds; r++) {
    const seed = (k: number) => deriveSeed(r, STREAM.rewards, k);
    // Solo: winner takes all.
    const s = await searchRound(bench, M, sameSubspace(WHOLE_SPACE), seed(1), o.roundSeconds, o.strategy);
    const w = winner(s.byMiner);
    solo.push(s.byMiner.map((_, i) => (i === w ? 1 : 0)));
    // Pool: everyone in, proportional split of the round's reward over the tasks' P.
    const p = await searchRound(bench, M, shuffledTasks(tasks, M, seed(2)), seed(2), o.roundSeconds, o.strategy);
    poolBests.push([...p.byTask.values()]);
    pool.push(split(poolBests[r], M, o.baselineBps));
    // Mixed: miners 0..k-1 form a pool on managerPartition(bench, k); the other M − k mine solo.
    for (const k of sizes) {
      const mp = await searchRound(bench, k, shuffledTasks(kTasks.get(k)!, k, seed(100 + k)), seed(100 + k), o.roundSeconds, o.strategy);
      const ms = await searchRound(bench, M - k, sameSubspace(WHOLE_SPACE), seed(200 + k), o.roundSeconds, o.strategy);
      // The pool is one participant: its entry is its best, reached when its first member reached it.
      const poolReach = mp.byMiner.reduce((a, b) => (b.best > a.best || (b.best === a.best && b.at < a.at) ? b : a));
      const wm = winner([poolReach, ...ms.byMiner]);
      const row = new Array<number>(M).fill(0);
      if (wm === 0) {
        poolWins.set(k, poolWins.get(k)! + 1);
        split([...mp.byTask.values()], k, o.baselineBps).forEach((x, i) => (row[i] = x));
      } else row[k + wm - 1] = 1;
      mixed.get(k)!.push(row);
    }
    o.onRound?.(r + 1);
  }
  const all = [...Array(M).keys()];
  const S = summarise(solo, all);
  const P = summarise(pool, all);
  const ciSeed = deriveSeed(0, STREAM.bootstrap, 3);
  const ci = bootstrapCI(o.rounds, (ix) => 1 - summarise(pool, all, ix).variance / summarise(solo, all, ix).variance, ciSeed);
  const scores = [...bench.entries.values()].map((e) => e.scoreBps).sort((a, b) => a - b);
  const median = scores[Math.floor(scores.length / 2)];
  const baselineSweep: Record<string, number> = {};
  for (const b of [o.baselineBps, median, 9000]) {
    const rows = poolBests.map((bests) => split(bests, M, b));
    baselineSweep[String(b)] = round(1 - summarise(rows, all).variance / S.variance, 6);
  }
  const fmt = (x: IncomeSummary): IncomeSummary => ({ mean: sig(x.mean, 5), variance: sig(x.variance, 4), cv: sig(x.cv, 4) });
  return {
    varianceReduction: round(1 - P.variance / S.variance, 6),
    ci95: ci.map((v) => round(v, 6)) as [number, number],
    cvReduction: round(1 - P.cv / S.cv, 4),
    solo: fmt(S),
    pool: fmt(P),
    mixed: Object.fromEntries(
      sizes.map((k) => {
        const MP = summarise(mixed.get(k)!, all.slice(0, k));
        const MS = summarise(mixed.get(k)!, all.slice(k));
        return [
          String(k),
          {
            poolMembers: fmt(MP),
            soloMiners: fmt(MS),
            poolWinShare: round(poolWins.get(k)! / o.rounds, 4),
            varianceReduction: round(1 - MP.variance / MS.variance, 4),
            cvReduction: round(1 - MP.cv / MS.cv, 4),
            tasks: kTasks.get(k)!.length,
          },
        ];
      }),
    ),
    baselineSweep,
    setup: { rounds: o.rounds, miners: M, tasks: tasks.length, roundSeconds: o.roundSeconds, baselineBps: o.baselineBps },
    raw: { solo, pool, mixed: Object.fromEntries([...mixed].map(([k, rows]) => [String(k), rows])) },
  };
}
