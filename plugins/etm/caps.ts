import { z } from 'zod';
import { defineCapsSection } from '../../core/target/caps.js';

const int = z.number().int();

/** The Event Task Matrix: channels, and the event-to-task latency in cycles of the ETM's clock (README.md). */
export const etmCapsSchema = z.object({
  channels: int.positive(),
  latencyCycles: int.nonnegative().optional(),
  clockHz: int.positive().optional(),
});
/** `caps.etm` (etmCapsSchema's type). */
export type EtmCaps = z.infer<typeof etmCapsSchema>;

/** `caps.etm`, owned by the etm plugin (other plugins read it to know an ETM exists). */
export const etmCaps = defineCapsSection('etm', etmCapsSchema);

declare module '../../core/target/target.js' {
  interface TargetCaps {
    /** The Event Task Matrix (plugins/etm). */
    etm?: EtmCaps;
  }
}
