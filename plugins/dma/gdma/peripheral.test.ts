import { expect } from 'chai';
import fc from 'fast-check';
import { definePlugin } from '../../../core/plugin/plugin.js';
import { assembleSimulation, type Simulation } from '../../../core/simulation.js';
import { extendTarget } from '../../../core/target/target.js';
import { Core } from '../../../core/tokens.js';
import { esp32c6 } from '../../../targets/index.js';
import { DescriptorMemory, writeLinearList } from '../engine/descriptor.js';
import type { DmaBusEvents } from '../engine/engine.js';
import type { DmaChannelDriver } from '../engine/channel-api.js';
import { GdmaDriver } from './tokens.js';

// A peripheral that owns the ESP32-C6's ADC trigger (gdma_channel.h: SOC_GDMA_TRIG_PERIPH_ADC0 8).
const c6Adc = extendTarget(esp32c6, {
  name: 'c6-adc-trigger',
  plugins: (p) => [
    ...p,
    definePlugin({
      name: 'adc-trigger',
      dmaTriggers: [{ dma: 'gdma', peripheral: 'ADC', id: 8 }],
      load: () => undefined,
    }),
  ],
});

const pattern = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

interface Rig {
  sim: Simulation;
  drv: DmaChannelDriver;
  dm: DescriptorMemory;
  eofs: DmaBusEvents['eof'][];
}
function rig(): Rig {
  const sim = assembleSimulation(c6Adc);
  const eofs: DmaBusEvents['eof'][] = [];
  sim.bus
    .source<DmaBusEvents>('gdma')
    .on('eof')
    .subscribe((e) => eofs.push(e.data!));
  return { sim, drv: sim.get(GdmaDriver), dm: new DescriptorMemory(sim.get(Core.Memory)), eofs };
}

