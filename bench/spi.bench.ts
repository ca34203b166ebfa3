import { createSimulation } from '../create-simulation.js';
import { type Simulation } from '../core/simulation.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Spi } from '../plugins/spi/index.js';
import { measure, median, rate, type Bench } from './harness.js';

/**
 * SPI DMA transactions per wall second on esp32c3 (40 MHz SCLK, loopback), 32-byte and 4 KiB transactions,
 * the device's queue kept full (queueTrans / getTransResult from one task, queue size 7). Baseline, in the
 * same process and interleaved: async memcpy copies of the same size, awaited one by one from a task (the
 * other DMA driver's round trip through the kernel and the host's promise machinery).
 */
async function spiRun(sim: Simulation, size: number, count: number): Promise<void> {
  const bus = sim.get(Spi).busInitialize('SPI2', { loopback: true, maxTransferSize: size });
  const dev = bus.addDevice({ clockSpeedHz: 40_000_000, queueSize: 7 });
  const tx = sim.memory.alloc(size * 7, { caps: ['dma', 'internal'] });
  const rx = sim.memory.alloc(size * 7, { caps: ['dma', 'internal'] });
  const task = sim.spawn('spi', async () => {
    for (let i = 0; i < count; i++) {
      const k = i % 7;
      if (dev.inFlight === 7) await dev.getTransResult();
      await dev.queueTrans({ tx: tx + size * k, rx: rx + size * k, length: size });
    }
    while (dev.inFlight > 0) await dev.getTransResult();
  });
  await sim.run();
  await task.done;
  bus.removeDevice(dev);
  bus.free();
  sim.memory.free(tx);
  sim.memory.free(rx);
}

async function memcpyRun(sim: Simulation, size: number, count: number): Promise<void> {
  const drv = sim.get(AsyncMemcpy).install();
  const src = sim.memory.alloc(size, { caps: ['dma', 'internal'] });
  const dst = sim.memory.alloc(size, { caps: ['dma', 'internal'] });
  const task = sim.spawn('copy', async () => {
    for (let i = 0; i < count; i++) await drv.memcpy(dst, src, size);
  });
  await sim.run();
  await task.done;
  drv.uninstall();
  sim.memory.free(src);
  sim.memory.free(dst);
}

const bench: Bench = {
  name: 'spi',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 7;
    for (const [size, count] of [
      [32, ctx.quick ? 5_000 : 20_000],
      [4096, ctx.quick ? 2_000 : 10_000],
    ] as const) {
      const sim = await createSimulation({ target: 'esp32c3' });
      const spiTimes: number[] = [];
      const cpTimes: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < runs + 1; i++) {
        const [s] = await measure(() => spiRun(sim, size, count), { runs: 1, warmup: 0 });
        const [m] = await measure(() => memcpyRun(sim, size, count), { runs: 1, warmup: 0 });
        if (i === 0) continue; // warm-up
        spiTimes.push(s!);
        cpTimes.push(m!);
        ratios.push(m! / s!);
      }
      if (sim.faults.length) throw new Error(`faults: ${sim.faults[0]!.error.message}`);
      ctx.log(
        `${String(size).padStart(5)} B SPI DMA transactions (queue of 7, 40 MHz, esp32c3): median ${rate(count / median(spiTimes), ' trans/s')}; ` +
          `baseline async memcpy awaited one by one ${rate(count / median(cpTimes), ' copies/s')}; median ratio SPI/baseline ${median(ratios).toFixed(2)} ` +
          `(${count} per run, ${runs} runs)`,
      );
      await sim.dispose();
    }
  },
};
export default bench;
