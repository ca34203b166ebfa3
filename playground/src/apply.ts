import type { Simulation } from '../../core/simulation.js';
import { DescriptorMemory, writeLinearList } from '../../plugins/dma/engine/descriptor.js';
import type { DmaChannel } from '../../plugins/dma/engine/channel-api.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import { us } from '../../core/time.js';
import { Core } from '../../core/tokens.js';
import { AsyncMemcpy, type AsyncMemcpyDriver } from '../../plugins/async-memcpy/index.js';
import { Etm, type EtmEvent, type EtmTask } from '../../plugins/etm/index.js';
import { GdmaDriver } from '../../plugins/dma/gdma/index.js';
import { Gpio } from '../../plugins/gpio/index.js';
import { GpTimer, type GpTimerHandle } from '../../plugins/gptimer/index.js';
import { Spi, type SpiBus, type SpiDevice, type SpiTransaction } from '../../plugins/spi/index.js';
import type { EventRef, Experiment, TaskRef } from './experiment.js';

/** Largest descriptor buffer of a linear list (4095 rounded down to a word, as the chain scenario uses). */
export const DESC_BYTES = 4092;

/**
 * A refusal while setting an experiment up: `path` names the form control it belongs to ('gdma.0',
 * 'channels.2.task', ...) and the message is the kit's own (an EspError's, with its ESP_ERR_* name).
 */
export class ExperimentError extends Error {
  constructor(
    readonly path: string,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'ExperimentError';
  }
}

function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof ExperimentError ? e : new ExperimentError(path, e);
  }
}

/** The byte pattern the sources are filled with (i * 13 + 7, as the chain scenario). */
export function pattern(n: number): Uint8Array {
  return new Uint8Array(n).map((_, i) => (i * 13 + 7) & 0xff);
}

interface PreparedGdma {
  tx: DmaChannel;
  rx: DmaChannel;
  txd: number;
  rxd: number;
}
interface PreparedSpi {
  dev: SpiDevice;
  t: SpiTransaction;
}

/** What the set-up made: handles by form index, and the ETM IDs each channel got (for the page's labels). */
export interface Applied {
  timers: GpTimerHandle[];
  gdma: PreparedGdma[];
  memcpy: AsyncMemcpyDriver | undefined;
  spiBus: SpiBus | undefined;
  spi: PreparedSpi[];
  channels: { event: number; task: number }[];
}

/**
 * Sets the experiment up on `sim` and schedules its CPU actions (the run is the caller's). Steps, in order:
 * initial GPIO levels; GDMA transfers (buffers, descriptor lists, an M2M pair each); the async memcpy driver
 * and its buffers; SPI2 devices and transactions; GPTimers; ETM channels; then timers started and CPU tasks
 * spawned. snippet.ts writes the same steps as TypeScript: keep the two in step.
 * A refusal throws ExperimentError naming the control it belongs to.
 */
