// Runs one of the repository's CLIs (`node --import tsx <script> …args`) as a child process and
// collects its output line by line: what the tests and the soak benchmark (scripts/soak.ts) use
// to start, kill -9 and restart the real long-running roles (miner, oracle, manager run).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitFor } from "../chain/testing.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface Spawned {
  proc: ChildProcess;
  /** Every line of stdout and stderr so far, in arrival order. */
  lines: string[];
  stdout: string[];
  stderr: string[];
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `script` (a path from the repository root, e.g. "manager/cli.ts") with `args`; $PONAS_PRIVATE_KEY is cleared unless `env` sets it. */
export function spawnCli(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Spawned {
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, PONAS_PRIVATE_KEY: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (stream: NodeJS.ReadableStream, into: string[]) => {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      rest += chunk;
      const parts = rest.split("\n");
      rest = parts.pop()!;
      for (const l of parts) {
        into.push(l);
        lines.push(l);
      }
    });
    stream.on("end", () => {
      if (rest) {
        into.push(rest);
        lines.push(rest);
      }
    });
  };
  collect(proc.stdout!, stdout);
  collect(proc.stderr!, stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on("close", (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  const name = script.split("/")[0];
  return {
    proc,
    lines,
    stdout,
    stderr,
    exited,
    waitForLine: (re, timeoutMs = 120_000) =>
      waitFor(`a ${name} line matching ${re}`, () => lines.find((l) => re.test(l)) ?? (done ? Promise.reject(new Error(`${script} exited before printing ${re}:\n${lines.join("\n")}`)) : undefined), timeoutMs),
  };
}
