import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../../create-simulation.js';
import { Core } from '../../../core/tokens.js';
import { DescriptorMemory } from './descriptor.js';
import type { DmaChannelDriver } from './channel-api.js';
import type { DmaTiming } from './timing.js';
import type { Simulation } from '../../../core/simulation.js';
import type { ServiceIdentifier } from '../../../core/plugin/tokens.js';
import { GdmaAxiDriver, GdmaDriver } from '../gdma/index.js';

/** The engines the properties hold on: the AHB GDMA (12-byte descriptors) and the ESP32-P4's AXI GDMA (16-byte, 8-aligned). */
const ENGINES: {
  name: string;
  target: string;
  token: ServiceIdentifier<DmaChannelDriver>;
  timing: (sim: Simulation) => DmaTiming;
}[] = [
  { name: 'AHB GDMA (esp32c3)', target: 'esp32c3', token: GdmaDriver, timing: (sim) => sim.target.caps.gdma!.timing! },
  {
    name: 'AXI GDMA (esp32p4)',
    target: 'esp32p4',
    token: GdmaAxiDriver,
    timing: (sim) => sim.target.caps.gdma!.axi!.timing!,
  },
];

/** The k-th free memory-to-memory trigger ID of `drv`. */
function m2mTrigger(drv: DmaChannelDriver, k: number): number {
  let mask = drv.freeM2mTriggerMask();
  for (let i = 0; i < k; i++) mask &= mask - 1;
  return 31 - Math.clz32(mask & -mask);
}

interface Case {
  txChunks: number[];
  rxChunks: number[];
  /** Gaps (in descriptors) after each descriptor: 0 keeps lists consecutive, so runs get merged. */
  txGap: boolean;
  rxGap: boolean;
  /** Index of a TX descriptor handed to the CPU, or -1. */
  cpuOwned: number;
  /** Instants (ps after start) at which the test looks at the progress, stopping and resuming or not. */
  probes: { at: number; stop: boolean }[];
}

