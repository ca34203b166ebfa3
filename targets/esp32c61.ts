import { defineTarget } from '../core/target/target.js';
import { etm, ETM_LATENCY_ESTIMATE } from '../plugins/etm/index.js';
import { gpio, C6_GPIO_ETM_CAPS } from '../plugins/gpio/index.js';
import { gptimer, C61_GPTIMER_ETM_IDS } from '../plugins/gptimer/index.js';
import { DMA_TIMING_ESTIMATE } from '../plugins/dma/engine/timing.js';
import { gdma, C61_GDMA_ETM_IDS } from '../plugins/dma/gdma/index.js';
import { asyncMemcpy } from '../plugins/async-memcpy/index.js';
import { CPU_COST_ESTIMATE, psramCpuCost, psramGdmaTimingAt } from './common.js';
import { hpSramMap } from './riscv.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_BORROWED_ESTIMATE } from '../plugins/spi/index.js';

/** 160 MHz: the default CPU clock assumed (the C61's Kconfig.cpu was not available; listed in caps.estimates). */
const CPU_HZ = 160_000_000;
const PSRAM = psramCpuCost(1 / 1.5);

/**
 * ESP32-C61 (RISC-V, 160 MHz), from components/soc/esp32c61/include/soc/soc_caps.h unless noted: AHB GDMA v2
 * with only 2 pairs (SOC_GDMA_PAIRS_PER_GROUP_MAX 2, GDMA_LL_AHB_PAIRS_PER_GROUP 2), so async memcpy and SPI
 * compete for them; GDMA ETM, a 50-channel ETM, GPIO ETM, 2 GPTimers with ETM, SPI2, 25 GPIOs, PSRAM.
 */
export const esp32c61 = defineTarget({
  name: 'esp32c61',
  description: 'ESP32-C61: RISC-V 160 MHz, 2 AHB GDMA pairs (v2), PSRAM reachable by DMA, ETM (50 channels)',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20, sharedBusPenaltyPsPerByte: PSRAM.sharedBusPenaltyPsPerByte },
  // soc/soc.h: SOC_DRAM_LOW 0x40800000 .. HIGH 0x40850000 (320 KiB), ROM 0x40000000 .. 0x40040000; no LP SRAM
  memory: hpSramMap(CPU_HZ, {
    sram: 0x5_0000,
    rom: 0x4_0000,
    psram: { size: 0x80_0000, dmaCapable: true, cpu: PSRAM.cpu },
  }),
  plugins: [gpio(), gptimer(), gdma(), asyncMemcpy(), etm(), spi()],
  caps: {
    asyncMemcpy: true,
    psram: true,
    gdma: {
      // hal/ahb_dma_ll.h: 2 pairs, priorities 0..5, AHB_DMA_LL_M2M_FREE_PERIPH_ID_MASK 0xFC31, "AHB-DMA can access
      // SRAM, ROM, MSPI Flash, MSPI PSRAM"
      ahbPairs: 2,
      m2mPairMask: 0x03,
      priorities: 6,
      etm: true,
      psramAccess: true,
      ahbVersion: 2,
      // soc/gdma_channel.h: SOC_GDMA_TRIG_PERIPH_SPI2 1
      peripheralTriggers: { SPI2: 1 },
      freeM2mTriggerMask: 0xfc31,
      timing: psramGdmaTimingAt(80_000_000),
      etmIds: C61_GDMA_ETM_IDS,
    },
    // APB_CLK_FREQ 40 MHz (soc/soc.h)
    etm: { channels: 50, latencyCycles: 2, clockHz: 40_000_000 },
    gpio: { pins: 25, etm: C6_GPIO_ETM_CAPS },
    gptimer: { timers: 2, etm: true, clockHz: 80_000_000, etmIds: C61_GPTIMER_ETM_IDS },
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
    estimates: [
      CPU_COST_ESTIMATE,
      "GDMA interrupt bits: the ESP32-C6/P4 gdma_ll.h layout assumed (this chip's ll header not checked)",
      ETM_LATENCY_ESTIMATE,
      DMA_TIMING_ESTIMATE,
      SPI_DRIVER_BORROWED_ESTIMATE,
      'CPU clock 160 MHz assumed (Kconfig.cpu not checked)',
      'GDMA bus clock 80 MHz assumed',
      "PSRAM: 8 MiB at 0x43000000 in the flash/PSRAM MMU window; CPU costs 1.5x the ESP32-S3 octal PSRAM's",
      'GPTimer source clock 80 MHz (PLL_F80M assumed)',
      'SPI source clock 80 MHz assumed',
      'SPI DMA max transaction (1 << 18 bits) taken from the ESP32-C6',
      'not modelled: the PSRAM burst-size cap of gdma_config_transfer (GDMA_LL_MAX_BURST_SIZE_PSRAM)',
    ],
  },
});
