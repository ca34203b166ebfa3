import { createSimulation } from '../create-simulation.js';
import type { KernelOptions } from '../core/kernel/kernel.js';
import type { Simulation } from '../core/simulation.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { goal, measure, median, rate, type Bench } from './harness.js';

/**
 * 64-byte async memcpy copies on esp32c3, completed copies per wall second, written two ways:
 * (a) the README's pattern: a spawned task that `await`s each `drv.memcpy(...)`. Baseline, interleaved in the
 *     same run: the same task on a kernel whose run loop drains through the host's macrotask queue (setImmediate
 *     after every wake, the loop's former path: `kernel: { drain: 'macrotask' }`). Goal: at least 1,000,000/s.
 * (b) a callback each that issues the next copy (backlog 8, 7 chains). Baseline: a bare chain of `sim.schedule`
 *     callbacks (kernel events per second with nothing else to do). Goal: at least 2,000,000/s.
 * (c) 128 KiB SRAM-to-SRAM copies awaited one by one from a task, steady state (after warm-up): simulated bytes
 *     per wall second over the host's `TypedArray.prototype.set` of the same size, interleaved. Goal: 0.8x.
 * (d) 64-byte copies chained from callbacks on the ESP32-P4's AXI GDMA (16-byte descriptors) against the
 *     esp32c3's AHB GDMA, alternated in this process.
 * The cold figure (the first 2,000 copies of a fresh process) is bench/async-memcpy-cold.bench.ts.
 */
async function awaitedCopies(kernel: KernelOptions): Promise<(copies: number) => Promise<number>> {
  const sim = await createSimulation({ target: 'esp32c3', kernel });
  const drv = sim.get(AsyncMemcpy).install({ backlog: 8 });
  const src = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
  const dst = sim.memory.alloc(64, { caps: ['dma', 'internal'] });
  return async (copies) => {
    const t0 = performance.now();
    const task = sim.spawn('copies', async () => {
      for (let i = 0; i < copies; i++) await drv.memcpy(dst, src, 64);
    });
    await sim.run();
    await task.done;
    checkFaults(sim);
    return copies / ((performance.now() - t0) / 1000);
  };
}

function checkFaults(sim: Simulation): void {
  if (sim.faults.length) throw new Error(`faults: ${sim.faults[0]!.error.message}`);
}

async function callbackCopies(): Promise<(copies: number) => Promise<number>> {
  const sim = await createSimulation({ target: 'esp32c3' });
  const drv = sim.get(AsyncMemcpy).install({ backlog: 8 });
  const src = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
  const dst = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
  let issued = 0;
  let target = 0;
  const issue = (k: number): void => {
    issued++;
    void drv.memcpy(dst + 64 * k, src + 64 * k, 64, () => {
      if (issued < target) issue(k);
    });
  };
  return async (copies) => {
    target = issued + copies;
    const t0 = performance.now();
    // 7 chains: a callback's copy needs a free transaction while its own is not yet back in the idle queue
    for (let k = 0; k < 7; k++) issue(k);
    await sim.run();
    checkFaults(sim);
    return copies / ((performance.now() - t0) / 1000);
  };
}

async function bareEvents(): Promise<(events: number) => Promise<number>> {
  const sim = await createSimulation({ target: 'esp32c3' });
  return async (events) => {
    let left = events;
    const fire = (): void => {
      if (--left > 0) sim.schedule(1000, fire, 'bench');
    };
    const t0 = performance.now();
    sim.schedule(0, fire, 'bench');
    await sim.run();
    return events / ((performance.now() - t0) / 1000);
  };
}

/** Runs `a` and `b` alternately `runs` times after one warm-up each; returns their medians and the median ratio. */
async function interleave(
  runs: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<[number, number, number]> {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = await a();
    const y = await b();
    as.push(x);
    bs.push(y);
    ratios.push(x / y);
  }
  return [median(as), median(bs), median(ratios)];
}

