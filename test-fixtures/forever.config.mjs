// A scenario that never ends by itself: a kernel event every nanosecond, plus a GPIO toggling so that the
// traces have something to record. Used by the Ctrl-C test of the CLI.
import { defineConfig, esp32c6, Gpio } from 'soc-fabric';

export default defineConfig({
  targets: [esp32c6],
  defaultTarget: 'esp32c6',
  defaultScenario: 'forever',
  scenarios: [{
    name: 'forever',
    description: 'toggles GPIO4 every nanosecond, forever',
    setup(sim, ctx) {
      const gpio = sim.get(Gpio);
      let level = 0;
      const tick = () => { level ^= 1; gpio.setLevel(4, level); sim.schedule(1000, tick); };
      sim.schedule(0, tick);
      ctx.log('started');
    },
  }],
});