export function applyExperiment(sim: Simulation, x: Experiment): Applied {
  const out: Applied = { timers: [], gdma: [], memcpy: undefined, spiBus: undefined, spi: [], channels: [] };
  x.pins.forEach((p, i) => at(`pins.${i}`, () => sim.get(Gpio).setLevel(p.pin, p.level)));

  x.gdma.forEach((g, i) =>
    at(`gdma.${i}`, () => {
      const dma = sim.get(GdmaDriver);
      const dm = new DescriptorMemory(sim.get(Core.Memory));
      const src = sim.memory.alloc(g.bytes, { caps: ['dma'] });
      const dst = sim.memory.alloc(g.bytes, { caps: ['dma'] });
      sim.memory.write(src, pattern(g.bytes));
      const descs = Math.ceil(g.bytes / DESC_BYTES);
      const txd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'], align: 4 });
      const rxd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'], align: 4 });
      writeLinearList(dm, txd, src, g.bytes, DESC_BYTES, true);
      writeLinearList(dm, rxd, dst, g.bytes, DESC_BYTES, false);
      const { tx, rx } = dma.newChannelPair({ m2m: true });
      const mask = dma.freeM2mTriggerMask();
      const trig = 31 - Math.clz32(mask & -mask);
      tx.connect({ m2m: trig });
      rx.connect({ m2m: trig });
      // as a driver does: descriptor checks and write-back, burst 16 (a new GDMA channel has none)
      for (const c of [tx, rx]) {
        c.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
        c.configTransfer({ maxDataBurstSize: 16 });
      }
      tx.setDescriptorAddr(txd);
      rx.setDescriptorAddr(rxd);
      out.gdma.push({ tx, rx, txd, rxd });
    }),
  );

  const copyBuffers: { src: number; dst: number }[] = [];
  if (x.copies.length > 0 || x.channels.some((c) => c.event.kind === 'memcpy-done')) {
    at('copies', () => {
      out.memcpy = sim.get(AsyncMemcpy).install();
    });
    x.copies.forEach((c, i) =>
      at(`copies.${i}`, () => {
        const src = sim.memory.alloc(c.bytes, { caps: ['dma'], align: 4 });
        const dst = sim.memory.alloc(c.bytes, { caps: ['dma'], align: 4 });
        sim.memory.write(src, pattern(c.bytes));
        copyBuffers.push({ src, dst });
      }),
    );
  }

  if (x.spi.length > 0) {
    at('spi', () => {
      out.spiBus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
    });
    x.spi.forEach((s, i) =>
      at(`spi.${i}`, () => {
        const dev = out.spiBus!.addDevice({ clockSpeedHz: s.clockHz });
        const tx = sim.memory.alloc(s.bytes, { caps: ['dma'], align: 4 });
        const rx = sim.memory.alloc(s.bytes, { caps: ['dma'], align: 4 });
        sim.memory.write(tx, pattern(s.bytes));
        const t: SpiTransaction = { tx, rx, length: s.bytes };
        if (s.atUs === null) dev.prepareEtmTransaction(t);
        out.spi.push({ dev, t });
      }),
    );
  }

  x.timers.forEach((t, i) =>
    at(`timers.${i}`, () => {
      const timer = sim.get(GpTimer).newTimer({ resolutionHz: t.resolutionHz });
      timer.setAlarmAction({ alarmCount: t.alarmCount, reloadCount: 0, autoReloadOnAlarm: t.autoReload });
      timer.enable();
      out.timers.push(timer);
    }),
  );

  const events = new Map<string, EtmEvent>();
  const tasks = new Map<string, EtmTask>();
  x.channels.forEach((c, i) => {
    const etm = at(`channels.${i}`, () => sim.get(Etm));
    const ek = JSON.stringify(c.event);
    const ev = events.get(ek) ?? at(`channels.${i}.event`, () => resolveEvent(sim, out, x, c.event));
    events.set(ek, ev);
    const tk = JSON.stringify(c.task);
    const task = tasks.get(tk) ?? at(`channels.${i}.task`, () => resolveTask(sim, out, x, c.task));
    tasks.set(tk, task);
    at(`channels.${i}`, () => {
      const ch = etm.newChannel();
      ch.connect(ev, task);
      ch.enable();
    });
    out.channels.push({ event: ev.id, task: task.id });
  });

  x.timers.forEach((t, i) => {
    if (t.start === 'cpu') at(`timers.${i}`, () => out.timers[i]!.start());
  });
  x.gdma.forEach((g, i) => {
    if (g.atUs === null) return;
    const p = out.gdma[i]!;
    const atUs = g.atUs;
    sim.spawn(`gdma${i}`, async () => {
      await sim.delay(us(atUs));
      p.rx.start(p.rxd);
      p.tx.start(p.txd);
    });
  });
  x.copies.forEach((c, i) => {
    const b = copyBuffers[i]!;
    const drv = out.memcpy!;
    sim.spawn(`copy${i}`, async () => {
      await sim.delay(us(c.atUs));
      await drv.memcpy(b.dst, b.src, c.bytes);
    });
  });
  x.spi.forEach((s, i) => {
    if (s.atUs === null) return;
    const p = out.spi[i]!;
    const atUs = s.atUs;
    sim.spawn(`spi${i}`, async () => {
      await sim.delay(us(atUs));
      await p.dev.transmit(p.t);
    });
  });
  return out;
}

