import type { AccessCost, RegionDefinition } from '../core/memory/region.js';
import { cpuCostFromCycles, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE } from './common.js';

/** Sizes of the regions of an HP-SRAM RISC-V part; a region left out is not in the map. */
export interface HpSramSizes {
  sram: number;
  rom: number;
  lpSram?: number;
  /** PSRAM mapped by the MMU into the 0x42000000..0x44000000 window it shares with flash (ESP32-C5, C61). */
  psram?: { size: number; cpu: AccessCost; dmaCapable: boolean };
}

/**
 * Memory of the RISC-V parts with HP SRAM at 0x40800000 (ESP32-C5, C6, C61, H2): ROM at 0x40000000, flash
 * mapped at 0x42000000 (SOC_IROM_LOW), LP SRAM at 0x50000000, peripherals at 0x60000000 (soc/soc.h). The C5
 * and C61 map PSRAM into the same MMU window as flash (SOC_EXTRAM_DATA_LOW 0x42000000 .. HIGH 0x44000000);
 * here flash takes its first 16 MiB and PSRAM starts at 0x43000000 (where the MMU puts it is an estimate).
 */
export function hpSramMap(freqHz: number, sizes: HpSramSizes): RegionDefinition[] {
  const sram = cpuCostFromCycles(freqHz, SRAM_READ_CYCLES_PER_BYTE, SRAM_WRITE_CYCLES_PER_BYTE);
  const map: RegionDefinition[] = [
    { name: 'rom', kind: 'rom', base: 0x4000_0000, size: sizes.rom, dmaCapable: false, cpu: sram },
    {
      name: 'flash',
      kind: 'flash',
      base: 0x4200_0000,
      size: 0x100_0000,
      dmaCapable: false,
      cpu: cpuCostFromCycles(freqHz, 6, 0),
    },
    { name: 'sram', kind: 'sram', base: 0x4080_0000, size: sizes.sram, dmaCapable: true, cpu: sram },
    { name: 'peripherals', kind: 'peripheral', base: 0x6000_0000, size: 0xd_0000, dmaCapable: false },
  ];
  if (sizes.lpSram)
    map.splice(3, 0, {
      name: 'lp_sram',
      kind: 'sram',
      base: 0x5000_0000,
      size: sizes.lpSram,
      dmaCapable: false,
      cpu: cpuCostFromCycles(freqHz, 1, 1),
    });
  if (sizes.psram)
    map.push({
      name: 'psram',
      kind: 'psram',
      base: 0x4300_0000,
      size: sizes.psram.size,
      dmaCapable: sizes.psram.dmaCapable,
      cpu: sizes.psram.cpu,
    });
  return map;
}
