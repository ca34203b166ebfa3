import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { CapsSection } from '../target/caps.js';
import type { ServiceIdentifier } from './tokens.js';

/**
 * A peripheral plugin: a named ContainerModule that binds its services and contributions. `requires` lists
 * the tokens it injects from other plugins; a target that lacks one fails `createSimulation`.
 */
export interface Plugin {
  readonly name: string;
  readonly requires?: readonly ServiceIdentifier<unknown>[];
  readonly module: ContainerModule;
  /** The caps section it owns (defineCapsSection): a target listing the plugin needs it, checked by its schema. */
  readonly caps?: CapsSection;
  /** The DMA trigger IDs it owns (a peripheral that streams through a DMA channel), checked against the target. */
  readonly dmaTriggers?: readonly DmaTriggerDeclaration[];
}

/**
 * A DMA peripheral trigger a plugin owns: `{ dma: 'gdma', peripheral: 'ADC', id: 8 }` (the ID from the chip's
 * gdma_channel.h, SOC_GDMA_TRIG_PERIPH_*). defineTarget / extendTarget check it against the DMA's trigger table
 * (caps.gdma.peripheralTriggers): where the chip's table names the peripheral its ID must agree; otherwise the ID
 * must be free (no other peripheral's, not a memory-to-memory ID). The DMA plugin then accepts
 * `channel.connect({ peripheral: 'ADC' })`.
 */
export interface DmaTriggerDeclaration {
  /** The DMA plugin whose channels it connects to ('gdma', 'gdma-axi'). */
  readonly dma: string;
  /** The trigger's name, as `connect({ peripheral })` gives it. */
  readonly peripheral: string;
  /** The trigger ID (0..31). */
  readonly id: number;
}

/** A plugin factory: `(options) => Plugin`, as the targets list them (`gdma()`, `etm({ channels: 50 })`). */
export type PluginFactory<O = void> = (options?: O) => Plugin;

/** What `definePlugin` takes. */
export interface PluginDefinition {
  /** The plugin's name, as error messages and `soc-fabric targets` show it. */
  name: string;
  /** Tokens it injects from the core or other plugins; a target lacking one fails createSimulation. */
  requires?: readonly ServiceIdentifier<unknown>[];
  /**
   * The section of a target's caps holding its parameters (`defineCapsSection('pcnt', schema)`): a target
   * listing the plugin must have it (unless the schema is `.optional()`), and defineTarget / extendTarget /
   * createSimulation check it with `schema`, naming the bad field (`caps.pcnt.units: ...`).
   */
  caps?: CapsSection;
  /** The DMA trigger IDs the plugin owns (see DmaTriggerDeclaration). */
  dmaTriggers?: readonly DmaTriggerDeclaration[];
  /** Binds the plugin's services and contributions (synchronously): `bind(Token).to(Class)`, ... */
  load: (options: ContainerModuleLoadOptions) => void;
}

/** Builds a Plugin from a name, its requirements and a synchronous load function. */
export function definePlugin(def: PluginDefinition): Plugin {
  const plugin = { name: def.name, requires: def.requires ?? [], module: new ContainerModule(def.load) };
  return {
    ...plugin,
    ...(def.caps === undefined ? {} : { caps: def.caps }),
    ...(def.dmaTriggers === undefined ? {} : { dmaTriggers: def.dmaTriggers.map((t) => ({ ...t })) }),
  };
}
