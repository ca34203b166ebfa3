import type { EventBus, SimEvent } from '../../../../core/bus/event-bus.js';
import type { Checker, CheckerContext } from '../../../../core/diagnostics/checker.js';
import { hex } from '../../../../core/errors.js';
import type { MemoryMap } from '../../../../core/memory/memory.js';
import type { DmaDir } from '../channel-api.js';
import { DescriptorMemory, type DescriptorFormat } from '../descriptor.js';
import type { DmaBusEvents } from '../engine.js';

const DMA_TYPES = 'esp-idf components/hal/include/hal/dma_types.h (size/length 12 bits, suc_eof, owner)';
const GDMA_H = 'esp-idf components/esp_hw_support/include/esp_private/gdma.h (on_descr_err, gdma_apply_strategy)';
/** Descriptors walked from a list head at most (a longer list is not judged). */
const MAX_WALK = 4096;

export interface DescriptorCheckerParams {
  engine: string;
  descriptor: DescriptorFormat;
}

/** A running channel's list: its descriptor addresses, for the write watch. */
interface RunningList { label: string; descs: Set<number> }

/**
 * Descriptor chains: a TX list that loops without an EOF or ends without one, a descriptor error explained (owner
 * = CPU, a size that wrapped to 0, alignment, reach), and software writing a descriptor that a running channel
 * still owns.
 */
