import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goal, median, timeProcess, type Bench } from './harness.js';

/**
 * createSimulation's cost, in fresh processes (bench/create-sim.ts): the first simulation of a target, then the
 * median of the next ones. Baseline, interleaved in the same process: the same target copied so that
 * defineTarget never sealed it (validated by zod every time, as every simulation was before). Goal: under
 * 0.5 ms per simulation after the first.
 */
const bench: Bench = {
  name: 'create-simulation',
  async run(ctx) {
    const child = join(dirname(fileURLToPath(import.meta.url)), 'create-sim.js');
    const count = ctx.quick ? 50 : 200;
    for (const target of ['esp32c3', 'esp32s3']) {
      const firsts: number[] = [];
      const afters: number[] = [];
      const bases: number[] = [];
      for (let i = 0; i < 3; i++) {
        const { stdout } = await timeProcess([child, target, String(count)]);
        const r = JSON.parse(stdout) as { first: number; after: number[]; unsealed: number[] };
        firsts.push(r.first);
        afters.push(median(r.after));
        bases.push(median(r.unsealed));
      }
      const after = median(afters);
      const base = median(bases);
      ctx.log(
        `${target}: first ${median(firsts).toFixed(1)} ms; after the first: median ${after.toFixed(3)} ms (${goal(after, '<=', 0.5, ' ms')}); ` +
          `baseline, an unsealed copy validated each time: ${base.toFixed(3)} ms; ratio ${(after / base).toFixed(2)}x (3 processes, ${count} each)`,
      );
    }
  },
};
export default bench;
