import type { TargetInfo } from '../../core/target/target-info.js';
import type { TargetDefinition } from '../../core/target/target.js';

/**
 * Whether a target has an ETM: it lists the `etm` plugin (which needs caps.etm). A peripheral plugin asks
 * this (of `Core.Target`) to decide whether to offer ETM events and tasks, and answers ESP_ERR_NOT_SUPPORTED
 * from its newEtmEvent / newEtmTask where not.
 */
export function targetHasEtm(target: TargetInfo | TargetDefinition): boolean {
  return ('definition' in target ? target.definition.plugins : target.plugins).some((p) => p.name === 'etm');
}
