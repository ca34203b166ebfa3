import type { SpiHost } from './caps.js';
import type { EtmTask } from '../contracts/etm.js';

/** spi_bus_config_t + the DMA choice of spi_bus_initialize. */
export interface SpiBusConfig {
  /** max_transfer_sz in bytes; 0 or absent: 4092 with DMA (rounded up to whole descriptors), 64 without. */
  maxTransferSize?: number;
  /**
   * SPI_DMA_CH_AUTO ('auto', the default) or SPI_DMA_DISABLED. On the ESP32 a channel may also be named
   * (1 or 2: SPI_DMA_CH1/CH2), as spi_bus_initialize allows there.
   */
  dma?: 'auto' | 'disabled' | 1 | 2;
  /** MOSI wired to MISO (the esp-hal exercise that connects two pins): RX receives exactly the TX bytes. */
  loopback?: boolean;
}

/** spi_device_interface_config_t, the parts this model uses. */
export interface SpiDeviceConfig {
  clockSpeedHz: number;
  mode?: 0 | 1 | 2 | 3;
  /** Transactions in the air (queued and not yet fetched with getTransResult). Default 7. */
  queueSize?: number;
}

/** spi_transaction_t in bytes: `tx` and `rx` are simulated addresses. Full duplex: rxLength <= length. */
export interface SpiTransaction {
  tx: number;
  rx?: number;
  length: number;
  /** Bytes to receive (default, or 0: `length`, as full duplex spi_transaction_t's rxlength 0). */
  rxLength?: number;
  /** Free for the caller (spi_transaction_t.user). */
  user?: unknown;
}

/** An esp-hal style transfer: owns its buffers until `wait()` hands them back. */
export interface SpiTransfer {
  /** The hardware has finished (the buffers are still the transfer's until `wait()`). */
  isDone(): boolean;
  /** Resolves once the transfer is done and its buffers are released; rejects if the DMA failed. */
  wait(): Promise<void>;
}

/** A device on an SPI bus (spi_device_handle_t): transactions in bytes, full duplex. */
export interface SpiDevice {
  readonly host: SpiHost;
  /** The chip select the device got (0-based). */
  readonly cs: number;
  /** The SCLK the divider gives (spi_device_get_actual_freq). */
  readonly actualClockHz: number;
  /** spi_device_transmit: queue and wait for this transaction's result. */
  transmit(t: SpiTransaction): Promise<void>;
  /**
   * spi_device_queue_trans with ticks_to_wait = 0: refused at once (EspError, nothing queued) when invalid or
   * when `queueSize` transactions are already in the air (ESP_ERR_TIMEOUT). Resolves when the call returns.
   */
  queueTrans(t: SpiTransaction): Promise<void>;
  /** spi_device_get_trans_result: the oldest finished transaction, waiting for it if needed. */
  getTransResult(): Promise<SpiTransaction>;
  /** spi_device_polling_transmit: the CPU spins until the transaction is done. */
  pollingTransmit(t: SpiTransaction): Promise<void>;
  /** esp-hal's DMA `transfer`: returns at once with the transfer; the CPU is free meanwhile. */
  transfer(t: SpiTransaction): SpiTransfer;
  /**
   * Beyond silicon (targets with caps.spi.etm): programs `t` into the host so that its ETM task
   * "start transaction" runs it with no CPU involved. One prepared transaction per host.
   */
  prepareEtmTransaction(t: SpiTransaction): SpiTransfer;
  /** Transactions in the air (queued, running, or done and not fetched). */
  readonly inFlight: number;
}

/** An initialized SPI bus (one host): devices are added to it. */
export interface SpiBus {
  readonly host: SpiHost;
  readonly dmaEnabled: boolean;
  /** The effective max_transfer_sz. */
  readonly maxTransferSize: number;
  /** spi_bus_add_device: ESP_ERR_INVALID_ARG for a bad clock or mode, ESP_ERR_NOT_FOUND when no chip select is free. */
  addDevice(cfg: SpiDeviceConfig): SpiDevice;
  /** spi_bus_remove_device: ESP_ERR_INVALID_STATE while it has transactions in the air. */
  removeDevice(dev: SpiDevice): void;
  /** spi_bus_free: ESP_ERR_INVALID_STATE while devices remain. */
  free(): void;
  /** Beyond silicon: the host's ETM task that starts its prepared transaction (ESP_ERR_NOT_SUPPORTED elsewhere). */
  newEtmTask(kind: 'start-transaction'): EtmTask;
}

/** The SPI master driver (`Spi` token). */
export interface SpiService {
  /** spi_bus_initialize: ESP_ERR_INVALID_ARG for a host the target lacks, ESP_ERR_INVALID_STATE when already initialized. */
  busInitialize(host: SpiHost, cfg?: SpiBusConfig): SpiBus;
}

/** Bus events of source 'spi' (for trace and VCD writers). */
export interface SpiTransEvent {
  host: SpiHost;
  device: number;
  length: number;
  dma: boolean;
}
/** The events the SPI plugin publishes on the bus (source 'spi'). */
export type SpiBusEvents = {
  'trans-start': SpiTransEvent;
  'trans-done': SpiTransEvent;
  /** An ETM start arrived with nothing prepared or the host busy: the hardware ignores it. */
  'etm-start-ignored': { host: SpiHost; reason: string };
  /** A transaction's buffers are bounced through DMA-capable internal memory: the CPU cycles that costs. */
  bounce: SpiBounceEvent;
  /**
   * A DMA transaction refused (ESP_ERR_INVALID_ARG "txdata transfer > host maximum") because it is longer than the
   * descriptor list spi_bus_initialize allocated for max_transfer_sz: `descriptors` of `perDescriptor` bytes.
   */
  'descriptor-limit': {
    host: SpiHost;
    length: number;
    maxTransferSize: number;
    descriptors: number;
    perDescriptor: number;
  };
};
/** Data of the SPI `bounce` event: which buffers were copied, where they were, and the CPU time of it. */
export interface SpiBounceEvent {
  host: SpiHost;
  device: number;
  length: number;
  tx: boolean;
  rx: boolean;
  /** Region names of the caller's buffers, and why each was bounced. */
  why: string[];
  /** CPU cycles of the bounce allocations and copies (in and out), and the same in picoseconds. */
  cycles: number;
  cpuPs: number;
}
