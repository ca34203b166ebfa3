import { z } from 'zod';
import type { RegionKind } from '../../../core/memory/region.js';
import { regionKindSchema } from '../../../core/target/schema.js';

const cycles = z.number().nonnegative();

/** DMA cost of reading and writing one region kind, in engine clock cycles per byte. */
export const dmaAccessCyclesSchema = z.object({ readCyclesPerByte: cycles, writeCyclesPerByte: cycles }).strict();
/** DMA cost of one region kind in cycles per byte (dmaAccessCyclesSchema's type). */
export type DmaAccessCycles = z.infer<typeof dmaAccessCyclesSchema>;

/**
 * A DMA engine's timing parameters (a target's caps.gdma.timing / caps.cpdma.timing). A memory-to-memory
 * segment (one descriptor's worth, or less where the other side's descriptor ends first) costs
 *   descriptor fetches x descriptorFetchCycles + ceil(bytes / beatBytes) x beatBytes x per-byte cost,
 * per-byte cost = source read + destination write (+ sharedBusPenalty when both sit on one external bus),
 * times noBurstFactor when burst is disabled; a start adds startCycles. Channels of one engine share it: one
 * segment is on the bus at a time. A peripheral's transfer through a channel holds the bus for its descriptor
 * fetches plus its beats' memory-side cost (sideBeatPs).
 */
export const dmaTimingSchema = z
  .object({
    clockHz: z.number().int().positive(),
    beatBytes: z.number().int().positive(),
    descriptorFetchCycles: cycles,
    startCycles: cycles,
    access: z.partialRecord(regionKindSchema, dmaAccessCyclesSchema),
    sharedBusPenaltyCyclesPerByte: cycles,
    noBurstFactor: z.number().positive(),
  })
  .strict();
/** A DMA engine's timing parameters (dmaTimingSchema's type). */
export type DmaTiming = z.infer<typeof dmaTimingSchema>;

/** Precomputed costs in picoseconds for the engine's hot path. */
export class DmaCostModel {
  readonly fetchPs: number;
  readonly startPs: number;
  readonly beatBytes: number;
  private readonly cyclePs: number;

  constructor(readonly timing: DmaTiming) {
    this.cyclePs = 1e12 / timing.clockHz;
    this.fetchPs = Math.round(timing.descriptorFetchCycles * this.cyclePs);
    this.startPs = Math.round(timing.startCycles * this.cyclePs);
    this.beatBytes = timing.beatBytes;
  }

  /**
   * Picoseconds a peripheral transfer holds the bus per beat: only the memory side is timed (a TX channel
   * reads `kind`, an RX channel writes it); the peripheral's FIFO side is the peripheral's own time.
   */
  sideBeatPs(kind: RegionKind, side: 'read' | 'write', burst: boolean): number {
    const a = this.timing.access[kind];
    const c = (side === 'read' ? a?.readCyclesPerByte : a?.writeCyclesPerByte) ?? 1;
    return c * this.timing.beatBytes * this.cyclePs * (burst ? 1 : this.timing.noBurstFactor);
  }

  /** Picoseconds per beat moving from a `src` region kind to a `dst` one (bus penalty when both are external). */
  beatPs(src: RegionKind, dst: RegionKind, sameExternalBus: boolean, burst: boolean): number {
    const r = this.timing.access[src]?.readCyclesPerByte ?? 1;
    const w = this.timing.access[dst]?.writeCyclesPerByte ?? 1;
    const pen = sameExternalBus ? this.timing.sharedBusPenaltyCyclesPerByte : 0;
    return (r + w + pen) * this.timing.beatBytes * this.cyclePs * (burst ? 1 : this.timing.noBurstFactor);
  }
}

/**
 * ESP32-S3 AHB GDMA, fitted to SILICON.md's async memcpy column (project-x51/esp32-s3-memorycopy: 100 KiB,
 * 32-byte aligned, burst 16, MiB/s, from the esp_async_memcpy call to the woken task): SRAM->SRAM 56.85 MiB/s,
 * SRAM->PSRAM 49.00, PSRAM->SRAM 51.06, PSRAM->PSRAM 26.16 at an 80 MHz bus clock. Per byte: SRAM read and
 * write 0.6701 cycles each; PSRAM read 0.8222, write 0.8850; both on PSRAM adds a 1.2073-cycle turnaround.
 * Fetches (4 cycles per descriptor) and the start (10 cycles) are small beside it. `soc-fabric calibrate`
 * prints the fit.
 */
export const ESP32S3_GDMA_TIMING: DmaTiming = {
  clockHz: 80_000_000,
  beatBytes: 4,
  descriptorFetchCycles: 4,
  startCycles: 10,
  access: {
    sram: { readCyclesPerByte: 0.6701, writeCyclesPerByte: 0.6701 },
    psram: { readCyclesPerByte: 0.8222, writeCyclesPerByte: 0.885 },
  },
  sharedBusPenaltyCyclesPerByte: 1.2073,
  noBurstFactor: 1.25,
};

/** The S3's SRAM cycles per byte at another bus clock: how the targets without published figures get theirs. */
export function sramTimingAt(clockHz: number): DmaTiming {
  return { ...ESP32S3_GDMA_TIMING, clockHz, access: { sram: { ...ESP32S3_GDMA_TIMING.access.sram! } } };
}

export const DMA_TIMING_ESTIMATE =
  "DMA timing: the ESP32-S3 GDMA cycles per byte at this target's bus clock (no published figures)";
