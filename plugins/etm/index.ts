import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { Lifecycle } from '../../core/plugin/lifecycle.js';
import { EspError, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { cyclesToPs } from '../../core/time.js';
import { Core } from '../../core/tokens.js';
import type { TargetInfo } from '../../core/tokens.js';
import { Etm, EtmEventSources, EtmTaskSinks } from '../contracts/etm.js';
import { EtmMatrix } from './etm-matrix.js';
import { etmCaps } from './caps.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { etmTraceModel } from './trace.js';

export * from '../contracts/etm.js';
export { etmCaps, etmCapsSchema, type EtmCaps } from './caps.js';
export { EtmMatrix, type EtmFire, type EtmBusEvents } from './etm-matrix.js';

/** Defaults where a target's caps give no latency (see README.md): 2 cycles of a 40 MHz bus clock. */
export const DEFAULT_ETM_LATENCY_CYCLES = 2;
/** The ETM clock where caps.etm gives none (40 MHz). */
export const DEFAULT_ETM_CLOCK_HZ = 40_000_000;

/** The ETM's event-to-task latency on a target, in picoseconds. */
export function etmLatencyPs(target: TargetInfo): number {
  const caps = target.caps.etm;
  if (!caps) throw new EspError(ESP_ERR_NOT_SUPPORTED, `target "${target.name}" has no ETM (caps.etm)`);
  return cyclesToPs(caps.latencyCycles ?? DEFAULT_ETM_LATENCY_CYCLES, caps.clockHz ?? DEFAULT_ETM_CLOCK_HZ);
}

/**
 * The Event Task Matrix plugin (esp_etm). Reads `caps.etm` (channels, latency); collects every
 * `EtmEventSources` / `EtmTaskSinks` contribution when the simulation starts.
 */
export const etm = (): Plugin => definePlugin({
  name: 'etm',
  caps: etmCaps,
  requires: [Core.Kernel, Core.Bus, Core.Target],
  load: ({ bind }) => {
    bind(EtmMatrix).toDynamicValue((ctx) => {
      const target = ctx.get(Core.Target);
      if (!target.caps.etm) throw new EspError(ESP_ERR_NOT_SUPPORTED, `the etm plugin needs caps.etm on target "${target.name}"`);
      return new EtmMatrix(ctx.get(Core.Kernel), ctx.get(Core.Bus), { channels: target.caps.etm.channels, latencyPs: etmLatencyPs(target) });
    });
    bind(Etm).toDynamicValue((ctx) => ctx.get(EtmMatrix));
    bind(TraceModels).toDynamicValue((ctx) => etmTraceModel(ctx.get(EtmMatrix), ctx.get(Core.Target).caps.etm!.channels));
    bind(Lifecycle).toDynamicValue((ctx) => {
      const m = ctx.get(EtmMatrix);
      const sources = ctx.getAll(EtmEventSources, { optional: true });
      const sinks = ctx.getAll(EtmTaskSinks, { optional: true });
      return { start: () => m.attach(sources, sinks) };
    });
  },
});
