/** What a memory region is. */
export type RegionKind = 'sram' | 'psram' | 'rom' | 'flash' | 'peripheral';

/** CPU access cost of a region, in picoseconds per byte (a cached, streaming access as memcpy does it). */
export interface AccessCost {
  readPsPerByte: number;
  writePsPerByte: number;
}

/** One region of a target's address map, as the target describes it. */
export interface RegionDefinition {
  name: string;
  kind: RegionKind;
  base: number;
  size: number;
  /** Whether DMA engines can reach it at all (an engine may still refuse a region it cannot address). */
  dmaCapable: boolean;
  /** The bus the region sits on: copies whose source and destination share an external bus pay a turnaround. */
  bus?: string;
  /** CPU access cost; sram/rom default to 1 CPU cycle per 4 bytes when absent. */
  cpu?: AccessCost;
}

/** A region as the memory map exposes it. */
export interface MemoryRegion {
  readonly name: string;
  readonly kind: RegionKind;
  readonly base: number;
  readonly size: number;
  readonly dmaCapable: boolean;
}

export function regionEnd(r: { base: number; size: number }): number {
  return r.base + r.size;
}
