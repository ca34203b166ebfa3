import type { EventBus } from './bus/event-bus.js';
import type { FaultLog } from './bus/faults.js';
import type { Cpu } from './cpu.js';
import type { IdfInfo } from './idf.js';
import type { Kernel } from './kernel/kernel.js';
import type { MemoryMap } from './memory/memory.js';
import { defineToken } from './plugin/tokens.js';
import type { Random } from './random.js';
import type { Simulation } from './simulation.js';
import type { TargetCaps, TargetDefinition } from './target/target.js';

/** The target as plugins see it: its name, caps (their parameters) and full definition. */
export interface TargetInfo {
  readonly name: string;
  readonly caps: TargetCaps;
  readonly definition: TargetDefinition;
  /**
   * The ESP-IDF version modelled (createSimulation's `idf`, else the target's `idf`, else the current release).
   * Always set on the simulation's own TargetInfo; optional so that hand-made TargetInfo objects stay valid
   * (read it through `idfOf(target)`).
   */
  readonly idf?: IdfInfo;
}

/** Tokens of the services every simulation has, for plugins to inject. */
export const Core = {
  Kernel: defineToken<Kernel>('Kernel'),
  Bus: defineToken<EventBus>('EventBus'),
  Memory: defineToken<MemoryMap>('Memory'),
  Target: defineToken<TargetInfo>('Target'),
  Random: defineToken<Random>('Random'),
  Faults: defineToken<FaultLog>('Faults'),
  Cpu: defineToken<Cpu>('Cpu'),
  Simulation: defineToken<Simulation>('Simulation'),
  /** The ESP-IDF version modelled: plugins whose behaviour changed between releases ask it. */
  Idf: defineToken<IdfInfo>('Idf'),
} as const;
