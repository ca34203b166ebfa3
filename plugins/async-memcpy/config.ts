import { EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import type { IdfInfo } from '../../core/idf.js';
import type { TargetCaps } from '../../core/target/target.js';

/**
 * async_memcpy_config_t across ESP-IDF releases (SILICON.md):
 * - v5.0-v5.2: `{ backlog, sram_trans_align, psram_trans_align, flags }`;
 * - v5.3-v5.5: `sram_trans_align` deprecated (accepted, unused), `psram_trans_align` and `dma_burst_size` one
 *   union field;
 * - master: `{ backlog, weight, dma_burst_size, flags }` (default `{ backlog: 8, dma_burst_size: 16 }`).
 * `weight` is accepted from v5.3 on and changes nothing: none of these GDMAs has weighted arbitration.
 */
export interface AsyncMemcpyConfig {
  /** Transactions that may be queued (0 means 4; default 8). */
  backlog?: number;
  /** v5.3+: burst size in bytes, a power of two, 0 disables burst (default 16). ESP32-S3: 0, 16, 32 or 64. */
  dmaBurstSize?: number;
  /** master (accepted from v5.3): arbitration weight; no effect on these targets. */
  weight?: number;
  /** v5.0-v5.2: SRAM alignment of `dst` and `n` (0 or a power of two; >= 4 enables RX burst). Deprecated in v5.3-v5.5. */
  sramTransAlign?: number;
  /** v5.0-v5.2: PSRAM alignment, 16, 32 or 64 (0: the data cache line). v5.3-v5.5: the same field as dmaBurstSize. */
  psramTransAlign?: number;
  /** ASYNC_MEMCPY_FLAGS_*: accepted, no effect. */
  flags?: number;
}

/** What a config means for the channels and the alignment checks of one install. */
export interface TransferRules {
  txBurst: number;
  rxBurst: number;
  /** Alignment of `dst` and `n` for an SRAM / a PSRAM destination (1: none). */
  sramAlign: number;
  psramAlign: number;
  /** The driver's message for a misaligned copy ("buffer not aligned" before v5.3, "address|size not aligned" after). */
  misaligned: string;
}

/** The ESP32-S3's data cache line (CONFIG_ESP32S3_DATA_CACHE_LINE_SIZE's default, 32 B): psram_trans_align 0's fallback in v5.0-v5.2. */
export const DATA_CACHE_LINE_BYTES = 32;

const isPow2 = (n: number): boolean => Number.isSafeInteger(n) && n >= 0 && (n & (n - 1)) === 0;
const fail = (msg: string): never => {
  throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy_install: ${msg}`);
};

/** Checks `config` against the modelled release's config generation and the GDMA's burst rules; the rules. */
export function transferRules(
  config: AsyncMemcpyConfig,
  idf: IdfInfo,
  gdma: TargetCaps['gdma'] | undefined,
): TransferRules {
  if (idf.between('5.0', '5.2')) return legacyRules(config, idf);
  if (idf.atLeast('master') && (config.sramTransAlign !== undefined || config.psramTransAlign !== undefined)) {
    fail(
      'sram_trans_align and psram_trans_align are gone from async_memcpy_config_t on ESP-IDF master; set dmaBurstSize',
    );
  }
  // v5.3-v5.5: psram_trans_align and dma_burst_size share one union field
  if (
    config.psramTransAlign !== undefined &&
    config.dmaBurstSize !== undefined &&
    config.psramTransAlign !== config.dmaBurstSize
  ) {
    fail(
      `psram_trans_align (${config.psramTransAlign}) and dma_burst_size (${config.dmaBurstSize}) are one union field in ESP-IDF v${idf.version}; give one`,
    );
  }
  const burst = config.dmaBurstSize ?? config.psramTransAlign ?? 16;
  if (!isPow2(burst)) fail(`dma_burst_size must be 0 or a power of two, got ${String(burst)}`);
  // ESP32-S3 (GDMA_LL_AHB_BURST_SIZE_ADJUSTABLE): gdma_ll_*_set_burst_size takes 16/32/64 only; C3/C6/H2: any
  // power of two just enables burst (esp_async_memcpy_gdma.c, gdma.c)
  if (gdma?.burstSizes && burst !== 0 && !gdma.burstSizes.includes(burst)) {
    fail(
      `dma_burst_size ${burst} is not one this GDMA sets (0 or ${gdma.burstSizes.join(', ')}; the HAL asserts on others)`,
    );
  }
  return {
    txBurst: burst,
    rxBurst: burst,
    sramAlign: burst > 0 ? 4 : 1,
    psramAlign: burst > 0 ? Math.max(4, burst) : 1,
    misaligned: 'address|size not aligned',
  };
}

/**
 * v5.0-v5.2 (esp_async_memcpy_gdma.c, gdma_set_transfer_ability): sram_trans_align a power of two (>= 4 turns
 * the RX channel's burst on; TX bursts whatever the alignment), psram_trans_align 16/32/64 or 0 for the data
 * cache line; a copy whose `dst`/`n` miss the alignment of the destination's memory is "buffer not aligned".
 */
function legacyRules(config: AsyncMemcpyConfig, idf: IdfInfo): TransferRules {
  if (config.dmaBurstSize !== undefined || config.weight !== undefined) {
    fail(
      `async_memcpy_config_t has no ${config.dmaBurstSize !== undefined ? 'dma_burst_size' : 'weight'} in ESP-IDF v${idf.version} (v5.0-v5.2: sramTransAlign, psramTransAlign)`,
    );
  }
  const sram = config.sramTransAlign ?? 0;
  if (!isPow2(sram)) fail(`sram_trans_align must be 0 or a power of two, got ${String(config.sramTransAlign)}`);
  const psramIn = config.psramTransAlign ?? 0;
  if (![0, 16, 32, 64].includes(psramIn))
    fail(`psram_trans_align must be 0, 16, 32 or 64, got ${String(config.psramTransAlign)}`);
  return {
    txBurst: 16,
    rxBurst: sram >= 4 ? 16 : 0,
    sramAlign: Math.max(1, sram),
    psramAlign: psramIn || DATA_CACHE_LINE_BYTES,
    misaligned: 'buffer not aligned',
  };
}
