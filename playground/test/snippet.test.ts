import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../core/config/load-config.js';
import { findTarget } from '../../core/config/config.js';
import { createSimulation } from '../../create-simulation.js';
import { us } from '../../core/time.js';
import { defaultChain, PRESETS, type Experiment } from '../src/experiment.js';
import { logEvent, runExperiment, type LoggedEvent } from '../src/run.js';
import { experimentSnippet } from '../src/snippet.js';
import { arbitraryExperiment } from './arbitrary.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..', '..');

/** A temp dir whose node_modules/soc-fabric is this package, so a snippet's `from 'soc-fabric'` is this build. */
function snippetDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'playground-snippet-'));
  // an ESM project, as a user's sim.config.ts lives in (the snippet uses top-level await for non-exported targets)
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'soc-fabric'), 'dir');
  return dir;
}

let files = 0;
/**
 * What `soc-fabric run --config FILE --until T --seed N` does with the snippet, keeping every bus event: load
 * the file (tsx), take its default scenario and target, set up, run. A refusal during setup is returned as such.
 */
async function runSnippet(
  dir: string,
  code: string,
  x: Experiment,
): Promise<{ events: LoggedEvent[] } | { refused: string }> {
  const file = join(dir, `sim${files++}.config.ts`);
  writeFileSync(file, code);
  const config = await loadConfigFile(file);
  const scenario = config.scenarios!.find((s) => s.name === config.defaultScenario)!;
  const sim = await createSimulation({ target: findTarget(config, config.defaultTarget!), seed: x.seed });
  const events: LoggedEvent[] = [];
  sim.bus.listen((e) => events.push(logEvent(e)));
  try {
    await scenario.setup(sim, { target: config.defaultTarget!, log: () => undefined });
  } catch (e) {
    await sim.dispose();
    return { refused: (e as Error).message };
  }
  await sim.run({ until: x.untilUs === null ? undefined : us(x.untilUs) });
  await sim.dispose();
  return { events };
}

async function runInPage(x: Experiment): Promise<{ events: LoggedEvent[] } | { refused: string }> {
  try {
    return { events: (await runExperiment(x, { trace: false })).events };
  } catch (e) {
    return { refused: (e as Error).message };
  }
}

describe('playground: the sim.config.ts snippet', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = snippetDir();
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the default chain to the same events as the page, GPIO5 rising at 169.04324 us', async () => {
    const x = defaultChain();
    const page = await runInPage(x);
    const cli = await runSnippet(dir, experimentSnippet(x), x);
    expect(cli).to.deep.equal(page);
    const edge = (page as { events: LoggedEvent[] }).events.find((e) => e.source === 'gpio' && e.type === 'level');
    expect(edge).to.include({ time: 169_043_240, data: '{"pin":5,"level":1}' });
  });

  for (const [name, preset] of Object.entries(PRESETS)) {
    it(`runs the preset ${name} to the same events as the page`, async () => {
      const x = preset.make();
      const page = await runInPage(x);
      expect(page, 'the preset runs').to.have.property('events').that.is.not.empty;
      expect(await runSnippet(dir, experimentSnippet(x), x)).to.deep.equal(page);
    });
  }

  it('derived targets (pair count, ETM on and off) and built-in scenarios come out the same', async () => {
    const cases: Experiment[] = [
      { ...defaultChain(), target: 'esp32c3', etm: 'on' },
      { ...defaultChain(), target: 'esp32s3', etm: 'on', gdmaPairs: 3, gdma: [{ bytes: 100, atUs: 3 }], channels: [] },
      { ...defaultChain(), gdmaPairs: 2, copies: [{ bytes: 64, atUs: 1 }] },
      { ...defaultChain(), etm: 'off', channels: [] },
      { ...defaultChain(), target: 'esp32c6', scenario: 'etm-timer-gpio', untilUs: 600 },
      { ...defaultChain(), target: 'esp32c6', gdmaPairs: 2, scenario: 'etm-timer-gpio', untilUs: 600 },
      { ...defaultChain(), target: 'esp32h2', scenario: 'async-memcpy-eof-event', untilUs: 900 },
      { ...defaultChain(), target: 'esp32c6-spi-etm', scenario: 'spi-etm-chain', untilUs: null },
    ];
    for (const x of cases) {
      const page = await runInPage(x);
      expect(page, JSON.stringify(x)).to.have.property('events').that.is.not.empty;
      expect(await runSnippet(dir, experimentSnippet(x), x), JSON.stringify(x)).to.deep.equal(page);
    }
  });

  it('any experiment: the snippet gives the same events as the page, or the same refusal', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryExperiment(), async (x) => {
        const page = await runInPage(x);
        if ('refused' in page) refused++;
        expect(await runSnippet(dir, experimentSnippet(x), x), JSON.stringify(x)).to.deep.equal(page);
      }),
      { numRuns: 30, seed: 16 },
    );
    // the generator reaches both outcomes (a property only of runs that pass, or only of refusals, would be weak)
    expect(refused).to.be.within(1, 29);
  });
});
