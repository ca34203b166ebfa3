import 'reflect-metadata';
import { ExperimentError } from '../apply.js';
import { defaultChain, type Experiment } from '../experiment.js';
import { etmTables, runExperiment, setUpExperiment } from '../run.js';
import { experimentSnippet } from '../snippet.js';
import { experimentTarget } from '../targets.js';
import { decodeExperiment, encodeExperiment } from '../url.js';
import { parseVcd } from '../vcd.js';
import type { TargetDefinition } from '../../../core/target/target.js';
import { download, fmtPs, h } from './dom.js';
import { renderForm, showError } from './form.js';
import { EventLogView } from './log.js';
import { WaveformView } from './waveform.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const formRoot = $('form');
const status = $('status');
const runButton = $<HTMLButtonElement>('run');
const snippetOut = $<HTMLTextAreaElement>('snippet');
const wave = new WaveformView();
const log = new EventLogView((t) => wave.showTime(t));
$('waveform').append(wave.el);
$('log').append(log.el);

let x: Experiment = defaultChain();
let lastRun: { vcd: string; trace: string; name: string } | undefined;
/** Bumped by every change, so that a slow validation of an older experiment does not overwrite a newer one. */
let generation = 0;

function experimentName(e: Experiment): string {
  return e.scenario ?? `${e.target}${e.gdmaPairs ? `-${e.gdmaPairs}pairs` : ''}${e.etm ? `-etm-${e.etm}` : ''}`;
}

/** Takes `y` as the experiment: URL, form (with the kit's refusals at their controls), snippet. */
async function update(y: Experiment): Promise<void> {
  x = y;
  const gen = ++generation;
  formRoot.setAttribute('data-busy', '');
  const url = `${location.origin}${location.pathname}#${encodeExperiment(x)}`;
  history.replaceState(null, '', url);
  $<HTMLInputElement>('share').value = url;
  let def: TargetDefinition | undefined;
  let tables = { events: new Map<number, string>(), tasks: new Map<number, string>() };
  let resolved: { event: number; task: number }[] = [];
  let error: ExperimentError | undefined;
  try {
    def = experimentTarget(x);
  } catch {
    def = undefined;
  }
  try {
    const { sim, applied } = await setUpExperiment(x);
    const t = etmTables(sim);
    tables = {
      events: new Map(t.events.map((r) => [r.id, r.name])),
      tasks: new Map(t.tasks.map((r) => [r.id, r.name])),
    };
    resolved = applied?.channels ?? [];
    renderTables(t);
    await sim.dispose();
  } catch (e) {
    error = e instanceof ExperimentError ? e : new ExperimentError('start', e);
  }
  if (gen !== generation) return;
  formRoot.removeAttribute('data-busy');
  renderForm(formRoot, x, def, tables, resolved, (z) => {
    void update(z);
  });
  formRoot.classList.toggle('invalid', error !== undefined);
  runButton.disabled = error !== undefined;
  formRoot.setAttribute('data-valid', String(error === undefined));
  if (error) showError(formRoot, error.path, error.message);
  try {
    snippetOut.value = experimentSnippet(x, url);
  } catch (e) {
    snippetOut.value = `// ${(e as Error).message}`;
  }
}

function renderTables(t: { events: { id: number; name: string }[]; tasks: { id: number; name: string }[] }): void {
  const list = (rows: { id: number; name: string }[]): HTMLElement =>
    h('ul', {}, ...rows.map((r) => h('li', {}, h('code', {}, String(r.id)), ` ${r.name}`)));
  $('etm-tables').replaceChildren(
    h('div', {}, h('h3', {}, `events (${t.events.length})`), list(t.events)),
    h('div', {}, h('h3', {}, `tasks (${t.tasks.length})`), list(t.tasks)),
  );
}

/** Runs the experiment in the page, then draws the waveform and fills the log; timings go on #status. */
async function run(): Promise<void> {
  const clicked = performance.now();
  runButton.disabled = true;
  status.textContent = 'running…';
  status.removeAttribute('data-done');
  await new Promise((r) => setTimeout(r, 0));
  try {
    const t0 = performance.now();
    const r = await runExperiment(x);
    const t1 = performance.now();
    const waveform = parseVcd(r.vcd);
    wave.setWaveform(
      waveform,
      r.faults.map((f) => ({ time: f.time, label: f.message })),
    );
    log.setEvents(r.events, [
      ...r.timeline.map((l) => ({ time: l.time, source: 'scenario', type: 'log', data: l.message })),
      ...r.faults.map((f) => ({ time: f.time, source: 'fault', type: f.source, data: f.message })),
    ]);
    const t2 = performance.now();
    lastRun = { vcd: r.vcd, trace: r.trace, name: experimentName(x) };
    status.textContent =
      `${r.target}: ${fmtPs(r.endPs)} simulated, ${r.eventsRun} kernel events, ${r.events.length} bus events, ` +
      `${r.faults.length} faults; run ${(t1 - t0).toFixed(1)} ms, draw ${(t2 - t1).toFixed(1)} ms`;
    status.setAttribute('data-run-ms', String(t1 - t0));
    status.setAttribute('data-draw-ms', String(t2 - t1));
    status.setAttribute('data-total-ms', String(performance.now() - clicked));
    status.setAttribute('data-faults', String(r.faults.length));
    status.setAttribute('data-done', 'ok');
    $<HTMLButtonElement>('download-vcd').disabled = false;
    $<HTMLButtonElement>('download-trace').disabled = false;
  } catch (e) {
    status.textContent = `run failed: ${(e as Error).message}`;
    status.setAttribute('data-done', 'error');
  } finally {
    runButton.disabled = formRoot.classList.contains('invalid');
  }
}

runButton.addEventListener('click', () => {
  void run();
});
$('download-vcd').addEventListener('click', () => {
  if (lastRun) download(`${lastRun.name}.vcd`, lastRun.vcd, 'text/plain');
});
$('download-trace').addEventListener('click', () => {
  if (lastRun) download(`${lastRun.name}.json`, lastRun.trace, 'application/json');
});
$('download-snippet').addEventListener('click', () => download('sim.config.ts', snippetOut.value, 'text/plain'));
$('copy-share').addEventListener('click', () => {
  void navigator.clipboard?.writeText($<HTMLInputElement>('share').value);
});

async function start(): Promise<void> {
  let first = defaultChain();
  if (location.hash.length > 1) {
    try {
      first = decodeExperiment(location.hash.slice(1));
    } catch (e) {
      $('banner').textContent = `${(e as Error).message}; showing the default chain instead`;
    }
  }
  await update(first);
  document.body.setAttribute('data-ready', 'true');
}
window.addEventListener('hashchange', () => {
  if (location.hash.slice(1) === encodeExperiment(x)) return;
  try {
    void update(decodeExperiment(location.hash.slice(1)));
  } catch (e) {
    $('banner').textContent = (e as Error).message;
  }
});
void start();
