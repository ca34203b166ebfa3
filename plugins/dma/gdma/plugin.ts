import type { ResolutionContext, ContainerModuleLoadOptions } from 'inversify';
import { DmaEngine } from '../engine/engine.js';
import { ESP32S3_GDMA_TIMING } from '../engine/timing.js';
import { ZephyrDmaController } from '../zephyr/controller.js';
import { SimulationError } from '../../../core/errors.js';
import { definePlugin, type Plugin } from '../../../core/plugin/plugin.js';
import { Core, type TargetInfo } from '../../../core/tokens.js';
import { declaredDmaTriggers } from '../../../core/target/caps.js';
import { EtmEventSources, EtmTaskSinks } from '../../contracts/etm.js';
import { gdmaCaps, type GdmaCaps } from './caps.js';
import { Gdma, GdmaAxiDriver, GdmaAxiEngine, GdmaDriver, GdmaEngine, GdmaZephyrEsp32 } from './tokens.js';
import { AXI_DESCRIPTOR } from '../engine/descriptor.js';
import { GDMA_INTERRUPTS, GDMA_INTERRUPTS_C3 } from '../engine/interrupts.js';
import { Esp32GdmaZephyr } from '../zephyr/esp32-gdma.js';
import { TraceModels } from '../../../core/trace/trace-model.js';
import { dmaTraceModel } from '../engine/trace.js';
import { Checkers } from '../../../core/diagnostics/checker.js';
import { dmaDescriptorChecker, dmaInterruptChecker, dmaTriggerChecker } from '../engine/checks/index.js';
import type { DmaEngine as Engine } from '../engine/engine.js';

/** Options of the `gdma()` plugin factory. */
export interface GdmaOptions {
  /** Descriptors per direction in each Zephyr channel's pool (Zephyr's default: 16). */
  descriptorsPerChannel?: number;
}

/** The triggers the target's plugins declare on `dma` (checked by defineTarget against the chip's table). */
function pluginTriggers(target: TargetInfo, dma: string): Record<string, number> {
  return declaredDmaTriggers(
    target.definition.plugins.map((p) => ({ plugin: p.name, dmaTriggers: p.dmaTriggers })),
    dma,
  );
}

function createEngine(ctx: ResolutionContext): DmaEngine {
  const target = ctx.get(Core.Target);
  const caps = target.caps.gdma;
  if (!caps) throw new SimulationError(`plugin "gdma": target "${target.name}" has no caps.gdma`);
  if (caps.etm && !caps.etmIds)
    throw new SimulationError(`plugin "gdma": target "${target.name}" has caps.gdma.etm but no caps.gdma.etmIds`);
  return new DmaEngine(
    {
      name: 'gdma',
      pairs: caps.ahbPairs,
      m2mPairMask: caps.m2mPairMask,
      freeM2mTriggerMask: caps.freeM2mTriggerMask,
      peripheralTriggers: { ...caps.peripheralTriggers, ...pluginTriggers(target, 'gdma') },
      priorities: caps.priorities,
      maxDescriptorBytes: 4095,
      reaches: (r) => r.kind === 'sram' || (r.kind === 'psram' && caps.psramAccess),
      // AHB GDMA v1 RX with burst needs 4-byte alignment (gdma.c, GDMA_LL_AHB_RX_BURST_NEEDS_ALIGNMENT); v2 does not
      burstNeedsAlignment: (caps.ahbVersion ?? 1) === 1,
      timing: caps.timing ?? ESP32S3_GDMA_TIMING,
      etm: caps.etm ? caps.etmIds : undefined,
      // gdma.c allocates a channel without touching these: owner check and auto write-back stay off until
      // gdma_apply_strategy, burst off until gdma_config_transfer (hardware reset values)
      channelDefaults: { ownerCheck: false, autoWriteBack: false, burst: 0 },
      burstSizes: caps.burstSizes,
      // the ESP32-P4's soc_etm_source.h names the two GDMAs GDMA_AHB_* and GDMA_AXI_*
      etmPrefix: caps.axiPairs ? 'GDMA_AHB' : 'GDMA',
      interrupts: caps.sharedInterruptRegister ? GDMA_INTERRUPTS_C3 : GDMA_INTERRUPTS,
    },
    ctx.get(Core.Kernel),
    ctx.get(Core.Memory),
    ctx.get(Core.Bus),
    (s, e) => ctx.get(Core.Faults).report(s, e),
  );
}

