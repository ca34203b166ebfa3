import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { us } from '../../core/time.js';
import { fieldScenarios } from './field.js';
import { connectM2mPair } from './m2m-pair.js';

const CHUNK = 1024;

/**
 * A stream of two chunks on a GDMA memory-to-memory pair: the first descriptor is handed to the DMA at once; the
 * second is filled and handed over (owner = DMA) `lateUs` after the start, as a streaming buffer does when the
 * application pushes its next chunk.
 */
function stream(sim: Simulation, ctx: ScenarioContext, lateUs: number): void {
  const { tx, rx, dm } = connectM2mPair(sim);
  // a streaming buffer relies on the owner bit: owner check and write-back on (gdma_apply_strategy)
  tx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
  rx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
  const src = sim.memory.alloc(2 * CHUNK, { caps: ['dma'], align: 4 });
  const dst = sim.memory.alloc(2 * CHUNK, { caps: ['dma'], align: 4 });
  const txd = sim.memory.alloc(24, { caps: ['dma', 'internal'], align: 4 });
  const rxd = sim.memory.alloc(12, { caps: ['dma', 'internal'], align: 4 });
  sim.memory.write(src, new Uint8Array(2 * CHUNK).fill(0xa5));
  const second = { size: CHUNK, length: CHUNK, sucEof: true, buffer: src + CHUNK, next: 0 };
  dm.write(txd, { size: CHUNK, length: CHUNK, owner: 1, buffer: src, next: txd + 12 });
  dm.write(txd + 12, { ...second, owner: lateUs > 0 ? 0 : 1 });
  dm.write(rxd, { size: 2 * CHUNK, length: 0, owner: 1, buffer: dst, next: 0 });
  let done = false;
  rx.registerCallbacks({
    onRecvEof: () => {
      done = true;
    },
  });
  rx.start(rxd);
  tx.start(txd);
  sim.spawn('app', async () => {
    if (lateUs > 0) {
      await sim.delay(us(lateUs)); // the application's other work before it pushes the second chunk
      dm.write(txd + 12, { ...second, owner: 1 });
    }
    await sim.delay(us(100));
    const got = sim.memory.read(dst, 2 * CHUNK);
    const ok = got.filter((b) => b === 0xa5).length;
    ctx.log(`app: ${ok} of ${2 * CHUNK} bytes arrived; RX EOF ${done ? 'raised' : 'never raised (the stream hangs)'}`);
  });
}

/**
 * esp-rs/esp-hal#3251 "DMA hangs after it reaches descriptor with Owner::CPU": a TX stream whose next descriptor
 * is handed to the DMA only after other work; the DMA reaches it first, stops with a descriptor error and never
 * resumes. The finding (dma.descriptor-error) says owner = CPU and how to fix it.
 */
export const [fieldDescriptorOwnerCpu, fieldDescriptorOwnerCpuFixed] = fieldScenarios({
  name: 'descriptor-owner-cpu',
  thread: 'esp-rs/esp-hal#3251',
  summary:
    'the DMA reaches a descriptor still owned by the CPU and stops: half the stream never arrives (dma.descriptor-error)',
  target: 'esp32s3',
  broken: (sim, ctx) => stream(sim, ctx, 20),
  fixed: (sim, ctx) => stream(sim, ctx, 0),
});
