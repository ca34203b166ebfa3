import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { ServiceIdentifier } from './tokens.js';

/**
 * A peripheral plugin: a named ContainerModule that binds its services and contributions. `requires` lists
 * the tokens it injects from other plugins; a target that lacks one fails `createSimulation`.
 */
export interface Plugin {
  readonly name: string;
  readonly requires?: readonly ServiceIdentifier<unknown>[];
  readonly module: ContainerModule;
}

/** A plugin factory: `(options) => Plugin`, as the targets list them (`gdma()`, `etm({ channels: 50 })`). */
export type PluginFactory<O = void> = (options?: O) => Plugin;

/** Builds a Plugin from a name, its requirements and a synchronous load function. */
export function definePlugin(def: {
  name: string;
  requires?: readonly ServiceIdentifier<unknown>[];
  load: (options: ContainerModuleLoadOptions) => void;
}): Plugin {
  return { name: def.name, requires: def.requires ?? [], module: new ContainerModule(def.load) };
}
