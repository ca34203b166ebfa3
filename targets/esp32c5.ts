import { defineTarget } from '../core/target/target.js';
import { etm, ETM_LATENCY_ESTIMATE } from '../plugins/etm/index.js';
import { gpio, C6_GPIO_ETM_CAPS } from '../plugins/gpio/index.js';
import { gptimer, C5_GPTIMER_ETM_IDS } from '../plugins/gptimer/index.js';
import { DMA_TIMING_ESTIMATE } from '../plugins/dma/engine/timing.js';
import { gdma, C5_GDMA_ETM_IDS } from '../plugins/dma/gdma/index.js';
import { asyncMemcpy } from '../plugins/async-memcpy/index.js';
import { CPU_COST_ESTIMATE, psramCpuCost, psramGdmaTimingAt } from './common.js';
import { hpSramMap } from './riscv.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_BORROWED_ESTIMATE } from '../plugins/spi/index.js';

/** ESP_DEFAULT_CPU_FREQ_MHZ defaults to 240 (components/esp_system/port/soc/esp32c5/Kconfig.cpu). */
const CPU_HZ = 240_000_000;
// Quad PSRAM: costed like the ESP32-S2's quad PSRAM, 1.5x the ESP32-S3's octal PSRAM costs (estimate)
const PSRAM = psramCpuCost(1 / 1.5);

/**
 * ESP32-C5 (RISC-V, 240 MHz), from components/soc/esp32c5/include/soc/soc_caps.h unless noted: AHB GDMA v2
 * (SOC_AHB_GDMA_VERSION 2) with 3 pairs (SOC_GDMA_PAIRS_PER_GROUP_MAX 3), GDMA ETM (SOC_GDMA_SUPPORT_ETM), a
 * 50-channel ETM (SOC_ETM_CHANNELS_PER_GROUP 50), GPIO ETM, 2 GPTimers (SOC_TIMER_GROUPS 2 x 1) with ETM, SPI2
 * (SOC_SPI_PERIPH_NUM 2: SPI1 is flash), 29 GPIOs, PSRAM (SOC_SPIRAM_SUPPORTED) the AHB GDMA reaches.
 */
export const esp32c5 = defineTarget({
  name: 'esp32c5',
  description: 'ESP32-C5: RISC-V 240 MHz, 3 AHB GDMA pairs (v2), PSRAM reachable by DMA, ETM (50 channels)',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20, sharedBusPenaltyPsPerByte: PSRAM.sharedBusPenaltyPsPerByte },
  // soc/soc.h: SOC_DRAM_LOW 0x40800000 .. HIGH 0x40860000 (384 KiB), ROM 0x40000000 .. 0x40050000, LP RAM
  // 0x50000000 .. 0x50004000; PSRAM size 8 MiB (a module's, an estimate)
  memory: hpSramMap(CPU_HZ, {
    sram: 0x6_0000,
    rom: 0x5_0000,
    lpSram: 0x4000,
    psram: { size: 0x80_0000, dmaCapable: true, cpu: PSRAM.cpu },
  }),
  plugins: [gpio(), gptimer(), gdma(), asyncMemcpy(), etm(), spi()],
  caps: {
    asyncMemcpy: true,
    psram: true,
    gdma: {
      // hal/ahb_dma_ll.h: GDMA_LL_AHB_PAIRS_PER_GROUP 3, GDMA_LL_CHANNEL_MAX_PRIORITY 5, M2M IDs
      // AHB_DMA_LL_M2M_FREE_PERIPH_ID_MASK 0x1C00; no GDMA_LL_AHB_M2M_CAPABLE_PAIR_MASK, so every pair does M2M;
      // ahb_dma_ll_set_default_memory_range: "AHB-DMA can access SRAM, ROM, MSPI Flash, MSPI PSRAM"
      ahbPairs: 3,
      m2mPairMask: 0x07,
      priorities: 6,
      etm: true,
      psramAccess: true,
      ahbVersion: 2,
      // soc/gdma_channel.h: SOC_GDMA_TRIG_PERIPH_SPI2 0
      peripheralTriggers: { SPI2: 0 },
      freeM2mTriggerMask: 0x1c00,
      timing: psramGdmaTimingAt(80_000_000),
      etmIds: C5_GDMA_ETM_IDS,
    },
    // ETM latency counted in APB cycles: APB_CLK_FREQ 40 MHz (soc/soc.h)
    etm: { channels: 50, latencyCycles: 2, clockHz: 40_000_000 },
    gpio: { pins: 29, etm: C6_GPIO_ETM_CAPS },
    gptimer: { timers: 2, etm: true, clockHz: 80_000_000, etmIds: C5_GPTIMER_ETM_IDS },
    spi: {
      // SOC_SPI_PERIPH_CS_NUM 6, SOC_SPI_MAXIMUM_BUFFER_SIZE 64
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
      'GDMA bus clock 80 MHz assumed',
      "PSRAM: 8 MiB at 0x43000000 in the flash/PSRAM MMU window; CPU costs 1.5x the ESP32-S3 octal PSRAM's",
      'GPTimer source clock 80 MHz (PLL_F80M assumed)',
      'SPI source clock 80 MHz assumed (SOC_SPI_SUPPORT_CLK_PLL_F160M: 160 MHz may be the default)',
      'SPI DMA max transaction (1 << 18 bits) taken from the ESP32-C6',
      'not modelled: GDMA weighted arbitration (SOC_GDMA_SUPPORT_WEIGHTED_ARBITRATION; off unless CONFIG_GDMA_ENABLE_WEIGHTED_ARBITRATION)',
      'not modelled: the PSRAM burst-size cap of gdma_config_transfer (GDMA_LL_MAX_BURST_SIZE_PSRAM)',
    ],
  },
});
