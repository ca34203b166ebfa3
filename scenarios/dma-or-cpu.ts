import type { Scenario } from '../core/config/config.js';
import { assembleSimulation, type Simulation } from '../core/simulation.js';
import type { TargetDefinition } from '../core/target/target.js';
import { formatTime } from '../core/time.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Spi } from '../plugins/spi/index.js';
import { esp32, esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4, esp32s2, esp32s3 } from '../targets/index.js';

/** One size of a sweep: how long until both the transfer and the CPU's other work are done, each way. */
export interface SweepPoint {
  size: number;
  /** The CPU does the transfer itself (CPU memcpy; polling SPI through the FIFO), then the work. */
  blockingPs: number;
  /** The CPU sets up a DMA transfer, does the work while it runs, then takes the completion. */
  dmaPs: number;
}

/**
 * The crossover: the smallest swept size at which the DMA way finishes first, or undefined when it never
 * does. Points need not be sorted. (A later chart draws the sweep; this is the number it marks.)
 */
export function crossoverSize(points: readonly SweepPoint[]): number | undefined {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  return sorted.find((p) => p.dmaPs < p.blockingPs)?.size;
}

/** The runs of consecutive swept sizes where DMA finishes first, as [first, last] pairs. */
export function dmaWinRanges(points: readonly SweepPoint[]): [number, number][] {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const out: [number, number][] = [];
  for (const p of sorted) {
    if (!(p.dmaPs < p.blockingPs)) continue;
    const last = out[out.length - 1];
    const prev = sorted[sorted.indexOf(p) - 1];
    if (last && prev && last[1] === prev.size) last[1] = p.size;
    else out.push([p.size, p.size]);
  }
  return out;
}

/** What the DMA-or-CPU sweep measures: sizes, parallel CPU work, SPI clock. */
export interface SweepOptions {
  /** CPU work to get done alongside the transfer, in cycles (default 10,000). */
  workCycles?: number;
  memcpySizes?: readonly number[];
  spiSizes?: readonly number[];
  /** SCLK of the SPI sweep (default 20 MHz). */
  spiClockHz?: number;
}

/** One target's sweep: times per size for each method, and the crossover sizes. */
export interface TargetSweep {
  target: string;
  workCycles: number;
  /** Undefined where the target has no async memcpy. */
  memcpy: SweepPoint[] | undefined;
  spi: SweepPoint[];
}

/**
 * The async memcpy driver charges no CPU time, so the experiment charges esp_async_memcpy's own costs (an
 * estimate: the call with its descriptor set-up, and the EOF interrupt that runs the callback).
 */
export const ASYNC_MEMCPY_CALL_CYCLES = 400;
export const ASYNC_MEMCPY_ISR_CYCLES = 300;

export const MEMCPY_SIZES = [16, 64, 256, 1024, 2048, 4096, 8192, 16_384, 32_768, 65_536];
/** SPI sizes stop at 32 KiB: the largest DMA transaction of the GDMA targets (SPI_LL_DMA_MAX_BIT_LEN = 2^18 bits). */
export const SPI_SIZES = [16, 64, 256, 1024, 4096, 16_384, 32_768];

async function until(sim: Simulation, body: () => Promise<void>): Promise<void> {
  const t = sim.spawn('sweep', body);
  await sim.run();
  await t.done;
}

/** Source and destination buffers of `max` bytes (the source filled with a pattern), DMA-capable, internal. */
function buffers(sim: Simulation, max: number): { src: number; dst: number; free(): void } {
  const src = sim.memory.alloc(max, { caps: ['dma', 'internal'] });
  const dst = sim.memory.alloc(max, { caps: ['dma', 'internal'] });
  sim.memory.write(
    src,
    Uint8Array.from({ length: max }, (_, i) => i & 0xff),
  );
  return {
    src,
    dst,
    free: () => {
      sim.memory.free(src);
      sim.memory.free(dst);
    },
  };
}

/**
 * The memcpy sweep on `sim`: per size, a CPU memcpy then the work, against esp_async_memcpy with the work in
 * parallel. Undefined when the target has no async memcpy.
 */
