/** Opening the built playground in Debian's chromium (playwright-core), for the screenshot and the benchmark. */
import { existsSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPlayground, type BuiltPage } from './build.js';
import { serveStatic } from './serve.js';
import type { Experiment } from './src/experiment.js';
import { encodeExperiment } from './src/url.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless, with nothing that talks to the network on its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface OpenPlayground {
  built: BuiltPage;
  url: string;
  browser: Browser;
  /** Opens the page on experiment `x` (a new tab), ready to use. */
  open(x: Experiment, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds the page into a temp dir, serves it on 127.0.0.1 and launches chromium. */
export async function openPlayground(): Promise<OpenPlayground> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const built = await buildPlayground(mkdtempSync(join(tmpdir(), 'playground-')));
  const { url, server }: { url: string; server: Server } = await serveStatic(built.outDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    built,
    url,
    browser,
    async open(x, viewport = { width: 1400, height: 1000 }) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${url}#${encodeExperiment(x)}`);
      await page.waitForSelector('body[data-ready]');
      await page.waitForSelector('#form:not([data-busy])', { state: 'attached' });
      return page;
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Clicks Run and waits for the run to be drawn; the page's own timings (ms). */
export async function runInPage(
  page: Page,
): Promise<{ runMs: number; drawMs: number; totalMs: number; clickToDoneMs: number }> {
  const t0 = Date.now();
  await page.locator('#status').evaluate((el) => el.removeAttribute('data-done'));
  await page.click('#run');
  await page.waitForSelector('#status[data-done]');
  const clickToDoneMs = Date.now() - t0;
  const done = await page.getAttribute('#status', 'data-done');
  if (done !== 'ok') throw new Error(`the run failed: ${await page.textContent('#status')}`);
  return {
    runMs: Number(await page.getAttribute('#status', 'data-run-ms')),
    drawMs: Number(await page.getAttribute('#status', 'data-draw-ms')),
    totalMs: Number(await page.getAttribute('#status', 'data-total-ms')),
    clickToDoneMs,
  };
}
