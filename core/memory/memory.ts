import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NO_MEM, hex } from '../errors.js';
import { RangeAllocator } from './allocator.js';
import { LeaseTable } from './leases.js';
import type { AccessCost, MemoryRegion, RegionDefinition, RegionKind } from './region.js';

/** Capabilities asked of an allocation, as heap_caps_malloc's MALLOC_CAP_DMA / INTERNAL / SPIRAM. */
export type AllocCap = 'dma' | 'internal' | 'spiram';

/** The public face of a target's memory (DESIGN.md). */
export interface Memory {
  readonly regions: readonly MemoryRegion[];
  /** heap_caps_malloc: an address with the caps asked for; EspError ESP_ERR_NO_MEM when none is free. */
  alloc(size: number, opts?: { caps?: AllocCap[]; align?: number }): number;
  /** heap_caps_free: ESP_ERR_INVALID_ARG for an address alloc did not return. */
  free(addr: number): void;
  /** Writes `bytes` at `addr`; out of a region or into ROM: a thrown error, nothing written. */
  write(addr: number, bytes: Uint8Array): void;
  /** A copy of `len` bytes at `addr`. */
  read(addr: number, len: number): Uint8Array;
  /**
   * Buffers held by in-flight transfers (a driver `take`s a lease for its buffers and descriptor ring, and
   * `release`s it when the transfer completes); read, write, copy, free and cpu.memcpy refuse them meanwhile.
   * Tests ask `leases.find(addr, len)` / `leases.size`.
   */
  readonly leases: LeaseTable;
}

/** What DMA engines tell the memory map about their traffic (set only while a cache model is attached). */
export interface DmaObserver {
  /** `who` (an engine and pair, for messages) is about to read [addr, addr+len) of physical memory. */
  dmaRead(addr: number, len: number, who: string): void;
  /** `who` wrote [addr, addr+len) of physical memory. */
  dmaWrite(addr: number, len: number, who: string): void;
}

/** What the memory map needs of a cache model (core/memory/cache/data-cache.ts): the CPU's path to the regions it covers. */
export interface CpuCachePath extends DmaObserver {
  /** Whether CPU accesses to `r` go through the cache. */
  covers(r: Region): boolean;
  /** The CPU reads [addr, addr+len) of `r` into `out` at `outOff`. */
  cpuRead(r: Region, addr: number, len: number, out: Uint8Array, outOff: number): void;
  /** The CPU writes `len` bytes of `src` from `srcOff` at `addr` of `r`. */
  cpuWrite(r: Region, addr: number, src: Uint8Array, srcOff: number, len: number): void;
}

/** A region with its backing store (allocated on first write: untouched memory reads as zeros). */
export class Region implements MemoryRegion {
  readonly name: string;
  readonly kind: RegionKind;
  readonly base: number;
  readonly size: number;
  readonly end: number;
  readonly dmaCapable: boolean;
  readonly bus: string;
  readonly cpu: AccessCost;
  readonly allocator: RangeAllocator;
  private store: Uint8Array | undefined;

  constructor(def: RegionDefinition, defaultCpu: AccessCost) {
    this.name = def.name;
    this.kind = def.kind;
    this.base = def.base;
    this.size = def.size;
    this.end = def.base + def.size;
    this.dmaCapable = def.dmaCapable;
    this.bus = def.bus ?? (def.kind === 'psram' || def.kind === 'flash' ? 'spi-mem' : 'internal');
    this.cpu = def.cpu ?? defaultCpu;
    this.allocator = new RangeAllocator(def.base, def.size);
  }

  /** The region's bytes, indexed from its base. */
  get bytes(): Uint8Array {
    return (this.store ??= new Uint8Array(this.size));
  }

  /** Drops the backing store (a disposed simulation's memory). */
  release(): void {
    this.store = undefined;
  }

  /**
   * Makes `view` the region's backing store (a C app's WebAssembly memory, say): bytes written so far are
   * copied into it, and from then on the model and the owner of `view` see the same bytes.
   */
  useStore(view: Uint8Array): void {
    if (!(view instanceof Uint8Array) || view.length !== this.size) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `useStore: region ${this.name} needs a Uint8Array of exactly ${this.size} bytes`,
      );
    }
    if (this.store) view.set(this.store);
    this.store = view;
  }

  /** Whether software may write it (SRAM and PSRAM). */
  get writable(): boolean {
    return this.kind === 'sram' || this.kind === 'psram';
  }

  /** The public description of the region. */
  toJSON(): MemoryRegion {
    return { name: this.name, kind: this.kind, base: this.base, size: this.size, dmaCapable: this.dmaCapable };
  }
}

const CAP_ORDER: RegionKind[] = ['sram', 'psram'];

