import { SimulationError } from '../errors.js';
import type { TargetCaps } from './target.js';

/**
 * A plugin's section of its target's caps, for the plugin that needs it: a target without it fails with one
 * line naming the plugin, the target and the section (validation makes this rare: a target listing the owning
 * plugin has its section; a plugin reading another's section meets it on targets without that plugin).
 */
export function capsSectionOf<K extends keyof TargetCaps & string>(
  target: { readonly name: string; readonly caps: TargetCaps },
  section: K,
  plugin: string,
): NonNullable<TargetCaps[K]> {
  const value = target.caps[section];
  if (value === undefined || value === null)
    throw new SimulationError(`plugin "${plugin}": target "${target.name}" has no caps.${section}`);
  return value as NonNullable<TargetCaps[K]>;
}