describe('GDMA peripheral side', () => {
  it("an EOF reports the transfer's bytes, for any split of it into peripheralWrite/peripheralRead calls", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 4, max: 64 }),
        fc.boolean(),
        (chunks, perDesc, rxSide) => {
          const { sim, drv, dm, eofs } = rig();
          const total = chunks.reduce((a, b) => a + b, 0);
          const buf = sim.memory.alloc(total);
          const descs = sim.memory.alloc(12 * Math.ceil(total / perDesc), { align: 4 });
          const fifo = pattern(total);
          const ch = drv.newChannel(rxSide ? 'rx' : 'tx');
          ch.connect({ peripheral: 'ADC' });
          if (!rxSide) sim.memory.write(buf, fifo);
          // two transfers in a row: the second reports its own bytes, not the running total
          for (let round = 0; round < 2; round++) {
            writeLinearList(dm, descs, buf, total, perDesc, !rxSide);
            ch.start(descs);
            let off = 0;
            chunks.forEach((n, i) => {
              const got = rxSide
                ? drv.peripheralWrite(ch, fifo, off, n, i === chunks.length - 1)
                : drv.peripheralRead(ch, new Uint8Array(n), 0, n);
              expect(got).to.equal(n);
              off += n;
            });
            expect(eofs.map((e) => e.bytes)).to.deep.equal(round === 0 ? [total] : [total, total]);
          }
          if (rxSide) expect(sim.memory.read(buf, total)).to.deep.equal(fifo);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('EOF callbacks run inside the call, with the channel consistent: they may restart it and push again', () => {
    const { sim, drv, dm, eofs } = rig();
    const a = sim.memory.alloc(16);
    const b = sim.memory.alloc(16);
    const da = sim.memory.alloc(24, { align: 4 });
    const db = sim.memory.alloc(24, { align: 4 });
    writeLinearList(dm, da, a, 16, 8, false);
    writeLinearList(dm, db, b, 16, 8, false);
    const rx = drv.newChannel('rx');
    rx.connect({ peripheral: 'ADC' });
    const log: string[] = [];
    let inside = false;
    rx.registerCallbacks({
      onRecvEof: (c, e) => {
        log.push(`eof ${e.descriptor === da + 12 ? 'a' : 'b'} inside=${inside}`);
        if (e.descriptor !== da + 12) return;
        // the frame's descriptors are already handed back to the CPU when the callback runs
        expect(dm.read(da + 12)).to.deep.include({ length: 8, sucEof: true, owner: 0 });
        c.start(db); // ping-pong to the other list
        log.push(`nested ${drv.peripheralWrite(c, pattern(4, 9), 0, 4, false)}`);
      },
    });
    rx.start(da);
    inside = true;
    expect(drv.peripheralWrite(rx, pattern(16), 0, 16, true)).to.equal(16);
    inside = false;
    expect(log).to.deep.equal(['eof a inside=true', 'nested 4']);
    expect(sim.memory.read(a, 16)).to.deep.equal(pattern(16));
    expect(sim.memory.read(b, 4)).to.deep.equal(pattern(4, 9));
    expect(drv.peripheralWrite(rx, pattern(12, 3), 0, 12, true)).to.equal(12);
    expect(log).to.deep.equal(['eof a inside=true', 'nested 4', 'eof b inside=false']);
    expect(eofs.map((e) => e.bytes)).to.deep.equal([16, 16]);
  });

  it('when the list runs out the call comes up short; onReady tells the peripheral when the channel runs again', async () => {
    const { sim, drv, dm } = rig();
    const buf = sim.memory.alloc(32);
    const d1 = sim.memory.alloc(12, { align: 4 });
    const d2 = sim.memory.alloc(12, { align: 4 });
    writeLinearList(dm, d1, buf, 8, 8, false);
    const rx = drv.newChannel('rx');
    rx.connect({ peripheral: 'ADC' });
    const ready: number[] = [];
    const errors: string[] = [];
    let starting = false;
    rx.registerCallbacks({
      onReady: () => {
        expect(starting).to.equal(false);
        ready.push(sim.now);
      },
      onDescrErr: (_c, e) => {
        errors.push(e.reason);
      },
    });
    starting = true;
    rx.start(d1);
    starting = false;
    await sim.run();
    expect(ready).to.deep.equal([0]);
    expect(drv.peripheralWrite(rx, pattern(12), 0, 12, false)).to.equal(8); // 4 bytes did not fit
    expect(errors).to.deep.equal(['the RX list ended before the data did']);
    expect(rx.state).to.equal('error');
    sim.schedule(1000, () => {
      writeLinearList(dm, d2, buf + 8, 24, 24, false);
      starting = true;
      rx.start(d2);
      starting = false;
    });
    await sim.run();
    expect(ready).to.deep.equal([0, 1000]);
    expect(drv.peripheralWrite(rx, pattern(4), 0, 4, false)).to.equal(4);
    // a stop refuses bytes (0, no error); gdma_append resumes and signals too
    rx.stop();
    expect(drv.peripheralWrite(rx, pattern(4), 0, 4, false)).to.equal(0);
    const stoppedAt = sim.now;
    sim.schedule(500, () => {
      rx.append();
    });
    await sim.run();
    expect(ready).to.deep.equal([0, 1000, stoppedAt + 500]);
    expect(drv.peripheralWrite(rx, pattern(4, 5), 0, 4, true)).to.equal(4);
    expect(sim.memory.read(buf + 12, 4)).to.deep.equal(pattern(4, 5));
    // a channel not on a peripheral never gets onReady
    const m = drv.newChannel('rx', { m2m: true });
    m.connect({ m2m: 31 - Math.clz32(drv.freeM2mTriggerMask() & -drv.freeM2mTriggerMask()) });
    let m2mReady = 0;
    m.registerCallbacks({
      onReady: () => {
        m2mReady++;
      },
    });
    m.start(d1);
    await sim.run();
    expect(m2mReady).to.equal(0);
  });
});
