// The scheduler's contract: waits end in simulated-time order (ties in registration order), a
// deadline or stop() ends every process, and a bug inside a process surfaces from run().
import { expect } from "chai";
import { Simulation, SimulationStopped } from "./events.js";

describe("sim/events: the discrete-event clock", () => {
  it("wakes processes in simulated-time order, ties in the order the waits were registered", async () => {
    const sim = new Simulation();
    const log: string[] = [];
    const proc = (name: string, waits: number[]) =>
      sim.spawn(async () => {
        for (const w of waits) {
          await sim.wait(w);
          log.push(`${name}@${sim.now}`);
        }
      });
    proc("a", [3, 3]); // ends at 3, 6
    proc("b", [1, 2, 3]); // ends at 1, 3, 6
    proc("c", [6]); // 6, registered at time 0: before a's and b's waits that also end at 6
    await sim.run();
    expect(log).to.deep.equal(["b@1", "a@3", "b@3", "c@6", "a@6", "b@6"]);
    expect(sim.now).to.equal(6);
  });

  it("stops at a deadline: waits ending later never end, and every process exits", async () => {
    const sim = new Simulation();
    const done: number[] = [];
    let stopped = 0;
    for (const w of [2, 5]) {
      sim.spawn(async () => {
        try {
          for (;;) {
            await sim.wait(w);
            done.push(sim.now);
          }
        } catch (e) {
          expect(e).to.be.instanceOf(SimulationStopped);
          stopped++;
        }
      });
    }
    await sim.run({ until: 9 });
    expect(done).to.deep.equal([2, 4, 5, 6, 8]);
    expect(sim.now).to.equal(9);
    expect(stopped).to.equal(2);
  });

  it("stop() from inside a process ends the run after that step", async () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.spawn(async () => {
      for (;;) {
        await sim.wait(1);
        seen.push(sim.now);
        if (sim.now === 3) sim.stop();
      }
    });
    await sim.run();
    expect(seen).to.deep.equal([1, 2, 3]);
    expect(sim.isStopped).to.equal(true);
  });

  it("re-throws an error raised inside a process, and refuses a negative wait", async () => {
    const sim = new Simulation();
    sim.spawn(async () => {
      await sim.wait(1);
      throw new Error("miner bug");
    });
    sim.spawn(async () => {
      for (;;) await sim.wait(10);
    });
    let err: unknown;
    await sim.run().catch((e) => (err = e));
    expect((err as Error).message).to.equal("miner bug");

    const sim2 = new Simulation();
    sim2.spawn(() => sim2.wait(-1));
    let err2: unknown;
    await sim2.run().catch((e) => (err2 = e));
    expect(err2).to.be.instanceOf(RangeError);
  });

  it("runs once", async () => {
    const sim = new Simulation();
    await sim.run();
    let err: unknown;
    await sim.run().catch((e) => (err = e));
    expect((err as Error).message).to.match(/runs once/);
  });
});
