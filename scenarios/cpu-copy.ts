import type { Scenario } from '../core/config/config.js';
import type { AllocCap } from '../core/memory/memory.js';
import { formatTime } from '../core/time.js';

const SIZE = 100 * 1024;

/** The CPU's own memcpy of 100 KB in every direction the target has, with throughput in MB/s. */
export const cpuCopy: Scenario = {
  name: 'cpu-copy',
  description: 'CPU memcpy of 100 KB buffers between SRAM and PSRAM (where present), timed in simulated time',
  target: 'esp32s3',
  setup(sim, ctx) {
    const kinds: [string, AllocCap[]][] = [['SRAM', ['internal']]];
    if (sim.target.caps.psram) kinds.push(['PSRAM', ['spiram']]);
    sim.spawn('cpu-copy', async () => {
      for (const [srcName, srcCaps] of kinds) {
        for (const [dstName, dstCaps] of kinds) {
          const src = sim.memory.alloc(SIZE, { caps: srcCaps, align: 32 });
          const dst = sim.memory.alloc(SIZE, { caps: dstCaps, align: 32 });
          const pattern = new Uint8Array(SIZE).map((_, i) => (i * 7 + 3) & 0xff);
          sim.memory.write(src, pattern);
          const t0 = sim.now;
          await sim.cpu.memcpy(dst, src, SIZE);
          const took = sim.now - t0;
          const ok = sim.memory.read(dst, SIZE).every((b, i) => b === pattern[i]);
          ctx.log(
            `${srcName} -> ${dstName}: ${SIZE} B in ${formatTime(took)} = ${(SIZE / (took / 1e12) / 1e6).toFixed(2)} MB/s${ok ? '' : ' (DATA MISMATCH)'}`,
          );
          sim.memory.free(src);
          sim.memory.free(dst);
        }
      }
    });
  },
};
