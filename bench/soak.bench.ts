import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSimulation } from '../create-simulation.js';
import { traceOutput } from '../core/trace/trace-plugin.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Gpio } from '../plugins/gpio/index.js';
import { esp32c6 } from '../targets/esp32c6.js';
import { rate, type Bench } from './harness.js';

/** A full GC where the process allows one (exposed here as --expose-gc would), so that heap figures are live data. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
function memory(): { heap: number; rss: number } {
  collect();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

/**
 * Soak (issue 11): (a) 10^7 kernel events with both traces on (VCD and Perfetto JSON to a temp folder): a tick
 * every 10 ns, a GPIO toggle every 100 ticks, an async memcpy every 1000; (b) 10,000 simulations created, run
 * and disposed in a loop that never yields to the host (every await a microtask). Reports heap (after a full
 * GC) and RSS at start and end: neither should grow with the length of the run.
 */
const bench: Bench = {
  name: 'soak',
  async run(ctx) {
    const events = ctx.quick ? 1_000_000 : 10_000_000;
    const cycles = ctx.quick ? 1_000 : 10_000;
    const dir = mkdtempSync(join(tmpdir(), 'soc-fabric-soak-'));
    try {
      // (a)
      const vcd = join(dir, 'soak.vcd');
      const trace = join(dir, 'soak.json');
      const m0 = memory();
      const sim = await createSimulation({
        target: { ...esp32c6, plugins: [...esp32c6.plugins, traceOutput({ vcd, trace })] },
      });
      const gpio = sim.get(Gpio);
      const drv = sim.get(AsyncMemcpy).install({ backlog: 4 });
      const src = sim.memory.alloc(256, { caps: ['dma', 'internal'] });
      const dst = sim.memory.alloc(256, { caps: ['dma', 'internal'] });
      let ticks = 0;
      let level = 0;
      let mid: { heap: number; rss: number } | undefined;
      const tick = (): void => {
        ticks++;
        if (ticks % 100 === 0) {
          level ^= 1;
          gpio.setLevel(5, level as 0 | 1);
        }
        if (ticks % 1000 === 0) void drv.memcpy(dst, src, 256);
        if (sim.eventsRun < events) sim.schedule(10_000, tick);
      };
      sim.schedule(0, tick);
      sim.setProgressListener((_now, n) => {
        if (mid === undefined && n >= events / 2) {
          const u = process.memoryUsage();
          mid = { heap: u.heapUsed, rss: u.rss };
        }
      });
      const t0 = performance.now();
      await sim.run();
      const wall = (performance.now() - t0) / 1000;
      const ran = sim.eventsRun;
      const faults = sim.faults.length;
      await sim.dispose();
      const m1 = memory();
      ctx.log(
        `(a) ${ran.toLocaleString('en')} events with VCD + Perfetto traces on: ${wall.toFixed(1)} s wall (${rate(ran / wall, ' events/s')}), ` +
          `${faults} faults; VCD ${mib(statSync(vcd).size)}, trace JSON ${mib(statSync(trace).size)}`,
      );
      ctx.log(
        `    heap ${mib(m0.heap)} at start, ${mid ? `${mib(mid.heap)} halfway (before GC), ` : ''}${mib(m1.heap)} at end; ` +
          `RSS ${mib(m0.rss)} at start, ${mid ? `${mib(mid.rss)} halfway, ` : ''}${mib(m1.rss)} at end`,
      );

      // (b)
      const c0 = memory();
      const t1 = performance.now();
      for (let i = 0; i < cycles; i++) {
        const s = await createSimulation({ target: 'esp32s3' });
        const d = s.get(AsyncMemcpy).install();
        const a = s.memory.alloc(1024, { caps: ['dma', 'internal'] });
        const b = s.memory.alloc(1024, { caps: ['dma', 'internal'] });
        void d.memcpy(b, a, 1024);
        await s.run();
        await s.dispose();
      }
      const wall2 = (performance.now() - t1) / 1000;
      const c1 = memory();
      ctx.log(
        `(b) ${cycles.toLocaleString('en')} create/run/dispose cycles without yielding: ${((wall2 * 1000) / cycles).toFixed(2)} ms each; ` +
          `heap ${mib(c0.heap)} -> ${mib(c1.heap)} (${((c1.heap - c0.heap) / cycles / 1024).toFixed(2)} KiB per cycle), RSS ${mib(c0.rss)} -> ${mib(c1.rss)}`,
      );
      await new Promise((r) => setImmediate(r));
      const c2 = memory();
      ctx.log(`    after yielding once: heap ${mib(c2.heap)}, RSS ${mib(c2.rss)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
