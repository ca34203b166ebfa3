import type { FindingReport } from '../../diagnostics/finding.js';
import type { CpuCachePath, Region } from '../memory.js';

export type { DmaObserver } from '../memory.js';
import type { DataCacheCaps } from './caps.js';
import { dirtyBeforeDma, dirtyUnderDma, staleAfterDma, writeBackOverDma } from './findings.js';

/** One cached line: its copy of the line's bytes, which of them the CPU wrote since the fill, and its history. */
class Line {
  addr = 0;
  region!: Region;
  dirty = false;
  lastUse = 0;
  /** The DMA that wrote the physical memory under this line after it was filled (the line is stale). */
  staleBy: string | undefined;
  staleReported = false;
  constructor(
    readonly data: Uint8Array,
    readonly dirtyMask: Uint8Array,
  ) {}
}

/** What an invalidate dropped. */
export interface Dropped {
  lines: number;
  dirtyBytes: number;
  firstDirty: number;
}

/**
 * A write-back, write-allocate data cache in front of the regions of `caps.kinds` (PSRAM): the CPU's reads and
 * writes through the kit's memory API go through it, DMA engines reach the physical bytes. Set-associative with
 * `caps.ways` ways, the least recently used line of a set replaced (written back first when dirty). A line is
 * written back whole, as the hardware does: dirty bytes and the clean bytes beside them.
 *
 * It reproduces the three coherency failures of DMA to cached memory, and reports each through `report`:
 * a DMA reading memory whose newest bytes are dirty in the cache (it gets the old bytes), the CPU reading a line
 * cached before a DMA wrote under it (it gets the stale bytes), and an invalidate dropping dirty bytes.
 */
export class DataCache implements CpuCachePath {
  readonly lineBytes: number;
  private readonly sets: number;
  private readonly ways: number;
  private readonly kinds: readonly string[];
  private readonly lines = new Map<number, Line>();
  private readonly setLines: Line[][];
  private tick = 0;

  constructor(
    caps: DataCacheCaps,
    private readonly report: ((f: FindingReport) => void) | undefined,
  ) {
    this.lineBytes = caps.lineBytes;
    this.ways = caps.ways;
    this.sets = caps.sizeBytes / (caps.lineBytes * caps.ways);
    // the model caches PSRAM only: flash is read-only and never written under the cache by the kit's DMAs
    this.kinds = caps.kinds.filter((k) => k === 'psram');
    this.setLines = Array.from({ length: this.sets }, () => []);
  }

  /** Whether CPU accesses to `r` go through the cache. */
  covers(r: Region): boolean {
    return this.kinds.includes(r.kind);
  }

  /** Lines held now. */
  get size(): number {
    return this.lines.size;
  }

  /** Whether the line holding `addr` is cached, and dirty. */
  state(addr: number): 'uncached' | 'clean' | 'dirty' {
    const l = this.lines.get(addr - (addr % this.lineBytes));
    return l === undefined ? 'uncached' : l.dirty ? 'dirty' : 'clean';
  }

  /** The CPU reads [addr, addr+len) of `r` into `out` at `outOff`. */
  cpuRead(r: Region, addr: number, len: number, out: Uint8Array, outOff: number): void {
    const L = this.lineBytes;
    const end = addr + len;
    let a = addr;
    let o = outOff;
    let staleFirst = -1;
    let staleLines = 0;
    let staleWho = '';
    while (a < end) {
      const la = a - (a % L);
      const line = this.get(r, la);
      const from = a - la;
      const to = Math.min(L, end - la);
      // whole lines with one set, partial ones byte by byte (at most a line: no view allocated per line)
      if (from === 0 && to === L) out.set(line.data, o);
      else for (let i = from, j = o; i < to; i++, j++) out[j] = line.data[i]!;
      if (line.staleBy !== undefined && !line.staleReported) {
        line.staleReported = true;
        if (staleFirst < 0) {
          staleFirst = la;
          staleWho = line.staleBy;
        }
        staleLines++;
      }
      o += to - from;
      a = la + to;
    }
    if (staleFirst >= 0 && this.report) this.report(staleAfterDma(addr, len, staleFirst, staleLines, staleWho, L));
  }

  /** The CPU writes `len` bytes of `src` from `srcOff` at `addr` of `r`: allocated in the cache, marked dirty. */
  cpuWrite(r: Region, addr: number, src: Uint8Array, srcOff: number, len: number): void {
    const L = this.lineBytes;
    const end = addr + len;
    let a = addr;
    let s = srcOff;
    while (a < end) {
      const la = a - (a % L);
      const line = this.get(r, la);
      const from = a - la;
      const to = Math.min(L, end - la);
      const d = line.data;
      for (let i = from, j = s; i < to; i++, j++) d[i] = src[j]!;
      line.dirtyMask.fill(1, from, to);
      line.dirty = true;
      s += to - from;
      a = la + to;
    }
  }

