import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { Lifecycle } from '../../core/plugin/lifecycle.js';
import { EspError, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { Core } from '../../core/tokens.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { etmCaps } from './caps.js';
import { EtmMatrix } from './etm-matrix.js';
import { etmLatencyPs } from './latency.js';
import { Etm, EtmEventSources, EtmTaskSinks } from './tokens.js';
import { etmTraceModel } from './trace.js';
import { etmChecker } from './checker.js';
import { Checkers } from '../../core/diagnostics/checker.js';

/**
 * The Event Task Matrix plugin (esp_etm). Reads `caps.etm` (channels, latency); collects every
 * `EtmEventSources` / `EtmTaskSinks` contribution when the simulation starts.
 */
export const etm = (): Plugin =>
  definePlugin({
    name: 'etm',
    caps: etmCaps,
    requires: [Core.Kernel, Core.Bus, Core.Target],
    load: ({ bind }) => {
      bind(EtmMatrix).toDynamicValue((ctx) => {
        const target = ctx.get(Core.Target);
        if (!target.caps.etm)
          throw new EspError(ESP_ERR_NOT_SUPPORTED, `the etm plugin needs caps.etm on target "${target.name}"`);
        return new EtmMatrix(ctx.get(Core.Kernel), ctx.get(Core.Bus), {
          channels: target.caps.etm.channels,
          latencyPs: etmLatencyPs(target),
        });
      });
      bind(Etm).toDynamicValue((ctx) => ctx.get(EtmMatrix));
      bind(TraceModels).toDynamicValue((ctx) =>
        etmTraceModel(ctx.get(EtmMatrix), ctx.get(Core.Target).caps.etm!.channels),
      );
      bind(Checkers).toDynamicValue((ctx) =>
        etmChecker(ctx.get(Core.Bus), ctx.get(EtmMatrix), ctx.get(Core.Target).caps.etm!.channels),
      );
      bind(Lifecycle).toDynamicValue((ctx) => {
        const m = ctx.get(EtmMatrix);
        const sources = ctx.getAll(EtmEventSources, { optional: true });
        const sinks = ctx.getAll(EtmTaskSinks, { optional: true });
        return { start: () => m.attach(sources, sinks) };
      });
    },
  });
