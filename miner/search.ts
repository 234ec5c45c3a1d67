// The miner's search of its task: the NAS engine's strategy over the task's subspace, every
// genome trained under the round's recipe, checkpointed after each evaluation so a killed miner
// resumes where it stopped (nas/search replays the same proposals from the checkpoint).
// The engine bounds a search by evaluations or seconds; a miner also has a hard deadline in chain
// time (commitEnd − margin). The engine asks its shouldStop before every evaluation, so that is
// where the miner reads the chain: an evaluation is started only if, judging by the last one's
// duration, it ends before the deadline. Stopping there is what the engine's exact resume is
// built for, so the deadline changes nothing about which genomes are tried.
import { performance } from "node:perf_hooks";
import type { Hex } from "viem";
import {
  createStrategy,
  describeGenome,
  isReferenceBackend,
  REFERENCE_BACKEND,
  loadDataset,
  runSearch,
  subspaceSize,
  trainGenome,
  type BackendName,
  type Dataset,
  type Evaluate,
  type Evaluated,
  type Recipe,
  type SearchSpace,
  type StrategyName,
  type Subspace,
  type TrainResult,
} from "../nas/index.js";
import { MinerError } from "./errors.js";
import type { MinerEvent } from "./events.js";
import type { Budget } from "./options.js";

export interface TaskSearchOptions {
  space: SearchSpace;
  recipe: Recipe;
  subspace: Subspace;
  strategy: StrategyName;
  seed: number;
  /** The search checkpoint file (resumed from when it exists). */
  checkpoint: string;
  budget?: Budget;
  backend?: BackendName;
  /** Chain time (seconds) by which the search must be over, and how to read chain time. */
  deadline?: { stopAt: number; now: () => Promise<number> };
  /** Default: trainGenome under `recipe` on `backend`. Tests inject a synthetic one. */
  evaluate?: Evaluate;
  onEvent?: (e: MinerEvent) => void;
  signal?: AbortSignal;
}

export type StopReason = "budget" | "time" | "exhausted" | "deadline";

export interface TaskSearchResult {
  best: Evaluated | null;
  history: Evaluated[];
  stoppedBy: StopReason;
  /** Evaluations restored from the checkpoint when this run started. */
  resumedFrom: number;
}

const datasets = new Map<string, Dataset>();
/** trainGenome with the recipe's data loaded once per process. */
export function trainer(space: SearchSpace, recipe: Recipe, backend?: BackendName): Evaluate {
  return async (genome: Hex) => {
    let data = datasets.get(recipe.name);
    if (!data) datasets.set(recipe.name, (data = loadDataset(recipe)));
    return trainGenome(space, genome, recipe, { backend, dataset: data });
  };
}

/**
 * The weights digest a miner seals in its reveal (chain/seals.ts): the trainer's weightsHash of
 * `best` when the search trained it on the reference backend, the only one whose training is
 * bit-exact across machines (so the verifiers' re-trainings yield the same hash); otherwise it is
 * trained once more there (a search run on a GPU, or a state written before seals). The verifiers'
 * agreed digest must open the seal, or the claim is fraud.
 */
export async function referenceDigest(space: SearchSpace, recipe: Recipe, best: { genome: Hex; evaluation?: unknown }): Promise<Hex> {
  const e = best.evaluation as Partial<TrainResult> | undefined;
  if (e?.weightsHash && typeof e.backend === "string" && isReferenceBackend(e.backend)) return e.weightsHash;
  const r = (await trainer(space, recipe, REFERENCE_BACKEND)(best.genome)) as TrainResult;
  if (!r.weightsHash) throw new MinerError(`training ${describeGenome(space, best.genome)} on the reference backend (${REFERENCE_BACKEND}) failed${r.reason ? `: ${r.reason}` : ""}; nothing to seal`);
  return r.weightsHash;
}

const STOPPED_BECAUSE: Record<StopReason, string> = {
  budget: "budget reached",
  time: "time budget used",
  exhausted: "subspace exhausted",
  deadline: "commit deadline near",
};

