import type { Simulation } from '../../core/simulation.js';
import type { ScenarioContext } from '../../core/config/config.js';
import { EspError } from '../../core/errors.js';
import { us } from '../../core/time.js';
import { Etm, type EtmTask } from '../../plugins/etm/index.js';
import { GpTimer } from '../../plugins/gptimer/index.js';
import { fieldScenarios } from './field.js';

/**
 * A GPTimer at 1 MHz whose alarm (count 10) stops it through the ETM. `taskFromEvent` reproduces the bug: the
 * channel's task is given the event's ID, as esp-hal wrote `event.id()` into the channel's task_id register.
 */
function alarmStopsTimer(sim: Simulation, ctx: ScenarioContext, taskFromEvent: boolean): void {
  const timer = sim.get(GpTimer).newTimer({ resolutionHz: 1_000_000 });
  timer.setAlarmAction({ alarmCount: 10 });
  const alarm = timer.newEtmEvent('alarm-match');
  const stop = timer.newEtmTask('stop-count');
  const task: EtmTask = taskFromEvent ? { id: alarm.id } : stop;
  const ch = sim.get(Etm).newChannel();
  try {
    ch.connect(alarm, task);
  } catch (e) {
    // esp-hal wrote the register without a check: the code went on as if the channel were wired
    ctx.log(
      `app: connect failed (${e instanceof EspError ? e.message.split(':')[0] : String(e)}); the code carries on`,
    );
  }
  ch.enable();
  timer.enable();
  timer.start();
  sim.spawn('app', async () => {
    await sim.delay(us(100));
    ctx.log(
      `app: counter at 100us is ${timer.getRawCount()} (alarm at 10: ${timer.getRawCount() === 10 ? 'stopped by the ETM' : 'still counting'})`,
    );
    timer.stop();
  });
}

/**
 * esp-rs/esp-hal#1365 "SOC_ETM cleanup": the channel's task_id was written with the event's ID, so the ETM no
 * longer stopped the timer ("counter in main" kept growing). The finding (etm.unknown-id) names the bad ID.
 */
export const [fieldEtmTaskId, fieldEtmTaskIdFixed] = fieldScenarios({
  name: 'etm-task-id',
  thread: 'esp-rs/esp-hal#1365',
  summary: "an ETM channel given the event's ID as its task: the alarm no longer stops the timer (etm.unknown-id)",
  target: 'esp32c6',
  targets: ['esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4'],
  broken: (sim, ctx) => alarmStopsTimer(sim, ctx, true),
  fixed: (sim, ctx) => alarmStopsTimer(sim, ctx, false),
});
