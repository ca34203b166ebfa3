import type { EventBus, SimEvent } from '../../../../core/bus/event-bus.js';
import type { Checker, CheckerContext } from '../../../../core/diagnostics/checker.js';
import { hex } from '../../../../core/errors.js';
import type { MemoryMap, Region } from '../../../../core/memory/memory.js';
import type { DmaDir } from '../channel-api.js';
import {
  DESCRIPTOR_MAX_ALIGNED_BYTES,
  DESCRIPTOR_MAX_BYTES,
  DescriptorMemory,
  watchDescriptorOverflow,
  type DescriptorFieldOverflow,
  type DescriptorFormat,
} from '../descriptor.js';
import type { DmaBusEvents } from '../engine.js';

const DMA_TYPES = 'esp-idf components/hal/include/hal/dma_types.h (size/length 12 bits, suc_eof, owner)';
const GDMA_H = 'esp-idf components/esp_hw_support/include/esp_private/gdma.h (on_descr_err, gdma_apply_strategy)';
const LLDESC_H = 'esp-idf components/soc/include/soc/lldesc.h ("the size field has 12 bits, but 0 not for 4096")';
const ZEPHYR_82819 =
  'zephyrproject-rtos/zephyr#82819 (ESP32 GDMA: blocks above DMA_DESCRIPTOR_BUFFER_MAX_SIZE split over several descriptors)';
/** Descriptors walked from a list head at most (a longer list is not judged). */
const MAX_WALK = 4096;
/** Overflows already reported: one finding per write when several engines (AHB and AXI, say) watch one memory. */
const reportedOverflows = new WeakSet<DescriptorFieldOverflow>();

export interface DescriptorCheckerParams {
  engine: string;
  descriptor: DescriptorFormat;
  /**
   * Whether this DMA follows a circular list (default true, as every built-in DMA does: caps.gdma.circularLists,
   * caps.cpdma.circularLists). When false, a list that comes back on itself is dma.circular-unsupported.
   */
  circular?: boolean;
  /**
   * Whether the engine's channel runs now (started; not stopped, ended or errored). Asked on a software write,
   * so the checker need not follow every end of transfer on the bus (what made checks cost on every copy).
   */
  running(pair: number, dir: DmaDir): boolean;
}

/**
 * Descriptor chains: a TX list that loops without an EOF or ends without one, a descriptor error explained (owner
 * = CPU, a size that wrapped to 0, alignment, reach), software writing a descriptor that a running channel still
 * owns, a size or length too large for its 12-bit field, and a circular list on a DMA that cannot follow one.
 */
