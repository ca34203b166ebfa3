import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { DmaError, EINVAL, EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE } from '../core/errors.js';
import type { MemoryMap } from '../core/memory/memory.js';
import type { Simulation } from '../core/simulation.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { CpDma } from '../plugins/dma/cpdma/index.js';
import { Gdma, GdmaDriver } from '../plugins/dma/gdma/index.js';
import { Etm } from '../plugins/etm/index.js';
import { Gpio } from '../plugins/gpio/index.js';
import { GpTimer } from '../plugins/gptimer/index.js';
import { Spi } from '../plugins/spi/index.js';

/**
 * Issue 11: every public entry point refuses bad arguments with EspError / DmaError and the C API's code, and a
 * refused call changes nothing. Each case below is one parameter of one exported function or method; every
 * bad value of its kind is tried, and a snapshot of the simulation (allocations, leases, pending events,
 * faults, time, DMA statuses, GPIO levels) taken before must equal the one after.
 */
const NUMBERS: unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  -1,
  0.5,
  2 ** 53,
  '16',
  'abc',
  null,
  {},
  [],
  true,
  () => 1,
  undefined,
];
/** Where undefined means "the default" (optional parameters), it is not bad. */
const NUMBERS_REQUIRED = NUMBERS;
/** An optional field left undefined or null takes its default (JS's "not given"); every other bad value is bad. */
const NUMBERS_OPTIONAL = NUMBERS.filter((v) => v !== undefined && v !== null);
const OBJECTS: unknown[] = [null, 5, 'abc', NaN, true, () => 1];
const STRINGS: unknown[] = [5, null, {}, 'no-such', NaN, ''];
const FUNCTIONS: unknown[] = [5, 'abc', {}, null, true];

interface Case {
  name: string;
  target: string;
  /** Values to try, each passed to `call`. */
  values: unknown[];
  call: (sim: Simulation, bad: unknown, h: Handles) => unknown;
  /** ESP_ERR_* code or negative errno expected (default ESP_ERR_INVALID_ARG / EINVAL for DmaError). */
  code?: number;
}

/** Things a case needs, made before the snapshot. */
interface Handles {
  a: number;
  b: number;
  [k: string]: unknown;
}

function snapshot(sim: Simulation): string {
  const m = sim.memory as MemoryMap;
  const free = m.regions.map((r) => JSON.stringify((r.allocator as unknown as { free: unknown }).free));
  const parts: unknown[] = [
    free,
    m.leases.size,
    sim.now,
    sim.faults.length,
    sim.bus.published,
    (sim as unknown as { kernel: { pending: number } }).kernel.pending,
  ];
  for (const token of [Gdma, CpDma]) {
    if (!sim.has(token)) continue;
    const dma = sim.get(token);
    for (let i = 0; i < dma.channelCount; i++) parts.push(dma.getStatus(i));
  }
  if (sim.has(Gpio)) {
    const g = sim.get(Gpio);
    parts.push(Array.from({ length: 8 }, (_, p) => g.getLevel(p)));
  }
  return JSON.stringify(parts);
}

const buffers = (sim: Simulation): Handles => ({
  a: sim.memory.alloc(64, { caps: ['dma', 'internal'] }),
  b: sim.memory.alloc(64, { caps: ['dma', 'internal'] }),
});

