import { defineTarget } from '../core/target/target.js';
import { etm, ETM_LATENCY_ESTIMATE } from '../plugins/etm/index.js';
import { gpio, C6_GPIO_ETM_CAPS } from '../plugins/gpio/index.js';
import { gptimer, P4_GPTIMER_ETM_IDS } from '../plugins/gptimer/index.js';
import { DMA_TIMING_ESTIMATE } from '../plugins/dma/engine/timing.js';
import { gdma, gdmaAxi, P4_AHB_GDMA_ETM_IDS, P4_AXI_GDMA_ETM_IDS } from '../plugins/dma/gdma/index.js';
import { asyncMemcpy } from '../plugins/async-memcpy/index.js';
import {
  CPU_COST_ESTIMATE,
  cpuCostFromCycles,
  psramCpuCost,
  psramGdmaTimingAt,
  SRAM_READ_CYCLES_PER_BYTE,
  SRAM_WRITE_CYCLES_PER_BYTE,
} from './common.js';
import { spi, IDF_SPI_DRIVER_CYCLES_BY_CHIP, SPI_DRIVER_BORROWED_ESTIMATE } from '../plugins/spi/index.js';

/** ESP_DEFAULT_CPU_FREQ_MHZ defaults to 360 (components/esp_system/port/soc/esp32p4/Kconfig.cpu). */
const CPU_HZ = 360_000_000;
const sram = cpuCostFromCycles(CPU_HZ, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE);
// Hex PSRAM, 16 bits DDR at 200 MHz: 5x the ESP32-S3's octal 8-bit DDR at 80 MHz in raw bandwidth (estimate)
const PSRAM = psramCpuCost(5);

/**
 * ESP32-P4 (dual RISC-V, 360 MHz), from components/soc/esp32p4/include/soc/soc_caps.h unless noted: two GDMAs,
 * AHB (SOC_AHB_GDMA_VERSION 2) and AXI, 3 pairs each (SOC_GDMA_PAIRS_PER_GROUP_MAX 3, SOC_GDMA_NUM_GROUPS_MAX 2),
 * both with ETM (SOC_GDMA_SUPPORT_ETM) and PSRAM reach (SOC_AXI_GDMA_SUPPORT_PSRAM; hal/gdma_ll.h
 * GDMA_LL_AHB_PSRAM_CAPABLE / GDMA_LL_AXI_PSRAM_CAPABLE); M2M-capable pairs AHB 0x06, AXI 0x07
 * (GDMA_LL_AHB/AXI_M2M_CAPABLE_PAIR_MASK, chip revision 3.0 on). A 50-channel ETM, GPIO ETM, 4 GPTimers
 * (SOC_TIMER_GROUPS 2 x SOC_TIMER_GROUP_TIMERS_PER_GROUP 2) with ETM, SPI2 and SPI3 on the AXI GDMA
 * (SOC_GDMA_TRIG_PERIPH_SPI2_BUS = SOC_GDMA_BUS_AXI), 55 GPIOs, PSRAM behind the cache. The 2D-DMA
 * (SOC_DMA2D_SUPPORTED) is a third engine that is not modelled.
 */
