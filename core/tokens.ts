import type { EventBus } from './bus/event-bus.js';
import type { FaultLog } from './bus/faults.js';
import type { Cpu } from './cpu.js';
import type { Kernel } from './kernel/kernel.js';
import type { MemoryMap } from './memory/memory.js';
import { defineToken } from './plugin/tokens.js';
import type { IdfInfo } from './idf.js';
import type { CacheService } from './memory/cache/msync.js';
import type { Random } from './random.js';
import type { Simulation } from './simulation-class.js';
import type { TargetInfo } from './target/target-info.js';

export type { TargetInfo } from './target/target-info.js';

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
  /** esp_cache.h: esp_cache_msync and the cache line alignment (core/memory/cache/msync.ts). */
  Cache: defineToken<CacheService>('Cache'),
} as const;