export async function searchTask(o: TaskSearchOptions): Promise<TaskSearchResult> {
  const strategy = createStrategy(o.strategy);
  const evaluate = o.evaluate ?? trainer(o.space, o.recipe, o.backend);
  const size = subspaceSize(o.space, o.subspace);
  const budgetN = o.budget?.evaluations;
  let lastSeconds = 0;
  // Whether the last evaluation trained off the reference backend (a GPU search): then the best
  // is trained once more on it before the commit (referenceDigest), so the deadline keeps room for
  // one more training after the next one. (A GPU evaluation may be faster than the wasm
  // re-training; --commit-margin covers the difference.)
  let offReference = false;
  const timed: Evaluate = async (genome) => {
    const t0 = performance.now();
    let reported = 0;
    try {
      const r = await evaluate(genome);
      const { backend, seconds } = r as Partial<TrainResult>;
      offReference = typeof backend === "string" && !isReferenceBackend(backend);
      if (typeof seconds === "number") reported = seconds;
      return r;
    } finally {
      // the trainer's own measure where it gives one (never less than the call took)
      lastSeconds = Math.max((performance.now() - t0) / 1000, reported);
    }
  };
  const deadline = o.deadline;
  let resumedFrom = 0;

  const r = await runSearch(strategy, timed, {
    space: o.space,
    subspace: o.subspace,
    seed: o.seed,
    checkpoint: o.checkpoint,
    // Without a budget the search goes on until the subspace is exhausted (or the deadline):
    // its size is that bound, and exhaustion is reported first.
    maxEvaluations: budgetN ?? size,
    maxSeconds: o.budget?.seconds,
    signal: o.signal,
    shouldStop: deadline && (async () => (await deadline.now()) + lastSeconds * (offReference ? 2 : 1) >= deadline.stopAt),
    onStart: (start) => {
      resumedFrom = start.history.length;
      const last = start.history.at(-1)?.evaluation as { seconds?: unknown } | undefined;
      if (typeof last?.seconds === "number") lastSeconds = last.seconds;
      o.onEvent?.({
        kind: "search-start",
        done: resumedFrom,
        budget: budgetN,
        subspaceSize: size,
        message:
          resumedFrom > 0
            ? `resuming search: ${resumedFrom} evaluation(s) restored from ${o.checkpoint} (best ${start.best?.evaluation.scoreBps} bps)`
            : `searching ${size} architectures with ${o.strategy} (seed ${o.seed})${budgetN ? `, budget ${budgetN} evaluations` : ""}${o.budget?.seconds ? `, budget ${o.budget.seconds} s` : ""}`,
      });
    },
    onEvaluation: (ev) => {
      const sec = (ev.evaluation as { seconds?: unknown }).seconds;
      o.onEvent?.({
        kind: "evaluated",
        index: ev.index,
        budget: budgetN,
        genome: ev.genome,
        scoreBps: ev.evaluation.scoreBps,
        seconds: typeof sec === "number" ? sec : lastSeconds,
        bestScoreBps: ev.best.evaluation.scoreBps,
        message: `evaluation ${ev.index + 1}${budgetN ? `/${budgetN}` : ""}: ${describeGenome(o.space, ev.genome)} → ${ev.evaluation.scoreBps} bps (best ${ev.best.evaluation.scoreBps}) in ${lastSeconds.toFixed(1)} s`,
      });
    },
  });

  // "stopped" is the signal (checked first) or the deadline, the only shouldStop
  if (r.stoppedBy === "stopped" && o.signal?.aborted) throw new MinerError("the miner was stopped during the search");
  const stoppedBy: StopReason = ({ evaluations: "budget", time: "time", exhausted: "exhausted", stopped: "deadline" } as const)[r.stoppedBy];
  o.onEvent?.({
    kind: "search-stop",
    reason: stoppedBy,
    evaluations: r.history.length,
    message: `search stopped (${STOPPED_BECAUSE[stoppedBy]}) after ${r.history.length} evaluation(s)${r.best ? `; best ${r.best.evaluation.scoreBps} bps: ${describeGenome(o.space, r.best.genome)}` : ""}`,
  });
  return { best: r.best as Evaluated | null, history: r.history as Evaluated[], stoppedBy, resumedFrom };
}
