import { findScenario, findTarget, type SimConfig } from '../config/config.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../errors.js';
import { createSimulation } from '../simulation.js';
import { formatTime } from '../time.js';

export interface RunOptions {
  scenario?: string;
  target?: string;
  until?: number;
  seed?: number;
}

export interface RunResult {
  scenario: string;
  target: string;
  simulatedPs: number;
  events: number;
  faults: number;
  wallSeconds: number;
}

/** Runs one scenario of `config` and writes its timeline and summary through `out`. */
export async function runScenario(config: SimConfig, opts: RunOptions, out: (line: string) => void): Promise<RunResult> {
  const scenarioName = opts.scenario ?? config.defaultScenario;
  if (scenarioName === undefined) throw new EspError(ESP_ERR_INVALID_ARG, 'the config names no default scenario; pass --scenario');
  const scenario = findScenario(config, scenarioName);
  const targetName = opts.target ?? scenario.target ?? config.defaultTarget ?? config.targets[0]?.name;
  if (targetName === undefined) throw new EspError(ESP_ERR_INVALID_ARG, 'the config defines no target');
  findTarget(config, targetName);
  if (scenario.targets && !scenario.targets.includes(targetName)) {
    throw new EspError(ESP_ERR_INVALID_ARG, `scenario "${scenario.name}" runs on ${scenario.targets.join(', ')}, not on "${targetName}"`);
  }
  const sim = await createSimulation({ target: targetName, config, seed: opts.seed });
  const ctx = { target: targetName, log: (m: string) => out(`${formatTime(sim.now).padStart(12)}  ${m}`) };
  out(`scenario ${scenario.name} on ${targetName} (seed ${sim.seed}): ${scenario.description}`);
  const wall0 = performance.now();
  try {
    await scenario.setup(sim, ctx);
    await sim.run({ until: opts.until });
    await scenario.report?.(sim, ctx);
  } finally {
    await sim.dispose();
  }
  const wallSeconds = (performance.now() - wall0) / 1000;
  for (const f of sim.faults) out(`fault at ${formatTime(f.time)} in ${f.source}: ${f.error.message}`);
  out(`done: ${formatTime(sim.now)} simulated, ${sim.eventsRun} events, ${sim.faults.length} faults, ${wallSeconds.toFixed(3)} s wall`);
  return { scenario: scenario.name, target: targetName, simulatedPs: sim.now, events: sim.eventsRun, faults: sim.faults.length, wallSeconds };
}
