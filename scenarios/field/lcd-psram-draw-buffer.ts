import { EspError, ESP_ERR_NO_MEM } from '../../core/errors.js';
import { ms } from '../../core/time.js';
import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { Spi } from '../../plugins/spi/index.js';
import { fieldScenarios } from './field.js';

/** One LVGL flush: the BSP's draw buffer, 32 KiB (the thread's heap trace: 32768 bytes per flush). */
const BYTES = 32_768;

/**
 * heap_caps_get_largest_free_block(MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL), found by allocating: the largest
 * 4-byte aligned internal DMA-capable block that alloc gives, freed again at once.
 */
function largestInternalBlock(sim: Simulation): number {
  let lo = 0;
  let hi = 1 << 22;
  while (hi - lo > 4) {
    const mid = ((lo + hi) >>> 1) & ~3;
    try {
      sim.memory.free(sim.memory.alloc(mid, { caps: ['dma', 'internal'], align: 4 }));
      lo = mid;
    } catch (e) {
      if (!(e instanceof EspError) || e.code !== ESP_ERR_NO_MEM) throw e;
      hi = mid;
    }
  }
  return lo;
}

/**
 * The display task flushes one draw buffer to the panel over SPI2 (esp_lcd_panel_io_tx_color, a queued
 * transaction); a second task reads the internal heap before the flush and while it is on the wire.
 * `inPsram`: CONFIG_BSP_DISPLAY_LVGL_BUFFER_IN_PSRAM, the draw buffer in PSRAM; otherwise in internal DMA memory.
 */
function flush(sim: Simulation, ctx: ScenarioContext, inPsram: boolean): void {
  const dev = sim.get(Spi).busInitialize('SPI2', { maxTransferSize: BYTES }).addDevice({ clockSpeedHz: 40_000_000 });
  const draw = sim.memory.alloc(BYTES, { caps: inPsram ? ['spiram'] : ['dma'], align: 4 });
  const before = largestInternalBlock(sim);
  let during = 0;
  sim.spawn('lvgl', async () => {
    await dev.transmit({ tx: draw, length: BYTES });
  });
  sim.spawn('app', async () => {
    await sim.delay(ms(1)); // the 32 KiB take 6.5 ms at 40 MHz: the flush is on the wire
    during = largestInternalBlock(sim);
    await sim.delay(ms(10));
    ctx.log(
      `app: largest internal DMA block ${before} bytes before the flush, ${during} during it ` +
        `(${before - during} bytes taken by the SPI driver), ${largestInternalBlock(sim)} after`,
    );
  });
}

/**
 * espressif/esp-bsp#491 "ESP32_S3_EYE BSP memory issue after calling bsp_display_lock(0)" (ESP32-S3): with the
 * LVGL draw buffers in PSRAM, every flush makes spi_master's setup_priv_desc allocate a 32768-byte copy in
 * internal RAM (the thread's heap trace), because the driver does not hand PSRAM to the SPI DMA. The finding
 * (spi.bounce-buffer) names the buffer and the CPU cycles; with the draw buffer in internal DMA memory nothing
 * is taken.
 */
export const [fieldLcdPsramDrawBuffer, fieldLcdPsramDrawBufferFixed] = fieldScenarios({
  name: 'lcd-psram-draw-buffer',
  thread: 'espressif/esp-bsp#491',
  summary:
    'an LVGL draw buffer in PSRAM: each SPI flush takes a 32 KiB bounce copy out of internal RAM (spi.bounce-buffer)',
  target: 'esp32s3',
  targets: ['esp32s3'],
  broken: (sim, ctx) => flush(sim, ctx, true),
  fixed: (sim, ctx) => flush(sim, ctx, false),
});
