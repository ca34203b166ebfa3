import { defineTarget } from '../core/target/target.js';
import { gpio } from '../plugins/gpio/index.js';
import { gptimer } from '../plugins/gptimer/index.js';
import { DMA_TIMING_ESTIMATE, sramTimingAt } from '../plugins/dma/engine/timing.js';
import { cpdma } from '../plugins/dma/cpdma/index.js';
import { asyncMemcpy } from '../plugins/async-memcpy/index.js';
import {
  CPU_COST_ESTIMATE,
  cpuCostFromCycles,
  SRAM_READ_CYCLES_PER_BYTE,
  SRAM_WRITE_CYCLES_PER_BYTE,
} from './common.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_ESTIMATE } from '../plugins/spi/index.js';

const CPU_HZ = 240_000_000;
const sram = cpuCostFromCycles(CPU_HZ, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE);

/** ESP32-S2 (Xtensa LX7, 240 MHz): async memcpy on the copy DMA (CP DMA), SRAM only; SPI DMA per controller. */
export const esp32s2 = defineTarget({
  name: 'esp32s2',
  description: 'ESP32-S2: single Xtensa LX7, CP DMA for async memcpy (SRAM only), SPI DMA per controller',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20, sharedBusPenaltyPsPerByte: 5_693 },
  memory: [
    {
      name: 'drom',
      kind: 'flash',
      base: 0x3f00_0000,
      size: 0x40_0000,
      dmaCapable: false,
      cpu: { readPsPerByte: 30_000, writePsPerByte: 0 },
    },
    { name: 'peripherals', kind: 'peripheral', base: 0x3f40_0000, size: 0x10_0000, dmaCapable: false },
    // Quad SPI PSRAM at 80 MHz (estimate: 1.5x the ESP32-S3's octal PSRAM cost). DMA-capable (SOC_PSRAM_DMA_CAPABLE:
    // the SPI DMA reaches it), but not by CP DMA, which is SRAM only.
    {
      name: 'psram',
      kind: 'psram',
      base: 0x3f50_0000,
      size: 0x20_0000,
      dmaCapable: true,
      cpu: { readPsPerByte: 34_834, writePsPerByte: 23_503 },
    },
    { name: 'dram', kind: 'sram', base: 0x3ffb_0000, size: 0x5_0000, dmaCapable: true, cpu: sram },
    { name: 'rom', kind: 'rom', base: 0x4000_0000, size: 0x2_0000, dmaCapable: false, cpu: sram },
  ],
  plugins: [gpio(), gptimer(), cpdma(), asyncMemcpy(), spi()],
  caps: {
    asyncMemcpy: true,
    psram: true,
    cpdma: { channels: 1, maxDescriptorBytes: 4095, timing: { ...sramTimingAt(80_000_000), noBurstFactor: 1 } },
    gpio: { pins: 47 },
    gptimer: { timers: 4, etm: false },
    spi: {
      hosts: ['SPI2', 'SPI3'],
      dma: 'spi-dma-per-host',
      sourceClockHz: 80_000_000,
      fifoBytes: 72,
      dmaPsram: true,
      csPerHost: { SPI2: 6, SPI3: 3 },
      dmaMaxBytes: (1 << 23) / 8,
      driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32s2,
    },
    beyondSilicon: [],
    estimates: [
      CPU_COST_ESTIMATE,
      'CP DMA interrupt bits: the GDMA layout of hal/esp32s3 gdma_ll.h stands in (cp_dma_ll.h not checked)',
      'psram and flash access costs',
      DMA_TIMING_ESTIMATE,
      SPI_DRIVER_ESTIMATE,
      'SPI DMA max transaction (1 << 23 bits) not checked against spi_ll.h',
    ],
  },
});
