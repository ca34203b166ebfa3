import { defineTarget } from '../core/target/target.js';
import { etm, ETM_LATENCY_ESTIMATE } from '../plugins/etm/index.js';
import { gpio, C6_GPIO_ETM_CAPS } from '../plugins/gpio/index.js';
import { gptimer, C6_GPTIMER_ETM_IDS } from '../plugins/gptimer/index.js';
import { DMA_TIMING_ESTIMATE, sramTimingAt } from '../plugins/dma/engine/timing.js';
import { gdma, C6_GDMA_ETM_IDS } from '../plugins/dma/gdma/index.js';
import { asyncMemcpy } from '../plugins/async-memcpy/index.js';
import { CPU_COST_ESTIMATE } from './common.js';
import { hpSramMap } from './riscv.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_ESTIMATE } from '../plugins/spi/index.js';

const CPU_HZ = 160_000_000;

/** ESP32-C6 (RISC-V, 160 MHz): 3 AHB GDMA pairs with ETM, a 50-channel ETM, GPIO and GPTimer ETM. */
export const esp32c6 = defineTarget({
  name: 'esp32c6',
  description: 'ESP32-C6: RISC-V 160 MHz, 3 AHB GDMA pairs, ETM (50 channels)',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20 },
  memory: hpSramMap(CPU_HZ, { sram: 0x8_0000, lpSram: 0x4000, rom: 0x5_0000 }),
  plugins: [gpio(), gptimer(), gdma(), asyncMemcpy(), etm(), spi()],
  caps: {
    asyncMemcpy: true,
    psram: false,
    gdma: {
      ahbPairs: 3,
      m2mPairMask: 0x07,
      priorities: 6,
      etm: true,
      psramAccess: false,
      peripheralTriggers: { SPI2: 0 },
      freeM2mTriggerMask: 0xfc32,
      timing: sramTimingAt(80_000_000),
      etmIds: C6_GDMA_ETM_IDS,
    },
    etm: { channels: 50, latencyCycles: 2, clockHz: 40_000_000 },
    gpio: { pins: 31, etm: C6_GPIO_ETM_CAPS },
    gptimer: { timers: 2, etm: true, clockHz: 80_000_000, etmIds: C6_GPTIMER_ETM_IDS },
    spi: {
      hosts: ['SPI2'],
      dma: 'gdma',
      sourceClockHz: 80_000_000,
      fifoBytes: 64,
      csPerHost: { SPI2: 6 },
      dmaMaxBytes: (1 << 18) / 8,
      driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32c6,
    },
    beyondSilicon: [],
    estimates: [CPU_COST_ESTIMATE, ETM_LATENCY_ESTIMATE, DMA_TIMING_ESTIMATE, SPI_DRIVER_ESTIMATE],
  },
});
