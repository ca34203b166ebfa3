import { defineToken } from '../../core/plugin/tokens.js';
import type { GpTimerService } from './gptimer-driver.js';

/** The gptimer driver (gptimer_new_timer and the gptimer_* functions on its handles). */
export const GpTimer = defineToken<GpTimerService>('GpTimer');
