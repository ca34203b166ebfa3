import type { EventSource } from '../../core/bus/event-bus.js';
import type { FaultLog } from '../../core/bus/faults.js';
import type { DmaChannel, DmaChannelDriver } from '../dma/engine/channel-api.js';
import { DESCRIPTOR_MAX_BYTES, encodeWord0, OWNER_DMA, type DescriptorMemory } from '../dma/engine/descriptor.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_SUPPORTED, hex } from '../../core/errors.js';
import type { Kernel } from '../../core/kernel/kernel.js';
import type { MemoryMap, Region } from '../../core/memory/memory.js';
import type { Lease } from '../../core/memory/leases.js';
import type { EtmEvent } from '../contracts/etm.js';
import type { DiagnosticsService } from '../../core/diagnostics/diagnostics.js';
import { alignFinding, reachFinding } from './explain.js';
import { newCompletion, type CompletionHolder, type CopyCompletion } from './completion.js';
import { splitRx, type RxSplit } from './cache-split.js';
import {
  ESP_CACHE_MSYNC_FLAG_DIR_C2M,
  ESP_CACHE_MSYNC_FLAG_DIR_M2C,
  ESP_CACHE_MSYNC_FLAG_UNALIGNED,
  type CacheServiceImpl,
} from '../../core/memory/cache/msync.js';

/** Which DMA `install` uses: `auto` picks CP DMA where it exists, else AHB GDMA, else AXI GDMA. */
export type AsyncMemcpyBackend = 'auto' | 'gdma-ahb' | 'gdma-axi' | 'cpdma';
export type { AsyncMemcpyConfig } from './config.js';

/** esp_async_memcpy's handle: one method per C function. */
export interface AsyncMemcpyDriver {
  /**
   * Throws EspError at once when the request is refused (nothing is queued then). Otherwise the copy is
   * queued and the promise resolves at the simulated instant it completes, after `onDone` has run.
   */
  memcpy(dst: number, src: number, n: number, onDone?: () => boolean | void): Promise<void>;
  /** esp_async_memcpy_new_etm_event: the RX channel's IN_SUC_EOF; ESP_ERR_NOT_SUPPORTED on CP DMA and GDMAs without ETM. */
  newEtmEvent(kind: 'copy-done'): EtmEvent;
  /** esp_async_memcpy_uninstall: ESP_ERR_INVALID_STATE while copies are pending or running; never aborts them. */
  uninstall(): void;
  /**
   * esp_memcpy_blocking (ESP-IDF master only: ESP_ERR_NOT_SUPPORTED on earlier releases): the copy, resolving
   * when its callback has woken the caller. `timeoutMs` must be -1 (ESP_ERR_INVALID_ARG otherwise); called from
   * a copy-done callback ("ISR context") it is ESP_ERR_INVALID_STATE. The other refusals are esp_async_memcpy's.
   */
  memcpyBlocking(dst: number, src: number, n: number, timeoutMs: number): Promise<void>;
}

/** The events the driver publishes on the bus (source 'async-memcpy'); `depth` is the queue depth after the event. */
export type AsyncMemcpyEvents = {
  'copy-queued': { dst: number; src: number; n: number; depth: number };
  'copy-start': { dst: number; src: number; n: number; depth: number };
  'copy-done': { dst: number; src: number; n: number; depth: number };
};

const LEASE_HOLDER = 'esp_async_memcpy copy';
const SHARED = Object.freeze({ shared: true });

/** One of the `backlog` transaction objects, with its descriptor lists in simulated DMA-capable memory. */
class Transaction implements CompletionHolder {
  dst = 0;
  src = 0;
  n = 0;
  cb: (() => boolean | void) | undefined;
  promise: CopyCompletion | undefined;
  resolve: (() => void) | undefined;
  reject: ((e: unknown) => void) | undefined;
  /** TX list, then RX list, `capacity` descriptors each (0: not allocated yet). */
  descs = 0;
  capacity = 0;
  srcLease: Lease | undefined;
  dstLease: Lease | undefined;
  /** Where the destination is cached (the cache model on): its head/tail/body split and two stash lines. */
  split: RxSplit | undefined;
  stash = 0;
}

