import type { FaultLog } from '../../core/bus/faults.js';
import type { EventBus } from '../../core/bus/event-bus.js';
import type { DmaChannel, DmaChannelDriver } from '../dma/engine/channel-api.js';
import { DescriptorMemory } from '../dma/engine/descriptor.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import type { Kernel } from '../../core/kernel/kernel.js';
import type { MemoryMap } from '../../core/memory/memory.js';
import type { TargetInfo } from '../../core/tokens.js';
import { AsyncMemcpyDriverImpl, type AsyncMemcpyBackend, type AsyncMemcpyConfig, type AsyncMemcpyDriver, type AsyncMemcpyEvents } from './driver.js';

/** esp_async_memcpy_install and its backend-specific variants. */
export interface AsyncMemcpyService {
/** esp_async_memcpy_install (and the _gdma_ahb/_gdma_axi/_cpdma variants): ESP_ERR_NOT_SUPPORTED for a backend the target lacks, ESP_ERR_NOT_FOUND when no M2M pair is free. */
  install(config?: AsyncMemcpyConfig, backend?: AsyncMemcpyBackend): AsyncMemcpyDriver;
}

export interface AsyncMemcpyDeps {
  target: TargetInfo;
  kernel: Kernel;
  memory: MemoryMap;
  bus: EventBus;
  faults: FaultLog;
  gdma?: DmaChannelDriver;
  /** The AXI GDMA (ESP32-P4). */
  gdmaAxi?: DmaChannelDriver;
  cpdma?: DmaChannelDriver;
}

const BACKENDS: readonly AsyncMemcpyBackend[] = ['auto', 'gdma-ahb', 'gdma-axi', 'cpdma'];

export class AsyncMemcpyServiceImpl implements AsyncMemcpyService {
  private readonly dm: DescriptorMemory;

  constructor(private readonly d: AsyncMemcpyDeps) {
    this.dm = new DescriptorMemory(d.memory);
  }

  install(config: AsyncMemcpyConfig = {}, backend: AsyncMemcpyBackend = 'auto'): AsyncMemcpyDriver {
    if (config === null || typeof config !== 'object') throw new EspError(ESP_ERR_INVALID_ARG, 'esp_async_memcpy_install: config must be an object');
    if (!BACKENDS.includes(backend)) throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy_install: unknown backend "${String(backend)}" (${BACKENDS.join(', ')})`);
    const backlogIn = config.backlog ?? 8;
    if (!Number.isSafeInteger(backlogIn) || backlogIn < 0) throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy_install: backlog must be a non-negative integer, got ${String(config.backlog)}`);
    const burst = config.dmaBurstSize ?? 16;
    if (!Number.isSafeInteger(burst) || burst < 0 || burst > 64 || (burst & (burst - 1)) !== 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy_install: dma_burst_size must be 0 or a power of two up to 64, got ${String(config.dmaBurstSize)}`);
    }
    const weight = config.weight ?? 0;
    if (!Number.isSafeInteger(weight) || weight < 0) throw new EspError(ESP_ERR_INVALID_ARG, `esp_async_memcpy_install: weight must be a non-negative integer, got ${String(config.weight)}`);
    const chosen = this.pick(backend);
    const dma = chosen === 'cpdma' ? this.d.cpdma! : chosen === 'gdma-axi' ? this.d.gdmaAxi! : this.d.gdma!;
    const { tx, rx } = dma.newChannelPair({ m2m: true });
    try {
      this.connect(dma, tx, rx);
      tx.configTransfer({ maxDataBurstSize: burst, accessExtMem: true });
      rx.configTransfer({ maxDataBurstSize: burst, accessExtMem: true });
      // the driver leases each copy's buffers from queueing to completion: the engine need not walk its lists
      tx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true, driverLeases: true });
      rx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true, driverLeases: true });
    } catch (e) {
      tx.delete(); rx.delete();
      throw e;
    }
    return new AsyncMemcpyDriverImpl({
      backend: chosen, dma, tx, rx, memory: this.d.memory, dm: this.dm, kernel: this.d.kernel, faults: this.d.faults,
      events: this.d.bus.source<AsyncMemcpyEvents>('async-memcpy'), backlog: backlogIn === 0 ? 4 : backlogIn, burst,
      psram: chosen === 'gdma-axi' ? (this.d.target.caps.gdma?.axi?.psramAccess ?? false)
        : chosen !== 'cpdma' && (this.d.target.caps.gdma?.psramAccess ?? false),
    });
  }

  /** esp_async_memcpy_install picks CP DMA where it exists, else AHB GDMA, else AXI GDMA. */
  private pick(backend: AsyncMemcpyBackend): 'gdma-ahb' | 'gdma-axi' | 'cpdma' {
    const t = this.d.target.name;
    switch (backend) {
      case 'auto':
        if (this.d.cpdma) return 'cpdma';
        if (this.d.gdma) return 'gdma-ahb';
        if (this.d.gdmaAxi) return 'gdma-axi';
        throw new EspError(ESP_ERR_NOT_SUPPORTED, `esp_async_memcpy_install: target "${t}" has no DMA for async memcpy`);
      case 'cpdma':
        if (this.d.cpdma) return 'cpdma';
        throw new EspError(ESP_ERR_NOT_SUPPORTED, `esp_async_memcpy_install_cpdma: target "${t}" has no CP DMA`);
      case 'gdma-ahb':
        if (this.d.gdma) return 'gdma-ahb';
        throw new EspError(ESP_ERR_NOT_SUPPORTED, `esp_async_memcpy_install_gdma_ahb: target "${t}" has no AHB GDMA`);
      default:
        if (this.d.gdmaAxi) return 'gdma-axi';
        throw new EspError(ESP_ERR_NOT_SUPPORTED, `esp_async_memcpy_install_gdma_axi: target "${t}" has no AXI GDMA`);
    }
  }

  /**
   * Connects both channels to the lowest free memory-to-memory trigger ID, as the IDF driver does, except that
   * IDs the target gives a peripheral (caps.gdma.peripheralTriggers) are taken only when no other is free: on
   * the ESP32-C3 the free mask 0x1CD includes SPI2's ID 0, and an async memcpy holding it broke SPI2 (ESP-IDF
   * issue #10575). With this rule it takes ID 2 there, whichever of the two is set up first.
   */
  private connect(dma: DmaChannelDriver, tx: DmaChannel, rx: DmaChannel): void {
    const free = dma.freeM2mTriggerMask();
    if (free === 0) throw new EspError(ESP_ERR_INVALID_STATE, 'esp_async_memcpy_install: no free M2M trigger ID');
    let peripheral = 0;
    const gdmaCaps = this.d.target.caps.gdma;
    const triggers = dma === this.d.gdma ? gdmaCaps?.peripheralTriggers : dma === this.d.gdmaAxi ? gdmaCaps?.axi?.peripheralTriggers : undefined;
    for (const id of Object.values(triggers ?? {})) peripheral |= 1 << id;
    const mask = (free & ~peripheral) >>> 0 || free;
    const id = 31 - Math.clz32(mask & -mask);
    tx.connect({ m2m: id });
    rx.connect({ m2m: id });
  }
}
