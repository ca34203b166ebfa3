import { expect } from 'chai';
import { createSimulation } from '../../../create-simulation.js';
import { type Simulation } from '../../../core/simulation.js';
import { Core } from '../../../core/tokens.js';
import { DescriptorMemory, writeLinearList } from '../engine/descriptor.js';
import type { DmaChannel, DmaChannelDriver } from '../engine/channel-api.js';
import {
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
} from '../../../core/errors.js';
import type { SimEvent } from '../../../core/bus/event-bus.js';
import { GdmaDriver } from './index.js';
import {
  EtmEventSources,
  EtmTaskSinks,
  type EtmEventSourceContribution,
  type EtmTaskSinkContribution,
} from '../../contracts/etm.js';
import { definePlugin } from '../../../core/plugin/plugin.js';
import { defineToken } from '../../../core/plugin/tokens.js';
import { extendTarget } from '../../../core/target/target.js';
import { esp32c6 } from '../../../targets/index.js';
import { expectEsp, pattern } from '../../../test/helpers/sim.js';

interface Copy {
  src: number;
  dst: number;
  txd: number;
  rxd: number;
  data: Uint8Array;
}

/** A memory-to-memory copy on one pair, lists written by hand as a driver would. */
function prepare(sim: Simulation, dm: DescriptorMemory, n: number, seed = 1, max = 4092): Copy {
  const src = sim.memory.alloc(n, { caps: ['dma'] });
  const dst = sim.memory.alloc(n, { caps: ['dma'] });
  const descs = Math.ceil(n / max);
  const txd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  const rxd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  const data = pattern(n, seed);
  sim.memory.write(src, data);
  writeLinearList(dm, txd, src, n, max, true);
  writeLinearList(dm, rxd, dst, n, max, false);
  return { src, dst, txd, rxd, data };
}

/** What a driver applies after allocating (async memcpy does): owner check, write-back and burst 16 (GDMA starts with all off). */
function configure(...chs: DmaChannel[]): void {
  for (const c of chs) {
    c.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
    c.configTransfer({ maxDataBurstSize: 16 });
  }
}

function m2mPair(drv: DmaChannelDriver): { tx: DmaChannel; rx: DmaChannel } {
  const p = drv.newChannelPair({ m2m: true });
  configure(p.tx, p.rx);
  const mask = drv.freeM2mTriggerMask();
  const id = 31 - Math.clz32(mask & -mask);
  p.tx.connect({ m2m: id });
  p.rx.connect({ m2m: id });
  return p;
}

