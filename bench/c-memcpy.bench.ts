import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulation } from '../create-simulation.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { loadApp } from '../wasm/app.js';
import { compileC, findToolchain } from '../wasm/toolchain.js';
import { measure, median, rate, type Bench } from './harness.js';

const source = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'c', 'memcpy_loop.c');

/**
 * A C program (bench/c/memcpy_loop.c, built by soc-fabric cc) issuing 64-byte async memcpy copies on esp32c3,
 * against the same loop written in TypeScript, in the same process: copies per wall second and their ratio
 * (goal: C at least 0.5x TypeScript).
 * (a) a task loop: copy, then block on a semaphore its callback gives (each wait unwinds and rewinds the task);
 * (b) callback chains: each copy's ISR callback issues the next one (7 chains, backlog 8).
 */
const bench: Bench = {
  name: 'c-app-memcpy',
  async run(ctx) {
    const tc = findToolchain();
    if ('missing' in tc) {
      ctx.log(`skipped: ${tc.missing}`);
      return;
    }
    const runs = ctx.quick ? 3 : 7;
    const copies = ctx.quick ? 20_000 : 100_000;
    const dir = mkdtempSync(join(tmpdir(), 'bench-c-'));
    try {
      for (const chained of [0, 1]) {
        const out = join(dir, `loop${chained}.wasm`);
        const r = compileC([source], out, { defines: [`COPIES=${copies}`, `CHAINED=${chained}`] });
        if (!r.ok) throw new Error(r.output);
        const module = await WebAssembly.compile(readFileSync(out));
        const cTimes = await measure(
          async () => {
            const sim = await createSimulation({ target: 'esp32c3' });
            let done = 0;
            sim.bus.all$.subscribe((e) => {
              if (e.type === 'copy-done') done++;
            });
            const app = await loadApp(sim, module);
            app.start();
            await sim.run();
            if (app.exit?.status !== 0 || done !== copies)
              throw new Error(`C loop: exit ${JSON.stringify(app.exit)}, ${done} copies`);
          },
          { runs, warmup: 1 },
        );
        const tsTimes = await measure(
          async () => {
            const sim = await createSimulation({ target: 'esp32c3' });
            let done = 0;
            sim.bus.all$.subscribe((e) => {
              if (e.type === 'copy-done') done++;
            });
            const drv = sim.get(AsyncMemcpy).install({ backlog: 8, dmaBurstSize: 16 });
            const src = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
            const dst = sim.memory.alloc(64 * 8, { caps: ['dma', 'internal'] });
            if (chained) {
              let issued = 0;
              const issue = (k: number): void => {
                issued++;
                void drv.memcpy(dst + 64 * k, src + 64 * k, 64, () => {
                  if (issued < copies) issue(k);
                });
              };
              for (let k = 0; k < 7; k++) issue(k);
            } else {
              sim.spawn('loop', async () => {
                for (let i = 0; i < copies; i++) await drv.memcpy(dst, src, 64);
              });
            }
            await sim.run();
            if (done !== copies) throw new Error(`TS loop: ${done} copies`);
          },
          { runs, warmup: 1 },
        );
        const c = copies / median(cTimes);
        const ts = copies / median(tsTimes);
        ctx.log(
          `(${chained ? 'b' : 'a'}) ${chained ? 'callback chains' : 'task loop, semaphore per copy'}: C ${rate(c, ' copies/s')}, ` +
            `TypeScript ${rate(ts, ' copies/s')}: C/TS ${(c / ts).toFixed(2)}x (goal 0.5x; ${copies} copies per run, median of ${runs})`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