/** Descriptor sizes in runs of equal ones (what drivers write, and what the engine merges). */
const chunks: fc.Arbitrary<number[]> = fc
  .array(
    fc.record({
      size: fc.oneof(fc.integer({ min: 1, max: 4095 }), fc.constantFrom(4092, 64, 100)),
      repeat: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((runs) => runs.flatMap((r) => Array.from({ length: r.repeat }, () => r.size)));

const caseArb: fc.Arbitrary<Case> = chunks.chain((tx) =>
  fc.record({
    txChunks: fc.constant(tx),
    // the same split as TX (descriptor pairs finish together), or an independent one
    rxChunks: fc.oneof(fc.constant(tx), chunks),
    txGap: fc.boolean(),
    rxGap: fc.boolean(),
    cpuOwned: fc.oneof(fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: 19 })),
    probes: fc.array(fc.record({ at: fc.integer({ min: 0, max: 2_000_000_000 }), stop: fc.boolean() }), {
      maxLength: 5,
    }),
  }),
);

/**
 * The engine against a plain model of the silicon: walking TX and RX lists descriptor by descriptor, every
 * byte of the TX stream lands at its RX position, RX descriptors get the lengths they were filled with and
 * suc_eof where the stream ended, an owner=CPU descriptor stops the copy exactly before it, and (without
 * interruptions) the completion time is the sum of per-segment costs, however the engine batches them.
 * At random instants `bytesMoved` never goes back and memory holds exactly that many bytes.
 */
for (const engine of ENGINES)
  describe(`DMA engine property (${engine.name}): lists of any shape against a descriptor-by-descriptor model`, () => {
    it('moves, writes back, times and stops exactly as the model says', async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const sim = await createSimulation({ target: engine.target });
          try {
            const drv: DmaChannelDriver = sim.get(engine.token);
            const fmt = drv.descriptor;
            const dm = new DescriptorMemory(sim.get(Core.Memory));
            const txTotal = c.txChunks.reduce((a, b) => a + b, 0);
            const rxTotal = c.rxChunks.reduce((a, b) => a + b, 0);
            const src = sim.memory.alloc(txTotal, { caps: ['dma'] });
            const dst = sim.memory.alloc(rxTotal + 16, { caps: ['dma'] });
            const data = Uint8Array.from({ length: txTotal }, (_, i) => (((i * 7) ^ (i >> 5)) & 0xff) | 1);
            sim.memory.write(src, data);
            const stride = (gap: boolean): number => (gap ? 2 * fmt.bytes : fmt.bytes);
            const txd = sim.memory.alloc(2 * fmt.bytes * c.txChunks.length, {
              caps: ['dma', 'internal'],
              align: fmt.align,
            });
            const rxd = sim.memory.alloc(2 * fmt.bytes * c.rxChunks.length, {
              caps: ['dma', 'internal'],
              align: fmt.align,
            });
            const txAt = (i: number): number => txd + i * stride(c.txGap);
            const rxAt = (i: number): number => rxd + i * stride(c.rxGap);
            let off = 0;
            c.txChunks.forEach((n, i) => {
              const last = i === c.txChunks.length - 1;
              dm.write(
                txAt(i),
                {
                  size: n,
                  length: n,
                  sucEof: last,
                  owner: i === c.cpuOwned ? 0 : 1,
                  buffer: src + off,
                  next: last ? 0 : txAt(i + 1),
                },
                fmt,
              );
              off += n;
            });
            off = 0;
            c.rxChunks.forEach((n, i) => {
              const last = i === c.rxChunks.length - 1;
              dm.write(rxAt(i), { size: n, length: 0, owner: 1, buffer: dst + off, next: last ? 0 : rxAt(i + 1) }, fmt);
              off += n;
            });

            // the model: where the stream stops, and which error
            const blocked =
              c.cpuOwned >= 0 && c.cpuOwned < c.txChunks.length
                ? c.txChunks.slice(0, c.cpuOwned).reduce((a, b) => a + b, 0)
                : Infinity;
            const expectBytes = Math.min(txTotal, rxTotal, blocked);
            const expectError = blocked <= Math.min(txTotal, rxTotal) ? 'tx' : rxTotal < txTotal ? 'rx' : undefined;

            const { tx, rx } = drv.newChannelPair({ m2m: true });
            const trig = m2mTrigger(drv, 0);
            tx.connect({ m2m: trig });
            rx.connect({ m2m: trig });
            for (const ch of [tx, rx]) {
              ch.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
              ch.configTransfer({ maxDataBurstSize: 16 });
            }
            const errors: string[] = [];
            let eofAt = -1;
            tx.registerCallbacks({
              onDescrErr: () => {
                errors.push('tx');
              },
            });
            rx.registerCallbacks({
              onDescrErr: () => {
                errors.push('rx');
              },
              onRecvEof: () => {
                eofAt = sim.now;
              },
            });
            const t0 = sim.now;
            rx.start(rxd);
            tx.start(txd);
            let last = 0;
            let interrupted = false;
            for (const p of [...c.probes].sort((a, b) => a.at - b.at)) {
              await sim.run({ until: Math.max(sim.now, t0 + p.at) });
              const moved = drv.bytesMoved(tx.pair);
              expect(moved).to.be.at.least(last);
              last = moved;
              expect(sim.memory.read(dst, moved)).to.deep.equal(data.subarray(0, moved));
              expect(sim.memory.read(dst + moved, 1)[0]).to.equal(0);
              if (p.stop && tx.state === 'running') {
                tx.stop();
                await sim.run({ until: sim.now + 1_000_000 });
                tx.append();
                interrupted = true;
              }
            }
            await sim.run();
            expect(drv.bytesMoved(tx.pair)).to.equal(expectBytes);
            expect(sim.memory.read(dst, expectBytes)).to.deep.equal(data.subarray(0, expectBytes));
            expect(sim.memory.read(dst + expectBytes, 1)[0]).to.equal(0);
            expect(errors).to.deep.equal(expectError ? [expectError] : []);

            // RX write-back: each descriptor filled in order; suc_eof where the whole TX stream ended
            let left = expectBytes;
            c.rxChunks.forEach((n, i) => {
              const d = dm.read(rxAt(i), fmt);
              const filled = Math.min(n, left);
              const ended = expectError === undefined && left > 0 && left <= n;
              if (filled === n || ended)
                expect(d, `rx ${i}`).to.deep.include({ owner: 0, length: filled, sucEof: ended });
              else expect(d.owner, `rx ${i}`).to.equal(1);
              left -= filled;
            });
            if (expectError === undefined) {
              c.txChunks.forEach((_, i) => expect(dm.read(txAt(i), fmt).owner, `tx ${i}`).to.equal(0));
              if (!interrupted) expect(eofAt - t0).to.equal(modelTime(engine.timing(sim), c.txChunks, c.rxChunks));
            }
          } finally {
            await sim.dispose();
          }
        }),
        { numRuns: 150, seed: 7 },
      );
    });
  });

