import { findScenario, findTarget, type SimConfig } from '../core/config/config.js';
import { EspError, ESP_ERR_INVALID_ARG, InterruptedError } from '../core/errors.js';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSimulation } from '../create-simulation.js';
import { formatTime } from '../core/time.js';
import { traceOutput } from '../core/trace/trace-plugin.js';
import { formatFinding, type Finding } from '../core/diagnostics/finding.js';

export interface RunOptions {
  scenario?: string;
  target?: string;
  until?: number;
  seed?: number;
  /** Run the diagnostics checkers (createSimulation's `checks`); the findings print after the timeline. */
  checks?: boolean | string[];
  /** Run with the data cache coherency model (createSimulation's `cache`); a scenario may ask for it itself. */
  cache?: boolean;
  /** Write a VCD of the run here. */
  vcd?: string;
  /** Write a Chrome/Perfetto trace of the run here. */
  trace?: string;
  /** Hears the simulated time and events run every 65,536 events (a progress display), and `done` at the end. */
  progress?: { update(nowPs: number, events: number): void; clear(): void };
  /** Aborting it (Ctrl-C) stops the run at its next yield; the traces are closed and InterruptedError thrown. */
  signal?: AbortSignal;
}

export interface RunResult {
  scenario: string;
  target: string;
  seed: number;
  simulatedPs: number;
  events: number;
  busEvents: number;
  faults: { time: number; source: string; message: string }[];
  wallSeconds: number;
  /** Findings of the checkers (empty without `checks`). */
  findings: Finding[];
  /** The scenario's timeline lines, without their time stamps. */
  timeline: { time: number; message: string }[];
}

/**
 * Runs one scenario of `config`. Timeline lines go to `out` as they happen (unless `out` is undefined), and
 * the result carries them too, with the summary figures.
 */
export async function runScenario(
  config: SimConfig,
  opts: RunOptions,
  out?: (line: string) => void,
): Promise<RunResult> {
  const scenarioName = opts.scenario ?? config.defaultScenario;
  if (scenarioName === undefined)
    throw new EspError(ESP_ERR_INVALID_ARG, 'the config names no default scenario; pass --scenario');
  const scenario = findScenario(config, scenarioName);
  const targetName = opts.target ?? scenario.target ?? config.defaultTarget ?? config.targets[0]?.name;
  if (targetName === undefined) throw new EspError(ESP_ERR_INVALID_ARG, 'the config defines no target');
  const def = findTarget(config, targetName);
  if (scenario.targets && !scenario.targets.includes(targetName)) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `scenario "${scenario.name}" runs on ${scenario.targets.join(', ')}, not on "${targetName}"`,
    );
  }
  checkTracePaths(opts);
  const tracing = opts.vcd !== undefined || opts.trace !== undefined;
  const target = tracing
    ? { ...def, plugins: [...def.plugins, traceOutput({ vcd: opts.vcd, trace: opts.trace })] }
    : def;
  const cache = opts.cache === true || scenario.cache === true;
  const sim = await createSimulation({ target, seed: opts.seed, checks: opts.checks, ...(cache ? { cache } : {}) });
  const timeline: RunResult['timeline'] = [];
  const ctx = {
    target: targetName,
    log: (m: string) => {
      timeline.push({ time: sim.now, message: m });
      out?.(`${formatTime(sim.now).padStart(12)}  ${m}`);
    },
  };
  out?.(`scenario ${scenario.name} on ${targetName} (seed ${sim.seed}): ${scenario.description}`);
  const wall0 = performance.now();
  const progress = opts.progress;
  if (progress) sim.setProgressListener((now, events) => progress.update(now, events));
  const signal = opts.signal;
  const onAbort = (): void => sim.stop();
  signal?.addEventListener('abort', onAbort);
  try {
    await scenario.setup(sim, ctx);
    if (!signal?.aborted) await sim.run({ until: opts.until });
    progress?.clear();
    if (!signal?.aborted) await scenario.report?.(sim, ctx);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    progress?.clear();
    await sim.dispose(); // closes the traces: both files are complete even after an interrupt
  }
  if (signal?.aborted) {
    const files = [opts.vcd, opts.trace].filter((f) => f !== undefined);
    throw new InterruptedError(
      `interrupted at ${formatTime(sim.now)} simulated after ${sim.eventsRun} events` +
        (files.length ? `; ${files.join(' and ')} closed and complete up to there` : ''),
      sim.now,
    );
  }
  const wallSeconds = (performance.now() - wall0) / 1000;
  const findings = [...sim.diagnostics];
  if (opts.checks) {
    const errors = findings.filter((f) => f.severity === 'error').length;
    out?.(`finding summary: ${findings.length} finding(s), ${errors} error(s)`);
    for (const f of findings) out?.(`finding ${formatFinding(f, formatTime)}`);
  }
  const faults = sim.faults.map((f) => ({ time: f.time, source: f.source, message: f.error.message }));
  for (const f of faults) out?.(`fault at ${formatTime(f.time)} in ${f.source}: ${f.message}`);
  const eps = sim.eventsRun / Math.max(wallSeconds, 1e-9);
  out?.(
    `done: ${formatTime(sim.now)} simulated, ${sim.eventsRun} events, ${faults.length} faults, ${wallSeconds.toFixed(3)} s wall, ` +
      `${eps >= 1e6 ? `${(eps / 1e6).toFixed(2)} M` : eps >= 1e3 ? `${(eps / 1e3).toFixed(1)} k` : eps.toFixed(0)} events/s`,
  );
  return {
    scenario: scenario.name,
    target: targetName,
    seed: sim.seed,
    simulatedPs: sim.now,
    events: sim.eventsRun,
    busEvents: sim.bus.published,
    faults,
    findings,
    wallSeconds,
    timeline,
  };
}

/**
 * Refuses trace paths that cannot work, before anything runs: one file for both traces (each would overwrite
 * the other) and a file that cannot be written (named, with the system's reason).
 */
function checkTracePaths(opts: RunOptions): void {
  if (opts.vcd !== undefined && opts.trace !== undefined && resolve(opts.vcd) === resolve(opts.trace)) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `--vcd and --trace name the same file (${opts.vcd}); give each trace its own`,
    );
  }
  for (const [flag, path] of [
    ['--vcd', opts.vcd],
    ['--trace', opts.trace],
  ] as const) {
    if (path === undefined) continue;
    try {
      closeSync(openSync(path, 'w'));
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/, open '.*'$/, '') : String(e);
      throw new EspError(ESP_ERR_INVALID_ARG, `cannot write the ${flag} file ${path}: ${why}`);
    }
  }
}
