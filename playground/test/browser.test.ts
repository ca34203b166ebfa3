import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createSimulation } from '../../create-simulation.js';
import { us } from '../../core/time.js';
import { wireTimerDmaGpioChain, CHAIN_PIN } from '../../scenarios/etm-dma-chain.js';
import { esp32c6 } from '../../targets/index.js';
import { buildPlayground, type BuiltPage } from '../build.js';
import { serveStatic } from '../serve.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../browser.js';
import type { ExperimentError } from '../src/apply.js';
import { blankExperiment, defaultChain, PRESETS, type Experiment } from '../src/experiment.js';
import { runExperiment, setUpExperiment } from '../src/run.js';
import { decodeExperiment, encodeExperiment } from '../src/url.js';

/** The page, built once for every test here into a temp dir (removed at the end). */
let page$: Promise<BuiltPage> | undefined;
const builtPage = (): Promise<BuiltPage> =>
  (page$ ??= buildPlayground(mkdtempSync(join(tmpdir(), 'playground-page-'))));
after(async () => {
  if (page$) rmSync((await page$).outDir, { recursive: true, force: true });
});

describe('playground: the bundle', function () {
  this.timeout(60_000);
  it("the page's JavaScript is under 1 MB gzipped, with no Node built-in in it", async () => {
    const built = await builtPage();
    expect(built.gzipBytes).to.be.below(1_000_000);
    expect(built.gzipBytes).to.be.above(10_000); // the kit is in it, not a stub
    expect(readFileSync(built.jsFile, 'utf8')).not.to.match(/from\s*["']node:|require\(["']node:/);
  });
});

/** When GPIO5 first changes level in the built-in chain scenario's own wiring (scenarios/etm-dma-chain.ts), in Node. */
async function chainEdgeInNode(): Promise<number> {
  const sim = await createSimulation({ target: esp32c6, seed: 1 });
  const times: number[] = [];
  sim.bus.listen((e) => {
    if (e.source === 'gpio' && e.type === 'level' && (e.data as { pin: number }).pin === CHAIN_PIN) times.push(e.time);
  });
  wireTimerDmaGpioChain(sim);
  await sim.run({ until: us(300) });
  await sim.dispose();
  expect(times).to.have.length(1);
  return times[0]!;
}

describe('playground in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let server: Server | undefined;
  let url = '';
  let page: Page;
  let built: BuiltPage;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      if (process.env['CI']) throw new Error(`${CHROMIUM} is missing; .ci/run installs it: apt-get install chromium`);
      console.log(`      (skipped: ${CHROMIUM} is missing; apt-get install chromium)`);
      this.skip();
    }
    built = await builtPage();
    ({ url, server } = await serveStatic(built.outDir));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  const errors: string[] = [];
  beforeEach(async () => {
    errors.length = 0;
    page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  });
  afterEach(async () => {
    await page.close();
    expect(errors, 'errors in the page').to.deep.equal([]);
  });

  async function open(x: Experiment): Promise<void> {
    await page.goto(`${url}#${encodeExperiment(x)}`);
    await page.waitForSelector('body[data-ready]');
    await settle();
  }
  /** Waits until the form has taken the last change (validated and rendered again). */
  async function settle(): Promise<void> {
    await page.waitForSelector('#form:not([data-busy])', { state: 'attached' });
  }
  async function add(list: string, rows: number): Promise<void> {
    await page.click(`[data-add="${list}"]`);
    await settle();
    expect(await page.locator(`[data-list="${list}"] > .row`).count()).to.equal(rows);
  }
  async function choose(path: string, value: unknown): Promise<void> {
    await page.selectOption(`select[data-path="${path}"]`, JSON.stringify(value));
    await settle();
  }
  async function run(): Promise<void> {
    await page.click('#run');
    await page.waitForSelector('#status[data-done]');
    expect(await page.getAttribute('#status', 'data-done'), (await page.textContent('#status')) ?? '').to.equal('ok');
  }
  const pageExperiment = async (): Promise<Experiment> => decodeExperiment(new URL(page.url()).hash);

  it('composes GPTimer -> ETM -> GDMA -> ETM -> GPIO on esp32c6 in the form; GPIO5 rises when it does in Node', async () => {
    await open(blankExperiment('esp32c6'));
    await add('timers', 1);
    await add('gdma', 1);
    for (let i = 1; i <= 3; i++) await add('channels', i);
    await choose('channels.0.event', { kind: 'timer-alarm', timer: 0 });
    await choose('channels.0.task', { kind: 'gdma-start', xfer: 0, dir: 'rx' });
    await choose('channels.1.event', { kind: 'timer-alarm', timer: 0 });
    await choose('channels.1.task', { kind: 'gdma-start', xfer: 0, dir: 'tx' });
    await choose('channels.2.event', { kind: 'gdma-eof', xfer: 0, dir: 'rx' });
    await choose('channels.2.task', { kind: 'gpio', action: 'toggle' });
    await page.fill('input[data-path="channels.2.task.pin"]', '5');
    await page.press('input[data-path="channels.2.task.pin"]', 'Enter');
    await settle();
    expect(await pageExperiment()).to.deep.equal(defaultChain());
    // each channel shows the IDs the target's ETM tables gave its event and task
    expect(
      await page.locator('[data-resolved]').evaluateAll((els) => els.map((e) => e.getAttribute('data-resolved'))),
    ).to.deep.equal(['48:159', '48:162', '141:17']);
    expect(await page.textContent('[data-path="channels.2"] .resolved')).to.equal(
      'GDMA_EVT_IN_SUC_EOF_CH0 (141) ⇒ GPIO_TASK_CH0_TOGGLE (17)',
    );

    await run();
    const edges = JSON.parse((await page.getAttribute('[data-signal="gpio.gpio5"]', 'data-edges'))!) as number[];
    const node = await chainEdgeInNode();
    expect(node).to.equal(169_043_240);
    expect(edges).to.deep.equal([node]);
    // the cursor goes to the edge from the waveform itself
    await page.click('[data-signal="gpio.gpio5"]');
    await page.click('#next-edge');
    expect(Number(await page.getAttribute('#cursor-time', 'data-ps'))).to.equal(node);
    expect(await page.textContent('[data-signal="gpio.gpio5"] .value')).to.equal('1');
    // zoom: around the cursor, then back to the whole run
    const view = async (): Promise<number[]> => [
      Number(await page.getAttribute('canvas', 'data-t0')),
      Number(await page.getAttribute('canvas', 'data-t1')),
    ];
    expect(await view()).to.deep.equal([0, us(300)]);
    await page.click('#zoom-in');
    const [t0 = NaN, t1 = NaN] = await view();
    expect(t1 - t0).to.equal(us(150));
    expect(node).to.be.within(t0, t1);
    await page.click('#zoom-fit');
    expect(await view()).to.deep.equal([0, us(300)]);
  });

  it('a fault during the run is marked on the time axis and listed in the log', async () => {
    await open({ ...blankExperiment('esp32c6'), copies: [{ bytes: 1, atUs: 5 }] });
    await run();
    const node = await runExperiment(await pageExperiment());
    expect(node.faults).to.have.length(1);
    expect(JSON.parse((await page.getAttribute('canvas', 'data-marks'))!)).to.deep.equal([us(5)]);
    expect(await page.getAttribute('#status', 'data-faults')).to.equal('1');
    const row = page.locator('#event-log tbody tr[data-source="fault"]');
    expect(await row.count()).to.equal(1);
    expect(await row.locator('td.data').textContent()).to.equal(node.faults[0]!.message);
  });

  it("refuses invalid wiring with the kit's own message next to the control, and will not run it", async () => {
    await open(defaultChain());
    await add('channels', 4);
    await choose('channels.3.event', { kind: 'timer-alarm', timer: 0 });
    await choose('channels.3.task', { kind: 'gpio', action: 'set' });
    const x = await pageExperiment();
    expect(x.channels[3]).to.deep.equal({
      event: { kind: 'timer-alarm', timer: 0 },
      task: { kind: 'gpio', pin: 5, action: 'set' },
    });
    let kit: ExperimentError | undefined;
    try {
      await (await setUpExperiment(x)).sim.dispose();
    } catch (e) {
      kit = e as ExperimentError;
    }
    expect(kit?.path).to.equal('channels.3.task');
    expect((await page.textContent('[data-error-for="channels.3.task"]'))?.trim()).to.equal(kit!.message);
    expect(kit!.message).to.match(/^ESP_ERR_INVALID_ARG: /);
    expect(await page.isDisabled('#run')).to.equal(true);
    // the ETM switched off: the channels are refused where they are
    await page.selectOption('select[data-path="etm"]', 'off');
    await settle();
    expect(await page.textContent('[data-error-for="channels.0"]')).to.equal(
      'ESP_ERR_NOT_SUPPORTED: target "esp32c6-no-etm" has no Etm service',
    );
  });

  it('starts from a built-in scenario, run as it is: its timeline in the log, its events as in Node', async () => {
    await open(defaultChain());
    await page.selectOption('select[data-path="start"]', 'scenario:etm-timer-gpio');
    await settle();
    const x = await pageExperiment();
    expect(x.scenario).to.equal('etm-timer-gpio');
    expect(await page.locator('[data-list]').count(), 'the form hides what the scenario does not use').to.equal(0);
    await run();
    const node = await runExperiment(x);
    const gpio = await page
      .locator('#event-log tbody tr[data-source="gpio"]')
      .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-time'))));
    expect(gpio).to.have.length.above(1);
    expect(gpio).to.deep.equal(node.events.filter((e) => e.source === 'gpio').map((e) => e.time));
    expect(await page.locator('#event-log tbody tr[data-source="scenario"]').count()).to.equal(node.timeline.length);
  });

  it('an experiment from the URL runs as in Node: same event log, same VCD and Perfetto JSON downloads; the log filters by source', async () => {
    const x = PRESETS['memcpy-done-gpio']!.make();
    await open(x);
    await run();
    const node = await runExperiment(x);
    const rows = await page
      .locator('#event-log tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          Number(tr.getAttribute('data-time')),
          tr.getAttribute('data-source'),
          tr.getAttribute('data-type'),
        ]),
      );
    expect(rows).to.deep.equal(node.events.map((e) => [e.time, e.source, e.type]));
    for (const [button, expected] of [
      ['#download-vcd', node.vcd],
      ['#download-trace', node.trace],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      expect(readFileSync((await download.path())!, 'utf8'), button).to.equal(expected);
    }
    await page.uncheck('.log-sources input[data-source="async-memcpy"]');
    const sources = await page
      .locator('#event-log tbody tr')
      .evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-source')))].sort());
    expect(sources).to.deep.equal(
      [...new Set(node.events.map((e) => e.source))].filter((s) => s !== 'async-memcpy').sort(),
    );
    expect(built.gzipBytes).to.be.below(1_000_000);
  });
});
