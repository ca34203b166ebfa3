/** The largest DMA burst the drivers accept, in bytes (gdma_transfer_config_t.max_data_burst_size, esp_private/gdma.h). */
export const MAX_DMA_BURST_BYTES = 64;

/** What a burst size may be, for error messages. */
export const DMA_BURST_SIZES = `0 or a power of two up to ${MAX_DMA_BURST_BYTES}`;

/** Whether `n` is a burst size the DMA drivers accept: 0 (burst off) or a power of two up to 64. */
export function isDmaBurstSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_DMA_BURST_BYTES && (n & (n - 1)) === 0;
}
