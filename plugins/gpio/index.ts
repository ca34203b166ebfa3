export { gpio } from './plugin.js';
export { Gpio } from './tokens.js';
export { gpioCaps, gpioCapsSchema, type GpioCaps } from './caps.js';
export { GpioModel, type GpioService, type GpioLevel, type GpioBusEvents } from './gpio-model.js';
export {
  C6_GPIO_EVENT_IDS,
  C6_GPIO_TASK_IDS,
  C6_GPIO_ETM_CAPS,
  type GpioEdge,
  type GpioAction,
  type GpioEtmEvent,
  type GpioEtmTask,
} from './gpio-etm.js';