const CASES: Case[] = [
  // memory
  {
    name: 'memory.alloc(size)',
    target: 'esp32s3',
    values: [...NUMBERS_REQUIRED, 0],
    call: (s, v) => s.memory.alloc(v as number),
  },
  {
    name: 'memory.alloc(_, opts)',
    target: 'esp32s3',
    values: [null, 5, 'dma', true],
    call: (s, v) => s.memory.alloc(16, v as never),
  },
  {
    name: 'memory.alloc(_, {caps})',
    target: 'esp32s3',
    values: [5, 'dma', ['dram'], [null], {}, null],
    call: (s, v) => s.memory.alloc(16, { caps: v as never }),
  },
  {
    name: 'memory.alloc(_, {align})',
    target: 'esp32s3',
    values: [...NUMBERS_OPTIONAL, 3, 0],
    call: (s, v) => s.memory.alloc(16, { align: v as number }),
  },
  {
    name: 'memory.free(addr)',
    target: 'esp32s3',
    values: [...NUMBERS_REQUIRED, 0x1234],
    call: (s, v) => s.memory.free(v as number),
  },
  {
    name: 'memory.read(addr)',
    target: 'esp32s3',
    values: NUMBERS_REQUIRED,
    call: (s, v) => s.memory.read(v as number, 4),
  },
  {
    name: 'memory.read(_, len)',
    target: 'esp32s3',
    values: NUMBERS_REQUIRED,
    call: (s, v, h) => s.memory.read(h.a, v as number),
  },
  {
    name: 'memory.write(addr)',
    target: 'esp32s3',
    values: NUMBERS_REQUIRED,
    call: (s, v) => s.memory.write(v as number, new Uint8Array(4)),
  },
  {
    name: 'memory.write(_, bytes)',
    target: 'esp32s3',
    values: [null, 5, 'abc', [1, 2], {}, new Uint16Array(2)],
    call: (s, v, h) => s.memory.write(h.a, v as Uint8Array),
  },
  // cpu
  {
    name: 'cpu.memcpy(dst)',
    target: 'esp32s3',
    values: NUMBERS_REQUIRED,
    call: (s, v, h) => s.cpu.memcpy(v as number, h.a, 4),
  },
  {
    name: 'cpu.memcpy(_, src)',
    target: 'esp32s3',
    values: NUMBERS_REQUIRED,
    call: (s, v, h) => s.cpu.memcpy(h.b, v as number, 4),
  },
  {
    name: 'cpu.memcpy(_, _, n)',
    target: 'esp32s3',
    values: NUMBERS_REQUIRED,
    call: (s, v, h) => s.cpu.memcpy(h.b, h.a, v as number),
  },
  // a fraction of a cycle is a cost a model may well compute: not bad here
  {
    name: 'cpu.work(cycles)',
    target: 'esp32s3',
    values: [...NUMBERS_REQUIRED.filter((v) => v !== 0.5), 1e30],
    call: (s, v) => (s.cpu as unknown as { work(c: number): Promise<void> }).work(v as number),
  },
  // kernel access
  {
    name: 'schedule(delay)',
    target: 'esp32c3',
    values: NUMBERS_REQUIRED,
    call: (s, v) => s.schedule(v as number, () => undefined),
  },
  { name: 'schedule(_, fn)', target: 'esp32c3', values: FUNCTIONS, call: (s, v) => s.schedule(1, v as () => void) },
  { name: 'delay(ps)', target: 'esp32c3', values: NUMBERS_REQUIRED, call: (s, v) => s.delay(v as number) },
  {
    name: 'spawn(name)',
    target: 'esp32c3',
    values: [5, null, '', {}],
    call: (s, v) => s.spawn(v as string, async () => undefined),
  },
  {
    name: 'spawn(_, body)',
    target: 'esp32c3',
    values: FUNCTIONS,
    call: (s, v) => s.spawn('t', v as () => Promise<void>),
  },
  // Infinity is "until idle", the default
  {
    name: 'run({until})',
    target: 'esp32c3',
    values: NUMBERS_OPTIONAL.filter((v) => v !== Infinity),
    call: (s, v) => s.run({ until: v as number }),
  },
  { name: 'run(opts)', target: 'esp32c3', values: [null, 5, 'x'], call: (s, v) => s.run(v as never) },
  // async memcpy
  {
    name: 'AsyncMemcpy.install(config)',
    target: 'esp32c3',
    values: [5, 'x', null],
    call: (s, v) => s.get(AsyncMemcpy).install(v as never),
  },
  {
    name: 'AsyncMemcpy.install({backlog})',
    target: 'esp32c3',
    values: NUMBERS_OPTIONAL,
    call: (s, v) => s.get(AsyncMemcpy).install({ backlog: v as number }),
  },
  {
    name: 'AsyncMemcpy.install({dmaBurstSize})',
    target: 'esp32c3',
    values: [...NUMBERS_OPTIONAL, 3],
    call: (s, v) => s.get(AsyncMemcpy).install({ dmaBurstSize: v as number }),
  },
  {
    name: 'AsyncMemcpy.install(_, backend)',
    target: 'esp32c3',
    values: STRINGS,
    call: (s, v) => s.get(AsyncMemcpy).install({}, v as never),
  },
  ...(['dst', 'src', 'n'] as const).map((p, i): Case => ({
    name: `async memcpy(${p})`,
    target: 'esp32c3',
    values: NUMBERS_REQUIRED,
    call: (s, v, h) => {
      const args = [h.b, h.a, 16];
      args[i] = v as number;
      return (h.drv as { memcpy(d: number, s: number, n: number): unknown }).memcpy(args[0]!, args[1]!, args[2]!);
    },
  })),
  {
    name: 'async memcpy(_, _, _, onDone)',
    target: 'esp32c3',
    values: FUNCTIONS,
    call: (s, v, h) =>
      (h.drv as { memcpy(d: number, s: number, n: number, cb: unknown): unknown }).memcpy(h.b, h.a, 16, v),
  },
  {
    name: 'async memcpy newEtmEvent(kind)',
    target: 'esp32c6',
    values: STRINGS,
    call: (s, v, h) => (h.drv as { newEtmEvent(k: unknown): unknown }).newEtmEvent(v),
  },
  // ETM
  {
    name: 'Etm channel.connect(event)',
    target: 'esp32c6',
    values: [5, 'x', {}, { id: 'x' }, { id: 99999 }, { id: -1 }, 'foreign'],
    call: (s, v, h) =>
      (h.etmCh as { connect(e: unknown, t: unknown): void }).connect(v === 'foreign' ? h.foreignEvent : v, null),
  },
  {
    name: 'Etm channel.connect(_, task)',
    target: 'esp32c6',
    values: [5, 'x', {}, { id: NaN }, { id: 99999 }, 'foreign'],
    call: (s, v, h) =>
      (h.etmCh as { connect(e: unknown, t: unknown): void }).connect(null, v === 'foreign' ? h.foreignTask : v),
  },
  // GPIO
  {
    name: 'Gpio.setLevel(pin)',
    target: 'esp32c6',
    values: [...NUMBERS_REQUIRED, 9999],
    call: (s, v) => s.get(Gpio).setLevel(v as number, 1),
  },
  {
    name: 'Gpio.setLevel(_, level)',
    target: 'esp32c6',
    values: [...NUMBERS_REQUIRED, 2],
    call: (s, v) => s.get(Gpio).setLevel(2, v as 0),
  },
  {
    name: 'Gpio.getLevel(pin)',
    target: 'esp32c6',
    values: [...NUMBERS_REQUIRED, 9999],
    call: (s, v) => s.get(Gpio).getLevel(v as number),
  },
  {
    name: 'Gpio.newEtmEvent(edge)',
    target: 'esp32c6',
    values: STRINGS,
    call: (s, v) => s.get(Gpio).newEtmEvent(v as 'pos'),
  },
  {
    name: 'Gpio.newEtmTask(action)',
    target: 'esp32c6',
    values: STRINGS,
    call: (s, v) => s.get(Gpio).newEtmTask(v as 'set'),
  },
  // GPTimer
  {
    name: 'GpTimer.newTimer(config)',
    target: 'esp32c6',
    values: OBJECTS,
    call: (s, v) => s.get(GpTimer).newTimer(v as never),
  },
  {
    name: 'GpTimer.newTimer({resolutionHz})',
    target: 'esp32c6',
    values: NUMBERS_REQUIRED,
    call: (s, v) => s.get(GpTimer).newTimer({ resolutionHz: v as number }),
  },
  {
    name: 'gptimer.setRawCount(value)',
    target: 'esp32c6',
    values: NUMBERS_REQUIRED,
    call: (s, v, h) => (h.timer as { setRawCount(n: unknown): void }).setRawCount(v),
  },
  {
    name: 'gptimer.setAlarmAction({alarmCount})',
    target: 'esp32c6',
    values: NUMBERS_REQUIRED,
    call: (s, v, h) => (h.timer as { setAlarmAction(c: unknown): void }).setAlarmAction({ alarmCount: v }),
  },
  {
    name: 'gptimer.registerEventCallbacks({onAlarm})',
    target: 'esp32c6',
    values: [5, 'x', {}, true],
    call: (s, v, h) => (h.timer as { registerEventCallbacks(c: unknown): void }).registerEventCallbacks({ onAlarm: v }),
  },
  // Zephyr DMA on both engines
  ...(
    [
      ['esp32s3', Gdma],
      ['esp32s2', CpDma],
    ] as const
  ).flatMap(([target, token]): Case[] => [
    ...(['releaseChannel', 'start', 'stop', 'suspend', 'resume', 'getStatus'] as const).map((m): Case => ({
      name: `${target} DmaController.${m}(channel)`,
      target,
      values: [...NUMBERS_REQUIRED, 99],
      call: (s, v) => (s.get(token)[m] as (c: unknown) => unknown).call(s.get(token), v),
    })),
    {
      name: `${target} DmaController.config(channel)`,
      target,
      values: [...NUMBERS_REQUIRED, 99],
      call: (s, v, h) =>
        s.get(token).config(v as number, { direction: 'memory-to-memory', blocks: [{ src: h.a, dst: h.b, size: 16 }] }),
    },
    {
      name: `${target} DmaController.config(_, cfg)`,
      target,
      values: OBJECTS,
      call: (s, v) => s.get(token).config(0, v as never),
    },
    {
      name: `${target} DmaController.config(_, {blocks})`,
      target,
      values: [null, 5, [], [null], [{}], [{ src: 'a', dst: 'b', size: 4 }]],
      call: (s, v) => s.get(token).config(0, { direction: 'memory-to-memory', blocks: v as never }),
    },
    ...(['src', 'dst', 'size'] as const).map((p): Case => ({
      name: `${target} DmaController.config(_, {blocks: [{${p}}]})`,
      target,
      values: NUMBERS_REQUIRED,
      call: (s, v, h) =>
        s.get(token).config(0, { direction: 'memory-to-memory', blocks: [{ src: h.a, dst: h.b, size: 16, [p]: v }] }),
    })),
    {
      name: `${target} DmaController.config(_, {direction})`,
      target,
      values: [5, null, 'sideways', {}],
      call: (s, v, h) => s.get(token).config(0, { direction: v as never, blocks: [{ src: h.a, dst: h.b, size: 16 }] }),
    },
    {
      name: `${target} DmaController.config(_, {priority})`,
      target,
      values: NUMBERS_OPTIONAL,
      call: (s, v, h) =>
        s.get(token).config(0, {
          direction: 'memory-to-memory',
          priority: v as number,
          blocks: [{ src: h.a, dst: h.b, size: 16 }],
        }),
    },
    {
      name: `${target} DmaController.config(_, {burstLength})`,
      target,
      values: [...NUMBERS_OPTIONAL, 3, 128],
      call: (s, v, h) =>
        s.get(token).config(0, {
          direction: 'memory-to-memory',
          burstLength: v as number,
          blocks: [{ src: h.a, dst: h.b, size: 16 }],
        }),
    },
    {
      name: `${target} DmaController.config(_, {callback})`,
      target,
      values: FUNCTIONS.filter((f) => f !== null),
      call: (s, v, h) =>
        s.get(token).config(0, {
          direction: 'memory-to-memory',
          callback: v as never,
          blocks: [{ src: h.a, dst: h.b, size: 16 }],
        }),
    },
    ...([1, 2, 3] as const).map((pos): Case => ({
      name: `${target} DmaController.reload(arg ${pos})`,
      target,
      values: NUMBERS_REQUIRED,
      call: (s, v, h) => {
        const args: unknown[] = [0, h.a, h.b, 16];
        args[pos] = v;
        return (s.get(token).reload as (...a: unknown[]) => void)(...args);
      },
    })),
  ]),
  // GDMA channel API
  {
    name: 'GdmaDriver.newChannel(direction)',
    target: 'esp32c6',
    values: STRINGS,
    call: (s, v) => s.get(GdmaDriver).newChannel(v as 'tx'),
  },
  {
    name: 'GdmaDriver.newChannelPair({pair})',
    target: 'esp32c6',
    values: [...NUMBERS_OPTIONAL, 99],
    call: (s, v) => s.get(GdmaDriver).newChannelPair({ pair: v as number }),
  },
  {
    name: 'gdma channel.connect(trigger)',
    target: 'esp32c6',
    values: [null, 5, 'x', {}, { m2m: NaN }, { m2m: 99 }, { peripheral: 'NOPE' }],
    call: (s, v, h) => (h.ch as { connect(t: unknown): void }).connect(v),
  },
  {
    name: 'gdma channel.setPriority(p)',
    target: 'esp32c6',
    values: [...NUMBERS_REQUIRED, 99],
    call: (s, v, h) => (h.ch as { setPriority(t: unknown): void }).setPriority(v),
  },
  {
    name: 'gdma channel.configTransfer({maxDataBurstSize})',
    target: 'esp32c6',
    values: [...NUMBERS_OPTIONAL, 3, 96],
    call: (s, v, h) => (h.ch as { configTransfer(t: unknown): void }).configTransfer({ maxDataBurstSize: v }),
  },
  {
    name: 'gdma channel.start(descriptor)',
    target: 'esp32c6',
    values: [...NUMBERS_REQUIRED, 0, 2 ** 40, 0x3fc80002],
    call: (s, v, h) => (h.ch as { start(t: unknown): void }).start(v),
  },
  {
    name: 'gdma channel.setDescriptorAddr(descriptor)',
    target: 'esp32c6',
    values: [...NUMBERS_REQUIRED, 2 ** 40],
    call: (s, v, h) => (h.ch as { setDescriptorAddr(t: unknown): void }).setDescriptorAddr(v),
  },
  {
    name: 'gdma channel.registerCallbacks(cbs)',
    target: 'esp32c6',
    values: [null, 5, 'x', { onRecvEof: 5 }, { onDescrErr: 'x' }],
    call: (s, v, h) => (h.ch as { registerCallbacks(t: unknown): void }).registerCallbacks(v),
  },
  // SPI
  {
    name: 'Spi.busInitialize(host)',
    target: 'esp32c3',
    values: [...STRINGS, 'SPI1', 'SPI3'],
    call: (s, v) => s.get(Spi).busInitialize(v as 'SPI2', {}),
  },
  {
    name: 'Spi.busInitialize(_, {maxTransferSize})',
    target: 'esp32c3',
    values: NUMBERS_OPTIONAL,
    call: (s, v) => s.get(Spi).busInitialize('SPI2', { maxTransferSize: v as number }),
  },
  {
    name: 'spi bus.addDevice({clockSpeedHz})',
    target: 'esp32c3',
    values: [...NUMBERS_REQUIRED, 0.001, 1e12],
    call: (s, v, h) => (h.bus as { addDevice(c: unknown): unknown }).addDevice({ clockSpeedHz: v }),
  },
  ...(['tx', 'rx', 'length'] as const).map((p): Case => ({
    name: `spi device.transmit({${p}})`,
    target: 'esp32c3',
    values: NUMBERS_OPTIONAL.filter((v) => !(p === 'rx' && v === undefined)),
    call: (s, v, h) => (h.dev as { transmit(t: unknown): unknown }).transmit({ tx: h.a, rx: h.b, length: 16, [p]: v }),
  })),
];

