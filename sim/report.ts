// reports/sim.json: runs the three experiments and assembles their summaries into one report,
// and checks a report against the schema the issue fixes (tests and the CLI both use the check,
// so a report that drifts from it fails loudly instead of feeding a wrong table to the README).
import type { StrategyName } from "../nas/index.js";
import { loadBench, type Bench } from "./bench.js";
import { completionExperiment, POLICIES, type CompletionResult } from "./completion.js";
import { deadlineExperiment, type DeadlineResult } from "./deadline.js";
import type { SurrogateSummary } from "./surrogate.js";
import { makespanTable, type MakespanRow } from "./partition.js";
import { rewardExperiment, type RewardResult } from "./rewards.js";
import { speedupExperiment, type SpeedupResult } from "./speedup.js";

/** The paper's three numbers (Li et al. 2022, as summarised in shared/seeds). */
export const PAPER = { speedup: 3.2, completion: 0.987, varianceReduction: 0.45 } as const;

export interface SimOptions {
  seeds: number;
  ns?: number[];
  dropouts?: number[];
  /** Reward rounds (default 2 × seeds). */
  rounds?: number;
  strategy?: StrategyName;
  /**
   * A space too large to tabulate, scored by the surrogate of its sampled benchmark
   * (sim/surrogate.ts): the deadline experiment runs on it too, beside the main bench.
   */
  sampled?: { bench: Bench; fit: SurrogateSummary };
  progress?: (experiment: string, done: number, total: number) => void;
}


export const DEFAULT_NS = [2, 4, 8, 16];
/** Pool sizes of the makespan table (cheap: no search, only the schedule of measured seconds). */
export const MAKESPAN_NS = [2, 4, 8, 16, 32, 64];
export const DEFAULT_DROPOUTS = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];

export interface SimReport {
  speedup: SpeedupResult["speedup"];
  speedupAverage: SpeedupResult["average"];
  duplicateEvaluations: SpeedupResult["duplicateEvaluations"];
  completion: CompletionResult["completion"];
  completionLongRun: CompletionResult["longRun"];
  varianceReduction: number;
  rewards: Omit<RewardResult, "raw">;
  /**
   * Experiment 4, per space (the main bench's and, when given, the sampled one's): what each
   * setup has found at a round's deadline.
   */
  deadline: Record<string, DeadlineResult>;
  /** The surrogate of the sampled space, when the deadline experiment ran on one. */
  surrogate?: SurrogateSummary & { space: string; architectures: number; top1ThresholdBps: number; bestScoreBps: number };
  /** Per N: how long a pool of N takes to search the whole space, time- vs FLOPs-balanced tasks. */
  partition: Record<string, MakespanRow>;
  paper: typeof PAPER;
  setup: {
    seeds: number;
    strategy: StrategyName;
    ns: number[];
    bench: {
      spaceId: string;
      recipe: string;
      architectures: number;
      bestScoreBps: number;
      bestCount: number;
      top1ThresholdBps: number;
      top1Count: number;
      totalTrainingSeconds: number;
    };
    /** The cost the manager's partition balances (sim/bench.ts managerPartition). */
    partitionCost: string;
    completion: CompletionResult["setup"];
  };
  /** Wall time and the like: the only fields that differ between two runs with the same options. */
  meta: { runtimeSeconds: Record<string, number>; node: string };
}

export interface SimRun {
  report: SimReport;
  /** What the plots need beyond the report. */
  raw: RewardResult["raw"];
}

export async function runSimulation(o: SimOptions, bench: Bench = loadBench()): Promise<SimRun> {
  const strategy = o.strategy ?? "evolution";
  const ns = o.ns ?? DEFAULT_NS;
  const dropouts = o.dropouts ?? DEFAULT_DROPOUTS;
  const rounds = o.rounds ?? 2 * o.seeds;
  const runtime: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    runtime[name] = Math.round((performance.now() - t0) / 100) / 10;
    return r;
  };
  const sp = await timed("speedup", () =>
    speedupExperiment(bench, { seeds: o.seeds, ns, strategy, onSeed: (d) => o.progress?.("speedup", d, o.seeds) }),
  );
  const co = await timed("completion", () =>
    completionExperiment(bench, { seeds: o.seeds, dropouts, strategy, onSeed: (d) => o.progress?.("completion", d, o.seeds) }),
  );
  const rw = await timed("rewards", () =>
    rewardExperiment(bench, { rounds, strategy, onRound: (d) => o.progress?.("rewards", d, rounds) }),
  );
  const deadline: Record<string, DeadlineResult> = {};
  for (const b of [bench, ...(o.sampled ? [o.sampled.bench] : [])]) {
    deadline[b.space.name] = await timed(`deadline ${b.space.name}`, () =>
      deadlineExperiment(b, { seeds: o.seeds, ns, strategy, onSeed: (d) => o.progress?.(`deadline ${b.space.name}`, d, o.seeds) }),
    );
  }
  const { raw, ...rewards } = rw;
  const report: SimReport = {
    speedup: sp.speedup,
    speedupAverage: sp.average,
    duplicateEvaluations: sp.duplicateEvaluations,
    completion: co.completion,
    completionLongRun: co.longRun,
    varianceReduction: rw.varianceReduction,
    rewards,
    deadline,
    ...(o.sampled
      ? {
          surrogate: {
            ...o.sampled.fit,
            space: o.sampled.bench.space.name,
            architectures: o.sampled.bench.size,
            top1ThresholdBps: o.sampled.bench.top1ThresholdBps,
            bestScoreBps: o.sampled.bench.bestScoreBps,
          },
        }
      : {}),
    partition: makespanTable(bench, MAKESPAN_NS),
    paper: PAPER,
    setup: {
      seeds: o.seeds,
      strategy,
      ns,
      bench: {
        spaceId: bench.spaceId,
        recipe: bench.table.recipe,
        architectures: bench.size,
        bestScoreBps: bench.bestScoreBps,
        bestCount: bench.bestCount,
        top1ThresholdBps: bench.top1ThresholdBps,
        top1Count: bench.top1Count,
        totalTrainingSeconds: Math.round([...bench.entries.values()].reduce((a, e) => a + e.seconds, 0)),
      },
      partitionCost: bench.cost.describe,
      completion: co.setup,
    },
    meta: { runtimeSeconds: runtime, node: process.version },
  };
  const problems = checkReport(report);
  if (problems.length > 0) throw new Error(`the simulation produced a report that fails its schema: ${problems.join("; ")}`);
  return { report, raw };
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isRate = (x: unknown) => isNum(x) && x >= 0 && x <= 1;
const isCI = (x: unknown) => Array.isArray(x) && x.length === 2 && isNum(x[0]) && isNum(x[1]) && x[0] <= x[1];

