import type { DmaChannel, DmaChannelDriver } from '../dma/engine/channel-api.js';
import { encodeWord0, OWNER_DMA, type DescriptorMemory } from '../dma/engine/descriptor.js';
import type { MemoryMap, Region } from '../../core/memory/memory.js';
import { SPI_DESC_MAX } from './params.js';

/** A TX and an RX descriptor list of `count` descriptors each, in DMA-capable internal memory. */
export interface DescriptorLists { txd: number; rxd: number; count: number }

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
  ) {
    const onErr = (_c: DmaChannel, e: { reason: string }): void => { this.error ??= e.reason; };
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

  /** Allocates lists for transactions up to `maxBytes` (ESP_ERR_NO_MEM when the heap has no room). */
  allocLists(maxBytes: number): DescriptorLists {
    const count = Math.max(1, Math.ceil(maxBytes / SPI_DESC_MAX));
    const { bytes, align } = this.dma.descriptor; // spi_dma_desc_t: align4 on AHB, align8 (16 bytes) on AXI
    const base = this.memory.alloc(2 * count * bytes, { caps: ['dma', 'internal'], align });
    return { txd: base, rxd: base + count * bytes, count };
  }

  freeLists(l: DescriptorLists): void { this.memory.free(l.txd); }

  static descriptorsFor(n: number): number { return n > 0 ? Math.ceil(n / SPI_DESC_MAX) : 0; }

  /** Writes the lists for a transaction; the RX sizes are rounded up to whole words, as the IDF driver does. */
  load(l: DescriptorLists, send: number, length: number, rcv: number, rxLength: number): void {
    this.writeList(l.txd, send, length, true);
    if (rcv && rxLength > 0) this.writeList(l.rxd, rcv, rxLength, false);
  }

  /** gdma_reset + gdma_start of both channels (RX first, as s_spi_dma_prepare_data does). */
  start(l: DescriptorLists, withRx: boolean): void {
    this.error = undefined;
    if (withRx) { this.rx.reset(); this.rx.start(l.rxd); }
    this.tx.reset(); this.tx.start(l.txd);
  }

  /** The SPI pulls `n` TX bytes from the list into `into`; the bytes it got. */
  readTx(into: Uint8Array, n: number): number { return this.dma.peripheralRead(this.tx, into, 0, n); }

  /** The SPI delivers `n` RX bytes and ends the transaction (suc_eof); the bytes stored. */
  writeRx(from: Uint8Array, n: number): number { return this.dma.peripheralWrite(this.rx, from, 0, n, true); }

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
