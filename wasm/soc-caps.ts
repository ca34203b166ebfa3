import { type TargetDefinition } from '../core/target/target.js';

interface GdmaCapsView {
  ahbPairs?: number;
  axiPairs?: number;
  etm?: boolean;
  psramAccess?: boolean;
  ahbVersion?: number;
}

/**
 * The sdkconfig and soc_caps.h macros of ESP-IDF for `target`, as -D definitions, so that a test written with
 * `#if SOC_...` compiles for the chip it runs on (`soc-fabric cc --target NAME`). Derived from the target's
 * caps, so a custom target gets its own.
 */
export function socDefines(target: TargetDefinition): string[] {
  const caps = target.caps;
  const gdma = caps['gdma'] as GdmaCapsView | undefined;
  const flag = (name: string, on: unknown): string[] => (on ? [`${name}=1`] : []);
  return [
    `CONFIG_IDF_TARGET_${target.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}=1`,
    `CONFIG_IDF_TARGET="${target.name}"`,
    ...flag('SOC_ASYNC_MEMCPY_SUPPORTED', caps.asyncMemcpy),
    ...flag('SOC_GDMA_SUPPORTED', gdma),
    ...flag('SOC_AHB_GDMA_SUPPORTED', (gdma?.ahbPairs ?? 0) > 0),
    ...flag('SOC_AXI_GDMA_SUPPORTED', (gdma?.axiPairs ?? 0) > 0),
    ...(gdma && (gdma.ahbPairs ?? 0) > 0 ? [`SOC_AHB_GDMA_VERSION=${gdma.ahbVersion ?? 1}`] : []),
    // hal/gdma_ll.h of the AHB GDMA v1 chips: with burst, RX buffers and sizes must be 4-byte aligned
    ...flag('GDMA_LL_AHB_RX_BURST_NEEDS_ALIGNMENT', gdma && (gdma.ahbPairs ?? 0) > 0 && (gdma.ahbVersion ?? 1) === 1),
    ...flag('SOC_GDMA_SUPPORT_ETM', gdma?.etm),
    ...flag('SOC_AHB_GDMA_SUPPORT_PSRAM', gdma?.psramAccess),
    ...flag('SOC_CP_DMA_SUPPORTED', caps['cpdma']),
    ...flag('SOC_ETM_SUPPORTED', caps['etm']),
    ...flag('SOC_GPTIMER_SUPPORT_ETM', (caps['gptimer'] as { etm?: boolean } | undefined)?.etm),
    ...flag('SOC_SPIRAM_SUPPORTED', caps.psram),
  ];
}