export async function memcpySweep(
  sim: Simulation,
  sizes: readonly number[],
  workCycles = 10_000,
): Promise<SweepPoint[] | undefined> {
  if (!sim.target.caps.asyncMemcpy) return undefined;
  const { src, dst, free } = buffers(sim, Math.max(...sizes));
  const drv = sim.get(AsyncMemcpy).install();
  const out: SweepPoint[] = [];
  for (const size of sizes) {
    let blockingPs = 0;
    let dmaPs = 0;
    await until(sim, async () => {
      let t0 = sim.now;
      await sim.cpu.memcpy(dst, src, size);
      await sim.cpu.work(workCycles);
      blockingPs = sim.now - t0;
      t0 = sim.now;
      await sim.cpu.work(ASYNC_MEMCPY_CALL_CYCLES);
      const copy = drv.memcpy(dst, src, size).then(() => sim.cpu.work(ASYNC_MEMCPY_ISR_CYCLES));
      await Promise.all([copy, sim.cpu.work(workCycles)]);
      dmaPs = sim.now - t0;
    });
    out.push({ size, blockingPs, dmaPs });
  }
  drv.uninstall();
  free();
  return out;
}

/**
 * The SPI sweep on `sim` (SPI2, loopback): per size, polling transactions through the FIFO then the work, against
 * one queued DMA transaction with the work in parallel. The DMA bus is sized for `maxSize` (default: the largest).
 */
export async function spiSweep(
  sim: Simulation,
  sizes: readonly number[],
  workCycles = 10_000,
  clockHz = 20_000_000,
  maxSize = Math.max(...sizes),
): Promise<SweepPoint[]> {
  const { src, dst, free } = buffers(sim, maxSize);
  const spi = sim.get(Spi);
  const points: SweepPoint[] = sizes.map((size) => ({ size, blockingPs: 0, dmaPs: 0 }));
  // blocking: polling transactions through the 64-byte FIFO, chunk after chunk (what a CPU-driven transfer does)
  let bus = spi.busInitialize('SPI2', { dma: 'disabled', loopback: true });
  let dev = bus.addDevice({ clockSpeedHz: clockHz });
  for (const p of points) {
    await until(sim, async () => {
      const t0 = sim.now;
      for (let off = 0; off < p.size; off += bus.maxTransferSize) {
        const n = Math.min(bus.maxTransferSize, p.size - off);
        await dev.pollingTransmit({ tx: src + off, rx: dst + off, length: n });
      }
      await sim.cpu.work(workCycles);
      p.blockingPs = sim.now - t0;
    });
  }
  bus.removeDevice(dev);
  bus.free();
  // DMA: one queued transaction, the work while it runs, then its result
  bus = spi.busInitialize('SPI2', { loopback: true, maxTransferSize: maxSize });
  dev = bus.addDevice({ clockSpeedHz: clockHz });
  for (const p of points) {
    await until(sim, async () => {
      const t0 = sim.now;
      await dev.queueTrans({ tx: src, rx: dst, length: p.size });
      await Promise.all([dev.getTransResult(), sim.cpu.work(workCycles)]);
      p.dmaPs = sim.now - t0;
    });
  }
  bus.removeDevice(dev);
  bus.free();
  free();
  return points;
}

/** Runs both sweeps on `sim` (a fresh simulation of the target). */
export async function sweepTarget(sim: Simulation, opts: SweepOptions = {}): Promise<TargetSweep> {
  const work = opts.workCycles ?? 10_000;
  const memcpy = await memcpySweep(sim, opts.memcpySizes ?? MEMCPY_SIZES, work);
  const spi = await spiSweep(sim, opts.spiSizes ?? SPI_SIZES, work, opts.spiClockHz ?? 20_000_000);
  return { target: sim.target.name, workCycles: work, memcpy, spi };
}

const BUILT_IN: readonly TargetDefinition[] = [
  esp32,
  esp32s2,
  esp32s3,
  esp32c3,
  esp32c5,
  esp32c6,
  esp32c61,
  esp32h2,
  esp32p4,
];

