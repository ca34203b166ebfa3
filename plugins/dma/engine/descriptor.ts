import { MemoryMap, type Memory, type Region } from '../../../core/memory/memory.js';

/**
 * The DMA descriptor of hal/dma_types.h (AHB GDMA, CP DMA, SPI DMA on later parts), 12 bytes, 4-byte aligned:
 *   word 0: size (bits 0-11), length (12-23), err_eof (28), suc_eof (30), owner (31: 1 = DMA, 0 = CPU)
 *   word 1: buffer address
 *   word 2: next descriptor address (0 ends the list)
 */
export const DESCRIPTOR_BYTES = 12;
/** Descriptor alignment in bytes (AHB). */
export const DESCRIPTOR_ALIGN = 4;
/** Largest size/length a descriptor can hold (12 bits). */
export const DESCRIPTOR_MAX_BYTES = 4095;
/** Largest per-descriptor size when buffers must stay 4-byte aligned. */
export const DESCRIPTOR_MAX_ALIGNED_BYTES = 4092;

/**
 * A descriptor layout: how many bytes one takes and how it must be aligned. The words are the same on both
 * buses (hal/dma_types.h); the AXI GDMA's dma_descriptor_align8_t pads them to 16 bytes, 8-byte aligned
 * (GDMA_LL_AXI_DESC_ALIGNMENT 8 in hal/gdma_ll.h of the ESP32-P4; AHB: GDMA_LL_AHB_DESC_ALIGNMENT 4).
 */
export interface DescriptorFormat {
  readonly bytes: number;
  readonly align: number;
}
/** dma_descriptor_align4_t: the AHB GDMA, CP DMA and SPI DMA descriptor. */
export const AHB_DESCRIPTOR: DescriptorFormat = Object.freeze({ bytes: DESCRIPTOR_BYTES, align: DESCRIPTOR_ALIGN });
/** dma_descriptor_align8_t: the AXI GDMA descriptor (ESP32-P4). */
export const AXI_DESCRIPTOR: DescriptorFormat = Object.freeze({ bytes: 16, align: 8 });

const SIZE_MASK = 0xfff;
const LENGTH_SHIFT = 12;
const ERR_EOF_BIT = 1 << 28;
const SUC_EOF_BIT = 1 << 30;
const OWNER_BIT = 0x8000_0000;

/**
 * A size or length written to a descriptor that does not fit its 12-bit field. Silicon keeps the low 12 bits, as
 * C's bitfield assignment does (`desc->dw0.size = 4096` stores 0; lldesc.h: "the size field has 12 bits, but 0
 * not for 4096"), so `stored` is `value & 0xfff`; the DMA then works with `stored`.
 */
export interface DescriptorFieldOverflow {
  /** The descriptor's address. */
  readonly addr: number;
  readonly format: DescriptorFormat;
  /** The fields that did not fit, each with what was written and what the field now holds. */
  readonly fields: readonly { field: 'size' | 'length'; value: number; stored: number }[];
}

const overflowWatchers = new WeakMap<MemoryMap, ((o: DescriptorFieldOverflow) => void)[]>();

/**
 * Calls `watcher` whenever a descriptor written through DescriptorMemory.write or writeLinearList into `memory`
 * gets a size or length that does not fit 12 bits (the descriptor checker's dma.descriptor-too-long). Returns the
 * unsubscribe. Nothing is watched on the hot path: engines and drivers encode words that fit.
 */
export function watchDescriptorOverflow(memory: MemoryMap, watcher: (o: DescriptorFieldOverflow) => void): () => void {
  overflowWatchers.set(memory, [...(overflowWatchers.get(memory) ?? []), watcher]);
  return () => {
    const list = (overflowWatchers.get(memory) ?? []).filter((w) => w !== watcher);
    if (list.length) overflowWatchers.set(memory, list);
    else overflowWatchers.delete(memory);
  };
}

/** Reports the fields of a descriptor write that do not fit 12 bits (a no-op when they fit). */
function noteOverflow(memory: MemoryMap, addr: number, format: DescriptorFormat, size: number, length: number): void {
  if (size <= DESCRIPTOR_MAX_BYTES && length <= DESCRIPTOR_MAX_BYTES) return;
  const fields: { field: 'size' | 'length'; value: number; stored: number }[] = [];
  if (size > DESCRIPTOR_MAX_BYTES) fields.push({ field: 'size', value: size, stored: size & SIZE_MASK });
  if (length > DESCRIPTOR_MAX_BYTES) fields.push({ field: 'length', value: length, stored: length & SIZE_MASK });
  const o: DescriptorFieldOverflow = Object.freeze({ addr, format, fields: Object.freeze(fields) });
  for (const w of overflowWatchers.get(memory) ?? []) w(o);
}

