import type { Scenario } from '../core/config/config.js';
import { formatTime, us } from '../core/time.js';
import { Etm, type EtmFire } from '../plugins/etm/index.js';
import { Gpio, type GpioLevel } from '../plugins/gpio/index.js';
import { GpTimer, type GpTimerAlarm } from '../plugins/gptimer/index.js';

const OUT_PIN = 4;
const PERIOD_TICKS = 100; // at 1 MHz: an alarm every 100 us

/**
 * A chain with no CPU in it: a GPTimer alarm toggles a GPIO through ETM channel 0, and re-arms its own alarm
 * through ETM channel 1 (GPTIMER_ETM_TASK_EN_ALARM, as ESP-IDF's gptimer_etm_alarm_event_without_interrupt
 * test does). The CPU only sets the chain up and, 450 us later, stops the timer.
 */
export const etmTimerGpio: Scenario = {
  name: 'etm-timer-gpio',
  description:
    'GPTimer alarm -> ETM -> GPIO toggle, alarm re-armed through the ETM: a timeline with no CPU in the loop',
  target: 'esp32c6',
  setup(sim, ctx) {
    const etm = sim.get(Etm);
    const gpio = sim.get(Gpio);
    const timers = sim.get(GpTimer);
    const name = (id: number, kind: 'event' | 'task'): string =>
      `${(kind === 'event' ? etm.eventName(id) : etm.taskName(id)) ?? '?'} (${id})`;
    const sub = sim.bus.all$.subscribe((e) => {
      if (e.source === 'gptimer' && e.type === 'alarm') {
        const a = e.data as GpTimerAlarm;
        ctx.log(`gptimer${a.timer}: alarm at count ${a.alarmValue} (auto-reload -> ${a.count})`);
      } else if (e.source === 'etm' && e.type === 'fire') {
        const f = e.data as EtmFire;
        ctx.log(`  etm ch${f.channel}: ${name(f.event, 'event')} ==> ${name(f.task, 'task')}`);
      } else if (e.source === 'gpio' && e.type === 'level') {
        const l = e.data as GpioLevel;
        ctx.log(`  GPIO${l.pin} -> ${l.level}`);
      }
    });

    sim.spawn('app', async () => {
      const timer = timers.newTimer({ resolutionHz: 1_000_000 });
      const alarm = timer.newEtmEvent('alarm-match');
      const toggle = gpio.newEtmTask('toggle');
      toggle.addGpio(OUT_PIN);
      const toGpio = etm.newChannel();
      toGpio.connect(alarm, toggle);
      const rearm = etm.newChannel();
      rearm.connect(alarm, timer.newEtmTask('en-alarm'));
      toGpio.enable();
      rearm.enable();
      timer.setAlarmAction({ alarmCount: PERIOD_TICKS, reloadCount: 0, autoReloadOnAlarm: true });
      timer.enable();
      timer.start();
      ctx.log(
        `app: timer started (1 MHz, alarm every ${PERIOD_TICKS} ticks); ETM latency ${formatTime(etm.latencyPs)}`,
      );
      for (const line of etm.dump().trimEnd().split('\r\n')) ctx.log(`app: ${line}`);
      await sim.delay(us(450));
      timer.stop();
      timer.disable();
      sub.unsubscribe();
      ctx.log(`app: timer stopped; GPIO${OUT_PIN} is ${gpio.getLevel(OUT_PIN)}`);
    });
  },
};
