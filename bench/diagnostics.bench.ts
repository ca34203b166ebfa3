import { createSimulation } from '../create-simulation.js';
import { ns, us } from '../core/time.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { median, rate, type Bench } from './harness.js';

/**
 * The cost of diagnostics: the kernel workload (1000 self-rescheduling events, LCG delays of 1..100 ns, as
 * kernel.bench) and 64-byte async memcpy copies with a callback each (as async-memcpy.bench (a)), each with
 * checks off and with every checker on, alternated run by run in this process. Goal: checks on lose at most
 * 20%; checks off is today's code path (no checker is resolved, nothing subscribes).
 */
type Checks = boolean;

async function kernelRun(checks: Checks, simUs: number): Promise<number> {
  const sim = await createSimulation({ target: 'esp32c6', checks });
  let fired = 0;
  for (let i = 0; i < 1000; i++) {
    let s = i + 1;
    const fire = (): void => {
      fired++;
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      sim.schedule(ns(1 + ((s >>> 16) % 100)), fire, 'bench');
    };
    sim.schedule(0, fire, 'bench');
  }
  const t0 = performance.now();
  await sim.run({ until: us(simUs) - 1 });
  const wall = (performance.now() - t0) / 1000;
  await sim.dispose();
  return fired / wall;
}

async function memcpyRun(checks: Checks, copies: number): Promise<number> {
  const sim = await createSimulation({ target: 'esp32c3', checks });
  const drv = sim.get(AsyncMemcpy).install({ backlog: 8 });
  const src = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
  const dst = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
  let issued = 0;
  let completed = 0;
  const issue = (k: number): void => {
    issued++;
    void drv.memcpy(dst + 64 * k, src + 64 * k, 64, () => {
      completed++;
      if (issued < copies) issue(k);
    });
  };
  const t0 = performance.now();
  for (let k = 0; k < 7; k++) issue(k);
  await sim.run();
  const wall = (performance.now() - t0) / 1000;
  if (completed !== copies) throw new Error(`expected ${copies} copies, completed ${completed}`);
  // (async memcpy installed alone takes trigger ID 0, SPI2's; SPI2 never asks for it here, so no finding)
  const error = sim.diagnostics.find((f) => f.severity === 'error');
  if (error) throw new Error(`unexpected error finding: ${error.message}`);
  await sim.dispose();
  return copies / wall;
}

/** Runs `fn(false)` and `fn(true)` alternately `runs` times (after a warm-up of each); medians of both. */
async function alternate(runs: number, fn: (checks: Checks) => Promise<number>): Promise<[number, number]> {
  await fn(false);
  await fn(true);
  const off: number[] = [];
  const on: number[] = [];
  for (let i = 0; i < runs; i++) {
    off.push(await fn(false));
    on.push(await fn(true));
  }
  return [median(off), median(on)];
}

const bench: Bench = {
  name: 'diagnostics',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 7;
    const [kOff, kOn] = await alternate(runs, (c) => kernelRun(c, ctx.quick ? 200 : 1000));
    ctx.log(
      `kernel (1000 events, 1..100 ns, esp32c6 with ETM): checks off ${rate(kOff, ' events/s')}, every checker on ` +
        `${rate(kOn, ' events/s')}: on/off ${(kOn / kOff).toFixed(3)} (goal >= 0.8; ${runs} runs each, alternated)`,
    );
    const [mOff, mOn] = await alternate(runs, (c) => memcpyRun(c, ctx.quick ? 50_000 : 200_000));
    ctx.log(
      `async memcpy (64 B copies, callback each, esp32c3): checks off ${rate(mOff, ' copies/s')}, every checker on ` +
        `${rate(mOn, ' copies/s')}: on/off ${(mOn / mOff).toFixed(3)} (goal >= 0.8; ${runs} runs each, alternated)`,
    );
  },
};
export default bench;
