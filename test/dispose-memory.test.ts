import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSimulation } from '../create-simulation.js';
import { EspError, ESP_ERR_INVALID_STATE } from '../core/errors.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';

/** A full garbage collection (exposes gc for this test's process, as --expose-gc would). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Issue 11 item 7: simulations created and disposed in a loop that never yields to the host's event loop
 * (every await below is a microtask) must not pile up. inversify's planner keeps WeakRefs, whose targets live
 * until the current job ends; before the fix each simulation kept about 170 KiB (the kernel's timing wheel,
 * memory, every plugin) until the loop yielded.
 */
describe('dispose releases a simulation even when the loop never yields (issue 11 item 7)', () => {
  it('80 create/use/dispose cycles without yielding grow the heap by well under 20 KiB each', async () => {
    const cycle = async (): Promise<void> => {
      const sim = await createSimulation({ target: 'esp32s3' });
      const drv = sim.get(AsyncMemcpy).install();
      const src = sim.memory.alloc(4096, { caps: ['dma', 'internal'] });
      const dst = sim.memory.alloc(4096, { caps: ['dma', 'internal'] });
      sim.memory.write(src, new Uint8Array(4096).fill(7));
      void drv.memcpy(dst, src, 4096);
      await sim.run();
      await sim.dispose();
    };
    for (let i = 0; i < 10; i++) await cycle(); // warm-up: code, caches, inline caches
    collect();
    const before = process.memoryUsage().heapUsed;
    const N = 80;
    for (let i = 0; i < N; i++) await cycle();
    collect();
    const perSim = (process.memoryUsage().heapUsed - before) / N;
    expect(perSim, `${(perSim / 1024).toFixed(1)} KiB per simulation`).to.be.lessThan(20 * 1024);
  });

  it('a disposed simulation refuses memory changes, kernel and service calls with ESP_ERR_INVALID_STATE; its memory stays readable', async () => {
    const sim = await createSimulation({ target: 'esp32c3' });
    const a = sim.memory.alloc(64);
    await sim.dispose();
    for (const call of [
      () => sim.memory.alloc(16),
      () => sim.memory.free(a),
      () => sim.memory.write(a, new Uint8Array(1)),
      () => sim.schedule(0, () => undefined),
      () => sim.spawn('t', async () => undefined),
      () => sim.delay(1),
      () => sim.get(AsyncMemcpy),
    ]) {
      expect(call).to.throw(EspError).with.property('code', ESP_ERR_INVALID_STATE);
    }
    let failed: unknown;
    await sim.run().catch((e: unknown) => {
      failed = e;
    });
    expect(failed).to.be.instanceOf(EspError).with.property('code', ESP_ERR_INVALID_STATE);
    expect(sim.memory.read(a, 4)).to.have.length(4); // what it left stays readable
    await sim.dispose(); // a second dispose does nothing
  });
});
