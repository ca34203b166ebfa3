import { createSimulation } from '../create-simulation.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { median, rate, type Bench } from './harness.js';

/**
 * The cost of the data cache model (createSimulation's `cache`), on and off alternated run by run in this process:
 * (a) 4 KiB async memcpy copies PSRAM -> SRAM on esp32s3, a callback each issuing the next (the driver writes the
 *     source back per copy when the model runs; the engine reports each run to the model);
 * (b) 64-byte async memcpy copies SRAM -> SRAM on esp32s3 (memory the cache does not cover: what the model adds to
 *     every copy is one check per access);
 * (c) CPU accesses: sim.memory.write + read of 256 bytes of PSRAM, over 16 KiB (hits once warm) and 64 KiB (twice the
 *     cache: every line misses and replaces a dirty one).
 * With the model off the hot paths carry one `undefined` check per access call (memory) or per run (engine).
 */
async function copies(cache: boolean, n: number, count: number, psram: boolean): Promise<number> {
  const sim = await createSimulation({ target: 'esp32s3', cache });
  const drv = sim.get(AsyncMemcpy).install({ backlog: 8 });
  const src = sim.memory.alloc(n * 8, { caps: psram ? ['spiram'] : ['dma', 'internal'], align: 64 });
  const dst = sim.memory.alloc(n * 8, { caps: ['dma', 'internal'], align: 64 });
  let issued = 0;
  let completed = 0;
  const issue = (k: number): void => {
    issued++;
    void drv.memcpy(dst + n * k, src + n * k, n, () => {
      completed++;
      if (issued < count) issue(k);
    });
  };
  const t0 = performance.now();
  for (let k = 0; k < 7; k++) issue(k);
  await sim.run();
  const wall = (performance.now() - t0) / 1000;
  if (completed !== count) throw new Error(`expected ${count} copies, completed ${completed}`);
  await sim.dispose();
  return count / wall;
}

async function cpuAccess(cache: boolean, count: number, span: number): Promise<number> {
  const sim = await createSimulation({ target: 'esp32s3', cache });
  const buf = sim.memory.alloc(span, { caps: ['spiram'], align: 32 });
  const data = new Uint8Array(256).fill(7);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const at = buf + ((i * 256) % span);
    sim.memory.write(at, data);
    sim.memory.read(at, 256);
  }
  const wall = (performance.now() - t0) / 1000;
  await sim.dispose();
  return count / wall;
}

async function alternate(runs: number, fn: (cache: boolean) => Promise<number>): Promise<[number, number]> {
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
  name: 'cache',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 7;
    const [aOff, aOn] = await alternate(runs, (c) => copies(c, 4096, ctx.quick ? 5_000 : 20_000, true));
    ctx.log(
      `async memcpy 4 KiB PSRAM -> SRAM (esp32s3): model off ${rate(aOff, ' copies/s')}, on ${rate(aOn, ' copies/s')}: ` +
        `on/off ${(aOn / aOff).toFixed(3)} (${runs} runs each, alternated)`,
    );
    const [bOff, bOn] = await alternate(runs, (c) => copies(c, 64, ctx.quick ? 50_000 : 200_000, false));
    ctx.log(
      `async memcpy 64 B SRAM -> SRAM (esp32s3): model off ${rate(bOff, ' copies/s')}, on ${rate(bOn, ' copies/s')}: ` +
        `on/off ${(bOn / bOff).toFixed(3)} (${runs} runs each, alternated)`,
    );
    for (const span of [16 * 1024, 64 * 1024]) {
      const [cOff, cOn] = await alternate(runs, (c) => cpuAccess(c, ctx.quick ? 50_000 : 200_000, span));
      ctx.log(
        `CPU write + read of 256 B PSRAM over ${span / 1024} KiB (the S3's data cache: 32 KiB): model off ` +
          `${rate(cOff, ' pairs/s')}, on ${rate(cOn, ' pairs/s')}: on/off ${(cOn / cOff).toFixed(3)} (${runs} runs each, alternated)`,
      );
    }
  },
};
export default bench;
