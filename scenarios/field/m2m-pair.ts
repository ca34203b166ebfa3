import type { Simulation } from '../../core/simulation.js';
import { Core } from '../../core/tokens.js';
import { DescriptorMemory, writeLinearList } from '../../plugins/dma/engine/descriptor.js';
import { GdmaDriver, type DmaChannel } from '../../plugins/dma/gdma/index.js';

/** A GDMA memory-to-memory pair programmed by hand, and a view of descriptor memory to write its lists with. */
export interface M2mPair {
  tx: DmaChannel;
  rx: DmaChannel;
  dm: DescriptorMemory;
}

/**
 * A new GDMA pair connected for memory-to-memory on the lowest free M2M trigger ID that is no peripheral's, so it
 * never takes SPI2's ID from a scenario that also uses SPI (the kit's async memcpy, like ESP-IDF's, does not skip
 * them: that is esp-idf#10575).
 */
export function connectM2mPair(sim: Simulation): M2mPair {
  const drv = sim.get(GdmaDriver);
  const { tx, rx } = drv.newChannelPair({ m2m: true });
  let free = drv.freeM2mTriggerMask();
  for (const pid of Object.values(sim.target.caps.gdma?.peripheralTriggers ?? {})) free &= ~(1 << pid);
  const id = 31 - Math.clz32(free & -free);
  tx.connect({ m2m: id });
  rx.connect({ m2m: id });
  return { tx, rx, dm: new DescriptorMemory(sim.get(Core.Memory)) };
}

/** Bytes per descriptor of `dmaCopy`: the 4095 limit rounded down to the 16-byte PSRAM burst. */
const PER_DESCRIPTOR = 4080;

/**
 * A bare-metal GDMA memory-to-memory copy (descriptors written by hand, as a driver without cache maintenance
 * does, NuttX's or a user's), external memory allowed on both channels; resolves at RX EOF, after which the pair
 * and its descriptors are freed.
 */
export function dmaCopy(sim: Simulation, dst: number, src: number, n: number): Promise<void> {
  const { tx, rx, dm } = connectM2mPair(sim);
  for (const c of [tx, rx]) {
    c.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
    c.configTransfer({ maxDataBurstSize: 16, accessExtMem: true });
  }
  const descs = Math.ceil(n / PER_DESCRIPTOR);
  const txd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  const rxd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  writeLinearList(dm, txd, src, n, PER_DESCRIPTOR, true);
  writeLinearList(dm, rxd, dst, n, PER_DESCRIPTOR, false);
  return new Promise((resolve) => {
    rx.registerCallbacks({
      onRecvEof: () => {
        tx.delete();
        rx.delete();
        sim.memory.free(txd);
        sim.memory.free(rxd);
        resolve();
      },
    });
    rx.start(rxd);
    tx.start(txd);
  });
}
