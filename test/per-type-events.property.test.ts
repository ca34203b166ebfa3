import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../create-simulation.js';
import type { SimEvent } from '../core/bus/event-bus.js';
import { EspError } from '../core/errors.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import type { DmaBusEvents } from '../plugins/dma/engine/engine.js';
import { Spi } from '../plugins/spi/index.js';
import type { SpiBusEvents } from '../plugins/spi/types.js';

/** The bus sources that publish per type: the DMA engines (a target has one or two of them) and SPI. */
const ENGINE_SOURCES = ['gdma', 'gdma-axi', 'cpdma', 'spi'];
const TYPES: readonly (keyof DmaBusEvents | keyof SpiBusEvents)[] = [
  'channel-start',
  'channel-stop',
  'moved',
  'eof',
  'descr-error',
  'connect-refused',
  'connect',
  'disconnect',
  'start-refused',
  'descriptor-limit',
  'stale-interrupt',
  'trans-start',
  'trans-done',
  'bounce',
];

interface Op {
  kind: 'copy' | 'spi' | 'wait';
  n: number;
  offset: number;
}

/** A subscriber of some types of every engine source: a direct listener (`listen(fn, types)`) or RxJS (`on(type)`). */
interface Subscriber {
  via: 'listen' | 'on';
  types: (keyof DmaBusEvents | keyof SpiBusEvents)[];
}

interface Run {
  /** What each subscriber heard, as text (time, source, type, data). */
  heard: string[][];
  /** Events the bus published in all. */
  published: number;
  mem: number[];
  end: number;
}

const text = (e: SimEvent): string => `${e.time} ${e.source} ${e.type} ${JSON.stringify(e.data)}`;

/**
 * Runs `ops` on `target`. `subscribers` undefined: one listener of the whole bus (every source publishes every
 * event, the path before per-type publishing); else each subscriber hears only its types of the engine sources.
 */
async function run(target: string, ops: Op[], subscribers: Subscriber[] | undefined): Promise<Run> {
  const sim = await createSimulation({ target });
  const heard: string[][] = [];
  if (subscribers === undefined) {
    const all: string[] = [];
    heard.push(all);
    sim.bus.listen((e) => {
      if (ENGINE_SOURCES.includes(e.source)) all.push(text(e));
    });
  } else {
    for (const s of subscribers) {
      const got: string[] = [];
      heard.push(got);
      for (const name of ENGINE_SOURCES) {
        const src = sim.bus.source<DmaBusEvents & SpiBusEvents>(name);
        if (s.via === 'listen') src.listen((e) => got.push(text(e)), s.types);
        else for (const t of s.types) src.on(t).subscribe((e) => got.push(text(e)));
      }
    }
  }
  const drv = sim.get(AsyncMemcpy).install({ backlog: 4 });
  const dev = sim
    .get(Spi)
    .busInitialize('SPI2', { loopback: true, maxTransferSize: 4096 })
    .addDevice({ clockSpeedHz: 20_000_000 });
  const src = sim.memory.alloc(4096 + 64, { caps: ['dma'], align: 64 });
  const dst = sim.memory.alloc(4096 + 64, { caps: ['dma'], align: 64 });
  sim.memory.write(
    src,
    Uint8Array.from({ length: 4096 + 64 }, (_, i) => (i * 29) & 0xff),
  );
  sim.spawn('app', async () => {
    const pending: Promise<void>[] = [];
    for (const op of ops) {
      try {
        if (op.kind === 'copy') pending.push(drv.memcpy(dst + op.offset, src, op.n));
        else if (op.kind === 'spi')
          // an odd offset makes the driver bounce the rx buffer (not word aligned): SPI's `bounce` event
          await dev.transmit({ tx: src, rx: dst + op.offset, length: op.n });
        else await sim.delay(op.n * 1000);
      } catch (e) {
        if (!(e instanceof EspError)) throw e;
      }
    }
    await Promise.all(pending);
  });
  await sim.run();
  const out = { heard, published: sim.bus.published, mem: [...sim.memory.read(dst, 4096 + 64)], end: sim.now };
  await sim.dispose();
  return out;
}

describe('per-type publishing of the DMA engines and SPI', () => {
  it('each subscriber hears exactly its types of what publishing everything gives (same order, same picoseconds), and nothing else is built', async () => {
    const op = fc.record({
      kind: fc.constantFrom<Op['kind']>('copy', 'copy', 'spi', 'wait'),
      n: fc.integer({ min: 1, max: 4096 }),
      offset: fc.integer({ min: 0, max: 63 }),
    });
    const subscriber = fc.record({
      via: fc.constantFrom<Subscriber['via']>('listen', 'on'),
      types: fc.subarray([...TYPES], { minLength: 1, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('esp32c3', 'esp32s3', 'esp32s2', 'esp32p4'),
        fc.array(op, { minLength: 1, maxLength: 8 }),
        fc.array(subscriber, { minLength: 1, maxLength: 3 }),
        async (target, ops, subscribers) => {
          const everything = await run(target, ops, undefined);
          const perType = await run(target, ops, subscribers);
          const nobody = await run(target, ops, []);
          const all = everything.heard[0]!;
          const typeOf = (line: string): string => line.split(' ')[2]!;
          subscribers.forEach((s, i) => {
            const want = all.filter((l) => (s.types as string[]).includes(typeOf(l)));
            expect(perType.heard[i], `subscriber ${i} (${s.via} ${s.types.join(', ')})`).to.deep.equal(want);
          });
          // the model ran the same way
          expect(perType.mem).to.deep.equal(everything.mem);
          expect(perType.end).to.equal(everything.end);
          // and the engines built only the events of the types someone listens to (other sources, the CPU's
          // work-done, publish as they do with nobody listening)
          const wanted = new Set<string>(subscribers.flatMap((s) => s.types));
          expect(perType.published - nobody.published).to.equal(all.filter((l) => wanted.has(typeOf(l))).length);
          expect(nobody.mem).to.deep.equal(everything.mem);
        },
      ),
      { numRuns: 50, seed: 42 },
    );
  });
});
