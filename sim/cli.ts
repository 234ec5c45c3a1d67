// `npm run sim`: runs the three experiments of the paper on the tabular benchmark, and the
// deadline experiment on it and on the surrogate of the cell space's sampled benchmark, and writes
// reports/sim.json plus the figures (reports/sim-*.svg and .png). Deterministic per option set:
// two runs with the same options write the same report except for meta (wall times).
import { writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadSpace, STRATEGIES, type StrategyName } from "../nas/index.js";
import { writePlots } from "./plots.js";
import { runSimulation } from "./report.js";
import { loadSampledBench, sampledReportUrl } from "./surrogate.js";

/** The committed sampled benchmark of the manager's default space for real rounds. */
const SAMPLED_DEFAULT = relative(process.cwd(), fileURLToPath(sampledReportUrl(loadSpace(new URL("../nas/spaces/fashion-cell-v1.json", import.meta.url)))));

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
    return n;
  };
}

export function program(): Command {
  return new Command("sim")
    .description("reproduce the paper's experiments (speedup, task completion, reward variance) on the tabular benchmark")
    .option("--seeds <n>", "seeds per configuration (speedup and completion)", positiveInt("--seeds"), 100)
    .option("--rounds <n>", "rounds of the reward experiment (default 2 × seeds)", positiveInt("--rounds"))
    .addOption(new Option("--strategy <name>", "search strategy of every miner").choices(Object.keys(STRATEGIES)).default("evolution"))
    .option("--out <dir>", "folder for sim.json and the figures", "reports")
    .option("--no-plots", "write only sim.json")
    .option("--sampled <report>", "sampled benchmark of a space too large to tabulate: the deadline experiment also runs on its surrogate", SAMPLED_DEFAULT)
    .option("--no-sampled", "run the deadline experiment on the tabular benchmark only")
    .action(async (o: { seeds: number; rounds?: number; strategy: StrategyName; out: string; plots: boolean; sampled: string | false }) => {
      const t0 = performance.now();
      const sampled = o.sampled === false ? undefined : loadSampledBench(o.sampled);
      let last = "";
      const { report, raw } = await runSimulation({
        seeds: o.seeds,
        rounds: o.rounds,
        strategy: o.strategy,
        sampled,
        progress: (exp, done, total) => {
          const pct = Math.floor((done / total) * 10);
          const line = `${exp} ${pct * 10}%`;
          if (line !== last && (done === total || done % Math.max(1, Math.floor(total / 10)) === 0)) {
            last = line;
            process.stderr.write(`${line} (${done}/${total})\n`);
          }
        },
      });
      mkdirSync(o.out, { recursive: true });
      const file = join(o.out, "sim.json");
      const plots = o.plots ? await writePlots(o.out, report, raw) : [];
      report.meta.runtimeSeconds.total = Math.round((performance.now() - t0) / 100) / 10;
      writeFileSync(file, JSON.stringify(report, null, 1) + "\n");
      const f = (x: number) => x.toFixed(2);
      for (const [n, e] of Object.entries(report.speedup)) {
        console.log(
          `N=${n.padStart(2)}: top-1% ${f(e.vsSolo)}× vs solo [${e.ci95.map(f).join(", ")}], ${f(e.vsIndependent)}× vs ${n} independent; best ${f(e.best.vsSolo)}× / ${f(e.best.vsIndependent)}×; duplicates: pool ${report.duplicateEvaluations[n].pool}, independent ${report.duplicateEvaluations[n].independent}`,
        );
      }
      for (const [d, e] of Object.entries(report.completion)) {
        console.log(`dropout ${(Number(d) * 100).toFixed(0).padStart(2)}%: completion none ${(e.none * 100).toFixed(1)}%, all ${(e.all * 100).toFixed(1)}%, σ rule ${(e.sigma * 100).toFixed(1)}%`);
      }
      for (const [space, r] of Object.entries(report.deadline)) {
        for (const [n, e] of Object.entries(r.byN)) {
          const t = e.top1Reached;
          console.log(`deadline ${space} (${r.architectures} architectures, ${r.evaluationsPerMiner} evaluations per miner) N=${n.padStart(2)}: top 1% reached pool ${t.pool}, ${n} independent ${t.independent}, solo ${t.solo}; best ${e.bestBps.pool.mean} / ${e.bestBps.independent.mean} / ${e.bestBps.solo.mean} bps; independent repeats ${(e.duplicateShare.independent * 100).toFixed(2)}%`);
        }
      }
      console.log(`reward variance reduction ${(report.varianceReduction * 100).toFixed(3)}% (CV −${(report.rewards.cvReduction * 100).toFixed(1)}%)`);
      console.log(`wrote ${[file, ...plots].join(", ")} in ${report.meta.runtimeSeconds.total} s`);
    });
}

await program().parseAsync(process.argv);
