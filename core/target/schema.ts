import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { EspError, ESP_ERR_INVALID_ARG } from '../errors.js';
import type { TargetDefinition } from './target.js';
import { dmaTimingSchema } from '../../plugins/dma/engine/timing.js';

const int = z.number().int();
const costSchema = z.object({ readPsPerByte: z.number().nonnegative(), writePsPerByte: z.number().nonnegative() }).strict();

export const regionSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(['sram', 'psram', 'rom', 'flash', 'peripheral']),
  base: int.nonnegative(),
  size: int.positive(),
  dmaCapable: z.boolean(),
  bus: z.string().min(1).optional(),
  cpu: costSchema.optional(),
}).strict();

export const pluginSchema = z.object({
  name: z.string().min(1),
  requires: z.array(z.any()).optional(),
  module: z.instanceof(ContainerModule, { message: 'expected an inversify ContainerModule' }),
});

export const capsSchema = z.object({
  asyncMemcpy: z.boolean(),
  psram: z.boolean(),
  cpdma: z.object({ channels: int.positive(), maxDescriptorBytes: int.positive(), timing: dmaTimingSchema.optional() }).optional(),
  gdma: z.object({
    ahbPairs: int.nonnegative(),
    axiPairs: int.nonnegative().optional(),
    m2mPairMask: int.nonnegative(),
    axiM2mPairMask: int.nonnegative().optional(),
    priorities: int.positive(),
    etm: z.boolean(),
    psramAccess: z.boolean(),
    peripheralTriggers: z.record(z.string(), int.nonnegative()),
    freeM2mTriggerMask: int.nonnegative(),
    etmIds: z.object({
      inSucEofBase: int.nonnegative(), outEofBase: int.nonnegative(), inStartTaskBase: int.nonnegative(), outStartTaskBase: int.nonnegative(),
    }).strict().optional(),
    timing: dmaTimingSchema.optional(),
  }).loose().optional(),
  etm: z.object({ channels: int.positive(), latencyCycles: int.nonnegative().optional(), clockHz: int.positive().optional() }).loose().optional(),
  gpio: z.object({
    pins: int.positive(),
    etm: z.object({
      eventChannels: int.nonnegative(),
      taskChannels: int.nonnegative(),
      eventIds: z.object({ pos: int.positive(), neg: int.positive(), any: int.positive() }).strict().optional(),
      taskIds: z.object({ set: int.positive(), clear: int.positive(), toggle: int.positive() }).strict().optional(),
    }).optional(),
  }).loose(),
  gptimer: z.object({
    timers: int.nonnegative(),
    etm: z.boolean(),
    clockHz: int.positive().optional(),
    etmIds: z.object({
      alarmMatch: z.array(int.positive()),
      startCount: z.array(int.positive()),
      stopCount: z.array(int.positive()),
      enAlarm: z.array(int.positive()),
      reload: z.array(int.positive()),
      capture: z.array(int.positive()),
    }).strict().optional(),
  }).loose(),
  spi: z.object({
    hosts: z.array(z.enum(['SPI2', 'SPI3'])),
    dma: z.enum(['gdma', 'spi-dma-shared', 'spi-dma-per-host']),
    sourceClockHz: int.positive().optional(),
    fifoBytes: int.positive().optional(),
    csPerHost: z.object({ SPI2: int.positive().optional(), SPI3: int.positive().optional() }).strict().optional(),
    dmaChannels: int.positive().optional(),
    dmaMaxBytes: int.positive().optional(),
    maxPreDivider: int.positive().optional(),
    driverCycles: z.partialRecord(z.enum(['queue', 'isrStart', 'isrDone', 'result', 'pollingStart', 'pollingEnd', 'dmaSetup',
      'dmaPerDescriptor', 'fifoPerWord', 'bounceAlloc', 'halDmaStart', 'halDmaWait']), z.number().nonnegative()).optional(),
    etm: z.object({ startTaskIds: z.object({ SPI2: int.positive().optional(), SPI3: int.positive().optional() }).strict() }).strict().optional(),
  }).loose(),
  beyondSilicon: z.array(z.string()),
  estimates: z.array(z.string()),
}).loose();

export const targetSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a name of letters, digits, _ . -'),
  description: z.string().optional(),
  extends: z.string().optional(),
  cpu: z.object({
    freqHz: int.positive(),
    memcpyCallCycles: z.number().nonnegative().optional(),
    sharedBusPenaltyPsPerByte: z.number().nonnegative().optional(),
  }).strict(),
  memory: z.array(regionSchema).min(1),
  plugins: z.array(pluginSchema),
  caps: capsSchema,
}).strict().superRefine((t, ctx) => {
  const regions = [...t.memory].sort((a, b) => a.base - b.base);
  for (let i = 1; i < regions.length; i++) {
    const a = regions[i - 1]!;
    const b = regions[i]!;
    if (a.base + a.size > b.base) {
      ctx.addIssue({ code: 'custom', path: ['memory'], message: `regions ${a.name} and ${b.name} overlap` });
    }
  }
  const names = new Set<string>();
  t.plugins.forEach((p, i) => {
    if (names.has(p.name)) ctx.addIssue({ code: 'custom', path: ['plugins', i, 'name'], message: `plugin "${p.name}" is listed twice` });
    names.add(p.name);
  });
});

/** One line per problem: `path: what was expected`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): string {
  return issues
    .map((i) => {
      const path = i.path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${String(seg)}` : String(seg)), prefix);
      return `${path || '(root)'}: ${i.message}`;
    })
    .join('; ');
}

export function validateTarget(def: TargetDefinition, where = ''): TargetDefinition {
  const r = targetSchema.safeParse(def);
  if (!r.success) {
    const name = typeof (def as { name?: unknown })?.name === 'string' ? ` "${(def as { name: string }).name}"` : '';
    throw new EspError(ESP_ERR_INVALID_ARG, `invalid target${name}: ${formatIssues(r.error.issues, where)}`);
  }
  return def;
}
