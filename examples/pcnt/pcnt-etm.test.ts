import { expect } from 'chai';
import {
  createSimulation,
  esp32c3,
  esp32c6,
  EspError,
  Etm,
  ESP_ERR_NOT_SUPPORTED,
  extendTarget,
  Gpio,
  GpTimer,
  ns,
  us,
  type SimEvent,
} from 'soc-fabric';
import { Pcnt, pcnt } from './index.js';

const c6Pcnt = extendTarget(esp32c6, { name: 'c6-pcnt', plugins: (p) => [...p, pcnt()] });

describe('example plugin: PCNT and the ETM', () => {
  it('offers PCNT_EVT_* and PCNT_TASK_* with the ESP32-C6 IDs', async () => {
    const sim = await createSimulation({ target: c6Pcnt });
    const etm = sim.get(Etm);
    expect([45, 46, 47].map((id) => etm.eventName(id))).to.deep.equal([
      'PCNT_EVT_CNT_EQ_THRESH',
      'PCNT_EVT_CNT_EQ_LMT',
      'PCNT_EVT_CNT_EQ_ZERO',
    ]);
    expect([83, 84, 85, 86, 87].map((id) => etm.taskName(id))).to.deep.equal([
      'PCNT_TASK_START',
      'PCNT_TASK_STOP',
      'PCNT_TASK_CNT_INC',
      'PCNT_TASK_CNT_DEC',
      'PCNT_TASK_CNT_RST',
    ]);
  });

  it('threshold event -> ETM -> GPIO toggle, one ETM latency after the counted edge', async () => {
    const sim = await createSimulation({ target: c6Pcnt });
    const gpio = sim.get(Gpio);
    const etm = sim.get(Etm);
    const unit = sim.get(Pcnt).newUnit({ lowLimit: -100, highLimit: 100 });
    unit.newChannel({ edgeGpio: 4 }).setEdgeAction('increase', 'hold');
    unit.addWatchPoint(3);
    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(9);
    const ch = etm.newChannel();
    ch.connect(unit.newEtmEvent('threshold'), toggle);
    ch.enable();
    unit.enable();
    unit.start();
    const out: number[] = [];
    sim.bus
      .source<{ level: { pin: number; level: 0 | 1 } }>('gpio')
      .on('level')
      .subscribe((e: SimEvent<{ pin: number; level: 0 | 1 }>) => {
        if (e.data!.pin === 9) out.push(e.time);
      });
    for (let i = 1; i <= 4; i++) {
      sim.schedule(us(i), () => gpio.setLevel(4, 1));
      sim.schedule(us(i) + ns(500), () => gpio.setLevel(4, 0));
    }
    await sim.run();
    expect(out).to.deep.equal([us(3) + etm.latencyPs]);
    expect(gpio.getLevel(9)).to.equal(1);
  });

  it('GPTimer alarm -> ETM -> PCNT_TASK_CNT_RST clears only the units that take the task', async () => {
    const sim = await createSimulation({ target: c6Pcnt });
    const gpio = sim.get(Gpio);
    const etm = sim.get(Etm);
    const p = sim.get(Pcnt);
    const resetting = p.newUnit({ lowLimit: -100, highLimit: 100 });
    const other = p.newUnit({ lowLimit: -100, highLimit: 100 });
    for (const u of [resetting, other]) {
      u.newChannel({ edgeGpio: 4 }).setEdgeAction('increase', 'hold');
      u.enable();
      u.start();
    }
    const timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
    timer.setAlarmAction({ alarmCount: 5 }); // 5 us
    const ch = etm.newChannel();
    ch.connect(timer.newEtmEvent('alarm-match'), resetting.newEtmTask('reset'));
    ch.enable();
    timer.enable();
    timer.start();
    let atReset: number[] = [];
    sim.schedule(us(5) + etm.latencyPs + 1, () => {
      atReset = [resetting.getCount(), other.getCount()];
    });
    for (let i = 0; i < 8; i++) {
      sim.schedule(us(1) * i + ns(100), () => gpio.setLevel(4, 1));
      sim.schedule(us(1) * i + ns(600), () => gpio.setLevel(4, 0));
    }
    await sim.run();
    // 5 edges (0.1 .. 4.1 us) before the reset at 5 us + latency; 3 after it
    expect(atReset).to.deep.equal([0, 5]);
    expect([resetting.getCount(), other.getCount()]).to.deep.equal([3, 8]);
  });

  it('ETM start/stop/increase tasks act on the counter, not on the driver state', async () => {
    const sim = await createSimulation({ target: c6Pcnt });
    const gpio = sim.get(Gpio);
    const etm = sim.get(Etm);
    const unit = sim.get(Pcnt).newUnit({ lowLimit: -100, highLimit: 100 });
    unit.newChannel({ edgeGpio: 4 }).setEdgeAction('increase', 'hold');
    unit.enable(); // enabled but not started: paused
    const wire = (pin: number, task: Parameters<typeof unit.newEtmTask>[0]): void => {
      const ev = gpio.newEtmEvent('pos');
      ev.bindGpio(pin);
      const ch = etm.newChannel();
      ch.connect(ev, unit.newEtmTask(task));
      ch.enable();
    };
    wire(10, 'start');
    wire(11, 'increase');
    wire(12, 'stop');
    sim.schedule(us(1), () => gpio.setLevel(4, 1)); // paused: not counted
    sim.schedule(us(2), () => gpio.setLevel(10, 1)); // PCNT_TASK_START
    sim.schedule(us(3), () => {
      gpio.setLevel(4, 0);
      gpio.setLevel(4, 1);
    }); // counted: 1
    sim.schedule(us(4), () => gpio.setLevel(11, 1)); // PCNT_TASK_CNT_INC: 2
    sim.schedule(us(5), () => gpio.setLevel(12, 1)); // PCNT_TASK_STOP
    sim.schedule(us(6), () => {
      gpio.setLevel(4, 0);
      gpio.setLevel(4, 1);
    }); // paused: not counted
    await sim.run();
    expect(unit.getCount()).to.equal(2);
    unit.stop(); // the driver is still in its enable state
  });

  it('a target without an ETM: the PCNT has no ETM events or tasks', async () => {
    const sim = await createSimulation({
      target: extendTarget(esp32c3, {
        name: 'c3-pcnt',
        plugins: (p) => [...p, pcnt()],
        beyondSilicon: ['PCNT (the ESP32-C3 has none)'],
      }),
    });
    const unit = sim.get(Pcnt).newUnit({ lowLimit: -1, highLimit: 1 });
    try {
      unit.newEtmEvent('limit');
      expect.fail('no throw');
    } catch (e) {
      expect(e).to.be.instanceOf(EspError);
      expect((e as EspError).code).to.equal(ESP_ERR_NOT_SUPPORTED);
      expect((e as Error).message).to.equal(
        'ESP_ERR_NOT_SUPPORTED: pcnt_new_etm_event: the PCNT of target "c3-pcnt" has no ETM',
      );
    }
  });
});