/** Completion time of an uninterrupted copy, segment by segment, as the timing model defines it. */
function modelTime(
  t: {
    clockHz: number;
    beatBytes: number;
    descriptorFetchCycles: number;
    startCycles: number;
    access: { sram?: { readCyclesPerByte: number; writeCyclesPerByte: number } };
  },
  txc: number[],
  rxc: number[],
): number {
  const cycle = 1e12 / t.clockHz;
  const fetch = Math.round(t.descriptorFetchCycles * cycle);
  const beat = (t.access.sram!.readCyclesPerByte + t.access.sram!.writeCyclesPerByte) * t.beatBytes * cycle;
  let time = Math.round(t.startCycles * cycle);
  let ti = 0;
  let ri = 0;
  let toff = 0;
  let roff = 0;
  let needTx = true;
  let needRx = true;
  while (ti < txc.length) {
    if (needTx) {
      time += fetch;
      needTx = false;
    }
    if (needRx) {
      time += fetch;
      needRx = false;
    }
    const n = Math.min(txc[ti]! - toff, rxc[ri]! - roff);
    time += Math.round(Math.ceil(n / t.beatBytes) * beat);
    toff += n;
    roff += n;
    const txDone = toff === txc[ti];
    const eof = txDone && ti === txc.length - 1;
    if (roff === rxc[ri] || eof) {
      ri++;
      roff = 0;
      needRx = true;
    }
    if (txDone) {
      ti++;
      toff = 0;
      needTx = true;
    }
  }
  return time;
}

/**
 * Several pairs starting at random instants: every copy arrives byte-exact, and the bus is never idle while a
 * pair can run (a run planned ahead is cut when another pair starts, without losing or repeating work), so the
 * last copy ends where a work-conserving server with each copy's own time as its work would end.
 */
for (const engine of ENGINES)
  describe(`DMA engine property (${engine.name}): pairs sharing the bus`, () => {
    it('delivers every copy and keeps the bus busy (work-conserving makespan)', async () => {
      const copyArb = fc.record({
        split: chunks,
        rxChunk: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4095 })),
        prio: fc.integer({ min: 0, max: 5 }),
        at: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 400_000_000 })),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(copyArb, { minLength: 2, maxLength: 3 }), async (copies) => {
          const sim = await createSimulation({ target: engine.target });
          try {
            const drv = sim.get(engine.token);
            const fmt = drv.descriptor;
            const sz = fmt.bytes;
            const dm = new DescriptorMemory(sim.get(Core.Memory));
            const timing = engine.timing(sim);
            let last = 0;
            const checks: (() => void)[] = [];
            const work: { at: number; w: number }[] = [];
            copies.forEach((c, k) => {
              const total = c.split.reduce((a, b) => a + b, 0);
              const src = sim.memory.alloc(total, { caps: ['dma'] });
              const dst = sim.memory.alloc(total, { caps: ['dma'] });
              const data = Uint8Array.from({ length: total }, (_, i) => (i * 11 + k * 37) & 0xff);
              sim.memory.write(src, data);
              const txd = sim.memory.alloc(sz * c.split.length, { caps: ['dma', 'internal'], align: fmt.align });
              // RX: the TX split, or the same bytes cut at another size
              const rxSplit =
                c.rxChunk === 0
                  ? c.split
                  : Array.from({ length: Math.ceil(total / c.rxChunk) }, (_, i) =>
                      Math.min(c.rxChunk, total - i * c.rxChunk),
                    );
              const rxd = sim.memory.alloc(sz * rxSplit.length, { caps: ['dma', 'internal'], align: fmt.align });
              let off = 0;
              c.split.forEach((n, i) => {
                const end = i === c.split.length - 1;
                dm.write(
                  txd + sz * i,
                  { size: n, length: n, sucEof: end, owner: 1, buffer: src + off, next: end ? 0 : txd + sz * (i + 1) },
                  fmt,
                );
                off += n;
              });
              off = 0;
              rxSplit.forEach((n, i) => {
                const end = i === rxSplit.length - 1;
                dm.write(
                  rxd + sz * i,
                  { size: n, length: 0, owner: 1, buffer: dst + off, next: end ? 0 : rxd + sz * (i + 1) },
                  fmt,
                );
                off += n;
              });
              const { tx, rx } = drv.newChannelPair({ m2m: true });
              const trig = m2mTrigger(drv, 0);
              tx.connect({ m2m: trig });
              rx.connect({ m2m: trig });
              for (const ch of [tx, rx]) {
                ch.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
                ch.configTransfer({ maxDataBurstSize: 16 });
              }
              tx.setPriority(c.prio);
              rx.setPriority(c.prio);
              rx.registerCallbacks({
                onRecvEof: () => {
                  last = Math.max(last, sim.now);
                },
              });
              sim.schedule(c.at, () => {
                rx.start(rxd);
                tx.start(txd);
              });
              work.push({ at: c.at, w: modelTime(timing, c.split, rxSplit) });
              checks.push(() => expect(sim.memory.read(dst, total)).to.deep.equal(data));
            });
            await sim.run();
            checks.forEach((f) => f());
            // a work-conserving bus: each copy's work is fixed, only the order of the pieces changes
            let finish = 0;
            for (const j of [...work].sort((a, b) => a.at - b.at)) finish = Math.max(finish, j.at) + j.w;
            expect(last).to.equal(finish);
          } finally {
            await sim.dispose();
          }
        }),
        { numRuns: 80, seed: 11 },
      );
    });
  });
