import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { Core } from '../../core/tokens.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { CpDmaDriver } from '../dma/cpdma/tokens.js';
import { GdmaAxiDriver, GdmaDriver } from '../dma/gdma/tokens.js';
import { AsyncMemcpyServiceImpl } from './service.js';
import { AsyncMemcpy } from './tokens.js';
import { asyncMemcpyTraceModel } from './trace.js';
import { asyncMemcpyRules } from './explain.js';
import { Checkers } from '../../core/diagnostics/checker.js';
import { Diagnostics } from '../../core/diagnostics/tokens.js';

/** esp_async_memcpy on whichever DMA the target has (injected optionally: CpDmaDriver, GdmaDriver, GdmaAxiDriver). */
export const asyncMemcpy = (): Plugin =>
  definePlugin({
    name: 'async-memcpy',
    load: ({ bind }) => {
      bind(AsyncMemcpy).toDynamicValue(
        (ctx) =>
          new AsyncMemcpyServiceImpl({
            target: ctx.get(Core.Target),
            kernel: ctx.get(Core.Kernel),
            memory: ctx.get(Core.Memory),
            bus: ctx.get(Core.Bus),
            faults: ctx.get(Core.Faults),
            gdma: ctx.get(GdmaDriver, { optional: true }),
            gdmaAxi: ctx.get(GdmaAxiDriver, { optional: true }),
            cpdma: ctx.get(CpDmaDriver, { optional: true }),
            diagnostics: ctx.get(Diagnostics, { optional: true }),
            cache: ctx.get(Core.Cache, { optional: true }),
          }),
      );
      bind(Checkers).toDynamicValue(() => asyncMemcpyRules());
      bind(TraceModels).toConstantValue(asyncMemcpyTraceModel());
    },
  });
