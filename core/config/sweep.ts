import { z } from 'zod';
import type { Simulation } from '../simulation.js';
import type { SimConfig } from './config.js';

/** A value a sweep parameter takes: what survives a JSON round trip and a command line unchanged. */
export type SweepValue = string | number | boolean;

/** One point of a sweep: a value for each parameter. */
export type SweepPointParams = Readonly<Record<string, SweepValue>>;

/** The metrics a point's run returns: a flat JSON object (numbers, strings, booleans, null). */
export type SweepMetrics = Record<string, number | string | boolean | null>;

/** What a point's run gets besides the simulation and the point. */
export interface SweepPointContext {
  /** The point's seed (the simulation's too), derived from the sweep's seed and the point's parameters. */
  readonly seed: number;
  /** The target the simulation was made of. */
  readonly target: string;
  /** The config the sweep came from. */
  readonly config: SimConfig;
}

/** Which parameter and metric `soc-fabric sweep-report --svg` draws. */
export interface SweepAxes {
  /** A numeric parameter along x. */
  x: string;
  /** A metric along y. */
  y: string;
  /** Parameters whose combinations make one series each (default: every parameter but x and `seed`). */
  series?: string[];
  logX?: boolean;
  logY?: boolean;
}

/**
 * A design-space experiment: the cartesian product of `params` (optionally filtered), each point run by `run` on a
 * fresh simulation seeded from the sweep's seed and the point. A parameter named `target` picks the point's target.
 */
export interface SweepDefinition<P extends SweepPointParams = SweepPointParams> {
  name: string;
  description?: string;
  /** Values of each parameter; points are their cartesian product, the first parameter varying slowest. */
  params: { readonly [K in keyof P]: readonly P[K][] };
  /** Keeps only the points it returns true for. */
  filter?(point: P, ctx: { readonly config: SimConfig }): boolean;
  /** The sweep's seed, from which each point's seed derives (an unsigned 32-bit integer, default 1). */
  seed?: number;
  /** The target of points that have no `target` parameter (default: the config's defaultTarget). */
  target?: string;
  /** Runs one point and returns its metrics; the simulation is disposed afterwards. A throw is the point's error. */
  run(sim: Simulation, point: P, ctx: SweepPointContext): SweepMetrics | Promise<SweepMetrics>;
  /** What the report's chart draws. */
  axes?: SweepAxes;
}

const valueSchema = z.union([z.string(), z.number().refine(Number.isFinite, 'must be a finite number'), z.boolean()]);

export const sweepSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'must be letters, digits, "-", "_" or "." (it names files and commands)'),
  description: z.string().optional(),
  params: z.record(z.string().min(1), z.array(valueSchema).min(1, 'needs at least one value')),
  filter: z.function().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  target: z.string().optional(),
  run: z.function(),
  axes: z.object({
    x: z.string(), y: z.string(), series: z.array(z.string()).optional(), logX: z.boolean().optional(), logY: z.boolean().optional(),
  }).strict().optional(),
}).strict().superRefine((s, ctx) => {
  for (const [k, vs] of Object.entries(s.params)) {
    const seen = new Set<string>();
    vs.forEach((v, i) => {
      const key = `${typeof v}:${String(v)}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['params', k, i], message: `value ${JSON.stringify(v)} is listed twice` });
      seen.add(key);
    });
  }
  if (s.axes) {
    if (!(s.axes.x in s.params)) ctx.addIssue({ code: 'custom', path: ['axes', 'x'], message: `no parameter named "${s.axes.x}"` });
    for (const p of s.axes.series ?? []) {
      if (!(p in s.params)) ctx.addIssue({ code: 'custom', path: ['axes', 'series'], message: `no parameter named "${p}"` });
    }
  }
});
