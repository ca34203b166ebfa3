import type { RegionDefinition } from '../core/memory/region.js';
import { cpuCostFromCycles, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE } from './common.js';

/** Memory of the RISC-V parts with HP SRAM at 0x40800000 (ESP32-C6, ESP32-H2). */
export function hpSramMap(freqHz: number, sizes: { sram: number; lpSram: number; rom: number }): RegionDefinition[] {
  const sram = cpuCostFromCycles(freqHz, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE);
  return [
    { name: 'rom', kind: 'rom', base: 0x4000_0000, size: sizes.rom, dmaCapable: false, cpu: sram },
    { name: 'flash', kind: 'flash', base: 0x4200_0000, size: 0x100_0000, dmaCapable: false, cpu: cpuCostFromCycles(freqHz, 6, 0) },
    { name: 'sram', kind: 'sram', base: 0x4080_0000, size: sizes.sram, dmaCapable: true, cpu: sram },
    { name: 'lp_sram', kind: 'sram', base: 0x5000_0000, size: sizes.lpSram, dmaCapable: false, cpu: cpuCostFromCycles(freqHz, 1, 1) },
    { name: 'peripherals', kind: 'peripheral', base: 0x6000_0000, size: 0xd_0000, dmaCapable: false },
  ];
}