function createAxiEngine(ctx: ResolutionContext): DmaEngine {
  const target = ctx.get(Core.Target);
  const caps = target.caps.gdma;
  const axi = caps?.axi;
  if (!caps || !caps.axiPairs || !axi)
    throw new SimulationError(`plugin "gdma-axi": target "${target.name}" has no caps.gdma.axiPairs and caps.gdma.axi`);
  if (caps.etm && !axi.etmIds)
    throw new SimulationError(
      `plugin "gdma-axi": target "${target.name}" has caps.gdma.etm but no caps.gdma.axi.etmIds`,
    );
  return new DmaEngine(
    {
      name: 'gdma-axi',
      pairs: caps.axiPairs,
      m2mPairMask: caps.axiM2mPairMask ?? 0,
      freeM2mTriggerMask: axi.freeM2mTriggerMask,
      peripheralTriggers: { ...axi.peripheralTriggers, ...pluginTriggers(target, 'gdma-axi') },
      priorities: caps.priorities,
      maxDescriptorBytes: 4095,
      reaches: (r) => r.kind === 'sram' || (r.kind === 'psram' && axi.psramAccess),
      burstNeedsAlignment: false,
      timing: axi.timing ?? caps.timing ?? ESP32S3_GDMA_TIMING,
      etm: caps.etm ? axi.etmIds : undefined,
      descriptor: AXI_DESCRIPTOR,
      etmPrefix: 'GDMA_AXI',
      // as the AHB engine: gdma.c leaves owner check, write-back and burst off until the driver sets them
      channelDefaults: { ownerCheck: false, autoWriteBack: false, burst: 0 },
    },
    ctx.get(Core.Kernel),
    ctx.get(Core.Memory),
    ctx.get(Core.Bus),
    (s, e) => ctx.get(Core.Faults).report(s, e),
  );
}

/** The DMA checkers of one engine (resolved only when the simulation runs with `checks`). */
function bindCheckers(
  bind: ContainerModuleLoadOptions['bind'],
  engine: (ctx: ResolutionContext) => Engine,
  circular: (caps: GdmaCaps | undefined) => boolean,
): void {
  bind(Checkers).toDynamicValue((ctx) => {
    const e = engine(ctx);
    return dmaTriggerChecker(ctx.get(Core.Bus), {
      engine: e.name,
      target: ctx.get(Core.Target).name,
      peripheralTriggers: e.opts.peripheralTriggers,
      freeM2mTriggerMask: e.opts.freeM2mTriggerMask,
    });
  });
  bind(Checkers).toDynamicValue((ctx) => {
    const e = engine(ctx);
    return dmaDescriptorChecker(ctx.get(Core.Bus), ctx.get(Core.Memory), {
      engine: e.name,
      descriptor: e.descriptor,
      circular: circular(ctx.get(Core.Target).caps.gdma),
      running: (pair, dir) => e.isRunning(pair, dir),
    });
  });
  bind(Checkers).toDynamicValue((ctx) => dmaInterruptChecker(ctx.get(Core.Bus), { engine: engine(ctx).name }));
}

/**
 * The AHB GDMA of the ESP32-S3/C3/C5/C6/C61/H2/P4: the engine (`GdmaDriver`, the channel API drivers use), the Zephyr
 * DMA API over it (`Gdma`), and on targets with GDMA ETM its EOF events and START tasks.
 */
