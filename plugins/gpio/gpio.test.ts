import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import { type Simulation } from '../../core/simulation.js';
import {
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
} from '../../core/errors.js';
import { Etm, type EtmService } from '../etm/index.js';
import { Gpio, type GpioEdge, type GpioLevel, type GpioService } from './index.js';
import { espCode as code } from '../../test/helpers/sim.js';

describe('gpio plugin', () => {
  let sim: Simulation;
  let gpio: GpioService;
  let etm: EtmService;
  let levels: GpioLevel[];
  beforeEach(async () => {
    sim = await createSimulation({ target: 'esp32c6' });
    gpio = sim.get(Gpio);
    etm = sim.get(Etm);
    levels = [];
    sim.bus
      .source<{ level: GpioLevel }>('gpio')
      .on('level')
      .subscribe((e) => levels.push(e.data!));
  });
  afterEach(() => sim.dispose());

  it('keeps levels, and publishes every change (and only changes) on the bus', () => {
    expect(gpio.getLevel(3)).to.equal(0);
    gpio.setLevel(3, 1);
    gpio.setLevel(3, 1);
    gpio.setLevel(4, 0);
    gpio.setLevel(3, 0);
    expect(gpio.getLevel(3)).to.equal(0);
    expect(levels).to.deep.equal([
      { pin: 3, level: 1 },
      { pin: 3, level: 0 },
    ]);
  });

  it('refuses pins the target lacks and levels other than 0/1, changing nothing', () => {
    expect(code(() => gpio.setLevel(31, 1))).to.equal(ESP_ERR_INVALID_ARG); // esp32c6 has GPIO0..30
    expect(code(() => gpio.setLevel(-1, 1))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => gpio.setLevel(1.5, 1))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => gpio.setLevel(2, 2 as 0))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => gpio.getLevel(99))).to.equal(ESP_ERR_INVALID_ARG);
    expect(gpio.getLevel(2)).to.equal(0);
    expect(levels).to.deep.equal([]);
  });

  async function edgesSeen(edge: GpioEdge, sequence: (0 | 1)[]): Promise<number> {
    const ev = gpio.newEtmEvent(edge);
    ev.bindGpio(0);
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(10);
    const ch = etm.newChannel();
    ch.connect(ev, toggle);
    ch.enable();
    let toggles = 0;
    sim.bus
      .source<{ level: GpioLevel }>('gpio')
      .on('level')
      .subscribe((e) => {
        if (e.data!.pin === 10) toggles++;
      });
    for (const l of sequence) {
      gpio.setLevel(0, l);
      await sim.run();
    }
    return toggles;
  }

  it('raises pos on rising edges only', async () => {
    expect(await edgesSeen('pos', [1, 0, 1, 1, 0])).to.equal(2);
  });
  it('raises neg on falling edges only', async () => {
    expect(await edgesSeen('neg', [1, 0, 1, 1, 0])).to.equal(2);
  });
  it('raises any on both edges', async () => {
    expect(await edgesSeen('any', [1, 0, 1, 1, 0])).to.equal(4);
  });

  it('performs set, clear and toggle on every pin added to a task', async () => {
    const ev = gpio.newEtmEvent('pos');
    ev.bindGpio(0);
    const set = gpio.newEtmTask('set');
    set.addGpio(1);
    set.addGpio(2);
    const clear = gpio.newEtmTask('clear');
    clear.addGpio(3);
    gpio.setLevel(3, 1);
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(4);
    for (const t of [set, clear, toggle]) {
      const ch = etm.newChannel();
      ch.connect(ev, t);
      ch.enable();
    }
    gpio.setLevel(0, 1);
    await sim.run();
    expect([1, 2, 3, 4].map((p) => gpio.getLevel(p))).to.deep.equal([1, 1, 0, 1]);
    expect(set.pins).to.deep.equal([1, 2]);
  });

  it('has 8 event and 8 task channels (ESP_ERR_NOT_FOUND for the 9th), freed by delete', () => {
    const events = Array.from({ length: 8 }, () => gpio.newEtmEvent('any'));
    expect(events.map((e) => e.id)).to.deep.equal([17, 18, 19, 20, 21, 22, 23, 24]);
    expect(code(() => gpio.newEtmEvent('pos'))).to.equal(ESP_ERR_NOT_FOUND);
    const tasks = Array.from({ length: 8 }, () => gpio.newEtmTask('set'));
    expect(code(() => gpio.newEtmTask('toggle'))).to.equal(ESP_ERR_NOT_FOUND);
    events[3]!.delete();
    expect(gpio.newEtmEvent('neg').id).to.equal(9 + 3);
    tasks[5]!.delete();
    expect(gpio.newEtmTask('clear').id).to.equal(9 + 5);
  });

  it('refuses bad edges and actions with ESP_ERR_INVALID_ARG', () => {
    expect(code(() => gpio.newEtmEvent('both' as GpioEdge))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => gpio.newEtmTask('pulse' as 'set'))).to.equal(ESP_ERR_INVALID_ARG);
    // nothing was taken by the refused calls
    expect(gpio.newEtmEvent('pos').id).to.equal(1);
  });

  it('binds an event channel to one pin: another pin is ESP_ERR_INVALID_ARG, the same pin is fine', () => {
    const ev = gpio.newEtmEvent('pos');
    ev.bindGpio(5);
    ev.bindGpio(5);
    expect(code(() => ev.bindGpio(6))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => gpio.newEtmEvent('neg').bindGpio(40))).to.equal(ESP_ERR_INVALID_ARG);
    expect(ev.pin).to.equal(5);
  });

  it('gives a pin to one task: another task adding it gets ESP_ERR_INVALID_ARG (v5.2+) until it is removed', async () => {
    const a = gpio.newEtmTask('set');
    const b = gpio.newEtmTask('toggle');
    a.addGpio(8);
    expect(code(() => b.addGpio(8))).to.equal(ESP_ERR_INVALID_ARG);
    expect(b.pins).to.deep.equal([]);
    expect(code(() => b.removeGpio(8))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => a.delete())).to.equal(ESP_ERR_INVALID_STATE);
    a.removeGpio(8);
    b.addGpio(8);
    a.delete();
    expect(code(() => a.addGpio(9))).to.equal(ESP_ERR_INVALID_ARG); // deleted handle
    // b now drives pin 8
    const ev = gpio.newEtmEvent('pos');
    ev.bindGpio(0);
    const ch = etm.newChannel();
    ch.connect(ev, b);
    ch.enable();
    gpio.setLevel(0, 1);
    await sim.run();
    expect(gpio.getLevel(8)).to.equal(1);
  });

  it('stops raising a deleted event', async () => {
    const ev = gpio.newEtmEvent('any');
    ev.bindGpio(0);
    const t = gpio.newEtmTask('toggle');
    t.addGpio(1);
    const ch = etm.newChannel();
    ch.connect(ev, t);
    ch.enable();
    gpio.setLevel(0, 1);
    await sim.run();
    ev.delete();
    gpio.setLevel(0, 0);
    await sim.run();
    expect(gpio.getLevel(1)).to.equal(1);
  });
});

