/**
 * `npm run bench:playground`: the default chain (GPTimer -> ETM -> GDMA -> ETM -> GPIO) run and drawn in the
 * page, in Debian's chromium; medians of the page's own timings, against the same experiment run in this Node
 * process (the baseline). Not part of `npm run bench`: it needs chromium.
 */
import 'reflect-metadata';
import { openPlayground, runInPage } from '../playground/browser.js';
import { defaultChain } from '../playground/src/experiment.js';
import { runExperiment } from '../playground/src/run.js';
import { median } from './harness.js';

const quick = process.env['BENCH_QUICK'] === '1';
const runs = quick ? 5 : 21;
const x = defaultChain();

const node: number[] = [];
for (let i = 0; i < runs + 3; i++) {
  const t0 = performance.now();
  await runExperiment(x);
  if (i >= 3) node.push(performance.now() - t0);
}

const pg = await openPlayground();
try {
  console.log(
    `page JS: ${(pg.built.jsBytes / 1024).toFixed(0)} KiB, ${(pg.built.gzipBytes / 1024).toFixed(0)} KiB gzipped`,
  );
  // the first run in a fresh page: what a person sees after opening the link (cold JIT)
  const firstPage = await pg.open(x);
  const first = await runInPage(firstPage);
  await firstPage.close();
  const page = await pg.open(x);
  for (let i = 0; i < 3; i++) await runInPage(page);
  const samples: Awaited<ReturnType<typeof runInPage>>[] = [];
  for (let i = 0; i < runs; i++) samples.push(await runInPage(page));
  const m = (k: 'runMs' | 'drawMs' | 'totalMs' | 'clickToDoneMs'): number => median(samples.map((s) => s[k]));
  const nodeMs = median(node);
  console.log(`default chain, ${runs} runs after 3 warm-up, medians:`);
  console.log(
    `  page run (createSimulation + set-up + 300 us simulated + VCD/Perfetto recorded): ${m('runMs').toFixed(2)} ms`,
  );
  console.log(
    `  page draw (VCD parsed, waveform and event log drawn):                           ${m('drawMs').toFixed(2)} ms`,
  );
  console.log(
    `  click handler -> drawn, in the page (run + draw + one yield to the browser):      ${m('totalMs').toFixed(2)} ms`,
  );
  console.log(
    `  click Run -> drawn, seen from playwright (its actionability checks and polling): ${m('clickToDoneMs').toFixed(1)} ms`,
  );
  console.log(
    `  same run in Node (baseline, this process):                                       ${nodeMs.toFixed(2)} ms; page/Node ${(m('runMs') / nodeMs).toFixed(2)}x`,
  );
  console.log(
    `  first run in a fresh page: run ${first.runMs.toFixed(1)} ms, draw ${first.drawMs.toFixed(1)} ms, click -> drawn ${first.totalMs.toFixed(1)} ms`,
  );
} finally {
  await pg.close();
}
