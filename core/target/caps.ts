import type { z } from 'zod';
import { EspError, ESP_ERR_INVALID_STATE } from '../errors.js';

/**
 * A plugin's section of a target's caps (`caps.gdma`, `caps.pcnt`, ...): its name and the one zod schema that
 * validates it. The plugin infers its TypeScript type from the schema (`z.infer`) and adds it to TargetCaps by
 * module augmentation, so the type and the check cannot drift.
 */
export interface CapsSection<S extends z.ZodType = z.ZodType> {
  /** The key under `caps`. */
  readonly section: string;
  /**
   * Validates the section's value. A target listing the owning plugin must have the section unless the schema
   * takes undefined (`.optional()`: the plugin has defaults); one without the plugin may still carry it (checked
   * by this schema), so the augmented type is optional (`gdma?: GdmaCaps`).
   */
  readonly schema: S;
  /**
   * The DMA trigger tables the section holds, by DMA plugin name (caps.gdma: `{ gdma: ..., 'gdma-axi': ... }`):
   * the peripheral triggers the chip has and the IDs free for memory-to-memory use. Plugins' `dmaTriggers` are
   * checked against them.
   */
  readonly dmaTriggerTables?: (value: z.infer<S>) => Record<string, DmaTriggerTable>;
}

/** A DMA engine's trigger IDs: peripherals by name, and the mask of IDs free for memory-to-memory use. */
export interface DmaTriggerTable {
  peripherals: Readonly<Record<string, number>>;
  freeM2mMask: number;
  /** Where the table sits in the section, for messages (`['peripheralTriggers']`). */
  path: string[];
}

/** Sections declared so far, by name: a section present in a target is checked even where its plugin is absent. */
const declared = new Map<string, CapsSection>();

/**
 * Declares a caps section: `defineCapsSection('gdma', gdmaCapsSchema)`, passed to `definePlugin({ caps })`.
 * Declared once per section name (at module load): a second declaration of the same name with another schema
 * throws ESP_ERR_INVALID_STATE.
 */
export function defineCapsSection<S extends z.ZodType>(
  section: string,
  schema: S,
  opts: { dmaTriggerTables?: (value: z.infer<S>) => Record<string, DmaTriggerTable> } = {},
): CapsSection<S> {
  const existing = declared.get(section);
  if (existing !== undefined && existing.schema !== schema) {
    throw new EspError(
      ESP_ERR_INVALID_STATE,
      `defineCapsSection: caps.${section} is already declared with another schema`,
    );
  }
  const def: CapsSection<S> = opts.dmaTriggerTables
    ? { section, schema, dmaTriggerTables: opts.dmaTriggerTables }
    : { section, schema };
  declared.set(section, def);
  return def;
}

/** Sections the core itself owns (TargetCaps's own fields), which no plugin may declare. */
export const CORE_CAPS_SECTIONS: readonly string[] = ['asyncMemcpy', 'psram', 'beyondSilicon', 'estimates'];

/** One problem found in a target's caps: its path from `caps` and what was expected. */
export interface CapsIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * Checks each plugin section of `caps`: with the schema of the target's plugin that declares it, or (where no
 * plugin of the target does) with the declared schema of that name, if any. A section nothing declares passes
 * unchecked (a plugin may still read it). Paths start with 'caps'.
 */
export function checkCapsSections(
  caps: Record<string, unknown>,
  owned: readonly { plugin: string; caps?: CapsSection }[],
): CapsIssue[] {
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
      issues.push({
        path: ['caps', section.section],
        message: `plugins "${other.plugin}" and "${plugin}" both declare this section`,
      });
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
      // absent: fine on a target without the owner; with it, only where the schema takes undefined (.optional())
      if (owner !== undefined && !section.schema.safeParse(undefined).success) {
        issues.push({ path: ['caps', name], message: `required by plugin "${owner.plugin}"` });
      }
      continue;
    }
    const r = section.schema.safeParse(value);
    if (!r.success)
      for (const i of r.error.issues) issues.push({ path: ['caps', name, ...i.path], message: i.message });
  }
  return issues;
}

