import type { SweepMetrics } from '../core/config/sweep.js';
import { defineSweep } from '../sweep/define.js';
import type { SweepRecord } from '../sweep/record.js';
import { esp32, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4, esp32s2, esp32s3 } from '../targets/index.js';
import { MEMCPY_SIZES, memcpySweep, SPI_SIZES, spiSweep, type SweepPoint, type TargetSweep } from './dma-or-cpu.js';

/** CPU work done alongside each transfer, in cycles. */
export const DMA_VS_CPU_WORK_CYCLES = 10_000;
/** SCLK of the SPI points. */
export const DMA_VS_CPU_SPI_CLOCK_HZ = 20_000_000;

/**
 * The DMA-or-CPU experiment as a sweep: one point per target, transfer (memcpy or SPI) and size, each on a fresh
 * simulation. Memcpy points exist only on targets with async memcpy; SPI points only up to 32 KiB (SPI_SIZES).
 * `soc-fabric experiment dma-vs-cpu` runs it and prints its tables and chart.
 */
export const dmaVsCpuSweep = defineSweep({
  name: 'dma-vs-cpu',
  description:
    'time until a transfer and 10,000 CPU cycles of work are both done: CPU-blocking vs DMA, memcpy and SPI, per target and size',
  params: {
    // the built-in targets, in sim.config.ts's order (experiment dma-vs-cpu replaces them with those it runs on)
    target: [esp32, esp32s2, esp32s3, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4].map((t) => t.name),
    transfer: ['memcpy', 'spi'],
    size: [...new Set([...MEMCPY_SIZES, ...SPI_SIZES])].sort((a, b) => a - b),
  },
  filter(p, { config }) {
    if (p.transfer === 'spi') return SPI_SIZES.includes(p.size);
    return MEMCPY_SIZES.includes(p.size) && !!config.targets.find((t) => t.name === p.target)?.caps.asyncMemcpy;
  },
  axes: { x: 'size', y: 'speedup', series: ['target', 'transfer'], logX: true, logY: true },
  async run(sim, p): Promise<SweepMetrics> {
    let point: SweepPoint | undefined;
    if (p.transfer === 'memcpy') {
      point = (await memcpySweep(sim, [p.size], DMA_VS_CPU_WORK_CYCLES))?.[0];
      if (!point) throw new Error(`target "${sim.target.name}" has no async memcpy`);
    } else if (p.transfer === 'spi') {
      // the DMA bus sized for the largest SPI size, as one target's whole sweep sizes it
      point = (
        await spiSweep(sim, [p.size], DMA_VS_CPU_WORK_CYCLES, DMA_VS_CPU_SPI_CLOCK_HZ, Math.max(...SPI_SIZES))
      )[0]!;
    } else {
      throw new Error(`transfer "${p.transfer}": expected memcpy or spi`);
    }
    return { blockingPs: point.blockingPs, dmaPs: point.dmaPs, speedup: point.blockingPs / point.dmaPs };
  },
});

/**
 * The sweep's results as one TargetSweep per target, in the order of `targets`: what the experiment's tables and
 * chart take. A target without memcpy points has `memcpy` undefined.
 */
export function targetSweepsOf(records: readonly SweepRecord[], targets: readonly string[]): TargetSweep[] {
  const pointsOf = (target: string, transfer: string): SweepPoint[] =>
    records
      .filter((r) => r.params['target'] === target && r.params['transfer'] === transfer && r.metrics)
      .map((r) => ({
        size: Number(r.params['size']),
        blockingPs: Number(r.metrics!['blockingPs']),
        dmaPs: Number(r.metrics!['dmaPs']),
      }))
      .sort((a, b) => a.size - b.size);
  return targets.map((target) => {
    const memcpy = pointsOf(target, 'memcpy');
    return {
      target,
      workCycles: DMA_VS_CPU_WORK_CYCLES,
      memcpy: memcpy.length > 0 ? memcpy : undefined,
      spi: pointsOf(target, 'spi'),
    };
  });
}
