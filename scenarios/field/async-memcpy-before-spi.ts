import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { EspError } from '../../core/errors.js';
import { AsyncMemcpy } from '../../plugins/async-memcpy/index.js';
import { Spi } from '../../plugins/spi/index.js';
import { fieldScenarios } from './field.js';

const BYTES = 64;

/** SPI2 in loopback sends a pattern and checks what comes back. */
function loopback(sim: Simulation, ctx: ScenarioContext): void {
  let bus;
  try {
    bus = sim.get(Spi).busInitialize('SPI2', { loopback: true });
  } catch (e) {
    ctx.log(`app: spi_bus_initialize: ${e instanceof EspError ? e.message : String(e)}`);
    ctx.log(
      "app: (on silicon spi_common.c ignores gdma_connect's error: the bus initialises without a connected DMA and sends garbage)",
    );
    return;
  }
  const dev = bus.addDevice({ clockSpeedHz: 10_000_000 });
  const tx = sim.memory.alloc(BYTES, { caps: ['dma'], align: 4 });
  const rx = sim.memory.alloc(BYTES, { caps: ['dma'], align: 4 });
  sim.memory.write(
    tx,
    Uint8Array.from({ length: BYTES }, (_, i) => i),
  );
  sim.spawn('app', async () => {
    await dev.transmit({ tx, rx, length: BYTES });
    const got = sim.memory.read(rx, BYTES);
    ctx.log(`app: SPI2 loopback returned ${got.every((b, i) => b === i) ? 'the bytes sent' : 'wrong bytes'}`);
  });
}

/**
 * espressif/esp-idf#10575 "SPI DMA & Async memcpy" (ESP32-C3): the memory-copy channel takes the lowest free M2M
 * trigger ID, 0 (gdma.c, __builtin_ctz of the free mask 0x1cd), which is SPI2's; SPI2's gdma_connect is then
 * refused, spi_bus_initialize ignores the error and the bus runs with an unconnected DMA: the loopback returns
 * wrong bytes. Findings: dma.m2m-takes-peripheral-id, dma.trigger-conflict, dma.start-unconnected.
 */
export const [fieldAsyncMemcpyBeforeSpi, fieldAsyncMemcpyBeforeSpiFixed] = fieldScenarios({
  name: 'async-memcpy-before-spi',
  thread: 'espressif/esp-idf#10575',
  summary:
    "async memcpy installed first takes SPI2's trigger ID 0: SPI2 runs without DMA and returns wrong bytes (dma.trigger-conflict)",
  target: 'esp32c3',
  targets: ['esp32c3'],
  broken(sim, ctx) {
    sim.get(AsyncMemcpy).install(); // takes the lowest free M2M trigger ID, as gdma.c does
    loopback(sim, ctx);
  },
  fixed(sim, ctx) {
    loopback(sim, ctx);
    sim.get(AsyncMemcpy).install();
  },
});
