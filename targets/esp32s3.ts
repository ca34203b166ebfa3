import { defineTarget } from '../core/target/target.js';
import { gpio } from '../plugins/gpio/index.js';
import { gptimer } from '../plugins/gptimer/index.js';
import { ESP32S3_GDMA_TIMING } from '../plugins/dma/engine/timing.js';
import { gdma } from '../plugins/dma/gdma/index.js';
import { asyncMemcpy } from '../plugins/async-memcpy/index.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_ESTIMATE } from '../plugins/spi/index.js';

/**
 * ESP32-S3 (dual Xtensa LX7, 240 MHz), the calibration anchor. CPU copy costs fit SILICON.md's measured
 * table (project-x51/esp32-s3-memorycopy, MiB/s): SRAM->SRAM 362.48 MiB/s (2631 ps/B: 100 KiB in 269.4 us),
 * SRAM->PSRAM 56.71, PSRAM->SRAM 38.59, PSRAM->PSRAM 22.34 (read + write per byte, plus a read/write
 * turnaround when both sides are on the octal SPI bus). `soc-fabric calibrate` prints the fit.
 */
export const esp32s3 = defineTarget({
  name: 'esp32s3',
  description: 'ESP32-S3: dual Xtensa LX7, 5 AHB GDMA pairs, octal PSRAM reachable by DMA',
  cpu: { freqHz: 240_000_000, memcpyCallCycles: 20, sharedBusPenaltyPsPerByte: 3_796 },
  memory: [
    {
      name: 'drom',
      kind: 'flash',
      base: 0x3c00_0000,
      size: 0x80_0000,
      dmaCapable: false,
      cpu: { readPsPerByte: 23_223, writePsPerByte: 0 },
    },
    {
      name: 'psram',
      kind: 'psram',
      base: 0x3d80_0000,
      size: 0x80_0000,
      dmaCapable: true,
      cpu: { readPsPerByte: 23_223, writePsPerByte: 15_669 },
    },
    {
      name: 'sram',
      kind: 'sram',
      base: 0x3fc8_8000,
      size: 0x7_8000,
      dmaCapable: true,
      cpu: { readPsPerByte: 1_144, writePsPerByte: 1_487 },
    },
    {
      name: 'rom',
      kind: 'rom',
      base: 0x4000_0000,
      size: 0x6_0000,
      dmaCapable: false,
      cpu: { readPsPerByte: 1_144, writePsPerByte: 0 },
    },
    { name: 'peripherals', kind: 'peripheral', base: 0x6000_0000, size: 0xd_1000, dmaCapable: false },
  ],
  plugins: [gpio(), gptimer(), gdma(), asyncMemcpy(), spi()],
  caps: {
    asyncMemcpy: true,
    psram: true,
    // Kconfig.cache (components/esp_system/port/soc/esp32s3): data cache 32 KB, 8 ways, 32-byte lines by default
    // (ESP32S3_DATA_CACHE_LINE_SIZE 16/32/64); soc_caps.h SOC_CACHE_WRITEBACK_SUPPORTED
    cache: {
      lineBytes: 32,
      lineSizes: [16, 32, 64],
      sizeBytes: 0x8000,
      ways: 8,
      kinds: ['psram', 'flash'],
      writeBack: true,
    },
    gdma: {
      ahbPairs: 5,
      m2mPairMask: 0x1f,
      priorities: 6,
      etm: false,
      psramAccess: true,
      peripheralTriggers: { SPI2: 0, SPI3: 1 },
      freeM2mTriggerMask: 0x3ff,
      // GDMA_LL_AHB_BURST_SIZE_ADJUSTABLE: gdma_ll_*_set_burst_size takes 16/32/64 (SILICON.md)
      burstSizes: [16, 32, 64],
      timing: ESP32S3_GDMA_TIMING,
    },
    gpio: { pins: 49 },
    gptimer: { timers: 4, etm: false },
    spi: {
      hosts: ['SPI2', 'SPI3'],
      dma: 'gdma',
      sourceClockHz: 80_000_000,
      fifoBytes: 64,
      csPerHost: { SPI2: 6, SPI3: 3 },
      dmaMaxBytes: (1 << 18) / 8,
      driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32s3,
    },
    beyondSilicon: [],
    estimates: [
      'flash access cost',
      'GDMA timing without burst (noBurstFactor 1.25): the published figures are with burst 16',
      SPI_DRIVER_ESTIMATE,
    ],
  },
});
