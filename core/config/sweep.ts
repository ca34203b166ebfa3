import { z } from 'zod';

export type {
  SweepAxes,
  SweepDefinition,
  SweepMetrics,
  SweepPointContext,
  SweepPointParams,
  SweepValue,
} from './types.js';

const valueSchema = z.union([z.string(), z.number().refine(Number.isFinite, 'must be a finite number'), z.boolean()]);

export const sweepSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][\w.-]*$/, 'must be letters, digits, "-", "_" or "." (it names files and commands)'),
    description: z.string().optional(),
    params: z.record(z.string().min(1), z.array(valueSchema).min(1, 'needs at least one value')),
    filter: z.function().optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    target: z.string().optional(),
    run: z.function(),
    axes: z
      .object({
        x: z.string(),
        y: z.string(),
        series: z.array(z.string()).optional(),
        logX: z.boolean().optional(),
        logY: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const [k, vs] of Object.entries(s.params)) {
      const seen = new Set<string>();
      vs.forEach((v, i) => {
        const key = `${typeof v}:${String(v)}`;
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['params', k, i],
            message: `value ${JSON.stringify(v)} is listed twice`,
          });
        seen.add(key);
      });
    }
    if (s.axes) {
      if (!(s.axes.x in s.params))
        ctx.addIssue({ code: 'custom', path: ['axes', 'x'], message: `no parameter named "${s.axes.x}"` });
      for (const p of s.axes.series ?? []) {
        if (!(p in s.params))
          ctx.addIssue({ code: 'custom', path: ['axes', 'series'], message: `no parameter named "${p}"` });
      }
    }
  });