/** Problems of `x` as a report (empty: it has the schema the issue asks for, with sane values). */
export function checkReport(x: unknown): string[] {
  const p: string[] = [];
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!obj(x)) return ["not a JSON object"];
  const sp = x.speedup;
  if (!obj(sp) || Object.keys(sp).length === 0) p.push("speedup: missing or empty");
  else
    for (const [n, e] of Object.entries(sp)) {
      if (!/^[1-9][0-9]*$/.test(n)) p.push(`speedup: key "${n}" is not a miner count`);
      if (!obj(e)) {
        p.push(`speedup.${n}: not an object`);
        continue;
      }
      if (!isNum(e.vsSolo) || e.vsSolo <= 0) p.push(`speedup.${n}.vsSolo: not a positive number`);
      if (!isNum(e.vsIndependent) || e.vsIndependent <= 0) p.push(`speedup.${n}.vsIndependent: not a positive number`);
      if (!isCI(e.ci95)) p.push(`speedup.${n}.ci95: not [lo, hi]`);
      else if (isNum(e.vsSolo) && !((e.ci95 as number[])[0] <= e.vsSolo && e.vsSolo <= (e.ci95 as number[])[1]))
        p.push(`speedup.${n}.ci95 does not contain vsSolo`);
    }
  const co = x.completion;
  if (!obj(co) || Object.keys(co).length === 0) p.push("completion: missing or empty");
  else
    for (const [d, e] of Object.entries(co)) {
      if (!isRate(Number(d))) p.push(`completion: key "${d}" is not a dropout rate`);
      if (!obj(e)) {
        p.push(`completion.${d}: not an object`);
        continue;
      }
      for (const k of POLICIES) if (!isRate(e[k])) p.push(`completion.${d}.${k}: not a rate in [0, 1]`);
    }
  if (!isNum(x.varianceReduction) || x.varianceReduction > 1) p.push("varianceReduction: not a number ≤ 1");
  const du = x.duplicateEvaluations;
  if (!obj(du) || Object.keys(du).length === 0) p.push("duplicateEvaluations: missing or empty");
  else
    for (const [n, e] of Object.entries(du)) {
      if (!obj(e) || !isNum(e.pool) || !isNum(e.independent)) p.push(`duplicateEvaluations.${n}: needs numbers pool and independent`);
    }
  if (obj(sp) && obj(du)) {
    const a = Object.keys(sp).sort().join();
    const b = Object.keys(du).sort().join();
    if (a !== b) p.push(`speedup (${a}) and duplicateEvaluations (${b}) cover different N`);
  }
  const dl = x.deadline;
  if (!obj(dl) || Object.keys(dl).length === 0) p.push("deadline: missing or empty");
  else
    for (const [space, r] of Object.entries(dl)) {
      if (!obj(r) || !obj(r.byN) || !isNum(r.deadlineSeconds)) {
        p.push(`deadline.${space}: needs byN and deadlineSeconds`);
        continue;
      }
      for (const [n, e] of Object.entries(r.byN)) {
        if (!obj(e) || !obj(e.top1Reached) || !obj(e.duplicateShare)) {
          p.push(`deadline.${space}.${n}: needs top1Reached and duplicateShare`);
          continue;
        }
        for (const k of ["pool", "independent", "solo"]) if (!isRate((e.top1Reached as Record<string, unknown>)[k])) p.push(`deadline.${space}.${n}.top1Reached.${k}: not a rate in [0, 1]`);
        if ((e.duplicateShare as Record<string, unknown>).pool !== 0) p.push(`deadline.${space}.${n}: the pool repeated an evaluation (its tasks are not disjoint)`);
      }
    }
  const pa = x.partition;
  if (!obj(pa) || Object.keys(pa).length === 0) p.push("partition: missing or empty");
  else
    for (const [n, e] of Object.entries(pa)) {
      const ok = (m: unknown) => obj(m) && isNum(m.seconds) && isNum(m.tasks) && m.tasks >= Number(n);
      if (!obj(e) || !ok(e.time) || !ok(e.flops) || !isNum(e.idealSeconds)) p.push(`partition.${n}: needs time and flops {tasks ≥ N, seconds} and idealSeconds`);
    }
  return p;
}

/** The report without its run-dependent fields (wall times), for comparing two runs. */
export function deterministicPart(r: SimReport): Omit<SimReport, "meta"> {
  const { meta: _meta, ...rest } = r;
  return rest;
}
