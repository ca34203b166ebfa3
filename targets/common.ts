import type { AccessCost } from '../core/memory/region.js';
import { ESP32S3_GDMA_TIMING, sramTimingAt, type DmaTiming } from '../plugins/dma/engine/timing.js';

/**
 * CPU access cost from cycles per byte at a clock: how targets without published copy figures get theirs
 * (scaled from the ESP32-S3 calibration by clock). Marked as estimates in those targets' caps.
 */
export function cpuCostFromCycles(freqHz: number, readCyclesPerByte: number, writeCyclesPerByte: number): AccessCost {
  const cycle = 1e12 / freqHz;
  return {
    readPsPerByte: Math.round(readCyclesPerByte * cycle),
    writePsPerByte: Math.round(writeCyclesPerByte * cycle),
  };
}

/**
 * Internal SRAM memcpy on the ESP32-S3 runs at 362.48 MiB/s (SILICON.md), 2631 ps/B at 240 MHz: 0.6314
 * cycles per byte, split 0.2747 read / 0.3567 write. Other cores are assumed to stream at the same cycles
 * per byte (an estimate).
 */
export const SRAM_READ_CYCLES_PER_BYTE = 0.2747;
export const SRAM_WRITE_CYCLES_PER_BYTE = 0.3567;

export const CPU_COST_ESTIMATE =
  'cpu memcpy costs: scaled by clock from the ESP32-S3 calibration (no published figures)';

/**
 * GDMA timing for a target without published figures that reaches PSRAM: the ESP32-S3's SRAM and PSRAM cycles
 * per byte (and its PSRAM turnaround) at this target's DMA bus clock, `beatBytes` wide. An estimate, listed in
 * the target's caps.estimates with DMA_TIMING_ESTIMATE.
 */
export function psramGdmaTimingAt(clockHz: number, beatBytes?: number): DmaTiming {
  const t = sramTimingAt(clockHz);
  return {
    ...t,
    beatBytes: beatBytes ?? t.beatBytes,
    access: { ...t.access, psram: { ...ESP32S3_GDMA_TIMING.access.psram! } },
  };
}

/**
 * CPU PSRAM costs of the ESP32-S3's octal PSRAM (SILICON.md fit: 24,351 ps/B read, 16,430 ps/B write, 3,980 ps/B
 * turnaround) divided by `speedup`, the ratio of another part's raw PSRAM bandwidth to the S3's (an estimate).
 */
export function psramCpuCost(speedup: number): { cpu: AccessCost; sharedBusPenaltyPsPerByte: number } {
  return {
    cpu: { readPsPerByte: Math.round(24_351 / speedup), writePsPerByte: Math.round(16_430 / speedup) },
    sharedBusPenaltyPsPerByte: Math.round(3_980 / speedup),
  };
}
