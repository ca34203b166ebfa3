import type { EtmEvent, EtmTask } from '../../contracts/etm.js';
import type { Region } from '../../../core/memory/memory.js';
import type { DescriptorFormat } from './descriptor.js';

/**
 * The low-level channel API of a DMA engine, in the style of ESP-IDF's esp_private/gdma.h. Drivers (async
 * memcpy, SPI, the Zephyr facade) build on it; both GDMA (`GdmaDriver`) and CP DMA (`CpDmaDriver`) offer it.
 * Errors are EspError with the code gdma.h returns.
 */
export type DmaDir = 'tx' | 'rx';

/** What a channel is connected to: a memory-to-memory trigger ID, or a peripheral by name (caps.gdma.peripheralTriggers). */
export type DmaTrigger = { readonly m2m: number } | { readonly peripheral: string };

/** What a channel event callback receives. */
export interface DmaEventData {
  /** The descriptor the event concerns. */
  readonly descriptor: number;
}
/** A descriptor error: the descriptor and why the engine refused it. */
export interface DmaErrorEventData extends DmaEventData {
  readonly reason: string;
}

/** gdma_tx_event_callbacks_t / gdma_rx_event_callbacks_t: run in "ISR context" at the simulated instant. */
export interface DmaChannelCallbacks {
  /** TX: the descriptor with suc_eof was read out (OUT_EOF). */
  onTransEof?(channel: DmaChannel, e: DmaEventData): boolean | void;
  /** RX: a suc_eof was written back (IN_SUC_EOF). */
  onRecvEof?(channel: DmaChannel, e: DmaEventData): boolean | void;
  /** The engine reached a descriptor it cannot use; the channel stopped. */
  onDescrErr?(channel: DmaChannel, e: DmaErrorEventData): boolean | void;
  /**
   * A channel connected to a peripheral runs again (start, append, ETM START): the peripheral may resume
   * pushing or pulling bytes. Runs in a kernel event at the instant of the start, never inside it. Not an IDF
   * callback: it stands for the peripheral's DMA request line seeing the channel active again.
   */
  onReady?(channel: DmaChannel): void;
}

/** gdma_transfer_config_t: burst size and external-memory access. */
export interface DmaTransferConfig {
  /** Burst size in bytes: 0 disables burst, otherwise a power of two up to 64. A new GDMA channel: 0 (CP DMA, SPI DMA: 16). */
  maxDataBurstSize?: number;
  /** Allow buffers in external memory (PSRAM) where the engine reaches it. */
  accessExtMem?: boolean;
}

/** gdma_strategy_config_t: owner check and descriptor write-back. */
export interface DmaStrategy {
  /** Check the owner bit of every descriptor (owner=CPU is a descriptor error). A new GDMA channel: off (CP DMA, SPI DMA: on). */
  ownerCheck?: boolean;
  /** TX hands consumed descriptors back (owner=CPU). A new GDMA channel: off (CP DMA, SPI DMA: on). */
  autoUpdateDesc?: boolean;
  /**
   * Not ESP-IDF's: the driver leases the buffers of every list it starts for as long as they are in use (as
   * async memcpy does from queueing to completion), so the engine need not walk the list at start to lease
   * them itself. Default false: a memory-to-memory start leases its lists' buffers until the transfer ends.
   */
  driverLeases?: boolean;
}

/**
 * Where a GDMA direction's interrupt events sit in its INT_RAW / INT_ST / INT_ENA / INT_CLR registers
 * (hal/gdma_ll.h GDMA_LL_EVENT_*). 0: the engine has no such event.
 */
