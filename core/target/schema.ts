import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { checkCapsSections, checkDmaTriggers, type CapsSection } from './caps.js';
import { IDF_VERSIONS } from '../idf.js';
import { dataCacheCapsSchema } from '../memory/cache/caps.js';

const int = z.number().int();

/** The kinds of memory region (RegionKind), for schemas that key on them. */
export const regionKindSchema = z.enum(['sram', 'psram', 'rom', 'flash', 'peripheral']);
const costSchema = z
  .object({ readPsPerByte: z.number().nonnegative(), writePsPerByte: z.number().nonnegative() })
  .strict();

export const regionSchema = z
  .object({
    name: z.string().min(1),
    kind: regionKindSchema,
    base: int.nonnegative(),
    size: int.positive(),
    dmaCapable: z.boolean(),
    bus: z.string().min(1).optional(),
    cpu: costSchema.optional(),
  })
  .strict();

export const pluginSchema = z.object({
  name: z.string().min(1),
  requires: z.array(z.any()).optional(),
  module: z.instanceof(ContainerModule, { message: 'expected an inversify ContainerModule' }),
  caps: z
    .object({
      section: z.string().min(1),
      // structural, not instanceof: a plugin built against another copy of zod still passes its schema
      schema: z.custom<z.ZodType>((v) => typeof (v as { safeParse?: unknown } | null)?.safeParse === 'function', {
        message: 'expected a zod schema',
      }),
      dmaTriggerTables: z
        .custom<(v: unknown) => unknown>((v) => typeof v === 'function', { message: 'expected a function' })
        .optional(),
    })
    .strict()
    .optional(),
  dmaTriggers: z
    .array(
      z
        .object({
          dma: z.string().min(1),
          peripheral: z.string().min(1),
          id: int.min(0).max(31),
        })
        .strict(),
    )
    .optional(),
});

/** The core's own caps fields; each plugin's section is checked by its own schema (checkCapsSections). */
export const capsSchema = z
  .object({
    asyncMemcpy: z.boolean(),
    psram: z.boolean(),
    beyondSilicon: z.array(z.string()),
    estimates: z.array(z.string()),
    cache: dataCacheCapsSchema.optional(),
  })
  .loose();

export const targetSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a name of letters, digits, _ . -'),
    description: z.string().optional(),
    extends: z.string().optional(),
    cpu: z
      .object({
        freqHz: int.positive(),
        memcpyCallCycles: z.number().nonnegative().optional(),
        sharedBusPenaltyPsPerByte: z.number().nonnegative().optional(),
        interruptLatencyCycles: z.number().nonnegative().optional(),
      })
      .strict(),
    memory: z.array(regionSchema).min(1),
    plugins: z.array(pluginSchema),
    caps: capsSchema,
    idf: z.enum(IDF_VERSIONS).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const regions = [...t.memory].sort((a, b) => a.base - b.base);
    for (let i = 1; i < regions.length; i++) {
      const a = regions[i - 1]!;
      const b = regions[i]!;
      if (a.base + a.size > b.base) {
        ctx.addIssue({ code: 'custom', path: ['memory'], message: `regions ${a.name} and ${b.name} overlap` });
      }
    }
    const owners = t.plugins.map((p) => ({
      plugin: p.name,
      caps: p.caps as CapsSection | undefined,
      dmaTriggers: p.dmaTriggers,
    }));
    const capsIssues = checkCapsSections(t.caps, owners);
    // trigger tables are read from caps that passed their schemas
    for (const issue of capsIssues.length === 0 ? checkDmaTriggers(t.caps, owners) : capsIssues) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
    const names = new Set<string>();
    t.plugins.forEach((p, i) => {
      if (names.has(p.name))
        ctx.addIssue({ code: 'custom', path: ['plugins', i, 'name'], message: `plugin "${p.name}" is listed twice` });
      names.add(p.name);
    });
  });

/** One line per problem: `path: what was expected`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .map((i) => {
      const path = i.path.reduce<string>(
        (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)),
        prefix,
      );
      return `${path || '(root)'}: ${i.message}`;
    })
    .join('; ');
}
