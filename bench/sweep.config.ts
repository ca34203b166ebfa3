// The benchmark's sweep (bench/sweep.bench.ts): a grid of small async-memcpy points, cheap enough to run thousands.
import { defineConfig } from '../core/config/config.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { esp32, esp32c3, esp32c6, esp32h2, esp32s2, esp32s3 } from '../targets/index.js';
import { defineSweep } from '../sweep/define.js';

/** Repetitions per target and size: 6 targets x 5 sizes x 70 = 2,100 points. */
export const REPS = 70;

export const benchGrid = defineSweep({
  name: 'bench-grid',
  description:
    'per point: a fresh simulation, a random delay, then an async memcpy (CPU memcpy on the ESP32) of the size',
  params: {
    target: ['esp32', 'esp32s2', 'esp32s3', 'esp32c3', 'esp32c6', 'esp32h2'],
    size: [64, 256, 1024, 4096, 16_384],
    rep: [...Array(REPS).keys()],
  },
  axes: { x: 'size', y: 'copyPs', series: ['target'], logX: true },
  async run(sim, p) {
    const src = sim.memory.alloc(p.size, { caps: ['dma', 'internal'] });
    const dst = sim.memory.alloc(p.size, { caps: ['dma', 'internal'] });
    const drv = sim.target.caps.asyncMemcpy ? sim.get(AsyncMemcpy).install() : undefined;
    let copyPs = 0;
    sim.spawn('copy', async () => {
      await sim.delay(sim.random.int(0, 1_000_000));
      const t0 = sim.now;
      await (drv ? drv.memcpy(dst, src, p.size) : sim.cpu.memcpy(dst, src, p.size));
      copyPs = sim.now - t0;
    });
    await sim.run();
    return { copyPs };
  },
});

/** The same points doing nothing: a point's wall time is then making and disposing of its simulation. */
export const benchEmpty = defineSweep({
  name: 'bench-empty',
  description: 'the points of bench-grid, each only creating and disposing of its simulation',
  params: benchGrid.params,
  run: () => ({}),
});

export default defineConfig({
  targets: [esp32, esp32s2, esp32s3, esp32c3, esp32c6, esp32h2],
  sweeps: [benchGrid, benchEmpty],
});
