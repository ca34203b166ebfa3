import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { Core } from '../../core/tokens.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { EtmEventSources, EtmTaskSinks } from '../contracts/etm.js';
import { gpioCaps } from './caps.js';
import { GpioModel } from './gpio-model.js';
import { Gpio } from './tokens.js';
import { gpioTraceModel } from './trace.js';

/**
 * GPIO levels on every target (`caps.gpio.pins`); ETM events and tasks where `caps.gpio.etm` is set. Offers
 * its ETM events and tasks to the ETM like any other plugin, through EtmEventSources / EtmTaskSinks.
 */
export const gpio = (): Plugin =>
  definePlugin({
    name: 'gpio',
    caps: gpioCaps,
    requires: [Core.Bus, Core.Target, Core.Kernel],
    load: ({ bind }) => {
      bind(GpioModel).toDynamicValue(
        (ctx) => new GpioModel(ctx.get(Core.Bus), ctx.get(Core.Target), ctx.get(Core.Kernel)),
      );
      bind(Gpio).toDynamicValue((ctx) => ctx.get(GpioModel));
      bind(EtmEventSources).toDynamicValue((ctx) => ctx.get(GpioModel).etmEvents);
      bind(EtmTaskSinks).toDynamicValue((ctx) => ctx.get(GpioModel).etmTasks);
      bind(TraceModels).toDynamicValue((ctx) => gpioTraceModel(ctx.get(GpioModel)));
    },
  });
