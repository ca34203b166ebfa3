import type { ScenarioContext } from '../../core/config/config.js';
import type { Simulation } from '../../core/simulation.js';
import { Core } from '../../core/tokens.js';
import { ESP_CACHE_MSYNC_FLAG_DIR_C2M, ESP_CACHE_MSYNC_FLAG_DIR_M2C } from '../../core/memory/cache/msync.js';
import { fieldScenarios } from './field.js';
import { dmaCopy } from './m2m-pair.js';

const FRAME = 64;

const show = (b: Uint8Array): string => [...b.subarray(0, 8)].map((x) => x.toString(16).padStart(2, '0')).join(' ');

/**
 * A full-duplex SPI exchange with a sensor whose MISO echoes MOSI, buffers in PSRAM: the TX DMA carries the
 * command from `tx` to the wire (an internal buffer standing for the SPI FIFO), the RX DMA carries the echo from
 * the wire into `rx`. The application had read `rx` before (its previous frame), so its lines are cached.
 * `maintain`: the fix of the thread, a write-back of `tx` before the TX DMA and an invalidate of `rx` before the
 * RX DMA (esp_cache_msync C2M / M2C, what cache_writeback_addr / cache_invalidate_addr do).
 */
function exchange(sim: Simulation, ctx: ScenarioContext, maintain: boolean): void {
  const cache = sim.get(Core.Cache);
  const tx = sim.memory.alloc(FRAME, { caps: ['spiram'], align: 32 });
  const rx = sim.memory.alloc(FRAME, { caps: ['spiram'], align: 32 });
  const wire = sim.memory.alloc(FRAME, { caps: ['dma', 'internal'] });
  const command = Uint8Array.from({ length: FRAME }, (_, i) => 0xa0 | (i & 0x0f)); // never 0, which PSRAM holds
  sim.spawn('app', async () => {
    sim.memory.read(rx, FRAME); // the previous frame, read by the application: rx's lines are in the cache now
    sim.memory.write(tx, command); // the command, in the cache (dirty), not yet in PSRAM
    if (maintain) {
      cache.msync(tx, FRAME, ESP_CACHE_MSYNC_FLAG_DIR_C2M);
      cache.msync(rx, FRAME, ESP_CACHE_MSYNC_FLAG_DIR_M2C);
    }
    await dmaCopy(sim, wire, tx, FRAME); // MOSI
    const sent = sim.memory.read(wire, FRAME);
    await dmaCopy(sim, rx, wire, FRAME); // MISO (the echo)
    const got = sim.memory.read(rx, FRAME);
    const wrongOnWire = sent.filter((b, i) => b !== command[i]).length;
    const wrongRead = got.filter((b, i) => b !== command[i]).length;
    ctx.log(`app: sent ${show(command)} ..; on the wire ${show(sent)} .. (${wrongOnWire} of ${FRAME} bytes wrong)`);
    ctx.log(`app: read back ${show(got)} .. (${wrongRead} of ${FRAME} bytes wrong)`);
  });
}

/**
 * apache/nuttx#18350 "arch/xtensa/esp32s3: Fix data transmission failure when buffer is in PSRAM": on an ESP32-S3
 * (PX4 on NuttX, an ICM-42688-P on SPI) the SPI DMA moved PSRAM buffers without cache maintenance: the TX DMA sent
 * what PSRAM held, not the command still dirty in the data cache, and the CPU read the received frame from stale
 * cache lines. Reproduced with the data cache model on; the SPI's two DMA channels stand as a GDMA pair each way.
 */
export const [fieldPsramDmaCache, fieldPsramDmaCacheFixed] = fieldScenarios({
  name: 'psram-dma-cache',
  thread: 'apache/nuttx#18350',
  summary:
    'SPI DMA with PSRAM buffers and no cache write-back/invalidate: the wire carries the old bytes and the CPU reads ' +
    'stale lines (cache.dirty-before-dma, cache.stale-after-dma)',
  target: 'esp32s3',
  cache: true,
  broken: (sim, ctx) => exchange(sim, ctx, false),
  fixed: (sim, ctx) => exchange(sim, ctx, true),
});
