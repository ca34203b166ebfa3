import { DmaEngine } from '../dma/engine/engine.js';
import { sramTimingAt } from '../dma/engine/timing.js';
import { SimulationError } from '../../core/errors.js';
import { definePlugin, type Plugin } from '../../core/plugin/plugin.js';
import { Core } from '../../core/tokens.js';
import { EtmTaskSinks } from '../contracts/etm.js';
import { TraceModels } from '../../core/trace/trace-model.js';
import { dmaTraceModel } from '../dma/engine/trace.js';
import { spiTraceModel } from './trace.js';
import { Checkers } from '../../core/diagnostics/checker.js';
import { spiChecker } from './checker.js';
import { dmaDescriptorChecker } from '../dma/engine/checks/index.js';
import { spiCaps } from './caps.js';
import { GdmaAxiDriver, GdmaDriver } from '../dma/gdma/tokens.js';
import type { SpiBusEvents } from './types.js';
import { spiParams } from './params.js';
import { SpiServiceImpl } from './service.js';
import { Spi, SpiDma, SpiServiceToken } from './tokens.js';

/**
 * The SPI master (ESP-IDF spi_master) on every target, per `caps.spi`: GDMA targets take a pair from
 * `GdmaDriver` (`GdmaAxiDriver` where SPI sits on the AXI GDMA: ESP32-P4); the ESP32 and ESP32-S2 get the SPI's own DMA, an instance of the shared DMA engine with the
 * same descriptor format. Where `caps.spi.etm` names task IDs (beyond silicon), each host offers an ETM task
 * that starts its prepared transaction.
 */
export const spi = (): Plugin =>
  definePlugin({
    name: 'spi',
    caps: spiCaps,
    requires: [Core.Kernel, Core.Bus, Core.Target, Core.Memory, Core.Cpu],
    load: ({ bind }) => {
      bind(SpiDma).toDynamicValue((ctx) => {
        const target = ctx.get(Core.Target);
        const p = spiParams(target.caps);
        if (p.dma === 'gdma' || p.dma === 'gdma-axi')
          throw new SimulationError(`plugin "spi": target "${target.name}" reaches DMA through GDMA, not an SPI DMA`);
        return new DmaEngine(
          {
            name: 'spi-dma',
            pairs: p.dma === 'spi-dma-shared' ? p.dmaChannels : p.hosts.length,
            m2mPairMask: 0,
            freeM2mTriggerMask: 0,
            peripheralTriggers: { SPI2: 0, SPI3: 1 },
            priorities: 1,
            maxDescriptorBytes: 4095,
            reaches: (r) => r.kind === 'sram' || (r.kind === 'psram' && p.dmaPsram),
            burstNeedsAlignment: false,
            timing: sramTimingAt(80_000_000),
          },
          ctx.get(Core.Kernel),
          ctx.get(Core.Memory),
          ctx.get(Core.Bus),
          (s, e) => ctx.get(Core.Faults).report(s, e),
        );
      });
      bind(SpiServiceToken).toDynamicValue((ctx) => {
        const target = ctx.get(Core.Target);
        const params = spiParams(target.caps);
        const dma =
          params.dma === 'gdma'
            ? ctx.get(GdmaDriver, { optional: true })
            : params.dma === 'gdma-axi'
              ? ctx.get(GdmaAxiDriver, { optional: true })
              : ctx.get(SpiDma);
        return new SpiServiceImpl(
          {
            kernel: ctx.get(Core.Kernel),
            memory: ctx.get(Core.Memory),
            cpu: ctx.get(Core.Cpu),
            faults: ctx.get(Core.Faults),
            events: ctx.get(Core.Bus).source<SpiBusEvents>('spi'),
            params,
          },
          dma,
        );
      });
      bind(Spi).toDynamicValue((ctx) => ctx.get(SpiServiceToken));
      bind(Checkers).toDynamicValue((ctx) => spiChecker(ctx.get(Core.Bus)));
      // the descriptor rules on the SPI's own DMA (ESP32, ESP32-S2: lldesc lists like GDMA's); where SPI uses
      // GDMA, the gdma plugin's checker watches those channels and this one has nothing to watch
      bind(Checkers).toDynamicValue((ctx) => {
        const p = spiParams(ctx.get(Core.Target).caps);
        if (p.dma === 'gdma' || p.dma === 'gdma-axi')
          return { name: 'dma-descriptors', rules: [], start: () => undefined };
        const engine = ctx.get(SpiDma);
        return dmaDescriptorChecker(ctx.get(Core.Bus), ctx.get(Core.Memory), {
          engine: engine.name,
          descriptor: engine.descriptor,
          // (bound above as a DmaEngine; another DmaChannelDriver would not say, and its writes go unchecked)
          running: (pair, dir) => engine instanceof DmaEngine && engine.isRunning(pair, dir),
        });
      });
      bind(TraceModels).toDynamicValue((ctx) => spiTraceModel(spiParams(ctx.get(Core.Target).caps).hosts));
      bind(TraceModels).toDynamicValue((ctx) => {
        const p = spiParams(ctx.get(Core.Target).caps);
        // the SPI's own DMA (ESP32, ESP32-S2) in waveforms like GDMA; nothing to show where SPI uses GDMA
        return p.dma === 'gdma' || p.dma === 'gdma-axi'
          ? { sources: [], signals: () => [], onEvent: () => undefined }
          : dmaTraceModel(ctx.get(SpiDma), ctx.get(Core.Memory));
      });
      bind(EtmTaskSinks).toDynamicValue((ctx) => {
        const params = spiParams(ctx.get(Core.Target).caps);
        const tasks = new Map<number, string>();
        const byId = new Map<number, 'SPI2' | 'SPI3'>();
        for (const h of params.hosts) {
          const id = params.etmStartTaskIds[h];
          if (id !== undefined) {
            tasks.set(id, `${h}_TASK_START_TRANS`);
            byId.set(id, h);
          }
        }
        const service = ctx.get(SpiServiceToken);
        const events = ctx.get(Core.Bus).source<SpiBusEvents>('spi');
        return {
          name: 'spi',
          tasks,
          runEtmTask: (id: number) => {
            const host = byId.get(id);
            if (!host) return;
            const bus = service.bus(host);
            if (bus) bus.etmStart();
            else if (events.observes('etm-start-ignored'))
              events.emit('etm-start-ignored', { host, reason: 'the bus is not initialized' });
          },
        };
      });
    },
  });
