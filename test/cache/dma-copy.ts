import type { Simulation } from '../../core/simulation.js';
import { Core } from '../../core/tokens.js';
import { DescriptorMemory, writeLinearList } from '../../plugins/dma/engine/descriptor.js';
import { GdmaDriver } from '../../plugins/dma/gdma/index.js';

/**
 * A bare-metal GDMA memory-to-memory copy (descriptors written by hand, as a driver without cache maintenance
 * does, NuttX's or a user's): resolves at RX EOF. External memory allowed on both channels.
 */
export function dmaCopy(sim: Simulation, dst: number, src: number, n: number): Promise<void> {
  const drv = sim.get(GdmaDriver);
  const dm = new DescriptorMemory(sim.get(Core.Memory));
  const { tx, rx } = drv.newChannelPair({ m2m: true });
  let free = drv.freeM2mTriggerMask();
  for (const pid of Object.values(sim.target.caps.gdma?.peripheralTriggers ?? {})) free &= ~(1 << pid);
  const id = 31 - Math.clz32(free & -free);
  for (const c of [tx, rx]) {
    c.connect({ m2m: id });
    c.applyStrategy({ ownerCheck: true, autoUpdateDesc: true });
    c.configTransfer({ maxDataBurstSize: 16, accessExtMem: true });
  }
  const descs = Math.ceil(n / 4080);
  const txd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  const rxd = sim.memory.alloc(12 * descs, { caps: ['dma', 'internal'] });
  writeLinearList(dm, txd, src, n, 4080, true);
  writeLinearList(dm, rxd, dst, n, 4080, false);
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
