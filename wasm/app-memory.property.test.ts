import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation, type AllocCap } from '../index.js';
import { AppMemory } from './app-memory.js';

describe("AppMemory: the program's linear memory is the target's RAM", () => {
  for (const target of ['esp32c6', 'esp32s3', 'esp32s2', 'esp32']) {
    it(`${target}: pointers and addresses translate both ways, and bytes written on either side are the other's`, async () => {
      const sim = await createSimulation({ target });
      const mem = new AppMemory(sim);
      const total = mem.windows.reduce((n, w) => n + w.size, 0);
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: total - 1 }),
          fc.uint8Array({ minLength: 1, maxLength: 64 }),
          fc.boolean(),
          (p, bytes, fromSim) => {
            const w = mem.windowAt(p)!;
            const n = Math.min(bytes.length, w.at + w.size - p);
            const data = bytes.subarray(0, n);
            const a = mem.toSim(p);
            expect(a - w.region.base).to.equal(p - w.at);
            expect(mem.toWasm(a)).to.equal(p);
            if (fromSim) {
              sim.memory.write(a, data);
              expect([...mem.slice(p, n)]).to.deep.equal([...data]);
            } else {
              mem.slice(p, n).set(data);
              expect([...sim.memory.read(a, n)]).to.deep.equal([...data]);
            }
          },
        ),
        { numRuns: 300 },
      );
      await sim.dispose();
    });
  }

  for (const target of ['esp32s3', 'esp32c6'])
    it(`${target}: every allocation lands in a window, aligned as asked, never in the reserved static area`, async () => {
      const sim = await createSimulation({ target });
      const mem = new AppMemory(sim);
      const reserved = 0x1_0000;
      mem.reserveStatic(reserved);
      const capsArb = fc.subarray<AllocCap>(['dma', 'internal', 'spiram']);
      fc.assert(
        fc.property(
          fc.array(
            fc.record({ size: fc.integer({ min: 1, max: 4096 }), caps: capsArb, align: fc.constantFrom(1, 4, 16, 64) }),
            { maxLength: 20 },
          ),
          (reqs) => {
            const got: number[] = [];
            for (const r of reqs) {
              if (r.caps.includes('spiram') && (r.caps.includes('internal') || !sim.target.caps.psram)) continue;
              const a = sim.memory.alloc(r.size, { caps: r.caps, align: r.align });
              got.push(a);
              const p = mem.toWasm(a);
              expect(p).to.be.greaterThanOrEqual(reserved);
              expect(mem.windowAt(p + r.size - 1)).to.equal(mem.windowAt(p));
              expect(p % r.align).to.equal(0);
            }
            for (const a of got) sim.memory.free(a);
          },
        ),
        { numRuns: 100 },
      );
      await sim.dispose();
    });
});
