import { z } from 'zod';
import { defineCapsSection } from '../../core/target/caps.js';

const int = z.number().int();
const ids = z.array(int.positive());

/**
 * General-purpose timers: how many, their source clock (default 80 MHz), whether they have ETM, and the ETM
 * event/task IDs per timer index (default: the ESP32-C6 table).
 */
export const gptimerCapsSchema = z.object({
  timers: int.nonnegative(),
  etm: z.boolean(),
  clockHz: int.positive().optional(),
  etmIds: z
    .object({ alarmMatch: ids, startCount: ids, stopCount: ids, enAlarm: ids, reload: ids, capture: ids })
    .strict()
    .optional(),
});
/** `caps.gptimer` (gptimerCapsSchema's type). */
export type GpTimerCaps = z.infer<typeof gptimerCapsSchema>;

/** `caps.gptimer`, owned by the gptimer plugin. */
export const gptimerCaps = defineCapsSection('gptimer', gptimerCapsSchema);

declare module '../../core/target/target.js' {
  interface TargetCaps {
    /** General-purpose timers and their ETM (plugins/gptimer). */
    gptimer?: GpTimerCaps;
  }
}