describe('gpio ETM across ESP-IDF versions', () => {
  it('the pin-conflict code is ESP_ERR_INVALID_STATE in v5.1 and ESP_ERR_INVALID_ARG from v5.2 on', async () => {
    for (const [idf, want] of [
      ['5.1', ESP_ERR_INVALID_STATE],
      ['5.2', ESP_ERR_INVALID_ARG],
      ['5.5', ESP_ERR_INVALID_ARG],
      ['master', ESP_ERR_INVALID_ARG],
    ] as const) {
      const sim = await createSimulation({ target: 'esp32c6', idf });
      const gpio = sim.get(Gpio);
      const a = gpio.newEtmTask('set');
      const b = gpio.newEtmTask('clear');
      a.addGpio(3);
      expect(
        code(() => b.addGpio(3)),
        idf,
      ).to.equal(want);
      expect(b.pins).to.deep.equal([]);
      await sim.dispose();
    }
  });

  it('from v5.3 one event channel takes several edges and one task channel several actions', async () => {
    const sim = await createSimulation({ target: 'esp32c6', idf: '5.3' });
    const gpio = sim.get(Gpio);
    const etm = sim.get(Etm);
    const [rise, fall] = gpio.newEtmEvents(['pos', 'neg']);
    expect([rise!.channel, fall!.channel]).to.deep.equal([0, 0]);
    expect([rise!.id, fall!.id]).to.deep.equal([1, 9]); // GPIO_EVT_CH0_RISE_EDGE, GPIO_EVT_CH0_FALL_EDGE
    rise!.bindGpio(4);
    expect(fall!.pin).to.equal(4); // the pin is the channel's
    const [set, clear] = gpio.newEtmTasks(['set', 'clear']);
    expect([set!.id, clear!.id]).to.deep.equal([1, 9]); // GPIO_TASK_CH0_SET, GPIO_TASK_CH0_CLEAR
    set!.addGpio(6);
    expect(clear!.pins).to.deep.equal([6]);
    // rise on GPIO4 sets GPIO6, fall clears it: two ETM channels, one GPIO event channel and one task channel
    for (const [e, t] of [
      [rise!, set!],
      [fall!, clear!],
    ] as const) {
      const ch = etm.newChannel();
      ch.connect(e, t);
      ch.enable();
    }
    gpio.setLevel(4, 1);
    await sim.run();
    expect(gpio.getLevel(6)).to.equal(1);
    gpio.setLevel(4, 0);
    await sim.run();
    expect(gpio.getLevel(6)).to.equal(0);
    // a second multi-edge event takes channel 1; an edge twice is refused
    expect(gpio.newEtmEvents(['any'])[0]!.channel).to.equal(1);
    expect(code(() => gpio.newEtmEvents(['pos', 'pos']))).to.equal(ESP_ERR_INVALID_ARG);
    await sim.dispose();
  });

  it('before v5.3 several edges or actions on one channel are ESP_ERR_NOT_SUPPORTED', async () => {
    const sim = await createSimulation({ target: 'esp32c6', idf: '5.2' });
    const gpio = sim.get(Gpio);
    expect(code(() => gpio.newEtmEvents(['pos', 'neg']))).to.equal(ESP_ERR_NOT_SUPPORTED);
    expect(code(() => gpio.newEtmTasks(['set', 'clear']))).to.equal(ESP_ERR_NOT_SUPPORTED);
    expect(gpio.newEtmEvent('pos').channel).to.equal(0); // nothing was taken
    await sim.dispose();
  });
});
