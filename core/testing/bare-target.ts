import type { TargetDefinition } from '../target/target.js';

/**
 * A target with no plugins: one SRAM region and a CPU, for the core's own tests (which build simulations
 * without importing anything outside core/).
 */
export function bareTarget(name = 'bare'): TargetDefinition {
  return {
    name,
    cpu: { freqHz: 160_000_000 },
    memory: [{ name: 'sram', kind: 'sram', base: 0x4000_0000, size: 0x1_0000, dmaCapable: true }],
    plugins: [],
    caps: { asyncMemcpy: false, psram: false, beyondSilicon: [], estimates: [] },
  };
}
