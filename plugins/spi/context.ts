import type { EventSource } from '../../core/bus/event-bus.js';
import type { FaultLog } from '../../core/bus/faults.js';
import type { Cpu } from '../../core/cpu.js';
import type { Kernel } from '../../core/kernel/kernel.js';
import type { MemoryMap } from '../../core/memory/memory.js';
import type { SpiParams } from './params.js';
import type { SpiBusEvents } from './types.js';

/** What the buses and devices of one simulation share. */
export interface SpiContext {
  readonly kernel: Kernel;
  readonly memory: MemoryMap;
  readonly cpu: Cpu;
  readonly faults: FaultLog;
  readonly events: EventSource<SpiBusEvents>;
  readonly params: SpiParams;
}
