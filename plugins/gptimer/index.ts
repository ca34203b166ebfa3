import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { defineToken } from '../../core/plugin/tokens.js';
import { Lifecycle } from '../../core/plugin/lifecycle.js';
import { Core } from '../../core/tokens.js';
import { EtmEventSources, EtmTaskSinks } from '../contracts/etm.js';
import { GpTimers, type GpTimerService } from './gptimer-driver.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { gptimerTraceModel } from './trace.js';
import { gptimerCaps } from './caps.js';
import { capsSectionOf } from '../../core/target/caps.js';

export {
  GpTimers, C6_GPTIMER_ETM_IDS, DEFAULT_GPTIMER_CLOCK_HZ,
  type GpTimerService, type GpTimerHandle, type GpTimerConfig, type GpTimerAlarmConfig, type GpTimerAlarmEventData,
  type GpTimerCallbacks, type GpTimerEtmEventKind, type GpTimerEtmTaskKind, type GpTimerAlarm, type GpTimerBusEvents,
} from './gptimer-driver.js';
export { gptimerCaps, gptimerCapsSchema, type GpTimerCaps } from './caps.js';
export { TimerUnit } from './timer-unit.js';

/** The gptimer driver (gptimer_new_timer and the gptimer_* functions on its handles). */
export const GpTimer = defineToken<GpTimerService>('GpTimer');

/**
 * General-purpose timers on every target (`caps.gptimer`); their ETM alarm event and tasks where
 * `caps.gptimer.etm` is set, offered through EtmEventSources / EtmTaskSinks.
 */
export const gptimer = (): Plugin => definePlugin({
  name: 'gptimer',
  caps: gptimerCaps,
  requires: [Core.Kernel, Core.Bus, Core.Target],
  load: ({ bind }) => {
    bind(GpTimers).toDynamicValue((ctx) => new GpTimers(ctx.get(Core.Kernel), ctx.get(Core.Bus), ctx.get(Core.Target)));
    bind(GpTimer).toDynamicValue((ctx) => ctx.get(GpTimers));
    bind(TraceModels).toDynamicValue((ctx) => gptimerTraceModel(capsSectionOf(ctx.get(Core.Target), 'gptimer', 'gptimer').timers));
    bind(EtmEventSources).toDynamicValue((ctx) => ctx.get(GpTimers).etmEvents);
    bind(EtmTaskSinks).toDynamicValue((ctx) => ctx.get(GpTimers).etmTasks);
    bind(Lifecycle).toDynamicValue((ctx) => {
      const timers = ctx.get(GpTimers);
      return { dispose: () => timers.halt() };
    });
  },
});