export interface DriverParts {
  backend: 'gdma-ahb' | 'gdma-axi' | 'cpdma';
  dma: DmaChannelDriver;
  tx: DmaChannel;
  rx: DmaChannel;
  memory: MemoryMap;
  dm: DescriptorMemory;
  kernel: Kernel;
  faults: FaultLog;
  events: EventSource<AsyncMemcpyEvents>;
  backlog: number;
  /** Where the backend reaches PSRAM. */
  psram: boolean;
  /** Alignment of `dst` and `n` for an SRAM / PSRAM destination (1: none), from the config (config.ts). */
  sramAlign: number;
  psramAlign: number;
  /** The refusal's wording for a misaligned copy, as the modelled release prints it. */
  misaligned: string;
  /** Whether esp_memcpy_blocking exists (ESP-IDF master). */
  blocking: boolean;
  /** Present when the simulation runs with `checks`: refusals are explained as findings. */
  diagnostics?: DiagnosticsService;
  /** The configured dma_burst_size (v5.3 on), for the findings' wording. */
  burst?: number;
  /**
   * Present when the data cache model runs: copies sync the cache as esp_async_memcpy_gdma.c does (C2M of a
   * cached source when queued; a cached destination split, its body invalidated, head and tail stashed).
   */
  cache?: CacheServiceImpl;
}

/**
 * esp_async_memcpy on one DMA channel pair: `backlog` transactions move between an idle queue and a ready
 * queue; copies run one at a time in order. On the RX EOF the user callback runs, then the transaction
 * returns to the idle queue, then the next ready copy starts, then the copy's promise resolves.
 */
export class AsyncMemcpyDriverImpl implements AsyncMemcpyDriver {
  private readonly idle: Transaction[] = [];
  /** The ready queue: a ring of `backlog` slots (never more transactions than that exist). */
  private readonly ready: (Transaction | undefined)[];
  private readyHead = 0;
  private readyCount = 0;
  private running: Transaction | undefined;
  private installed = true;
  private readonly sramAlign: number;
  private readonly psramAlign: number;
  private readonly maxPerDescriptor: number;
  /** Inside a copy-done callback: the "ISR context" esp_memcpy_blocking refuses. */
  private inIsr = false;
  /** The backend's descriptor size and alignment (12/4 on AHB and CP DMA, 16/8 on AXI). */
  private readonly descBytes: number;
  private readonly descAlign: number;

  constructor(private readonly p: DriverParts) {
    this.descBytes = p.dma.descriptor.bytes;
    this.descAlign = p.dma.descriptor.align;
    for (let i = 0; i < p.backlog; i++) this.idle.push(new Transaction());
    this.ready = new Array<Transaction | undefined>(p.backlog).fill(undefined);
    // AHB GDMA v1 with burst: SRAM buffers 4-byte aligned, PSRAM ones burst-size aligned; v5.0-v5.2: the
    // configured sram/psram_trans_align (config.ts)
    this.sramAlign = p.sramAlign;
    this.psramAlign = p.psramAlign;
    const align = Math.max(this.sramAlign, p.psram ? this.psramAlign : 1);
    this.maxPerDescriptor = Math.floor(Math.min(DESCRIPTOR_MAX_BYTES, p.dma.maxDescriptorBytes) / align) * align;
    // esp_async_memcpy_gdma.c registers only on_recv_eof: a descriptor error is not handled, the copy in
    // flight never completes and the queue behind it waits for ever (the engine's `descr-error` event shows it)
    p.rx.registerCallbacks({
      onRecvEof: () => {
        this.onEof();
      },
    });
  }

  /** Transactions queued or running. */
  get depth(): number {
    return this.readyCount + (this.running ? 1 : 0);
  }

