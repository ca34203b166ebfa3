import { EspError } from '../../core/errors.js';
import { Core } from '../../core/tokens.js';
import { type AllocCap, type MemoryMap } from '../../core/memory/memory.js';
import { AppStop } from '../app-error.js';
import type { HostContext, HostFunctions } from './context.js';

// esp_heap_caps.h capability bits
const CAP_EXEC = 1 << 0;
const CAP_DMA = 1 << 3;
const CAP_SPIRAM = 1 << 10;
const CAP_INTERNAL = 1 << 11;
const CAP_RTCRAM = 1 << 15;
const CAP_TCM = 1 << 16;
/** Memory the model does not have: an allocation asking for it gets NULL, as on a chip without it. */
const UNSUPPORTED = CAP_EXEC | CAP_RTCRAM | CAP_TCM;

/** The kit's allocation caps for heap_caps_* bits, or undefined when the model has no such memory. */
export function capsOf(bits: number): AllocCap[] | undefined {
  if (bits & UNSUPPORTED) return undefined;
  const caps: AllocCap[] = [];
  if (bits & CAP_DMA) caps.push('dma');
  if (bits & CAP_INTERNAL) caps.push('internal');
  if (bits & CAP_SPIRAM) caps.push('spiram');
  return caps;
}

/** heap_caps_* and esp_cache_msync: allocations in the simulated heap, returned as wasm pointers. */
export function heapFunctions(ctx: HostContext): HostFunctions {
  const map = (): MemoryMap => ctx.sim.memory as MemoryMap;
  return {
    __sf_malloc: (size, bits, align) => {
      const caps = capsOf(bits);
      if (caps === undefined || size <= 0) return 0;
      try {
        return ctx.mem.toWasm(ctx.sim.memory.alloc(size, { caps, align }));
      } catch (e) {
        if (e instanceof EspError) return 0;
        throw e;
      }
    },
    __sf_free: (p) => {
      try {
        ctx.sim.memory.free(ctx.mem.toSim(p));
      } catch (e) {
        if (e instanceof EspError) throw new AppStop({ status: 1, message: `heap_caps_free: ${e.message}` }, 'abort');
        throw e;
      }
    },
    __sf_block_size: (p) => {
      const a = ctx.mem.toSim(p);
      return map().regionAt(a)?.allocator.sizeOf(a) ?? 0;
    },
    __sf_free_size: (bits) => {
      const caps = capsOf(bits);
      if (caps === undefined) return 0;
      let free = 0;
      for (const r of map().regions) {
        if (r.kind !== 'sram' && r.kind !== 'psram') continue;
        if (caps.includes('dma') && !r.dmaCapable) continue;
        if (caps.includes('internal') && r.kind !== 'sram') continue;
        if (caps.includes('spiram') && r.kind !== 'psram') continue;
        free += r.size - r.allocator.allocated;
      }
      return free;
    },
    // esp_cache_msync: the kit's (Core.Cache), with ESP-IDF's argument rules; the error code when it refuses.
    // The app's own loads and stores reach its memory directly: only the kit's accesses go through the cache model.
    __sf_cache_msync: (p, size, flags) => {
      try {
        ctx.sim.get(Core.Cache).msync(p === 0 ? 0 : ctx.mem.toSim(p), size >>> 0, flags);
        return 0;
      } catch (e) {
        if (e instanceof EspError) return e.code;
        throw e;
      }
    },
  };
}
