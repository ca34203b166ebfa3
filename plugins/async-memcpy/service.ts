import type { DiagnosticsService } from '../../core/diagnostics/diagnostics.js';
import type { FaultLog } from '../../core/bus/faults.js';
import type { EventBus } from '../../core/bus/event-bus.js';
import type { DmaChannel, DmaChannelDriver } from '../dma/engine/channel-api.js';
import { DescriptorMemory } from '../dma/engine/descriptor.js';
import { burstFinding } from './explain.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import type { Kernel } from '../../core/kernel/kernel.js';
import type { MemoryMap } from '../../core/memory/memory.js';
import type { TargetInfo } from '../../core/tokens.js';
import { idfOf } from '../../core/idf.js';
import { transferRules } from './config.js';
import {
  AsyncMemcpyDriverImpl,
  type AsyncMemcpyBackend,
  type AsyncMemcpyConfig,
  type AsyncMemcpyDriver,
  type AsyncMemcpyEvents,
} from './driver.js';

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
  /** Present when the simulation runs with `checks`. */
  diagnostics?: DiagnosticsService;
}

const BACKENDS: readonly AsyncMemcpyBackend[] = ['auto', 'gdma-ahb', 'gdma-axi', 'cpdma'];

export class AsyncMemcpyServiceImpl implements AsyncMemcpyService {
  private readonly dm: DescriptorMemory;

  constructor(private readonly d: AsyncMemcpyDeps) {
    this.dm = new DescriptorMemory(d.memory);
  }

  install(config: AsyncMemcpyConfig = {}, backend: AsyncMemcpyBackend = 'auto'): AsyncMemcpyDriver {
    if (config === null || typeof config !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'esp_async_memcpy_install: config must be an object');
    if (!BACKENDS.includes(backend))
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy_install: unknown backend "${String(backend)}" (${BACKENDS.join(', ')})`,
      );
    const backlogIn = config.backlog ?? 8;
    if (!Number.isSafeInteger(backlogIn) || backlogIn < 0)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy_install: backlog must be a non-negative integer, got ${String(config.backlog)}`,
      );
    const weight = config.weight ?? 0;
    if (!Number.isSafeInteger(weight) || weight < 0)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy_install: weight must be a non-negative integer, got ${String(config.weight)}`,
      );
    const flags = config.flags ?? 0;
    if (!Number.isSafeInteger(flags) || flags < 0)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_async_memcpy_install: flags must be a non-negative integer, got ${String(config.flags)}`,
      );
    const chosen = this.pick(backend);
    let rules;
    try {
      rules = transferRules(config, idfOf(this.d.target), chosen === 'gdma-ahb' ? this.d.target.caps.gdma : undefined);
    } catch (e) {
      // a burst size or trans_align the GDMA cannot take: explained when diagnostics are on
      if (this.d.diagnostics && e instanceof EspError && e.code === ESP_ERR_INVALID_ARG)
        this.d.diagnostics.report(burstFinding(e.message, config, chosen, this.d.target.name));
      throw e;
    }
    const dma = chosen === 'cpdma' ? this.d.cpdma! : chosen === 'gdma-axi' ? this.d.gdmaAxi! : this.d.gdma!;
    const { tx, rx } = dma.newChannelPair({ m2m: true, owner: 'async-memcpy' });
    try {
      this.connect(dma, tx, rx);
      // the driver leases each copy's buffers from queueing to completion: the engine need not walk its lists
      tx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true, driverLeases: true });
      rx.applyStrategy({ ownerCheck: true, autoUpdateDesc: true, driverLeases: true });
      tx.configTransfer({ maxDataBurstSize: rules.txBurst, accessExtMem: true });
      rx.configTransfer({ maxDataBurstSize: rules.rxBurst, accessExtMem: true });
    } catch (e) {
      tx.delete();
      rx.delete();
      throw e;
    }
    const psram =
      chosen === 'gdma-axi'
        ? (this.d.target.caps.gdma?.axi?.psramAccess ?? false)
        : chosen !== 'cpdma' && (this.d.target.caps.gdma?.psramAccess ?? false);
    const needs = chosen !== 'cpdma' && dma.burstNeedsAlignment;
    return new AsyncMemcpyDriverImpl({
      backend: chosen,
      dma,
      tx,
      rx,
      memory: this.d.memory,
      dm: this.dm,
      kernel: this.d.kernel,
      faults: this.d.faults,
      events: this.d.bus.source<AsyncMemcpyEvents>('async-memcpy'),
      backlog: backlogIn === 0 ? 4 : backlogIn,
      psram,
      sramAlign: needs ? rules.sramAlign : 1,
      psramAlign: psram && needs ? rules.psramAlign : 1,
      misaligned: rules.misaligned,
      blocking: idfOf(this.d.target).atLeast('master'),
      diagnostics: this.d.diagnostics,
      burst: rules.rxBurst,
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
        throw new EspError(
          ESP_ERR_NOT_SUPPORTED,
          `esp_async_memcpy_install: target "${t}" has no DMA for async memcpy`,
        );
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
   * Connects both channels to the lowest free memory-to-memory trigger ID (gdma_get_free_m2m_trig_id_mask,
   * then __builtin_ctz, as esp_async_memcpy_gdma.c does). Nothing keeps it off a peripheral's ID: on the
   * ESP32-C3 the free mask 0x1CD includes SPI2's ID 0 (and UHCI0's 2), so an async memcpy installed before
   * spi_bus_initialize takes SPI2's ID and SPI2 then runs with an unconnected DMA (ESP-IDF issue #10575).
   */
  private connect(dma: DmaChannelDriver, tx: DmaChannel, rx: DmaChannel): void {
    const free = dma.freeM2mTriggerMask();
    if (free === 0) throw new EspError(ESP_ERR_INVALID_STATE, 'esp_async_memcpy_install: no free M2M trigger ID');
    const id = 31 - Math.clz32(free & -free);
    tx.connect({ m2m: id });
    rx.connect({ m2m: id });
  }
}
