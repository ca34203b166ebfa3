import type { DmaChannel, DmaChannelDriver } from '../dma/engine/channel-api.js';
import { DescriptorMemory } from '../dma/engine/descriptor.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_FOUND } from '../../core/errors.js';
import type { SpiHost } from './caps.js';
import { SpiBusImpl } from './bus.js';
import type { SpiContext } from './context.js';
import { SpiDmaPort } from './dma-port.js';
import { SPI_DESC_MAX } from './params.js';
import type { SpiBus, SpiBusConfig, SpiService } from './types.js';

const HOSTS: readonly SpiHost[] = ['SPI2', 'SPI3'];

/** gdma_connect whose ESP_ERR_INVALID_STATE ("peripheral %d is already used") is dropped, as spi_common.c does. */
function connectIgnoringConflict(c: DmaChannel, host: SpiHost): void {
  try {
    c.connect({ peripheral: host });
  } catch (e) {
    if (!(e instanceof EspError && e.code === ESP_ERR_INVALID_STATE)) throw e;
  }
}

/**
 * spi_bus_initialize / spi_bus_free over the target's SPI hosts. DMA comes from a GDMA pair connected to the
 * host's peripheral trigger (gdma_new_ahb_channel + gdma_connect), or from the SPI's own DMA engine: on the
 * ESP32 two channels either host may claim (spicommon_dma_chan_alloc), on the ESP32-S2 one per controller.
 */
export class SpiServiceImpl implements SpiService {
  private readonly buses = new Map<SpiHost, SpiBusImpl>();
  private readonly dm: DescriptorMemory;

  constructor(
    private readonly ctx: SpiContext,
    private readonly dma: DmaChannelDriver | undefined,
  ) {
    this.dm = new DescriptorMemory(ctx.memory);
  }

  /** The initialized bus of `host`, if any (for the ETM task). */
  bus(host: SpiHost): SpiBusImpl | undefined {
    return this.buses.get(host);
  }

  busInitialize(host: SpiHost, cfg: SpiBusConfig = {}): SpiBus {
    const what = 'spi_bus_initialize';
    const p = this.ctx.params;
    if (!HOSTS.includes(host) || !p.hosts.includes(host)) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: invalid host ${String(host)} (this target has ${p.hosts.join(', ')}; SPI1 is the flash)`,
      );
    }
    if (cfg === null || typeof cfg !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, `${what}: config must be an object`);
    if (this.buses.has(host))
      throw new EspError(ESP_ERR_INVALID_STATE, `${what}: SPI bus ${host} already initialized (spi_bus_free it first)`);
    const dmaSel = cfg.dma ?? 'auto';
    if (dmaSel !== 'auto' && dmaSel !== 'disabled' && dmaSel !== 1 && dmaSel !== 2) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: dma must be 'auto', 'disabled', 1 or 2, got ${String(cfg.dma)}`,
      );
    }
    if ((dmaSel === 1 || dmaSel === 2) && p.dma !== 'spi-dma-shared') {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: a DMA channel can be named only on the ESP32's shared SPI DMA; use 'auto' here`,
      );
    }
    const max = cfg.maxTransferSize ?? 0;
    if (!Number.isSafeInteger(max) || max < 0)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: maxTransferSize must be a non-negative integer, got ${String(cfg.maxTransferSize)}`,
      );
    if (cfg.loopback !== undefined && typeof cfg.loopback !== 'boolean')
      throw new EspError(ESP_ERR_INVALID_ARG, `${what}: loopback must be a boolean`);

    let port: SpiDmaPort | undefined;
    let maxTransfer = p.fifoBytes;
    let lists;
    if (dmaSel !== 'disabled') {
      port = this.allocDma(host, dmaSel);
      maxTransfer = Math.max(1, Math.ceil(max / SPI_DESC_MAX)) * SPI_DESC_MAX;
      try {
        lists = port.allocLists(maxTransfer);
      } catch (e) {
        port.release();
        throw e;
      }
    }
    const bus = new SpiBusImpl(this.ctx, host, maxTransfer, cfg.loopback ?? false, port, lists, () =>
      this.buses.delete(host),
    );
    this.buses.set(host, bus);
    return bus;
  }

  private allocDma(host: SpiHost, sel: 'auto' | 1 | 2): SpiDmaPort {
    const dma = this.dma;
    if (!dma) throw new EspError(ESP_ERR_NOT_FOUND, 'spi_bus_initialize: this target provides no DMA for SPI');
    let tx: DmaChannel;
    let rx: DmaChannel;
    const kind = this.ctx.params.dma;
    const gdma = kind === 'gdma' || kind === 'gdma-axi';
    if (gdma) {
      tx = dma.newChannel('tx', { owner: `spi ${host}` });
      try {
        rx = dma.newChannel('rx', { sibling: tx, owner: `spi ${host}` });
      } catch (e) {
        tx.delete();
        throw e;
      }
    } else {
      const pair =
        kind === 'spi-dma-per-host' ? this.ctx.params.hosts.indexOf(host) : sel === 'auto' ? undefined : sel - 1;
      try {
        ({ tx, rx } = dma.newChannelPair(
          pair === undefined ? { owner: `spi ${host}` } : { pair, owner: `spi ${host}` },
        ));
      } catch (e) {
        if (e instanceof EspError && e.code === ESP_ERR_NOT_FOUND) {
          throw new EspError(
            ESP_ERR_NOT_FOUND,
            `spi_bus_initialize: no available dma channel${pair !== undefined ? ` (channel ${pair + 1} is taken)` : ''}`,
          );
        }
        throw e;
      }
    }
    try {
      if (gdma) {
        // spi_common.c's alloc_dma_chan ignores gdma_connect's result: a trigger ID another channel holds
        // (ESP-IDF issue #10575: async memcpy on SPI2's ID 0 on the ESP32-C3) leaves the channel connected to
        // nothing, spi_bus_initialize returns ESP_OK, and the bus's DMA moves no data (SpiDmaPort). The engine
        // publishes gdma/connect-refused for diagnostics.
        connectIgnoringConflict(tx, host);
        connectIgnoringConflict(rx, host);
      } else {
        tx.connect({ peripheral: host });
        rx.connect({ peripheral: host });
      }
      if (gdma) {
        tx.configTransfer({ maxDataBurstSize: 16, accessExtMem: false });
        rx.configTransfer({ maxDataBurstSize: 16, accessExtMem: false });
      }
    } catch (e) {
      for (const c of [rx, tx]) {
        if (c.trigger) c.disconnect();
        c.delete();
      }
      throw e;
    }
    return new SpiDmaPort(dma, tx, rx, this.ctx.memory, this.dm, kind !== 'gdma' && this.ctx.params.dmaPsram);
  }
}
