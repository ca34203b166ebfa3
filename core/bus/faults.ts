/** Something that went wrong inside the simulation without stopping it: a throwing subscriber, event or task. */
export interface SimFault {
  /** Simulated time (ps) at which it happened. */
  readonly time: number;
  /** The event source (or kernel event / task name) being handled when it happened. */
  readonly source: string;
  readonly error: Error;
}

/** The simulation's fault log. */
export class FaultLog {
  readonly entries: SimFault[] = [];
  constructor(private readonly now: () => number) {}

  /** Records `error` as a fault of `source` at the current simulated time. */
  report(source: string, error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.entries.push({ time: this.now(), source, error: err });
  }
}
