import type { AccessCost } from '../core/memory/region.js';

/**
 * CPU access cost from cycles per byte at a clock: how targets without published copy figures get theirs
 * (scaled from the ESP32-S3 calibration by clock). Marked as estimates in those targets' caps.
 */
export function cpuCostFromCycles(freqHz: number, readCyclesPerByte: number, writeCyclesPerByte: number): AccessCost {
  const cycle = 1e12 / freqHz;
  return { readPsPerByte: Math.round(readCyclesPerByte * cycle), writePsPerByte: Math.round(writeCyclesPerByte * cycle) };
}

/**
 * Internal SRAM memcpy on the ESP32-S3 runs at 362.48 MiB/s (SILICON.md), 2631 ps/B at 240 MHz: 0.6314
 * cycles per byte, split 0.2747 read / 0.3567 write. Other cores are assumed to stream at the same cycles
 * per byte (an estimate).
 */
export const SRAM_READ_CYCLES_PER_BYTE = 0.2747;
export const SRAM_WRITE_CYCLES_PER_BYTE = 0.3567;

export const CPU_COST_ESTIMATE = 'cpu memcpy costs: scaled by clock from the ESP32-S3 calibration (no published figures)';
