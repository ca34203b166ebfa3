// A config for the sweep tests: a small grid whose points copy, draw from the PRNG, fault and fail on purpose.
import { defineConfig } from '../../core/config/config.js';
import { esp32c3, esp32s3 } from '../../targets/index.js';
import { defineSweep } from '../define.js';
import { cpuCopy } from '../../scenarios/cpu-copy.js';

export const grid = defineSweep({
  name: 'grid',
  description: 'CPU copies of a few sizes on two targets, three repetitions; one point throws, one faults',
  params: { target: ['esp32c3', 'esp32s3'], size: [16, 64, 256, 1024], rep: [0, 1, 2] },
  filter: (p) => !(p.size === 16 && p.rep === 0),
  seed: 7,
  axes: { x: 'size', y: 'copyPs', series: ['target'], logX: true },
  async run(sim, p) {
    if (p.target === 'esp32s3' && p.size === 64 && p.rep === 2) throw new Error('deliberate failure at esp32s3/64/2');
    if (p.size === 1024 && p.rep === 1)
      sim.schedule(
        0,
        () => {
          throw new Error('deliberate fault');
        },
        'grid',
      );
    const src = sim.memory.alloc(p.size, { caps: ['internal'] });
    const dst = sim.memory.alloc(p.size, { caps: ['internal'] });
    let copyPs = 0;
    sim.spawn('copy', async () => {
      await sim.delay(sim.random.int(0, 1000));
      const t0 = sim.now;
      await sim.cpu.memcpy(dst, src, p.size);
      copyPs = sim.now - t0;
    });
    await sim.run();
    return { copyPs, draw: sim.random.u32() };
  },
});

/** A sweep one of whose points kills its worker thread (an exception thrown outside the point's promise). */
export const crashy = defineSweep({
  name: 'crashy',
  params: { n: [0, 1, 2, 3] },
  async run(_sim, p) {
    if (p.n === 1)
      await new Promise(() => {
        setTimeout(() => {
          throw new Error('the worker dies');
        }, 0);
      });
    return { n: p.n };
  },
});

/** A sweep two of whose points never finish: one spins its thread, one waits on a promise nothing settles. */
export const stuck = defineSweep({
  name: 'stuck',
  params: { n: [0, 1, 2, 3] },
  async run(sim, p) {
    if (p.n === 1) for (;;) sim.random.u32(); // a busy loop: the worker's thread never returns to its event loop
    if (p.n === 2) await new Promise(() => undefined);
    sim.spawn('work', () => sim.delay(1000 * (p.n + 1)));
    await sim.run();
    return { n: p.n };
  },
});

export default defineConfig({
  targets: [esp32c3, esp32s3],
  scenarios: [cpuCopy],
  sweeps: [grid, crashy, stuck],
  defaultTarget: 'esp32c3',
});
