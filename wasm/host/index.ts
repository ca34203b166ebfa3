import type { HostContext, HostFunctions } from './context.js';
import { heapFunctions } from './heap.js';
import { systemFunctions } from './system.js';
import { freertosFunctions } from './freertos.js';
import { asyncMemcpyFunctions } from './async-memcpy.js';
import { etmGpioTimerFunctions } from './etm-gpio-gptimer.js';
import { spiFunctions } from './spi.js';
import { zephyrDmaFunctions } from './zephyr-dma.js';

/** Every host function a program may import from module "env": what `soc-fabric cc` lets it leave undefined. */
export function envFunctions(ctx: HostContext, scratch: () => number): HostFunctions {
  return {
    ...heapFunctions(ctx),
    ...systemFunctions(ctx),
    ...freertosFunctions(ctx),
    ...asyncMemcpyFunctions(ctx, scratch),
    ...etmGpioTimerFunctions(ctx, scratch),
    ...spiFunctions(ctx),
    ...zephyrDmaFunctions(ctx),
  };
}

/** The names of the host functions (built without a simulation: none of them is called). */
export function hostFunctionNames(): string[] {
  return Object.keys(envFunctions({} as HostContext, () => 0)).sort();
}

/** The host functions that can block, which Asyncify must be able to unwind through. */
export const BLOCKING_HOST_FUNCTIONS = [
  '__sf_delay_ticks',
  '__sf_busy_wait_us',
  '__sf_yield',
  '__sf_task_delete',
  '__sf_sem_take',
  '__sf_queue_send',
  '__sf_queue_receive',
  '__sf_notify_take',
  '__sf_spi_transmit',
  '__sf_spi_queue_trans',
  '__sf_spi_get_trans_result',
] as const;