export const esp32p4 = defineTarget({
  name: 'esp32p4',
  description: 'ESP32-P4: RISC-V 360 MHz, 3 AHB + 3 AXI GDMA pairs, PSRAM reachable by DMA, ETM (50 channels)',
  cpu: { freqHz: CPU_HZ, memcpyCallCycles: 20, sharedBusPenaltyPsPerByte: PSRAM.sharedBusPenaltyPsPerByte },
  // soc/soc.h: flash at SOC_IROM_LOW 0x40000000 (16 MiB of the 64 MiB window), PSRAM at SOC_EXTRAM_LOW
  // 0x48000000 (32 MiB, a module's: an estimate), ROM 0x4FC00000 .. 0x4FC20000, HP L2MEM SOC_DRAM_LOW
  // 0x4FF00000 .. HIGH 0x4FFC0000 (768 KiB), peripherals 0x50000000 .. 0x50100000, LP RAM 0x50108000 .. 0x50110000
  memory: [
    {
      name: 'flash',
      kind: 'flash',
      base: 0x4000_0000,
      size: 0x100_0000,
      dmaCapable: false,
      cpu: cpuCostFromCycles(CPU_HZ, 6, 0),
    },
    {
      name: 'psram',
      kind: 'psram',
      base: 0x4800_0000,
      size: 0x200_0000,
      dmaCapable: true,
      bus: 'psram',
      cpu: PSRAM.cpu,
    },
    { name: 'rom', kind: 'rom', base: 0x4fc0_0000, size: 0x2_0000, dmaCapable: false, cpu: sram },
    { name: 'sram', kind: 'sram', base: 0x4ff0_0000, size: 0xc_0000, dmaCapable: true, cpu: sram },
    { name: 'peripherals', kind: 'peripheral', base: 0x5000_0000, size: 0x10_0000, dmaCapable: false },
    {
      name: 'lp_sram',
      kind: 'sram',
      base: 0x5010_8000,
      size: 0x8000,
      dmaCapable: false,
      cpu: cpuCostFromCycles(CPU_HZ, 1, 1),
    },
  ],
  plugins: [gpio(), gptimer(), gdma(), gdmaAxi(), asyncMemcpy(), etm(), spi()],
  caps: {
    asyncMemcpy: true,
    psram: true,
    // PSRAM sits behind the L2 cache (esp_cache.c takes the line of CACHE_LL_LEVEL_EXT_MEM): Kconfig.cache
    // (components/esp_system/port/soc/esp32p4) ESP32P4_L2_CACHE_SIZE 128 KB, ESP32P4_L2_CACHE_LINE_SIZE 64 (or 128).
    // The L1 cache in front of internal L2MEM (SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE) is not modelled.
    cache: {
      lineBytes: 64,
      lineSizes: [64, 128],
      sizeBytes: 0x20000,
      ways: 8,
      kinds: ['psram', 'flash'],
      writeBack: true,
    },
    gdma: {
      // hal/gdma_ll.h: GDMA_LL_CHANNEL_MAX_PRIORITY 5; hal/ahb_dma_ll.h: AHB_DMA_LL_M2M_FREE_PERIPH_ID_MASK 0xFAC2;
      // no SPI on the AHB GDMA (hal/gdma_channel.h: its AHB triggers are I3C, UHCI, I2S, ADC, RMT)
      ahbPairs: 3,
      m2mPairMask: 0x06,
      axiPairs: 3,
      axiM2mPairMask: 0x07,
      priorities: 6,
      etm: true,
      psramAccess: true,
      ahbVersion: 2,
      peripheralTriggers: {},
      freeM2mTriggerMask: 0xfac2,
      timing: psramGdmaTimingAt(90_000_000),
      etmIds: P4_AHB_GDMA_ETM_IDS,
      axi: {
        // hal/axi_dma_ll.h: AXI_DMA_LL_M2M_FREE_PERIPH_ID_MASK 0xFFC0; hal/gdma_channel.h: SPI2 1, SPI3 2 (AXI)
        freeM2mTriggerMask: 0xffc0,
        peripheralTriggers: { SPI2: 1, SPI3: 2 },
        psramAccess: true,
        etmIds: P4_AXI_GDMA_ETM_IDS,
        timing: psramGdmaTimingAt(180_000_000, 8),
      },
    },
    // ETM latency in APB cycles: APB_CLK_FREQ 90 MHz (soc/soc.h)
    etm: { channels: 50, latencyCycles: 2, clockHz: 90_000_000 },
    gpio: { pins: 55, etm: C6_GPIO_ETM_CAPS },
    gptimer: { timers: 4, etm: true, clockHz: 80_000_000, etmIds: P4_GPTIMER_ETM_IDS },
    spi: {
      // SOC_SPI_PERIPH_NUM 3; SOC_SPI_PERIPH_CS_NUM(i): 6 on SPI2, 3 on SPI3; SOC_SPI_MAXIMUM_BUFFER_SIZE 64
      hosts: ['SPI2', 'SPI3'],
      dma: 'gdma-axi',
      sourceClockHz: 80_000_000,
      fifoBytes: 64,
      csPerHost: { SPI2: 6, SPI3: 3 },
      dmaMaxBytes: (1 << 18) / 8,
      driverCycles: IDF_SPI_DRIVER_CYCLES_BY_CHIP.esp32c6,
    },
    beyondSilicon: [],
    estimates: [
      CPU_COST_ESTIMATE,
      ETM_LATENCY_ESTIMATE,
      DMA_TIMING_ESTIMATE,
      SPI_DRIVER_BORROWED_ESTIMATE,
      'GDMA bus clocks: AHB 90 MHz, AXI 180 MHz with 8-byte beats (assumed)',
      "PSRAM: 32 MiB hex PSRAM; CPU costs the ESP32-S3 octal PSRAM's divided by 5 (raw bandwidth ratio)",
      'the L1 cache in front of internal memory (SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE) not modelled: DMA sees internal memory as the CPU wrote it; the L2 cache in front of PSRAM is modelled with createSimulation({ cache: true })',
      'AHB M2M pair mask 0x06 is chip revision >= 3.0 (0x07 before)',
      'not modelled: the 2D-DMA (SOC_DMA2D_SUPPORTED) and the DW GDMA (SOC_DW_GDMA_SUPPORTED)',
      'GPTimer source clock 80 MHz (PLL_F80M assumed)',
      'SPI source clock 80 MHz assumed',
      'SPI DMA max transaction (1 << 18 bits) taken from the ESP32-C6',
      'L2 cache associativity (8 ways)',
    ],
  },
});