/** A plugin's DMA trigger declarations, as checkDmaTriggers reads them. */
export interface DmaTriggerOwner {
  plugin: string;
  caps?: CapsSection;
  dmaTriggers?: readonly { dma: string; peripheral: string; id: number }[];
}

/**
 * Checks the target's DMA trigger tables and the triggers its plugins declare: IDs unique within each table,
 * each declaration on a DMA plugin of the target, agreeing with the chip's table where it names the peripheral,
 * otherwise on an ID nothing else uses (no other peripheral, no other plugin, not a memory-to-memory ID).
 * Call only on caps that passed their schemas.
 */
export function checkDmaTriggers(caps: Record<string, unknown>, plugins: readonly DmaTriggerOwner[]): CapsIssue[] {
  const issues: CapsIssue[] = [];
  const tables = new Map<string, { table: DmaTriggerTable; path: PropertyKey[] }>();
  for (const p of plugins) {
    const s = p.caps;
    if (s?.dmaTriggerTables === undefined || caps[s.section] === undefined) continue;
    for (const [dma, table] of Object.entries(s.dmaTriggerTables(caps[s.section]))) {
      const path = ['caps', s.section, ...table.path];
      if (!tables.has(dma)) tables.set(dma, { table, path });
    }
  }
  for (const [dma, { table, path }] of tables) {
    const byId = new Map<number, string>();
    for (const [name, id] of Object.entries(table.peripherals)) {
      const other = byId.get(id);
      if (other !== undefined)
        issues.push({ path, message: `${dma} trigger ID ${id} is given to both ${other} and ${name}` });
      else byId.set(id, name);
    }
  }
  const claimed = new Map<string, string>(); // `${dma}#${id}` and `${dma}:${name}` -> plugin
  const names = new Set(plugins.map((p) => p.plugin));
  plugins.forEach((p, i) => {
    (p.dmaTriggers ?? []).forEach((t, j) => {
      const path: PropertyKey[] = ['plugins', i, 'dmaTriggers', j];
      const at = `plugin "${p.plugin}" declares ${t.dma} trigger ${t.peripheral} = ${t.id}`;
      if (!names.has(t.dma)) {
        issues.push({ path, message: `${at}, but the target has no plugin "${t.dma}"` });
        return;
      }
      const entry = tables.get(t.dma);
      if (entry === undefined) {
        issues.push({ path, message: `${at}, but plugin "${t.dma}" has no trigger table on this target` });
        return;
      }
      const chip = entry.table.peripherals[t.peripheral];
      if (chip !== undefined && chip !== t.id) {
        issues.push({ path, message: `${at}, but ${entry.path.join('.')} gives ${t.peripheral} the ID ${chip}` });
        return;
      }
      if (chip === undefined) {
        const owner = Object.entries(entry.table.peripherals).find(([, id]) => id === t.id)?.[0];
        if (owner !== undefined) {
          issues.push({ path, message: `${at}, but ${entry.path.join('.')} gives ID ${t.id} to ${owner}` });
          return;
        }
        if ((entry.table.freeM2mMask >>> t.id) & 1) {
          issues.push({
            path,
            message: `${at}, but ID ${t.id} is free for memory-to-memory use on this target (mask 0x${entry.table.freeM2mMask.toString(16)})`,
          });
          return;
        }
      }
      for (const key of [`${t.dma}#${t.id}`, `${t.dma}:${t.peripheral}`]) {
        const other = claimed.get(key);
        if (other !== undefined && other !== p.plugin) {
          issues.push({ path, message: `${at}, which plugin "${other}" declares too` });
          return;
        }
      }
      claimed.set(`${t.dma}#${t.id}`, p.plugin);
      claimed.set(`${t.dma}:${t.peripheral}`, p.plugin);
    });
  });
  return issues;
}

/** The peripheral triggers plugins declare on DMA plugin `dma`, by name (for the DMA plugin's connect). */
export function declaredDmaTriggers(plugins: readonly DmaTriggerOwner[], dma: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of plugins) for (const t of p.dmaTriggers ?? []) if (t.dma === dma) out[t.peripheral] = t.id;
  return out;
}
