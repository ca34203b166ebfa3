import { expect } from 'chai';
import { createSimulation } from '../../create-simulation.js';
import { type Simulation } from '../../core/simulation.js';
import { ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_FOUND } from '../../core/errors.js';
import { ns, us } from '../../core/time.js';
import { Etm } from '../etm/index.js';
import { Gpio } from '../gpio/index.js';
import { GpTimer, type GpTimerAlarm, type GpTimerAlarmEventData, type GpTimerService } from './index.js';
import { espCode as code } from '../../test/helpers/sim.js';

describe('gptimer plugin', () => {
  let sim: Simulation;
  let timers: GpTimerService;
  let alarms: [number, GpTimerAlarm][];
  beforeEach(async () => {
    sim = await createSimulation({ target: 'esp32c6' });
    timers = sim.get(GpTimer);
    alarms = [];
    sim.bus
      .source<{ alarm: GpTimerAlarm }>('gptimer')
      .on('alarm')
      .subscribe((e) => alarms.push([e.time, e.data!]));
  });
  afterEach(() => sim.dispose());

  it('counts at its resolution while running, and holds its count when stopped', async () => {
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    expect(t.getResolution()).to.equal(1_000_000);
    t.enable();
    t.start();
    await sim.run({ until: us(250) + ns(999) });
    expect(t.getRawCount()).to.equal(250);
    t.stop();
    await sim.run({ until: us(400) });
    expect(t.getRawCount()).to.equal(250);
    t.setRawCount(1000);
    t.start();
    await sim.run({ until: us(410) });
    expect(t.getRawCount()).to.equal(1010);
  });

  it('counts down when asked', async () => {
    const t = timers.newTimer({ resolutionHz: 2_000_000, direction: 'down' });
    t.setRawCount(100);
    t.enable();
    t.start();
    await sim.run({ until: us(10) });
    expect(t.getRawCount()).to.equal(80);
  });

  it('alarms counting down, reloading to the top', async () => {
    const t = timers.newTimer({ resolutionHz: 1_000_000, direction: 'down' });
    t.setRawCount(100);
    t.registerEventCallbacks({ onAlarm: () => false });
    t.setAlarmAction({ alarmCount: 40, reloadCount: 100, autoReloadOnAlarm: true });
    t.enable();
    t.start();
    await sim.run({ until: us(200) });
    expect(alarms.map(([time, a]) => [time, a.count])).to.deep.equal([
      [us(60), 100],
      [us(120), 100],
      [us(180), 100],
    ]);
    expect(t.getRawCount()).to.equal(80);
  });

  it('uses an integer prescaler of the source clock (80 MHz on esp32c6) and refuses one out of 2..65536', () => {
    expect(timers.newTimer({ resolutionHz: 3_000_000 }).getResolution()).to.equal(80_000_000 / 26);
    expect(code(() => timers.newTimer({ resolutionHz: 50_000_000 }))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => timers.newTimer({ resolutionHz: 1000 }))).to.equal(ESP_ERR_INVALID_ARG);
    expect(code(() => timers.newTimer({ resolutionHz: 0 }))).to.equal(ESP_ERR_INVALID_ARG);
    // the refused calls took no timer: one is still free
    timers.newTimer({ resolutionHz: 1_000_000 });
    expect(code(() => timers.newTimer({ resolutionHz: 1_000_000 }))).to.equal(ESP_ERR_NOT_FOUND);
  });

  it('has caps.gptimer.timers timers; a deleted one is free again', () => {
    const a = timers.newTimer({ resolutionHz: 1_000_000 });
    timers.newTimer({ resolutionHz: 1_000_000 });
    expect(code(() => timers.newTimer({ resolutionHz: 1_000_000 }))).to.equal(ESP_ERR_NOT_FOUND);
    a.delete();
    expect(timers.newTimer({ resolutionHz: 1_000_000 }).index).to.equal(0);
    expect(code(() => a.getRawCount())).to.equal(ESP_ERR_INVALID_ARG);
  });

  it('follows the driver state rules and error codes', () => {
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    expect(code(() => t.start())).to.equal(ESP_ERR_INVALID_STATE);
    expect(code(() => t.stop())).to.equal(ESP_ERR_INVALID_STATE);
    expect(code(() => t.disable())).to.equal(ESP_ERR_INVALID_STATE);
    t.enable();
    expect(code(() => t.enable())).to.equal(ESP_ERR_INVALID_STATE);
    expect(code(() => t.delete())).to.equal(ESP_ERR_INVALID_STATE);
    expect(code(() => t.registerEventCallbacks({ onAlarm: () => false }))).to.equal(ESP_ERR_INVALID_STATE);
    t.stop(); // stop when not started: fine
    t.start();
    t.start(); // start when started: fine
    expect(code(() => t.disable())).to.equal(ESP_ERR_INVALID_STATE);
    t.stop();
    t.disable();
    t.registerEventCallbacks({ onAlarm: () => false });
    t.enable();
    t.registerEventCallbacks({ onAlarm: null }); // once installed, allowed in any state
    t.disable();
    t.delete();
  });

  it('refuses an auto-reload alarm equal to its reload value, keeping the previous alarm', async () => {
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    t.setAlarmAction({ alarmCount: 30 });
    expect(code(() => t.setAlarmAction({ alarmCount: 5, reloadCount: 5, autoReloadOnAlarm: true }))).to.equal(
      ESP_ERR_INVALID_ARG,
    );
    expect(code(() => t.setAlarmAction({ alarmCount: -1 }))).to.equal(ESP_ERR_INVALID_ARG);
    t.enable();
    t.start();
    await sim.run({ until: us(100) });
    expect(alarms.map(([time, a]) => [time, a.alarmValue])).to.deep.equal([[us(30), 30]]);
  });

  it('alarms periodically with auto-reload and an on_alarm callback, reporting the count and the alarm value', async () => {
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    const seen: [number, GpTimerAlarmEventData][] = [];
    t.registerEventCallbacks({
      onAlarm: (_h, ed) => {
        seen.push([sim.now, ed]);
        return false;
      },
    });
    t.setAlarmAction({ alarmCount: 100, reloadCount: 10, autoReloadOnAlarm: true });
    t.enable();
    t.start();
    await sim.run({ until: us(300) });
    // first alarm at count 100 (100 us); then every 90 ticks from the reload value 10
    expect(seen).to.deep.equal([
      [us(100), { countValue: 10, alarmValue: 100 }],
      [us(190), { countValue: 10, alarmValue: 100 }],
      [us(280), { countValue: 10, alarmValue: 100 }],
    ]);
  });

  it('alarms once without a callback: the hardware disables the alarm and nobody re-enables it', async () => {
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    t.setAlarmAction({ alarmCount: 100, reloadCount: 0, autoReloadOnAlarm: true });
    t.enable();
    t.start();
    await sim.run({ until: us(500) });
    expect(alarms.map(([time]) => time)).to.deep.equal([us(100)]);
    expect(t.getRawCount()).to.equal(400); // reloaded to 0 at 100 us, counting on
  });

  it('alarms at once when the count is already past the alarm value', async () => {
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    t.setRawCount(500);
    t.enable();
    t.start();
    sim.schedule(us(3), () => t.setAlarmAction({ alarmCount: 200 }));
    await sim.run({ until: us(10) });
    expect(alarms.map(([time, a]) => [time, a.count])).to.deep.equal([[us(3), 503]]);
  });

  it('keeps auto-reload alarms on exact ticks when a tick is not a whole number of picoseconds (esp32h2: 48 MHz / 7)', async () => {
    const h2 = await createSimulation({ target: 'esp32h2' });
    const seen: number[] = [];
    h2.bus
      .source('gptimer')
      .on('alarm')
      .subscribe((e) => seen.push(e.time));
    const t = h2.get(GpTimer).newTimer({ resolutionHz: 6_857_142 }); // prescaler 7: 145833.33 ps ticks
    t.registerEventCallbacks({ onAlarm: () => false });
    t.setAlarmAction({ alarmCount: 2, reloadCount: 0, autoReloadOnAlarm: true });
    t.enable();
    t.start();
    await h2.run({ until: 1_200_000 });
    // every 2 ticks = 291666.67 ps, each rounded to the nearest picosecond, never accumulating
    expect(seen).to.deep.equal([291_667, 583_333, 875_000, 1_166_667]);
    await h2.dispose();
  });

  it('performs its ETM tasks: start-count, stop-count, reload, capture, en-alarm', async () => {
    const etm = sim.get(Etm);
    const gpio = sim.get(Gpio);
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    t.setAlarmAction({ alarmCount: 1_000_000 });
    t.enable();
    const wire = (edge: 'pos' | 'neg', pin: number, kind: Parameters<typeof t.newEtmTask>[0]): void => {
      const ev = gpio.newEtmEvent(edge);
      ev.bindGpio(pin);
      const ch = etm.newChannel();
      ch.connect(ev, t.newEtmTask(kind));
      ch.enable();
    };
    wire('pos', 0, 'start-count');
    wire('neg', 0, 'stop-count');
    wire('pos', 1, 'capture');
    wire('pos', 2, 'reload');
    const lat = etm.latencyPs;
    sim.schedule(us(10), () => gpio.setLevel(0, 1));
    sim.schedule(us(30), () => gpio.setLevel(1, 1));
    sim.schedule(us(50), () => gpio.setLevel(0, 0));
    await sim.run({ until: us(80) });
    // counted from 10 us + latency to 50 us + latency: 40 ticks; captured at 30 us + latency: 20 ticks
    expect(t.getRawCount()).to.equal(40);
    expect(t.getCapturedCount()).to.equal(20);
    t.setAlarmAction({ alarmCount: 5, reloadCount: 3 });
    gpio.setLevel(2, 1);
    await sim.run({ until: us(90) });
    expect(t.getRawCount()).to.equal(3);
    expect(lat).to.equal(ns(50));
  });

  it('ETM en-alarm re-arms the alarm from the ETM (ESP-IDF gptimer_etm_alarm_event_without_interrupt)', async () => {
    const etm = sim.get(Etm);
    const gpio = sim.get(Gpio);
    const t = timers.newTimer({ resolutionHz: 1_000_000 });
    const alarm = t.newEtmEvent('alarm-match');
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(1);
    const a = etm.newChannel();
    a.connect(alarm, toggle);
    const b = etm.newChannel();
    b.connect(alarm, t.newEtmTask('en-alarm'));
    a.enable();
    b.enable();
    t.setAlarmAction({ alarmCount: 100, reloadCount: 0, autoReloadOnAlarm: true });
    t.enable();
    t.start();
    const edges: number[] = [];
    sim.bus
      .source('gpio')
      .on('level')
      .subscribe((e) => edges.push(e.time));
    await sim.run({ until: us(10_000) + ns(50) });
    // a 5 kHz square wave: a toggle every 100 us, 50 ns after each alarm
    expect(edges).to.have.length(100);
    edges.forEach((time, i) => expect(time).to.equal(us(100) * (i + 1) + ns(50)));
  });
});
