import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import { type Simulation } from '../../core/simulation.js';
import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  SimulationError,
} from '../../core/errors.js';
import { definePlugin } from '../../core/plugin/plugin.js';
import { extendTarget } from '../../core/target/target.js';
import { ns } from '../../core/time.js';
import { esp32c3, esp32c5, esp32c6, esp32c61, esp32h2, esp32p4, esp32s3 } from '../../targets/index.js';
import { Gpio } from '../gpio/index.js';
import { GpTimer } from '../gptimer/index.js';
import {
  Etm,
  EtmEventSources,
  EtmTaskSinks,
  type EtmEventSourceContribution,
  type EtmFire,
  type EtmService,
} from './index.js';
import { espCode as code } from '../../test/helpers/sim.js';

/** A user's own peripheral: events 500/501, a task 600 that counts its runs. Touches nothing in plugins/etm. */
function userPeripheral() {
  const state = { raise: (_id: number): void => undefined, runs: [] as number[] };
  const source: EtmEventSourceContribution = {
    name: 'my-sensor',
    events: new Map([
      [500, 'MY_SENSOR_EVT_READY'],
      [501, 'MY_SENSOR_EVT_ERROR'],
    ]),
    attachEtm: (raise) => {
      state.raise = raise;
    },
  };
  const plugin = (sim: () => Simulation) =>
    definePlugin({
      name: 'my-sensor',
      load: ({ bind }) => {
        bind(EtmEventSources).toConstantValue(source);
        bind(EtmTaskSinks).toConstantValue({
          name: 'my-sensor',
          tasks: new Map([[600, 'MY_SENSOR_TASK_SAMPLE']]),
          runEtmTask: () => {
            state.runs.push(sim().now);
          },
        });
      },
    });
  return { state, plugin };
}