  memcpy(dst: number, src: number, n: number, onDone?: () => boolean | void): Promise<void> {
    if (!this.installed)
      throw new EspError(ESP_ERR_INVALID_ARG, 'esp_async_memcpy: invalid handle (the driver was uninstalled)');
    if (!dst || !src) throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy: ${!dst ? 'dst' : 'src'} is NULL`);
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy: n must be a positive integer, got ${String(n)}`);
    if (onDone !== undefined && typeof onDone !== 'function')
      throw new EspError(ESP_ERR_INVALID_ARG, 'esp_async_memcpy: the callback must be a function');
    const sr = this.reach(src, n, 'source');
    const d = this.reach(dst, n, 'destination');
    if (!d.writable)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy: destination ${hex(dst)} is in read-only ${d.kind} ${d.name}`,
      );
    const leases = this.p.memory.leases;
    if (leases.size > 0) {
      leases.check(src, n, 'esp_async_memcpy: source', undefined, 'read');
      leases.check(dst, n, 'esp_async_memcpy: destination', undefined, 'read');
    }
    const align = d.kind === 'psram' ? this.psramAlign : this.sramAlign;
    if (align > 1 && ((dst & (align - 1)) !== 0 || (n & (align - 1)) !== 0)) {
      if (this.p.diagnostics) {
        const setting =
          this.p.misaligned === 'buffer not aligned'
            ? `${d.kind === 'psram' ? 'psram' : 'sram'}_trans_align ${align}`
            : `dma_burst_size ${this.p.burst ?? 16}`;
        this.p.diagnostics.report(alignFinding(dst, n, align, d, setting, this.p.backend));
      }
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy: ${this.p.misaligned}: dst ${hex(dst)} and n ${n} must be multiples of ${align} ` +
          `(${d.kind} destination); ${this.p.misaligned === 'buffer not aligned' ? 'lower sramTransAlign/psramTransAlign' : 'use dmaBurstSize 0'} for unaligned copies`,
      );
    }
    const t = this.idle.pop();
    if (!t)
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `esp_async_memcpy: no free node in the idle queue (backlog ${this.p.backlog} copies pending)`,
      );
    const count = Math.ceil(n / this.maxPerDescriptor);
    const line = this.p.cache && d.kind === 'psram' ? this.p.cache.getLineSizeByAddr(dst) : 0;
    const split = line > 0 ? splitRx(dst, n, line) : undefined;
    // a split destination: up to two more RX descriptors (the stash lines), as the driver's num_dma_nodes + 3
    const needed = split ? count + 2 : count;
    if (split && (split.head > 0 || split.tail > 0) && t.stash === 0) {
      try {
        // heap_caps_calloc(2, split_line_size, MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL): kept with the transaction
        t.stash = this.p.memory.alloc(2 * line, { caps: ['dma', 'internal'], align: 4 });
      } catch (e) {
        this.idle.push(t);
        throw e;
      }
    }
    if (needed > t.capacity) {
      let addr: number;
      try {
        addr = this.p.memory.alloc(2 * needed * this.descBytes, { caps: ['dma', 'internal'], align: this.descAlign });
      } catch (e) {
        this.idle.push(t);
        throw e;
      }
      if (t.descs) this.p.memory.free(t.descs);
      t.descs = addr;
      t.capacity = needed;
    }
    // a queued copy's buffers are held (shared: other copies may read or write them) until it is done, so a
    // free or a write through the kit cannot pull them from under the DMA; the checks above made these safe
    t.srcLease = leases.take(src, n, LEASE_HOLDER, SHARED);
    t.dstLease = leases.take(dst, n, LEASE_HOLDER, SHARED);
    t.split = split;
    const cache = this.p.cache;
    if (cache) {
      // esp_async_memcpy_gdma.c: write the source back if it is behind the cache
      if (sr.kind === 'psram' && cache.getLineSizeByAddr(src) > 0)
        cache.msync(src, n, ESP_CACHE_MSYNC_FLAG_DIR_C2M | ESP_CACHE_MSYNC_FLAG_UNALIGNED);
      // the body's lines are the DMA's: invalidated now, so that nothing cached is written back over the copy
      if (split && split.body > 0) cache.syncForDma(dst + split.head, split.body, ESP_CACHE_MSYNC_FLAG_DIR_M2C);
    }
    this.writeLists(t, dst, src, n, count);
    t.dst = dst;
    t.src = src;
    t.n = n;
    t.cb = onDone;
    const promise = newCompletion(t);
    this.ready[(this.readyHead + this.readyCount++) % this.p.backlog] = t;
    if (this.p.events.observed) this.p.events.emit('copy-queued', { dst, src, n, depth: this.depth });
    if (!this.running) this.startNext();
    return promise;
  }

  memcpyBlocking(dst: number, src: number, n: number, timeoutMs: number): Promise<void> {
    if (!this.p.blocking)
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        "esp_memcpy_blocking exists on ESP-IDF master only (createSimulation({ idf: 'master' }))",
      );
    if (!this.installed || !dst || !src || !Number.isSafeInteger(n) || n <= 0) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        'esp_memcpy_blocking: invalid argument (handle, dst, src and n must be set)',
      );
    }
    if (this.inIsr)
      throw new EspError(ESP_ERR_INVALID_STATE, 'esp_memcpy_blocking: called from ISR context is not allowed');
    if (timeoutMs !== -1)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_memcpy_blocking: only timeout_ms=-1 is supported, got ${String(timeoutMs)}`,
      );
    return this.memcpy(dst, src, n, () => true);
  }

  newEtmEvent(kind: 'copy-done'): EtmEvent {
    if (!this.installed)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        'esp_async_memcpy_new_etm_event: invalid handle (the driver was uninstalled)',
      );
    if (kind !== 'copy-done')
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy_new_etm_event: unknown event "${String(kind)}" (only 'copy-done')`,
      );
    if (this.p.backend === 'cpdma')
      throw new EspError(ESP_ERR_NOT_SUPPORTED, 'esp_async_memcpy_new_etm_event: the CP DMA backend has no ETM events');
    return this.p.dma.newEtmEvent(this.p.rx, 'eof');
  }

  uninstall(): void {
    if (!this.installed)
      throw new EspError(ESP_ERR_INVALID_ARG, 'esp_async_memcpy_uninstall: invalid handle (already uninstalled)');
    if (this.running || this.depth > 0) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `esp_async_memcpy_uninstall: ${this.depth} copies are still pending or running`,
      );
    }
    this.installed = false;
    this.p.tx.delete();
    this.p.rx.delete();
    for (const t of this.idle) {
      if (t.descs) {
        this.p.memory.free(t.descs);
        t.descs = 0;
        t.capacity = 0;
      }
      if (t.stash) {
        this.p.memory.free(t.stash);
        t.stash = 0;
      }
    }
  }

  /** The last region a buffer was found reachable in: most copies hit it, and skip the region lookup. */
  private lastReachable: Region | undefined;

  private reach(addr: number, n: number, what: string): Region {
    const c = this.lastReachable;
    if (c !== undefined && addr >= c.base && addr + n <= c.end && Number.isSafeInteger(addr)) return c;
    const r = this.p.memory.locate(addr, n);
    if (typeof r === 'string') {
      this.p.diagnostics?.report(reachFinding(what, addr, r, this.p.backend));
      throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy: ${what}: ${r}`);
    }
    if (!this.p.dma.reachesRegion(r)) {
      this.p.diagnostics?.report(reachFinding(what, addr, r, this.p.backend));
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy: ${what} ${hex(addr)} is in ${r.kind} ${r.name}, which the ${this.p.backend} backend cannot reach`,
      );
    }
    this.lastReachable = r;
    return r;
  }

  private writeLists(t: Transaction, dst: number, src: number, n: number, count: number): void {
    if (t.split) {
      this.writeSplitLists(t, dst, src, n, count, t.split);
      return;
    }
    const dm = this.p.dm;
    const r = dm.regionOf(t.descs)!;
    const v = dm.view(r);
    const max = this.maxPerDescriptor;
    const stride = this.descBytes;
    const sw = stride >>> 2;
    const rxBase = t.descs + t.capacity * stride;
    let ti = (t.descs - r.base) >>> 2;
    let ri = (rxBase - r.base) >>> 2;
    const fullTx = encodeWord0({ size: max, length: max, owner: OWNER_DMA });
    const fullRx = encodeWord0({ size: max, length: 0, owner: OWNER_DMA });
    for (let i = 0, off = 0; i < count; i++, off += max, ti += sw, ri += sw) {
      const last = i === count - 1;
      if (last) {
        const chunk = n - off;
        v[ti] = encodeWord0({ size: chunk, length: chunk, sucEof: true, owner: OWNER_DMA });
        v[ri] = encodeWord0({ size: chunk, length: 0, owner: OWNER_DMA });
        v[ti + 2] = 0;
        v[ri + 2] = 0;
      } else {
        v[ti] = fullTx;
        v[ri] = fullRx;
        v[ti + 2] = t.descs + (i + 1) * stride;
        v[ri + 2] = rxBase + (i + 1) * stride;
      }
      v[ti + 1] = src + off;
      v[ri + 1] = dst + off;
    }
  }

  /**
   * The TX list over the source, and an RX list over the split destination: the head stash line, the body in
   * place, the tail stash line (esp_async_memcpy_gdma.c mounts the three aligned buffers on the RX link list).
   */
  private writeSplitLists(t: Transaction, dst: number, src: number, n: number, count: number, split: RxSplit): void {
    const dm = this.p.dm;
    const format = this.p.dma.descriptor;
    const max = this.maxPerDescriptor;
    const stride = this.descBytes;
    const rxBase = t.descs + t.capacity * stride;
    for (let i = 0, off = 0; i < count; i++, off += max) {
      const chunk = Math.min(max, n - off);
      const last = i === count - 1;
      dm.write(
        t.descs + i * stride,
        {
          size: chunk,
          length: chunk,
          sucEof: last,
          owner: OWNER_DMA,
          buffer: src + off,
          next: last ? 0 : t.descs + (i + 1) * stride,
        },
        format,
      );
    }
    const line = this.p.cache!.getLineSizeByAddr(dst);
    const parts: [number, number][] = [];
    let stashIndex = 0;
    if (split.head > 0) parts.push([t.stash + line * stashIndex++, split.head]);
    for (let off = 0; off < split.body; off += max)
      parts.push([dst + split.head + off, Math.min(max, split.body - off)]);
    if (split.tail > 0) parts.push([t.stash + line * stashIndex++, split.tail]);
    parts.forEach(([buffer, size], i) => {
      const last = i === parts.length - 1;
      dm.write(
        rxBase + i * stride,
        {
          size,
          length: 0,
          owner: OWNER_DMA,
          buffer,
          next: last ? 0 : rxBase + (i + 1) * stride,
        },
        format,
      );
    });
  }

  /** esp_dma_merge_aligned_rx_buffers: the CPU copies the stashed head and tail into place (through the cache). */
  private merge(t: Transaction): void {
    const s = t.split!;
    const line = this.p.cache!.getLineSizeByAddr(t.dst);
    let stashIndex = 0;
    if (s.head > 0) this.p.memory.write(t.dst, this.p.memory.read(t.stash + line * stashIndex++, s.head));
    if (s.tail > 0)
      this.p.memory.write(t.dst + t.n - s.tail, this.p.memory.read(t.stash + line * stashIndex++, s.tail));
  }

  private startNext(): void {
    if (this.readyCount === 0) return;
    const t = this.ready[this.readyHead]!;
    this.ready[this.readyHead] = undefined;
    this.readyHead = (this.readyHead + 1) % this.p.backlog;
    this.readyCount--;
    this.running = t;
    if (this.p.events.observed) this.p.events.emit('copy-start', { dst: t.dst, src: t.src, n: t.n, depth: this.depth });
    this.p.rx.start(t.descs + t.capacity * this.descBytes);
    this.p.tx.start(t.descs);
  }

  private onEof(): void {
    const t = this.running;
    if (!t) return;
    // the copy is done: its buffers are free before its callback runs (which may free or reuse them)
    t.srcLease?.release();
    t.dstLease?.release();
    t.srcLease = t.dstLease = undefined;
    if (t.split) this.merge(t);
    const cb = t.cb;
    if (cb) {
      // user code (Kernel.invoke's rule, inlined on this hot path): a throw is a fault, a waiting task resumes now
      this.inIsr = true;
      try {
        cb();
      } catch (e) {
        this.p.faults.report('esp_async_memcpy: on_done callback', e);
      } finally {
        this.inIsr = false;
      }
      this.p.kernel.userCodeRan();
    }
    this.finish(t);
    if (this.p.events.observed) this.p.events.emit('copy-done', { dst: t.dst, src: t.src, n: t.n, depth: this.depth });
    const promise = t.promise!;
    const resolve = t.resolve!;
    t.promise = undefined;
    t.resolve = undefined;
    t.reject = undefined;
    resolve();
    if (promise.awaited) this.p.kernel.wake();
  }

  private finish(t: Transaction): void {
    this.running = undefined;
    t.srcLease?.release();
    t.dstLease?.release();
    t.srcLease = t.dstLease = undefined;
    t.cb = undefined;
    this.idle.push(t);
    this.startNext();
  }
}
