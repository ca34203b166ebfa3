/**
 * The kit's configuration: the built-in targets and the scenarios `soc-fabric run` knows.
 * Copy this file to start your own (`soc-fabric run --config my.config.ts`), importing from 'soc-fabric'.
 */
import { defineConfig } from './core/config/config.js';
import { esp32, esp32s2, esp32s3, esp32c3, esp32c6, esp32h2 } from './targets/index.js';
import { cpuCopy } from './scenarios/cpu-copy.js';
import { dmaVsCpuCopy } from './scenarios/dma-vs-cpu-copy.js';

export default defineConfig({
  targets: [esp32, esp32s2, esp32s3, esp32c3, esp32c6, esp32h2],
  scenarios: [cpuCopy, dmaVsCpuCopy],
  defaultTarget: 'esp32s3',
  defaultScenario: 'cpu-copy',
});