/** A swept size as text: `64 B`, `2 KiB`; undefined (no crossover) as `never (in the sweep)`. */
export function sizeText(n: number | undefined): string {
  if (n === undefined) return 'never (in the sweep)';
  return n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
}

/** Prints one target's sweep as a table and its crossovers. */
export function sweepLines(s: TargetSweep): string[] {
  const lines = [`${s.target}: time until the transfer and ${s.workCycles} cycles of CPU work are both done`];
  lines.push(
    `  ${'size'.padStart(7)}  ${'CPU memcpy'.padStart(11)} ${'async memcpy'.padStart(12)}   ${'SPI polling'.padStart(11)} ${'SPI DMA'.padStart(11)}`,
  );
  const sizes = [...new Set([...(s.memcpy ?? []).map((p) => p.size), ...s.spi.map((p) => p.size)])].sort(
    (a, b) => a - b,
  );
  const cell = (ps: number | undefined, win: boolean): string =>
    ps === undefined ? '-' : formatTime(ps) + (win ? '*' : ' ');
  for (const size of sizes) {
    const m = s.memcpy?.find((p) => p.size === size);
    const q = s.spi.find((p) => p.size === size);
    lines.push(
      `  ${String(size).padStart(7)}  ${cell(m?.blockingPs, !!m && m.blockingPs <= m.dmaPs).padStart(11)} ${cell(m?.dmaPs, !!m && m.dmaPs < m.blockingPs).padStart(12)}   ` +
        `${cell(q?.blockingPs, !!q && q.blockingPs <= q.dmaPs).padStart(11)} ${cell(q?.dmaPs, !!q && q.dmaPs < q.blockingPs).padStart(11)}`,
    );
  }
  return lines;
}

/** The runs of sizes where DMA finishes first as text: `2 KiB, 8 KiB..64 KiB` (empty when none). */
export function dmaWinRangesText(points: readonly SweepPoint[]): string {
  return dmaWinRanges(points)
    .map(([a, b]) => (a === b ? sizeText(a) : `${sizeText(a)}..${sizeText(b)}`))
    .join(', ');
}

/** One target's crossovers as a line: memcpy (with the runs of sizes where DMA finishes first) and SPI. */
export function crossoverLine(sweep: TargetSweep): string {
  const memX = sweep.memcpy ? crossoverSize(sweep.memcpy) : undefined;
  const memRanges = sweep.memcpy ? dmaWinRangesText(sweep.memcpy) : '';
  return (
    `${sweep.target.padEnd(8)} memcpy: ${sweep.memcpy ? `${sizeText(memX)}${memRanges ? ` (DMA first at ${memRanges})` : ''}` : 'no async memcpy'}; ` +
    `SPI: ${sizeText(crossoverSize(sweep.spi))}`
  );
}

/** Sweeps each target on a fresh simulation of its own, in order. */
export async function sweepTargets(defs: readonly TargetDefinition[], opts: SweepOptions = {}): Promise<TargetSweep[]> {
  const out: TargetSweep[] = [];
  for (const def of defs) {
    const sim = assembleSimulation(def);
    try {
      out.push(await sweepTarget(sim, opts));
    } finally {
      await sim.dispose();
    }
  }
  return out;
}

/** The experiment's printout: a table per target, then the crossovers. */
export function sweepReportLines(sweeps: readonly TargetSweep[]): string[] {
  return [
    ...sweeps.flatMap(sweepLines),
    'crossover (smallest size at which DMA with the CPU working in parallel finishes first; * marks the winner above):',
    ...sweeps.map((s) => `  ${crossoverLine(s)}`),
  ];
}

/** The DMA-or-CPU experiment on every built-in target: memcpy and SPI, blocking vs DMA with work in parallel. */
export const dmaOrCpu: Scenario = {
  name: 'dma-or-cpu',
  description:
    'sweeps transfer sizes for memcpy and SPI on every built-in target: CPU-blocking vs DMA with CPU work in parallel; prints the crossover sizes',
  async setup(_sim, ctx) {
    const sweeps = await sweepTargets(BUILT_IN);
    for (const l of sweepReportLines(sweeps)) ctx.log(l);
  },
};
