import type { Lease } from '../../core/memory/leases.js';
import type { Region } from '../../core/memory/memory.js';
import type { DescriptorLists } from './dma-port.js';
import type { SpiTransaction } from './types.js';

/** How a transaction was issued: it decides its CPU costs and how its end is reported. */
export type JobKind = 'queued' | 'polling' | 'transfer' | 'etm';

/**
 * One transaction inside the driver (spi_trans_priv_t): the caller's transaction, where the hardware sends from
 * and receives into (the caller's buffers, or DMA-capable bounce buffers), and the leases that keep the
 * caller's buffers the transaction's until it is done.
 */
export class Job {
  /** Where the SPI sends from / receives into (bounce buffers where the caller's cannot be used). */
  send = 0;
  rcv = 0;
  txBounce = 0;
  rxBounce = 0;
  txRegion!: Region;
  rxRegion: Region | undefined;
  leases: Lease[] = [];
  /** Descriptor lists of its own (ETM-prepared transactions); others use the bus's. */
  lists: DescriptorLists | undefined;
  /** The hardware finished; `error` when the DMA stopped on a descriptor error. */
  hwDone = false;
  error: string | undefined;
  /** What runs when the bus is the job's (set by `SpiBusImpl.grant`). */
  begin: (() => void) | undefined;
  /** Called when an ETM-started job's hardware is done. */
  onEtmDone: (() => void) | undefined;

  constructor(
    /** The device that issued it: its chip select and clock. */
    readonly device: { readonly cs: number; wirePs(bytes: number): number },
    readonly kind: JobKind,
    readonly t: SpiTransaction,
    readonly length: number,
    /** Bytes received (0 without an RX buffer). */
    readonly rxLength: number,
    readonly dma: boolean,
  ) {}

  /** Descriptors the transaction's lists use (TX plus RX). */
  get descriptors(): number {
    return Math.ceil(this.length / 4092) + Math.ceil(this.rxLength / 4092);
  }
}
