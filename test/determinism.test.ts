import { expect } from 'chai';
import { createSimulation, loadDefaultConfig, type SimConfig } from 'soc-fabric';

/** Every bus event of one run of `scenario`, as text: time, source, type and data. */
async function record(config: SimConfig, scenario: string, seed: number, target?: string): Promise<string[]> {
  const s = config.scenarios!.find((x) => x.name === scenario)!;
  const sim = await createSimulation({ target: target ?? s.target ?? config.defaultTarget!, config, seed });
  const events: string[] = [];
  sim.bus.all$.subscribe((e) => events.push(`${e.time} ${e.source} ${e.type} ${JSON.stringify(e.data)}`));
  await s.setup(sim, { target: sim.target.name, log: (m) => events.push(`${sim.now} log ${m}`) });
  await sim.run();
  await s.report?.(sim, { target: sim.target.name, log: (m) => events.push(`${sim.now} log ${m}`) });
  expect(sim.faults, scenario).to.deep.equal([]);
  await sim.dispose();
  return events;
}

describe('determinism: the same config and seed give the same events, to the picosecond', () => {
  for (const scenario of ['etm-dma-chain', 'async-memcpy-eof-event', 'spi-etm-chain', 'etm-timer-gpio', 'cpu-copy']) {
    it(scenario, async () => {
      const config = await loadDefaultConfig();
      const a = await record(config, scenario, 7);
      const b = await record(config, scenario, 7);
      expect(a.length, 'the scenario publishes events').to.be.greaterThan(3);
      expect(b).to.deep.equal(a);
    });
  }

  // the new ETM chips, AXI GDMA included, by the two DMA+ETM scenarios
  for (const target of ['esp32c5', 'esp32c61', 'esp32p4']) {
    for (const scenario of ['etm-dma-chain', 'async-memcpy-eof-event']) {
      it(`${scenario} on ${target}`, async () => {
        const config = await loadDefaultConfig();
        const a = await record(config, scenario, 7, target);
        const b = await record(config, scenario, 7, target);
        expect(a.length, 'the scenario publishes events').to.be.greaterThan(3);
        expect(b).to.deep.equal(a);
      });
    }
  }

  it('the seeded PRNG gives a task the same draws for the same seed and different ones for another', async () => {
    const draws = async (seed: number): Promise<number[]> => {
      const sim = await createSimulation({ target: 'esp32c3', seed });
      const out: number[] = [];
      sim.spawn('rng', async () => {
        for (let i = 0; i < 5; i++) {
          out.push(sim.random.u32());
          await sim.delay(sim.random.int(1, 1000));
        }
        out.push(sim.now);
      });
      await sim.run();
      return out;
    };
    expect(await draws(3)).to.deep.equal(await draws(3));
    expect(await draws(3)).to.not.deep.equal(await draws(4));
  });
});
