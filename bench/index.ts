/**
 * `npm run bench [-- NAME...]`: runs every bench/*.bench.ts (or those whose name contains one of NAME).
 * Speed is reported as medians and as ratios to baselines measured in the same process.
 */
import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .sort();
const ctx = { log: (l: string) => console.log(l), quick: process.env['BENCH_QUICK'] === '1' };
let ran = 0;
for (const f of files) {
  const bench = ((await import(pathToFileURL(join(here, f)).href)) as { default: Bench }).default;
  if (filters.length && !filters.some((x) => bench.name.includes(x))) continue;
  console.log(`\n## ${bench.name}`);
  await bench.run(ctx);
  ran++;
}
if (ran === 0) {
  console.error(`no benchmark matched ${filters.join(', ') || '(none found)'}`);
  process.exitCode = 1;
}