export interface DmaRxInterruptBits {
  /** IN_DONE: an RX descriptor's buffer was filled. */
  readonly done: number;
  /** IN_SUC_EOF: a suc_eof was written back. */
  readonly sucEof: number;
  /** IN_ERR_EOF: an EOF with a data error (not raised by this model: no peripheral reports one). */
  readonly errEof: number;
  /** IN_DSCR_ERR: an RX descriptor the engine refused (owner, address, buffer). */
  readonly descrErr: number;
  /** IN_DSCR_EMPTY: the RX list ended before the data did. */
  readonly descrEmpty: number;
}
/** Where a TX direction's events sit in its interrupt registers (see DmaRxInterruptBits). */
export interface DmaTxInterruptBits {
  /** OUT_DONE: a TX descriptor's data was read out. */
  readonly done: number;
  /** OUT_EOF: the descriptor with suc_eof was read out. */
  readonly eof: number;
  /** OUT_DSCR_ERR: a TX descriptor the engine refused. */
  readonly descrErr: number;
  /** OUT_TOTAL_EOF: the TX list's last descriptor was read out. */
  readonly totalEof: number;
}
/** An engine's interrupt bits, per direction. */
export interface DmaInterruptLayout {
  readonly rx: DmaRxInterruptBits;
  readonly tx: DmaTxInterruptBits;
}

/**
 * One channel's interrupt registers, as gdma_ll.h drives them: INT_RAW latches an event whether or not it is
 * enabled, INT_ST is INT_RAW & INT_ENA, INT_CLR clears INT_RAW. While INT_ST is not 0 and the channel's CPU
 * interrupt source is enabled (esp_intr_enable), the channel's ISR runs: gdma.c's (which reads, clears and
 * calls the registerCallbacks callbacks) unless a driver installed its own. An event runs the ISR at its
 * instant; a register write that makes INT_ST non-zero (enable, source enable) runs it in a kernel event at
 * that instant, never inside the call.
 */
export interface DmaChannelInterrupts {
  /** The bits of this channel's direction. */
  readonly bits: DmaRxInterruptBits | DmaTxInterruptBits;
  /** INT_RAW. */
  readonly raw: number;
  /** INT_ST: raw & enabled. */
  readonly status: number;
  /** INT_ENA. */
  readonly enabled: number;
  /** Whether the channel's CPU interrupt source is enabled (esp_intr_enable / esp_intr_disable). */
  readonly sourceEnabled: boolean;
  /** in_suc_eof_des_addr / out_eof_des_addr: the descriptor of the channel's last EOF (kept across stop and start). */
  readonly eofDescriptor: number;
  /**
   * Not a register: the bits of INT_ST latched before the channel's current start and not cleared since (an
   * earlier transfer's events). A driver's own ISR passes those it calls back for to the engine's reportStale.
   */
  readonly staleStatus: number;
  /** gdma_ll_*_enable_interrupt: sets or clears `mask` in INT_ENA (bits outside the direction's are ignored). */
  enable(mask: number, on: boolean): void;
  /** gdma_ll_*_clear_interrupt_status: clears `mask` in INT_RAW. */
  clear(mask: number): void;
  /** esp_intr_enable / esp_intr_disable of the channel's interrupt source. */
  setSourceEnabled(on: boolean): void;
  /**
   * Installs a driver's own ISR (Zephyr's dma_esp32_gdma.c reads and clears the registers itself); undefined
   * restores gdma.c's. The ISR must clear what it handles, as on silicon.
   */
  setHandler(isr: ((channel: DmaChannel) => void) | undefined): void;
}

/** A channel's hardware state. */
export type DmaChannelState = 'idle' | 'running' | 'halted' | 'error';

