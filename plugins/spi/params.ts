import { SimulationError } from '../../core/errors.js';
import type { TargetCaps } from '../../core/target/target.js';
import type { SpiCaps, SpiDriverCycles, SpiHost } from './caps.js';

/** The chips ESP-IDF's SPI master guide publishes transaction times for. */
export type SpiCalibratedChip = 'esp32' | 'esp32s2' | 'esp32s3' | 'esp32c3' | 'esp32c6' | 'esp32h2';

/** Costs every chip shares: estimates, not in the published table (one descriptor, a FIFO word, esp-hal, a bounce). */
const SHARED = { dmaPerDescriptor: 30, fifoPerWord: 4, bounceAlloc: 400, halDmaStart: 600, halDmaWait: 60 } as const;

/**
 * ESP-IDF spi_master costs in CPU cycles, fitted per chip to its own row of the SPI master guide's table
 * (spi_master.rst; SILICON.md): one byte at 10 MHz SCLK, microseconds from the call to its return, with the
 * CPU at 240 MHz on ESP32/S2/S3 (test_spi_master.c's sdkconfig) and the default clock elsewhere (C3/C6
 * 160 MHz, H2 96 MHz). Per chip: interrupt + CPU fixes queue + isrStart + isrDone + result; polling + CPU
 * fixes pollingStart + pollingEnd; the two DMA columns fix dmaSetup (+ 2 x dmaPerDescriptor), chosen to
 * balance their errors where the chip's DMA-minus-CPU differences disagree (ESP32: 3 us interrupt, 2 us
 * polling). The split inside each sum (interrupt 1200:800:600:760, polling 700:420) and the SHARED costs
 * are estimates. `soc-fabric calibrate` prints the fit.
 */
export const IDF_SPI_DRIVER_CYCLES_BY_CHIP: Readonly<Record<SpiCalibratedChip, SpiDriverCycles>> = {
  esp32: {
    queue: 2071,
    isrStart: 1381,
    isrDone: 1036,
    result: 1312,
    pollingStart: 1075,
    pollingEnd: 645,
    dmaSetup: 491,
    ...SHARED,
  },
  esp32s2: {
    queue: 1814,
    isrStart: 1210,
    isrDone: 907,
    result: 1149,
    pollingStart: 1075,
    pollingEnd: 645,
    dmaSetup: 188,
    ...SHARED,
  },
  esp32s3: {
    queue: 1986,
    isrStart: 1324,
    isrDone: 993,
    result: 1257,
    pollingStart: 1225,
    pollingEnd: 735,
    dmaSetup: 428,
    ...SHARED,
  },
  esp32c3: {
    queue: 1494,
    isrStart: 996,
    isrDone: 747,
    result: 947,
    pollingStart: 815,
    pollingEnd: 489,
    dmaSetup: 108,
    ...SHARED,
  },
  esp32c6: {
    queue: 1780,
    isrStart: 1187,
    isrDone: 890,
    result: 1127,
    pollingStart: 1415,
    pollingEnd: 849,
    dmaSetup: 268,
    ...SHARED,
  },
  esp32h2: {
    queue: 1820,
    isrStart: 1213,
    isrDone: 910,
    result: 1153,
    pollingStart: 1385,
    pollingEnd: 831,
    dmaSetup: 332,
    ...SHARED,
  },
};

/** The default for targets that give no driverCycles (custom targets): the ESP32-S3's fit. */
export const IDF_SPI_DRIVER_CYCLES: SpiDriverCycles = IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32s3;

/** The caps.estimates entry of chips with no published SPI times, which borrow another chip's fitted cycles. */
export const SPI_DRIVER_BORROWED_ESTIMATE =
  "SPI driver CPU costs: the ESP32-C6's fitted cycles (spi_master.rst publishes no transaction times for this chip)";

/** The caps.estimates entry of targets whose SPI driver costs are fitted, not measured phase by phase. */
export const SPI_DRIVER_ESTIMATE =
  "SPI driver CPU costs: per-phase cycles fitted to this chip's published 1-byte transaction times (spi_master.rst); the split between phases, per-descriptor, FIFO, bounce and esp-hal costs are estimates";

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
  dmaPsram: boolean;
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
    dmaPsram: s.dmaPsram ?? false,
    cycles: { ...IDF_SPI_DRIVER_CYCLES, ...s.driverCycles },
    etmStartTaskIds: { ...s.etm?.startTaskIds },
  };
}

/** Descriptor payload limit with 4-byte aligned buffers (DMA_DESCRIPTOR_BUFFER_MAX_SIZE_4B_ALIGNED). */
export const SPI_DESC_MAX = 4092;
