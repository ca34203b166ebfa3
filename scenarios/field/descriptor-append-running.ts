import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { us } from '../../core/time.js';
import { writeLinearList } from '../../plugins/dma/engine/descriptor.js';
import { fieldScenarios } from './field.js';
import { connectM2mPair } from './m2m-pair.js';

const CHUNK = 1024;

/**
 * A memory-to-memory stream on a GDMA pair: two chunks are queued and started, and a third is appended while the
 * DMA still works on the first. `inFlight`: by clearing suc_eof on the list's last descriptor and linking the new
 * one behind it (the naive append the TRMs warn about); otherwise: by starting a new transfer for it once the first
 * has raised its EOF (the descriptors are the CPU's again).
 */
function stream(sim: Simulation, ctx: ScenarioContext, inFlight: boolean): void {
  const { tx, rx, dm } = connectM2mPair(sim);
  const src = sim.memory.alloc(3 * CHUNK, { caps: ['dma'], align: 4 });
  const dst = sim.memory.alloc(3 * CHUNK, { caps: ['dma'], align: 4 });
  const txd = sim.memory.alloc(36, { caps: ['dma', 'internal'], align: 4 });
  const rxd = sim.memory.alloc(36, { caps: ['dma', 'internal'], align: 4 });
  sim.memory.write(src, new Uint8Array(3 * CHUNK).fill(0x96));
  writeLinearList(dm, txd, src, 2 * CHUNK, CHUNK, true);
  writeLinearList(dm, rxd, dst, 3 * CHUNK, CHUNK, false); // room for all three chunks
  let eofs = 0;
  let firstDone: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (firstDone = resolve));
  rx.registerCallbacks({
    onRecvEof: () => {
      eofs++;
      firstDone();
    },
  });
  rx.start(rxd);
  tx.start(txd);
  sim.spawn('app', async () => {
    await sim.delay(us(2)); // the application produces its third chunk while the DMA copies the first
    const third = txd + 24;
    dm.write(third, { size: CHUNK, length: CHUNK, owner: 1, sucEof: true, buffer: src + 2 * CHUNK, next: 0 });
    if (inFlight) {
      // clear suc_eof on the last queued descriptor and link the new chunk behind it
      dm.write(txd + 12, { size: CHUNK, length: CHUNK, owner: 1, buffer: src + CHUNK, next: third });
    } else {
      await first; // the first transfer is over: its descriptors are the CPU's again
      rx.start(rxd + 24);
      tx.start(third);
    }
    await sim.delay(us(300));
    const ok = sim.memory.read(dst, 3 * CHUNK).filter((b) => b === 0x96).length;
    ctx.log(`app: ${ok} of ${3 * CHUNK} bytes copied; ${eofs} RX EOF`);
  });
}

/**
 * esp-rs/esp-hal#5623 "Circular DMA descriptor prefetch issue": a buffer that changes the descriptor list while the
 * DMA runs it races the DMA's descriptor prefetch; the TRM's example is appending to a started transfer by clearing
 * the last descriptor's EOF and setting its next pointer, which fails when the DMA has already read that
 * descriptor. Here it has: the third chunk is never copied. The finding (dma.descriptor-modified) names the
 * descriptor; the fix appends in a new transfer once the first has handed its descriptors back.
 */
export const [fieldDescriptorAppendRunning, fieldDescriptorAppendRunningFixed] = fieldScenarios({
  name: 'descriptor-append-running',
  thread: 'esp-rs/esp-hal#5623',
  summary:
    'a chunk appended to a running list by rewriting its last descriptor is never copied: the DMA had already read it (dma.descriptor-modified)',
  target: 'esp32s3',
  broken: (sim, ctx) => stream(sim, ctx, true),
  fixed: (sim, ctx) => stream(sim, ctx, false),
});
