import { defineTarget } from '../core/target/target.js';
import { gpio } from '../plugins/gpio/index.js';
import { gptimer } from '../plugins/gptimer/index.js';
import {
  CPU_COST_ESTIMATE,
  cpuCostFromCycles,
  SRAM_READ_CYCLES_PER_BYTE,
  SRAM_WRITE_CYCLES_PER_BYTE,
} from './common.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_ESTIMATE } from '../plugins/spi/index.js';

const CPU_HZ = 240_000_000;
const sram = cpuCostFromCycles(CPU_HZ, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE);

/** ESP32 (Xtensa LX6, 240 MHz): no GDMA, no async memcpy; SPI2/SPI3 share the SPI DMA's two channels. */
export const esp32 = defineTarget({
  name: 'esp32',
  description: 'ESP32: dual Xtensa LX6, SPI DMA (lldesc) shared by SPI2/SPI3, no async memcpy',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20, sharedBusPenaltyPsPerByte: 7_591 },
  memory: [
    {
      name: 'drom',
      kind: 'flash',
      base: 0x3f40_0000,
      size: 0x40_0000,
      dmaCapable: false,
      cpu: { readPsPerByte: 40_000, writePsPerByte: 0 },
    },
    // Quad SPI PSRAM at 40 MHz: about half the ESP32-S3's octal PSRAM (estimate). The ESP32's DMA cannot reach it.
    {
      name: 'psram',
      kind: 'psram',
      base: 0x3f80_0000,
      size: 0x40_0000,
      dmaCapable: false,
      cpu: { readPsPerByte: 46_446, writePsPerByte: 31_338 },
    },
    { name: 'peripherals', kind: 'peripheral', base: 0x3ff0_0000, size: 0x8_0000, dmaCapable: false },
    { name: 'dram', kind: 'sram', base: 0x3ffa_e000, size: 0x5_2000, dmaCapable: true, cpu: sram },
    { name: 'rom', kind: 'rom', base: 0x4000_0000, size: 0x6_0000, dmaCapable: false, cpu: sram },
  ],
  plugins: [gpio(), gptimer(), spi()],
  caps: {
    asyncMemcpy: false,
    psram: true,
    // PSRAM is cached, but no DMA reaches it and the cache cannot write back by address (no
    // SOC_CACHE_WRITEBACK_SUPPORTED: esp_cache_msync C2M does nothing, esp_cache.h)
    cache: { lineBytes: 32, lineSizes: [32], sizeBytes: 0x8000, ways: 2, kinds: ['psram', 'flash'], writeBack: false },
    gpio: { pins: 40 },
    gptimer: { timers: 4, etm: false },
    spi: {
      hosts: ['SPI2', 'SPI3'],
      dma: 'spi-dma-shared',
      dmaChannels: 2,
      sourceClockHz: 80_000_000,
      maxPreDivider: 8192,
      fifoBytes: 64,
      csPerHost: { SPI2: 3, SPI3: 3 },
      dmaMaxBytes: (1 << 24) / 8,
      driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32,
    },
    beyondSilicon: [],
    estimates: [
      CPU_COST_ESTIMATE,
      'psram and flash access costs',
      SPI_DRIVER_ESTIMATE,
      'PSRAM cache line (32 B), size and associativity',
    ],
  },
});
