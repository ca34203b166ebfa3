import { z } from 'zod';
import { defineCapsSection } from '../../../core/target/caps.js';
import { dmaTimingSchema } from '../engine/timing.js';

/** ESP32-S2 copy DMA: M2M only, SRAM only. */
export const cpdmaCapsSchema = z.object({
  channels: z.number().int().positive(),
  maxDescriptorBytes: z.number().int().positive(),
  /** The engine's timing parameters (default: the S3's SRAM cycles at 80 MHz, no burst penalty). */
  timing: dmaTimingSchema.optional(),
});
/** `caps.cpdma` (cpdmaCapsSchema's type). */
export type CpDmaCaps = z.infer<typeof cpdmaCapsSchema>;

/** `caps.cpdma`, owned by the cpdma plugin. */
export const cpdmaCaps = defineCapsSection('cpdma', cpdmaCapsSchema);

declare module '../../../core/target/target.js' {
  interface TargetCaps {
    /** ESP32-S2 copy DMA (plugins/dma/cpdma). */
    cpdma?: CpDmaCaps;
  }
}
