import type { DmaController } from '../zephyr/api.js';
import type { DmaChannelDriver } from '../engine/channel-api.js';
import type { DmaEngine } from '../engine/engine.js';
import { defineToken } from '../../../core/plugin/tokens.js';

/**
 * The ESP32-S2 copy DMA through the Zephyr DMA API (one memory-to-memory channel). Beyond upstream: Zephyr has
 * no CP DMA driver (`beyondUpstream` says so); this is dma.rst's contract over the kit's CP DMA model.
 */
export const CpDma = defineToken<DmaController>('CpDma');
/** The copy DMA's low-level channel API, for drivers (async memcpy). */
export const CpDmaDriver = defineToken<DmaChannelDriver>('CpDmaDriver');
/** @internal the engine itself, for the facade in this plugin. */
export const CpDmaEngine = defineToken<DmaEngine>('CpDmaEngine');
