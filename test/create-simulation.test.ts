import { expect } from 'chai';
import { createSimulation, ns, SimulationError } from 'soc-fabric';

describe('createSimulation passes its kernel options to the assembled simulation', () => {
  it('kernel: { maxEventsPerInstant } bounds a runaway instant', async () => {
    const sim = await createSimulation({ target: 'esp32c3', kernel: { maxEventsPerInstant: 1000 } });
    try {
      const loop = (): void => {
        sim.schedule(0, loop, 'spin');
      };
      sim.schedule(ns(7), loop, 'spin');
      let err: unknown;
      try {
        await sim.run();
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(SimulationError);
      expect((err as Error).message).to.match(/runaway at 7ns: more than 1000 events.*sources involved: spin/);
      expect(sim.eventsRun).to.equal(1000);
    } finally {
      await sim.dispose();
    }
  });
});
