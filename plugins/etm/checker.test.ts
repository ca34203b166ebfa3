import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import type { Simulation } from '../../core/simulation.js';
import { EspError, ESP_ERR_INVALID_STATE } from '../../core/errors.js';
import { extendTarget } from '../../core/target/target.js';
import { ns, us } from '../../core/time.js';
import { esp32c6 } from '../../targets/index.js';
import { Gpio } from '../gpio/index.js';
import { GdmaDriver } from '../dma/gdma/index.js';
import { DescriptorMemory, writeLinearList } from '../dma/engine/descriptor.js';
import { Core } from '../../core/tokens.js';
import { Etm } from './index.js';

const rules = (sim: Simulation): string[] => sim.diagnostics.map((f) => f.rule);

/** GPIO any-edge of `pin` -> toggle of `out` on a new channel; returns the channel. */
function wire(sim: Simulation, pin: number, out: number, enable = true) {
  const gpio = sim.get(Gpio);
  const ev = gpio.newEtmEvent('any');
  ev.bindGpio(pin);
  const task = gpio.newEtmTask('toggle');
  task.addGpio(out);
  const ch = sim.get(Etm).newChannel();
  ch.connect(ev, task);
  if (enable) ch.enable();
  return ch;
}

describe('ETM checker', () => {
  let sim: Simulation;
  afterEach(() => sim.dispose());

  it("an event ID not in the chip's table is etm.unknown-id; a driver-made handle is clean", async () => {
    sim = await createSimulation({ target: 'esp32c6', checks: ['etm'] });
    const ch = sim.get(Etm).newChannel();
    expect(() => ch.connect({ id: 999 }, null)).to.throw(EspError);
    expect(rules(sim)).to.deep.equal(['etm.unknown-id']);
    expect(sim.diagnostics[0]!.message).to.include('event ID 999');
    ch.connect(sim.get(Gpio).newEtmEvent('pos'), null);
    expect(rules(sim)).to.deep.equal(['etm.unknown-id']);
  });

  it('a channel connected but not enabled at the end of the run is a warning; enabled and firing is clean', async () => {
    sim = await createSimulation({ target: 'esp32c6', checks: ['etm'] });
    wire(sim, 1, 2, false);
    wire(sim, 3, 4, true);
    sim.schedule(us(1), () => sim.get(Gpio).setLevel(3, 1));
    await sim.run();
    expect(sim.diagnostics.map((f) => [f.rule, f.objects[0]])).to.deep.equal([['etm.never-enabled', 'etm ch0']]);
    await sim.run();
    expect(sim.diagnostics).to.have.length(1);
  });

  it('an enabled channel whose event never happens (GPIO event bound to a pin nobody drives) is etm.never-fired', async () => {
    sim = await createSimulation({ target: 'esp32c6', checks: ['etm.never-fired'] });
    wire(sim, 5, 6, true);
    await sim.run({ until: us(10) });
    expect(rules(sim)).to.deep.equal(['etm.never-fired']);
    expect(sim.diagnostics[0]!.message).to.include('GPIO_EVT_CH0_ANY_EDGE');
  });

  it('an enabled channel whose GPIO event is bound to no pin, or whose timer was never created, is etm.source-unconfigured', async () => {
    sim = await createSimulation({ target: 'esp32c6', checks: ['etm.source-unconfigured', 'etm.never-fired'] });
    const gpio = sim.get(Gpio);
    const unbound = gpio.newEtmEvent('pos'); // never bound: no pin can raise it
    const task = gpio.newEtmTask('set');
    task.addGpio(7);
    const a = sim.get(Etm).newChannel();
    a.connect(unbound, task);
    a.enable();
    const timerAlarm = { id: 48 }; // TIMER0_EVT_CNT_CMP_TIMER0 on the ESP32-C6: no gptimer_new_timer in this program
    const t2 = gpio.newEtmTask('clear');
    t2.addGpio(8);
    const b = sim.get(Etm).newChannel();
    b.connect(timerAlarm, t2);
    b.enable();
    await sim.run({ until: us(10) });
    expect(sim.diagnostics.map((f) => [f.rule, f.objects[0]])).to.deep.equal([
      ['etm.source-unconfigured', 'etm ch0'],
      ['etm.source-unconfigured', 'etm ch1'],
    ]);
    expect(sim.diagnostics[0]!.message).to.include('bound to no GPIO');
    expect(sim.diagnostics[1]!.message).to.include('timer 0 was not created');
    await sim.dispose();

    // bound to a pin (nobody drives it in this run): the source is configured, so it is etm.never-fired, not this rule
    sim = await createSimulation({ target: 'esp32c6', checks: ['etm.source-unconfigured', 'etm.never-fired'] });
    wire(sim, 5, 6, true);
    await sim.run({ until: us(10) });
    expect(rules(sim)).to.deep.equal(['etm.never-fired']);
  });

  it('running out of channels with fan-out names the event and how many channels it drives', async () => {
    const target = extendTarget(esp32c6, { name: 'c6-4-etm', caps: { etm: { channels: 4 } } });
    sim = await createSimulation({ target, checks: ['etm.fanout-exhausted'] });
    const gpio = sim.get(Gpio);
    const ev = gpio.newEtmEvent('pos');
    ev.bindGpio(0);
    const etm = sim.get(Etm);
    for (let i = 0; i < 4; i++) {
      const t = gpio.newEtmTask('set');
      t.addGpio(10 + i);
      etm.newChannel().connect(ev, t);
    }
    expect(sim.diagnostics).to.deep.equal([]);
    expect(() => etm.newChannel()).to.throw(EspError);
    expect(rules(sim)).to.deep.equal(['etm.fanout-exhausted']);
    expect(sim.diagnostics[0]!.message).to.match(
      /all 4 channels are in use; .*GPIO_EVT_CH0_RISE_EDGE \(1\) drives 4 channels/,
    );
  });

  it('a zero-latency GPIO loop is etm.zero-latency-loop before the kernel stops it; with latency it is clean', async () => {
    const target = extendTarget(esp32c6, { name: 'c6-instant-etm', caps: { etm: { latencyCycles: 0 } } });
    sim = await createSimulation({ target, checks: ['etm.zero-latency-loop'], kernel: { maxEventsPerInstant: 5000 } });
    wire(sim, 3, 3);
    sim.schedule(ns(10), () => sim.get(Gpio).setLevel(3, 1));
    try {
      await sim.run();
      expect.fail('expected the runaway');
    } catch (e) {
      expect((e as Error).message).to.include('runaway');
    }
    expect(rules(sim)).to.deep.equal(['etm.zero-latency-loop']);
    expect(sim.diagnostics[0]!.time).to.equal(ns(10));
    await sim.dispose();

    sim = await createSimulation({ target: 'esp32c6', checks: ['etm.zero-latency-loop'] });
    wire(sim, 3, 3);
    sim.schedule(ns(10), () => sim.get(Gpio).setLevel(3, 1));
    await sim.run({ until: us(20) });
    expect(sim.diagnostics).to.deep.equal([]);
  });

  it('gdma_start on a channel the ETM starts is etm.gdma-software-start; a channel without an ETM task starts clean', async () => {
    sim = await createSimulation({ target: 'esp32c6', checks: ['etm'] });
    const drv = sim.get(GdmaDriver);
    const a = drv.newChannelPair({ m2m: true });
    drv.newEtmTask(a.tx, 'start');
    try {
      a.tx.start(0);
      expect.fail('refused');
    } catch (e) {
      expect((e as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
    }
    expect(rules(sim)).to.deep.equal(['etm.gdma-software-start']);
    expect(sim.diagnostics[0]!.objects).to.deep.equal(['gdma pair 0 TX']);
    // a pair without an ETM START task: gdma_start is accepted and nothing is reported
    const b = drv.newChannelPair({ m2m: true });
    b.tx.connect({ m2m: 4 }); // ESP32-C6 free M2M mask 0xfc32: 4 is free and no peripheral's
    b.rx.connect({ m2m: 4 });
    const buf = sim.memory.alloc(64, { caps: ['dma'] });
    const d = sim.memory.alloc(24, { caps: ['dma'] });
    writeLinearList(new DescriptorMemory(sim.get(Core.Memory)), d, buf, 32, 4092, false);
    writeLinearList(new DescriptorMemory(sim.get(Core.Memory)), d + 12, buf + 32, 32, 4092, true);
    b.rx.start(d);
    b.tx.start(d + 12);
    await sim.run({ until: us(20) });
    expect(rules(sim)).to.deep.equal(['etm.gdma-software-start']);
  });
});
