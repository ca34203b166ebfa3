import { z } from 'zod';
import { defineCapsSection } from '../../../core/target/caps.js';
import { dmaEtmIdsSchema, dmaEtmIdTable, duplicateIds } from '../engine/etm-ids.js';
import { dmaTimingSchema } from '../engine/timing.js';

const int = z.number().int();

/**
 * The ESP32-P4's second GDMA, on the AXI bus (caps.gdma.axiPairs pairs, caps.gdma.axiM2mPairMask): its own trigger
 * IDs, PSRAM reach, ETM IDs and timing. Its descriptors are 16 bytes, 8-byte aligned (the gdma-axi plugin).
 */
export const axiGdmaCapsSchema = z
  .object({
    /** Trigger IDs free for memory-to-memory use (AXI_DMA_LL_M2M_FREE_PERIPH_ID_MASK). */
    freeM2mTriggerMask: int.nonnegative(),
    /** Peripheral trigger IDs on the AXI bus (SPI2, SPI3, ...). */
    peripheralTriggers: z.record(z.string(), int.nonnegative()),
    psramAccess: z.boolean(),
    /** ETM event/task ID bases (where caps.gdma.etm). */
    etmIds: dmaEtmIdsSchema.optional(),
    /** The AXI engine's timing (default: caps.gdma.timing). */
    timing: dmaTimingSchema.optional(),
    /** Whether the AXI engine follows a circular list (default: caps.gdma.circularLists, else true). */
    circularLists: z.boolean().optional(),
  })
  .strict();
/** `caps.gdma.axi` (axiGdmaCapsSchema's type). */
export type AxiGdmaCaps = z.infer<typeof axiGdmaCapsSchema>;

/** General DMA: AHB (and AXI) pairs, which pairs may do memory-to-memory, priorities, ETM, PSRAM reach. */
export const gdmaCapsSchema = z
  .object({
    ahbPairs: int.nonnegative(),
    axiPairs: int.nonnegative().optional(),
    m2mPairMask: int.nonnegative(),
    axiM2mPairMask: int.nonnegative().optional(),
    /** SOC_AHB_GDMA_VERSION (default 1). Version 1 needs 4-byte aligned RX buffers with burst (GDMA_LL_AHB_RX_BURST_NEEDS_ALIGNMENT). */
    ahbVersion: z.union([z.literal(1), z.literal(2)]).optional(),
    /**
     * One interrupt register per pair with RX and TX bits interleaved (the ESP32-C3's gdma_ll.h: `dev->intr[channel]`,
     * GDMA_LL_RX_EVENT_MASK 0x06A7), where other chips have one per direction. Default false.
     */
    sharedInterruptRegister: z.boolean().optional(),
    /** The AXI GDMA's parameters where axiPairs > 0 (read by the gdma-axi plugin). */
    axi: axiGdmaCapsSchema.optional(),
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
    /**
     * Burst sizes gdma_config_transfer can set where the size is adjustable (ESP32-S3: 16, 32, 64; the HAL asserts
     * on others). Absent: not adjustable, any power of two just enables burst (ESP32-C3/C6/H2).
     */
    burstSizes: z.array(int.positive()).optional(),
    /**
     * Whether the engine follows a circular descriptor list (default true). Every built-in GDMA does: ESP-IDF links
     * a list's last item back to its head or start (gdma_link.c, GDMA_FINAL_LINK_TO_HEAD/START) for I2S, PARLIO loop
     * transmission (esp-idf#19091) and the v5.0 async memcpy ring (esp_async_memcpy.c, "circle TX/RX descriptors").
     * A custom target whose DMA cannot loop says false, and dma.circular-unsupported reports circular lists there.
     */
    circularLists: z.boolean().optional(),
  })
  .superRefine((g, ctx) => {
    // one ETM ID per event and per task (two namespaces): bases closer than the pair count would give an ID twice
    // (checked where the GDMA offers its ETM IDs: caps.gdma.etm)
    if (!g.etm) return;
    const ahb = g.etmIds
      ? dmaEtmIdTable(g.etmIds, g.ahbPairs, g.axiPairs ? 'GDMA_AHB' : 'GDMA')
      : { events: [], tasks: [] };
    const axi = g.axi?.etmIds ? dmaEtmIdTable(g.axi.etmIds, g.axiPairs ?? 0, 'GDMA_AXI') : { events: [], tasks: [] };
    for (const what of ['events', 'tasks'] as const) {
      const inAhb = duplicateIds(ahb[what]);
      const all = duplicateIds([...ahb[what], ...axi[what]]);
      all.forEach(([id, a, b], i) => {
        ctx.addIssue({
          code: 'custom',
          path: i < inAhb.length ? ['etmIds'] : ['axi', 'etmIds'],
          message: `ETM ${what.slice(0, -1)} ID ${id} is both ${a} and ${b} (ID bases closer than the pair count)`,
        });
      });
    }
  });
/** `caps.gdma` (gdmaCapsSchema's type). */
export type GdmaCaps = z.infer<typeof gdmaCapsSchema>;

/** `caps.gdma`, owned by the gdma plugin (async memcpy and SPI read it too). */
export const gdmaCaps = defineCapsSection('gdma', gdmaCapsSchema, {
  dmaTriggerTables: (g) => ({
    gdma: { peripherals: g.peripheralTriggers, freeM2mMask: g.freeM2mTriggerMask, path: ['peripheralTriggers'] },
    ...(g.axi
      ? {
          'gdma-axi': {
            peripherals: g.axi.peripheralTriggers,
            freeM2mMask: g.axi.freeM2mTriggerMask,
            path: ['axi', 'peripheralTriggers'],
          },
        }
      : {}),
  }),
});

declare module '../../../core/target/target.js' {
  interface TargetCaps {
    /** General DMA (plugins/dma/gdma): pairs, masks, priorities, ETM IDs, timing. */
    gdma?: GdmaCaps;
  }
}
