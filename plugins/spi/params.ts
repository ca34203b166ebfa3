import { SimulationError } from '../../core/errors.js';
import type { TargetCaps } from '../../core/target/target.js';
import type { SpiCaps, SpiDriverCycles, SpiHost } from './caps.js';

/**
 * ESP-IDF spi_master costs in CPU cycles. Fitted to the typical one-byte transaction durations ESP-IDF's SPI
 * master guide gives (ESP32-S2 edition: interrupt 22 us via CPU / 23 us via DMA, polling 8 us / 9 us; "setting
 * up the linked list requires about 2 us") at a 160 MHz CPU and an 8 MHz SCLK (1 us on the wire). The split
 * between the phases is an estimate; the same cycle counts serve every target (a faster core is faster).
 * esp-hal's DMA transfer (halDma*) is an estimate of its descriptor preparation and channel start.
 */
export const IDF_SPI_DRIVER_CYCLES: SpiDriverCycles = {
  queue: 1200,
  isrStart: 800,
  isrDone: 600,
  result: 760,
  pollingStart: 700,
  pollingEnd: 420,
  dmaSetup: 100,
  dmaPerDescriptor: 30,
  fifoPerWord: 4,
  bounceAlloc: 400,
  halDmaStart: 600,
  halDmaWait: 60,
};

/** The caps.estimates entry of targets whose SPI driver costs are fitted, not measured. */
export const SPI_DRIVER_ESTIMATE = 'SPI driver CPU costs: cycles fitted to ESP-IDF\'s documented 1-byte transaction durations at 160 MHz (phase split and esp-hal costs estimated)';

/** The SPI parameters of a target with every default filled in. */
export interface SpiParams {
  hosts: readonly SpiHost[];
  dma: SpiCaps['dma'];
  sourceClockHz: number;
  fifoBytes: number;
  csPerHost: Record<SpiHost, number>;
  dmaChannels: number;
  dmaMaxBytes: number;
  /** Largest source clock divider (pre-divider x 64): the slowest SCLK is sourceClockHz / maxDivider. */
  maxDivider: number;
  cycles: SpiDriverCycles;
  etmStartTaskIds: Partial<Record<SpiHost, number>>;
}

/** The SPI plugin's parameters for a target, from `caps.spi` with the documented defaults filled in. */
export function spiParams(caps: TargetCaps): SpiParams {
  const s = caps.spi;
  if (s === undefined) throw new SimulationError(`plugin "spi": the target has no caps.spi`);
  return {
    hosts: s.hosts,
    dma: s.dma,
    sourceClockHz: s.sourceClockHz ?? 80_000_000,
    fifoBytes: s.fifoBytes ?? 64,
    csPerHost: { SPI2: s.csPerHost?.SPI2 ?? 6, SPI3: s.csPerHost?.SPI3 ?? 6 },
    dmaChannels: s.dmaChannels ?? s.hosts.length,
    dmaMaxBytes: s.dmaMaxBytes ?? 32_768,
    maxDivider: (s.maxPreDivider ?? 16) * 64,
    cycles: { ...IDF_SPI_DRIVER_CYCLES, ...s.driverCycles },
    etmStartTaskIds: { ...s.etm?.startTaskIds },
  };
}

/** Descriptor payload limit with 4-byte aligned buffers (DMA_DESCRIPTOR_BUFFER_MAX_SIZE_4B_ALIGNED). */
export const SPI_DESC_MAX = 4092;
