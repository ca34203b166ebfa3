import { EspError, ESP_ERR_INVALID_ARG } from '../../../core/errors.js';
import type {
  DmaChannel,
  DmaChannelInterrupts,
  DmaInterruptLayout,
  DmaRxInterruptBits,
  DmaTxInterruptBits,
} from './channel-api.js';

/**
 * The interrupt bits of one register per direction (GDMA_LL_EVENT_* of hal/gdma_ll.h on the ESP32-S3, -C6 and
 * -P4, whose AXI GDMA's axi_dma_ll.h takes them from the same gdma_ll.h): RX DONE 0, SUC_EOF 1, ERR_EOF 2,
 * DESC_ERROR 3, DESC_EMPTY 4; TX DONE 0, EOF 1, DESC_ERROR 2, TOTAL_EOF 3. The FIFO overflow/underflow and
 * watermark bits are not modelled (the model has no FIFO).
 */
export const GDMA_INTERRUPTS: DmaInterruptLayout = {
  rx: { done: 1 << 0, sucEof: 1 << 1, errEof: 1 << 2, descrErr: 1 << 3, descrEmpty: 1 << 4 },
  tx: { done: 1 << 0, eof: 1 << 1, descrErr: 1 << 2, totalEof: 1 << 3 },
};

/**
 * The ESP32-C3's layout (hal/esp32c3/include/hal/gdma_ll.h): one register per pair (`dev->intr[channel]`), RX
 * and TX bits interleaved and masked by GDMA_LL_RX_EVENT_MASK 0x06A7 / GDMA_LL_TX_EVENT_MASK 0x1958: RX DONE 0,
 * SUC_EOF 1, ERR_EOF 2, DESC_ERROR 5, DESC_EMPTY 7; TX DONE 3, EOF 4, DESC_ERROR 6, TOTAL_EOF 8. Every ll call
 * masks with its direction's mask, so a register per direction with these bits behaves the same.
 */
export const GDMA_INTERRUPTS_C3: DmaInterruptLayout = {
  rx: { done: 1 << 0, sucEof: 1 << 1, errEof: 1 << 2, descrErr: 1 << 5, descrEmpty: 1 << 7 },
  tx: { done: 1 << 3, eof: 1 << 4, descrErr: 1 << 6, totalEof: 1 << 8 },
};

/** The names of a direction's bits, lowest first ('IN_SUC_EOF', 'OUT_EOF', ...), for messages. */
export function interruptNames(bits: DmaRxInterruptBits | DmaTxInterruptBits, mask: number): string[] {
  const names: [number, string][] =
    'sucEof' in bits
      ? [
          [bits.done, 'IN_DONE'],
          [bits.sucEof, 'IN_SUC_EOF'],
          [bits.errEof, 'IN_ERR_EOF'],
          [bits.descrErr, 'IN_DSCR_ERR'],
          [bits.descrEmpty, 'IN_DSCR_EMPTY'],
        ]
      : [
          [bits.done, 'OUT_DONE'],
          [bits.eof, 'OUT_EOF'],
          [bits.descrErr, 'OUT_DSCR_ERR'],
          [bits.totalEof, 'OUT_TOTAL_EOF'],
        ];
  return names
    .filter(([b]) => b !== 0 && (mask & b) !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([, n]) => n);
}

/** What the registers need of the engine: a deferred look at a channel whose INT_ST a register write made non-zero. */
export interface InterruptHost {
  readonly name: string;
  /** Runs the channel's ISR in a kernel event at this instant if INT_ST is still non-zero and the source enabled. */
  deferIsr(channel: DmaChannel): void;
}

/** Every bit a mask argument may hold: a 32-bit register value. */
function checkMask(host: InterruptHost, what: string, mask: unknown): number {
  if (typeof mask !== 'number' || !Number.isInteger(mask) || mask < 0 || mask > 0xffff_ffff) {
    throw new EspError(
      ESP_ERR_INVALID_ARG,
      `${host.name}: ${what}: the mask must be a 32-bit unsigned integer (a register value), got ${String(mask)}`,
    );
  }
  return mask >>> 0;
}

