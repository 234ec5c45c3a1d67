// How a miner run looks in a terminal: one timestamped line per event, and during the search a
// cli-progress bar with the best score so far. When the output is not a terminal (logs, CI, a
// parent process reading our output) the bar would be noise, so every evaluation is a plain line
// instead.
import cliProgress from "cli-progress";
import type { MinerEvent } from "./events.js";

export interface Reporter {
  event(e: MinerEvent): void;
  /** Stops a running bar (on errors and interrupts). */
  close(): void;
}

export interface ReporterOptions {
  out: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Draw a progress bar; default: whether `out` is a TTY. */
  tty?: boolean;
  now?: () => Date;
  /** Put before every line, e.g. "miner 0x1234…": tells several miners' output apart. */
  prefix?: string;
}

export function createReporter(options: ReporterOptions): Reporter {
  const tty = options.tty ?? Boolean((options.out as NodeJS.WriteStream).isTTY);
  const now = options.now ?? (() => new Date());
  const tag = options.prefix ? `${options.prefix}: ` : "";
  const line = (msg: string) => options.out.write(`${now().toISOString()} ${tag}${msg}\n`);
  let bar: cliProgress.SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    event(e) {
      if (tty && e.kind === "search-start") {
        line(e.message);
        bar = new cliProgress.SingleBar(
          { format: "searching |{bar}| {value}/{total} architectures | best {best} bps", stream: options.out as NodeJS.WriteStream, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.min(e.budget ?? e.subspaceSize, e.subspaceSize), e.done, { best: "-" });
        return;
      }
      if (bar && e.kind === "evaluated") {
        bar.update(e.index + 1, { best: e.bestScoreBps });
        return;
      }
      if (e.kind === "search-stop") stop();
      line(e.message);
    },
    close: stop,
  };
}
