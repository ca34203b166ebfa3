import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NO_MEM, hex } from '../core/errors.js';
import { type MemoryMap, type Region } from '../core/memory/memory.js';
import { type Simulation } from '../core/simulation.js';

const UTF8 = new TextDecoder();

/** Alignment kept between pointers and simulated addresses. */
const ALIGN = 4096;
/** WebAssembly pages are 64 KiB. */
const PAGE = 65536;

/** The region a program's static data and main stack live in: the target's largest DMA-capable SRAM. */
export function homeRegion(sim: Simulation): Region {
  const first = (sim.memory as MemoryMap).regions
    .filter((r) => r.kind === 'sram' && r.dmaCapable)
    .sort((a, b) => b.size - a.size)[0];
  if (!first)
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `loadApp: target "${sim.target.name}" has no DMA-capable SRAM region to run a C program in`,
    );
  return first;
}

/** One simulated region laid into the app's linear memory: wasm offsets [at, at + size) are its bytes. */
export interface Window {
  readonly region: Region;
  readonly at: number;
  readonly size: number;
}

/**
 * The app's linear memory IS the simulated RAM: each SRAM and PSRAM region of the target is a window of the
 * WebAssembly memory, and the region's backing store is a view of that window (Region.useStore). A byte the C
 * code stores is the byte the DMA reads, and the other way round, with no copying. C pointers are wasm
 * offsets; the host translates them to simulated addresses (the target's real ones) at the API boundary.
 *
 * The first window is the largest DMA-capable SRAM region, starting at wasm offset 0, so the program's static
 * data and main stack (wasm-ld puts them at the bottom) are DMA-capable SRAM. Offset 0 (NULL) maps to the
 * region's base, which the reserved static area covers: no allocation ever returns it.
 */
export class AppMemory {
  readonly memory: WebAssembly.Memory;
  readonly windows: readonly Window[];
  private readonly map: MemoryMap;
  private view: DataView;
  private bytes: Uint8Array;

  constructor(sim: Simulation) {
    this.map = sim.memory as MemoryMap;
    const ram = this.map.regions.filter((r) => r.kind === 'sram' || r.kind === 'psram');
    const first = homeRegion(sim);
    const ordered = [first, ...ram.filter((r) => r !== first)];
    const windows: Window[] = [];
    let at = 0;
    for (const region of ordered) {
      // Each window starts congruent to its region's base modulo 4 KiB, so an address aligned in the simulation
      // (DMA alignment, heap_caps_aligned_alloc) is a pointer aligned the same in C.
      at = Math.ceil(at / ALIGN) * ALIGN + (region.base % ALIGN);
      windows.push({ region, at, size: region.size });
      at += region.size;
    }
    this.windows = windows;
    const pages = Math.ceil(at / PAGE);
    // initial == maximum: the memory never grows, so its ArrayBuffer (and the regions' views of it) never detach
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.bytes = new Uint8Array(this.memory.buffer);
    this.view = new DataView(this.memory.buffer);
    for (const w of windows) w.region.useStore(this.bytes.subarray(w.at, w.at + w.size));
  }

  /** The region holding the program's static data and main stack. */
  get home(): Window {
    return this.windows[0]!;
  }

  /** Claims [0, size) of the home window (static data and stack) in the simulated heap. */
  reserveStatic(size: number): void {
    const r = this.home.region;
    if (size > r.size)
      throw new EspError(
        ESP_ERR_NO_MEM,
        `loadApp: the program's static data and stack (${size} bytes) do not fit in ${r.name} (${r.size} bytes)`,
      );
    if (!r.allocator.reserve(r.base, size)) {
      throw new EspError(
        ESP_ERR_NO_MEM,
        `loadApp: [${hex(r.base)}, ${hex(r.base + size)}) of ${r.name} is already allocated; load the app before allocating`,
      );
    }
  }

  /** The simulated address of wasm pointer `p` (0 stays 0, so NULL checks of the model still apply). */
  toSim(p: number): number {
    if (p === 0) return 0;
    for (const w of this.windows) if (p >= w.at && p < w.at + w.size) return w.region.base + (p - w.at);
    throw new EspError(ESP_ERR_INVALID_ARG, `pointer ${hex(p)} is outside the program's memory`);
  }

  /** The wasm pointer of simulated address `a` (0 when it is in no window: memory C cannot reach). */
  toWasm(a: number): number {
    for (const w of this.windows)
      if (a >= w.region.base && a < w.region.base + w.size) return w.at + (a - w.region.base);
    return 0;
  }

  /** The window holding wasm pointer `p`, if any. */
  windowAt(p: number): Window | undefined {
    return this.windows.find((w) => p >= w.at && p < w.at + w.size);
  }

  u32(p: number): number {
    return this.view.getUint32(p, true);
  }
  setU32(p: number, v: number): void {
    this.view.setUint32(p, v >>> 0, true);
  }
  setU64(p: number, v: number): void {
    this.view.setBigUint64(p, BigInt(Math.trunc(v)), true);
  }

  /** A NUL-terminated string at `p` (UTF-8), at most `max` bytes. */
  cstring(p: number, max = 4096): string {
    if (p === 0) return '(null)';
    const b = this.bytes;
    let end = p;
    while (end < b.length && end - p < max && b[end] !== 0) end++;
    return UTF8.decode(b.subarray(p, end));
  }

  /** `len` bytes at `p`, as a view (no copy). */
  slice(p: number, len: number): Uint8Array {
    return this.bytes.subarray(p, p + len);
  }
}
