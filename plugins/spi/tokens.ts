import type { DmaChannelDriver } from '../dma/engine/channel-api.js';
import { defineToken } from '../../core/plugin/tokens.js';
import type { SpiServiceImpl } from './service.js';
import type { SpiService } from './types.js';

/** The SPI master driver: spi_bus_initialize and what hangs off it. */
export const Spi = defineToken<SpiService>('Spi');
/** The SPI's own DMA (ESP32, ESP32-S2): its channel API, on targets that have one. */
export const SpiDma = defineToken<DmaChannelDriver>('SpiDma');
/** @internal */
export const SpiServiceToken = defineToken<SpiServiceImpl>('SpiServiceImpl');