const bench: Bench = {
  name: 'async-memcpy',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 7;
    const copies = ctx.quick ? 50_000 : 200_000;

    const fast = await awaitedCopies({});
    const slow = await awaitedCopies({ drain: 'macrotask' });
    const [a, aBase, aRatio] = await interleave(
      runs,
      () => fast(copies),
      () => slow(copies / 4),
    );
    ctx.log(
      `(a) 64 B copies awaited one by one from a task, esp32c3: median ${rate(a, ' copies/s')} (${goal(a, '>=', 1e6)}); ` +
        `baseline, run loop draining through setImmediate: ${rate(aBase, ' copies/s')}; median ratio ${aRatio.toFixed(2)}x ` +
        `(${copies} copies per run, ${runs} runs)`,
    );

    const cb = await callbackCopies();
    const bare = await bareEvents();
    const [b, bBase, bRatio] = await interleave(
      runs,
      () => cb(copies),
      () => bare(copies),
    );
    ctx.log(
      `(b) 64 B copies, a callback each issuing the next, backlog 8: median ${rate(b, ' copies/s')} (${goal(b, '>=', 2e6)}); ` +
        `baseline, a bare chain of sim.schedule events: ${rate(bBase, ' events/s')}; median ratio ${bRatio.toFixed(2)}x`,
    );

    // (c)
    const N = 128 * 1024;
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(AsyncMemcpy).install();
    const s = sim.memory.alloc(N, { caps: ['dma', 'internal'] });
    const d = sim.memory.alloc(N, { caps: ['dma', 'internal'] });
    sim.memory.write(
      s,
      Uint8Array.from({ length: N }, (_, i) => i & 0xff),
    );
    const reps = ctx.quick ? 200 : 1000;
    const hostSrc = new Uint8Array(N).map((_, i) => i & 0xff);
    const hostDst = new Uint8Array(N);
    const simRun = async (): Promise<void> => {
      const task = sim.spawn('copies', async () => {
        for (let i = 0; i < reps; i++) await drv.memcpy(d, s, N);
      });
      await sim.run();
      await task.done;
    };
    const hostRun = (): void => {
      for (let i = 0; i < reps; i++) hostDst.set(hostSrc);
    };
    const simTimes: number[] = [];
    const hostTimes: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const [h] = await measure(hostRun, { runs: 1, warmup: 0 });
      const [m] = await measure(simRun, { runs: 1, warmup: 0 });
      if (i < 2) continue; // warm-up
      hostTimes.push(h!);
      simTimes.push(m!);
      ratios.push(h! / m!);
    }
    checkFaults(sim);
    const ratio = median(ratios);
    ctx.log(
      `(c) 128 KiB SRAM->SRAM copies awaited from a task, steady: median ${rate((N * reps) / median(simTimes), 'B/s')} simulated; ` +
        `host TypedArray.set ${rate((N * reps) / median(hostTimes), 'B/s')}; median ratio ${ratio.toFixed(2)}x (${goal(ratio, '>=', 0.8, 'x')}; ` +
        `${reps} copies per run, ${runs} runs)`,
    );
    await sim.dispose();

    // (d) the ESP32-P4's AXI GDMA (16-byte descriptors) against the esp32c3's AHB GDMA, alternated in this process
    const chain = async (target: string, backend: 'auto' | 'gdma-axi'): Promise<() => Promise<void>> => {
      const s = await createSimulation({ target });
      const d = s.get(AsyncMemcpy).install({ backlog: 8 }, backend);
      const a = s.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
      const b = s.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
      const n = ctx.quick ? 20_000 : 100_000;
      return async () => {
        let left = n;
        const go = (k: number): void => {
          void d.memcpy(b + 64 * k, a + 64 * k, 64, () => {
            if (--left > 0) go(k);
          });
        };
        for (let k = 0; k < 7; k++) go(k);
        await s.run();
      };
    };
    const ahbRun = await chain('esp32c3', 'auto');
    const axiRun = await chain('esp32p4', 'gdma-axi');
    const axiRatios: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const [tAhb] = await measure(ahbRun, { runs: 1, warmup: 0 });
      const [tAxi] = await measure(axiRun, { runs: 1, warmup: 0 });
      if (i > 0) axiRatios.push(tAhb! / tAxi!);
    }
    ctx.log(
      `(d) 64 B copies on the esp32p4 AXI GDMA vs the esp32c3 AHB GDMA: median speed ratio ${median(axiRatios).toFixed(2)} ` +
        `(1.00 = as fast; ${runs} alternated pairs)`,
    );
  },
};
export default bench;
