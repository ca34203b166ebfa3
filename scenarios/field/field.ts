import type { Scenario, ScenarioContext } from '../../core/config/config.js';
import type { Simulation } from '../../core/simulation.js';

/** A failure reported in a public thread, reproduced: the broken code, and the code with the fix. */
export interface FieldCase {
  /** Scenario name without the `field-` prefix. */
  name: string;
  /** The public thread: 'espressif/esp-idf#10575'. */
  thread: string;
  /** One line: what goes wrong and what the finding is. */
  summary: string;
  target: string;
  targets?: string[];
  /** Both twins run with the data cache coherency model (createSimulation's `cache`). */
  cache?: boolean;
  broken(sim: Simulation, ctx: ScenarioContext): void | Promise<void>;
  fixed(sim: Simulation, ctx: ScenarioContext): void | Promise<void>;
}

/**
 * The two scenarios of a field case: `field-NAME` (the failure; run with `--check` to see the finding) and
 * `field-NAME-fixed` (the corrected code, which runs clean under `--check`).
 */
export function fieldScenarios(c: FieldCase): [Scenario, Scenario] {
  const base = { target: c.target, ...(c.targets ? { targets: c.targets } : {}), ...(c.cache ? { cache: true } : {}) };
  return [
    { ...base, name: `field-${c.name}`, description: `${c.thread}: ${c.summary}`, setup: c.broken },
    {
      ...base,
      name: `field-${c.name}-fixed`,
      description: `${c.thread}, corrected: runs clean under --check`,
      setup: c.fixed,
    },
  ];
}