describe('etm plugin', () => {
  let sim: Simulation;
  let etm: EtmService;
  beforeEach(async () => {
    sim = await createSimulation({ target: 'esp32c6' });
    etm = sim.get(Etm);
  });
  afterEach(() => sim.dispose());

  it('has 50 channels on esp32c6 and refuses the 51st with ESP_ERR_NOT_FOUND', () => {
    for (let i = 0; i < 50; i++) etm.newChannel();
    expect(code(() => etm.newChannel())).to.equal(ESP_ERR_NOT_FOUND);
  });

  it('reuses a deleted channel slot, and a deleted handle is refused with ESP_ERR_INVALID_ARG', () => {
    const a = etm.newChannel();
    etm.newChannel();
    a.delete();
    const c = etm.newChannel();
    expect(etm.dump()).to.include('channel 0 is created but not enabled');
    expect(code(() => a.enable())).to.equal(ESP_ERR_INVALID_ARG);
    c.enable();
    expect(etm.dump()).to.include('channel 0: event 0 ==> task 0');
  });

  it('follows esp_etm channel states: enable only from INIT, disable only from ENABLE, delete only when disabled', () => {
    const ch = etm.newChannel();
    expect(code(() => ch.disable())).to.equal(ESP_ERR_INVALID_STATE);
    ch.enable();
    expect(code(() => ch.enable())).to.equal(ESP_ERR_INVALID_STATE);
    expect(code(() => ch.delete())).to.equal(ESP_ERR_INVALID_STATE);
    expect(etm.dump()).to.include('channel 0: event 0 ==> task 0'); // refused calls changed nothing
    ch.disable();
    ch.delete();
    expect(etm.dump()).not.to.include('channel 0');
  });

  it('dumps in ESP-IDF format', () => {
    const gpio = sim.get(Gpio);
    const a = etm.newChannel();
    const b = etm.newChannel();
    const ev = gpio.newEtmEvent('any');
    const task = gpio.newEtmTask('toggle');
    a.connect(ev, task);
    a.enable();
    b.connect(ev, null);
    expect(etm.dump()).to.equal(
      '===========ETM Dump Start==========\r\n' +
        'channel 0: event 17 ==> task 17\r\n' +
        'channel 1 is created but not enabled\r\n' +
        '===========ETM Dump End============\r\n',
    );
  });

  it('refuses to connect an ID no plugin offers, and leaves the channel as it was', () => {
    const gpio = sim.get(Gpio);
    const ch = etm.newChannel();
    const ev = gpio.newEtmEvent('pos');
    const task = gpio.newEtmTask('set');
    ch.connect(ev, task);
    ch.enable();
    expect(code(() => ch.connect({ id: 9999 }, task))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => ch.connect(ev, { id: 9999 }))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => ch.connect({} as never, task))).to.equal(ESP_ERR_INVALID_ARG);
    expect(etm.dump()).to.include(`channel 0: event ${ev.id} ==> task ${task.id}`);
  });

  it('delivers an event to its task after the modelled latency (2 cycles at 40 MHz = 50 ns on esp32c6)', async () => {
    expect(etm.latencyPs).to.equal(ns(50));
    const gpio = sim.get(Gpio);
    const ev = gpio.newEtmEvent('pos');
    ev.bindGpio(1);
    const task = gpio.newEtmTask('set');
    task.addGpio(2);
    const ch = etm.newChannel();
    ch.connect(ev, task);
    ch.enable();
    const fires: [number, EtmFire][] = [];
    const levels: [number, unknown][] = [];
    sim.bus.all$.subscribe((e) => {
      if (e.source === 'etm') fires.push([e.time, e.data as EtmFire]);
      if (e.source === 'gpio') levels.push([e.time, e.data]);
    });
    sim.schedule(ns(1000), () => gpio.setLevel(1, 1));
    await sim.run();
    expect(fires).to.deep.equal([[ns(1050), { channel: 0, event: ev.id, task: task.id }]]);
    expect(levels).to.deep.equal([
      [ns(1000), { pin: 1, level: 1 }],
      [ns(1050), { pin: 2, level: 1 }],
    ]);
  });

  it('routes nothing through a disabled channel, and stops routing when disabled or reconnected', async () => {
    const gpio = sim.get(Gpio);
    const ev = gpio.newEtmEvent('any');
    ev.bindGpio(1);
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(2);
    const ch = etm.newChannel();
    ch.connect(ev, toggle);
    gpio.setLevel(1, 1); // channel not enabled yet
    await sim.run();
    expect(gpio.getLevel(2)).to.equal(0);
    ch.enable();
    gpio.setLevel(1, 0);
    await sim.run();
    expect(gpio.getLevel(2)).to.equal(1);
    ch.connect(null, toggle); // connect while enabled is allowed; no event now
    gpio.setLevel(1, 1);
    await sim.run();
    expect(gpio.getLevel(2)).to.equal(1);
    ch.connect(ev, toggle);
    ch.disable();
    gpio.setLevel(1, 0);
    await sim.run();
    expect(gpio.getLevel(2)).to.equal(1);
  });

  it('fans one event out to several channels, delivered in channel order at one instant', async () => {
    const gpio = sim.get(Gpio);
    const ev = gpio.newEtmEvent('pos');
    ev.bindGpio(0);
    const set = gpio.newEtmTask('set');
    set.addGpio(5);
    const clear = gpio.newEtmTask('clear');
    clear.addGpio(6);
    gpio.setLevel(6, 1);
    const c0 = etm.newChannel();
    const c1 = etm.newChannel();
    c1.connect(ev, clear);
    c0.connect(ev, set);
    c1.enable();
    c0.enable();
    const order: number[] = [];
    sim.bus
      .source<{ fire: EtmFire }>('etm')
      .on('fire')
      .subscribe((e) => order.push(e.data!.channel));
    gpio.setLevel(0, 1);
    await sim.run();
    expect(order).to.deep.equal([0, 1]);
    expect([gpio.getLevel(5), gpio.getLevel(6)]).to.deep.equal([1, 0]);
  });

  it('names events and tasks by their hardware names', () => {
    expect(etm.eventName(1)).to.equal('GPIO_EVT_CH0_RISE_EDGE');
    expect(etm.eventName(17)).to.equal('GPIO_EVT_CH0_ANY_EDGE');
    expect(etm.taskName(17)).to.equal('GPIO_TASK_CH0_TOGGLE');
    expect(etm.eventName(48)).to.equal('TIMER0_EVT_CNT_CMP_TIMER0');
    expect(etm.taskName(88)).to.equal('TIMER0_TASK_CNT_START_TIMER0');
    expect(etm.eventName(4242)).to.equal(undefined);
  });

  it('uses the ESP32-C6 IDs of SILICON.md: GPIO rise/fall/any 1/9/17, set/clear/toggle 1/9/17, TIMER0 alarm 48, start 88', () => {
    const gpio = sim.get(Gpio);
    expect([gpio.newEtmEvent('pos').id, gpio.newEtmEvent('neg').id, gpio.newEtmEvent('any').id]).to.deep.equal([
      1, 10, 19,
    ]);
    expect([gpio.newEtmTask('set').id, gpio.newEtmTask('clear').id, gpio.newEtmTask('toggle').id]).to.deep.equal([
      1, 10, 19,
    ]);
    const t = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
    expect(t.newEtmEvent('alarm-match').id).to.equal(48);
    expect(t.newEtmTask('start-count').id).to.equal(88);
  });
});

