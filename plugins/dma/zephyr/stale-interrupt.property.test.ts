import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../../create-simulation.js';
import { us } from '../../../core/time.js';
import { GdmaDriver, GdmaZephyrEsp32 } from '../gdma/index.js';
import type { DmaChannel, DmaDir } from '../engine/channel-api.js';

type Op =
  | { op: 'config'; n: number }
  | { op: 'reload'; n: number }
  | { op: 'start' }
  | { op: 'stop' }
  | { op: 'lock' }
  | { op: 'unlock' }
  | { op: 'run'; ps: number };

const MAX = 3 * 4092;
const sizeArb = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: MAX }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('config' as const), n: sizeArb }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('reload' as const), n: sizeArb }), weight: 2 },
  { arbitrary: fc.constant({ op: 'start' as const }), weight: 3 },
  { arbitrary: fc.constant({ op: 'stop' as const }), weight: 2 },
  { arbitrary: fc.constant({ op: 'lock' as const }), weight: 2 },
  { arbitrary: fc.constant({ op: 'unlock' as const }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('run' as const), ps: fc.integer({ min: 0, max: us(120) }) }), weight: 4 },
);

/**
 * Drives the Zephyr ESP32 GDMA face (memory-to-memory on pair 0) with `ops` and checks, from the engine's bus
 * events alone: a callback comes only after an EOF of its direction since the last dma_config (which clears);
 * a dma_config leaves nothing latched; and every callback delivered before its transfer raised any EOF of its
 * direction (one the previous transfer latched) is reported as dma.stale-interrupt.
 */
async function check(target: string, ops: Op[]): Promise<void> {
  const sim = await createSimulation({ target, checks: ['dma.stale-interrupt'] });
  const z = sim.get(GdmaZephyrEsp32);
  const hw = sim.get(GdmaDriver) as unknown as { rx: DmaChannel[]; tx: DmaChannel[] };
  const src = sim.memory.alloc(MAX, { caps: ['dma', 'internal'], align: 4 });
  const dst = sim.memory.alloc(MAX, { caps: ['dma', 'internal'], align: 4 });
  const dirOf = (ch: number): DmaDir => (ch === 0 ? 'rx' : 'tx');
  const eofsSinceConfig = { rx: 0, tx: 0 };
  const eofSinceStart = { rx: false, tx: false };
  let staleCallbacks = 0;
  const gdma = sim.bus.source<{ eof: { dir: DmaDir }; 'channel-start': { dir: DmaDir } }>('gdma');
  gdma.on('eof').subscribe((e) => {
    eofsSinceConfig[e.data!.dir]++;
    eofSinceStart[e.data!.dir] = true;
  });
  gdma.on('channel-start').subscribe((e) => void (eofSinceStart[e.data!.dir] = false));
  let configured = false;
  let locks: number[] = [];
  const config = (n: number): void =>
    z.config(0, {
      direction: 'memory-to-memory',
      dmaSlot: 2,
      blocks: [{ src, dst, size: n }],
      callback: (ch, status) => {
        if (status < 0) return; // descriptor errors are not this property's
        const dir = dirOf(ch);
        expect(eofsSinceConfig[dir], `${dir} callback with no EOF since dma_config`).to.be.greaterThan(0);
        if (!eofSinceStart[dir]) staleCallbacks++;
      },
    });
  for (const o of ops) {
    switch (o.op) {
      case 'config':
        config(o.n);
        configured = true;
        eofsSinceConfig.rx = eofsSinceConfig.tx = 0;
        expect([hw.rx[0]!.interrupts.raw, hw.tx[0]!.interrupts.raw], 'dma_config clears').to.deep.equal([0, 0]);
        break;
      case 'reload':
        if (configured) z.reload(0, src, dst, o.n);
        break;
      case 'start':
        if (configured) z.start(0);
        break;
      case 'stop':
        z.stop(0);
        break;
      case 'lock':
        locks.push(z.irqLock());
        break;
      case 'unlock':
        if (locks.length) z.irqUnlock(locks.pop()!);
        break;
      case 'run':
        await sim.run({ until: sim.now + o.ps });
        break;
    }
  }
  while (locks.length) z.irqUnlock(locks.pop()!);
  locks = [];
  await sim.run();
  const reported = sim.diagnostics.filter((f) => f.rule === 'dma.stale-interrupt').length;
  expect(reported, 'stale callbacks reported').to.be.at.least(staleCallbacks);
  expect(sim.faults).to.deep.equal([]);
  await sim.dispose();
}

describe('Zephyr ESP32 GDMA face under random config/reload/start/stop/irq_lock sequences (fast-check)', () => {
  for (const target of ['esp32c3', 'esp32s3']) {
    it(`${target}: callbacks only after an EOF since dma_config, dma_config clears, every stale callback reported`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => check(target, ops)),
        {
          numRuns: 50,
          // zephyr#115726's sequence, always among the cases
          examples: [
            [
              [
                { op: 'config', n: 2048 },
                { op: 'start' },
                { op: 'lock' },
                { op: 'run', ps: us(60) },
                { op: 'stop' },
                { op: 'unlock' },
                { op: 'reload', n: 100 },
                { op: 'start' },
                { op: 'run', ps: us(100) },
              ],
            ],
          ],
        },
      );
    });
  }
});
