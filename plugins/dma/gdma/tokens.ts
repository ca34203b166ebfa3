import type { DmaController } from '../zephyr/api.js';
import type { Esp32GdmaZephyrController } from '../zephyr/esp32-gdma.js';
import type { DmaChannelDriver } from '../engine/channel-api.js';
import type { DmaEngine } from '../engine/engine.js';
import { defineToken } from '../../../core/plugin/tokens.js';

/** GDMA through the Zephyr DMA API: one channel per memory-to-memory capable pair. */
export const Gdma = defineToken<DmaController>('Gdma');
/**
 * GDMA through Zephyr's actual ESP32 driver (drivers/dma/dma_esp32_gdma.c) rather than dma.rst's contract:
 * pair halves as channels (even RX, odd TX), no dma_request_channel, suspend/resume -ENOSYS, `dmaSlot` as the
 * trigger, no callback on stop, a callback per direction with BLOCK per RX descriptor (SILICON.md).
 */
export const GdmaZephyrEsp32 = defineToken<Esp32GdmaZephyrController>('GdmaZephyrEsp32');
/** GDMA's low-level channel API (esp_private/gdma.h style), for drivers: async memcpy, SPI. The AHB GDMA. */
export const GdmaDriver = defineToken<DmaChannelDriver>('GdmaDriver');
/** The AXI GDMA's channel API (gdma_new_axi_channel), bound only on targets with AXI pairs (ESP32-P4). */
export const GdmaAxiDriver = defineToken<DmaChannelDriver>('GdmaAxiDriver');
/** @internal the engine itself, for the facades in this plugin. */
export const GdmaEngine = defineToken<DmaEngine>('GdmaEngine');
/** @internal the AXI engine. */
export const GdmaAxiEngine = defineToken<DmaEngine>('GdmaAxiEngine');
