import { z } from 'zod';
import { defineCapsSection } from '../../../core/target/caps.js';
import { dmaEtmIdsSchema } from '../engine/etm-ids.js';
import { dmaTimingSchema } from '../engine/timing.js';

const int = z.number().int();

/** General DMA: AHB (and AXI) pairs, which pairs may do memory-to-memory, priorities, ETM, PSRAM reach. */
export const gdmaCapsSchema = z.object({
  ahbPairs: int.nonnegative(),
  axiPairs: int.nonnegative().optional(),
  m2mPairMask: int.nonnegative(),
  axiM2mPairMask: int.nonnegative().optional(),
  priorities: int.positive(),
  etm: z.boolean(),
  psramAccess: z.boolean(),
  /** Peripheral trigger IDs (SPI2, SPI3, ...). */
  peripheralTriggers: z.record(z.string(), int.nonnegative()),
  /** Trigger IDs free for memory-to-memory use. */
  freeM2mTriggerMask: int.nonnegative(),
  /** ETM event/task ID bases (where `etm`). */
  etmIds: dmaEtmIdsSchema.optional(),
  /** The engine's timing parameters (plugins/dma/engine/timing.ts; default: the ESP32-S3's). */
  timing: dmaTimingSchema.optional(),
});
/** `caps.gdma` (gdmaCapsSchema's type). */
export type GdmaCaps = z.infer<typeof gdmaCapsSchema>;

/** `caps.gdma`, owned by the gdma plugin (async memcpy and SPI read it too). */
export const gdmaCaps = defineCapsSection('gdma', gdmaCapsSchema);

declare module '../../../core/target/target.js' {
  interface TargetCaps {
    /** General DMA (plugins/dma/gdma): pairs, masks, priorities, ETM IDs, timing. */
    gdma?: GdmaCaps;
  }
}
