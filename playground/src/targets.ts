import builtInConfig from '../../sim.config.js';
import type { Scenario } from '../../core/config/config.js';
import { findTarget } from '../../core/config/config.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { extendTarget, type TargetCaps, type TargetDefinition } from '../../core/target/target.js';
import { etm } from '../../plugins/etm/index.js';
import { C6_GPIO_ETM_CAPS } from '../../plugins/gpio/index.js';
import { C6_GPTIMER_ETM_IDS } from '../../plugins/gptimer/index.js';
import { C6_GDMA_ETM_IDS } from '../../plugins/dma/gdma/index.js';
import type { Experiment } from './experiment.js';

/** The targets the page offers: those of the kit's own sim.config.ts (the six built-ins and its custom ones). */
export const BASE_TARGETS: readonly TargetDefinition[] = builtInConfig.targets;
/** The built-in scenarios (sim.config.ts), runnable as they are. */
export const SCENARIOS: readonly Scenario[] = builtInConfig.scenarios ?? [];
/** Targets exported by name from 'soc-fabric' (the others come from its sim.config.ts). */
export const EXPORTED_TARGETS = new Set(['esp32', 'esp32s2', 'esp32s3', 'esp32c3', 'esp32c6', 'esp32h2']);

/** ETM parameters given to a target that has none when the ETM is switched on: the ESP32-C6's (beyond silicon). */
export const ADDED_ETM_CAPS = { channels: 50, latencyCycles: 2, clockHz: 40_000_000 };
/** The ESP32-C6's GDMA ETM ID bases (soc_etm_source.h), given to a GDMA that has none when the ETM is switched on. */
export const ADDED_GDMA_ETM_IDS = C6_GDMA_ETM_IDS;

/** A derived target as data: what extendTarget gets, and whether the etm plugin is added or removed. */
export interface DerivedTarget {
  base: string;
  name: string;
  description: string;
  caps: Record<string, unknown>;
  beyondSilicon: string[];
  plugins?: 'add-etm' | 'remove-etm';
}

/** The base target an experiment names; EspError listing the known ones when it names none. */
export function baseTarget(name: string): TargetDefinition {
  return findTarget(builtInConfig, name);
}

/**
 * The changes the experiment's target options make to its base target, or undefined when it has none. Refuses
 * (EspError) a pair count on a target without GDMA, and ETM IDs that would overlap with the pair count asked.
 */
export function deriveTarget(x: Pick<Experiment, 'target' | 'gdmaPairs' | 'etm'>): DerivedTarget | undefined {
  const base = baseTarget(x.target);
  if (x.gdmaPairs === undefined && x.etm === undefined) return undefined;
  const caps: Record<string, unknown> = {};
  const beyond: string[] = [];
  const parts: string[] = [];
  let plugins: DerivedTarget['plugins'];
  const hasEtm = base.caps.etm !== undefined && base.plugins.some((p) => p.name === 'etm');
  const gdma = base.caps.gdma;
  let gdmaEtm = gdma?.etm ?? false;
  let etmIds = gdma?.etmIds;
  if (x.etm === 'on' && !hasEtm) {
    plugins = 'add-etm';
    caps['etm'] = ADDED_ETM_CAPS;
    caps['gpio'] = { etm: C6_GPIO_ETM_CAPS };
    caps['gptimer'] = { etm: true, etmIds: C6_GPTIMER_ETM_IDS };
    beyond.push('ETM matrix with 50 channels, GPIO and GPTimer ETM with the ESP32-C6 IDs (added by the playground)');
    if (gdma && !gdma.etm) {
      gdmaEtm = true;
      etmIds = ADDED_GDMA_ETM_IDS;
      caps['gdma'] = { etm: true, etmIds: ADDED_GDMA_ETM_IDS };
      beyond.push('GDMA ETM (EOF events, START tasks) with the ESP32-C6 IDs');
    }
    parts.push('etm');
  } else if (x.etm === 'off' && hasEtm) {
    plugins = 'remove-etm';
    caps['gptimer'] = { etm: false };
    if (gdma?.etm) {
      caps['gdma'] = { etm: false };
      gdmaEtm = false;
    }
    parts.push('no-etm');
  }
  if (x.gdmaPairs !== undefined && !gdma)
    throw new EspError(ESP_ERR_NOT_SUPPORTED, `target "${base.name}" has no GDMA to give ${x.gdmaPairs} pairs`);
  if (gdma) {
    // the pair count asked, or the base's when the ETM is switched on (its IDs are checked by extendTarget too)
    const n = x.gdmaPairs ?? gdma.ahbPairs;
    if (gdmaEtm && etmIds) {
      const room = Math.min(
        Math.abs(etmIds.outEofBase - etmIds.inSucEofBase),
        Math.abs(etmIds.outStartTaskBase - etmIds.inStartTaskBase),
      );
      if (n > room) {
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `${n} GDMA pairs with ETM: the ETM IDs of pair ${room} would be those of pair 0 ` +
            `(IN_START base ${etmIds.inStartTaskBase}, OUT_START base ${etmIds.outStartTaskBase}); at most ${room} pairs, or switch the ETM off`,
        );
      }
    }
    if (x.gdmaPairs !== undefined) {
      caps['gdma'] = { ...(caps['gdma'] as object | undefined), ahbPairs: n, m2mPairMask: 2 ** n - 1 };
      if (n > gdma.ahbPairs) beyond.push(`${n} GDMA pairs (the base has ${gdma.ahbPairs})`);
      parts.push(`${n}pairs`);
    }
  }
  if (parts.length === 0) return undefined;
  const name = `${base.name}-${parts.join('-')}`;
  return {
    base: base.name,
    name,
    description: `${base.name} with ${parts.join(', ')} (playground)`,
    caps,
    beyondSilicon: beyond,
    plugins,
  };
}

/** The target definition an experiment runs on: its base, or the base with the derived changes. */
export function experimentTarget(x: Pick<Experiment, 'target' | 'gdmaPairs' | 'etm'>): TargetDefinition {
  const base = baseTarget(x.target);
  const d = deriveTarget(x);
  if (!d) return base;
  return extendTarget(base, {
    name: d.name,
    description: d.description,
    caps: d.caps as Partial<TargetCaps>,
    beyondSilicon: d.beyondSilicon,
    plugins:
      d.plugins === 'add-etm'
        ? (p) => [...p, etm()]
        : d.plugins === 'remove-etm'
          ? (p) => p.filter((q) => q.name !== 'etm')
          : undefined,
  });
}
