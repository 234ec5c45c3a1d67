// `npm run partition -- --tasks N`: the manager's view of a split: the tasks `(mask, value)` to
// pass to openRound, each with its size and estimated cost, and the imbalance (max/mean cost).
// The same cost model as the manager's open-round (--cost time|flops).
import { Command, InvalidArgumentError, Option } from "commander";
import { COST_MODELS, managerPartition, partitionCost, type CostModelName } from "../bench/timeModel.js";
import { NasError } from "../errors.js";
import { defaultSpace, loadSpace } from "./files.js";
import { arities, spaceId, spaceSize } from "./space.js";
import { describeSubspace } from "./subspace.js";

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
};

const program = new Command()
  .name("partition")
  .description("Split a search space into at least N cost-balanced, disjoint subspace tasks")
  .requiredOption("-n, --tasks <n>", "minimum number of tasks", positive)
  .option("-s, --space <path>", "search space JSON (default: nas/spaces/mnist-conv-v1.json)")
  .addOption(new Option("--cost <model>", "balance measured training time (the space's table; FLOPs without one) or FLOPs").choices(COST_MODELS).default("time"))
  .option("--seed <n>", "permute the partition with this seed, as a round does (default: the space's own order)", (v) => {
    if (!/^\d+$/.test(v) || Number(v) >= 2 ** 32) throw new InvalidArgumentError(`--seed must be an integer in 0..${2 ** 32 - 1}`);
    return Number(v);
  })
  .option("--json", "print JSON for scripts")
  .parse();
const opts = program.opts<{ tasks: number; space?: string; cost: CostModelName; seed?: number; json?: boolean }>();

try {
  const space = opts.space ? loadSpace(opts.space) : defaultSpace();
  const cost = partitionCost(space, opts.cost);
  const p = managerPartition(space, opts.tasks, cost, opts.seed);
  const unit = cost.cost ? { div: 1, name: "s" } : { div: 1e6, name: "MFLOP" };
  if (opts.json) {
    console.log(
      JSON.stringify({ spaceId: spaceId(space), arities: arities(space), costModel: p.costModel, imbalance: p.imbalance, tasks: p.tasks }, null, 2),
    );
  } else {
    console.log(`${space.name} (${spaceSize(space)} architectures, id ${spaceId(space)})`);
    console.log(`${p.tasks.length} tasks, imbalance max/mean cost = ${p.imbalance.toFixed(3)}, cost = ${p.costModel}`);
    for (const t of p.tasks) {
      const fixed = describeSubspace(space, t);
      console.log(`  ${t.value}  ${String(t.size).padStart(5)} archs  ${(t.cost / unit.div).toFixed(1).padStart(9)} ${unit.name.padEnd(5)}  ${fixed}`);
    }
  }
} catch (e) {
  if (!(e instanceof NasError)) throw e;
  console.error(`error: ${e.message}`);
  process.exit(1);
}
