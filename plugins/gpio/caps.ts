import { z } from 'zod';
import { defineCapsSection } from '../../core/target/caps.js';

const int = z.number().int();

/**
 * GPIO pins; where the GPIO has ETM, its event and task channels and the hardware IDs of channel 0 per edge
 * and per action (channel n is base + n; default: the ESP32-C6 table).
 */
export const gpioCapsSchema = z.object({
  pins: int.positive(),
  etm: z
    .object({
      eventChannels: int.nonnegative(),
      taskChannels: int.nonnegative(),
      eventIds: z.object({ pos: int.positive(), neg: int.positive(), any: int.positive() }).strict().optional(),
      taskIds: z.object({ set: int.positive(), clear: int.positive(), toggle: int.positive() }).strict().optional(),
    })
    .optional(),
});
/** `caps.gpio` (gpioCapsSchema's type). */
export type GpioCaps = z.infer<typeof gpioCapsSchema>;

/** `caps.gpio`, owned by the gpio plugin (other plugins read the pin count). */
export const gpioCaps = defineCapsSection('gpio', gpioCapsSchema);

declare module '../../core/target/target.js' {
  interface TargetCaps {
    /** GPIO pins and their ETM (plugins/gpio). */
    gpio?: GpioCaps;
  }
}
