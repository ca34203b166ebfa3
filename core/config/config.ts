import { z } from 'zod';
import { EspError, ESP_ERR_INVALID_ARG } from '../errors.js';
import type { TargetDefinition } from '../target/target.js';
import { formatIssues, targetSchema } from '../target/schema.js';
import { sweepSchema } from './sweep.js';
import type { Scenario, SimConfig } from './types.js';

export type { Scenario, ScenarioContext, SimConfig } from './types.js';

const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    target: z.string().optional(),
    targets: z.array(z.string()).optional(),
    cache: z.boolean().optional(),
    setup: z.function(),
    report: z.function().optional(),
  })
  .strict();

const configSchema = z
  .object({
    targets: z.array(targetSchema),
    scenarios: z.array(scenarioSchema).optional(),
    sweeps: z.array(sweepSchema).optional(),
    defaultTarget: z.string().optional(),
    defaultScenario: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const names = c.targets.map((t) => t.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i)
        ctx.addIssue({ code: 'custom', path: ['targets', i, 'name'], message: `target "${n}" is defined twice` });
    });
    if (c.defaultTarget !== undefined && !names.includes(c.defaultTarget)) {
      ctx.addIssue({ code: 'custom', path: ['defaultTarget'], message: `no target named "${c.defaultTarget}"` });
    }
    const scen = (c.scenarios ?? []).map((s) => s.name);
    scen.forEach((n, i) => {
      if (scen.indexOf(n) !== i)
        ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'name'], message: `scenario "${n}" is defined twice` });
    });
    if (c.defaultScenario !== undefined && !scen.includes(c.defaultScenario)) {
      ctx.addIssue({ code: 'custom', path: ['defaultScenario'], message: `no scenario named "${c.defaultScenario}"` });
    }
    const sweeps = (c.sweeps ?? []).map((s) => s.name);
    sweeps.forEach((n, i) => {
      if (sweeps.indexOf(n) !== i)
        ctx.addIssue({ code: 'custom', path: ['sweeps', i, 'name'], message: `sweep "${n}" is defined twice` });
    });
    (c.scenarios ?? []).forEach((s, i) => {
      for (const t of [s.target, ...(s.targets ?? [])]) {
        if (t !== undefined && !names.includes(t))
          ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'target'], message: `no target named "${t}"` });
      }
    });
  });

/** Validates a configuration (zod) and returns it; problems throw one EspError naming each bad path. */
export function defineConfig(config: SimConfig): SimConfig {
  const r = configSchema.safeParse(config);
  if (!r.success) throw new EspError(ESP_ERR_INVALID_ARG, `invalid config: ${formatIssues(r.error.issues)}`);
  return config;
}

/** The target a config names, or an EspError listing the ones it has. */
export function findTarget(config: SimConfig, name: string): TargetDefinition {
  const t = config.targets.find((x) => x.name === name);
  if (!t) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `unknown target "${name}"; the config defines ${config.targets.map((x) => x.name).join(', ')}`,
    );
  }
  return t;
}

/** The scenario a config names, or an EspError listing the ones it has. */
export function findScenario(config: SimConfig, name: string): Scenario {
  const s = (config.scenarios ?? []).find((x) => x.name === name);
  if (!s) {
    const known = (config.scenarios ?? []).map((x) => x.name);
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `unknown scenario "${name}"; the config defines ${known.length ? known.join(', ') : 'none'}`,
    );
  }
  return s;
}
