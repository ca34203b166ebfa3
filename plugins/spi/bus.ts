import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NO_MEM,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  ESP_FAIL,
  hex,
} from '../../core/errors.js';
import type { Region } from '../../core/memory/memory.js';
import type { SpiHost } from './caps.js';
import { stampEtmHandle, type EtmTask } from '../contracts/etm.js';
import type { SpiContext } from './context.js';
import { SpiDeviceImpl } from './device.js';
import type { DescriptorLists, SpiDmaPort } from './dma-port.js';
import type { SpiHostPort } from './host-port.js';
import { SPI_DESC_MAX } from './params.js';
import { Job, type JobKind } from './job.js';
import { bounceInCycles, bounceOutCycles, clockDivider } from './timing.js';
import type { SpiBus, SpiDevice, SpiDeviceConfig, SpiTransaction } from './types.js';

/**
 * One initialized SPI host: its devices, its DMA (or none), and the hardware that runs one transaction at a
 * time. Transactions wait for the bus in the order they were issued (the bus lock); each takes CPU time to
 * start, then bits / SCLK on the wire, then CPU time to finish, all on the target's one CPU (`Core.Cpu`).
 */
export class SpiBusImpl implements SpiBus, SpiHostPort {
  readonly devices: (SpiDeviceImpl | undefined)[];
  /** Set once freed: every call is refused. */
  freed = false;
  /** The ETM-prepared transaction, waiting for the host's ETM start task. */
  prepared: Job | undefined;
  private readonly waiting: Job[] = [];
  private waitHead = 0;
  private active: Job | undefined;
  private readonly staging: Uint8Array;
  private readonly ones: Uint8Array;

  constructor(
    readonly ctx: SpiContext,
    readonly host: SpiHost,
    readonly maxTransferSize: number,
    readonly loopback: boolean,
    readonly port: SpiDmaPort | undefined,
    private readonly lists: DescriptorLists | undefined,
    private readonly onFree: () => void,
  ) {
    this.devices = new Array<SpiDeviceImpl | undefined>(ctx.params.csPerHost[host]).fill(undefined);
    this.staging = new Uint8Array(maxTransferSize);
    this.ones = new Uint8Array(maxTransferSize).fill(0xff);
  }

  get dmaEnabled(): boolean {
    return this.port !== undefined;
  }

