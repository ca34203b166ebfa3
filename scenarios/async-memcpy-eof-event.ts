import type { Scenario } from '../core/config/config.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { Etm } from '../plugins/etm/index.js';
import { Gpio } from '../plugins/gpio/index.js';

export const EOF_EVENT_PIN = 1;
export const EOF_EVENT_COPIES = 19;
export const EOF_EVENT_BYTES = 1024;

/**
 * ESP-IDF's test "async_memcpy_eof_event": the driver's COPY_DONE event toggles a GPIO through one ETM
 * channel. The pin starts at 1; after 19 copies of 1024 B it is 0.
 */
export const asyncMemcpyEofEvent: Scenario = {
  name: 'async-memcpy-eof-event',
  description: "ESP-IDF's async_memcpy_eof_event: COPY_DONE -> ETM -> GPIO toggle; 19 copies leave the pin at 0",
  target: 'esp32c6',
  targets: ['esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4'],
  setup(sim, ctx) {
    const gpio = sim.get(Gpio);
    const etm = sim.get(Etm);
    const driver = sim.get(AsyncMemcpy).install();
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(EOF_EVENT_PIN);
    const ch = etm.newChannel();
    ch.connect(driver.newEtmEvent('copy-done'), toggle);
    ch.enable();
    gpio.setLevel(EOF_EVENT_PIN, 1);
    let toggles = 0;
    const sub = sim.bus
      .source('gpio')
      .on('level')
      .subscribe(() => toggles++);
    sim.spawn('app', async () => {
      const src = sim.memory.alloc(EOF_EVENT_BYTES, { caps: ['dma'], align: 4 });
      const dst = sim.memory.alloc(EOF_EVENT_BYTES, { caps: ['dma'], align: 4 });
      toggles = 0;
      for (let i = 0; i < EOF_EVENT_COPIES; i++) await driver.memcpy(dst, src, EOF_EVENT_BYTES);
      await sim.delay(etm.latencyPs); // the last toggle lands one ETM latency after the last EOF
      sub.unsubscribe();
      ctx.log(
        `app: ${EOF_EVENT_COPIES} copies of ${EOF_EVENT_BYTES} B, ${toggles} toggles; GPIO${EOF_EVENT_PIN} is ${gpio.getLevel(EOF_EVENT_PIN)}`,
      );
    });
  },
};
