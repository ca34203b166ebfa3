import { z } from 'zod';
import { EspError, ESP_ERR_INVALID_ARG } from '../../../core/errors.js';

const id = z.number().int().nonnegative();

/**
 * Hardware ETM IDs of a DMA engine, for pair 0 (pair n is base + n): the IN_SUC_EOF and OUT_EOF events and the
 * IN/OUT START tasks (a target's caps.gdma.etmIds).
 */
export const dmaEtmIdsSchema = z
  .object({ inSucEofBase: id, outEofBase: id, inStartTaskBase: id, outStartTaskBase: id })
  .strict();
/** Hardware ETM ID bases of a DMA engine (dmaEtmIdsSchema's type). */
export type DmaEtmIds = z.infer<typeof dmaEtmIdsSchema>;

/** One engine's ETM IDs with their soc_etm_source.h names, events and tasks apart (two ID namespaces). */
export interface DmaEtmIdTable {
  events: [number, string][];
  tasks: [number, string][];
}

/** The ETM events and tasks of an engine of `pairs` pairs (`prefix`: 'GDMA', 'GDMA_AHB', 'GDMA_AXI'). */
export function dmaEtmIdTable(ids: DmaEtmIds, pairs: number, prefix: string): DmaEtmIdTable {
  const events: [number, string][] = [];
  const tasks: [number, string][] = [];
  for (let p = 0; p < pairs; p++) {
    events.push(
      [ids.inSucEofBase + p, `${prefix}_EVT_IN_SUC_EOF_CH${p}`],
      [ids.outEofBase + p, `${prefix}_EVT_OUT_EOF_CH${p}`],
    );
    tasks.push(
      [ids.inStartTaskBase + p, `${prefix}_TASK_IN_START_CH${p}`],
      [ids.outStartTaskBase + p, `${prefix}_TASK_OUT_START_CH${p}`],
    );
  }
  return { events, tasks };
}

/** Each ID given twice in `entries`, with the first name and the second: `[id, first, second]`. */
export function duplicateIds(entries: readonly (readonly [number, string])[]): [number, string, string][] {
  const seen = new Map<number, string>();
  const out: [number, string, string][] = [];
  for (const [i, name] of entries) {
    const first = seen.get(i);
    if (first !== undefined) out.push([i, first, name]);
    else seen.set(i, name);
  }
  return out;
}

/** A Map of `entries`, refusing an ID given twice (which would silently drop one of them). */
export function uniqueIdMap(entries: readonly (readonly [number, string])[], what: string): Map<number, string> {
  const dup = duplicateIds(entries)[0];
  if (dup !== undefined)
    throw new EspError(ESP_ERR_INVALID_ARG, `${what}: ETM ID ${dup[0]} is both ${dup[1]} and ${dup[2]}`);
  return new Map(entries);
}