/** Handles some cases need, made before the snapshot (so that making them is not counted as a change). */
async function prepare(sim: Simulation, c: Case): Promise<Handles> {
  const h = buffers(sim);
  if (c.name.startsWith('async memcpy')) h.drv = sim.get(AsyncMemcpy).install();
  if (c.name.startsWith('Etm')) {
    h.etmCh = sim.get(Etm).newChannel();
    const other = await createSimulation({ target: c.target });
    h.foreignEvent = other.get(Gpio).newEtmEvent('pos');
    h.foreignTask = other.get(Gpio).newEtmTask('set');
    await other.dispose();
  }
  if (c.name.startsWith('gptimer.')) h.timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
  if (c.name.startsWith('gdma channel')) h.ch = sim.get(GdmaDriver).newChannel('tx');
  if (c.name.startsWith('spi ')) {
    h.bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    h.dev = (h.bus as { addDevice(c: unknown): unknown }).addDevice({ clockSpeedHz: 10_000_000 });
  }
  if (
    /DmaController\.(start|stop|suspend|resume|reload|getStatus|releaseChannel)|\{/.test(c.name) &&
    !c.name.startsWith('spi') &&
    /DmaController/.test(c.name)
  ) {
    const dma = sim.get(c.target === 'esp32s2' ? CpDma : Gdma);
    dma.config(0, { direction: 'memory-to-memory', blocks: [{ src: h.a, dst: h.b, size: 16 }] });
  }
  return h;
}

/**
 * The call's outcome: its synchronous throw, or its promise's rejection once the host drained its microtasks
 * (a promise still pending then was accepted: it waits for simulated time, which does not run here).
 */
async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    const r = fn();
    if (!(r instanceof Promise)) return undefined;
    let settled: { e: unknown } | undefined;
    r.then(
      () => {
        settled = { e: undefined };
      },
      (e: unknown) => {
        settled = { e };
      },
    );
    await new Promise((res) => setImmediate(res));
    return settled?.e;
  } catch (e) {
    return e;
  }
}

