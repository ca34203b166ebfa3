/**
 * A user's configuration: a custom target and a scenario that runs on it. Everything comes from 'soc-fabric'
 * and the example plugin. `soc-fabric targets --config examples/custom-target/sim.config.ts` lists it;
 * `soc-fabric run --config examples/custom-target/sim.config.ts` runs the scenario.
 */
import { defineConfig, esp32c3 } from 'soc-fabric';
import { pulseGate } from './pulse-gate.js';
import { esp32c3Lab } from './target.js';

export default defineConfig({
  targets: [esp32c3, esp32c3Lab],
  scenarios: [pulseGate],
  defaultTarget: 'esp32c3-lab',
  defaultScenario: 'pulse-gate',
});