/**
 * Refuses channels that name hardware the experiment does not set up (the snippet cannot name it either), with
 * the message applyExperiment gives when it meets them.
 */
export function checkReferences(x: Experiment): void {
  x.channels.forEach((c, i) => {
    const e = c.event;
    at(`channels.${i}.event`, () => {
      if (e.kind === 'timer-alarm' && x.timers[e.timer] === undefined) missing(`GPTimer ${e.timer}`);
      if (e.kind === 'gdma-eof' && x.gdma[e.xfer] === undefined) missing(`GDMA transfer ${e.xfer}`);
    });
    const t = c.task;
    at(`channels.${i}.task`, () => {
      if (t.kind === 'timer-task' && x.timers[t.timer] === undefined) missing(`GPTimer ${t.timer}`);
      if (t.kind === 'gdma-start' && x.gdma[t.xfer] === undefined) missing(`GDMA transfer ${t.xfer}`);
      if (t.kind === 'spi-start' && x.spi[t.xfer] === undefined) missing(`SPI transaction ${t.xfer}`);
    });
  });
}

function missing(what: string): never {
  throw new EspError(ESP_ERR_INVALID_ARG, `${what} is not set up in this experiment: add it in the form first`);
}

function resolveEvent(sim: Simulation, a: Applied, x: Experiment, e: EventRef): EtmEvent {
  switch (e.kind) {
    case 'timer-alarm':
      return (a.timers[e.timer] ?? missing(`GPTimer ${e.timer}`)).newEtmEvent('alarm-match');
    case 'gdma-eof': {
      const p = a.gdma[e.xfer] ?? missing(`GDMA transfer ${e.xfer}`);
      return sim.get(GdmaDriver).newEtmEvent(e.dir === 'rx' ? p.rx : p.tx, 'eof');
    }
    case 'gpio-edge': {
      const ev = sim.get(Gpio).newEtmEvent(e.edge);
      ev.bindGpio(e.pin);
      return ev;
    }
    case 'memcpy-done':
      return (a.memcpy ?? missing('the async memcpy driver')).newEtmEvent('copy-done');
  }
  return unreachable(x);
}

function resolveTask(sim: Simulation, a: Applied, x: Experiment, t: TaskRef): EtmTask {
  switch (t.kind) {
    case 'gdma-start': {
      const p = a.gdma[t.xfer] ?? missing(`GDMA transfer ${t.xfer}`);
      return sim.get(GdmaDriver).newEtmTask(t.dir === 'rx' ? p.rx : p.tx, 'start');
    }
    case 'gpio': {
      const task = sim.get(Gpio).newEtmTask(t.action);
      task.addGpio(t.pin);
      return task;
    }
    case 'timer-task':
      return (a.timers[t.timer] ?? missing(`GPTimer ${t.timer}`)).newEtmTask(t.task);
    case 'spi-start':
      // the task starts whatever transaction is prepared on SPI2 (none prepared: the kit reports etm-start-ignored)
      if (x.spi[t.xfer] === undefined) missing(`SPI transaction ${t.xfer}`);
      return (a.spiBus ?? missing('SPI2')).newEtmTask('start-transaction');
  }
  return unreachable(x);
}

function unreachable(_x: Experiment): never {
  throw new EspError(ESP_ERR_INVALID_ARG, 'unknown ETM endpoint kind');
}