/**
 * One channel's INT_RAW / INT_ENA / INT_CLR, its interrupt source and its ISR, plus what diagnostics need to
 * tell an interrupt of the current run from one latched before it (`staleMask`).
 */
export class ChannelInterrupts implements DmaChannelInterrupts {
  raw = 0;
  enabled = 0;
  sourceEnabled = true;
  eofDescriptor = 0;
  handler: ((channel: DmaChannel) => void) | undefined;
  /** Whether gdma.c's interrupt service is installed (its first registerCallbacks disables and clears all). */
  installed = false;
  /** The descriptor error the engine raised last (what gdma.c's ISR passes to on_descr_err here). */
  errDescriptor = 0;
  errReason = '';
  /** Bits raw when the channel was last started and not cleared since: an ISR delivering them reports an earlier run. */
  staleMask = 0;
  /** When a bit was last latched, and when the channel was last started and stopped (ps; -1: never). */
  latchedAt = -1;
  staleLatchedAt = -1;
  staleStoppedAt = -1;
  startedAt = -1;
  stoppedAt = -1;
  /** A deferred look at INT_ST is scheduled. */
  deferred = false;
  /** All bits of the direction. */
  readonly all: number;
  /** The direction's EOF bit (IN_SUC_EOF / OUT_EOF) and DONE bit, for the engine's hot path. */
  readonly eofBit: number;
  readonly doneBit: number;

  constructor(
    private readonly host: InterruptHost,
    private readonly channel: DmaChannel,
    readonly bits: DmaRxInterruptBits | DmaTxInterruptBits,
  ) {
    let all = 0;
    for (const b of Object.values(bits) as number[]) all |= b;
    this.all = all;
    this.eofBit = 'sucEof' in bits ? bits.sucEof : bits.eof;
    this.doneBit = bits.done;
  }

  get status(): number {
    return this.raw & this.enabled;
  }

  /** The bits of INT_ST latched before the channel's current start and not cleared since (an earlier run's). */
  get staleStatus(): number {
    return this.raw & this.enabled & this.staleMask;
  }

  enable(mask: number, on: boolean): void {
    const m = checkMask(this.host, 'enable_interrupt', mask) & this.all;
    this.enabled = on ? this.enabled | m : this.enabled & ~m;
    if ((this.raw & this.enabled) !== 0) this.host.deferIsr(this.channel);
  }

  clear(mask: number): void {
    const m = checkMask(this.host, 'clear_interrupt_status', mask);
    this.raw &= ~m;
    this.staleMask &= ~m;
  }

  setSourceEnabled(on: boolean): void {
    if (typeof on !== 'boolean')
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.host.name}: setSourceEnabled takes a boolean, got ${String(on)}`);
    this.sourceEnabled = on;
    if (on && (this.raw & this.enabled) !== 0) this.host.deferIsr(this.channel);
  }

  setHandler(isr: ((channel: DmaChannel) => void) | undefined): void {
    if (isr !== undefined && typeof isr !== 'function')
      throw new EspError(ESP_ERR_INVALID_ARG, `${this.host.name}: the ISR must be a function or undefined`);
    this.handler = isr;
  }

  /** A fresh channel (gdma_new_channel): nothing latched, nothing enabled, gdma.c's ISR not installed yet. */
  reset(): void {
    this.raw = 0;
    this.enabled = 0;
    this.sourceEnabled = true;
    this.eofDescriptor = 0;
    this.handler = undefined;
    this.installed = false;
    this.staleMask = 0;
    this.latchedAt = this.staleLatchedAt = this.staleStoppedAt = this.startedAt = this.stoppedAt = -1;
  }

  /** The channel starts at `now`: what is raw now was latched by an earlier run. */
  onStart(now: number): void {
    this.staleMask = this.raw;
    this.staleLatchedAt = this.latchedAt;
    this.staleStoppedAt = this.stoppedAt;
    this.startedAt = now;
  }
}