function expectRefused(e: unknown, code: number | undefined, what: string): void {
  if (e instanceof DmaError) {
    expect(e.errno, `${what}: ${e.message}`).to.equal(code ?? EINVAL);
    return;
  }
  expect(e, `${what}: expected a refusal, got ${e === undefined ? 'acceptance' : String(e)}`).to.be.instanceOf(
    EspError,
  );
  expect((e as EspError).code, `${what}: ${(e as Error).message}`).to.equal(code ?? ESP_ERR_INVALID_ARG);
}

describe('every public entry point refuses bad values with the C code and changes nothing (issue 11)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const sim = await createSimulation({ target: c.target });
      try {
        const h = await prepare(sim, c);
        for (const bad of c.values) {
          const before = snapshot(sim);
          const label = `${c.name} with ${typeof bad === 'function' ? 'a function' : typeof bad === 'number' || bad === undefined ? String(bad) : JSON.stringify(bad)}`;
          const e = await outcome(() => c.call(sim, bad, h));
          expectRefused(e, c.code, label);
          expect(snapshot(sim), `${label} changed the simulation`).to.equal(before);
        }
      } finally {
        await sim.dispose();
      }
    });
  }

  it('createSimulation refuses bad options, targets and seeds', async () => {
    for (const opts of [
      null,
      5,
      'esp32c3',
      {},
      { target: 5 },
      { target: 'esp99' },
      { target: 'esp32c3', seed: -1 },
      { target: 'esp32c3', seed: 0.5 },
      { target: 'esp32c3', seed: NaN },
      { target: 'esp32c3', seed: 2 ** 53 },
      { target: 'esp32c3', seed: '1' },
      { target: 'esp32c3', config: 5 },
    ]) {
      const e = await outcome(() => createSimulation(opts as never));
      expect(e, JSON.stringify(opts)).to.be.instanceOf(EspError);
    }
  });

  it('a disposed simulation refuses every service call with ESP_ERR_INVALID_STATE', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const h = buffers(sim);
    const drv = sim.get(AsyncMemcpy).install();
    const dma = sim.get(Gdma);
    await sim.dispose();
    for (const [what, fn] of [
      ['memory.alloc', () => sim.memory.alloc(4)],
      ['memory.write', () => sim.memory.write(h.a, new Uint8Array(4))],
      ['cpu.memcpy', () => sim.cpu.memcpy(h.b, h.a, 4)],
      ['schedule', () => sim.schedule(1, () => undefined)],
      ['async memcpy', () => drv.memcpy(h.b, h.a, 16)],
      ['get', () => sim.get(Gpio)],
      [
        'Gdma.start',
        () => {
          dma.config(0, { direction: 'memory-to-memory', blocks: [{ src: h.a, dst: h.b, size: 16 }] });
          dma.start(0);
        },
      ],
    ] as const) {
      const e = await outcome(fn);
      expect(e, what).to.satisfy(
        (x: unknown) => (x instanceof EspError && x.code === ESP_ERR_INVALID_STATE) || x instanceof DmaError,
        `${what}: ${String(e)}`,
      );
    }
  });
});
