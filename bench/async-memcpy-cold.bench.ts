import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goal, median, spread, timeProcess, type Bench } from './harness.js';

/**
 * Cold start: a fresh process copies 128 KiB with async memcpy 2,000 times, awaited one by one from a task,
 * against 2,000 host `TypedArray.prototype.set` copies of the same size in the same fresh process (each timed
 * from its first copy; set needs no warm-up, the engine's JavaScript does). Ratio: host seconds over simulated
 * copies' seconds, so 1.0 is the host's speed. Goal: at least 0.5x over those first 2,000 copies.
 */
const bench: Bench = {
  name: 'async-memcpy-cold',
  async run(ctx) {
    const procs = ctx.quick ? 3 : 5;
    const copies = 2000;
    const child = join(dirname(fileURLToPath(import.meta.url)), 'cold-copy.js');
    const ratios: number[] = [];
    const sims: number[] = [];
    for (let i = 0; i < procs; i++) {
      const { stdout } = await timeProcess([child, String(copies)]);
      const r = JSON.parse(stdout) as { host: number; sim: number };
      ratios.push(r.host / r.sim);
      sims.push(r.sim);
    }
    const ratio = median(ratios);
    ctx.log(
      `first ${copies} copies of 128 KiB in a fresh process, awaited from a task, over host TypedArray.set: ` +
        `median ratio ${ratio.toFixed(2)}x (${spread(ratios)} over ${procs} processes; ${goal(ratio, '>=', 0.5, 'x')}); ` +
        `median ${((median(sims) / copies) * 1e6).toFixed(1)} us per simulated copy`,
    );
  },
};
export default bench;
