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
   * The section of a target's caps holding its parameters (`defineCapsSection('pcnt', schema)`): every target
   * listing the plugin must have it, and defineTarget / extendTarget / createSimulation check it with `schema`.
   */
  caps?: CapsSection;
  /** Binds the plugin's services and contributions (synchronously): `bind(Token).to(Class)`, ... */
  load: (options: ContainerModuleLoadOptions) => void;
}

/** Builds a Plugin from a name, its requirements and a synchronous load function. */
export function definePlugin(def: PluginDefinition): Plugin {
  const plugin = { name: def.name, requires: def.requires ?? [], module: new ContainerModule(def.load) };
  return def.caps === undefined ? plugin : { ...plugin, caps: def.caps };
}