/** A size/length a descriptor write accepts: a 32-bit unsigned integer (what a C caller can assign). */
const isFieldValue = (v: number): boolean => Number.isSafeInteger(v) && v >= 0 && v <= 0xffff_ffff;

/** Owner bit value: the CPU owns the descriptor. */
export const OWNER_CPU = 0;
/** Owner bit value: the DMA owns the descriptor. */
export const OWNER_DMA = 1;

/** The fields of one descriptor, decoded. */
export interface Descriptor {
  size: number;
  length: number;
  errEof: boolean;
  sucEof: boolean;
  owner: 0 | 1;
  buffer: number;
  next: number;
}

/** Word 0 from its fields (size and length are masked to 12 bits by the caller's validation). */
export function encodeWord0(d: {
  size: number;
  length: number;
  sucEof?: boolean;
  errEof?: boolean;
  owner: 0 | 1;
}): number {
  return (
    ((d.size & SIZE_MASK) |
      ((d.length & SIZE_MASK) << LENGTH_SHIFT) |
      (d.errEof ? ERR_EOF_BIT : 0) |
      (d.sucEof ? SUC_EOF_BIT : 0) |
      (d.owner ? OWNER_BIT : 0)) >>>
    0
  );
}

export const word0Size = (w: number): number => w & SIZE_MASK;
export const word0Length = (w: number): number => (w >>> LENGTH_SHIFT) & SIZE_MASK;
export const word0SucEof = (w: number): boolean => (w & SUC_EOF_BIT) !== 0;
export const word0ErrEof = (w: number): boolean => (w & ERR_EOF_BIT) !== 0;
export const word0Owner = (w: number): 0 | 1 => ((w & OWNER_BIT) !== 0 ? 1 : 0);

/** Word 0 with `length`, `suc_eof` and owner=CPU set: what an engine writes back to an RX descriptor. */
export function rxWriteBack(w: number, length: number, sucEof: boolean): number {
  return (
    ((w & ~(SIZE_MASK << LENGTH_SHIFT) & ~SUC_EOF_BIT & ~OWNER_BIT) |
      ((length & SIZE_MASK) << LENGTH_SHIFT) |
      (sucEof ? SUC_EOF_BIT : 0)) >>>
    0
  );
}
/** Word 0 with owner=CPU: what an engine with auto write-back writes to a consumed TX descriptor. */
export function txWriteBack(w: number): number {
  return (w & ~OWNER_BIT) >>> 0;
}

/**
 * Word access to descriptors in simulated memory, through a Uint32Array view of each region (little-endian
 * host assumed, as every platform Node runs on is). Addresses must be 4-byte aligned.
 */
export class DescriptorMemory {
  private readonly views = new Map<Region, Uint32Array>();

  readonly memory: MemoryMap;

  /** Over a simulation's memory: `new DescriptorMemory(sim.memory)` in a test, `Core.Memory` in a plugin. */
  constructor(memory: Memory) {
    if (!(memory instanceof MemoryMap))
      throw new TypeError('DescriptorMemory: expected the memory of a simulation (sim.memory or Core.Memory)');
    this.memory = memory;
  }

  /** The region holding a whole descriptor (of `bytes`, default 12) at `addr`, or undefined. */
  regionOf(addr: number, bytes = DESCRIPTOR_BYTES): Region | undefined {
    const r = this.memory.regionAt(addr);
    return r && addr + bytes <= r.end ? r : undefined;
  }

  /** Word `i` (0..2) of the descriptor at `addr`, which must lie in `r` and be aligned. */
  word(r: Region, addr: number, i: number): number {
    return this.view(r)[((addr - r.base) >>> 2) + i]!;
  }

  /** Sets word `i` (0..2) of the descriptor at `addr` in `r`. */
  setWord(r: Region, addr: number, i: number, value: number): void {
    this.view(r)[((addr - r.base) >>> 2) + i] = value;
  }

  /** Decodes the descriptor at `addr` (for tests and tools; engines read words). */
  read(addr: number, format: DescriptorFormat = AHB_DESCRIPTOR): Descriptor {
    const r = this.checked(addr, format);
    const w0 = this.word(r, addr, 0);
    return {
      size: word0Size(w0),
      length: word0Length(w0),
      errEof: word0ErrEof(w0),
      sucEof: word0SucEof(w0),
      owner: word0Owner(w0),
      buffer: this.word(r, addr, 1),
      next: this.word(r, addr, 2),
    };
  }

