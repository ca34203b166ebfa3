import type { DiagnosticsService } from '../../diagnostics/diagnostics.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NOT_SUPPORTED, hex } from '../../errors.js';
import type { IdfInfo } from '../../idf.js';
import type { MemoryMap } from '../memory.js';
import type { DataCacheCaps } from './caps.js';
import type { DataCache } from './data-cache.js';
import { invalidateDropsDirty } from './findings.js';

// esp_cache.h (components/esp_mm/include/esp_cache.h): the msync flags, bit for bit
/** C2M: invalidate after the write-back; M2C: invalidates anyway. */
export const ESP_CACHE_MSYNC_FLAG_INVALIDATE = 1 << 0;
/** Allows an address and size not aligned to the cache line (C2M only). */
export const ESP_CACHE_MSYNC_FLAG_UNALIGNED = 1 << 1;
/** Cache to memory: write back (the default direction). */
export const ESP_CACHE_MSYNC_FLAG_DIR_C2M = 1 << 2;
/** Memory to cache: invalidate. */
export const ESP_CACHE_MSYNC_FLAG_DIR_M2C = 1 << 3;
/** Data cache (the default type). */
export const ESP_CACHE_MSYNC_FLAG_TYPE_DATA = 1 << 4;
/** Instruction cache (M2C only). */
export const ESP_CACHE_MSYNC_FLAG_TYPE_INST = 1 << 5;
const ALL_FLAGS = 0x3f;

/** esp_cache.h: cache maintenance by address, and the alignment DMA buffers in cached memory need. */
export interface CacheService {
  /** Whether the coherency model runs (`createSimulation({ cache: true })`); without it memory is always coherent. */
  readonly modelled: boolean;
  /** caps.cache: the data cache in front of external memory, if the target has one. */
  readonly caps: DataCacheCaps | undefined;
  /**
   * esp_cache_msync(addr, size, flags). Returns normally for ESP_OK; throws EspError ESP_ERR_INVALID_ARG for a
   * null address, an overflowing range, both directions or both types, an address or size not aligned to the
   * cache line without ESP_CACHE_MSYNC_FLAG_UNALIGNED, UNALIGNED with M2C, or TYPE_INST with C2M; a range outside
   * cacheable memory is ESP_ERR_NOT_SUPPORTED on ESP-IDF master (ESP_ERR_INVALID_ARG on the releases). A refused
   * call changes nothing.
   */
  msync(addr: number, size: number, flags?: number): void;
  /** esp_cache_get_alignment(heap_caps): the data cache line of the memory those caps allocate from (0: uncached). */
  getAlignment(caps?: readonly ('dma' | 'internal' | 'spiram')[]): number;
  /** esp_cache_get_line_size_by_addr: the data cache line of the memory at `addr` (0: not cacheable). */
  getLineSizeByAddr(addr: number): number;
}

/** The flag names set in `flags`, for messages. */
function flagNames(flags: number): string {
  const names = ['INVALIDATE', 'UNALIGNED', 'DIR_C2M', 'DIR_M2C', 'TYPE_DATA', 'TYPE_INST'];
  return (
    names
      .filter((_, i) => (flags & (1 << i)) !== 0)
      .map((n) => `ESP_CACHE_MSYNC_FLAG_${n}`)
      .join(' | ') || '0'
  );
}

/**
 * The rules of ESP-IDF's esp_cache_msync (components/esp_mm/esp_cache.c), in its order: null pointer, range
 * overflow, both directions or types, range not cacheable (cache_hal_vaddr_to_cache_level_id: master returns
 * ESP_ERR_NOT_SUPPORTED "vaddr is not in cacheable range, do nothing"; the 2023 code of the v5.x releases
 * ESP_ERR_INVALID_ARG "invalid addr or null pointer"), line alignment of addr and size unless UNALIGNED, then
 * M2C with UNALIGNED refused (master; the 2023 code lacked that check, and the release that added it was not
 * identified: the releases here keep the older behaviour), C2M with TYPE_INST refused. M2C invalidates; C2M
 * writes back where SOC_CACHE_WRITEBACK_SUPPORTED (caps.cache.writeBack), then invalidates with INVALIDATE.
 * The instruction cache's line is taken as the data cache's (the targets' defaults agree).
 */
export class CacheServiceImpl implements CacheService {
  constructor(
    readonly caps: DataCacheCaps | undefined,
    private readonly memory: MemoryMap,
    private readonly idf: IdfInfo,
    private readonly model: DataCache | undefined,
    private readonly diagnostics: DiagnosticsService | undefined,
  ) {}

  get modelled(): boolean {
    return this.model !== undefined;
  }

  msync(addr: number, size: number, flags = 0): void {
    this.sync(addr, size, flags, false);
  }

  /**
   * @internal A driver's own M2C before a DMA overwrites the range (esp_dma_split_rx_buffer_to_cache_aligned):
   * dirty bytes dropped there are about to be overwritten, so no finding.
   */
  syncForDma(addr: number, size: number, flags: number): void {
    this.sync(addr, size, flags, true);
  }

