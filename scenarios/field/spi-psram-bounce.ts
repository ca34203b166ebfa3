import { formatTime } from '../../core/time.js';
import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { Spi } from '../../plugins/spi/index.js';
import { fieldScenarios } from './field.js';

const BYTES = 4000;
const TRANSACTIONS = 5;

/** Sends TRANSACTIONS frames of BYTES from a buffer with `caps`; logs the time each transmit call takes. */
function frames(sim: Simulation, ctx: ScenarioContext, caps: ('dma' | 'spiram')[]): void {
  const dev = sim.get(Spi).busInitialize('SPI2', { maxTransferSize: BYTES }).addDevice({ clockSpeedHz: 40_000_000 });
  const frame = sim.memory.alloc(BYTES, { caps, align: 4 });
  sim.spawn('display', async () => {
    let total = 0;
    for (let i = 0; i < TRANSACTIONS; i++) {
      const t0 = sim.now;
      await dev.transmit({ tx: frame, length: BYTES });
      total += sim.now - t0;
    }
    ctx.log(
      `display: ${TRANSACTIONS} x ${BYTES} B from ${caps.includes('spiram') ? 'PSRAM' : 'internal DMA memory'}: ` +
        `${formatTime(Math.round(total / TRANSACTIONS))} per spi_device_transmit`,
    );
  });
}

/**
 * espressif/esp-idf#11269 and esphome/esphome#18699: SPI frames in PSRAM on the ESP32-S3. The IDF driver copies
 * a PSRAM TX buffer through a temporary internal DMA buffer (a bounce) on every transaction, which costs CPU
 * time and internal DMA memory. The finding (spi.bounce-buffer) gives the cycles per transaction.
 */
export const [fieldSpiPsramBounce, fieldSpiPsramBounceFixed] = fieldScenarios({
  name: 'spi-psram-bounce',
  thread: 'espressif/esp-idf#11269, esphome/esphome#18699',
  summary: 'SPI TX frames in PSRAM are bounced through internal DMA memory on every transaction (spi.bounce-buffer)',
  target: 'esp32s3',
  targets: ['esp32s3'],
  broken: (sim, ctx) => frames(sim, ctx, ['spiram']),
  fixed: (sim, ctx) => frames(sim, ctx, ['dma']),
});
