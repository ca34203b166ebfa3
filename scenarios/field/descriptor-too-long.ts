import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { us } from '../../core/time.js';
import { DESCRIPTOR_MAX_ALIGNED_BYTES, writeLinearList } from '../../plugins/dma/engine/descriptor.js';
import { fieldScenarios } from './field.js';
import { connectM2mPair } from './m2m-pair.js';

/** One block of a dma_config: more than a descriptor's 12-bit size/length field holds (4095). */
const BLOCK = 6000;

/**
 * A memory-to-memory copy of one 6000-byte block on a GDMA pair, its TX and RX lists built with at most `perDescriptor`
 * bytes per descriptor: the whole block in one descriptor (as a driver taking one descriptor per block does), or
 * split at 4092 as Zephyr's driver does since #82819.
 */
function copy(sim: Simulation, ctx: ScenarioContext, perDescriptor: number): void {
  const { tx, rx, dm } = connectM2mPair(sim);
  const src = sim.memory.alloc(BLOCK, { caps: ['dma'], align: 4 });
  const dst = sim.memory.alloc(BLOCK, { caps: ['dma'], align: 4 });
  const txd = sim.memory.alloc(24, { caps: ['dma', 'internal'], align: 4 });
  const rxd = sim.memory.alloc(24, { caps: ['dma', 'internal'], align: 4 });
  sim.memory.write(src, new Uint8Array(BLOCK).fill(0x3c));
  writeLinearList(dm, txd, src, BLOCK, perDescriptor, true);
  writeLinearList(dm, rxd, dst, BLOCK, perDescriptor, false);
  let eof = false;
  rx.registerCallbacks({
    onRecvEof: () => {
      eof = true;
    },
  });
  rx.start(rxd);
  tx.start(txd);
  sim.spawn('app', async () => {
    await sim.delay(us(300));
    const ok = sim.memory.read(dst, BLOCK).filter((b) => b === 0x3c).length;
    ctx.log(`app: ${ok} of ${BLOCK} bytes copied; RX EOF ${eof ? 'raised' : 'never raised'}`);
  });
}

/**
 * zephyrproject-rtos/zephyr#82819 "Removes block size limitation from dma config on ESP32 SoCs": the ESP32 GDMA
 * driver put each dma_block in one descriptor, so a block above DMA_DESCRIPTOR_BUFFER_MAX_SIZE (4095) could not be
 * sent; the PR splits such blocks over several descriptors. Code that fills one descriptor per block without that
 * limit gets what silicon does with a 12-bit field: 6000 is stored as 1904, and the copy completes (EOF raised) with
 * 4096 bytes missing. The finding (dma.descriptor-too-long) names the descriptor and both numbers.
 */
export const [fieldDescriptorTooLong, fieldDescriptorTooLongFixed] = fieldScenarios({
  name: 'descriptor-too-long',
  thread: 'zephyrproject-rtos/zephyr#82819',
  summary:
    'a 6000-byte block in one descriptor: the 12-bit size/length keep 1904, the copy "completes" 4096 bytes short (dma.descriptor-too-long)',
  target: 'esp32c3',
  broken: (sim, ctx) => copy(sim, ctx, BLOCK),
  fixed: (sim, ctx) => copy(sim, ctx, DESCRIPTOR_MAX_ALIGNED_BYTES),
});
