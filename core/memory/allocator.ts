/**
 * A first-fit allocator over one address range, with alignment: the `heap_caps_malloc` of one region.
 * Free blocks are kept sorted by address and merged with their neighbours on free.
 */
export class RangeAllocator {
  /** Free blocks [start, end), sorted, never adjacent. */
  private free: { start: number; end: number }[];
  private readonly used = new Map<number, number>();

  constructor(
    readonly base: number,
    readonly size: number,
  ) {
    this.free = [{ start: base, end: base + size }];
  }

  /** Bytes in use. */
  get allocated(): number {
    let n = 0;
    for (const s of this.used.values()) n += s;
    return n;
  }

  /** The address of a new block of `size` bytes aligned to `align`, or undefined when nothing fits. */
  alloc(size: number, align: number): number | undefined {
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      const addr = Math.ceil(b.start / align) * align;
      if (addr + size > b.end) continue;
      const pieces: { start: number; end: number }[] = [];
      if (addr > b.start) pieces.push({ start: b.start, end: addr });
      if (addr + size < b.end) pieces.push({ start: addr + size, end: b.end });
      this.free.splice(i, 1, ...pieces);
      this.used.set(addr, size);
      return addr;
    }
    return undefined;
  }

  /**
   * Claims exactly [addr, addr+size) as a live block (memory something else already placed there, such as a
   * program's static data); false when any of it is not free (nothing changes then).
   */
  reserve(addr: number, size: number): boolean {
    const i = this.free.findIndex((b) => b.start <= addr && addr + size <= b.end);
    if (i < 0 || size <= 0) return false;
    const b = this.free[i]!;
    const pieces: { start: number; end: number }[] = [];
    if (addr > b.start) pieces.push({ start: b.start, end: addr });
    if (addr + size < b.end) pieces.push({ start: addr + size, end: b.end });
    this.free.splice(i, 1, ...pieces);
    this.used.set(addr, size);
    return true;
  }

  /** Whether `addr` is the start of a live block. */
  owns(addr: number): boolean {
    return this.used.has(addr);
  }

  /** Size of the live block at `addr`, if any. */
  sizeOf(addr: number): number | undefined {
    return this.used.get(addr);
  }

  /** Frees the block at `addr`; false when `addr` is not the start of a live block (nothing changes then). */
  release(addr: number): boolean {
    const size = this.used.get(addr);
    if (size === undefined) return false;
    this.used.delete(addr);
    let start = addr;
    let end = addr + size;
    let i = this.free.findIndex((b) => b.start > addr);
    if (i < 0) i = this.free.length;
    const prev = this.free[i - 1];
    const next = this.free[i];
    let removeFrom = i;
    let removeCount = 0;
    if (prev && prev.end === start) {
      start = prev.start;
      removeFrom = i - 1;
      removeCount++;
    }
    if (next && next.start === end) {
      end = next.end;
      removeCount++;
    }
    this.free.splice(removeFrom, removeCount, { start, end });
    return true;
  }
}
