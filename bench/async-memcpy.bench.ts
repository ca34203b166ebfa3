import { createSimulation } from '../create-simulation.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { measure, median, rate, type Bench } from './harness.js';

/**
 * (a) 64-byte async memcpy copies on esp32c3, backlog 8, a callback each that issues the next copy:
 *     completed copies per wall second (goal: at least 1,000,000).
 * (b) 128 KiB SRAM-to-SRAM async memcpy: simulated bytes moved per wall second, as a ratio to the host's
 *     `TypedArray.prototype.set` of the same size in the same process (goal: at least 0.5).
 */
const bench: Bench = {
  name: 'async-memcpy',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 7;

    // (a)
    const copies = ctx.quick ? 50_000 : 200_000;
    const sim = await createSimulation({ target: 'esp32c3' });
    const drv = sim.get(AsyncMemcpy).install({ backlog: 8 });
    const src = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
    const dst = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
    let issued = 0;
    let completed = 0;
    const issue = (k: number): void => {
      issued++;
      void drv.memcpy(dst + 64 * k, src + 64 * k, 64, () => {
        completed++;
        if (issued < target) issue(k);
      });
    };
    let target = 0;
    const times = await measure(async () => {
      target += copies;
      const before = completed;
      // 7 chains: a callback's copy needs a free transaction while its own is not yet back in the idle queue
      for (let k = 0; k < 7; k++) issue(k);
      await sim.run();
      if (completed - before !== copies) throw new Error(`expected ${copies} copies, completed ${completed - before}`);
    }, { runs, warmup: 1 });
    const perSec = copies / median(times);
    if (sim.faults.length) throw new Error(`faults: ${sim.faults[0]!.error.message}`);
    ctx.log(`(a) 64 B copies, callback each, backlog 8, esp32c3: median ${rate(perSec, ' copies/s')} ` +
      `(${(perSec / 1e6).toFixed(2)}x the 1,000,000/s goal; ${copies} copies per run, ${runs} runs)`);
    await sim.dispose();

    // (b)
    const N = 128 * 1024;
    const sim2 = await createSimulation({ target: 'esp32c3' });
    const drv2 = sim2.get(AsyncMemcpy).install();
    const s2 = sim2.memory.alloc(N, { caps: ['dma', 'internal'] });
    const d2 = sim2.memory.alloc(N, { caps: ['dma', 'internal'] });
    sim2.memory.write(s2, Uint8Array.from({ length: N }, (_, i) => i & 0xff));
    const reps = ctx.quick ? 200 : 1000;
    const hostSrc = new Uint8Array(N).map((_, i) => i & 0xff);
    const hostDst = new Uint8Array(N);
    const simRun = async (): Promise<void> => {
      let left = reps;
      const next = (): void => { void drv2.memcpy(d2, s2, N, () => { if (--left > 0) next(); }); };
      next();
      await sim2.run();
    };
    const hostRun = (): void => { for (let i = 0; i < reps; i++) hostDst.set(hostSrc); };
    // alternate the two so that both see the same machine load; the ratio is taken per pair of runs
    const simTimes: number[] = [];
    const hostTimes: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const [h] = await measure(hostRun, { runs: 1, warmup: 0 });
      const [m] = await measure(simRun, { runs: 1, warmup: 0 });
      if (i < 2) continue; // warm-up
      hostTimes.push(h!); simTimes.push(m!); ratios.push(h! / m!);
    }
    const simRate = (N * reps) / median(simTimes);
    const hostRate = (N * reps) / median(hostTimes);
    ctx.log(`(b) 128 KiB SRAM->SRAM async memcpy: median ${rate(simRate, 'B/s')} simulated bytes per wall second; ` +
      `host TypedArray.set ${rate(hostRate, 'B/s')}; median ratio ${median(ratios).toFixed(2)} (goal >= 0.5; ${reps} copies per run, ${runs} runs)`);
    await sim2.dispose();

    // (c) the ESP32-P4's AXI GDMA (16-byte descriptors) against the esp32c3's AHB GDMA, alternated in this process
    const chain = async (target: string, backend: 'auto' | 'gdma-axi'): Promise<() => Promise<void>> => {
      const s = await createSimulation({ target });
      const d = s.get(AsyncMemcpy).install({ backlog: 8 }, backend);
      const a = s.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
      const b = s.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
      const n = ctx.quick ? 20_000 : 100_000;
      return async () => {
        let left = n;
        const go = (k: number): void => { void d.memcpy(b + 64 * k, a + 64 * k, 64, () => { if (--left > 0) go(k); }); };
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
    ctx.log(`(c) 64 B copies on the esp32p4 AXI GDMA vs the esp32c3 AHB GDMA: median speed ratio ${median(axiRatios).toFixed(2)} ` +
      `(1.00 = as fast; ${runs} alternated pairs)`);
  },
};
export default bench;
