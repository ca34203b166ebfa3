import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../../../create-simulation.js';
import { AsyncMemcpy } from '../../../async-memcpy/index.js';
import { Spi } from '../../../spi/index.js';
import { GdmaDriver } from '../../gdma/index.js';

type Actor = 'memcpy' | 'spi' | 'raw';

/**
 * dma.m2m-takes-peripheral-id as a class (ESP32-C3, esp-idf#10575): whatever order async memcpy installs, SPI2
 * initialises and another M2M user connects, the warning comes exactly when it matters, once per half of the
 * M2M pair holding SPI2's ID 0, at SPI2's refused gdma_connect; a program where SPI2 got its ID, or never asked
 * for it, gets no finding at all.
 */
describe('dma.m2m-takes-peripheral-id in any set-up order (property)', () => {
  it('warns (with the conflicts) iff SPI2 initialises after an M2M user took ID 0; otherwise the run is clean', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray<Actor>(['memcpy', 'spi', 'raw'], { minLength: 1 }), async (order) => {
        const sim = await createSimulation({ target: 'esp32c3', checks: ['dma'] });
        const gdma = sim.get(GdmaDriver);
        let idZeroTaken = false;
        let spiRefused = false;
        for (const a of order) {
          if (a === 'spi') {
            spiRefused = idZeroTaken;
            sim.get(Spi).busInitialize('SPI2', {});
            idZeroTaken = true;
          } else {
            const free = gdma.freeM2mTriggerMask();
            const lowest = 31 - Math.clz32(free & -free);
            if (a === 'memcpy') sim.get(AsyncMemcpy).install();
            else {
              const p = gdma.newChannelPair({ m2m: true });
              p.tx.connect({ m2m: lowest });
              p.rx.connect({ m2m: lowest });
            }
            if (lowest === 0) idZeroTaken = true;
          }
        }
        const rules = sim.diagnostics.map((f) => f.rule);
        expect(rules).to.deep.equal(
          spiRefused
            ? [
                'dma.m2m-takes-peripheral-id',
                'dma.m2m-takes-peripheral-id',
                'dma.trigger-conflict',
                'dma.trigger-conflict',
              ]
            : [],
        );
        await sim.dispose();
      }),
      { numRuns: 30, seed: 13 },
    );
  });
});