export function dmaDescriptorChecker(bus: EventBus, memory: MemoryMap, p: DescriptorCheckerParams): Checker {
  const dm = new DescriptorMemory(memory);
  // the list head of each channel's last start, indexed by pair * 2 + (TX ? 1 : 0) (0: never started); walked
  // again only when software writes memory while the channel still runs, which the hot path never does
  const heads: number[] = [];
  const label = (pair: number, dir: DmaDir): string => `${p.engine} pair ${pair} ${dir.toUpperCase()}`;
  const stride = p.descriptor.bytes;
  const align = p.descriptor.align;

  /** The descriptor after `addr`, or -1 when `addr` holds no readable descriptor (0 ends the list). */
  // the region of the last descriptor read and its words: a list lies in one region, so a walk (at every TX
  // start) looks the region up once instead of twice per descriptor
  let lastRegion: Region | undefined;
  let lastWords: Uint32Array = new Uint32Array(0);
  /** Index in `lastWords` of the descriptor at `addr`, or -1 when no region holds a whole descriptor there. */
  const at = (addr: number): number => {
    const c = lastRegion;
    if (c === undefined || addr < c.base || addr + stride > c.end) {
      const r = dm.regionOf(addr, stride);
      if (!r) return -1;
      lastRegion = r;
      lastWords = dm.view(r);
      return (addr - r.base) >>> 2;
    }
    return (addr - c.base) >>> 2;
  };
  const next = (addr: number): number => {
    if (addr % align !== 0) return -1;
    const i = at(addr);
    return i < 0 ? -1 : lastWords[i + 2]!;
  };
  const sucEof = (addr: number): boolean => {
    const i = at(addr);
    return i >= 0 && (lastWords[i]! & 0x4000_0000) !== 0;
  };

  /**
   * Walks the list at `head` without allocating (Brent's cycle detection): its length, whether it has a
   * suc_eof, and where it loops (0: it ends; -1: it runs into memory holding no descriptor).
   */
  const walk = (head: number): { count: number; eof: boolean; loopAt: number; loopHasEof: boolean; last: number } => {
    let power = 1;
    let lam = 1;
    let tortoise = head;
    let hare = head;
    let count = 0;
    let eof = false;
    let last = head;
    while (hare !== 0 && count < MAX_WALK) {
      if (sucEof(hare)) eof = true;
      last = hare;
      const n = next(hare);
      count++;
      if (n < 0) return { count, eof, loopAt: -1, loopHasEof: false, last };
      hare = n;
      if (hare === tortoise) {
        // hare is on the cycle: walk it once for an EOF
        let e = false;
        let x = hare;
        do {
          if (sucEof(x)) e = true;
          x = next(x);
        } while (x !== hare && x > 0);
        return { count, eof, loopAt: hare, loopHasEof: e, last };
      }
      if (power === lam) {
        tortoise = hare;
        power *= 2;
        lam = 0;
      }
      lam++;
    }
    return { count, eof, loopAt: 0, loopHasEof: false, last };
  };

  const explain = (reason: string): string => {
    if (reason.includes('owned by the CPU')) {
      return 'set owner = DMA (1) on every descriptor before gdma_start, and again when re-arming a list; or turn the owner check off (gdma_apply_strategy owner_check = false)';
    }
    if (reason.includes('size 0'))
      return 'a descriptor holds at most 4095 bytes (12-bit size): 4096 wraps to 0; split the buffer (4092 where 4-byte alignment is needed)';
    if (reason.includes('aligned'))
      return `put descriptors at ${p.descriptor.align}-byte aligned addresses (heap_caps_aligned_alloc, MALLOC_CAP_DMA)`;
    if (reason.includes('cannot'))
      return 'allocate descriptors and buffers with MALLOC_CAP_DMA (internal SRAM, or PSRAM where this DMA reaches it)';
    if (reason.includes('RX list ended'))
      return 'give the RX list room for the whole transfer (sum of sizes >= bytes sent)';
    return 'check the descriptor list the channel was started on';
  };

  return {
    name: 'dma-descriptors',
    rules: [
      { id: 'dma.descriptor-loop', summary: 'a TX list loops without an EOF: the DMA circles forever' },
      { id: 'dma.descriptor-no-eof', summary: 'a TX list ends without suc_eof: the receiver never sees the end' },
      {
        id: 'dma.descriptor-error',
        summary: 'the DMA stopped on a descriptor error (owner = CPU, size 0, alignment, reach), explained',
      },
      { id: 'dma.descriptor-modified', summary: 'software wrote a descriptor a running channel owns' },
      {
        id: 'dma.descriptor-too-long',
        summary: 'a size or length above 4095 written to a descriptor: the 12-bit field keeps the low bits (4096 -> 0)',
      },
      {
        id: 'dma.descriptor-limit',
        summary: 'a Zephyr dma_config refused with -EINVAL: the blocks need more descriptors than the pool holds',
      },
      {
        id: 'dma.circular-unsupported',
        summary: 'a channel started on a circular list, on a DMA whose caps say it cannot follow one',
      },
    ],
    start(ctx: CheckerContext) {
      const onEvent = (e: SimEvent): void => {
        switch (e.type) {
          case 'descriptor-limit': {
            const d = e.data as DmaBusEvents['descriptor-limit'];
            ctx.report({
              rule: 'dma.descriptor-limit',
              severity: 'error',
              objects: [`${d.driver} channel ${d.channel}`],
              message:
                `dma_config refused with -EINVAL ("Run out of DMA descriptors"): the blocks need ${d.needed} descriptors ` +
                `of at most ${d.perDescriptor} bytes, the channel's pool has ${d.pool}`,
              fix: `raise ${d.setting} to at least ${d.needed}, or pass fewer or smaller blocks`,
              refs: [
                'zephyr drivers/dma/dma_esp32_gdma.c (dma_esp32_config_descriptor: "Run out of DMA descriptors")',
                'zephyr drivers/dma/Kconfig.esp32 (DMA_ESP32_MAX_DESCRIPTOR_NUM, default 16)',
              ],
            });
            break;
          }
          case 'channel-start': {
            const c = e.data as DmaBusEvents['channel-start'];
            heads[c.pair * 2 + (c.dir === 'tx' ? 1 : 0)] = c.descriptor;
            if (p.circular === false) {
              const lap = walk(c.descriptor);
              if (lap.loopAt > 0) {
                ctx.report({
                  rule: 'dma.circular-unsupported',
                  severity: 'error',
                  objects: [label(c.pair, c.dir), `descriptor ${hex(lap.loopAt)}`],
                  message:
                    `${c.dir.toUpperCase()} list from ${hex(c.descriptor)} is circular (it comes back to ${hex(lap.loopAt)}), ` +
                    `but this target declares that ${p.engine} cannot follow a circular list (circularLists: false in its DMA caps)`,
                  fix: 'end the list with next = 0 and restart the channel on it when it completes (on its EOF), or use a DMA that loops',
                  refs: [DMA_TYPES],
                });
              }
            }
            if (c.dir !== 'tx') break;
            const w = walk(c.descriptor);
            if (w.loopAt > 0 && !w.loopHasEof) {
              ctx.report({
                rule: 'dma.descriptor-loop',
                severity: 'error',
                objects: [label(c.pair, c.dir), `descriptor ${hex(w.loopAt)}`],
                message:
                  `TX list from ${hex(c.descriptor)} loops (through ${hex(w.loopAt)}) and no descriptor in the loop has suc_eof: ` +
                  'the channel never raises EOF and never stops',
                fix: 'end the list with next = 0, or set suc_eof on a descriptor of the loop (a circular list needs one to report each lap)',
                refs: [DMA_TYPES],
              });
            } else if (w.loopAt === 0 && w.count < MAX_WALK && !w.eof) {
              ctx.report({
                rule: 'dma.descriptor-no-eof',
                severity: 'error',
                objects: [label(c.pair, c.dir), `descriptor ${hex(w.last)}`],
                message:
                  `TX list from ${hex(c.descriptor)} ends after ${w.count} descriptors without suc_eof: the receiving side ` +
                  '(the RX channel of a memory-to-memory copy, or the peripheral) never sees the end, so the copy or transaction never completes',
                fix: 'set suc_eof on the last descriptor of the list',
                refs: [DMA_TYPES],
              });
            }
            break;
          }
          case 'descr-error': {
            const c = e.data as DmaBusEvents['descr-error'];
            ctx.report({
              rule: 'dma.descriptor-error',
              severity: 'error',
              objects: [label(c.pair, c.dir), `descriptor ${hex(c.descriptor)}`],
              message: `descriptor error: ${c.reason}; the channel stops and on_descr_err fires (a driver registering only on_recv_eof, as esp_async_memcpy does, never completes)`,
              fix: explain(c.reason),
              refs: [DMA_TYPES, GDMA_H],
            });
            break;
          }
        }
      };
      const onWrite = (addr: number, len: number): void => {
        for (let k = 0; k < heads.length; k++) {
          const h = heads[k];
          if (!h || !p.running(k >> 1, k & 1 ? 'tx' : 'rx')) continue;
          // the descriptors of this running list the write touches, if the DMA still owns them
          for (let d = h, n = 0; d > 0 && n < MAX_WALK; d = next(d), n++) {
            if (d >= addr + len || d + stride <= addr) continue;
            const r = dm.regionOf(d, stride);
            if (!r || dm.word(r, d, 0) < 0x8000_0000) continue; // owner = CPU: the CPU's to change
            const name = label(k >> 1, k & 1 ? 'tx' : 'rx');
            ctx.report({
              rule: 'dma.descriptor-modified',
              severity: 'warning',
              objects: [name, `descriptor ${hex(d)}`],
              message:
                `software wrote ${len} bytes at ${hex(addr)} into descriptor ${hex(d)} while ${name} is running and the descriptor's owner is the DMA: ` +
                'the DMA may already have read it (the change is lost) or read it half-written',
              fix: 'change descriptors only when the DMA has handed them back (owner = CPU, after their EOF), or stop the channel first',
              refs: [DMA_TYPES],
            });
            return;
          }
        }
      };
      const onOverflow = (o: DescriptorFieldOverflow): void => {
        if (o.format.bytes !== stride || o.format.align !== align || reportedOverflows.has(o)) return;
        reportedOverflows.add(o);
        const what = o.fields.map((f) => `${f.field} ${f.value}`).join(' and ');
        const stored = o.fields.map((f) => `${f.field} ${f.stored}`).join(' and ');
        const length = o.fields.find((f) => f.field === 'length');
        const size = o.fields.find((f) => f.field === 'size');
        const effect = [
          length ? `a TX channel sends ${length.stored} of the ${length.value} bytes from it` : '',
          size?.stored === 0
            ? 'an RX channel stops on it with a descriptor error (size 0)'
            : size
              ? `an RX channel stores only ${size.stored} bytes in it`
              : '',
        ]
          .filter(Boolean)
          .join('; ');
        ctx.report({
          rule: 'dma.descriptor-too-long',
          severity: 'error',
          objects: [`descriptor ${hex(o.addr)}`],
          message:
            `${what} written to descriptor ${hex(o.addr)} does not fit its 12-bit field (at most ${DESCRIPTOR_MAX_BYTES}): ` +
            `the descriptor holds ${stored}, so ${effect}`,
          fix: `split the buffer over several descriptors of at most ${DESCRIPTOR_MAX_BYTES} bytes (DMA_DESCRIPTOR_BUFFER_MAX_SIZE; ${DESCRIPTOR_MAX_ALIGNED_BYTES} where buffers must stay 4-byte aligned)`,
          refs: [DMA_TYPES, LLDESC_H, ZEPHYR_82819],
        });
      };
      const unlisten = bus
        .source<DmaBusEvents>(p.engine)
        .listen(onEvent, ['channel-start', 'descr-error', 'descriptor-limit']);
      const unwatch = memory.watchWrites(onWrite);
      const unwatchOverflow = ctx.selected('dma.descriptor-too-long')
        ? watchDescriptorOverflow(memory, onOverflow)
        : undefined;
      return () => {
        unlisten();
        unwatch();
        unwatchOverflow?.();
      };
    },
  };
}
