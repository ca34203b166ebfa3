import type { EspError } from '../../core/errors.js';
import type { SpiHost } from './caps.js';
import type { SpiContext } from './context.js';
import type { SpiDmaPort } from './dma-port.js';
import type { Job, JobKind } from './job.js';
import type { SpiTransaction } from './types.js';

/**
 * What a device needs of its host (implemented by SpiBusImpl): checking and claiming a transaction, the bus
 * lock, the wire, and giving everything back. Devices see the bus only through this.
 */
export interface SpiHostPort {
  readonly ctx: SpiContext;
  readonly host: SpiHost;
  readonly dmaEnabled: boolean;
  /** The host's DMA (undefined with dma: 'disabled'). */
  readonly port: SpiDmaPort | undefined;
  /** The ETM-prepared transaction, waiting for the host's ETM start task. */
  prepared: Job | undefined;
  /** Checks a transaction and claims its buffers (bounce buffers where needed); throws with nothing changed. */
  prepare(dev: Job['device'], kind: JobKind, t: SpiTransaction, what: string): Job;
  /** Waits for the bus (the bus lock); `begin` runs when it is the job's turn. */
  grant(job: Job, begin: () => void): void;
  /** Runs `job` on the wire now; `done` when the hardware has finished. */
  wire(job: Job, done: () => void): void;
  /** The job is finished with the bus: the next one starts. */
  release(job: Job): void;
  /** Copies an RX bounce back and gives the job's memory and buffers back. */
  finish(job: Job): void;
  /** Gives the job's memory and buffers back without copying anything. */
  discard(job: Job): void;
  /** An EspError for a job the DMA failed, or undefined. */
  failure(job: Job, what: string): EspError | undefined;
  /** Throws ESP_ERR_INVALID_STATE once the bus is freed. */
  checkLive(what: string): void;
}
