/**
 * An out-of-tree example plugin: the ESP32-C6 pulse counter (PCNT), written against the package's public
 * exports only. See README.md beside this file, and docs/plugin-authoring.md for the walk-through.
 */
import {
  Core,
  defineToken,
  definePlugin,
  Gpio,
  Lifecycle,
  EtmEventSources,
  EtmTaskSinks,
  type Plugin,
} from 'soc-fabric';
import { PcntController } from './pcnt-driver.js';
import { pcntCaps, type PcntService } from './pcnt-types.js';

export * from './pcnt-types.js';
export { C6_PCNT_ETM_EVENTS, C6_PCNT_ETM_TASKS } from './pcnt-etm.js';
export { PcntController, C6_PCNT_CAPS } from './pcnt-driver.js';

/** The pulse_cnt driver's service token: `sim.get(Pcnt).newUnit({ lowLimit, highLimit })`. */
export const Pcnt = defineToken<PcntService>('Pcnt');

/**
 * The PCNT plugin. Reads `caps.pcnt` (units, channels per unit, filter clock, ETM; ESP32-C6 values where
 * absent), counts edges of GPIO pins, and offers its ETM events and tasks where the target has an ETM.
 */
export const pcnt = (): Plugin =>
  definePlugin({
    name: 'pcnt',
    caps: pcntCaps,
    requires: [Core.Kernel, Core.Bus, Core.Target, Core.Faults, Gpio],
    load: ({ bind }) => {
      bind(PcntController).toSelf();
      bind(Pcnt).toService(PcntController);
      bind(EtmEventSources).toDynamicValue((ctx) => ctx.get(PcntController).etmEvents);
      bind(EtmTaskSinks).toDynamicValue((ctx) => ctx.get(PcntController).etmTasks);
      bind(Lifecycle).toDynamicValue((ctx) => {
        const controller = ctx.get(PcntController);
        return { start: () => controller.attach(), dispose: () => controller.detach() };
      });
    },
  });
