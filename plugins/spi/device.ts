import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_SUPPORTED,
  ESP_ERR_TIMEOUT,
} from '../../core/errors.js';
import type { SpiHost } from './caps.js';
import type { SpiHostPort } from './host-port.js';
import type { Job } from './job.js';
import { bounceInCycles, bounceOutCycles, fifoOutCycles, setupCycles, wirePs } from './timing.js';
import type { SpiDevice, SpiTransaction, SpiTransfer } from './types.js';

const noop = (): void => undefined;

/** A transfer object (esp-hal style) over a job: done when the hardware is, its buffers back at `wait()`. */
class TransferImpl implements SpiTransfer {
  private hwWaiters: (() => void)[] = [];
  private waited: Promise<void> | undefined;

  constructor(
    private readonly dev: SpiDeviceImpl,
    private readonly job: Job,
    private readonly what: string,
  ) {}

  /** The hardware finished. */
  hardwareDone(): void {
    const w = this.hwWaiters;
    this.hwWaiters = [];
    for (const f of w) f();
  }

  isDone(): boolean {
    return this.job.hwDone;
  }

  wait(): Promise<void> {
    if (this.waited) return this.waited;
    const bus = this.dev.bus;
    const ctx = bus.ctx;
    const d = ctx.kernel.deferred<void>();
    const finish = (): void => {
      ctx.cpu.workThen(ctx.params.cycles.halDmaWait, () => {
        bus.finish(this.job);
        this.dev.open--;
        const err = bus.failure(this.job, this.what);
        if (err) d.reject(err);
        else d.resolve();
      });
    };
    if (this.job.hwDone) finish();
    else this.hwWaiters.push(finish);
    this.waited = d.promise;
    return d.promise;
  }
}

/**
 * A device on a bus (spi_device_handle_t): its chip select, clock divider, transaction queue and results.
 * The CPU work of each driver phase runs on the target's CPU model, so time spent there is visible to
 * experiments (and delays the driver when the CPU is busy: the model has no preemption).
 */
export class SpiDeviceImpl implements SpiDevice {
  removed = false;
  /** Transfers and ETM-prepared transactions not yet waited for. */
  open = 0;
  private inAir = 0;
  private claimed = 0;
  private polling = false;
  private readonly results: Job[] = [];
  private readonly waiters: ((job: Job) => void)[] = [];

  constructor(
    readonly bus: SpiHostPort,
    readonly cs: number,
    readonly actualClockHz: number,
    private readonly divider: number,
    readonly mode: 0 | 1 | 2 | 3,
    readonly queueSize: number,
  ) {}

  get host(): SpiHost {
    return this.bus.host;
  }
  get inFlight(): number {
    return this.inAir;
  }
  get busy(): boolean {
    return this.inAir > 0 || this.polling || this.open > 0;
  }

  describeBusy(): string {
    const parts: string[] = [];
    if (this.inAir) parts.push(`${this.inAir} queued transaction(s) not fetched with getTransResult`);
    if (this.polling) parts.push('a polling transaction');
    if (this.open) parts.push(`${this.open} transfer(s) not waited for`);
    return parts.join(', ');
  }

  /** Wire time of `bytes` bytes (bits / the divided source clock), in ps. */
  wirePs(bytes: number): number {
    return wirePs(bytes, this.divider, this.bus.ctx.params.sourceClockHz);
  }

