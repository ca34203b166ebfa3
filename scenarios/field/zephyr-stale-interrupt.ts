import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { formatTime, us } from '../../core/time.js';
import { GdmaZephyrEsp32 } from '../../plugins/dma/gdma/index.js';
import { DMA_STATUS_COMPLETE } from '../../plugins/dma/zephyr/api.js';
import { fieldScenarios } from './field.js';

const N = 2048;

/**
 * A Zephyr driver moves block A on pair 0 of the ESP32-C3's GDMA (dma_esp32_gdma: channel 0 the RX half, 1 the
 * TX half), aborts it from a path that holds a spin lock (interrupts masked) while A completes, then sends block
 * B. `reconfigure`: B goes through dma_config() (which clears the channel's interrupt status), else through
 * dma_reload(), which clears nothing. The app waits for B's RX COMPLETE and then reads B's destination.
 */
function blocks(sim: Simulation, ctx: ScenarioContext, reconfigure: boolean): void {
  const z = sim.get(GdmaZephyrEsp32);
  const alloc = (): number => sim.memory.alloc(N, { caps: ['dma', 'internal'], align: 4 });
  const a = { src: alloc(), dst: alloc() };
  const b = { src: alloc(), dst: alloc() };
  // never 0, so B's zeroed destination matches it nowhere until B's bytes arrive
  const dataB = Uint8Array.from({ length: N }, (_, i) => 1 + ((i * 29) % 255));
  sim.memory.write(a.src, new Uint8Array(N).fill(0xaa));
  sim.memory.write(b.src, dataB);
  sim.memory.write(b.dst, new Uint8Array(N));
  let startB = -1;
  let reported: { at: number; inPlace: number } | undefined;
  const config = (blk: { src: number; dst: number }): void =>
    z.config(0, {
      direction: 'memory-to-memory',
      dmaSlot: 2, // an M2M trigger ID no peripheral of the model uses
      blocks: [{ src: blk.src, dst: blk.dst, size: N }],
      callback: (ch, status) => {
        // the driver's completion: RX COMPLETE of the block it started last
        if (ch !== 0 || status !== DMA_STATUS_COMPLETE || startB < 0 || reported) return;
        const got = sim.memory.read(b.dst, N);
        reported = { at: sim.now, inPlace: got.filter((x, i) => x === dataB[i]).length };
      },
    });
  sim.spawn('app', async () => {
    config(a);
    z.start(0);
    const key = z.irqLock(); // the abort path's k_spin_lock: A's EOF interrupt stays pending
    await sim.delay(us(60)); // A completes in here
    z.stop(0); // esp_intr_disable; nothing cleared
    z.irqUnlock(key);
    if (reconfigure) config(b);
    else z.reload(0, b.src, b.dst, N);
    startB = sim.now;
    z.start(0);
    await sim.delay(us(200));
    if (!reported) {
      ctx.log('app: block B never reported complete');
      return;
    }
    ctx.log(
      `app: block B reported complete ${formatTime(reported.at - startB)} after dma_start; ` +
        `${reported.inPlace} of ${N} bytes of B in place`,
    );
  });
}

/**
 * zephyrproject-rtos/zephyr#115726: dma_esp32_stop masks the channel's interrupt without clearing its raw
 * status, and dma_esp32_start unmasks it without clearing either; an EOF latched while the interrupt could not
 * be taken survives the stop, and the next start delivers the previous transfer's callback. Here block A's
 * RX COMPLETE arrives at the instant B starts, before any byte of B moved; the driver reads B's buffer as done
 * (dma.stale-interrupt). Fixed: dma_config() before the next dma_start() clears the bits.
 * The issue was found by reading the driver (its author did not reproduce it on hardware); the face models the
 * driver as SILICON.md describes it. Zephyr PR #113311 (merged after the issue was filed) says its dma_stop now
 * resets the channel and clears what the abandoned transfer latched on AHB GDMA; on such a driver the broken twin
 * would run clean.
 */
export const [fieldZephyrStaleInterrupt, fieldZephyrStaleInterruptFixed] = fieldScenarios({
  name: 'zephyr-stale-interrupt',
  thread: 'zephyrproject-rtos/zephyr#115726',
  summary:
    "dma_stop leaves A's EOF latched; dma_start of B delivers A's COMPLETE before B moved a byte (dma.stale-interrupt)",
  target: 'esp32c3',
  broken: (sim, ctx) => blocks(sim, ctx, false),
  fixed: (sim, ctx) => blocks(sim, ctx, true),
});
