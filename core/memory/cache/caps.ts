import { z } from 'zod';

/**
 * A target's data cache in front of external memory (`caps.cache`): what `esp_cache_msync` checks alignment
 * against, and the geometry of the opt-in coherency model (`createSimulation({ cache: true })`).
 */
export const dataCacheCapsSchema = z
  .object({
    /** Data cache line in bytes, as the target's default sdkconfig sets it (a power of two). */
    lineBytes: z
      .number()
      .int()
      .positive()
      .refine((n) => (n & (n - 1)) === 0, 'expected a power of two'),
    /** The line sizes the chip's Kconfig offers (lineBytes must be one of them). */
    lineSizes: z.array(z.number().int().positive()).min(1),
    /** Capacity in bytes and associativity (set-associative, least recently used line replaced). */
    sizeBytes: z.number().int().positive(),
    ways: z.number().int().positive(),
    /** Region kinds behind the cache: CPU accesses to them go through it; DMA reaches them directly. */
    kinds: z.array(z.enum(['psram', 'flash'])).min(1),
    /**
     * SOC_CACHE_WRITEBACK_SUPPORTED: the cache can write back an address range (esp_cache_msync C2M does it).
     * Without it (ESP32), C2M returns ESP_OK doing nothing.
     */
    writeBack: z.boolean(),
  })
  .strict()
  .refine((c) => c.lineSizes.includes(c.lineBytes), { message: 'lineBytes must be one of lineSizes' })
  .refine((c) => c.sizeBytes % (c.lineBytes * c.ways) === 0, {
    message: 'sizeBytes must be a multiple of lineBytes * ways',
  });

/** caps.cache (dataCacheCapsSchema). */
export type DataCacheCaps = z.infer<typeof dataCacheCapsSchema>;
