import { defineTarget } from '../core/target/target.js';
import { gpio } from '../plugins/gpio/index.js';
import { gptimer } from '../plugins/gptimer/index.js';
import { DMA_TIMING_ESTIMATE, sramTimingAt } from '../plugins/dma/engine/timing.js';
import { gdma } from '../plugins/dma/gdma/index.js';
import { asyncMemcpy } from '../plugins/async-memcpy/index.js';
import {
  CPU_COST_ESTIMATE,
  cpuCostFromCycles,
  SRAM_READ_CYCLES_PER_BYTE,
  SRAM_WRITE_CYCLES_PER_BYTE,
} from './common.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_ESTIMATE } from '../plugins/spi/index.js';

const CPU_HZ = 160_000_000;
const sram = cpuCostFromCycles(CPU_HZ, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE);

/** ESP32-C3 (RISC-V, 160 MHz): 3 AHB GDMA pairs, no PSRAM, no ETM. */
export const esp32c3 = defineTarget({
  name: 'esp32c3',
  description: 'ESP32-C3: RISC-V 160 MHz, 3 AHB GDMA pairs, no PSRAM, no ETM',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20 },
  memory: [
    {
      name: 'drom',
      kind: 'flash',
      base: 0x3c00_0000,
      size: 0x80_0000,
      dmaCapable: false,
      cpu: cpuCostFromCycles(CPU_HZ, 6, 0),
    },
    { name: 'sram', kind: 'sram', base: 0x3fc8_0000, size: 0x6_0000, dmaCapable: true, cpu: sram },
    { name: 'rom', kind: 'rom', base: 0x4000_0000, size: 0x6_0000, dmaCapable: false, cpu: sram },
    { name: 'peripherals', kind: 'peripheral', base: 0x6000_0000, size: 0xd_1000, dmaCapable: false },
  ],
  plugins: [gpio(), gptimer(), gdma(), asyncMemcpy(), spi()],
  caps: {
    asyncMemcpy: true,
    psram: false,
    gdma: {
      ahbPairs: 3,
      m2mPairMask: 0x07,
      priorities: 6,
      etm: false,
      psramAccess: false,
      peripheralTriggers: { SPI2: 0 },
      freeM2mTriggerMask: 0x1cd,
      timing: sramTimingAt(80_000_000),
      // hal/esp32c3/include/hal/gdma_ll.h: GDMA_LL_RX_EVENT_MASK 0x06A7, GDMA_LL_TX_EVENT_MASK 0x1958 in dev->intr[channel]
      sharedInterruptRegister: true,
    },
    gpio: { pins: 22 },
    gptimer: { timers: 2, etm: false },
    spi: {
      hosts: ['SPI2'],
      dma: 'gdma',
      sourceClockHz: 80_000_000,
      fifoBytes: 64,
      csPerHost: { SPI2: 6 },
      dmaMaxBytes: (1 << 18) / 8,
      driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32c3,
    },
    beyondSilicon: [],
    estimates: [CPU_COST_ESTIMATE, DMA_TIMING_ESTIMATE, SPI_DRIVER_ESTIMATE],
  },
});
