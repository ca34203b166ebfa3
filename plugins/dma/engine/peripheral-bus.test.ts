import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../../create-simulation.js';
import type { Simulation } from '../../../core/simulation.js';
import { Core } from '../../../core/tokens.js';
import { AsyncMemcpy } from '../../async-memcpy/index.js';
import { GdmaDriver } from '../gdma/index.js';
import { DescriptorMemory, writeLinearList } from './descriptor.js';

const COPY = 32 * 1024;
/** ESP32-S3 GDMA (timing.ts): 80 MHz, 4-byte beats, SRAM write 0.6701 cycles/byte, 4 cycles per descriptor fetch. */
const BEAT_WRITE_PS = 0.6701 * 4 * 12_500;
const FETCH_PS = 4 * 12_500;

/**
 * An ADC-like peripheral streaming into an RX channel connected to a peripheral trigger (SPI3's on the S3,
 * standing in for an ADC): `chunk` bytes every `periodPs`, `chunks` times, from t = 0. Returns the bus time
 * the engine owes it by the model: the memory-side beats of each call plus one fetch per descriptor.
 */
function stream(sim: Simulation, o: { chunk: number; periodPs: number; chunks: number; priority?: number }): number {
  const gdma = sim.get(GdmaDriver);
  const dm = new DescriptorMemory(sim.get(Core.Memory));
  const rx = gdma.newChannel('rx', { owner: 'adc' });
  rx.connect({ peripheral: 'SPI3' });
  rx.setPriority(o.priority ?? 0);
  rx.configTransfer({ maxDataBurstSize: 16 }); // burst on, as spi_common.c sets it
  const total = o.chunk * o.chunks;
  const buf = sim.memory.alloc(total, { caps: ['dma', 'internal'], align: 4 });
  const descs = Math.ceil(total / 4092);
  const list = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'], align: 4 });
  writeLinearList(dm, list, buf, total, 4092, false);
  rx.start(list);
  const sample = new Uint8Array(o.chunk).fill(0x5a);
  for (let i = 0; i < o.chunks; i++) {
    sim.schedule(i * o.periodPs, () => {
      gdma.peripheralWrite(rx, sample, 0, o.chunk, i === o.chunks - 1);
    });
  }
  return o.chunks * Math.round((o.chunk / 4) * BEAT_WRITE_PS) + descs * FETCH_PS;
}

/** When a 32 KiB copy started at t = 0 on a raw M2M pair of priority `priority` completes (RX EOF), in ps. */
async function copyEnd(setup: (sim: Simulation) => void, priority = 0): Promise<number> {
  const sim = await createSimulation({ target: 'esp32s3' });
  setup(sim);
  const gdma = sim.get(GdmaDriver);
  const dm = new DescriptorMemory(sim.get(Core.Memory));
  const p = gdma.newChannelPair({ m2m: true });
  const id = 31 - Math.clz32(gdma.freeM2mTriggerMask() & -gdma.freeM2mTriggerMask());
  p.tx.connect({ m2m: id });
  p.rx.connect({ m2m: id });
  p.tx.setPriority(priority);
  p.rx.setPriority(priority);
  p.tx.configTransfer({ maxDataBurstSize: 16 });
  p.rx.configTransfer({ maxDataBurstSize: 16 });
  const src = sim.memory.alloc(COPY, { caps: ['dma', 'internal'], align: 4 });
  const dst = sim.memory.alloc(COPY, { caps: ['dma', 'internal'], align: 4 });
  const n = Math.ceil(COPY / 4092);
  const txd = sim.memory.alloc(12 * n, { caps: ['dma', 'internal'], align: 4 });
  const rxd = sim.memory.alloc(12 * n, { caps: ['dma', 'internal'], align: 4 });
  writeLinearList(dm, txd, src, COPY, 4092, true);
  writeLinearList(dm, rxd, dst, COPY, 4092, false);
  let end = -1;
  p.rx.registerCallbacks({
    onRecvEof: () => {
      end = sim.now;
    },
  });
  p.rx.start(rxd);
  p.tx.start(txd);
  await sim.run();
  await sim.dispose();
  return end;
}

describe('DMA engine: peripheral channels share the bus with memory-to-memory pairs', () => {
  it('a 32 KiB async memcpy finishes later while an ADC-like peripheral streams into another channel', async () => {
    const end = async (withStream: boolean): Promise<number> => {
      const sim = await createSimulation({ target: 'esp32s3' });
      if (withStream) stream(sim, { chunk: 256, periodPs: 5_000_000, chunks: 40 });
      const drv = sim.get(AsyncMemcpy).install();
      const src = sim.memory.alloc(COPY, { caps: ['dma', 'internal'], align: 4 });
      const dst = sim.memory.alloc(COPY, { caps: ['dma', 'internal'], align: 4 });
      let t = 0;
      sim.spawn('copy', async () => {
        await drv.memcpy(dst, src, COPY);
        t = sim.now;
      });
      await sim.run();
      await sim.dispose();
      return t;
    };
    const alone = await end(false);
    const shared = await end(true);
    const owed = 40 * Math.round(64 * BEAT_WRITE_PS) + 3 * FETCH_PS;
    expect(shared - alone).to.equal(owed);
  });

  it('arbitrates by priority: a lower-priority peripheral waits for the copy, an equal or higher one delays it', async () => {
    const alone = await copyEnd(() => undefined, 1);
    let owed = 0;
    const lower = await copyEnd((sim) => {
      owed = stream(sim, { chunk: 512, periodPs: 10_000_000, chunks: 20, priority: 0 });
    }, 1);
    expect(lower).to.equal(alone);
    const equal = await copyEnd((sim) => {
      stream(sim, { chunk: 512, periodPs: 10_000_000, chunks: 20, priority: 1 });
    }, 1);
    expect(equal - alone).to.equal(owed);
    const higher = await copyEnd((sim) => {
      stream(sim, { chunk: 512, periodPs: 10_000_000, chunks: 20, priority: 5 });
    }, 1);
    expect(higher - alone).to.equal(owed);
  });

  it('conserves bus time: a stream that ends before the copy delays it by exactly the time it owes (random streams)', async () => {
    const alone = await copyEnd(() => undefined);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 64 }).map((w) => w * 4),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 8_000_000 }),
        async (chunk, chunks, periodPs) => {
          let owed = 0;
          const shared = await copyEnd((sim) => {
            owed = stream(sim, { chunk, periodPs, chunks });
          });
          expect(shared - alone).to.equal(owed);
        },
      ),
      { numRuns: 25, seed: 12 },
    );
  });
});