describe('GDMA engine and channel API', () => {
  let sim: Simulation;
  let drv: DmaChannelDriver;
  let dm: DescriptorMemory;
  beforeEach(async () => {
    sim = await createSimulation({ target: 'esp32c3' });
    drv = sim.get(GdmaDriver);
    dm = new DescriptorMemory(sim.get(Core.Memory));
  });
  afterEach(() => sim.dispose());

  it('copies through descriptor lists, writes back RX length/suc_eof/owner and hands TX descriptors back', async () => {
    const c = prepare(sim, dm, 10_000);
    const { tx, rx } = m2mPair(drv);
    const eofs: number[] = [];
    rx.registerCallbacks({
      onRecvEof: (_ch, e) => {
        eofs.push(e.descriptor);
      },
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    expect(tx.state).to.equal('running');
    await sim.run();
    expect(sim.memory.read(c.dst, 10_000)).to.deep.equal(c.data);
    expect(eofs).to.deep.equal([c.rxd + 24]);
    const rxs = [0, 1, 2].map((i) => dm.read(c.rxd + 12 * i));
    expect(rxs.map((d) => d.length)).to.deep.equal([4092, 4092, 10_000 - 8184]);
    expect(rxs.map((d) => d.sucEof)).to.deep.equal([false, false, true]);
    expect(rxs.map((d) => d.owner)).to.deep.equal([0, 0, 0]);
    expect([0, 1, 2].map((i) => dm.read(c.txd + 12 * i).owner)).to.deep.equal([0, 0, 0]);
    expect(drv.bytesMoved(tx.pair)).to.equal(10_000);
    expect(tx.state).to.equal('idle');
  });

  it('publishes channel-start, moved and eof events with channel and byte counts', async () => {
    const c = prepare(sim, dm, 9000);
    const { tx, rx } = m2mPair(drv);
    const seen: string[] = [];
    sim.bus.source('gdma').events$.subscribe((e) => {
      const d = e.data as { pair: number; dir?: string; bytes?: number; total?: number };
      seen.push(`${e.type}:${d.pair}:${d.dir ?? ''}:${d.bytes ?? ''}:${d.total ?? ''}`);
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    await sim.run();
    const p = tx.pair;
    expect(seen).to.deep.equal([
      `channel-start:${p}:rx::`,
      `channel-start:${p}:tx::`,
      `moved:${p}::9000:9000`,
      `channel-stop:${p}:tx::`,
      `eof:${p}:tx:9000:`,
      `eof:${p}:rx:9000:`,
    ]);
  });

  it('takes the time of the timing model: fetches, start and beats', async () => {
    const c = prepare(sim, dm, 400);
    const { tx, rx } = m2mPair(drv);
    let at = -1;
    rx.registerCallbacks({
      onRecvEof: () => {
        at = sim.now;
      },
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    await sim.run();
    const t = sim.target.caps.gdma!.timing!;
    const cycle = 1e12 / t.clockHz;
    const expected =
      Math.round(t.startCycles * cycle) +
      2 * Math.round(t.descriptorFetchCycles * cycle) +
      Math.round(100 * 4 * (t.access.sram!.readCyclesPerByte + t.access.sram!.writeCyclesPerByte) * cycle);
    expect(at).to.equal(expected);
  });

  it('raises a descriptor error for an owner=CPU descriptor and moves nothing', async () => {
    const c = prepare(sim, dm, 64);
    dm.write(c.txd, { ...dm.read(c.txd), owner: 0 });
    const { tx, rx } = m2mPair(drv);
    const errs: string[] = [];
    const events: SimEvent[] = [];
    sim.bus.all$.subscribe((e) => events.push(e));
    tx.registerCallbacks({
      onDescrErr: (_ch, e) => {
        errs.push(e.reason);
      },
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    await sim.run();
    expect(errs).to.have.length(1);
    expect(errs[0]).to.match(/owned by the CPU/);
    expect(tx.state).to.equal('error');
    expect(sim.memory.read(c.dst, 64).every((b) => b === 0)).to.equal(true);
    expect(events.some((e) => e.source === 'gdma' && e.type === 'descr-error')).to.equal(true);
  });

  it('raises a descriptor error for a next pointer outside memory after the bytes before it arrived', async () => {
    const c = prepare(sim, dm, 100);
    dm.write(c.txd, { ...dm.read(c.txd), sucEof: false, next: 0x1234 });
    const { tx, rx } = m2mPair(drv);
    const errs: { dir: string; reason: string }[] = [];
    tx.registerCallbacks({
      onDescrErr: (ch, e) => {
        errs.push({ dir: ch.direction, reason: e.reason });
      },
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    await sim.run();
    expect(errs).to.deep.equal([{ dir: 'tx', reason: 'descriptor address 0x00001234 is outside memory' }]);
    expect(sim.memory.read(c.dst, 100)).to.deep.equal(c.data);
  });

  it('raises a descriptor error for a buffer the engine cannot reach (flash) and for an RX list too short', async () => {
    const c = prepare(sim, dm, 64);
    dm.write(c.txd, { ...dm.read(c.txd), buffer: 0x3c00_0000 });
    const a = m2mPair(drv);
    const errs: string[] = [];
    a.tx.registerCallbacks({
      onDescrErr: (_c, e) => {
        errs.push(e.reason);
      },
    });
    a.rx.start(c.rxd);
    a.tx.start(c.txd);
    await sim.run();
    expect(errs[0]).to.match(/drom, which this DMA cannot read/);

    const d = prepare(sim, dm, 200);
    dm.write(d.rxd, { ...dm.read(d.rxd), size: 100 });
    const b = m2mPair(drv);
    const rxErrs: string[] = [];
    b.rx.registerCallbacks({
      onDescrErr: (_c, e) => {
        rxErrs.push(e.reason);
      },
    });
    b.rx.start(d.rxd);
    b.tx.start(d.txd);
    await sim.run();
    expect(rxErrs).to.deep.equal(['the RX list ended before the data did']);
    expect(sim.memory.read(d.dst, 100)).to.deep.equal(d.data.subarray(0, 100));
    expect(b.rx.state).to.equal('error');
  });

  it('stops mid-transfer keeping the bytes moved, and append finishes the copy', async () => {
    const c = prepare(sim, dm, 4000);
    const { tx, rx } = m2mPair(drv);
    let done = false;
    rx.registerCallbacks({
      onRecvEof: () => {
        done = true;
      },
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    await sim.run({ until: sim.now + 20_000_000 });
    tx.stop();
    const moved = drv.bytesMoved(tx.pair);
    expect(moved).to.be.greaterThan(0).and.lessThan(4000);
    expect(moved % 4).to.equal(0);
    expect(sim.memory.read(c.dst, moved)).to.deep.equal(c.data.subarray(0, moved));
    expect(sim.memory.read(c.dst + moved, 4).every((b) => b === 0)).to.equal(true);
    await sim.run({ until: sim.now + 50_000_000 });
    expect(drv.bytesMoved(tx.pair)).to.equal(moved);
    expect(tx.state).to.equal('halted');
    tx.append();
    await sim.run();
    expect(done).to.equal(true);
    expect(sim.memory.read(c.dst, 4000)).to.deep.equal(c.data);
  });

  it('stops inside a long list at the exact beat: earlier descriptors written back, the rest untouched', async () => {
    const n = 5 * 4092;
    const c = prepare(sim, dm, n);
    const { tx, rx } = m2mPair(drv);
    let eofAt = -1;
    rx.registerCallbacks({
      onRecvEof: () => {
        eofAt = sim.now;
      },
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    const t = sim.target.caps.gdma!.timing!;
    const cycle = 1e12 / t.clockHz;
    const fetch = Math.round(t.descriptorFetchCycles * cycle);
    const beat = 4 * (t.access.sram!.readCyclesPerByte + t.access.sram!.writeCyclesPerByte) * cycle;
    const seg = 2 * fetch + Math.round(1023 * beat);
    const start = Math.round(t.startCycles * cycle);
    // 2 whole descriptors, then 100 beats into the third
    const stopAt = start + 2 * seg + 2 * fetch + Math.floor(100.5 * beat);
    await sim.run({ until: stopAt });
    expect(drv.bytesMoved(tx.pair)).to.equal(2 * 4092 + 400);
    tx.stop();
    expect(sim.memory.read(c.dst, 2 * 4092 + 400)).to.deep.equal(c.data.subarray(0, 2 * 4092 + 400));
    expect(sim.memory.read(c.dst + 2 * 4092 + 400, 4).every((b) => b === 0)).to.equal(true);
    expect([0, 1, 2, 3].map((i) => dm.read(c.rxd + 12 * i).owner)).to.deep.equal([0, 0, 1, 1]);
    expect([0, 1, 2].map((i) => dm.read(c.rxd + 12 * i).length)).to.deep.equal([4092, 4092, 0]);
    expect([0, 1, 2].map((i) => dm.read(c.txd + 12 * i).owner)).to.deep.equal([0, 0, 1]);
    tx.append();
    await sim.run();
    expect(sim.memory.read(c.dst, n)).to.deep.equal(c.data);
    // the rest of the third descriptor without a second fetch (the half beat in progress at the stop is redone)
    expect(eofAt).to.equal(stopAt + Math.round(923 * beat) + 2 * seg);
  });

  it('reads owner bits when it reaches a descriptor: software may hand one over late', async () => {
    const c = prepare(sim, dm, 3 * 4092);
    dm.write(c.txd + 24, { ...dm.read(c.txd + 24), owner: 0 });
    const { tx, rx } = m2mPair(drv);
    const errs: number[] = [];
    tx.registerCallbacks({
      onDescrErr: () => {
        errs.push(sim.now);
      },
    });
    rx.start(c.rxd);
    tx.start(c.txd);
    await sim.run();
    expect(errs).to.have.length(1);
    expect(drv.bytesMoved(tx.pair)).to.equal(2 * 4092);
    // hand it over and restart from it
    dm.write(c.txd + 24, { ...dm.read(c.txd + 24), owner: 1 });
    const done: number[] = [];
    rx.registerCallbacks({
      onRecvEof: () => {
        done.push(sim.now);
      },
    });
    tx.start(c.txd + 24);
    await sim.run();
    expect(done).to.have.length(1);
    expect(sim.memory.read(c.dst, 3 * 4092)).to.deep.equal(c.data);
  });

  it('shares the bus: equal priorities interleave, a higher priority goes first', async () => {
    const runTwo = async (pa: number, pb: number): Promise<[number, number, number]> => {
      const s = await createSimulation({ target: 'esp32c3' });
      const d = s.get(GdmaDriver);
      const m = new DescriptorMemory(s.get(Core.Memory));
      const ends: number[] = [];
      const copies = [prepare(s, m, 8184, 1), prepare(s, m, 8184, 2)];
      const pairs = [m2mPair(d), m2mPair(d)];
      pairs[0]!.tx.setPriority(pa);
      pairs[0]!.rx.setPriority(pa);
      pairs[1]!.tx.setPriority(pb);
      pairs[1]!.rx.setPriority(pb);
      pairs.forEach((p, i) =>
        p.rx.registerCallbacks({
          onRecvEof: () => {
            ends[i] = s.now;
          },
        }),
      );
      pairs.forEach((p, i) => {
        p.rx.start(copies[i]!.rxd);
        p.tx.start(copies[i]!.txd);
      });
      await s.run();
      copies.forEach((c) => expect(s.memory.read(c.dst, 8184)).to.deep.equal(c.data));
      const alone = await (async () => {
        const s1 = await createSimulation({ target: 'esp32c3' });
        const d1 = s1.get(GdmaDriver);
        const c1 = prepare(s1, new DescriptorMemory(s1.get(Core.Memory)), 8184, 1);
        const p1 = m2mPair(d1);
        let end = 0;
        p1.rx.registerCallbacks({
          onRecvEof: () => {
            end = s1.now;
          },
        });
        p1.rx.start(c1.rxd);
        p1.tx.start(c1.txd);
        await s1.run();
        await s1.dispose();
        return end;
      })();
      await s.dispose();
      return [ends[0]!, ends[1]!, alone];
    };
    const [e0, e1, alone] = await runTwo(0, 0);
    // round-robin per descriptor: the first finishes after ~3 of 4 descriptors, the second at ~2x alone
    expect(e1 / alone).to.be.closeTo(2, 0.05);
    expect(e0 / alone).to.be.closeTo(1.5, 0.05);
    const [h0, h1, alone2] = await runTwo(0, 5);
    // pair 0's first descriptor is already on the bus when pair 1 starts (no preemption inside a descriptor);
    // from then on pair 1 has the bus until it is done
    expect(h1 / alone2).to.be.closeTo(1.5, 0.05);
    expect(h0 / alone2).to.be.closeTo(2, 0.05);
    expect(h1).to.be.lessThan(h0);
  });

  it('connects triggers as gdma_connect does: in-use IDs refused, SPI2 clashes with an M2M ID 0 on esp32c3', () => {
    expect(drv.freeM2mTriggerMask()).to.equal(0x1cd);
    const a = drv.newChannelPair();
    a.tx.connect({ m2m: 0 });
    a.rx.connect({ m2m: 0 });
    expect(drv.freeM2mTriggerMask()).to.equal(0x1cc);
    const b = drv.newChannelPair();
    expectEsp(() => b.tx.connect({ peripheral: 'SPI2' }), ESP_ERR_INVALID_STATE);
    expectEsp(() => b.tx.connect({ m2m: 1 }), ESP_ERR_INVALID_ARG);
    expectEsp(() => b.tx.connect({ peripheral: 'SPI3' }), ESP_ERR_INVALID_ARG);
    expectEsp(() => a.tx.connect({ m2m: 2 }), ESP_ERR_INVALID_STATE);
    expect(b.tx.trigger).to.equal(undefined);
    a.tx.disconnect();
    b.tx.connect({ peripheral: 'SPI2' });
    expect(b.tx.trigger).to.deep.equal({ peripheral: 'SPI2' });
    expectEsp(() => b.tx.setPriority(6), ESP_ERR_INVALID_ARG);
    expectEsp(() => b.tx.configTransfer({ maxDataBurstSize: 12 }), ESP_ERR_INVALID_ARG);
    drv.newChannelPair();
    expectEsp(() => drv.newChannelPair(), ESP_ERR_NOT_FOUND);
    b.tx.delete();
    const t = drv.newChannel('tx');
    expect(t.pair).to.equal(b.tx.pair);
    expectEsp(() => drv.newChannel('rx'), ESP_ERR_NOT_FOUND);
  });

  it('serves a peripheral (SPI2 trigger): the peripheral pulls TX bytes and pushes RX bytes through the lists', async () => {
    const { tx, rx } = drv.newChannelPair();
    configure(tx, rx);
    tx.connect({ peripheral: 'SPI2' });
    rx.connect({ peripheral: 'SPI2' });
    const src = sim.memory.alloc(300);
    const dst = sim.memory.alloc(300);
    const txd = sim.memory.alloc(24);
    const rxd = sim.memory.alloc(24);
    sim.memory.write(src, pattern(300));
    writeLinearList(dm, txd, src, 300, 200, true);
    writeLinearList(dm, rxd, dst, 300, 200, false);
    const eofs: string[] = [];
    tx.registerCallbacks({
      onTransEof: () => {
        eofs.push('tx');
      },
    });
    rx.registerCallbacks({
      onRecvEof: (_c, e) => {
        eofs.push(`rx@${e.descriptor - rxd}`);
      },
    });
    const fifo = new Uint8Array(700);
    expect(drv.peripheralRead(tx, fifo, 0, 10)).to.equal(0); // not started
    tx.start(txd);
    rx.start(rxd);
    expect(drv.peripheralRead(tx, fifo, 0, 120)).to.equal(120);
    expect(eofs).to.deep.equal([]);
    expect(drv.peripheralRead(tx, fifo, 120, 500)).to.equal(180);
    expect(fifo.subarray(0, 300)).to.deep.equal(pattern(300));
    expect(eofs).to.deep.equal(['tx']);
    expect(tx.state).to.equal('idle');
    expect(dm.read(txd).owner).to.equal(0);
    // loopback: MISO = MOSI, a 250-byte transaction
    expect(drv.peripheralWrite(rx, fifo, 0, 250, true)).to.equal(250);
    expect(sim.memory.read(dst, 250)).to.deep.equal(pattern(300).subarray(0, 250));
    expect(dm.read(rxd)).to.deep.include({ length: 200, sucEof: false, owner: 0 });
    expect(dm.read(rxd + 12)).to.deep.include({ length: 50, sucEof: true, owner: 0 });
    expect(eofs).to.deep.equal(['tx', 'rx@12']);
    expectEsp(() => drv.peripheralRead(rx, fifo, 0, 1), ESP_ERR_INVALID_ARG);
    expectEsp(() => drv.peripheralRead(tx, fifo, 690, 20), ESP_ERR_INVALID_ARG);
    const m = m2mPair(drv);
    expectEsp(() => drv.peripheralRead(m.tx, fifo, 0, 1), ESP_ERR_INVALID_STATE);
    // a refused RX descriptor (owner=CPU) stops the channel with a descriptor error
    const errs: string[] = [];
    rx.registerCallbacks({
      onDescrErr: (_c, e) => {
        errs.push(e.reason);
      },
    });
    writeLinearList(dm, rxd, dst, 300, 200, false);
    dm.write(rxd, { ...dm.read(rxd), owner: 0 });
    rx.start(rxd);
    expect(drv.peripheralWrite(rx, fifo, 0, 10, true)).to.equal(0);
    expect(errs[0]).to.match(/owned by the CPU/);
    expect(rx.state).to.equal('error');
  });

  it('has no ETM on esp32c3', () => {
    const { tx } = drv.newChannelPair();
    expectEsp(() => drv.newEtmEvent(tx, 'eof'), ESP_ERR_NOT_SUPPORTED);
    expectEsp(() => drv.newEtmTask(tx, 'start'), ESP_ERR_NOT_SUPPORTED);
  });
});

describe('GDMA ETM contribution (esp32c6)', () => {
  it('names its events and tasks with the hardware IDs, raises EOF events and runs START tasks', async () => {
    // a test-only ETM stand-in: a plugin collecting the contributions as the ETM plugin does
    const StandIn = defineToken<{ sources: EtmEventSourceContribution[]; sinks: EtmTaskSinkContribution[] }>(
      'EtmStandIn',
    );
    const standIn = definePlugin({
      name: 'etm-stand-in',
      load: ({ bind }) => {
        bind(StandIn).toDynamicValue((ctx) => ({
          sources: ctx.getAll(EtmEventSources),
          sinks: ctx.getAll(EtmTaskSinks),
        }));
      },
    });
    const sim = await createSimulation({
      target: extendTarget(esp32c6, { name: 'c6-etm-stand-in', plugins: (p) => [...p, standIn] }),
    });
    const drv = sim.get(GdmaDriver);
    const dm = new DescriptorMemory(sim.get(Core.Memory));
    const sources = sim.get(StandIn).sources.filter((x) => x.name === 'gdma');
    const sinks = sim.get(StandIn).sinks.filter((x) => x.name === 'gdma');
    expect(sources[0]!.events.get(141)).to.equal('GDMA_EVT_IN_SUC_EOF_CH0');
    expect(sources[0]!.events.get(155)).to.equal('GDMA_EVT_OUT_EOF_CH2');
    expect(sinks[0]!.tasks.get(160)).to.equal('GDMA_TASK_IN_START_CH1');
    expect(sinks[0]!.tasks.get(162)).to.equal('GDMA_TASK_OUT_START_CH0');
    const raised: [number, number][] = [];
    sources[0]!.attachEtm((id) => raised.push([id, sim.now]));

    drv.newChannelPair(); // occupy pair 0 so the copy runs on pair 1
    const { tx, rx } = m2mPair(drv);
    expect(tx.pair).to.equal(1);
    expect(drv.newEtmEvent(rx, 'eof').id).to.equal(142);
    expect(drv.newEtmEvent(tx, 'eof').id).to.equal(154);
    expect(drv.newEtmTask(tx, 'start').id).to.equal(163);
    expectEsp(() => tx.start(0), ESP_ERR_INVALID_STATE);
    expectEsp(() => tx.stop(), ESP_ERR_INVALID_STATE); // gdma_stop too: the ETM controls the channel
    const src = sim.memory.alloc(64);
    const dst = sim.memory.alloc(64);
    const txd = sim.memory.alloc(12);
    const rxd = sim.memory.alloc(12);
    sim.memory.write(src, pattern(64));
    writeLinearList(dm, txd, src, 64, 4092, true);
    writeLinearList(dm, rxd, dst, 64, 4092, false);
    tx.setDescriptorAddr(txd);
    rx.start(rxd);
    await sim.run();
    expect(raised).to.deep.equal([]);
    sinks[0]!.runEtmTask(163);
    await sim.run();
    expect(sim.memory.read(dst, 64)).to.deep.equal(pattern(64));
    expect(raised.map((r) => r[0])).to.deep.equal([154, 142]);
    expect(raised[0]![1]).to.be.greaterThan(0);
    await sim.dispose();
  });
});
