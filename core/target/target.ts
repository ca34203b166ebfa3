import type { Plugin } from '../plugin/plugin.js';
import type { RegionDefinition } from '../memory/region.js';
import type { DataCacheCaps } from '../memory/cache/caps.js';
import { EspError, ESP_ERR_INVALID_ARG } from '../errors.js';
import { formatIssues, targetSchema } from './schema.js';
import type { IdfVersion } from '../idf.js';

/**
 * What a target has, as SILICON.md tabulates it. Plugins read their parameters from here (a platform
 * described apart from its peripheral models), so changing a number here changes the hardware.
 * Each plugin's section (`gdma`, `spi`, ...) is declared by the plugin: one zod schema (defineCapsSection,
 * core/target/caps.ts) checks it, and the plugin adds its inferred type here by module augmentation
 * (`declare module '.../core/target/target.js' { interface TargetCaps { gdma?: GdmaCaps } }`).
 */
export interface TargetCaps {
  /** esp_async_memcpy exists on this target. */
  asyncMemcpy: boolean;
  /** The target has PSRAM. */
  psram: boolean;
  /** Where this target goes beyond the silicon. Empty on built-in targets. */
  beyondSilicon: string[];
  /** Parameters that are estimates (derived from clocks and bus widths) rather than measured. */
  estimates: string[];
  /** The data cache in front of external memory, where the chip has one (core/memory/cache/caps.ts). */
  cache?: DataCacheCaps;
  [section: string]: unknown;
}

/** CPU parameters: clock, and the cost model of `sim.cpu.memcpy`. */
export interface CpuDefinition {
  freqHz: number;
  /** Fixed cost of one memcpy call, in CPU cycles (default 20). */
  memcpyCallCycles?: number;
  /** Extra ps per byte when source and destination share an external bus (read/write turnaround). */
  sharedBusPenaltyPsPerByte?: number;
  /**
   * Cycles from an interrupt request to the handler's first instruction (`cpu.isr` charges them before the
   * handler's cycles). Default 0: the built-in drivers' ISR figures (IDF_SPI_DRIVER_CYCLES) are fitted to
   * whole measured transactions and so already include it; a target setting it lists it in caps.estimates
   * unless it is measured.
   */
  interruptLatencyCycles?: number;
}

/** A target: CPU, memory map, plugins and caps (see defineTarget / extendTarget). */
export interface TargetDefinition {
  name: string;
  description?: string;
  /** The target this one was made from with extendTarget. */
  extends?: string;
  cpu: CpuDefinition;
  memory: RegionDefinition[];
  plugins: Plugin[];
  caps: TargetCaps;
  /** The ESP-IDF version this target models by default (createSimulation's `idf` overrides it). */
  idf?: IdfVersion;
}

/**
 * Validates a target definition (zod) and returns it, deeply frozen (its data, not its plugins' modules): a
 * simulation of it then skips validation. A bad field throws naming its path. To change a target, extend it.
 */
export function defineTarget(def: TargetDefinition): TargetDefinition {
  return sealTarget(def);
}

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** What extendTarget changes in its base. */
export interface TargetChanges {
  /** The new target's name (required: a custom target is not its base). */
  name: string;
  description?: string;
  cpu?: Partial<CpuDefinition>;
  /** New regions, or a function of the base's. */
  memory?: RegionDefinition[] | ((base: RegionDefinition[]) => RegionDefinition[]);
  /** New plugin list, or a function of the base's (`(p) => [...p, etm()]`). */
  plugins?: Plugin[] | ((base: Plugin[]) => Plugin[]);
  /** Caps merged into the base's (objects merged key by key, arrays and scalars replaced). */
  caps?: DeepPartial<TargetCaps>;
  /** What goes beyond the silicon; appended to caps.beyondSilicon. */
  beyondSilicon?: string[];
  /** The ESP-IDF version modelled (default: the base's). */
  idf?: IdfVersion;
}

function mergeDeep(base: unknown, change: unknown): unknown {
  if (change === undefined) return base;
  if (
    typeof base === 'object' &&
    base !== null &&
    !Array.isArray(base) &&
    typeof change === 'object' &&
    change !== null &&
    !Array.isArray(change)
  ) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(change)) out[k] = mergeDeep(out[k], v);
    return out;
  }
  return change;
}

/** A new target from `base` with `changes` applied, validated and frozen like defineTarget's. */
export function extendTarget(base: TargetDefinition, changes: TargetChanges): TargetDefinition {
  const caps = mergeDeep(base.caps, changes.caps) as TargetCaps;
  const def: TargetDefinition = {
    name: changes.name,
    description: changes.description ?? `${base.name}, modified`,
    extends: base.name,
    cpu: { ...base.cpu, ...changes.cpu },
    memory:
      typeof changes.memory === 'function'
        ? changes.memory(base.memory.map((r) => ({ ...r })))
        : (changes.memory ?? base.memory),
    plugins:
      typeof changes.plugins === 'function' ? changes.plugins([...base.plugins]) : (changes.plugins ?? base.plugins),
    caps: { ...caps, beyondSilicon: [...caps.beyondSilicon, ...(changes.beyondSilicon ?? [])] },
  };
  const idf = changes.idf ?? base.idf;
  if (idf !== undefined) def.idf = idf;
  return sealTarget(def);
}

/**
 * Definitions validated once and deeply frozen by sealTarget: they cannot have changed since, so
 * validateTarget (every assembleSimulation) returns them without parsing them again (zod: about a millisecond).
 */
const sealed = new WeakSet<TargetDefinition>();

/**
 * Checks a target definition against targetSchema and each plugin's caps schema; a bad field throws EspError
 * ESP_ERR_INVALID_ARG naming its path. Returns `def` itself.
 */
export function validateTarget(def: TargetDefinition, where = ''): TargetDefinition {
  if (sealed.has(def)) return def;
  const r = targetSchema.safeParse(def);
  if (!r.success) {
    const name = typeof (def as { name?: unknown })?.name === 'string' ? ` "${(def as { name: string }).name}"` : '';
    throw new EspError(ESP_ERR_INVALID_ARG, `invalid target${name}: ${formatIssues(r.error.issues, where)}`);
  }
  return def;
}

/**
 * Validates `def`, then freezes its data deeply (objects and arrays; not the plugins' ContainerModules, the
 * tokens they require, or any other class instance) and remembers it, so that later validations of the same
 * object are free. Returns `def`.
 */
export function sealTarget(def: TargetDefinition): TargetDefinition {
  validateTarget(def);
  deepFreeze(def);
  sealed.add(def);
  return def;
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return; // a class instance: not data
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}
