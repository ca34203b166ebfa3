import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { goal, median, spread, timeProcess, type Bench } from './harness.js';

/**
 * CLI cold start: wall time of `soc-fabric targets` (node dist/cli/main.js targets) in a fresh process, over
 * `node -e 0` in a fresh process, run alternately. Goal: within 3x. Also shown: the unbundled modules
 * (SOC_FABRIC_NO_BUNDLE=1, the path a --config takes) over the same baseline.
 */
const bench: Bench = {
  name: 'cli-start',
  async run(ctx) {
    const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
    const runs = ctx.quick ? 5 : 11;
    await timeProcess([main, 'targets']); // leaves the bundle's code cache, as any first run does
    const node0: number[] = [];
    const cli: number[] = [];
    const unbundled: number[] = [];
    const ratios: number[] = [];
    const unbundledRatios: number[] = [];
    for (let i = 0; i < runs; i++) {
      const n = (await timeProcess(['-e', '0'])).seconds;
      const c = (await timeProcess([main, 'targets'])).seconds;
      const u = (await timeProcess([main, 'targets'], { env: { SOC_FABRIC_NO_BUNDLE: '1' } })).seconds;
      node0.push(n);
      cli.push(c);
      unbundled.push(u);
      ratios.push(c / n);
      unbundledRatios.push(u / n);
    }
    const ratio = median(ratios);
    ctx.log(
      `soc-fabric targets: median ${(median(cli) * 1000).toFixed(0)} ms; node -e 0: ${(median(node0) * 1000).toFixed(0)} ms; ` +
        `median ratio ${ratio.toFixed(2)}x (${spread(ratios)} over ${runs} pairs; ${goal(ratio, '<=', 3, 'x')})`,
    );
    ctx.log(
      `  unbundled modules (the --config path): median ${(median(unbundled) * 1000).toFixed(0)} ms, ` +
        `median ratio ${median(unbundledRatios).toFixed(2)}x node -e 0`,
    );
  },
};
export default bench;
