import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { defineToken } from '../../core/plugin/tokens.js';
import { Core } from '../../core/tokens.js';
import { EtmEventSources, EtmTaskSinks } from '../contracts/etm.js';
import { GpioModel, type GpioService } from './gpio-model.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { gpioTraceModel } from './trace.js';
import { gpioCaps } from './caps.js';

export { gpioCaps, gpioCapsSchema, type GpioCaps } from './caps.js';
export { GpioModel, type GpioService, type GpioLevel, type GpioBusEvents } from './gpio-model.js';
export { C6_GPIO_EVENT_IDS, C6_GPIO_TASK_IDS, type GpioEdge, type GpioAction, type GpioEtmEvent, type GpioEtmTask } from './gpio-etm.js';

/** The GPIO service (gpio_set_level, gpio_get_level, gpio_new_etm_event, gpio_new_etm_task). */
export const Gpio = defineToken<GpioService>('Gpio');

/**
 * GPIO levels on every target (`caps.gpio.pins`); ETM events and tasks where `caps.gpio.etm` is set. Offers
 * its ETM events and tasks to the ETM like any other plugin, through EtmEventSources / EtmTaskSinks.
 */
export const gpio = (): Plugin => definePlugin({
  name: 'gpio',
  caps: gpioCaps,
  requires: [Core.Bus, Core.Target],
  load: ({ bind }) => {
    bind(GpioModel).toDynamicValue((ctx) => new GpioModel(ctx.get(Core.Bus), ctx.get(Core.Target), ctx.get(Core.Kernel)));
    bind(Gpio).toDynamicValue((ctx) => ctx.get(GpioModel));
    bind(EtmEventSources).toDynamicValue((ctx) => ctx.get(GpioModel).etmEvents);
    bind(EtmTaskSinks).toDynamicValue((ctx) => ctx.get(GpioModel).etmTasks);
    bind(TraceModels).toDynamicValue((ctx) => gpioTraceModel(ctx.get(GpioModel)));
  },
});
