import { z } from 'zod';
import { defineCapsSection } from '../../../core/target/caps.js';
import { dmaTimingSchema } from '../engine/timing.js';
import { DESCRIPTOR_MAX_BYTES } from '../engine/descriptor.js';

/** ESP32-S2 copy DMA: M2M only, SRAM only. */
export const cpdmaCapsSchema = z.object({
  channels: z.number().int().positive(),
  /** Bytes per descriptor the drivers use; at most 4095, what the 12-bit size/length fields hold (hal/dma_types.h). */
  maxDescriptorBytes: z.number().int().positive().max(DESCRIPTOR_MAX_BYTES),
  /**
   * Whether the CP DMA follows a circular descriptor list (default true: ESP-IDF v5.0's async memcpy ran the CP DMA
   * on a ring of descriptors, esp_async_memcpy.c "circle TX/RX descriptors"). False makes circular lists a finding
   * (dma.circular-unsupported) on a custom target.
   */
  circularLists: z.boolean().optional(),
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
