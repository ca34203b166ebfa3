import type { DmaChannel, DmaChannelDriver } from '../dma/engine/channel-api.js';
import { encodeWord0, OWNER_DMA, type DescriptorMemory } from '../dma/engine/descriptor.js';
import type { MemoryMap, Region } from '../../core/memory/memory.js';
import { SPI_DESC_MAX } from './params.js';

/** A TX and an RX descriptor list of `count` descriptors each, in DMA-capable internal memory. */
export interface DescriptorLists {
  txd: number;
  rxd: number;
  count: number;
}

/**
 * A bus's DMA: its TX/RX channel pair (GDMA pair connected to the host's trigger, or a channel of the SPI's own
 * DMA), the descriptor lists the driver fills per transaction (spicommon_dma_desc_setup_link), and the
 * peripheral side that moves the bytes as the SPI shifts them.
 */
export class SpiDmaPort {
  /** Set by the channels' descriptor-error callbacks; read and cleared by the bus. */
  error: string | undefined;

  constructor(
    readonly dma: DmaChannelDriver,
    readonly tx: DmaChannel,
    readonly rx: DmaChannel,
    private readonly memory: MemoryMap,
    private readonly dm: DescriptorMemory,
    /** The SPI's own DMA reaches PSRAM (caps.spi.dmaPsram: ESP32-S2); transfer() may then use PSRAM buffers. */
    private readonly psram = false,
  ) {
    const onErr = (_c: DmaChannel, e: { reason: string }): void => {
      this.error ??= e.reason;
    };
    tx.registerCallbacks({ onDescrErr: onErr });
    rx.registerCallbacks({ onDescrErr: onErr });
  }

  /**
   * Whether the driver can hand `r` to the DMA as is: internal DMA-capable SRAM the engine reaches (the IDF
   * driver configures no external-memory access, so PSRAM buffers are bounced too).
   */
  usable(r: Region): boolean {
    return r.kind === 'sram' && r.dmaCapable && this.dma.reachesRegion(r);
  }

  /** Whether a driver that does not bounce (esp-hal transfer(), ETM) can hand `r` over: also PSRAM where reached. */
  reachable(r: Region): boolean {
    return this.usable(r) || (this.psram && r.kind === 'psram' && r.dmaCapable && this.dma.reachesRegion(r));
  }

  /** Allocates lists for transactions up to `maxBytes` (ESP_ERR_NO_MEM when the heap has no room). */
  allocLists(maxBytes: number): DescriptorLists {
    const count = Math.max(1, Math.ceil(maxBytes / SPI_DESC_MAX));
    const { bytes, align } = this.dma.descriptor; // spi_dma_desc_t: align4 on AHB, align8 (16 bytes) on AXI
    const base = this.memory.alloc(2 * count * bytes, { caps: ['dma', 'internal'], align });
    return { txd: base, rxd: base + count * bytes, count };
  }

  freeLists(l: DescriptorLists): void {
    this.memory.free(l.txd);
  }

  static descriptorsFor(n: number): number {
    return n > 0 ? Math.ceil(n / SPI_DESC_MAX) : 0;
  }

  /** Writes the lists for a transaction; the RX sizes are rounded up to whole words, as the IDF driver does. */
  load(l: DescriptorLists, send: number, length: number, rcv: number, rxLength: number): void {
    this.writeList(l.txd, send, length, true);
    if (rcv && rxLength > 0) this.writeList(l.rxd, rcv, rxLength, false);
  }

  /** gdma_reset + gdma_start of both channels (RX first, as s_spi_dma_prepare_data does). */
  start(l: DescriptorLists, withRx: boolean): void {
    this.error = undefined;
    if (withRx) {
      this.rx.reset();
      this.rx.start(l.rxd);
    }
    this.tx.reset();
    this.tx.start(l.txd);
  }

  /**
   * Whether both channels reached the SPI's trigger. Not so when gdma_connect was refused and spi_common.c
   * went on regardless (ESP-IDF issue #10575): the bus then runs with a DMA that is wired to nothing.
   */
  get connected(): boolean {
    return this.tx.trigger !== undefined && this.rx.trigger !== undefined;
  }

  /**
   * The SPI pulls `n` TX bytes from the list into `into`; the bytes it got. A TX channel that is not
   * connected to the SPI's trigger answers none of its requests: the SPI's DMA FIFO, reset before every DMA
   * transaction (spi_hal), is never refilled and the shifter sends its reset content, zeros, for every byte.
   * The transaction still ends on the SPI's own trans_done, so the driver reports success: garbage on MOSI,
   * no error anywhere. (Silicon's exact bytes are not documented; zeros are this model's choice.)
   */
  readTx(into: Uint8Array, n: number): number {
    if (this.tx.trigger === undefined) {
      into.fill(0, 0, n);
      return n;
    }
    return this.dma.peripheralRead(this.tx, into, 0, n);
  }

  /**
   * The SPI delivers `n` RX bytes and ends the transaction (suc_eof); the bytes stored. An RX channel that is
   * not connected takes nothing from the SPI: the bytes are lost and the caller's RX buffer keeps whatever it
   * held before (stale data), with no EOF and no error.
   */
  writeRx(from: Uint8Array, n: number): number {
    if (this.rx.trigger === undefined) return n;
    return this.dma.peripheralWrite(this.rx, from, 0, n, true);
  }

  /** Disconnects and frees both channels (spicommon_dma_chan_free). */
  release(): void {
    for (const c of [this.rx, this.tx]) {
      if (c.trigger) c.disconnect();
      c.delete();
    }
  }

  private writeList(descs: number, buf: number, n: number, tx: boolean): void {
    const r = this.dm.regionOf(descs)!;
    const v = this.dm.view(r);
    const stride = this.dma.descriptor.bytes;
    let i = (descs - r.base) >>> 2;
    for (let off = 0, k = 1; off < n; off += SPI_DESC_MAX, i += stride >>> 2, k++) {
      const chunk = Math.min(SPI_DESC_MAX, n - off);
      const last = off + chunk >= n;
      v[i] = tx
        ? encodeWord0({ size: chunk, length: chunk, sucEof: last, owner: OWNER_DMA })
        : encodeWord0({ size: (chunk + 3) & ~3, length: 0, owner: OWNER_DMA });
      v[i + 1] = (buf + off) >>> 0;
      v[i + 2] = last ? 0 : descs + k * stride;
    }
  }
}
