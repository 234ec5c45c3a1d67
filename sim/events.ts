// The simulation's clock: a discrete-event scheduler for simulated miners. Each miner is an async
// process that runs the real search code (nas/ runSearch) and, inside its evaluator, waits on the
// clock for the architecture's measured training time. The scheduler lets exactly one process run
// at a time and always wakes the one whose wait ends first, so evaluations of all miners are
// ordered by simulated time and a run is a pure function of its seeds (ties in time go to the
// wait that was registered first). No wall-clock time, timers or threads are involved: a process
// is "blocked" when it waits on the clock, and the scheduler advances only once every live
// process is blocked or finished.

/** Rejects every pending wait once a run is over; miner processes end on it. */
export class SimulationStopped extends Error {
  constructor() {
    super("the simulation was stopped");
    this.name = "SimulationStopped";
  }
}

interface Wait {
  time: number;
  seq: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** A binary min-heap of waits by (time, registration order). */
class WaitQueue {
  private items: Wait[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Wait | undefined {
    return this.items[0];
  }
  private less(a: Wait, b: Wait): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }
  push(w: Wait): void {
    const h = this.items;
    h.push(w);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): Wait | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
  drain(): Wait[] {
    const all = this.items;
    this.items = [];
    return all;
  }
}

export interface RunOptions {
  /** Simulated deadline in seconds: a wait that would end after it never ends (the run stops there). */
  until?: number;
}

export class Simulation {
  /** Simulated seconds since the start. */
  now = 0;
  private queue = new WaitQueue();
  private seq = 0;
  private live = 0;
  private blocked = 0;
  private wake: (() => void) | null = null;
  private stopped = false;
  private started = false;
  private errors: unknown[] = [];

  /**
   * Starts a process. It runs (synchronously, up to its first wait) right away; a throw other than
   * SimulationStopped is re-thrown by run(), so a bug in a miner cannot be mistaken for an outcome.
   */
  spawn(body: () => Promise<void>): void {
    this.live++;
    const exit = () => {
      this.live--;
      this.check();
    };
    body().then(exit, (e: unknown) => {
      if (!(e instanceof SimulationStopped)) this.errors.push(e);
      exit();
    });
  }

  /** Resolves once the clock has advanced by `seconds`; rejects with SimulationStopped if the run ends first. */
  wait(seconds: number): Promise<void> {
    if (!(Number.isFinite(seconds) && seconds >= 0)) {
      return Promise.reject(new RangeError(`a simulated wait must be a finite number of seconds >= 0, got ${seconds}`));
    }
    if (this.stopped) return Promise.reject(new SimulationStopped());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ time: this.now + seconds, seq: this.seq++, resolve, reject });
      this.blocked++;
      this.check();
    });
  }

  /** Ends the run once the running process blocks; every pending wait is then rejected. */
  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Advances the clock from wait to wait until every process has finished, stop() was called, or
   * the next wait would end after `until` (then the clock is set to `until`). Resolves once every
   * process has ended.
   */
  async run(options: RunOptions = {}): Promise<void> {
    if (this.started) throw new Error("a Simulation runs once; make a new one");
    this.started = true;
    const { until } = options;
    for (;;) {
      await this.quiescent();
      if (this.errors.length > 0 || this.stopped) break;
      const next = this.queue.peek();
      if (next === undefined) break;
      if (until !== undefined && next.time > until) {
        this.now = until;
        break;
      }
      this.queue.pop();
      this.now = next.time;
      this.blocked--;
      next.resolve();
    }
    this.stopped = true;
    const pending = this.queue.drain();
    this.blocked -= pending.length;
    for (const w of pending) w.reject(new SimulationStopped());
    await this.quiescent();
    if (this.errors.length > 0) throw this.errors[0];
  }

  /** Resolves when every live process is blocked on the clock (or none is left). */
  private quiescent(): Promise<void> {
    if (this.blocked === this.live) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private check(): void {
    if (this.wake !== null && this.blocked === this.live) {
      const w = this.wake;
      this.wake = null;
      w();
    }
  }
}
