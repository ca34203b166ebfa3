// A user's config, loaded through tsx from TypeScript source. It imports only from 'soc-fabric'.
import { Core, defineConfig, extendTarget, esp32c3, formatTime, type Scenario } from 'soc-fabric';

const hello: Scenario = {
  name: 'hello',
  description: 'prints the time after a 3 us delay',
  setup(sim, ctx) {
    // Tokens imported here must be the kit's own: the config shares the package's module instances.
    const kernel = sim.get(Core.Kernel);
    sim.spawn('hello', async () => {
      await sim.delay(3_000_000);
      ctx.log(`hello from ${sim.target.name} at ${formatTime(kernel.now)}`);
    });
  },
};

export default defineConfig({
  targets: [extendTarget(esp32c3, { name: 'c3-custom', caps: { gdma: { ahbPairs: 5 } }, beyondSilicon: ['5 GDMA pairs (silicon: 3)'] })],
  scenarios: [hello],
  defaultScenario: 'hello',
});