  addDevice(cfg: SpiDeviceConfig): SpiDevice {
    this.checkLive('spi_bus_add_device');
    if (cfg === null || typeof cfg !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'spi_bus_add_device: config must be an object');
    const src = this.ctx.params.sourceClockHz;
    const hz = cfg.clockSpeedHz;
    // clock_speed_hz is a C int: a fraction of a hertz is not a clock the driver can be asked for
    if (typeof hz !== 'number' || !Number.isSafeInteger(hz) || hz <= 0 || hz > src) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `spi_bus_add_device: invalid sclk speed ${String(hz)} Hz (a whole number of Hz, 1 .. ${src} Hz, the source clock)`,
      );
    }
    const mode = cfg.mode ?? 0;
    if (mode !== 0 && mode !== 1 && mode !== 2 && mode !== 3)
      throw new EspError(ESP_ERR_INVALID_ARG, `spi_bus_add_device: mode must be 0..3, got ${String(cfg.mode)}`);
    // DESIGN.md's contract adds devices without a queue size, so an omitted one is 7 (spi_master examples');
    // an explicit 0 fails as in ESP-IDF: xQueueCreate(0, ...) returns NULL and the driver reports ESP_ERR_NO_MEM
    const queueSize = cfg.queueSize ?? 7;
    if (queueSize === 0)
      throw new EspError(
        ESP_ERR_NO_MEM,
        'spi_bus_add_device: queueSize 0: xQueueCreate cannot make a queue of 0 transactions (no mem); give queue_size >= 1',
      );
    if (!Number.isSafeInteger(queueSize) || queueSize < 1)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `spi_bus_add_device: queueSize must be a positive integer, got ${String(cfg.queueSize)}`,
      );
    const cs = this.devices.indexOf(undefined);
    if (cs < 0)
      throw new EspError(
        ESP_ERR_NOT_FOUND,
        `spi_bus_add_device: no free cs pins for the host (${this.host} has ${this.devices.length})`,
      );
    // below the slowest SCLK the divider can make, spi_ll_master_cal_clock takes the largest pre-divider and
    // n = 64 (ESP-IDF test_spi_master.c: 1 Hz gives {SPI_LL_MAX_PRE_DIV_NUM, 64})
    const div = Math.min(this.ctx.params.maxDivider, clockDivider(src, hz));
    const dev = new SpiDeviceImpl(this, cs, src / div, div, mode, queueSize);
    this.devices[cs] = dev;
    return dev;
  }

  removeDevice(dev: SpiDevice): void {
    this.checkLive('spi_bus_remove_device');
    const d = this.own(dev);
    if (d.busy)
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `spi_bus_remove_device: have unfinished transactions (${d.describeBusy()})`,
      );
    this.devices[d.cs] = undefined;
    d.removed = true;
  }

  free(): void {
    this.checkLive('spi_bus_free');
    const n = this.devices.filter((d) => d !== undefined).length;
    if (n > 0)
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `spi_bus_free: not all CSses freed (${n} device${n > 1 ? 's' : ''} still on ${this.host}; remove them first)`,
      );
    if (this.lists) this.port!.freeLists(this.lists);
    this.port?.release();
    this.freed = true;
    this.onFree();
  }

  newEtmTask(kind: 'start-transaction'): EtmTask {
    this.checkLive('spi_new_etm_task');
    if (kind !== 'start-transaction')
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `spi_new_etm_task: unknown task "${String(kind)}" (only 'start-transaction')`,
      );
    const id = this.ctx.params.etmStartTaskIds[this.host];
    if (id === undefined)
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        `spi_new_etm_task: ${this.host} has no ETM task on this target (SPI ETM is beyond silicon: caps.spi.etm)`,
      );
    return stampEtmHandle(this.ctx.kernel, { id });
  }

  // ---- transactions ----

  /**
   * Checks a transaction (check_trans_valid), then claims its buffers and sets up bounce buffers
   * (setup_priv_desc). Throws with nothing changed when refused.
   */
  prepare(dev: Job['device'], kind: JobKind, t: SpiTransaction, what: string): Job {
    this.checkLive(what);
    if (t === null || typeof t !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, `${what}: the transaction must be an object`);
    const length = t.length;
    if (!Number.isSafeInteger(length) || length < 1)
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: length must be a positive number of bytes, got ${String(length)}`,
      );
    const hasRx = t.rx !== undefined;
    let rxLength = 0;
    if (hasRx) {
      rxLength = t.rxLength ?? 0;
      if (!Number.isSafeInteger(rxLength) || rxLength < 0)
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `${what}: rxLength must be a non-negative number of bytes, got ${String(t.rxLength)}`,
        );
      if (rxLength === 0) rxLength = length; // full duplex: rxlength 0 means length
      if (rxLength > length)
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `${what}: rx length > tx length in full duplex mode (${rxLength} > ${length})`,
        );
    }
    if (length > this.maxTransferSize) {
      if (this.port && this.ctx.events.observes('descriptor-limit'))
        this.ctx.events.emit('descriptor-limit', {
          host: this.host,
          length,
          maxTransferSize: this.maxTransferSize,
          descriptors: Math.ceil(this.maxTransferSize / SPI_DESC_MAX),
          perDescriptor: SPI_DESC_MAX,
        });
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: txdata transfer > host maximum (${length} > ${this.maxTransferSize} bytes${this.port ? '' : ': without DMA the FIFO holds ' + this.maxTransferSize})`,
      );
    }
    const dma = this.port !== undefined;
    if (dma && length > this.ctx.params.dmaMaxBytes) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: txdata transfer > hardware max supported len (${length} > ${this.ctx.params.dmaMaxBytes} bytes)`,
      );
    }
    const mem = this.ctx.memory;
    const txRegion = mem.readableRegion(t.tx, length, `${what}: tx buffer`);
    const rxRegion = hasRx ? mem.writableRegion(t.rx!, rxLength, `${what}: rx buffer`) : undefined;
    const job = new Job(dev, kind, t, length, rxLength, dma);
    job.txRegion = txRegion;
    job.rxRegion = rxRegion;
    job.send = t.tx;
    job.rcv = hasRx ? t.rx! : 0;
    this.takeLeases(job, what);
    try {
      if (dma) this.setupBounce(job, kind === 'transfer' || kind === 'etm', what);
    } catch (e) {
      this.discard(job);
      throw e;
    }
    return job;
  }

  /** Waits for the bus (the bus lock); `job.begin` is called when it is the job's turn. */
  grant(job: Job, begin: () => void): void {
    job.begin = begin;
    this.waiting.push(job);
    if (!this.active) this.next();
  }

  /** The active job is finished with the bus: the next one starts. */
  release(job: Job): void {
    if (this.active !== job) return;
    this.active = undefined;
    this.next();
  }

  get idle(): boolean {
    return this.active === undefined && this.waitHead >= this.waiting.length;
  }

  /**
   * Runs `job` on the wire now: DMA lists loaded and started (or the FIFO filled), bits / SCLK of wire time,
   * TX bytes pulled from the DMA when the last of them enters the FIFO, RX bytes delivered at the end.
   */
  wire(job: Job, done: () => void): void {
    const dev = job.device;
    const ctx = this.ctx;
    const port = this.port;
    const lists = job.lists ?? this.lists;
    if (port) {
      port.load(lists!, job.send, job.length, job.rcv, job.rxLength);
      port.start(lists!, job.rcv !== 0);
    } else {
      const r = job.txRegion;
      const o = job.send - r.base;
      this.staging.set(r.bytes.subarray(o, o + job.length));
    }
    const ev = { host: this.host, device: dev.cs, length: job.length, dma: port !== undefined };
    if (ctx.events.observes('trans-start')) ctx.events.emit('trans-start', ev);
    const total = dev.wirePs(job.length);
    if (port) {
      // the TX DMA has handed its last byte over when that byte enters the FIFO
      const pull = dev.wirePs(Math.max(0, job.length - ctx.params.fifoBytes));
      const read = (): void => {
        if (port.readTx(this.staging, job.length) < job.length) job.error = port.error ?? 'the TX list ended early';
      };
      if (pull === 0) read();
      else ctx.kernel.schedule(pull, read, 'spi');
    }
    ctx.kernel.schedule(
      total,
      () => {
        if (job.rcv && !job.error) {
          const from = this.loopback ? this.staging : this.ones;
          if (port) {
            if (port.writeRx(from, job.rxLength) < job.rxLength) job.error = port.error ?? 'the RX list ended early';
          } else {
            const r = job.rxRegion!;
            r.bytes.set(from.subarray(0, job.rxLength), job.rcv - r.base);
          }
        }
        job.hwDone = true;
        if (ctx.events.observes('trans-done')) ctx.events.emit('trans-done', ev);
        done();
      },
      'spi',
    );
  }

  /** Copies an RX bounce back, frees bounce and list memory, releases the caller's buffers. */
  finish(job: Job): void {
    if (job.rxBounce && !job.error) {
      const r = job.rxRegion!;
      const b = this.ctx.memory.regionAt(job.rxBounce)!;
      const o = job.rxBounce - b.base;
      r.bytes.set(b.bytes.subarray(o, o + job.rxLength), job.t.rx! - r.base);
    }
    this.discard(job);
  }

  /** An EspError for a job the DMA failed (descriptor error), or undefined. */
  failure(job: Job, what: string): EspError | undefined {
    return job.error
      ? new EspError(ESP_FAIL, `${what}: the DMA stopped on a descriptor error: ${job.error}`)
      : undefined;
  }

  /** The ETM start task: runs the prepared transaction if the host is idle. */
  etmStart(): void {
    const job = this.prepared;
    if (!job || !this.idle) {
      if (this.ctx.events.observes('etm-start-ignored'))
        this.ctx.events.emit('etm-start-ignored', {
          host: this.host,
          reason: job ? 'the host is busy' : 'no transaction is prepared',
        });
      return;
    }
    this.prepared = undefined;
    this.active = job;
    this.wire(job, () => {
      this.release(job);
      job.onEtmDone?.();
    });
  }

  // ---- internals ----

  private next(): void {
    while (!this.active && this.waitHead < this.waiting.length) {
      const job = this.waiting[this.waitHead++]!;
      if (this.waitHead === this.waiting.length) {
        this.waiting.length = 0;
        this.waitHead = 0;
      }
      this.active = job;
      const begin = job.begin!;
      job.begin = undefined;
      try {
        begin();
      } catch (e) {
        this.ctx.faults.report('spi', e);
        this.active = undefined;
      }
    }
  }

  private takeLeases(job: Job, what: string): void {
    const { t } = job;
    const holder = `${this.host} transaction`;
    const leases = this.ctx.memory.leases;
    const a0 = t.tx;
    const a1 = t.tx + job.length;
    try {
      if (job.rcv) {
        const b0 = job.rcv;
        const b1 = job.rcv + job.rxLength;
        if (b0 < a1 && a0 < b1) {
          job.leases.push(leases.take(Math.min(a0, b0), Math.max(a1, b1) - Math.min(a0, b0), holder));
          return;
        }
        job.leases.push(leases.take(b0, job.rxLength, holder));
      }
      // the TX buffer is only read: shared, so that a DMA may still be filling it for a transaction the ETM
      // starts at its copy-done (spi-etm-chain); writes and frees stay refused
      job.leases.push(leases.take(a0, job.length, holder, { shared: true }));
    } catch (e) {
      for (const l of job.leases) l.release();
      job.leases = [];
      if (e instanceof EspError) throw new EspError(e.code, `${what}: ${e.message.replace(/^ESP_ERR_[A-Z_]+: /, '')}`);
      throw e;
    }
  }

  /**
   * setup_priv_desc: a TX buffer the DMA cannot read, or an RX buffer it cannot write or that is not word
   * aligned, goes through a DMA-capable temporary. `strict` (esp-hal, ETM): refused instead.
   */
  private setupBounce(job: Job, strict: boolean, what: string): void {
    const port = this.port!;
    const mem = this.ctx.memory;
    const ok = (r: Region): boolean => (strict ? port.reachable(r) : port.usable(r));
    const txOk = ok(job.txRegion);
    const rxOk = !job.rcv || (ok(job.rxRegion!) && (job.rcv & 3) === 0);
    if (strict && (!txOk || !rxOk)) {
      const which = !txOk
        ? `tx buffer in ${job.txRegion.name}`
        : `rx buffer in ${job.rxRegion!.name}${job.rcv & 3 ? ', not word aligned' : ''}`;
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${what}: ${which}: the DMA cannot use it (esp-hal: UnsupportedMemoryRegion / InvalidAlignment); use DMA-capable internal memory`,
      );
    }
    if (!txOk) {
      job.txBounce = mem.alloc((job.length + 3) & ~3, { caps: ['dma', 'internal'], align: 4 });
      const b = mem.regionAt(job.txBounce)!;
      const o = job.t.tx - job.txRegion.base;
      b.bytes.set(job.txRegion.bytes.subarray(o, o + job.length), job.txBounce - b.base);
      job.send = job.txBounce;
    }
    if (!rxOk) {
      job.rxBounce = mem.alloc((job.rxLength + 3) & ~3, { caps: ['dma', 'internal'], align: 4 });
      job.rcv = job.rxBounce;
    }
    if ((!txOk || !rxOk) && this.ctx.events.observes('bounce')) {
      const why: string[] = [];
      if (!txOk)
        why.push(
          `tx buffer ${hex(job.t.tx)} in ${job.txRegion.name} (${job.txRegion.kind}${job.txRegion.dmaCapable ? '' : ', not DMA-capable'})`,
        );
      if (!rxOk) {
        const r = job.rxRegion!;
        why.push(
          `rx buffer ${hex(job.t.rx!)} in ${r.name} (${port.usable(r) ? 'not word aligned' : r.kind + (r.dmaCapable ? '' : ', not DMA-capable')})`,
        );
      }
      const cycles = bounceInCycles(this.ctx, job) + bounceOutCycles(this.ctx, job);
      this.ctx.events.emit('bounce', {
        host: this.host,
        device: job.device.cs,
        length: job.length,
        tx: !txOk,
        rx: !rxOk,
        why,
        cycles,
        cpuPs: Math.round((cycles * 1e12) / this.ctx.cpu.freqHz),
      });
    }
  }

  discard(job: Job): void {
    const mem = this.ctx.memory;
    if (job.txBounce) {
      mem.free(job.txBounce);
      job.txBounce = 0;
    }
    if (job.rxBounce) {
      mem.free(job.rxBounce);
      job.rxBounce = 0;
    }
    if (job.lists) {
      this.port!.freeLists(job.lists);
      job.lists = undefined;
    }
    for (const l of job.leases) l.release();
    job.leases = [];
  }

  checkLive(what: string): void {
    if (this.freed)
      throw new EspError(ESP_ERR_INVALID_STATE, `${what}: ${this.host} was freed (spi_bus_free); initialize it again`);
  }

  private own(dev: SpiDevice): SpiDeviceImpl {
    if (!(dev instanceof SpiDeviceImpl) || dev.bus !== this || this.devices[dev.cs] !== dev) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `spi_bus_remove_device: not a device of ${this.host} (or already removed)`,
      );
    }
    return dev;
  }
}
