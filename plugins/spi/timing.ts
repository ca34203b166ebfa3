import type { SpiContext } from './context.js';
import type { SpiDriverCycles } from './caps.js';
import type { Job } from './job.js';

/**
 * SPI timing in one place: the clock divider and wire time of a device, and the driver's CPU cycles per
 * transaction on top of the fixed phase costs (SpiDriverCycles, caps.spi.driverCycles).
 */

/** The integer divider of the source clock nearest to `hz` (at least 1): SCLK = source / divider. */
export function clockDivider(sourceClockHz: number, hz: number): number {
  return Math.max(1, Math.round(sourceClockHz / hz));
}

/** Wire time of `bytes` bytes at source / divider, in ps. */
export function wirePs(bytes: number, divider: number, sourceClockHz: number): number {
  return Math.round((bytes * 8 * divider * 1e12) / sourceClockHz);
}

/** CPU cycles of a CPU copy of `n` bytes from `src` to `dst` (the core's memcpy cost model). */
export function memcpyCycles(ctx: SpiContext, dst: number, src: number, n: number): number {
  return (ctx.cpu.memcpyCost(dst, src, n) * ctx.cpu.freqHz) / 1e12;
}

/** CPU cycles of the driver's per-transaction DMA or FIFO set-up (on top of the phase costs). */
export function setupCycles(c: SpiDriverCycles, job: Job): number {
  return job.dma ? c.dmaSetup + c.dmaPerDescriptor * job.descriptors : c.fifoPerWord * Math.ceil(job.length / 4);
}

/** CPU cycles to read the FIFO out at the end (without DMA). */
export function fifoOutCycles(c: SpiDriverCycles, job: Job): number {
  return job.dma ? 0 : c.fifoPerWord * Math.ceil(job.rxLength / 4);
}

/** CPU cycles of the bounce buffers at queue time: allocations and the TX copy. */
export function bounceInCycles(ctx: SpiContext, job: Job): number {
  const c = ctx.params.cycles;
  let n = 0;
  if (job.txBounce) n += c.bounceAlloc + memcpyCycles(ctx, job.txBounce, job.t.tx, job.length);
  if (job.rxBounce) n += c.bounceAlloc;
  return n;
}

/** CPU cycles at result time: the RX bounce copied back to the caller's buffer. */
export function bounceOutCycles(ctx: SpiContext, job: Job): number {
  // rx is set whenever rxBounce is (a bounce replaces the caller's RX buffer)
  return job.rxBounce ? memcpyCycles(ctx, job.t.rx!, job.rxBounce, job.rxLength) : 0;
}
