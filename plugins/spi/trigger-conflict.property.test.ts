import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../create-simulation.js';
import type { SimEvent } from '../../core/bus/event-bus.js';
import { AsyncMemcpy, type AsyncMemcpyDriver } from '../async-memcpy/index.js';
import { GdmaDriver } from '../dma/gdma/index.js';
import { Spi, type SpiBus } from './index.js';

type Actor = 'memcpy' | 'spi' | 'raw';

/**
 * ESP-IDF issue #10575 as a class: on the ESP32-C3, whatever order async memcpy installs, SPI2 initializes and
 * another M2M user connects, every M2M user gets the lowest free trigger ID (a peripheral's included),
 * spi_bus_initialize always succeeds, and SPI2 moves data exactly when it got its trigger ID 0; when it did
 * not, the refusal is on the bus and the RX buffer keeps its stale bytes.
 */
describe('GDMA trigger IDs in any set-up order (ESP-IDF #10575, property)', () => {
  it('lowest free ID for M2M users; SPI2 works iff it holds ID 0, else connect-refused and stale RX', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray<Actor>(['memcpy', 'spi', 'raw'], { minLength: 1 }), async (order) => {
        const sim = await createSimulation({ target: 'esp32c3' });
        const refused: SimEvent[] = [];
        sim.bus.all$.subscribe((e) => {
          if (e.type === 'connect-refused') refused.push(e);
        });
        const gdma = sim.get(GdmaDriver);
        let held = 0;
        let spiConnected = false;
        let bus: SpiBus | undefined;
        let drv: AsyncMemcpyDriver | undefined;
        for (const a of order) {
          const free = gdma.freeM2mTriggerMask();
          const lowest = 31 - Math.clz32(free & -free);
          if (a === 'spi') {
            spiConnected = (held & 1) === 0;
            bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
            if (spiConnected) held |= 1;
          } else {
            expect(free).to.equal(0x1cd & ~held);
            if (a === 'memcpy') drv = sim.get(AsyncMemcpy).install();
            else {
              const p = gdma.newChannelPair({ m2m: true });
              p.tx.connect({ m2m: lowest });
              p.rx.connect({ m2m: lowest });
            }
            held |= 1 << lowest;
            expect(gdma.freeM2mTriggerMask()).to.equal(0x1cd & ~held);
          }
        }
        expect(refused.length).to.equal(order.includes('spi') && !spiConnected ? 2 : 0);
        const tx = sim.memory.alloc(128, { caps: ['dma', 'internal'], align: 4 });
        const rx = sim.memory.alloc(128, { caps: ['dma', 'internal'], align: 4 });
        const data = Uint8Array.from({ length: 128 }, (_, i) => (i * 5 + 3) & 0xff);
        const stale = new Uint8Array(128).fill(0xee);
        sim.memory.write(tx, data);
        sim.memory.write(rx, stale);
        const src = sim.memory.alloc(1024, { caps: ['dma', 'internal'], align: 4 });
        const dst = sim.memory.alloc(1024, { caps: ['dma', 'internal'], align: 4 });
        sim.memory.write(src, new Uint8Array(1024).fill(0x42));
        const t = sim.spawn('app', async () => {
          const jobs: Promise<void>[] = [];
          if (bus) jobs.push(bus.addDevice({ clockSpeedHz: 10e6 }).transmit({ tx, rx, length: 128 }));
          if (drv) jobs.push(drv.memcpy(dst, src, 1024));
          await Promise.all(jobs);
        });
        await sim.run();
        await t.done;
        if (bus) expect(sim.memory.read(rx, 128)).to.deep.equal(spiConnected ? data : stale);
        if (drv) expect(sim.memory.read(dst, 1024).every((b) => b === 0x42)).to.equal(true);
        await sim.dispose();
      }),
      { numRuns: 30, seed: 10575 },
    );
  });
});
