import { formatTime } from '../../core/time.js';
import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { Spi } from '../../plugins/spi/index.js';
import { fieldScenarios } from './field.js';

/** One radio poll: a command and its reply, full duplex (a GetIrqStatus-sized exchange). */
const BYTES = 16;
/** Polls per run: one second at the thread's ~20 transactions a second, sent back to back here. */
const POLLS = 20;

/**
 * A radio driver polling over SPI2 from a task. `stackInPsram`: the task was created with its stack in PSRAM
 * (xTaskCreateWithCaps(..., MALLOC_CAP_SPIRAM)), so its stack-local tx/rx buffers are in PSRAM; otherwise the
 * driver keeps one persistent pair of buffers in internal DMA-capable memory.
 */
function poll(sim: Simulation, ctx: ScenarioContext, stackInPsram: boolean): void {
  const dev = sim.get(Spi).busInitialize('SPI2', { maxTransferSize: 64 }).addDevice({ clockSpeedHz: 8_000_000 });
  const caps: ('dma' | 'spiram')[] = stackInPsram ? ['spiram'] : ['dma'];
  const tx = sim.memory.alloc(BYTES, { caps, align: 4 });
  const rx = sim.memory.alloc(BYTES, { caps, align: 4 });
  let bounces = 0;
  const sub = sim.bus.all$.subscribe((e) => {
    if (e.source === 'spi' && e.type === 'bounce') bounces++;
  });
  sim.spawn('radio', async () => {
    let total = 0;
    for (let i = 0; i < POLLS; i++) {
      const t0 = sim.now;
      await dev.transmit({ tx, rx, length: BYTES });
      total += sim.now - t0;
    }
    sub.unsubscribe();
    ctx.log(
      `radio: ${POLLS} x ${BYTES}-byte polls with buffers in ${stackInPsram ? 'PSRAM (the task stack)' : 'internal DMA memory'}: ` +
        `${formatTime(Math.round(total / POLLS))} per spi_device_transmit, ${bounces} bounced through temporary internal DMA buffers`,
    );
  });
}

/**
 * Xinyuan-LilyGO/T-Display-P4#13 "cpp_bus_driver improvements?" (ESP32-P4, ESP-IDF spi_master): a task whose
 * stack is in PSRAM polls an SX1262 with stack-local buffers; spi_device_transmit finds them not DMA-capable
 * and allocates, copies through and frees an internal DMA bounce buffer on every transaction (the thread: the
 * internal heap fragments until the allocation fails with ESP_ERR_NO_MEM). The finding (spi.bounce-buffer)
 * gives the CPU cycles each transaction pays; the fix keeps persistent buffers in internal DMA memory.
 */
export const [fieldSpiPsramStack, fieldSpiPsramStackFixed] = fieldScenarios({
  name: 'spi-psram-stack',
  thread: 'Xinyuan-LilyGO/T-Display-P4#13',
  summary:
    'SPI polls from a task whose stack is in PSRAM: tx and rx are bounced through internal DMA memory on every transaction (spi.bounce-buffer)',
  target: 'esp32p4',
  targets: ['esp32p4'],
  broken: (sim, ctx) => poll(sim, ctx, true),
  fixed: (sim, ctx) => poll(sim, ctx, false),
});
