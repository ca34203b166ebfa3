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

const CPU_HZ = 96_000_000;

/** ESP32-H2 (RISC-V, 96 MHz): 3 AHB GDMA pairs with ETM, a 50-channel ETM, GPIO and GPTimer ETM. */
export const esp32h2 = defineTarget({
  name: 'esp32h2',
  description: 'ESP32-H2: RISC-V 96 MHz, 3 AHB GDMA pairs, ETM (50 channels)',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20 },
  memory: hpSramMap(CPU_HZ, { sram: 0x5_0000, lpSram: 0x1000, rom: 0x2_0000 }),
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
      timing: sramTimingAt(48_000_000),
      etmIds: C6_GDMA_ETM_IDS,
    },
    etm: { channels: 50, latencyCycles: 2, clockHz: 32_000_000 },
    gpio: { pins: 28, etm: C6_GPIO_ETM_CAPS },
    gptimer: { timers: 2, etm: true, clockHz: 48_000_000, etmIds: C6_GPTIMER_ETM_IDS },
    spi: {
      hosts: ['SPI2'],
      dma: 'gdma',
      sourceClockHz: 48_000_000,
      fifoBytes: 64,
      csPerHost: { SPI2: 6 },
      dmaMaxBytes: (1 << 18) / 8,
      driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32h2,
    },
    beyondSilicon: [],
    estimates: [
      CPU_COST_ESTIMATE,
      "GDMA interrupt bits: the ESP32-C6/P4 gdma_ll.h layout assumed (this chip's ll header not checked)",
      ETM_LATENCY_ESTIMATE,
      'ETM IDs: the ESP32-C6 table (H2 soc_etm_source.h not checked)',
      'GPTimer source clock 48 MHz (PLL_F48M assumed)',
      'APB clock 32 MHz assumed',
      DMA_TIMING_ESTIMATE,
      "GDMA ETM IDs: taken to be the ESP32-C6's (141/153/159/162 + channel)",
      SPI_DRIVER_ESTIMATE,
      'SPI source clock 48 MHz (PLL_F48M assumed)',
    ],
  },
});
