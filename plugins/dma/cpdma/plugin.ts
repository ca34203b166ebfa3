import { Checkers } from '../../../core/diagnostics/checker.js';
import { dmaDescriptorChecker } from '../engine/checks/index.js';
import type { ResolutionContext } from 'inversify';
import { DmaEngine } from '../engine/engine.js';
import { sramTimingAt } from '../engine/timing.js';
import { ZephyrDmaController } from '../zephyr/controller.js';
import { SimulationError } from '../../../core/errors.js';
import { definePlugin, type Plugin } from '../../../core/plugin/plugin.js';
import { Core } from '../../../core/tokens.js';
import { cpdmaCaps } from './caps.js';
import { CpDma, CpDmaDriver, CpDmaEngine } from './tokens.js';
import { TraceModels } from '../../../core/trace/trace-model.js';
import { dmaTraceModel } from '../engine/trace.js';

/** Options of the `cpdma()` plugin factory. */
export interface CpDmaOptions {
  /** Descriptors per direction in the Zephyr channel's pool (default 16). */
  descriptorsPerChannel?: number;
}

function createEngine(ctx: ResolutionContext): DmaEngine {
  const target = ctx.get(Core.Target);
  const caps = target.caps.cpdma;
  if (!caps) throw new SimulationError(`plugin "cpdma": target "${target.name}" has no caps.cpdma`);
  return new DmaEngine(
    {
      name: 'cpdma',
      pairs: caps.channels,
      m2mPairMask: (1 << caps.channels) - 1,
      // CP DMA has no trigger matrix: its one pair is always memory-to-memory; model that as trigger 0
      freeM2mTriggerMask: 1,
      peripheralTriggers: {},
      priorities: 1,
      maxDescriptorBytes: caps.maxDescriptorBytes,
      reaches: (r) => r.kind === 'sram',
      burstNeedsAlignment: false,
      // CP DMA has no burst setting: the same speed whatever burst a driver asks for
      timing: caps.timing ?? { ...sramTimingAt(80_000_000), noBurstFactor: 1 },
    },
    ctx.get(Core.Kernel),
    ctx.get(Core.Memory),
    ctx.get(Core.Bus),
    (s, e) => ctx.get(Core.Faults).report(s, e),
  );
}

/**
 * The ESP32-S2 copy DMA: memory-to-memory only, internal SRAM only, 4095 bytes per descriptor, no alignment
 * rule. `CpDmaDriver` is its channel API (for async memcpy); `CpDma` the Zephyr DMA API over it.
 */
export const cpdma = (options: CpDmaOptions = {}): Plugin =>
  definePlugin({
    name: 'cpdma',
    caps: cpdmaCaps,
    load: ({ bind }) => {
      bind(CpDmaEngine).toDynamicValue(createEngine);
      bind(CpDmaDriver).toDynamicValue((ctx) => ctx.get(CpDmaEngine));
      bind(Checkers).toDynamicValue((ctx) => {
        const e = ctx.get(CpDmaEngine);
        return dmaDescriptorChecker(ctx.get(Core.Bus), ctx.get(Core.Memory), {
          engine: 'cpdma',
          descriptor: e.descriptor,
          circular: ctx.get(Core.Target).caps.cpdma?.circularLists ?? true,
          running: (pair, dir) => e.isRunning(pair, dir),
        });
      });
      bind(TraceModels).toDynamicValue((ctx) => dmaTraceModel(ctx.get(CpDmaEngine), ctx.get(Core.Memory)));
      bind(CpDma).toDynamicValue((ctx) => {
        const engine = ctx.get(CpDmaEngine);
        const caps = ctx.get(Core.Target).caps.cpdma!;
        return new ZephyrDmaController(engine, ctx.get(Core.Memory), {
          name: 'cpdma',
          pairs: Array.from({ length: caps.channels }, (_, i) => i),
          descriptorsPerChannel: options.descriptorsPerChannel ?? 16,
          maxPerDescriptor: caps.maxDescriptorBytes,
          priorities: 1,
          beyondUpstream:
            "Zephyr has no upstream driver for the ESP32-S2 CP DMA: this face is dma.rst's contract over the kit's CP DMA model",
        });
      });
    },
  });
