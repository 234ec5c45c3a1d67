import { loadTable } from "../nas/bench/table.js";
import { defaultSpace } from "../nas/space/files.js";
import { parseDescription, describeGenome } from "../nas/space/genome.js";
import { resolveRecipe } from "../nas/train/recipe.js";
import { trainGenome } from "../nas/train/trainer.js";
import { Rng } from "../nas/rng.js";
const space = defaultSpace(); const table = loadTable(space);
const keys = Object.keys(table.entries);
const n = Number(process.argv[2] ?? 4);
const r0 = new Rng(Number(process.argv[3] ?? 7));
const pick = [parseDescription(space, "1 block, 4 filters, 3×3, no norm, ReLU, max-pool, no dense, no dropout"), parseDescription(space,"2 blocks, 8 filters, 3×3, batch-norm, tanh, avg-pool, dense-32, dropout 0.2"), ...r0.shuffle(keys).slice(0, n)];
let bad = 0;
for (const g of pick) {
  const r = await trainGenome(space, g as any, resolveRecipe("mnist-short-v1"), { backend: "wasm" });
  const ok = r.weightsHash === table.entries[g].weightsHash && r.scoreBps === table.entries[g].scoreBps;
  if (!ok) bad++;
  console.log(ok ? "same" : "DIFF", r.seconds.toFixed(2), table.entries[g].seconds, (describeGenome as any)(space, g));
}
console.log(bad, "different");
