import type { Checker, RuleInfo } from '../../diagnostics/checker.js';
import type { FindingReport } from '../../diagnostics/finding.js';
import { hex } from '../../errors.js';

/** ESP-IDF's documentation of the cache-to-DMA contract. */
const ESP_CACHE_H = 'esp-idf components/esp_mm/include/esp_cache.h (esp_cache_msync)';
const MEMORY_TYPES = 'esp-idf docs api-guides/memory-types.rst (DMA-capable memory, external RAM and the cache)';
/** A public thread where the missing write-back / invalidate made an ESP32-S3 DMA move stale PSRAM bytes. */
const NUTTX_18350 = 'apache/nuttx#18350 (esp32s3: fix data transmission failure when buffer is in PSRAM)';
const CAMERA_493 = 'espressif/esp32-camera#493 (When PSRAM is used as DMA buffer, handle invalid data in cache)';

/** The rules of the data cache model: a DMA reading dirty data, the CPU reading stale lines, an invalidate dropping dirty bytes. */
export const CACHE_RULES: readonly RuleInfo[] = [
  {
    id: 'cache.dirty-before-dma',
    summary: 'a DMA read memory whose newest bytes were still dirty in the data cache: it read the old bytes',
  },
  {
    id: 'cache.stale-after-dma',
    summary: 'the CPU read a cached line a DMA had written under it, without an invalidate: it read stale bytes',
  },
  {
    id: 'cache.invalidate-drops-dirty',
    summary: 'an invalidate (esp_cache_msync M2C) dropped dirty bytes the CPU had not written back',
  },
];

/**
 * The cache rules as a checker: it watches nothing itself (the cache model reports as it sees each case), but
 * declaring the rules lets `checks: ['cache']` select them and `run --check` list them.
 */
export function cacheChecker(): Checker {
  return { name: 'cache', rules: CACHE_RULES, start: () => undefined };
}

/** A range of bytes, as findings print it. */
function range(addr: number, n: number): string {
  return `[${hex(addr)}, ${hex(addr + n)})`;
}

/** The cache lines [addr, addr+len) touches, as the address and size an aligned esp_cache_msync takes. */
function wholeLines(addr: number, len: number, lineBytes: number): [number, number] {
  const lo = addr - (addr % lineBytes);
  return [lo, Math.ceil((addr + len) / lineBytes) * lineBytes - lo];
}

/** `n` dirty bytes in [addr, addr+len) of lines starting at `firstLine` were not written back when `who` read them. */
export function dirtyBeforeDma(
  who: string,
  addr: number,
  len: number,
  firstDirty: number,
  dirtyBytes: number,
  lines: number,
  lineBytes: number,
): FindingReport {
  return {
    rule: 'cache.dirty-before-dma',
    severity: 'error',
    objects: [who, `data cache line ${hex(firstDirty - (firstDirty % lineBytes))}`],
    message:
      `${who} read ${range(addr, len)} from external memory while ${dirtyBytes} byte(s) in ${lines} cache line(s) ` +
      `(first at ${hex(firstDirty)}) were still dirty in the data cache: the DMA moved the old bytes`,
    fix:
      `write the buffer back before the DMA starts: esp_cache_msync(${hex(addr)}, ${len}, ESP_CACHE_MSYNC_FLAG_DIR_C2M` +
      `${addr % lineBytes !== 0 || len % lineBytes !== 0 ? ' | ESP_CACHE_MSYNC_FLAG_UNALIGNED' : ''})`,
    refs: [ESP_CACHE_H, MEMORY_TYPES, NUTTX_18350],
  };
}

/** The CPU read `n` bytes from lines `who` wrote under the cache. */
export function staleAfterDma(
  addr: number,
  len: number,
  firstStale: number,
  lines: number,
  who: string,
  lineBytes: number,
): FindingReport {
  const [lo, size] = wholeLines(addr, len, lineBytes);
  return {
    rule: 'cache.stale-after-dma',
    severity: 'error',
    objects: ['cpu', who, `data cache line ${hex(firstStale)}`],
    message:
      `the CPU read ${range(addr, len)} through ${lines} cache line(s) (first ${hex(firstStale)}) that were cached ` +
      `before ${who} wrote the memory under them: it read the stale cached bytes, not what the DMA wrote`,
    fix:
      `invalidate the destination after the DMA and before reading it: esp_cache_msync(${hex(lo)}, ${size}, ` +
      'ESP_CACHE_MSYNC_FLAG_DIR_M2C), with the buffer aligned to the cache line (esp_cache_aligned_malloc)',
    refs: [ESP_CACHE_H, MEMORY_TYPES, CAMERA_493],
  };
}

/** `who` wrote [addr, addr+len) under `lines` dirty cache lines: their write-back will overwrite what it wrote. */
export function dirtyUnderDma(
  who: string,
  addr: number,
  len: number,
  firstLine: number,
  lines: number,
  lineBytes: number,
): FindingReport {
  const [lo, size] = wholeLines(addr, len, lineBytes);
  return {
    rule: 'cache.stale-after-dma',
    severity: 'error',
    objects: [who, `data cache line ${hex(firstLine)}`],
    message:
      `${who} wrote ${range(addr, len)} under ${lines} dirty cache line(s) (first ${hex(firstLine)}): the CPU reads ` +
      "the cached bytes, and the lines' write-back will overwrite what the DMA wrote",
    fix:
      `invalidate the destination before the DMA starts (esp_cache_msync(${hex(lo)}, ${size}, ` +
      'ESP_CACHE_MSYNC_FLAG_DIR_M2C)) and again before reading it, with the buffer in cache lines of its own',
    refs: [ESP_CACHE_H, MEMORY_TYPES, CAMERA_493],
  };
}

/** The write-back of the dirty line at `line` landed over bytes `who` had written under it. */
export function writeBackOverDma(line: number, lineBytes: number, who: string): FindingReport {
  return {
    rule: 'cache.stale-after-dma',
    severity: 'error',
    objects: [who, `data cache line ${hex(line)}`],
    message:
      `the data cache wrote back line ${range(line, lineBytes)}, dirtied by the CPU after ${who} wrote under it: ` +
      "the whole line landed over the DMA's bytes, which are lost",
    fix:
      "do not touch a DMA buffer's cache lines until the DMA is done and they are invalidated (esp_cache_msync M2C); " +
      'keep other data out of those lines (line-aligned address and size)',
    refs: [ESP_CACHE_H, MEMORY_TYPES, CAMERA_493],
  };
}

/** An invalidate of [addr, addr+size) dropped `dirty` bytes (first at `firstDirty`). */
export function invalidateDropsDirty(
  addr: number,
  size: number,
  firstDirty: number,
  dirtyBytes: number,
  lines: number,
  lineBytes: number,
): FindingReport {
  return {
    rule: 'cache.invalidate-drops-dirty',
    severity: 'error',
    objects: ['esp_cache_msync', `data cache line ${hex(firstDirty - (firstDirty % lineBytes))}`],
    message:
      `esp_cache_msync M2C of ${range(addr, size)} invalidated ${lines} line(s) holding ${dirtyBytes} dirty byte(s) ` +
      `(first at ${hex(firstDirty)}) that were never written back: those CPU writes are lost`,
    fix:
      `give DMA buffers whole cache lines of their own (${lineBytes}-byte aligned address and size: ` +
      'esp_cache_aligned_malloc / heap_caps_aligned_alloc), or write the neighbouring data back (C2M) before the invalidate',
    refs: [ESP_CACHE_H, MEMORY_TYPES],
  };
}
