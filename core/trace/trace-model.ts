import type { SimEvent } from '../bus/event-bus.js';
import { defineContributionPoint } from '../plugin/tokens.js';

/** A waveform signal a plugin shows in VCD output. `scope` nests with '/': 'gdma/pair0'. */
export interface TraceSignalSpec {
  scope: string;
  name: string;
  /** Bits: 1 for a wire, more for a bus value (bytes pending, a state code, a count). */
  width: number;
  /** Value before the first change (default: x). */
  initial?: number;
}

/**
 * What a trace model writes to, for one bus event. Signals are the indices of the model's `signals()`;
 * tracks, slices, counters and flows go to the Perfetto/Chrome trace. Every method takes effect at the
 * current simulated time.
 */
export interface TraceOutput {
  /** Sets waveform signal `index` (of this model's signals) to `value` (undefined: x). */
  set(index: number, value: number | undefined): void;
  /** Opens a slice on `track`, closed by `end` with the same key. */
  begin(track: string, key: string | number, name: string, args?: Record<string, unknown>): void;
  /** Closes the slice opened on `track` under `key` (nothing when none is open). */
  end(track: string, key: string | number, args?: Record<string, unknown>): void;
  /** A zero-length slice on `track`, optionally the start or the end of flow `flow` (an arrow). */
  mark(
    track: string,
    name: string,
    opts?: { args?: Record<string, unknown>; flowOut?: number; flowIn?: number; at?: number },
  ): void;
  /** A counter track's value (queue depths). */
  counter(name: string, value: number): void;
  /** A new flow id, unique in this trace. */
  newFlow(): number;
}

/**
 * Contributed by a plugin to say how its bus events look in a waveform (VCD) and a trace (Perfetto):
 * `sources` are the bus sources it reads; `signals()` is asked once, before the run, because VCD declares
 * every variable up front.
 */
export interface TraceModel {
  readonly sources: readonly string[];
  /** The waveform signals, declared once before the run (VCD declares every variable up front). */
  signals(): readonly TraceSignalSpec[];
  /** Turns one bus event of `sources` into signal changes, slices, counters and flows. */
  onEvent(event: SimEvent, out: TraceOutput): void;
}

/** The contribution point: every plugin's trace model, collected by the trace recorder. */
export const TraceModels = defineContributionPoint<TraceModel>('TraceModel');
