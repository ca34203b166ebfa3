import { EspError, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { cyclesToPs } from '../../core/time.js';
import type { TargetInfo } from '../../core/tokens.js';

/** Defaults where a target's caps give no latency (see README.md): 2 cycles of a 40 MHz bus clock. */
export const DEFAULT_ETM_LATENCY_CYCLES = 2;
/** The caps.estimates entry of targets whose ETM latency is the default guess. */
export const ETM_LATENCY_ESTIMATE = 'ETM event-to-task latency: 2 cycles of the APB clock (no published figure)';
/** The ETM clock where caps.etm gives none (40 MHz). */
export const DEFAULT_ETM_CLOCK_HZ = 40_000_000;

/** The ETM's event-to-task latency on a target, in picoseconds. */
export function etmLatencyPs(target: TargetInfo): number {
  const caps = target.caps.etm;
  if (!caps) throw new EspError(ESP_ERR_NOT_SUPPORTED, `target "${target.name}" has no ETM (caps.etm)`);
  return cyclesToPs(caps.latencyCycles ?? DEFAULT_ETM_LATENCY_CYCLES, caps.clockHz ?? DEFAULT_ETM_CLOCK_HZ);
}
