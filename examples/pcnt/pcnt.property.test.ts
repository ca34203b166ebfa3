import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation, esp32c6, extendTarget, Gpio, ns } from 'soc-fabric';
import { Pcnt, pcnt } from './index.js';

const c6Pcnt = extendTarget(esp32c6, { name: 'c6-pcnt', plugins: (p) => [...p, pcnt()] });

describe('example plugin: PCNT properties', () => {
  it('with accumCount the count is the net number of edges, whatever the limits; without, it stays inside them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        async (lowMag, high, ups) => {
          const sim = await createSimulation({ target: c6Pcnt });
          const gpio = sim.get(Gpio);
          const units = [true, false].map((accumCount) => {
            const u = sim.get(Pcnt).newUnit({ lowLimit: -lowMag, highLimit: high, accumCount });
            u.newChannel({ edgeGpio: 1 }).setEdgeAction('increase', 'hold'); // pulses on GPIO1 count up
            u.newChannel({ edgeGpio: 2 }).setEdgeAction('decrease', 'hold'); // pulses on GPIO2 count down
            u.enable();
            u.start();
            return u;
          });
          const seen: number[] = [];
          ups.forEach((up, i) => {
            const pin = up ? 1 : 2;
            sim.schedule(ns(100 * i + 10), () => gpio.setLevel(pin, 1));
            sim.schedule(ns(100 * i + 60), () => {
              gpio.setLevel(pin, 0);
              seen.push(units[1]!.getCount());
            });
          });
          await sim.run();
          const net = ups.filter((u) => u).length - ups.filter((u) => !u).length;
          expect(units[0]!.getCount()).to.equal(net);
          for (const c of seen) expect(c).to.be.greaterThan(-lowMag).and.lessThan(high);
          await sim.dispose();
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });
});