  dmaRead(addr: number, len: number, who: string): void {
    if (this.lines.size === 0) return;
    let first = -1;
    let bytes = 0;
    let lines = 0;
    this.forLines(addr, len, (l) => {
      if (!l.dirty) return;
      const from = Math.max(addr, l.addr) - l.addr;
      const to = Math.min(addr + len, l.addr + this.lineBytes) - l.addr;
      let n = 0;
      for (let i = from; i < to; i++) {
        if (l.dirtyMask[i] === 0) continue;
        if (n === 0 && (first < 0 || l.addr + i < first)) first = l.addr + i;
        n++;
      }
      if (n > 0) {
        bytes += n;
        lines++;
      }
    });
    if (lines > 0 && this.report) this.report(dirtyBeforeDma(who, addr, len, first, bytes, lines, this.lineBytes));
  }

  dmaWrite(addr: number, len: number, who: string): void {
    if (this.lines.size === 0) return;
    let dirtyFirst = -1;
    let dirtyLines = 0;
    this.forLines(addr, len, (l) => {
      l.staleBy = who;
      l.staleReported = false;
      if (l.dirty) {
        if (dirtyFirst < 0 || l.addr < dirtyFirst) dirtyFirst = l.addr;
        dirtyLines++;
      }
    });
    if (dirtyLines > 0 && this.report)
      this.report(dirtyUnderDma(who, addr, len, dirtyFirst, dirtyLines, this.lineBytes));
  }

  /** Writes back the dirty lines overlapping [addr, addr+size) (cache_hal_writeback_addr). */
  writeback(addr: number, size: number): void {
    if (this.lines.size === 0) return;
    this.forLines(addr, size, (l) => this.writeBackLine(l));
  }

  /** Drops the lines overlapping [addr, addr+size) (cache_hal_invalidate_addr), dirty or not; says what was lost. */
  invalidate(addr: number, size: number): Dropped {
    const dropped: Dropped = { lines: 0, dirtyBytes: 0, firstDirty: -1 };
    if (this.lines.size === 0) return dropped;
    const victims: Line[] = [];
    this.forLines(addr, size, (l) => victims.push(l));
    victims.sort((a, b) => a.addr - b.addr);
    for (const l of victims) {
      if (l.dirty) {
        let n = 0;
        for (let i = 0; i < this.lineBytes; i++) {
          if (l.dirtyMask[i] === 0) continue;
          if (dropped.firstDirty < 0) dropped.firstDirty = l.addr + i;
          n++;
        }
        dropped.dirtyBytes += n;
        dropped.lines++;
      }
      this.remove(l);
    }
    return dropped;
  }

  /** Calls `fn` for each cached line overlapping [addr, addr+len): by address, or over the cache when smaller. */
  private forLines(addr: number, len: number, fn: (l: Line) => void): void {
    const L = this.lineBytes;
    const first = addr - (addr % L);
    const end = addr + len;
    const count = Math.ceil((end - first) / L);
    if (count > this.lines.size) {
      for (const l of [...this.lines.values()]) if (l.addr < end && l.addr + L > addr) fn(l);
      return;
    }
    for (let la = first; la < end; la += L) {
      const l = this.lines.get(la);
      if (l !== undefined) fn(l);
    }
  }

  /** The line at `la`, filled from physical memory on a miss (replacing the set's least recently used line). */
  private get(r: Region, la: number): Line {
    let line = this.lines.get(la);
    if (line === undefined) {
      const set = this.setLines[Math.floor(la / this.lineBytes) % this.sets]!;
      if (set.length >= this.ways) {
        let lru = set[0]!;
        for (const l of set) if (l.lastUse < lru.lastUse) lru = l;
        this.writeBackLine(lru);
        this.remove(lru);
        line = lru;
      } else line = new Line(new Uint8Array(this.lineBytes), new Uint8Array(this.lineBytes));
      line.addr = la;
      line.region = r;
      line.dirty = false;
      line.dirtyMask.fill(0);
      line.staleBy = undefined;
      line.staleReported = false;
      const off = la - r.base;
      const b = r.bytes;
      const d = line.data;
      for (let i = 0; i < this.lineBytes; i++) d[i] = b[off + i] ?? 0;
      this.lines.set(la, line);
      set.push(line);
    }
    line.lastUse = ++this.tick;
    return line;
  }

  private writeBackLine(l: Line): void {
    if (!l.dirty) return;
    const off = l.addr - l.region.base;
    const room = l.region.size - off; // a custom region may end inside its last line
    l.region.bytes.set(room >= this.lineBytes ? l.data : l.data.subarray(0, room), off);
    l.dirty = false;
    l.dirtyMask.fill(0);
    if (l.staleBy !== undefined) {
      // the whole line lands over what a DMA wrote under it since the fill: the DMA's bytes are gone, and memory
      // now agrees with the (stale) line
      if (this.report) this.report(writeBackOverDma(l.addr, this.lineBytes, l.staleBy));
      l.staleBy = undefined;
      l.staleReported = false;
    }
  }

  private remove(l: Line): void {
    this.lines.delete(l.addr);
    const set = this.setLines[Math.floor(l.addr / this.lineBytes) % this.sets]!;
    const i = set.indexOf(l);
    if (i >= 0) {
      set[i] = set[set.length - 1]!; // order within a set does not matter: LRU goes by lastUse
      set.pop();
    }
  }
}
