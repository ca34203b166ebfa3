import { defineToken } from '../../core/plugin/tokens.js';
import type { GpioService } from './gpio-model.js';

/** The GPIO service (gpio_set_level, gpio_get_level, gpio_new_etm_event, gpio_new_etm_task). */
export const Gpio = defineToken<GpioService>('Gpio');
