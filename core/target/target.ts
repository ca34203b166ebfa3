import type { Plugin } from '../plugin/plugin.js';
import type { RegionDefinition } from '../memory/region.js';
import { validateTarget } from './schema.js';
import type { DmaTiming } from '../../plugins/dma/engine/timing.js';

/** Hardware ETM IDs of a DMA engine: ID = base + pair. */
/** GDMA ETM IDs of channel 0 (channel n is base + n): IN_SUC_EOF and OUT_EOF events, IN/OUT START tasks. */
export interface DmaEtmIdCaps { inSucEofBase: number; outEofBase: number; inStartTaskBase: number; outStartTaskBase: number }

/** An SPI host a target may have. */
export type SpiHost = 'SPI2' | 'SPI3';

/** ESP-IDF spi_master driver costs in CPU cycles (estimates: see plugins/spi/README.md). */
export interface SpiDriverCycles {
  /** spi_device_queue_trans on the task: checks, queue send, interrupt enable. */
  queue: number;
  /** The ISR starting a transaction: device and transaction registers, FIFO or DMA set-up. */
  isrStart: number;
  /** The ISR finishing one: post-transaction work and the result queue send. */
  isrDone: number;
  /** spi_device_get_trans_result: the task wakes and takes the result. */
  result: number;
  /** spi_device_polling_start and _end (the CPU spins on the done bit in between). */
  pollingStart: number;
  pollingEnd: number;
  /** DMA linked-list set-up per transaction (channel resets and starts) and per descriptor. */
  dmaSetup: number;
  dmaPerDescriptor: number;
  /** CPU FIFO access per 32-bit word (without DMA: data in at start, out at the end). */
  fifoPerWord: number;
  /** heap_caps_aligned_alloc + free of a bounce buffer (the memcpy is charged at the CPU's copy cost). */
  bounceAlloc: number;
  /** esp-hal style DMA transfer: set-up before the start, and the wait's completion check. */
  halDmaStart: number;
  halDmaWait: number;
}

/** SPI parameters of a target: hosts, DMA kind, clocks, FIFO, chip selects, driver costs (`plugins/spi/README.md`). */
export interface SpiCaps {
  hosts: SpiHost[];
  dma: 'gdma' | 'spi-dma-shared' | 'spi-dma-per-host';
  /** SPI_CLK_SRC_DEFAULT's frequency (the highest SCLK). Default 80 MHz. */
  sourceClockHz?: number;
  /** FIFO bytes a transaction without DMA can hold (SOC_SPI_MAXIMUM_BUFFER_SIZE). Default 64. */
  fifoBytes?: number;
  /** Chip selects per host (SOC_SPI_PERIPH_CS_NUM). Default 6. */
  csPerHost?: Partial<Record<SpiHost, number>>;
  /** Channels of the SPI's own DMA where `dma` is 'spi-dma-shared' (ESP32: 2). */
  dmaChannels?: number;
  /** Longest DMA transaction in bytes (SPI_LL_DMA_MAX_BIT_LEN / 8). Default 32768. */
  dmaMaxBytes?: number;
  /**
   * Largest clock pre-divider (SPI_LL_MAX_PRE_DIV_NUM: 8192 on the ESP32's 13-bit CLKDIV_PRE, 16 on the 4-bit
   * field of the GPSPI of later chips). With the 6-bit CLKCNT_N (up to 64) it sets the slowest SCLK. Default 16.
   */
  maxPreDivider?: number;
  /** Driver costs (default: plugins/spi's IDF estimates). */
  driverCycles?: Partial<SpiDriverCycles>;
  /** Beyond silicon: an ETM task per host that starts the transaction prepared on it (task ID per host). */
  etm?: { startTaskIds: Partial<Record<SpiHost, number>> };
}

/**
 * What a target has, as SILICON.md tabulates it. Plugins read their parameters from here (a platform
 * described apart from its peripheral models), so changing a number here changes the hardware.
 * Plugins may add sections of their own.
 */