  getAlignment(caps: readonly ('dma' | 'internal' | 'spiram')[] = []): number {
    if (!Array.isArray(caps))
      throw new EspError(ESP_ERR_INVALID_ARG, "esp_cache_get_alignment: caps must be an array like ['spiram']");
    // internal memory is not behind a data cache on these targets (SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE unset; the
    // ESP32-P4's L1 cache in front of its L2MEM is not modelled)
    return caps.includes('spiram') && this.caps?.kinds.includes('psram') ? this.caps.lineBytes : 0;
  }

  getLineSizeByAddr(addr: number): number {
    const r = Number.isSafeInteger(addr) && addr > 0 ? this.memory.regionAt(addr) : undefined;
    return r !== undefined && r.kind === 'psram' && this.caps?.kinds.includes('psram') ? this.caps.lineBytes : 0;
  }

  private sync(addr: number, size: number, flags: number, forDma: boolean): void {
    const name = 'esp_cache_msync';
    if (!Number.isSafeInteger(flags) || flags < 0 || (flags & ~ALL_FLAGS) !== 0)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${name}: flags must be ESP_CACHE_MSYNC_FLAG_* bits (0x0..0x3f), got ${String(flags)}`,
      );
    if (!Number.isSafeInteger(size) || size < 0)
      throw new EspError(ESP_ERR_INVALID_ARG, `${name}: size must be a non-negative integer, got ${String(size)}`);
    if (addr === 0 || !Number.isSafeInteger(addr) || addr < 0)
      throw new EspError(ESP_ERR_INVALID_ARG, `${name}: null pointer (addr ${String(addr)})`);
    if (addr + size > 0xffff_ffff)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${name}: wrong size, total size overflow (${hex(addr)} + ${size} passes the 32-bit address space)`,
      );
    const c2m = (flags & ESP_CACHE_MSYNC_FLAG_DIR_C2M) !== 0;
    const m2c = (flags & ESP_CACHE_MSYNC_FLAG_DIR_M2C) !== 0;
    const inst = (flags & ESP_CACHE_MSYNC_FLAG_TYPE_INST) !== 0;
    if ((c2m && m2c) || (inst && (flags & ESP_CACHE_MSYNC_FLAG_TYPE_DATA) !== 0))
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${name}: both C2M and M2C directions, or both data and instruction type are selected (${flagNames(flags)}): ` +
          'select one direction and one type',
      );
    const r = this.memory.regionAt(addr);
    const cacheable =
      this.caps !== undefined &&
      r !== undefined &&
      (this.caps.kinds as readonly string[]).includes(r.kind) &&
      addr + size <= r.end;
    if (!cacheable) {
      const where = r ? `${r.kind} region ${r.name}` : 'no memory region';
      const why = this.caps
        ? `[${hex(addr)}, ${hex(addr + size)}) is in ${where}, which is not behind the data cache (cacheable: ${this.caps.kinds.join(', ')})`
        : `this target has no data cache in front of external memory ([${hex(addr)}, ${hex(addr + size)}) is in ${where})`;
      if (this.idf.version === 'master')
        throw new EspError(ESP_ERR_NOT_SUPPORTED, `${name}: vaddr is not in cacheable range, do nothing: ${why}`);
      throw new EspError(ESP_ERR_INVALID_ARG, `${name}: invalid addr: ${why}`);
    }
    const line = this.caps!.lineBytes;
    const unaligned = (flags & ESP_CACHE_MSYNC_FLAG_UNALIGNED) !== 0;
    if (!unaligned && (addr % line !== 0 || size % line !== 0))
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${name}: start address ${hex(addr)} or size ${size} is not aligned with the cache line size (${line} B): ` +
          `align both to ${line} (esp_cache_aligned_malloc), or add ESP_CACHE_MSYNC_FLAG_UNALIGNED for a C2M write-back`,
      );
    if (m2c && unaligned && this.idf.version === 'master')
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${name}: M2C direction doesn't allow ESP_CACHE_MSYNC_FLAG_UNALIGNED: an invalidate works on whole lines ` +
          `(${line} B) and would drop the neighbours' data; align the buffer to the line instead`,
      );
    if (!m2c && inst)
      throw new EspError(ESP_ERR_INVALID_ARG, `${name}: C2M direction doesn't support instruction type`);
    const model = this.model;
    if (model === undefined || inst) return;
    if (m2c) {
      const dropped = model.invalidate(addr, size);
      if (dropped.lines > 0 && !forDma && this.diagnostics)
        this.diagnostics.report(
          invalidateDropsDirty(addr, size, dropped.firstDirty, dropped.dirtyBytes, dropped.lines, line),
        );
      return;
    }
    if (!this.caps!.writeBack) return; // ESP32: C2M does nothing (no SOC_CACHE_WRITEBACK_SUPPORTED)
    model.writeback(addr, size);
    if ((flags & ESP_CACHE_MSYNC_FLAG_INVALIDATE) !== 0) model.invalidate(addr, size);
  }
}
