import { expect } from 'chai';
import {
  createSimulation,
  esp32c3,
  EspError,
  ESP_ERR_NOT_FOUND,
  etmLatencyPs,
  GdmaDriver,
  Gpio,
  ns,
  us,
} from 'soc-fabric';
import config from './sim.config.js';
import { pulseGate } from './pulse-gate.js';
import { esp32c3Lab } from './target.js';

describe('example custom target esp32c3-lab', () => {
  it('is esp32c3 with five GDMA pairs, an ETM and the PCNT, and says what goes beyond silicon', () => {
    expect(esp32c3Lab.extends).to.equal('esp32c3');
    expect(esp32c3Lab.caps.gdma).to.include({
      ahbPairs: 5,
      m2mPairMask: 0x1f,
      freeM2mTriggerMask: esp32c3.caps.gdma!.freeM2mTriggerMask,
    });
    expect(esp32c3Lab.caps.etm).to.deep.include({ channels: 50 });
    expect(esp32c3Lab.plugins.map((p) => p.name)).to.include.members(['gpio', 'gptimer', 'etm', 'pcnt']);
    expect(esp32c3Lab.caps.beyondSilicon).to.have.length(3);
    expect(esp32c3Lab.caps.beyondSilicon.join(' ')).to.match(/5 GDMA pairs.*no ETM.*no pulse counter/);
    expect(esp32c3.caps.beyondSilicon).to.deep.equal([]);
  });

  it('really has five memory-to-memory GDMA pairs (the silicon has three)', async () => {
    const sim = await createSimulation({ target: 'esp32c3-lab', config });
    const gdma = sim.get(GdmaDriver);
    const pairs = [0, 1, 2, 3, 4].map(() => gdma.newChannelPair({ m2m: true }));
    expect(pairs.map((p) => p.tx.pair).sort()).to.deep.equal([0, 1, 2, 3, 4]);
    try {
      gdma.newChannelPair({ m2m: true });
      expect.fail('a sixth pair');
    } catch (e) {
      expect(e).to.be.instanceOf(EspError);
      expect((e as EspError).code).to.equal(ESP_ERR_NOT_FOUND);
    }
  });

  it("runs pulse-gate: the PCNT's threshold stops the generator one ETM hop after the 10th edge", async () => {
    const sim = await createSimulation({ target: 'esp32c3-lab', config });
    const lines: string[] = [];
    const ctx = { target: 'esp32c3-lab', log: (m: string) => lines.push(`${sim.now} ${m}`) };
    const hop = etmLatencyPs({ name: esp32c3Lab.name, caps: esp32c3Lab.caps, definition: esp32c3Lab });
    expect(hop).to.equal(ns(25));
    const rising: number[] = [];
    sim.bus
      .source<{ level: { pin: number; level: 0 | 1 } }>('gpio')
      .on('level')
      .subscribe((e) => {
        if (e.data!.level === 1) rising.push(e.time);
      });
    await pulseGate.setup(sim, ctx);
    await sim.run({ until: us(100) });
    await pulseGate.report!(sim, ctx);
    // a toggle every 1 us (alarm + one hop): rising edges at 1, 3, ..., 19 us (+ hop); then nothing
    expect(rising).to.deep.equal(Array.from({ length: 10 }, (_, i) => us(2 * i + 1) + hop));
    expect(lines).to.include(`${us(19) + hop} pcnt unit0: threshold 10 reached`);
    expect(lines.at(-1)).to.equal(`${us(100)} report: 10 pulses counted; timer stopped at count 0; GPIO4 is 1`);
    expect(sim.get(Gpio).getLevel(4)).to.equal(1);
    expect(sim.faults).to.deep.equal([]);
  });
});
