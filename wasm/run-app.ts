import { readFileSync } from 'node:fs';
import { createSimulation } from '../create-simulation.js';
import { formatTime } from '../core/time.js';
import { traceOutput } from '../core/trace/trace-plugin.js';
import { type SimConfig } from '../core/config/config.js';
import { findTarget } from '../core/config/config.js';
import { loadApp } from './app.js';
import type { AppExit } from './app-error.js';
import { formatFinding, type Finding } from '../core/diagnostics/finding.js';

export interface RunAppOptions {
  target?: string;
  until?: number;
  seed?: number;
  vcd?: string;
  trace?: string;
  /** Run the diagnostics checkers (createSimulation's `checks`); the findings print after the program's output. */
  checks?: boolean | string[];
}

export interface RunAppResult {
  app: string;
  target: string;
  seed: number;
  /** The program's exit: status 0 when all its tasks ended; undefined when it was still running at the end. */
  exit: AppExit | undefined;
  simulatedPs: number;
  events: number;
  wallSeconds: number;
  output: { time: number; text: string }[];
  /** Tasks alive at the end, with what they were blocked in. */
  live: { name: string; blockedIn: string | undefined }[];
  /** The checkers' findings (empty without `checks`). */
  findings: Finding[];
}

/**
 * Runs a C program's app_main on a target of `config` (`soc-fabric run --app`): output lines go to `out` with
 * their simulated times as they are printed. Ends when the program ends, at `until`, or when nothing is left.
 */
export async function runApp(
  config: SimConfig,
  path: string,
  opts: RunAppOptions,
  out?: (line: string) => void,
): Promise<RunAppResult> {
  const bytes = readFileSync(path);
  const targetName = opts.target ?? config.defaultTarget ?? config.targets[0]?.name ?? 'esp32c6';
  const def = findTarget(config, targetName);
  const tracing = opts.vcd !== undefined || opts.trace !== undefined;
  const target = tracing
    ? { ...def, plugins: [...def.plugins, traceOutput({ vcd: opts.vcd, trace: opts.trace })] }
    : def;
  const sim = await createSimulation({ target, seed: opts.seed, checks: opts.checks });
  const output: RunAppResult['output'] = [];
  const app = await loadApp(sim, bytes, {
    onOutput: (text, time) => {
      output.push({ time, text });
      out?.(`${formatTime(time).padStart(12)}  ${text}`);
    },
  });
  out?.(`app ${path} on ${targetName} (seed ${sim.seed})`);
  const wall0 = performance.now();
  app.start();
  let findings: Finding[] = [];
  try {
    await sim.run({ until: opts.until });
    findings = [...sim.diagnostics];
  } finally {
    await sim.dispose();
  }
  const wallSeconds = (performance.now() - wall0) / 1000;
  const live = app.liveTasks();
  for (const t of live)
    out?.(`task ${t.name} still alive at ${formatTime(sim.now)}${t.blockedIn ? `, blocked in ${t.blockedIn}` : ''}`);
  if (opts.checks !== undefined && opts.checks !== false) {
    const errors = findings.filter((f) => f.severity === 'error').length;
    out?.(`finding summary: ${findings.length} finding(s), ${errors} error(s)`);
    for (const f of findings) out?.(`finding ${formatFinding(f, formatTime)}`);
  }
  const status = app.exit ? `exit status ${app.exit.status}` : 'still running';
  out?.(`done: ${formatTime(sim.now)} simulated, ${sim.eventsRun} events, ${status}, ${wallSeconds.toFixed(3)} s wall`);
  return {
    app: path,
    target: targetName,
    seed: sim.seed,
    exit: app.exit,
    simulatedPs: sim.now,
    events: sim.eventsRun,
    wallSeconds,
    output,
    live,
    findings,
  };
}
