import type { Scenario } from '../core/config/config.js';
import type { AllocCap } from '../core/memory/memory.js';
import type { Simulation } from '../core/simulation.js';
import { AsyncMemcpy, type AsyncMemcpyConfig } from '../plugins/async-memcpy/index.js';
import { ASYNC_MEMCPY_CALL_CYCLES, ASYNC_MEMCPY_ISR_CYCLES } from './dma-or-cpu.js';

const SIZE = 100 * 1024;

/**
 * SILICON.md's ESP32-S3 table (project-x51/esp32-s3-memorycopy, main/main.cpp, ESP-IDF 5.1.1, 240 MHz, 100 KiB,
 * 32-byte aligned): async memcpy and CPU memcpy in MiB/s (its "MB/s" is size / (1024*1024*seconds)).
 */
export const ESP32S3_COPY_TABLE: Record<string, { dma: number; cpu: number }> = {
  'SRAM -> SRAM': { dma: 56.85, cpu: 362.48 },
  'SRAM -> PSRAM': { dma: 49.0, cpu: 56.71 },
  'PSRAM -> SRAM': { dma: 51.06, cpu: 38.59 },
  'PSRAM -> PSRAM': { dma: 26.16, cpu: 22.34 },
};

export interface CopyRates {
  direction: string;
  /** MiB/s (2^20 bytes per second), as the benchmark prints them. */
  dmaMiBps: number;
  cpuMiBps: number;
  ok: boolean;
}

const MIB = 1024 * 1024;

/**
 * Times a 100 KiB copy (32-byte aligned, default async memcpy config) in each direction the target's DMA can
 * do, by async memcpy and by the CPU, in MiB/s. The DMA figure runs, as the benchmark's does, from the
 * esp_async_memcpy call (its CPU cost, ASYNC_MEMCPY_CALL_CYCLES) to the task woken by the callback
 * (ASYNC_MEMCPY_ISR_CYCLES after the EOF). Run it from a task.
 */
export async function measureCopyRates(
  sim: Simulation,
  size = SIZE,
  config: AsyncMemcpyConfig = {},
): Promise<CopyRates[]> {
  const kinds: [string, AllocCap[]][] = [['SRAM', ['internal', 'dma']]];
  if (sim.target.caps.psram && sim.target.caps.gdma?.psramAccess) kinds.push(['PSRAM', ['spiram']]);
  const drv = sim.get(AsyncMemcpy).install(config);
  const out: CopyRates[] = [];
  const pattern = Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) & 0xff);
  for (const [srcName, srcCaps] of kinds) {
    for (const [dstName, dstCaps] of kinds) {
      const src = sim.memory.alloc(size, { caps: srcCaps, align: 32 });
      const dst = sim.memory.alloc(size, { caps: dstCaps, align: 32 });
      sim.memory.write(src, pattern);
      let t0 = sim.now;
      await sim.cpu.work(ASYNC_MEMCPY_CALL_CYCLES);
      await drv.memcpy(dst, src, size);
      await sim.cpu.work(ASYNC_MEMCPY_ISR_CYCLES);
      const dmaPs = sim.now - t0;
      let ok = sim.memory.read(dst, size).every((b, i) => b === pattern[i]);
      sim.memory.write(dst, new Uint8Array(size));
      t0 = sim.now;
      await sim.cpu.memcpy(dst, src, size);
      const cpuPs = sim.now - t0;
      ok &&= sim.memory.read(dst, size).every((b, i) => b === pattern[i]);
      out.push({
        direction: `${srcName} -> ${dstName}`,
        dmaMiBps: size / (dmaPs / 1e12) / MIB,
        cpuMiBps: size / (cpuPs / 1e12) / MIB,
        ok,
      });
      sim.memory.free(src);
      sim.memory.free(dst);
    }
  }
  drv.uninstall();
  return out;
}

/** async memcpy against the CPU's memcpy, 100 KiB in every direction, next to the published ESP32-S3 figures. */
export const dmaVsCpuCopy: Scenario = {
  name: 'dma-vs-cpu-copy',
  description: 'async memcpy vs CPU memcpy of 100 KiB buffers (SRAM/PSRAM), with the published ESP32-S3 figures',
  target: 'esp32s3',
  targets: ['esp32s2', 'esp32s3', 'esp32c3', 'esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4'],
  setup(sim, ctx) {
    sim.spawn('dma-vs-cpu-copy', async () => {
      const rows = await measureCopyRates(sim);
      const published = sim.target.name === 'esp32s3';
      ctx.log(
        `direction        async memcpy MiB/s ${published ? '(published)' : '           '}   CPU memcpy MiB/s ${published ? '(published)' : ''}`,
      );
      for (const r of rows) {
        const ref = published ? ESP32S3_COPY_TABLE[r.direction] : undefined;
        const dmaRef = ref ? `(${ref.dma.toFixed(2)})` : '';
        const cpuRef = ref ? `(${ref.cpu.toFixed(2)})` : '';
        ctx.log(
          `${r.direction.padEnd(16)} ${r.dmaMiBps.toFixed(2).padStart(8)} ${dmaRef.padEnd(10)}          ${r.cpuMiBps.toFixed(2).padStart(8)} ${cpuRef}${r.ok ? '' : '  DATA MISMATCH'}`,
        );
      }
      if (!published)
        ctx.log(
          `${sim.target.name}: no published figures; DMA and CPU costs are estimates scaled by clock (see caps.estimates)`,
        );
    });
  },
};
