/**
 * The kit's configuration: the built-in targets and the scenarios `soc-fabric run` knows.
 * Copy this file to start your own (`soc-fabric run --config my.config.ts`), importing from 'soc-fabric'.
 */
import { defineConfig } from './core/config/config.js';
import { extendTarget } from './core/target/target.js';
import { esp32, esp32s2, esp32s3, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4 } from './targets/index.js';
import { etm } from './plugins/etm/index.js';
import { C6_GPIO_ETM_CAPS } from './plugins/gpio/index.js';
import { C6_GPTIMER_ETM_IDS } from './plugins/gptimer/index.js';
import { C6_GDMA_ETM_IDS } from './plugins/dma/gdma/index.js';
import { cpuCopy } from './scenarios/cpu-copy.js';
import { etmTimerGpio } from './scenarios/etm-timer-gpio.js';
import { dmaVsCpuCopy } from './scenarios/dma-vs-cpu-copy.js';
import { etmDmaChain } from './scenarios/etm-dma-chain.js';
import { asyncMemcpyEofEvent } from './scenarios/async-memcpy-eof-event.js';
import { spiEtmChain } from './scenarios/spi-etm-chain.js';
import { dmaOrCpu } from './scenarios/dma-or-cpu.js';
import { fieldScenarioList } from './scenarios/field/index.js';
import { dmaVsCpuSweep } from './scenarios/dma-or-cpu-sweep.js';

/** A custom target: the ESP32-C3 given an ESP32-C6-style Event Task Matrix, which the C3 silicon does not have. */
export const esp32c3Etm = extendTarget(esp32c3, {
  name: 'esp32c3-etm',
  description: 'ESP32-C3 extended with an ETM matrix (50 channels), GPIO, GPTimer and GDMA ETM: beyond silicon',
  plugins: (base) => [...base, etm()],
  caps: {
    etm: { channels: 50, latencyCycles: 2, clockHz: 80_000_000 },
    gpio: { etm: C6_GPIO_ETM_CAPS },
    gptimer: { etm: true, etmIds: C6_GPTIMER_ETM_IDS },
    gdma: { etm: true, etmIds: C6_GDMA_ETM_IDS },
  },
  beyondSilicon: [
    'ETM matrix with 50 channels (the ESP32-C3 has no ETM)',
    'GPIO ETM (8 event / 8 task channels), GPTimer ETM and GDMA ETM (EOF events, START tasks), with the ESP32-C6 IDs',
  ],
});

/**
 * A custom target: the ESP32-C6 whose SPI2 offers an ETM task that starts the transaction prepared on it. The
 * task ID, 200, is outside the real ESP32-C6 table (soc_etm_source.h ends at 165; its register-level
 * SPI_TASK_TX_START, 145, has no driver support and is not this task).
 */
export const esp32c6SpiEtm = extendTarget(esp32c6, {
  name: 'esp32c6-spi-etm',
  description: 'ESP32-C6 whose SPI2 has an ETM "start transaction" task (ID 200): beyond silicon',
  caps: { spi: { etm: { startTaskIds: { SPI2: 200 } } } },
  beyondSilicon: [
    'SPI2 ETM task SPI2_TASK_START_TRANS (ID 200, outside the ESP32-C6 table): starts the DMA transaction prepared on SPI2',
  ],
});

export default defineConfig({
  targets: [esp32, esp32s2, esp32s3, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4, esp32c3Etm, esp32c6SpiEtm],
  scenarios: [
    cpuCopy,
    etmTimerGpio,
    etmDmaChain,
    asyncMemcpyEofEvent,
    dmaVsCpuCopy,
    spiEtmChain,
    dmaOrCpu,
    ...fieldScenarioList,
  ],
  sweeps: [dmaVsCpuSweep],
  defaultTarget: 'esp32s3',
  defaultScenario: 'etm-dma-chain',
});
