import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import { type Simulation } from '../../core/simulation.js';
import { SimulationError } from '../../core/errors.js';
import { extendTarget } from '../../core/target/target.js';
import { ns, us } from '../../core/time.js';
import { esp32c6 } from '../../targets/index.js';
import { Gpio, type GpioLevel } from '../gpio/index.js';
import { GpTimer } from '../gptimer/index.js';
import { Etm } from './index.js';

/** GPIO any-edge of `pin` -> ETM -> toggle of the same pin: a task that re-triggers its own event. */
function gpioLoop(sim: Simulation, pin: number): void {
  const gpio = sim.get(Gpio);
  const etm = sim.get(Etm);
  const ev = gpio.newEtmEvent('any');
  ev.bindGpio(pin);
  const toggle = gpio.newEtmTask('toggle');
  toggle.addGpio(pin);
  const ch = etm.newChannel();
  ch.connect(ev, toggle);
  ch.enable();
}

describe('etm feedback loops', () => {
  it('oscillate with a period of twice the latency when the latency is above zero', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const latency = sim.get(Etm).latencyPs;
    expect(latency).to.be.greaterThan(0);
    gpioLoop(sim, 7);
    const edges: [number, 0 | 1][] = [];
    sim.bus
      .source<{ level: GpioLevel }>('gpio')
      .on('level')
      .subscribe((e) => edges.push([e.time, e.data!.level]));
    sim.schedule(us(1), () => sim.get(Gpio).setLevel(7, 1));
    await sim.run({ until: us(1) + 10 * latency });
    expect(edges.map(([t]) => t)).to.deep.equal(Array.from({ length: 11 }, (_, i) => us(1) + i * latency));
    expect(edges.map(([, l]) => l)).to.deep.equal([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    // it keeps going: the loop is still armed after the run stops
    await sim.run({ until: us(1) + 20 * latency });
    expect(edges).to.have.length(21);
    await sim.dispose();
  });

  it('follows a latency changed in the caps (3 cycles at 20 MHz: period 300 ns)', async () => {
    const target = extendTarget(esp32c6, {
      name: 'c6-slow-etm',
      caps: { etm: { latencyCycles: 3, clockHz: 20_000_000 } },
    });
    const sim = await createSimulation({ target });
    gpioLoop(sim, 2);
    const times: number[] = [];
    sim.bus
      .source<{ level: GpioLevel }>('gpio')
      .on('level')
      .subscribe((e) => times.push(e.time));
    sim.get(Gpio).setLevel(2, 1);
    await sim.run({ until: ns(1000) });
    expect(times).to.deep.equal([0, ns(150), ns(300), ns(450), ns(600), ns(750), ns(900)]);
    await sim.dispose();
  });

  it('with zero latency stop at the kernel runaway limit with a SimulationError naming the ETM channel', async () => {
    const target = extendTarget(esp32c6, { name: 'c6-instant-etm', caps: { etm: { latencyCycles: 0 } } });
    const sim = await createSimulation({ target, kernel: { maxEventsPerInstant: 5000 } });
    expect(sim.get(Etm).latencyPs).to.equal(0);
    gpioLoop(sim, 3);
    let edges = 0;
    sim.bus
      .source<{ level: GpioLevel }>('gpio')
      .on('level')
      .subscribe(() => edges++);
    sim.schedule(ns(10), () => sim.get(Gpio).setLevel(3, 1));
    let err: unknown;
    try {
      await sim.run();
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SimulationError);
    const msg = (err as Error).message;
    expect(msg).to.include('runaway at 10ns');
    expect(msg).to.include('more than 5000 events');
    expect(msg).to.include('etm ch0 (GPIO_EVT_CH0_ANY_EDGE -> GPIO_TASK_CH0_TOGGLE)');
    expect(sim.now).to.equal(ns(10)); // time never advanced
    expect(edges).to.be.within(5000, 5001);
    await sim.dispose();
  });

  it('a GPTimer loop through the ETM (alarm -> reload + en-alarm) is periodic without the CPU', async () => {
    const sim = await createSimulation({ target: 'esp32c6' });
    const etm = sim.get(Etm);
    const timer = sim.get(GpTimer).newTimer({ resolutionHz: 10_000_000 });
    const alarm = timer.newEtmEvent('alarm-match');
    for (const task of [timer.newEtmTask('reload'), timer.newEtmTask('en-alarm')]) {
      const ch = etm.newChannel();
      ch.connect(alarm, task);
      ch.enable();
    }
    timer.setAlarmAction({ alarmCount: 50, reloadCount: 0, autoReloadOnAlarm: false });
    timer.enable();
    timer.start();
    const alarms: number[] = [];
    sim.bus
      .source('gptimer')
      .on('alarm')
      .subscribe((e) => alarms.push(e.time));
    await sim.run({ until: us(20) });
    // alarm at 5 us; the reload lands 50 ns later, so each period is 5 us + the ETM latency
    const period = us(5) + etm.latencyPs;
    expect(alarms).to.deep.equal([us(5), us(5) + period, us(5) + 2 * period]);
    await sim.dispose();
  });
});
