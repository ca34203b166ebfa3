import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { Lifecycle } from '../../core/plugin/lifecycle.js';
import { capsSectionOf } from '../../core/target/caps-of.js';
import { Core } from '../../core/tokens.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { EtmEventSources, EtmTaskSinks } from '../contracts/etm.js';
import { gptimerCaps } from './caps.js';
import { GpTimers } from './gptimer-driver.js';
import { GpTimer } from './tokens.js';
import { gptimerTraceModel } from './trace.js';

/**
 * General-purpose timers on every target (`caps.gptimer`); their ETM alarm event and tasks where
 * `caps.gptimer.etm` is set, offered through EtmEventSources / EtmTaskSinks.
 */
export const gptimer = (): Plugin =>
  definePlugin({
    name: 'gptimer',
    caps: gptimerCaps,
    requires: [Core.Kernel, Core.Bus, Core.Target],
    load: ({ bind }) => {
      bind(GpTimers).toDynamicValue(
        (ctx) => new GpTimers(ctx.get(Core.Kernel), ctx.get(Core.Bus), ctx.get(Core.Target)),
      );
      bind(GpTimer).toDynamicValue((ctx) => ctx.get(GpTimers));
      bind(TraceModels).toDynamicValue((ctx) =>
        gptimerTraceModel(capsSectionOf(ctx.get(Core.Target), 'gptimer', 'gptimer').timers),
      );
      bind(EtmEventSources).toDynamicValue((ctx) => ctx.get(GpTimers).etmEvents);
      bind(EtmTaskSinks).toDynamicValue((ctx) => ctx.get(GpTimers).etmTasks);
      bind(Lifecycle).toDynamicValue((ctx) => {
        const timers = ctx.get(GpTimers);
        return { dispose: () => timers.halt() };
      });
    },
  });
