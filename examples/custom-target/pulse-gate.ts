import { Etm, formatTime, Gpio, GpTimer, type GpTimerHandle, type Scenario, type Simulation } from 'soc-fabric';
import { Pcnt, type PcntBusEvents, type PcntUnit } from '../pcnt/index.js';

const PIN = 4;
const PULSES = 10;
/** What `report` reads back, per simulation. */
const parts = new WeakMap<Simulation, { unit: PcntUnit; timer: GpTimerHandle }>();

/**
 * A pulse generator that stops itself, with no CPU in the loop: a GPTimer alarm toggles a GPIO through the
 * ETM; the PCNT counts the GPIO's rising edges, and its threshold event stops the timer through the ETM.
 */
export const pulseGate: Scenario = {
  name: 'pulse-gate',
  description: `GPTimer -> ETM -> GPIO toggle, counted by the PCNT; at ${PULSES} pulses the PCNT's threshold event stops the timer through the ETM`,
  target: 'esp32c3-lab',
  setup(sim, ctx) {
    const etm = sim.get(Etm);
    const gpio = sim.get(Gpio);
    const timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
    const unit = sim.get(Pcnt).newUnit({ lowLimit: -1000, highLimit: 1000 });
    unit.newChannel({ edgeGpio: PIN }).setEdgeAction('increase', 'hold');
    unit.addWatchPoint(PULSES);
    sim.bus
      .source<PcntBusEvents>('pcnt')
      .on('watch')
      .subscribe((e) => ctx.log(`pcnt unit${e.data!.unit}: ${e.data!.kind} ${e.data!.value} reached`));

    const toggle = gpio.newEtmTask('toggle');
    toggle.addGpio(PIN);
    const wire = (event: { id: number }, task: { id: number }): void => {
      const ch = etm.newChannel();
      ch.connect(event, task);
      ch.enable();
    };
    const alarm = timer.newEtmEvent('alarm-match');
    wire(alarm, toggle); // every alarm toggles the pin
    wire(alarm, timer.newEtmTask('en-alarm')); // and re-arms the auto-reload alarm
    wire(unit.newEtmEvent('threshold'), timer.newEtmTask('stop-count')); // the gate

    timer.setAlarmAction({ alarmCount: 1, reloadCount: 0, autoReloadOnAlarm: true });
    unit.enable();
    unit.start();
    timer.enable();
    timer.start();
    parts.set(sim, { unit, timer });
    ctx.log(`app: generator started (a toggle every 1 us); ETM latency ${formatTime(etm.latencyPs)}`);
  },
  report(sim, ctx) {
    const { unit, timer } = parts.get(sim)!;
    ctx.log(
      `report: ${unit.getCount()} pulses counted; timer stopped at count ${timer.getRawCount()}; GPIO${PIN} is ${sim.get(Gpio).getLevel(PIN)}`,
    );
  },
};
