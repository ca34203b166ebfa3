/**
 * A streaming writer of the Chrome trace event format (JSON object form), which Perfetto's UI and
 * chrome://tracing load: `{"displayTimeUnit":"ns","traceEvents":[...]}`. Times are picoseconds in, microseconds
 * out (the format's unit). Each named track is a thread of one process, named by metadata on first use.
 */
export class ChromeTraceWriter {
  private readonly tids = new Map<string, number>();
  private first = true;
  private closed = false;

  constructor(
    private readonly out: (text: string) => void,
    processName = 'soc-fabric',
  ) {
    this.out('{"displayTimeUnit":"ns","traceEvents":[\n');
    this.emit({ ph: 'M', pid: 1, tid: 0, name: 'process_name', args: { name: processName } });
  }

  /**
   * A complete slice on `track` from `startPs` lasting `durPs`. `flow` makes it the start (`out`) or the end
   * (`in`) of an arrow: Perfetto's v2 flows, bound by `bind_id` to this slice (v1 `s`/`f` events would have to
   * share name and category at both ends).
   */
  slice(
    track: string,
    name: string,
    startPs: number,
    durPs: number,
    args?: Record<string, unknown>,
    flow?: { id: number; direction: 'in' | 'out' },
    cat = 'sim',
  ): void {
    const flowFields = flow ? { bind_id: flow.id, [flow.direction === 'out' ? 'flow_out' : 'flow_in']: true } : {};
    this.emit({
      ph: 'X',
      pid: 1,
      tid: this.tid(track),
      name,
      cat,
      ts: us(startPs),
      dur: us(durPs),
      ...flowFields,
      ...(args ? { args } : {}),
    });
  }

  /** An instant on `track`. */
  instant(track: string, name: string, timePs: number, args?: Record<string, unknown>, cat = 'sim'): void {
    this.emit({ ph: 'i', s: 't', pid: 1, tid: this.tid(track), name, cat, ts: us(timePs), ...(args ? { args } : {}) });
  }

  /** Counter values (one counter track per `name`, one series per key of `values`). */
  counter(name: string, timePs: number, values: Record<string, number>): void {
    this.emit({ ph: 'C', pid: 1, name, ts: us(timePs), args: values });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out('\n]}\n');
  }

  private tid(track: string): number {
    let t = this.tids.get(track);
    if (t === undefined) {
      t = this.tids.size + 1;
      this.tids.set(track, t);
      this.emit({ ph: 'M', pid: 1, tid: t, name: 'thread_name', args: { name: track } });
      this.emit({ ph: 'M', pid: 1, tid: t, name: 'thread_sort_index', args: { sort_index: t } });
    }
    return t;
  }

  private emit(event: Record<string, unknown>): void {
    if (this.closed) throw new Error('trace already closed');
    this.out(`${this.first ? '' : ',\n'}${JSON.stringify(event)}`);
    this.first = false;
  }
}

/** ps -> us, kept exact to the picosecond in the decimal text. */
function us(ps: number): number {
  return ps / 1e6;
}