/** One TX or RX channel of a DMA engine (gdma_channel_handle_t). */
export interface DmaChannel {
  readonly pair: number;
  readonly direction: DmaDir;
  readonly state: DmaChannelState;
  readonly trigger: DmaTrigger | undefined;
  /** Who allocated the channel (newChannel's `owner`, default 'user'): named in `connect-refused` events. */
  readonly owner: string;
  /** gdma_connect: ESP_ERR_INVALID_STATE when already connected or the trigger is in use elsewhere. */
  connect(trigger: DmaTrigger): void;
  /** gdma_disconnect: frees the channel's trigger. */
  disconnect(): void;
  /** gdma_set_priority: 0 .. priorities-1; higher is served first, equals round-robin. */
  setPriority(priority: number): void;
  /** gdma_config_transfer: burst size (a power of two, 0 disables) and external memory access. */
  configTransfer(cfg: DmaTransferConfig): void;
  /** gdma_apply_strategy: owner check and automatic descriptor write-back. */
  applyStrategy(s: DmaStrategy): void;
  /** gdma_register_tx/rx_event_callbacks: replaces the channel's callbacks. */
  registerCallbacks(cbs: DmaChannelCallbacks): void;
  /** gdma_start: runs the list at `descriptorAddr` from its head. ESP_ERR_INVALID_STATE when the ETM owns the start. */
  start(descriptorAddr: number): void;
  /** gdma_stop: halts where the channel is (bytes already moved stay moved). ESP_ERR_INVALID_STATE when the ETM owns the channel. */
  stop(): void;
  /** gdma_append: continues a halted channel from where it stopped. */
  append(): void;
  /** gdma_reset: forgets the position. */
  reset(): void;
  /** The list an ETM START task runs (the link address register). */
  setDescriptorAddr(descriptorAddr: number): void;
  /** gdma_del_channel: stops, disconnects and frees the channel. */
  delete(): void;
  /** The channel's interrupt registers and ISR. */
  readonly interrupts: DmaChannelInterrupts;
}

/** A DMA engine's low-level channel API (`GdmaDriver`, `CpDmaDriver`), for drivers built on it. */
export interface DmaChannelDriver {
  /** Engine name on the bus ('gdma', 'cpdma'). */
  readonly name: string;
  readonly pairs: number;
  readonly maxDescriptorBytes: number;
  /** Whether the engine's descriptors must keep buffers 4-byte aligned with burst enabled (AHB GDMA v1). */
  readonly burstNeedsAlignment: boolean;
  /** The engine's descriptor layout: drivers lay their lists out with it (12 bytes on AHB, 16 on AXI). */
  readonly descriptor: DescriptorFormat;
  /** gdma_new_ahb_channel: a free channel of `direction`, in the same pair as `sibling` when given. ESP_ERR_NOT_FOUND when none. */
  newChannel(direction: DmaDir, opts?: { sibling?: DmaChannel; m2m?: boolean; owner?: string }): DmaChannel;
  /** A TX and an RX channel of one free pair (M2M-capable when `m2m`). ESP_ERR_NOT_FOUND when none. */
  newChannelPair(opts?: { m2m?: boolean; pair?: number; owner?: string }): { tx: DmaChannel; rx: DmaChannel };
  /** gdma_get_free_m2m_trig_id_mask: M2M trigger IDs not in use. */
  freeM2mTriggerMask(): number;
  /** Whether the engine can reach [addr, addr+len) as a data buffer (with PSRAM access allowed). */
  canReach(addr: number, len: number): boolean;
  /** Whether the engine reaches buffers in region `r` at all. */
  reachesRegion(r: Region): boolean;
  /** Bytes moved so far by the pair's memory-to-memory transfers (exact at any instant, partial beats excluded). */
  bytesMoved(pair: number): number;
  /**
   * Peripheral side of a channel connected to a peripheral trigger: the peripheral (SPI, ...) takes up to `n`
   * bytes from the running TX channel's list into `into` at `offset`; returns the bytes taken.
   */
  peripheralRead(tx: DmaChannel, into: Uint8Array, offset: number, n: number): number;
  /** The peripheral delivers `n` bytes to the running RX channel's list; `eof` ends the transaction there. */
  peripheralWrite(rx: DmaChannel, from: Uint8Array, offset: number, n: number, eof: boolean): number;
  /** gdma_new_etm_event (EOF). ESP_ERR_NOT_SUPPORTED without GDMA ETM. */
  newEtmEvent(channel: DmaChannel, kind: 'eof'): EtmEvent;
  /** gdma_new_etm_task (START): from then on the channel refuses software starts. */
  newEtmTask(channel: DmaChannel, kind: 'start'): EtmTask;
}
