/**
 * The Zephyr DMA API (include/zephyr/drivers/dma.h) as the kit's DMA controllers provide it. GDMA and CP DMA
 * both implement DmaController; errors are DmaError with Zephyr's negative errno.
 */

/** Callback status values (dma.h). Negative values are errnos. */
export const DMA_STATUS_COMPLETE = 0;
export const DMA_STATUS_BLOCK = 1;
export const DMA_STATUS_HALF_COMPLETE = 2;

export type DmaDirection = 'memory-to-memory' | 'memory-to-peripheral' | 'peripheral-to-memory';

export interface DmaBlock { src: number; dst: number; size: number }

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

export interface DmaStatus { busy: boolean; pendingLength: number; totalCopied: number; dir?: DmaDirection }

export interface DmaController {
  /** Channels usable memory-to-memory. */
  readonly channelCount: number;
  requestChannel(): number;
  releaseChannel(channel: number): void;
  config(channel: number, cfg: DmaConfig): void;
  start(channel: number): void;
  stop(channel: number): void;
  suspend(channel: number): void;
  resume(channel: number): void;
  reload(channel: number, src: number, dst: number, size: number): void;
  getStatus(channel: number): DmaStatus;
}
