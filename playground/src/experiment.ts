import { z } from 'zod';

/**
 * An experiment of the playground: a target (built-in or derived), the hardware set up in the form, and the
 * ETM channels wired between it. Plain JSON: it travels in the page's URL and becomes a sim.config.ts snippet.
 * Lists are ordered: timer i is the i-th GPTimer the driver hands out, transfer i the i-th GDMA pair taken.
 */
export interface Experiment {
  v: 1;
  /** A built-in target name (targets.ts: BASE_TARGETS). */
  target: string;
  /** Derived target: this many AHB GDMA pairs (every one memory-to-memory capable). */
  gdmaPairs?: number;
  /** Derived target: the ETM forced on or off (absent: as the target has it). */
  etm?: 'on' | 'off';
  seed: number;
  /**
   * Run until this simulated time, in microseconds; null: until nothing is left to do (as `soc-fabric run`
   * without --until), for built-in scenarios only (a composed experiment may never go idle).
   */
  untilUs: number | null;
  /** A built-in scenario run as it is (the form's hardware and channels are then not used). */
  scenario?: string;
  /** GPIO levels driven at time 0, before anything else. */
  pins: PinSpec[];
  timers: TimerSpec[];
  gdma: GdmaSpec[];
  copies: CopySpec[];
  spi: SpiSpec[];
  channels: ChannelSpec[];
}

export interface PinSpec {
  pin: number;
  level: 0 | 1;
}
/** A GPTimer: counts at `resolutionHz` and raises its alarm at `alarmCount`. */
export interface TimerSpec {
  resolutionHz: number;
  alarmCount: number;
  /** Reload to 0 at the alarm (the alarm must be re-armed, e.g. by the ETM task en-alarm). */
  autoReload: boolean;
  /** 'cpu': enabled and started at time 0; 'etm': enabled only, started by its start-count ETM task. */
  start: 'cpu' | 'etm';
}
/** A GDMA memory-to-memory transfer of `bytes` on a pair of its own, started by the CPU at `atUs` or by the ETM. */
export interface GdmaSpec {
  bytes: number;
  atUs: number | null;
}
/** An esp_async_memcpy copy of `bytes` queued by the CPU at `atUs`. */
export interface CopySpec {
  bytes: number;
  atUs: number;
}
/** An SPI2 transaction (loopback, DMA) of `bytes` at `clockHz`, transmitted at `atUs` or prepared for the ETM. */
export interface SpiSpec {
  bytes: number;
  clockHz: number;
  atUs: number | null;
}

export type GpioEdge = 'pos' | 'neg' | 'any';
export type GpioAction = 'set' | 'clear' | 'toggle';
export type TimerTaskKind = 'start-count' | 'stop-count' | 'en-alarm' | 'reload' | 'capture';

/** Where an ETM channel's event comes from. */
export type EventRef =
  | { kind: 'timer-alarm'; timer: number }
  | { kind: 'gdma-eof'; xfer: number; dir: 'rx' | 'tx' }
  | { kind: 'gpio-edge'; pin: number; edge: GpioEdge }
  | { kind: 'memcpy-done' };
/** What an ETM channel's task does. */
export type TaskRef =
  | { kind: 'gdma-start'; xfer: number; dir: 'rx' | 'tx' }
  | { kind: 'gpio'; pin: number; action: GpioAction }
  | { kind: 'timer-task'; timer: number; task: TimerTaskKind }
  | { kind: 'spi-start'; xfer: number };

export interface ChannelSpec {
  event: EventRef;
  task: TaskRef;
}

const int = z.number().int();
const nonNeg = int.min(0);
const timeUs = z.number().min(0).max(1e9);

const eventRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('timer-alarm'), timer: nonNeg }).strict(),
  z.object({ kind: z.literal('gdma-eof'), xfer: nonNeg, dir: z.enum(['rx', 'tx']) }).strict(),
  z.object({ kind: z.literal('gpio-edge'), pin: nonNeg, edge: z.enum(['pos', 'neg', 'any']) }).strict(),
  z.object({ kind: z.literal('memcpy-done') }).strict(),
]);
const taskRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gdma-start'), xfer: nonNeg, dir: z.enum(['rx', 'tx']) }).strict(),
  z.object({ kind: z.literal('gpio'), pin: nonNeg, action: z.enum(['set', 'clear', 'toggle']) }).strict(),
  z
    .object({
      kind: z.literal('timer-task'),
      timer: nonNeg,
      task: z.enum(['start-count', 'stop-count', 'en-alarm', 'reload', 'capture']),
    })
    .strict(),
  z.object({ kind: z.literal('spi-start'), xfer: nonNeg }).strict(),
]);

