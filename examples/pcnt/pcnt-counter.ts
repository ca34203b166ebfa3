import type { Kernel, ScheduledEvent } from 'soc-fabric';
import type { PcntEdgeAction, PcntLevelAction, PcntWatchEventData, PcntWatchKind } from './pcnt-types.js';

/** What a counter reports when its count reaches an enabled watch point. */
export type WatchReporter = (counter: PcntCounter, kind: PcntWatchKind, edata: PcntWatchEventData) => void;

/**
 * One input of a channel after the glitch filter. Without a filter a level change passes at once; with one,
 * it passes when the raw level has held for the filter time, and a pulse shorter than that is dropped (the
 * pending change is cancelled when the level goes back). So filtered edges lag the pin by the filter time.
 */
export class FilteredInput {
  level: 0 | 1;
  private target: 0 | 1 = 0;
  private pending: ScheduledEvent | null = null;
  private readonly settle: () => void;

  constructor(
    readonly pin: number,
    initial: 0 | 1,
    private readonly counter: PcntCounter,
    private readonly onChange: (level: 0 | 1) => void,
  ) {
    this.level = initial;
    this.settle = () => {
      this.pending = null;
      this.level = this.target;
      this.onChange(this.target);
    };
  }

  /** The pin's raw level changed. */
  raw(level: 0 | 1): void {
    const filterPs = this.counter.filterPs;
    if (filterPs === 0) {
      if (level !== this.level) {
        this.level = level;
        this.onChange(level);
      }
      return;
    }
    this.pending?.cancel();
    this.pending = null;
    if (level !== this.level) {
      this.target = level;
      this.pending = this.counter.kernel.schedule(filterPs, this.settle, `pcnt unit${this.counter.index} filter`);
    }
  }

  /** Drops a change still in the filter (the channel was deleted). */
  cancel(): void {
    this.pending?.cancel();
    this.pending = null;
  }
}

/** One channel's decoder: edge actions modified by the control level, as PCNT_CHn_{POS,NEG}_MODE / {H,L}CTRL_MODE. */
export class ChannelDecoder {
  pos: PcntEdgeAction = 'hold';
  neg: PcntEdgeAction = 'hold';
  high: PcntLevelAction = 'keep';
  low: PcntLevelAction = 'keep';
  readonly edge: FilteredInput;
  readonly control: FilteredInput | null;

  constructor(
    readonly index: number,
    counter: PcntCounter,
    edge: { pin: number; level: 0 | 1 },
    control: { pin: number; level: 0 | 1 } | null,
  ) {
    this.edge = new FilteredInput(edge.pin, edge.level, counter, (level) => {
      const delta = this.delta(level);
      if (delta !== 0) counter.count(delta);
    });
    this.control = control === null ? null : new FilteredInput(control.pin, control.level, counter, () => undefined);
  }

  /** The count change of an edge to `level` (+1, -1 or 0). */
  delta(level: 0 | 1): number {
    const action = level === 1 ? this.pos : this.neg;
    if (action === 'hold') return 0;
    const modifier = (this.control?.level ?? 0) === 1 ? this.high : this.low;
    if (modifier === 'hold') return 0;
    const up = action === 'increase';
    return (modifier === 'inverse' ? !up : up) ? 1 : -1;
  }
}

/**
 * The hardware of one PCNT unit: a 16-bit signed counter that channels step, with comparators for the limits,
 * two thresholds and zero. Reaching a limit clears the count (and adds the limit to the software
 * accumulator when accumCount is set); the comparators report only when enabled as watch points.
 */
export class PcntCounter {
  value = 0;
  accumulated = 0;
  paused = true;
  accumCount = false;
  low = -1;
  high = 1;
  /** Enabled comparators: the two thresholds (null: off), zero, the limits. */
  readonly thresholds: (number | null)[] = [null, null];
  watchZero = false;
  watchHigh = false;
  watchLow = false;
  /** Glitch filter width in picoseconds (0: off). */
  filterPs = 0;
  readonly channels: (ChannelDecoder | null)[];

  constructor(
    readonly index: number,
    channels: number,
    readonly kernel: Kernel,
    private readonly report: WatchReporter,
  ) {
    this.channels = new Array<ChannelDecoder | null>(channels).fill(null);
  }

  /** One count step (an edge, or an ETM increase/decrease task); nothing while paused. */
  count(delta: number): void {
    if (this.paused) return;
    const prev = this.value;
    const v = prev + delta;
    if (v === this.high || v === this.low) {
      this.value = 0;
      if (this.accumCount) this.accumulated += v;
      if (v === this.high ? this.watchHigh : this.watchLow) this.report(this, 'limit', { watchPointValue: v });
      return;
    }
    this.value = v;
    for (const t of this.thresholds) {
      if (t !== null && t === v) this.report(this, 'threshold', { watchPointValue: t });
    }
    if (v === 0 && this.watchZero) {
      this.report(this, 'zero', {
        watchPointValue: 0,
        zeroCrossMode: prev > 0 ? 'positive-to-zero' : 'negative-to-zero',
      });
    }
  }

  /** PCNT_PULSE_CNT_RST: the hardware count back to 0 (the software accumulator is the driver's business). */
  reset(): void {
    this.value = 0;
  }
}
