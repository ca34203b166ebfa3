/** One scheduled kernel event. It is also the handle `schedule` returns, so scheduling allocates one object. */
export class Timer {
  /** Null once cancelled or run. */
  fn: (() => void) | null;
  constructor(
    readonly time: number,
    readonly seq: number,
    fn: () => void,
    readonly source: string,
  ) {
    this.fn = fn;
  }
  /** Cancels the event if it has not run yet; cancelling twice, or after it ran, does nothing. */
  cancel(): void {
    this.fn = null;
  }
}

/** Orders timers by time, then by the order they were scheduled. */
export function timerBefore(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export function compareTimers(a: Timer, b: Timer): number {
  return a.time - b.time || a.seq - b.seq;
}