export interface TargetCaps {
  /** esp_async_memcpy exists on this target. */
  asyncMemcpy: boolean;
  /** The target has PSRAM. */
  psram: boolean;
  /** ESP32-S2 copy DMA: M2M only, SRAM only. */
  cpdma?: { channels: number; maxDescriptorBytes: number; timing?: DmaTiming };
  /** General DMA: AHB (and AXI) pairs, which pairs may do memory-to-memory, priorities, ETM, PSRAM reach. */
  gdma?: {
    ahbPairs: number;
    axiPairs?: number;
    m2mPairMask: number;
    axiM2mPairMask?: number;
    priorities: number;
    etm: boolean;
    psramAccess: boolean;
    /** Peripheral trigger IDs (SPI2, SPI3, ...). */
    peripheralTriggers: Record<string, number>;
    /** Trigger IDs free for memory-to-memory use. */
    freeM2mTriggerMask: number;
    /** ETM event/task ID bases (where `etm`). */
    etmIds?: DmaEtmIdCaps;
    /** The engine's timing parameters (plugins/dma/engine/timing.ts). */
    timing?: DmaTiming;
  };
  /** The Event Task Matrix: channels, and the event-to-task latency in cycles of the ETM's clock (plugins/etm/README.md). */
  etm?: { channels: number; latencyCycles?: number; clockHz?: number };
  /**
   * GPIO pins; where the GPIO has ETM, its event and task channels and the hardware IDs of channel 0 per edge
   * and per action (channel n is base + n; default: the ESP32-C6 table).
   */
  gpio: {
    pins: number;
    etm?: {
      eventChannels: number;
      taskChannels: number;
      eventIds?: { pos: number; neg: number; any: number };
      taskIds?: { set: number; clear: number; toggle: number };
    };
  };
  /**
   * General-purpose timers: how many, their source clock (default 80 MHz), whether they have ETM, and the ETM
   * event/task IDs per timer index (default: the ESP32-C6 table).
   */
  gptimer: {
    timers: number;
    etm: boolean;
    clockHz?: number;
    etmIds?: {
      alarmMatch: number[];
      startCount: number[];
      stopCount: number[];
      enAlarm: number[];
      reload: number[];
      capture: number[];
    };
  };
  /** SPI master hosts and how they reach DMA; the rest parameterises plugins/spi (SpiCaps there documents each field). */
  spi: SpiCaps;
  /** Where this target goes beyond the silicon. Empty on built-in targets. */
  beyondSilicon: string[];
  /** Parameters that are estimates (derived from clocks and bus widths) rather than measured. */
  estimates: string[];
  [section: string]: unknown;
}

/** CPU parameters: clock, and the cost model of `sim.cpu.memcpy`. */
export interface CpuDefinition {
  freqHz: number;
  /** Fixed cost of one memcpy call, in CPU cycles (default 20). */
  memcpyCallCycles?: number;
  /** Extra ps per byte when source and destination share an external bus (read/write turnaround). */
  sharedBusPenaltyPsPerByte?: number;
}

/** A target: CPU, memory map, plugins and caps (see defineTarget / extendTarget). */
export interface TargetDefinition {
  name: string;
  description?: string;
  /** The target this one was made from with extendTarget. */
  extends?: string;
  cpu: CpuDefinition;
  memory: RegionDefinition[];
  plugins: Plugin[];
  caps: TargetCaps;
}

/** Validates a target definition (zod) and returns it; a bad field throws naming its path. */
export function defineTarget(def: TargetDefinition): TargetDefinition {
  return validateTarget(def);
}

type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** What extendTarget changes in its base. */
export interface TargetChanges {
  /** The new target's name (required: a custom target is not its base). */
  name: string;
  description?: string;
  cpu?: Partial<CpuDefinition>;
  /** New regions, or a function of the base's. */
  memory?: RegionDefinition[] | ((base: RegionDefinition[]) => RegionDefinition[]);
  /** New plugin list, or a function of the base's (`(p) => [...p, etm()]`). */
  plugins?: Plugin[] | ((base: Plugin[]) => Plugin[]);
  /** Caps merged into the base's (objects merged key by key, arrays and scalars replaced). */
  caps?: DeepPartial<TargetCaps>;
  /** What goes beyond the silicon; appended to caps.beyondSilicon. */
  beyondSilicon?: string[];
}

function mergeDeep(base: unknown, change: unknown): unknown {
  if (change === undefined) return base;
  if (
    typeof base === 'object' && base !== null && !Array.isArray(base) &&
    typeof change === 'object' && change !== null && !Array.isArray(change)
  ) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(change)) out[k] = mergeDeep(out[k], v);
    return out;
  }
  return change;
}

/** A new target from `base` with `changes` applied, validated. */
export function extendTarget(base: TargetDefinition, changes: TargetChanges): TargetDefinition {
  const caps = mergeDeep(base.caps, changes.caps) as TargetCaps;
  const def: TargetDefinition = {
    name: changes.name,
    description: changes.description ?? `${base.name}, modified`,
    extends: base.name,
    cpu: { ...base.cpu, ...changes.cpu },
    memory: typeof changes.memory === 'function' ? changes.memory(base.memory.map((r) => ({ ...r }))) : changes.memory ?? base.memory,
    plugins: typeof changes.plugins === 'function' ? changes.plugins([...base.plugins]) : changes.plugins ?? base.plugins,
    caps: { ...caps, beyondSilicon: [...caps.beyondSilicon, ...(changes.beyondSilicon ?? [])] },
  };
  return validateTarget(def);
}
