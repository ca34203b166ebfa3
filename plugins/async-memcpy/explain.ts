import type { Checker } from '../../core/diagnostics/checker.js';
import type { FindingReport } from '../../core/diagnostics/finding.js';
import { hex } from '../../core/errors.js';
import type { Region } from '../../core/memory/memory.js';

const ASYNC_MEMCPY_C =
  'esp-idf components/esp_hw_support/dma/async_memcpy_gdma.c (esp_async_memcpy: "address|size not aligned", "buffer not reachable")';
const ASYNC_MEMCPY_DOC = 'esp-idf docs api-reference/system/async_memcpy.rst';

/** The rules esp_async_memcpy reports itself when diagnostics are on (its refusals, explained). */
export function asyncMemcpyRules(): Checker {
  return {
    name: 'async-memcpy',
    rules: [
      {
        id: 'dma.align',
        summary: 'a copy refused with ESP_ERR_INVALID_ARG for alignment: which rule, with the numbers',
      },
      {
        id: 'dma.unreachable',
        summary: 'a copy refused with ESP_ERR_INVALID_ARG: a buffer in memory the DMA cannot reach',
      },
      {
        id: 'dma.burst-size',
        summary:
          'esp_async_memcpy_install refused with ESP_ERR_INVALID_ARG: a burst size or alignment the DMA cannot set',
      },
    ],
    start: () => undefined,
  };
}

/** The finding for a copy whose dst or n breaks the backend's alignment rule. */
export function alignFinding(
  dst: number,
  n: number,
  align: number,
  d: Region,
  setting: string,
  backend: string,
): FindingReport {
  const broken = [
    (dst & (align - 1)) !== 0 ? `dst ${hex(dst)} % ${align} = ${dst & (align - 1)}` : '',
    (n & (align - 1)) !== 0 ? `n ${n} % ${align} = ${n & (align - 1)}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const why =
    d.kind === 'psram'
      ? `PSRAM destination with ${setting}: the destination and size must be multiples of ${align}`
      : `internal destination with ${setting} on AHB GDMA v1 (burst on): the RX side needs ${align}-byte aligned address and size`;
  return {
    rule: 'dma.align',
    severity: 'error',
    objects: [`async memcpy (${backend})`, `dst ${hex(dst)}`],
    message: `esp_async_memcpy refused with ESP_ERR_INVALID_ARG: ${broken} != 0: ${why}`,
    fix: `align dst and n to ${align} (heap_caps_aligned_alloc(${align}, ...)), or install with ${setting.startsWith('dma_burst_size') ? 'dma_burst_size 0' : 'a smaller trans_align'} for unaligned copies (slower)`,
    refs: [ASYNC_MEMCPY_C, ASYNC_MEMCPY_DOC],
  };
}

/** The finding for a copy whose buffer is in memory the backend cannot reach. */
export function reachFinding(what: string, addr: number, r: Region | string, backend: string): FindingReport {
  const where = typeof r === 'string' ? r : `in ${r.kind} ${r.name}`;
  const fix =
    typeof r === 'string'
      ? 'pass a buffer inside one memory region'
      : r.kind === 'psram'
        ? `this ${backend} backend does not reach PSRAM: allocate with MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL`
        : 'allocate the buffer with MALLOC_CAP_DMA (heap_caps_malloc(n, MALLOC_CAP_DMA))';
  return {
    rule: 'dma.unreachable',
    severity: 'error',
    objects: [`async memcpy (${backend})`, `${what} ${hex(addr)}`],
    message: `esp_async_memcpy refused with ESP_ERR_INVALID_ARG: ${what} ${hex(addr)} is ${where}, which the ${backend} backend cannot reach`,
    fix,
    refs: [ASYNC_MEMCPY_C, 'esp-idf docs api-guides/memory-types.rst (DMA-capable memory)'],
  };
}

/**
 * The finding for an install refused over its burst configuration (config.ts transferRules: dma_burst_size not a
 * power of two or not one the GDMA sets, trans_align out of range, a field of another ESP-IDF release).
 */
export function burstFinding(
  refusal: string,
  config: { dmaBurstSize?: number; psramTransAlign?: number; sramTransAlign?: number },
  backend: string,
  target: string,
): FindingReport {
  const given = (
    [
      ['dma_burst_size', config.dmaBurstSize],
      ['psram_trans_align', config.psramTransAlign],
      ['sram_trans_align', config.sramTransAlign],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  const reason = refusal.replace(/^ESP_ERR_INVALID_ARG: esp_async_memcpy_install: /, '');
  return {
    rule: 'dma.burst-size',
    severity: 'error',
    objects: [`async memcpy (${backend})`],
    message: `esp_async_memcpy_install refused with ESP_ERR_INVALID_ARG on ${target}${given ? ` (${given})` : ''}: ${reason}`,
    fix: 'use a burst size this GDMA sets (a power of two; on the ESP32-S3 16, 32 or 64), or 0 to turn burst off',
    refs: [
      'esp-idf components/esp_hw_support/dma/async_memcpy_gdma.c (esp_async_memcpy_install_gdma_ahb: dma_burst_size checks)',
      'esp-idf components/hal/<chip>/include/hal/gdma_ll.h (gdma_ll_*_set_burst_size: 16/32/64 where adjustable)',
    ],
  };
}