  /**
   * Encodes a descriptor at `addr` (the words of both formats; AXI's padding word is left alone). As on silicon,
   * a size or length above 4095 keeps its low 12 bits (4096 is stored as 0), and watchers of
   * `watchDescriptorOverflow` hear of it; a value that is no unsigned 32-bit integer is a RangeError.
   */
  write(
    addr: number,
    d: { size: number; length: number; sucEof?: boolean; errEof?: boolean; owner: 0 | 1; buffer: number; next: number },
    format: DescriptorFormat = AHB_DESCRIPTOR,
  ): void {
    this.checked(addr, format);
    if (!isFieldValue(d.size) || !isFieldValue(d.length)) {
      throw new RangeError(
        `descriptor size/length must be unsigned 32-bit integers (the fields keep 12 bits), got ${d.size}/${d.length}`,
      );
    }
    // a software write, as the CPU's stores to the struct: through MemoryMap.write, so that its watchers (the
    // descriptor checker's dma.descriptor-modified) and buffer leases see it; AXI's padding word is left alone
    const words = new Uint32Array([encodeWord0(d), d.buffer >>> 0, d.next >>> 0]);
    this.memory.write(addr, new Uint8Array(words.buffer));
    noteOverflow(this.memory, addr, format, d.size, d.length);
  }

  private checked(addr: number, f: DescriptorFormat): Region {
    const r = addr % f.align === 0 ? this.regionOf(addr, f.bytes) : undefined;
    if (!r)
      throw new RangeError(`no ${f.align}-byte aligned ${f.bytes}-byte descriptor fits at 0x${addr.toString(16)}`);
    return r;
  }

  private lastRegion: Region | undefined;
  private lastView: Uint32Array | undefined;

  /** The Uint32Array over region `r`'s bytes (word i of the region at index i). */
  view(r: Region): Uint32Array {
    if (r === this.lastRegion) return this.lastView!;
    let v = this.views.get(r);
    if (!v) {
      const b = r.bytes;
      v = new Uint32Array(b.buffer, b.byteOffset, b.byteLength >>> 2);
      this.views.set(r, v);
    }
    this.lastRegion = r;
    this.lastView = v;
    return v;
  }
}

/**
 * Writes a descriptor list for `n` bytes at `buffer` into the `count` descriptors at `descs` (consecutive,
 * `format.bytes` apart: 12 on AHB, 16 on AXI), at most `maxPerDescriptor` bytes each, owner=DMA. TX lists
 * (`tx`) carry `length` and suc_eof on the last; RX lists carry `size` only. Returns the number of descriptors used.
 * A `maxPerDescriptor` above 4095 writes fields that keep only their low 12 bits, as on silicon (see
 * `watchDescriptorOverflow`).
 */
export function writeLinearList(
  dm: DescriptorMemory,
  descs: number,
  buffer: number,
  n: number,
  maxPerDescriptor: number,
  tx: boolean,
  eof = true,
  format: DescriptorFormat = AHB_DESCRIPTOR,
): number {
  if (!Number.isSafeInteger(maxPerDescriptor) || maxPerDescriptor < 1)
    throw new RangeError(`maxPerDescriptor must be a positive integer, got ${String(maxPerDescriptor)}`);
  const stride = format.bytes;
  const r = descs % format.align === 0 ? dm.regionOf(descs, stride) : undefined;
  if (!r) throw new RangeError(`no ${format.align}-byte aligned descriptor fits at 0x${descs.toString(16)}`);
  let addr = descs;
  let off = 0;
  let count = 0;
  while (off < n || count === 0) {
    const chunk = Math.min(maxPerDescriptor, n - off);
    const last = off + chunk >= n;
    const w0 = encodeWord0({ size: chunk, length: tx ? chunk : 0, sucEof: tx && last && eof, owner: OWNER_DMA });
    dm.setWord(r, addr, 0, w0);
    dm.setWord(r, addr, 1, (buffer + off) >>> 0);
    dm.setWord(r, addr, 2, last ? 0 : addr + stride);
    // a maxPerDescriptor above 4095 does not fit the 12-bit fields: stored truncated, as silicon does
    if (chunk > DESCRIPTOR_MAX_BYTES) noteOverflow(dm.memory, addr, format, chunk, tx ? chunk : 0);
    off += chunk;
    addr += stride;
    count++;
    if (last) break;
  }
  return count;
}
