import { z } from 'zod';
import { defineCapsSection } from '../../core/target/caps.js';

const int = z.number().int();
const cycles = z.number().nonnegative();

/** An SPI host a target may have. */
export const spiHostSchema = z.enum(['SPI2', 'SPI3']);
/** An SPI host a target may have. */
export type SpiHost = z.infer<typeof spiHostSchema>;

/** ESP-IDF spi_master driver costs in CPU cycles (estimates: see README.md). */
export const spiDriverCyclesSchema = z
  .object({
    /** spi_device_queue_trans on the task: checks, queue send, interrupt enable. */
    queue: cycles,
    /** The ISR starting a transaction: device and transaction registers, FIFO or DMA set-up. */
    isrStart: cycles,
    /** The ISR finishing one: post-transaction work and the result queue send. */
    isrDone: cycles,
    /** spi_device_get_trans_result: the task wakes and takes the result. */
    result: cycles,
    /** spi_device_polling_start and _end (the CPU spins on the done bit in between). */
    pollingStart: cycles,
    pollingEnd: cycles,
    /** DMA linked-list set-up per transaction (channel resets and starts) and per descriptor. */
    dmaSetup: cycles,
    dmaPerDescriptor: cycles,
    /** CPU FIFO access per 32-bit word (without DMA: data in at start, out at the end). */
    fifoPerWord: cycles,
    /** heap_caps_aligned_alloc + free of a bounce buffer (the memcpy is charged at the CPU's copy cost). */
    bounceAlloc: cycles,
    /** esp-hal style DMA transfer: set-up before the start, and the wait's completion check. */
    halDmaStart: cycles,
    halDmaWait: cycles,
  })
  .strict();
/** ESP-IDF spi_master driver costs in CPU cycles (spiDriverCyclesSchema's type). */
export type SpiDriverCycles = z.infer<typeof spiDriverCyclesSchema>;

const perHost = z.object({ SPI2: int.positive().optional(), SPI3: int.positive().optional() }).strict();

/** SPI parameters of a target: hosts, DMA kind, clocks, FIFO, chip selects, driver costs (README.md). */
export const spiCapsSchema = z.object({
  hosts: z.array(spiHostSchema),
  /** 'gdma': AHB GDMA pairs; 'gdma-axi': AXI GDMA pairs (ESP32-P4: SOC_GDMA_TRIG_PERIPH_SPI2_BUS = AXI). */
  dma: z.enum(['gdma', 'gdma-axi', 'spi-dma-shared', 'spi-dma-per-host']),
  /** SPI_CLK_SRC_DEFAULT's frequency (the highest SCLK). Default 80 MHz. */
  sourceClockHz: int.positive().optional(),
  /** FIFO bytes a transaction without DMA can hold (SOC_SPI_MAXIMUM_BUFFER_SIZE). Default 64. */
  fifoBytes: int.positive().optional(),
  /** Chip selects per host (SOC_SPI_PERIPH_CS_NUM). Default 6. */
  csPerHost: perHost.optional(),
  /** Channels of the SPI's own DMA where `dma` is 'spi-dma-shared' (ESP32: 2). */
  dmaChannels: int.positive().optional(),
  /**
   * Whether the SPI's own DMA reaches PSRAM (SOC_PSRAM_DMA_CAPABLE: the ESP32-S2). The IDF driver still bounces
   * PSRAM buffers (esp_ptr_dma_capable is internal memory only); the esp-hal style transfer() uses them as
   * they are. Default false.
   */
  dmaPsram: z.boolean().optional(),
  /** Longest DMA transaction in bytes (SPI_LL_DMA_MAX_BIT_LEN / 8). Default 32768. */
  dmaMaxBytes: int.positive().optional(),
  /**
   * Largest clock pre-divider (SPI_LL_MAX_PRE_DIV_NUM: 8192 on the ESP32's 13-bit CLKDIV_PRE, 16 on the 4-bit
   * field of the GPSPI of later chips). With the 6-bit CLKCNT_N (up to 64) it sets the slowest SCLK. Default 16.
   */
  maxPreDivider: int.positive().optional(),
  /** Driver costs (default: IDF_SPI_DRIVER_CYCLES). */
  driverCycles: spiDriverCyclesSchema.partial().optional(),
  /** Beyond silicon: an ETM task per host that starts the transaction prepared on it (task ID per host). */
  etm: z.object({ startTaskIds: perHost }).strict().optional(),
});
/** SPI parameters of a target (`caps.spi`, spiCapsSchema's type). */
export type SpiCaps = z.infer<typeof spiCapsSchema>;

/** `caps.spi`, owned by the spi plugin. */
export const spiCaps = defineCapsSection('spi', spiCapsSchema);

declare module '../../core/target/target.js' {
  interface TargetCaps {
    /** SPI master hosts and how they reach DMA; the rest parameterises plugins/spi (SpiCaps documents each field). */
    spi?: SpiCaps;
  }
}
