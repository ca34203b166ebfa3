import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../create-simulation.js';
import { Core } from '../../core/tokens.js';
import { EspError } from '../../core/errors.js';
import type { MemoryMap } from '../../core/memory/memory.js';
import { Spi } from './index.js';

/**
 * Properties: any accepted transaction in loopback returns exactly the TX bytes (whatever the length, offsets,
 * RX length, DMA or FIFO, polling or queued); any refused one changes nothing (no lease, nothing in the air,
 * the heap as it was, and the bus still works).
 */
describe('SPI master properties', () => {
  it('loopback returns exactly the TX bytes; refusals change nothing', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const spi = sim.get(Spi);
    const mem = sim.get(Core.Memory) as MemoryMap;
    const dmaBus = spi.busInitialize('SPI2', { loopback: true, maxTransferSize: 12_000 });
    const dev = dmaBus.addDevice({ clockSpeedHz: 40e6, queueSize: 2 });
    const SIZE = 16_384;
    const tx = sim.memory.alloc(SIZE, { caps: ['dma', 'internal'] });
    const rx = sim.memory.alloc(SIZE, { caps: ['dma', 'internal'] });
    const probe = (): number => {
      const p = sim.memory.alloc(4096, { caps: ['dma'] });
      sim.memory.free(p);
      return p;
    };
    const heap = probe();
    let accepted = 0;
    let refusedCount = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 14_000 }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 0, max: 14_000 }),
        fc.constantFrom('transmit', 'polling', 'transfer'),
        fc.integer({ min: 0, max: 255 }),
        async (length, txOff, rxOff, rxLengthRaw, how, seed) => {
          const rxLength = rxLengthRaw % (length + 40); // sometimes more than length: refused
          const data = Uint8Array.from({ length: Math.min(length, SIZE - txOff) }, (_, i) => (i * 31 + seed) & 0xff);
          sim.memory.write(tx + txOff, data);
          sim.memory.write(rx, new Uint8Array(SIZE));
          const t = { tx: tx + txOff, rx: rx + rxOff, length, rxLength };
          let refused: EspError | undefined;
          const task = sim.spawn('p', async () => {
            if (how === 'transmit') await dev.transmit(t);
            else if (how === 'polling') await dev.pollingTransmit(t);
            else await dev.transfer(t).wait();
          });
          try {
            await sim.run();
            await task.done;
          } catch (e) {
            if (!(e instanceof EspError)) throw e;
            refused = e;
          }
          if (refused) {
            refusedCount++;
            expect(
              length > 12_000 ||
                rxLength > length ||
                length + txOff > SIZE ||
                (rxLength || length) + rxOff > SIZE ||
                (how === 'transfer' && rxOff % 4 !== 0),
              refused.message,
            ).to.equal(true);
            expect(mem.leases.size).to.equal(0);
            expect(dev.inFlight).to.equal(0);
            expect(probe()).to.equal(heap);
            expect(sim.memory.read(rx, SIZE).every((b) => b === 0)).to.equal(true);
            return;
          }
          accepted++;
          const n = rxLength || length;
          expect(sim.memory.read(rx + rxOff, n)).to.deep.equal(data.subarray(0, n));
          expect(sim.memory.read(rx + rxOff + n, Math.min(8, SIZE - rxOff - n)).every((b) => b === 0)).to.equal(true);
          expect(mem.leases.size).to.equal(0);
          expect(probe()).to.equal(heap);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
    expect(accepted).to.be.greaterThan(20);
    expect(refusedCount).to.be.greaterThan(3);
    expect(sim.faults.filter((f) => !/task:p/.test(f.source))).to.deep.equal([]);
    await sim.dispose();
  });
});
