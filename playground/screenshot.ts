/**
 * The README's picture of the playground: the default chain composed, run, the cursor on GPIO5's edge.
 * `scripts/playground-screenshot.sh [FILE]` (default docs/playground.png).
 */
import { join } from 'node:path';
import { repoRoot } from './build.js';
import { openPlayground, runInPage } from './browser.js';
import { defaultChain } from './src/experiment.js';

const out = process.argv[2] ?? join(repoRoot, 'docs', 'playground.png');
const pg = await openPlayground();
try {
  const page = await pg.open(defaultChain(), { width: 1500, height: 1080 });
  await runInPage(page);
  await page.click('[data-signal="gpio.gpio5"]');
  await page.click('#next-edge');
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await pg.close();
}
