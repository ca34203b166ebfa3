import { z } from 'zod';
import { EspError, ESP_ERR_INVALID_STATE, SimulationError } from '../errors.js';
import type { TargetCaps } from './target.js';

/**
 * A plugin's section of a target's caps (`caps.gdma`, `caps.pcnt`, ...): its name and the one zod schema that
 * validates it. The plugin infers its TypeScript type from the schema (`z.infer`) and adds it to TargetCaps by
 * module augmentation, so the type and the check cannot drift.
 */
export interface CapsSection<S extends z.ZodType = z.ZodType> {
  /** The key under `caps`. */
  readonly section: string;
  /**
   * Validates the section's value. A target listing the owning plugin must have the section; one without it
   * may still carry it (checked by this schema), so the augmented type is optional (`gdma?: GdmaCaps`).
   */
  readonly schema: S;
}

/** Sections declared so far, by name: a section present in a target is checked even where its plugin is absent. */
const declared = new Map<string, CapsSection>();

/**
 * Declares a caps section: `defineCapsSection('gdma', gdmaCapsSchema)`, passed to `definePlugin({ caps })`.
 * Declared once per section name (at module load): a second declaration of the same name with another schema
 * throws ESP_ERR_INVALID_STATE.
 */
export function defineCapsSection<S extends z.ZodType>(section: string, schema: S): CapsSection<S> {
  const existing = declared.get(section);
  if (existing !== undefined && existing.schema !== schema) {
    throw new EspError(ESP_ERR_INVALID_STATE, `defineCapsSection: caps.${section} is already declared with another schema`);
  }
  const def: CapsSection<S> = { section, schema };
  declared.set(section, def);
  return def;
}

/** Sections the core itself owns (TargetCaps's own fields), which no plugin may declare. */
export const CORE_CAPS_SECTIONS: readonly string[] = ['asyncMemcpy', 'psram', 'beyondSilicon', 'estimates'];

/** One problem found in a target's caps: its path from `caps` and what was expected. */
export interface CapsIssue { path: PropertyKey[]; message: string }

/**
 * Checks each plugin section of `caps`: with the schema of the target's plugin that declares it, or (where no
 * plugin of the target does) with the declared schema of that name, if any. A section nothing declares passes
 * unchecked (a plugin may still read it). Paths start with 'caps'.
 */
export function checkCapsSections(caps: Record<string, unknown>, owned: readonly { plugin: string; caps?: CapsSection }[]): CapsIssue[] {
  const issues: CapsIssue[] = [];
  const byOwner = new Map<string, { plugin: string; section: CapsSection }>();
  for (const { plugin, caps: section } of owned) {
    if (section === undefined) continue;
    if (CORE_CAPS_SECTIONS.includes(section.section)) {
      issues.push({ path: ['caps', section.section], message: `plugin "${plugin}" declares a section the core owns` });
      continue;
    }
    const other = byOwner.get(section.section);
    if (other !== undefined && other.section.schema !== section.schema) {
      issues.push({ path: ['caps', section.section], message: `plugins "${other.plugin}" and "${plugin}" both declare this section` });
      continue;
    }
    byOwner.set(section.section, { plugin, section });
  }
  const names = new Set([...byOwner.keys(), ...declared.keys()]);
  for (const name of names) {
    const owner = byOwner.get(name);
    const section = owner?.section ?? declared.get(name);
    if (section === undefined) continue;
    const value = caps[name];
    if (value === undefined) {
      if (owner !== undefined) issues.push({ path: ['caps', name], message: `required by plugin "${owner.plugin}"` });
      continue;
    }
    const r = section.schema.safeParse(value);
    if (!r.success) for (const i of r.error.issues) issues.push({ path: ['caps', name, ...i.path], message: i.message });
  }
  return issues;
}

/**
 * A plugin's section of its target's caps, for the plugin that needs it: a target without it fails with one
 * line naming the plugin, the target and the section (validation makes this rare: a target listing the owning
 * plugin has its section; a plugin reading another's section meets it on targets without that plugin).
 */
export function capsSectionOf<K extends keyof TargetCaps & string>(
  target: { readonly name: string; readonly caps: TargetCaps }, section: K, plugin: string,
): NonNullable<TargetCaps[K]> {
  const value = target.caps[section];
  if (value === undefined || value === null) throw new SimulationError(`plugin "${plugin}": target "${target.name}" has no caps.${section}`);
  return value as NonNullable<TargetCaps[K]>;
}