export function dmaDescriptorChecker(bus: EventBus, memory: MemoryMap, p: DescriptorCheckerParams): Checker {
  const dm = new DescriptorMemory(memory);
  const running = new Map<string, RunningList>();
  const label = (pair: number, dir: DmaDir): string => `${p.engine} pair ${pair} ${dir.toUpperCase()}`;
  const stride = p.descriptor.bytes;

  /** Walks the list at `head`; the addresses seen, and how it ends. */
  const walk = (head: number): { descs: number[]; loopAt: number; eof: boolean; loopHasEof: boolean; broken: boolean } => {
    const seen = new Map<number, number>();
    const descs: number[] = [];
    const eofs: boolean[] = [];
    let addr = head;
    while (addr !== 0 && descs.length < MAX_WALK) {
      if (seen.has(addr)) {
        const from = seen.get(addr)!;
        return { descs, loopAt: addr, eof: eofs.some(Boolean), loopHasEof: eofs.slice(from).some(Boolean), broken: false };
      }
      if (addr % p.descriptor.align !== 0 || !dm.regionOf(addr, stride)) return { descs, loopAt: 0, eof: eofs.some(Boolean), loopHasEof: false, broken: true };
      const d = dm.read(addr, p.descriptor);
      seen.set(addr, descs.length);
      descs.push(addr);
      eofs.push(d.sucEof);
      addr = d.next;
    }
    return { descs, loopAt: 0, eof: eofs.some(Boolean), loopHasEof: false, broken: addr !== 0 };
  };

  const explain = (reason: string): string => {
    if (reason.includes('owned by the CPU')) {
      return 'set owner = DMA (1) on every descriptor before gdma_start, and again when re-arming a list; or turn the owner check off (gdma_apply_strategy owner_check = false)';
    }
    if (reason.includes('size 0')) return 'a descriptor holds at most 4095 bytes (12-bit size): 4096 wraps to 0; split the buffer (4092 where 4-byte alignment is needed)';
    if (reason.includes('aligned')) return `put descriptors at ${p.descriptor.align}-byte aligned addresses (heap_caps_aligned_alloc, MALLOC_CAP_DMA)`;
    if (reason.includes('cannot')) return 'allocate descriptors and buffers with MALLOC_CAP_DMA (internal SRAM, or PSRAM where this DMA reaches it)';
    if (reason.includes('RX list ended')) return 'give the RX list room for the whole transfer (sum of sizes >= bytes sent)';
    return 'check the descriptor list the channel was started on';
  };

  return {
    name: 'dma-descriptors',
    rules: [
      { id: 'dma.descriptor-loop', summary: 'a TX list loops without an EOF: the DMA circles forever' },
      { id: 'dma.descriptor-no-eof', summary: 'a TX list ends without suc_eof: the receiver never sees the end' },
      { id: 'dma.descriptor-error', summary: 'the DMA stopped on a descriptor error (owner = CPU, size 0, alignment, reach), explained' },
      { id: 'dma.descriptor-modified', summary: 'software wrote a descriptor a running channel owns' },
    ],
    start(ctx: CheckerContext) {
      const onEvent = (e: SimEvent): void => {
        switch (e.type) {
          case 'channel-start': {
            const c = e.data as DmaBusEvents['channel-start'];
            const name = label(c.pair, c.dir);
            const w = walk(c.descriptor);
            running.set(name, { label: name, descs: new Set(w.descs) });
            if (c.dir !== 'tx' || w.broken) break;
            if (w.loopAt !== 0 && !w.loopHasEof) {
              ctx.report({
                rule: 'dma.descriptor-loop', severity: 'error', objects: [name, `descriptor ${hex(w.loopAt)}`],
                message: `TX list from ${hex(c.descriptor)} loops back to ${hex(w.loopAt)} after ${w.descs.length} descriptors and no descriptor in the loop has suc_eof: ` +
                  'the channel never raises EOF and never stops',
                fix: 'end the list with next = 0, or set suc_eof on a descriptor of the loop (a circular list needs one to report each lap)',
                refs: [DMA_TYPES],
              });
            } else if (w.loopAt === 0 && !w.eof) {
              ctx.report({
                rule: 'dma.descriptor-no-eof', severity: 'error', objects: [name, `descriptor ${hex(w.descs[w.descs.length - 1] ?? c.descriptor)}`],
                message: `TX list from ${hex(c.descriptor)} ends after ${w.descs.length} descriptors without suc_eof: the receiving side ` +
                  '(the RX channel of a memory-to-memory copy, or the peripheral) never sees the end, so the copy or transaction never completes',
                fix: 'set suc_eof on the last descriptor of the list',
                refs: [DMA_TYPES],
              });
            }
            break;
          }
          case 'channel-stop': case 'descr-error': {
            const c = e.data as { pair: number; dir: DmaDir; descriptor?: number; reason: string };
            running.delete(label(c.pair, c.dir));
            if (e.type === 'descr-error') {
              ctx.report({
                rule: 'dma.descriptor-error', severity: 'error', objects: [label(c.pair, c.dir), `descriptor ${hex(c.descriptor ?? 0)}`],
                message: `descriptor error: ${c.reason}; the channel stops and on_descr_err fires (a driver registering only on_recv_eof, as esp_async_memcpy does, never completes)`,
                fix: explain(c.reason),
                refs: [DMA_TYPES, GDMA_H],
              });
            }
            break;
          }
        }
      };
      const onWrite = (addr: number, len: number): void => {
        if (running.size === 0) return;
        for (const list of running.values()) {
          for (const d of list.descs) {
            if (addr >= d + stride || addr + len <= d) continue;
            const r = dm.regionOf(d, stride);
            if (!r || dm.word(r, d, 0) < 0x8000_0000) continue;   // owner = CPU: the CPU's to change
            ctx.report({
              rule: 'dma.descriptor-modified', severity: 'warning', objects: [list.label, `descriptor ${hex(d)}`],
              message: `software wrote ${len} bytes at ${hex(addr)} into descriptor ${hex(d)} while ${list.label} is running and the descriptor's owner is the DMA: ` +
                'the DMA may already have read it (the change is lost) or read it half-written',
              fix: 'change descriptors only when the DMA has handed them back (owner = CPU, after their EOF), or stop the channel first',
              refs: [DMA_TYPES],
            });
            return;
          }
        }
      };
      const sub = bus.source(p.engine).events$.subscribe(onEvent);
      const unwatch = memory.watchWrites(onWrite);
      return () => { sub.unsubscribe(); unwatch(); };
    },
  };
}