describe('etm contributions', () => {
  it("takes a user plugin's events and tasks by multi-injection", async () => {
    const user = userPeripheral();
    // the plugin reads `sim` only once the simulation runs, after the assignment below
    const target = extendTarget(esp32c6, { name: 'c6-sensor', plugins: (p) => [...p, user.plugin(() => sim)] });
    const sim = await createSimulation({ target });
    const etm = sim.get(Etm);
    expect(etm.eventName(500)).to.equal('MY_SENSOR_EVT_READY');
    const gpio = sim.get(Gpio);
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(3);
    const a = etm.newChannel();
    a.connect({ id: 500 }, toggle);
    a.enable();
    const b = etm.newChannel();
    const ev = gpio.newEtmEvent('pos');
    ev.bindGpio(3);
    b.connect(ev, { id: 600 });
    b.enable();
    sim.schedule(ns(100), () => user.state.raise(500));
    await sim.run();
    // sensor event -> toggle GPIO3 at 150 ns -> its rising edge -> sensor task at 200 ns
    expect(gpio.getLevel(3)).to.equal(1);
    expect(user.state.runs).to.deep.equal([ns(200)]);
    await sim.dispose();
  });

  it('fails createSimulation when two plugins offer the same event ID', async () => {
    const clash = definePlugin({
      name: 'clash',
      load: ({ bind }) => {
        bind(EtmEventSources).toConstantValue({
          name: 'clash',
          events: new Map([[17, 'MINE']]),
          attachEtm: () => undefined,
        });
      },
    });
    const target = extendTarget(esp32c6, { name: 'c6-clash', plugins: (p) => [...p, clash] });
    let err: unknown;
    try {
      await createSimulation({ target });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SimulationError);
    expect((err as Error).message).to.match(/ETM event 17 is offered by both "gpio".*"clash"/);
  });
});