  queueTrans(t: SpiTransaction): Promise<void> {
    const what = 'spi_device_queue_trans';
    this.checkLive(what);
    if (this.polling)
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${what}: cannot queue a new transaction while a polling transaction is not terminated`,
      );
    if (this.inAir >= this.queueSize) {
      throw new EspError(
        ESP_ERR_TIMEOUT,
        `${what}: the queue is full (${this.queueSize} transactions in the air; fetch results with getTransResult, or add the device with a larger queueSize)`,
      );
    }
    const job = this.bus.prepare(this, 'queued', t, what);
    this.inAir++;
    const bus = this.bus;
    const ctx = bus.ctx;
    const d = ctx.kernel.deferred<void>();
    ctx.cpu.workThen(ctx.params.cycles.queue + bounceInCycles(ctx, job), () => {
      bus.grant(job, () => this.runQueued(job));
      d.resolve();
    });
    return d.promise;
  }

  getTransResult(): Promise<SpiTransaction> {
    const what = 'spi_device_get_trans_result';
    this.checkLive(what);
    if (this.claimed >= this.inAir) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${what}: no queued transaction is left to wait for (${this.inAir} in the air, ${this.claimed} already being fetched): it would wait forever`,
      );
    }
    this.claimed++;
    const bus = this.bus;
    const ctx = bus.ctx;
    const d = ctx.kernel.deferred<SpiTransaction>();
    const take = (job: Job): void => {
      ctx.cpu.workThen(ctx.params.cycles.result + bounceOutCycles(ctx, job), () => {
        bus.finish(job);
        this.inAir--;
        this.claimed--;
        const err = bus.failure(job, what);
        if (err) d.reject(err);
        else d.resolve(job.t);
      });
    };
    const ready = this.results.shift();
    if (ready) take(ready);
    else this.waiters.push(take);
    return d.promise;
  }

  transmit(t: SpiTransaction): Promise<void> {
    const what = 'spi_device_transmit';
    this.checkLive(what);
    if (this.inAir > 0) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${what}: ${this.inAir} queued transaction(s) are in the air; fetch them with getTransResult first (their result would be taken for this one)`,
      );
    }
    const queued = this.queueTrans(t);
    const d = this.bus.ctx.kernel.deferred<void>();
    queued
      .then(() => this.getTransResult())
      .then(
        () => d.resolve(),
        (e: unknown) => d.reject(e),
      );
    return d.promise;
  }

  pollingTransmit(t: SpiTransaction): Promise<void> {
    const what = 'spi_device_polling_transmit';
    this.checkLive(what);
    if (this.polling)
      throw new EspError(ESP_ERR_INVALID_STATE, `${what}: the previous polling transaction is not terminated`);
    const job = this.bus.prepare(this, 'polling', t, what);
    this.polling = true;
    const bus = this.bus;
    const ctx = bus.ctx;
    const c = ctx.params.cycles;
    const d = ctx.kernel.deferred<void>();
    bus.grant(job, () => {
      ctx.cpu.workThen(c.pollingStart + bounceInCycles(ctx, job) + setupCycles(c, job), () => {
        bus.wire(job, () => {
          ctx.cpu.workThen(c.pollingEnd + fifoOutCycles(c, job) + bounceOutCycles(ctx, job), () => {
            bus.finish(job);
            this.polling = false;
            bus.release(job);
            const err = bus.failure(job, what);
            if (err) d.reject(err);
            else d.resolve();
          });
        });
        // the CPU spins on the done bit for the whole wire time
        ctx.cpu.workThen((this.wirePs(job.length) * ctx.cpu.freqHz) / 1e12, noop);
      });
    });
    return d.promise;
  }

  transfer(t: SpiTransaction): SpiTransfer {
    const what = 'spi transfer';
    this.checkLive(what);
    if (!this.bus.dmaEnabled)
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        `${what}: the DMA transfer needs a bus with DMA (${this.host} was initialized with dma: 'disabled')`,
      );
    const job = this.bus.prepare(this, 'transfer', t, what);
    this.open++;
    const tr = new TransferImpl(this, job, what);
    const bus = this.bus;
    const ctx = bus.ctx;
    const c = ctx.params.cycles;
    bus.grant(job, () => {
      ctx.cpu.workThen(c.halDmaStart + c.dmaPerDescriptor * job.descriptors, () => {
        bus.wire(job, () => {
          bus.release(job);
          tr.hardwareDone();
        });
      });
    });
    return tr;
  }

  prepareEtmTransaction(t: SpiTransaction): SpiTransfer {
    const what = 'spi_prepare_etm_transaction';
    this.checkLive(what);
    const bus = this.bus;
    const ctx = bus.ctx;
    if (ctx.params.etmStartTaskIds[this.host] === undefined) {
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        `${what}: ${this.host} has no ETM start task on this target (beyond silicon: caps.spi.etm)`,
      );
    }
    if (!bus.dmaEnabled)
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        `${what}: an ETM-started transaction needs DMA (${this.host} has dma: 'disabled')`,
      );
    if (bus.prepared)
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `${what}: a transaction is already prepared on ${this.host}; let the ETM start it (or wait for it) first`,
      );
    const job = bus.prepare(this, 'etm', t, what);
    try {
      job.lists = bus.port!.allocLists(job.length);
    } catch (e) {
      bus.discard(job);
      throw e;
    }
    this.open++;
    const tr = new TransferImpl(this, job, what);
    job.onEtmDone = () => tr.hardwareDone();
    bus.prepared = job;
    // the descriptors and registers are programmed now, by the CPU; the start is the ETM's
    ctx.cpu.workThen(ctx.params.cycles.dmaSetup + ctx.params.cycles.dmaPerDescriptor * job.descriptors, noop);
    return tr;
  }

  private runQueued(job: Job): void {
    const bus = this.bus;
    const ctx = bus.ctx;
    const c = ctx.params.cycles;
    // both phases run in the driver's interrupt handler (spi_intr in spi_master.c)
    ctx.cpu.isr(c.isrStart + setupCycles(c, job), () => {
      bus.wire(job, () => {
        ctx.cpu.isr(c.isrDone + fifoOutCycles(c, job), () => {
          this.deliver(job);
          bus.release(job);
        });
      });
    });
  }

  private deliver(job: Job): void {
    const w = this.waiters.shift();
    if (w) w(job);
    else this.results.push(job);
  }

  private checkLive(what: string): void {
    this.bus.checkLive(what);
    if (this.removed)
      throw new EspError(ESP_ERR_INVALID_ARG, `${what}: invalid dev handle (the device was removed from ${this.host})`);
  }
}