/** The shape an experiment must have (the URL is user input: it is checked before use). */
export const experimentSchema = z
  .object({
    v: z.literal(1),
    target: z.string().min(1),
    gdmaPairs: int.min(1).max(16).optional(),
    etm: z.enum(['on', 'off']).optional(),
    seed: int.min(0).max(0xffffffff),
    untilUs: z.number().gt(0).max(1e9).nullable(),
    scenario: z.string().min(1).optional(),
    pins: z.array(z.object({ pin: nonNeg, level: z.union([z.literal(0), z.literal(1)]) }).strict()),
    timers: z.array(
      z
        .object({
          resolutionHz: int.min(1),
          alarmCount: nonNeg,
          autoReload: z.boolean(),
          start: z.enum(['cpu', 'etm']),
        })
        .strict(),
    ),
    gdma: z.array(z.object({ bytes: int.min(1).max(1 << 20), atUs: timeUs.nullable() }).strict()),
    copies: z.array(z.object({ bytes: int.min(1).max(1 << 20), atUs: timeUs }).strict()),
    spi: z.array(z.object({ bytes: int.min(1).max(1 << 16), clockHz: int.min(1), atUs: timeUs.nullable() }).strict()),
    channels: z.array(z.object({ event: eventRef, task: taskRef }).strict()),
  })
  .strict();

/** A blank experiment on `target`. */
export function blankExperiment(target = 'esp32c6'): Experiment {
  return { v: 1, target, seed: 1, untilUs: 300, pins: [], timers: [], gdma: [], copies: [], spi: [], channels: [] };
}

/**
 * The default chain, as the form composes it: GPTimer alarm -> ETM -> GDMA M2M start (RX and TX);
 * GDMA IN_SUC_EOF -> ETM -> GPIO5 toggle (the built-in scenario etm-dma-chain, scenarios/etm-dma-chain.ts).
 */
export function defaultChain(): Experiment {
  return {
    ...blankExperiment('esp32c6'),
    timers: [{ resolutionHz: 1_000_000, alarmCount: 100, autoReload: false, start: 'cpu' }],
    gdma: [{ bytes: 4096, atUs: null }],
    channels: [
      { event: { kind: 'timer-alarm', timer: 0 }, task: { kind: 'gdma-start', xfer: 0, dir: 'rx' } },
      { event: { kind: 'timer-alarm', timer: 0 }, task: { kind: 'gdma-start', xfer: 0, dir: 'tx' } },
      { event: { kind: 'gdma-eof', xfer: 0, dir: 'rx' }, task: { kind: 'gpio', pin: 5, action: 'toggle' } },
    ],
  };
}

/** Starting points offered by the page besides the built-in scenarios: each a form the user can edit. */
export const PRESETS: Record<string, { description: string; make: () => Experiment }> = {
  'timer-dma-gpio-chain': {
    description: 'GPTimer -> ETM -> GDMA M2M -> ETM -> GPIO5 (the default chain)',
    make: defaultChain,
  },
  'timer-gpio-square-wave': {
    description: 'GPTimer alarm toggles GPIO4 and re-arms itself through the ETM',
    make: () => ({
      ...blankExperiment('esp32c6'),
      untilUs: 500,
      timers: [{ resolutionHz: 1_000_000, alarmCount: 100, autoReload: true, start: 'cpu' }],
      channels: [
        { event: { kind: 'timer-alarm', timer: 0 }, task: { kind: 'gpio', pin: 4, action: 'toggle' } },
        { event: { kind: 'timer-alarm', timer: 0 }, task: { kind: 'timer-task', timer: 0, task: 'en-alarm' } },
      ],
    }),
  },
  'memcpy-done-gpio': {
    description: 'async memcpy COPY_DONE toggles GPIO1 through the ETM, four copies',
    make: () => ({
      ...blankExperiment('esp32c6'),
      untilUs: 100,
      pins: [{ pin: 1, level: 1 }],
      copies: [0, 10, 20, 30].map((atUs) => ({ bytes: 1024, atUs })),
      channels: [{ event: { kind: 'memcpy-done' }, task: { kind: 'gpio', pin: 1, action: 'toggle' } }],
    }),
  },
  'memcpy-starts-spi': {
    description: 'esp32c6-spi-etm: COPY_DONE starts a prepared SPI2 DMA transaction through the ETM',
    make: () => ({
      ...blankExperiment('esp32c6-spi-etm'),
      untilUs: 200,
      copies: [{ bytes: 2048, atUs: 5 }],
      spi: [{ bytes: 512, clockHz: 20_000_000, atUs: null }],
      channels: [{ event: { kind: 'memcpy-done' }, task: { kind: 'spi-start', xfer: 0 } }],
    }),
  },
};
