export { spi } from './plugin.js';
export { Spi, SpiDma } from './tokens.js';
export { spiCaps, spiCapsSchema, type SpiCaps, type SpiDriverCycles, type SpiHost } from './caps.js';
export {
  IDF_SPI_DRIVER_CYCLES,
  IDF_SPI_DRIVER_CYCLES_BY_CHIP,
  type SpiCalibratedChip,
  SPI_DRIVER_ESTIMATE,
  SPI_DRIVER_BORROWED_ESTIMATE,
  spiParams,
  type SpiParams,
} from './params.js';
export type {
  SpiService,
  SpiBus,
  SpiDevice,
  SpiBusConfig,
  SpiDeviceConfig,
  SpiTransaction,
  SpiTransfer,
  SpiBusEvents,
  SpiTransEvent,
  SpiBounceEvent,
} from './types.js';
