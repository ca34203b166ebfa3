/**
 * The Zephyr DMA API (include/zephyr/drivers/dma.h) as the kit's DMA controllers provide it. GDMA and CP DMA
 * both implement DmaController; errors are DmaError with Zephyr's negative errno.
 */

/** Callback status values (dma.h). Negative values are errnos. */
export const DMA_STATUS_COMPLETE = 0;
/** Callback status: one block of the list is done (only with `completeCallbackEn`). */
export const DMA_STATUS_BLOCK = 1;
/** Callback status: half of a block is done (defined by dma.h; not reported by these engines). */
export const DMA_STATUS_HALF_COMPLETE = 2;

/** The transfer direction of a channel (dma.h `channel_direction`). */
export type DmaDirection = 'memory-to-memory' | 'memory-to-peripheral' | 'peripheral-to-memory';

/** One block of a transfer (dma.h `dma_block_config`): source, destination and size in bytes. */
export interface DmaBlock {
  src: number;
  dst: number;
  size: number;
}

/** A channel's configuration (dma.h `dma_config`). */
export interface DmaConfig {
  direction: DmaDirection;
  /** One descriptor chain per block list. */
  blocks: DmaBlock[];
  burstLength?: number;
  priority?: number;
  /** Then every block but the last reports status 1 (BLOCK); the list's end reports 0 (COMPLETE). */
  completeCallbackEn?: boolean;
  errorCallbackDis?: boolean;
  cyclic?: boolean;
  /** "ISR context": may config/start/stop its channel; a stop of a running transfer reports -140 once. */
  callback?: (channel: number, status: number) => void;
}

/** What `dma_get_status` reports: exact at any simulated instant. */
export interface DmaStatus {
  busy: boolean;
  pendingLength: number;
  totalCopied: number;
  dir?: DmaDirection;
}

/** A DMA controller through the Zephyr DMA API; every call is legal from a callback ("ISR context"). */
export interface DmaController {
  /** Channels usable memory-to-memory. */
  readonly channelCount: number;
  /** Set where the face has no upstream Zephyr driver behind it (CP DMA): says so. */
  readonly beyondUpstream?: string | undefined;
  /** `dma_request_channel`: a free channel; -EINVAL when none is free. */
  requestChannel(): number;
  /** `dma_release_channel`: stops the channel and makes it free again. */
  releaseChannel(channel: number): void;
  /** `dma_config`: builds the channel's descriptor chain (from its pool) -> Configured; -EINVAL on a bad config. */
  config(channel: number, cfg: DmaConfig): void;
  /** `dma_start`: Configured -> Running; starting a running channel succeeds and changes nothing. */
  start(channel: number): void;
  /** `dma_stop`: any state -> Configured; a running transfer reports -ECANCELED once; stopping a stopped one succeeds. */
  stop(channel: number): void;
  /** `dma_suspend`: Running -> Suspended, else -EINVAL. */
  suspend(channel: number): void;
  /** `dma_resume`: Suspended -> Running, else -EINVAL. */
  resume(channel: number): void;
  /** `dma_reload`: a new single block for the channel's next start. */
  reload(channel: number, src: number, dst: number, size: number): void;
  /** `dma_get_status`: busy, pending length and bytes copied, exact at this instant. */
  getStatus(channel: number): DmaStatus;
}