/** A value as a message shows it (strings quoted, objects by their JSON or kind). */
function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  try {
    return JSON.stringify(v) ?? Object.prototype.toString.call(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The target's address map: regions, allocation, and byte access. */
export class MemoryMap implements Memory {
  readonly regions: readonly Region[];
  /** Buffers held by in-flight transfers: read, write, copy and free refuse them. */
  readonly leases = new LeaseTable();
  private disposed = false;
  /**
   * The data cache model (`createSimulation({ cache: true })`): CPU accesses (read, write, copy) to the regions it
   * covers go through it. Undefined by default: then every access is one check more than without the model.
   */
  private cache: CpuCachePath | undefined;
  /** What DMA engines report their traffic to (the cache model), when one is attached. */
  dmaObserver: DmaObserver | undefined;

  /** @internal Puts `cache` between the CPU and the regions it covers (assembleSimulation, before any access). */
  attachCache(cache: CpuCachePath): void {
    this.cache = cache;
    this.dmaObserver = cache;
  }

  constructor(defs: readonly RegionDefinition[], defaultCpu: AccessCost) {
    this.regions = [...defs].map((d) => new Region(d, defaultCpu)).sort((a, b) => a.base - b.base);
  }

  /**
   * Afterwards alloc, free and write refuse (ESP_ERR_INVALID_STATE); reads still show what the simulation left
   * (a C app that stopped its simulation at exit, say). The bytes go with the MemoryMap itself: the container
   * no longer reaches it once the simulation is disposed.
   */
  dispose(): void {
    this.disposed = true;
  }

  private checkAlive(what: string): void {
    if (this.disposed) throw new EspError(ESP_ERR_INVALID_STATE, `${what}: the simulation has been disposed`);
  }

  /** The region holding `addr`, if any. */
  regionAt(addr: number): Region | undefined {
    for (const r of this.regions) if (addr >= r.base && addr < r.end) return r;
    return undefined;
  }

  /**
   * The region holding all of [addr, addr+len), or an explanation of why there is none (for messages).
   * `len` 0 is accepted inside a region.
   */
  locate(addr: number, len: number): Region | string {
    if (!Number.isSafeInteger(addr) || addr < 0) return `address ${String(addr)} is not a non-negative integer`;
    if (!Number.isSafeInteger(len) || len < 0) return `length ${String(len)} is not a non-negative integer`;
    const r = this.regionAt(addr);
    if (!r) return `${hex(addr)} is not inside any memory region`;
    if (addr + len > r.end)
      return `[${hex(addr)}, ${hex(addr + len)}) runs past the end of region ${r.name} (${hex(r.end)})`;
    return r;
  }

  /** heap_caps_malloc: an address with the caps asked for; EspError ESP_ERR_NO_MEM when none is free. */
  alloc(size: number, opts: { caps?: AllocCap[]; align?: number } = {}): number {
    this.checkAlive('alloc');
    if (!Number.isSafeInteger(size) || size <= 0)
      throw new EspError(ESP_ERR_INVALID_ARG, `alloc: size must be a positive integer, got ${String(size)}`);
    if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `alloc: options must be an object like { caps: ['dma'], align: 4 }, got ${describe(opts)}`,
      );
    }
    const align = opts.align ?? 4;
    if (!Number.isSafeInteger(align) || align < 1 || align > 0x4000_0000 || (align & (align - 1)) !== 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `alloc: align must be a power of two, got ${String(align)}`);
    }
    if (opts.caps !== undefined && !Array.isArray(opts.caps)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `alloc: caps must be an array of 'dma', 'internal', 'spiram', got ${describe(opts.caps)}`,
      );
    }
    const caps = opts.caps ?? [];
    for (const c of caps) {
      if (c !== 'dma' && c !== 'internal' && c !== 'spiram') {
        throw new EspError(ESP_ERR_INVALID_ARG, `alloc: unknown cap "${String(c)}" (caps are dma, internal, spiram)`);
      }
    }
    const candidates = this.regions
      .filter((r) => CAP_ORDER.includes(r.kind))
      .filter((r) => !caps.includes('dma') || r.dmaCapable)
      .filter((r) => !caps.includes('internal') || r.kind === 'sram')
      .filter((r) => !caps.includes('spiram') || r.kind === 'psram')
      .sort((a, b) => CAP_ORDER.indexOf(a.kind) - CAP_ORDER.indexOf(b.kind));
    for (const r of candidates) {
      const addr = r.allocator.alloc(size, align);
      if (addr !== undefined) return addr;
    }
    const what = caps.length ? `with caps [${caps.join(', ')}]` : 'in any heap region';
    throw new EspError(ESP_ERR_NO_MEM, `alloc: no region ${what} has ${size} free bytes aligned to ${align}`);
  }

  /** heap_caps_free: ESP_ERR_INVALID_ARG for an address alloc did not return. */
  free(addr: number): void {
    this.checkAlive('free');
    const r = Number.isSafeInteger(addr) ? this.regionAt(addr) : undefined;
    const size = r?.allocator.sizeOf(addr);
    if (size !== undefined) this.leases.check(addr, size, 'free');
    if (!r || !r.allocator.release(addr)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `free: ${typeof addr === 'number' ? hex(addr) : String(addr)} was not returned by alloc (or was already freed)`,
      );
    }
  }

  /** Writes `bytes` at `addr`; out of a region or into ROM: a thrown error, nothing written. */
  write(addr: number, bytes: Uint8Array): void {
    this.checkAlive('write');
    if (!(bytes instanceof Uint8Array)) throw new EspError(ESP_ERR_INVALID_ARG, 'write: bytes must be a Uint8Array');
    const r = this.writableRegion(addr, bytes.length, 'write');
    this.leases.check(addr, bytes.length, 'write');
    if (this.writeWatchers.length !== 0) for (const w of this.writeWatchers) w(addr, bytes.length);
    const c = this.cache;
    if (c !== undefined && c.covers(r)) c.cpuWrite(r, addr, bytes, 0, bytes.length);
    else r.bytes.set(bytes, addr - r.base);
  }

  private writeWatchers: ((addr: number, len: number) => void)[] = [];

  /**
   * Hears every software write (`write`, just before it lands, once it is known to be legal) with its address and length: diagnostics watch
   * descriptors a running DMA owns. DMA traffic is not reported. Returns the removal.
   */
  watchWrites(watcher: (addr: number, len: number) => void): () => void {
    this.writeWatchers = [...this.writeWatchers, watcher];
    return () => {
      this.writeWatchers = this.writeWatchers.filter((w) => w !== watcher);
    };
  }

  /** A copy of `len` bytes at `addr`. */
  read(addr: number, len: number): Uint8Array {
    const r = this.readableRegion(addr, len, 'read');
    this.leases.check(addr, len, 'read', undefined, 'read');
    const c = this.cache;
    if (c !== undefined && c.covers(r)) {
      const out = new Uint8Array(len);
      c.cpuRead(r, addr, len, out, 0);
      return out;
    }
    return r.bytes.slice(addr - r.base, addr - r.base + len);
  }

  /** Copies `n` bytes inside simulated memory (one `set` on subarrays); both ranges are checked first. */
  copy(dst: number, src: number, n: number): void {
    const s = this.readableRegion(src, n, 'copy source');
    const d = this.writableRegion(dst, n, 'copy destination');
    this.leases.check(src, n, 'copy source', undefined, 'read');
    this.leases.check(dst, n, 'copy destination');
    const so = src - s.base;
    const c = this.cache;
    if (c !== undefined && (c.covers(s) || c.covers(d))) {
      // the CPU's copy: loads through the cache from a cached source, stores through it to a cached destination
      const tmp = c.covers(s) ? new Uint8Array(n) : s.bytes.subarray(so, so + n);
      if (c.covers(s)) c.cpuRead(s, src, n, tmp, 0);
      if (c.covers(d)) c.cpuWrite(d, dst, tmp, 0, n);
      else d.bytes.set(tmp, dst - d.base);
      return;
    }
    d.bytes.set(s.bytes.subarray(so, so + n), dst - d.base);
  }

  /** Fills flash or ROM contents (what a bootloader or mask ROM would hold); bypasses write protection. */
  program(addr: number, bytes: Uint8Array): void {
    const r = this.locate(addr, bytes.length);
    if (typeof r === 'string') throw new EspError(ESP_ERR_INVALID_ARG, `program: ${r}`);
    r.bytes.set(bytes, addr - r.base);
  }

  /** The region for a read of [addr, addr+len), or an EspError saying why not. */
  readableRegion(addr: number, len: number, what: string): Region {
    const r = this.locate(addr, len);
    if (typeof r === 'string') throw new EspError(ESP_ERR_INVALID_ARG, `${what}: ${r}`);
    if (r.kind === 'peripheral')
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: ${hex(addr)} is in peripheral region ${r.name}, which is not memory`,
      );
    return r;
  }

  /** The region for a write of [addr, addr+len), or an EspError saying why not. */
  writableRegion(addr: number, len: number, what: string): Region {
    const r = this.readableRegion(addr, len, what);
    if (!r.writable)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: ${hex(addr)} is in ${r.kind} region ${r.name}, which is read-only`,
      );
    return r;
  }
}