describe('targets and the ETM', () => {
  for (const t of [esp32s3, esp32c3]) {
    it(`${t.name}: sim.get(Etm) throws ESP_ERR_NOT_SUPPORTED naming the target; GPIO and GPTimer ETM are not supported`, async () => {
      const sim = await createSimulation({ target: t });
      expect(sim.has(Etm)).to.equal(false);
      let err: unknown;
      try {
        sim.get(Etm);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(EspError);
      expect((err as EspError).code).to.equal(ESP_ERR_NOT_SUPPORTED);
      expect((err as Error).message).to.include(`"${t.name}"`);
      const gpio = sim.get(Gpio);
      gpio.setLevel(1, 1); // plain GPIO works everywhere
      expect(gpio.getLevel(1)).to.equal(1);
      expect(code(() => gpio.newEtmEvent('pos'))).to.equal(ESP_ERR_NOT_SUPPORTED);
      expect(code(() => gpio.newEtmTask('set'))).to.equal(ESP_ERR_NOT_SUPPORTED);
      const timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
      expect(code(() => timer.newEtmEvent('alarm-match'))).to.equal(ESP_ERR_NOT_SUPPORTED);
      expect(code(() => timer.newEtmTask('reload'))).to.equal(ESP_ERR_NOT_SUPPORTED);
      await sim.dispose();
    });
  }

  it('esp32h2 has the ETM, 50 channels, with GPIO and GPTimer ETM', async () => {
    const sim = await createSimulation({ target: esp32h2 });
    const etm = sim.get(Etm);
    for (let i = 0; i < 50; i++) etm.newChannel();
    expect(code(() => etm.newChannel())).to.equal(ESP_ERR_NOT_FOUND);
    expect(sim.get(Gpio).newEtmEvent('any').id).to.equal(17);
    expect(sim.target.caps.estimates.join(' ')).to.match(/ETM IDs/);
    await sim.dispose();
  });

  // timer i's TGn_EVT_CNT_CMP_TIMERm and TGn_TASK_CNT_START/STOP_TIMERm, from each chip's soc_etm_source.h
  const TIMER_IDS = [
    { t: esp32c5, alarm: [47, 49], start: [81, 91], stop: [83, 93] },
    { t: esp32c61, alarm: [49, 51], start: [81, 91], stop: [83, 93] },
    { t: esp32p4, alarm: [56, 57, 58, 59], start: [100, 105, 110, 115], stop: [102, 107, 112, 117] },
  ];
  for (const { t, alarm, start, stop } of TIMER_IDS) {
    it(`${t.name} has the ETM, 50 channels, 8+8 GPIO ETM channels and ${alarm.length} GPTimers with its own ETM IDs`, async () => {
      const sim = await createSimulation({ target: t });
      const etm = sim.get(Etm);
      for (let i = 0; i < 50; i++) etm.newChannel();
      expect(code(() => etm.newChannel())).to.equal(ESP_ERR_NOT_FOUND);
      const gpio = sim.get(Gpio);
      expect(Array.from({ length: 8 }, () => gpio.newEtmEvent('any').id)).to.deep.equal([
        17, 18, 19, 20, 21, 22, 23, 24,
      ]);
      expect(code(() => gpio.newEtmEvent('any'))).to.equal(ESP_ERR_NOT_FOUND);
      expect(gpio.newEtmTask('set').id).to.equal(1);
      const timers = alarm.map(() => sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 }));
      expect(code(() => sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 }))).to.equal(ESP_ERR_NOT_FOUND);
      expect(timers.map((x) => x.newEtmEvent('alarm-match').id)).to.deep.equal(alarm);
      expect(timers.map((x) => x.newEtmTask('start-count').id)).to.deep.equal(start);
      expect(timers.map((x) => x.newEtmTask('stop-count').id)).to.deep.equal(stop);
      await sim.dispose();
    });
  }

  it('the custom target esp32c3-etm of sim.config.ts has an ETM and says it is beyond silicon', async () => {
    const sim = await createSimulation({ target: 'esp32c3-etm' });
    expect(sim.target.caps.beyondSilicon.join(' ')).to.match(/ETM/);
    expect(sim.get(Etm).latencyPs).to.equal(ns(25)); // 2 cycles at 80 MHz, from its caps
    const timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
    expect(timer.newEtmEvent('alarm-match').id).to.equal(48);
    await sim.dispose();
  });

  it('a custom target can supply its own ID tables and latency through caps', async () => {
    const target = extendTarget(esp32c6, {
      name: 'c6-renumbered',
      caps: {
        etm: { latencyCycles: 3, clockHz: 10_000_000 },
        gpio: { etm: { eventIds: { pos: 201, neg: 211, any: 221 } } },
      },
    });
    const sim = await createSimulation({ target });
    expect(sim.get(Etm).latencyPs).to.equal(ns(300));
    expect(sim.get(Gpio).newEtmEvent('neg').id).to.equal(211);
    expect(sim.get(Etm).eventName(221)).to.equal('GPIO_EVT_CH0_ANY_EDGE');
    await sim.dispose();
  });
});
