import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../create-simulation.js';
import { EspError } from '../core/errors.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Spi } from '../plugins/spi/index.js';

interface Op {
  kind: 'copy' | 'spi';
  n: number;
  offset: number;
  psram: boolean;
}

/** Runs `ops` on `target`; the bus events (diagnostics' own excluded), refusals and final memory, as text. */
async function trace(
  target: string,
  ops: Op[],
  checks: boolean,
): Promise<{ events: string[]; mem: number[]; findings: number }> {
  const sim = await createSimulation({ target, checks });
  const events: string[] = [];
  sim.bus.all$.subscribe((e) => {
    if (e.source !== 'diagnostics') events.push(`${e.time} ${e.source} ${e.type} ${JSON.stringify(e.data)}`);
  });
  const drv = sim.get(AsyncMemcpy).install({ backlog: 4 });
  const dev = sim
    .get(Spi)
    .busInitialize('SPI2', { loopback: true, maxTransferSize: 4096 })
    .addDevice({ clockSpeedHz: 20_000_000 });
  const hasPsram = sim.memory.regions.some((r) => r.kind === 'psram');
  const src = sim.memory.alloc(4096 + 64, { caps: ['dma'], align: 64 });
  const dsts = [
    sim.memory.alloc(4096 + 64, { caps: ['dma'], align: 64 }),
    hasPsram ? sim.memory.alloc(4096 + 64, { caps: ['spiram'], align: 64 }) : 0,
  ];
  sim.memory.write(
    src,
    Uint8Array.from({ length: 4096 + 64 }, (_, i) => (i * 13) & 0xff),
  );
  sim.spawn('app', async () => {
    for (const op of ops) {
      const dst = (op.psram && dsts[1]) || dsts[0]!;
      try {
        if (op.kind === 'copy') await drv.memcpy(dst + op.offset, src, op.n);
        else await dev.transmit({ tx: (op.psram && dsts[1]) || src, rx: dsts[0]! + (op.offset & ~3), length: op.n });
      } catch (e) {
        if (!(e instanceof EspError)) throw e;
        events.push(`refused ${e.code}`);
      }
    }
  });
  await sim.run();
  const mem = [...sim.memory.read(dsts[0]!, 4096 + 64)];
  const findings = sim.diagnostics.length;
  await sim.dispose();
  return { events, mem, findings };
}

describe('diagnostics are pure observers', () => {
  it('with every checker on, the same ops give the same events to the picosecond and the same memory as with checks off', async () => {
    const op = fc.record({
      kind: fc.constantFrom<'copy' | 'spi'>('copy', 'spi'),
      n: fc.integer({ min: 1, max: 4096 }),
      offset: fc.integer({ min: 0, max: 63 }),
      psram: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('esp32c3', 'esp32s3', 'esp32s2'),
        fc.array(op, { minLength: 1, maxLength: 6 }),
        async (target, ops) => {
          const off = await trace(target, ops, false);
          const on = await trace(target, ops, true);
          expect(on.events).to.deep.equal(off.events);
          expect(on.mem).to.deep.equal(off.mem);
          expect(off.findings).to.equal(0);
        },
      ),
      { numRuns: 15, seed: 13 },
    );
  });
});
