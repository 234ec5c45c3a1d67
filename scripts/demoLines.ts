// How the demo prints a child process's output line: under the child's name, and wrapped at word
// boundaries rather than cut, so a long log line (a miner's claim with its stake, a verifier's
// attestation) never loses its numbers ("stake 25" for 250 PONAS was a line cut at 200 characters).
// Pure, so scripts/demoLines.test.ts checks it without running the demo.

/** Lines the demo prints for a child's output line: which lines pass (all when verbose), prefixed, wrapped to `width` columns. */
export function childLines(name: string, line: string, o: { verbose?: boolean; width?: number } = {}): string[] {
  if (!line) return [];
  if (!o.verbose && !/error|slash|reveal|commit|claim|attest|withdr/i.test(line)) return [];
  const head = `  ${name.padEnd(10)} | `;
  const cont = `${" ".repeat(head.length - 2)}| `;
  const room = Math.max(40, (o.width ?? 160) - head.length);
  const out: string[] = [];
  let cur = "";
  for (const word of line.split(" ")) {
    // a word longer than the room (a hash, a JSON blob) stays whole on its own line: never cut
    if (cur && cur.length + 1 + word.length > room) {
      out.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  out.push(cur);
  return out.map((l, i) => `${i === 0 ? head : cont}${l}`);
}