export const gdma = (options: GdmaOptions = {}): Plugin =>
  definePlugin({
    name: 'gdma',
    caps: gdmaCaps,
    load: ({ bind }) => {
      bind(GdmaEngine).toDynamicValue(createEngine);
      bind(GdmaDriver).toDynamicValue((ctx) => ctx.get(GdmaEngine));
      bindCheckers(
        bind,
        (ctx) => ctx.get(GdmaEngine),
        (caps) => caps?.circularLists ?? true,
      );
      bind(TraceModels).toDynamicValue((ctx) => dmaTraceModel(ctx.get(GdmaEngine), ctx.get(Core.Memory)));
      bind(Gdma).toDynamicValue((ctx) => {
        const engine = ctx.get(GdmaEngine);
        const caps = ctx.get(Core.Target).caps.gdma!;
        const pairs: number[] = [];
        for (let p = 0; p < caps.ahbPairs; p++) if ((caps.m2mPairMask >>> p) & 1) pairs.push(p);
        return new ZephyrDmaController(engine, ctx.get(Core.Memory), {
          name: 'gdma',
          pairs,
          descriptorsPerChannel: options.descriptorsPerChannel ?? 16,
          maxPerDescriptor: 4092,
          priorities: caps.priorities,
        });
      });
      bind(GdmaZephyrEsp32).toDynamicValue((ctx) => {
        const caps = ctx.get(Core.Target).caps.gdma!;
        return new Esp32GdmaZephyr(ctx.get(GdmaEngine), ctx.get(Core.Memory), {
          pairs: caps.ahbPairs,
          descriptors: options.descriptorsPerChannel ?? 16,
          peripheralTriggers: caps.peripheralTriggers,
          // the driver's ESP32-C3 branch allocates one interrupt per pair (irq_src[channel_id]), others one per half
          irqPerPair: ctx.get(Core.Target).name === 'esp32c3',
        });
      });
      bind(EtmEventSources).toDynamicValue((ctx) => {
        const engine = ctx.get(GdmaEngine);
        return {
          name: 'gdma',
          events: engine.etmEventNames(),
          attachEtm: (raise: (id: number) => void) => engine.attachEtm(raise),
        };
      });
      bind(EtmTaskSinks).toDynamicValue((ctx) => {
        const engine = ctx.get(GdmaEngine);
        return { name: 'gdma', tasks: engine.etmTaskNames(), runEtmTask: (id: number) => engine.runEtmTask(id) };
      });
    },
  });

/**
 * The ESP32-P4's AXI GDMA (`GdmaAxiDriver`, what gdma_new_axi_channel hands out): its own pairs, trigger IDs and
 * ETM IDs (caps.gdma.axi), 16-byte descriptors 8-byte aligned, PSRAM reach and its own timing. List it after
 * `gdma()` on targets with caps.gdma.axiPairs. (The P4's 2D-DMA is a different engine, not modelled.)
 */
export const gdmaAxi = (): Plugin =>
  definePlugin({
    name: 'gdma-axi',
    caps: gdmaCaps,
    load: ({ bind }) => {
      bind(GdmaAxiEngine).toDynamicValue(createAxiEngine);
      bind(GdmaAxiDriver).toDynamicValue((ctx) => ctx.get(GdmaAxiEngine));
      bindCheckers(
        bind,
        (ctx) => ctx.get(GdmaAxiEngine),
        (caps) => caps?.axi?.circularLists ?? caps?.circularLists ?? true,
      );
      bind(TraceModels).toDynamicValue((ctx) => dmaTraceModel(ctx.get(GdmaAxiEngine), ctx.get(Core.Memory)));
      bind(EtmEventSources).toDynamicValue((ctx) => {
        const engine = ctx.get(GdmaAxiEngine);
        return {
          name: 'gdma-axi',
          events: engine.etmEventNames(),
          attachEtm: (raise: (id: number) => void) => engine.attachEtm(raise),
        };
      });
      bind(EtmTaskSinks).toDynamicValue((ctx) => {
        const engine = ctx.get(GdmaAxiEngine);
        return { name: 'gdma-axi', tasks: engine.etmTaskNames(), runEtmTask: (id: number) => engine.runEtmTask(id) };
      });
    },
  });
