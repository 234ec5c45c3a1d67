// Structured JSON logs (pino), one object per line on stdout: operators grep and ship them, and
// tests read them (the SIGKILL test waits for the "training" message). Shared by every long-running
// role (oracle, manager run, miner --rounds). Fields that could hold a
// key are redacted as a second line of defence; the node never puts the key in a log call.
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function createLogger(options: { name?: string; level?: string; destination?: DestinationStream; base?: Record<string, unknown> } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { name: options.name ?? "ponas", ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ["key", "privateKey", "*.key", "*.privateKey"], censor: "[redacted]" },
    },
    // synchronous: a line written just before a crash (or a SIGKILL) is not lost in a buffer
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
