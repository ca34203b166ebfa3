import { findScenario, type Scenario, type SimConfig } from '../core/config/config.js';
import type { SweepDefinition, SweepMetrics } from '../core/config/sweep.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../core/errors.js';
import { loadDefaultConfig } from '../create-simulation.js';
import { overrideSweep } from './points.js';

/** How a sweep is asked for: by name, with the command line's parameters and seed. */
export interface SweepRequest {
  name: string;
  /** `--param k=v1,v2`, still text: replaces a declared parameter's values, or adds a scenario's parameter. */
  params?: Readonly<Record<string, readonly string[]>>;
  /** `--seed`: the sweep's seed instead of the declared one. */
  seed?: number;
}

/**
 * A scenario as a sweep: each point runs the scenario (setup, the run to idle, report) on a fresh simulation;
 * the metrics are the events run and published plus what the scenario records with `ctx.metric`.
 */
export function scenarioSweep(scenario: Scenario): SweepDefinition {
  return {
    name: scenario.name,
    description: scenario.description,
    params: {},
    target: scenario.target,
    async run(sim, point, pctx) {
      const metrics: SweepMetrics = {};
      const ctx = {
        target: pctx.target,
        params: point,
        log: () => {},
        metric: (name: string, value: number | string | boolean | null) => {
          metrics[name] = value;
        },
      };
      await scenario.setup(sim, ctx);
      await sim.run();
      await scenario.report?.(sim, ctx);
      return { events: sim.eventsRun, busEvents: sim.bus.published, ...metrics };
    },
  };
}

/**
 * The sweep a name means in `config`: one of its sweeps, else one of the package's own (run on the config's
 * targets), else one of its scenarios with the parameters of the command line. Then the command line's
 * parameters and seed are applied.
 */
export async function resolveSweep(config: SimConfig, req: SweepRequest): Promise<SweepDefinition> {
  const builtIn = await loadDefaultConfig();
  const declared =
    (config.sweeps ?? []).find((s) => s.name === req.name) ?? (builtIn.sweeps ?? []).find((s) => s.name === req.name);
  if (declared) return overrideSweep(declared, req.params ?? {}, req.seed);
  if ((config.scenarios ?? []).some((s) => s.name === req.name)) {
    return overrideSweep(scenarioSweep(findScenario(config, req.name)), req.params ?? {}, req.seed, true);
  }
  const sweeps = [...new Set([...(config.sweeps ?? []), ...(builtIn.sweeps ?? [])].map((s) => s.name))];
  const scenarios = (config.scenarios ?? []).map((s) => s.name);
  throw new EspError(
    ESP_ERR_INVALID_ARG,
    `unknown sweep "${req.name}"; sweeps: ${sweeps.join(', ') || 'none'}; scenarios: ${scenarios.join(', ') || 'none'}`,
  );
}
