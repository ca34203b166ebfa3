import type { SimEvent } from '../bus/event-bus.js';
import type { Kernel } from '../kernel/kernel.js';
import { ChromeTraceWriter } from './chrome-trace-writer.js';
import type { TraceModel, TraceOutput } from './trace-model.js';
import { VcdWriter, type VcdSignal } from './vcd-writer.js';

/** Where a trace recorder writes: each output a sink of text chunks, absent when not wanted. */
export interface TraceFiles {
  /** Where the VCD goes (text, streamed). */
  vcd?: (text: string) => void;
  /** Where the Chrome/Perfetto trace JSON goes (text, streamed). */
  trace?: (text: string) => void;
}

/** Routes every bus event to the trace models that read its source, and writes what they say as it goes. */
export class TraceRecorder {
  private readonly vcd: VcdWriter | undefined;
  private readonly chrome: ChromeTraceWriter | undefined;
  private readonly bySource = new Map<string, { model: TraceModel; out: TraceOutput }[]>();
  /** Slices begun and not yet ended, by track and key. */
  private readonly open = new Map<
    string,
    { track: string; name: string; start: number; args?: Record<string, unknown> }
  >();
  private flows = 0;

  constructor(
    models: readonly TraceModel[],
    files: TraceFiles,
    private readonly kernel: Kernel,
    version: string,
  ) {
    this.vcd = files.vcd ? new VcdWriter(files.vcd, { version }) : undefined;
    this.chrome = files.trace ? new ChromeTraceWriter(files.trace, version) : undefined;
    const initial = new Map<VcdSignal, number | undefined>();
    for (const model of models) {
      const handles = model.signals().map((spec) => {
        const h = this.vcd?.declare({ scope: spec.scope, name: spec.name, width: spec.width });
        if (h) initial.set(h, spec.initial);
        return h;
      });
      const out = this.output(handles);
      for (const source of model.sources) {
        const list = this.bySource.get(source) ?? [];
        list.push({ model, out });
        this.bySource.set(source, list);
      }
    }
    this.vcd?.begin((s) => initial.get(s));
  }

  /** The sources some model reads: the recorder only needs their events. */
  get sources(): string[] {
    return [...this.bySource.keys()];
  }

  onEvent(e: SimEvent): void {
    const list = this.bySource.get(e.source);
    if (!list) return;
    for (const { model, out } of list) model.onEvent(e, out);
  }

  close(): void {
    this.vcd?.end(this.kernel.now);
    if (this.chrome) {
      // slices still open at the end of the run end there
      const now = this.kernel.now;
      for (const o of this.open.values())
        this.chrome.slice(o.track, o.name, o.start, now - o.start, { ...o.args, unfinished: true });
      this.open.clear();
      this.chrome.close();
    }
  }

  private output(handles: (VcdSignal | undefined)[]): TraceOutput {
    const kernel = this.kernel;
    return {
      set: (i, v) => {
        const h = handles[i];
        if (h && this.vcd) this.vcd.change(h, kernel.now, v);
      },
      begin: (track, key, name, args) => {
        if (!this.chrome) return;
        const k = `${track}\u0000${key}`;
        const prev = this.open.get(k);
        // a slice begun again before it ended is written as ending here, not lost
        if (prev)
          this.chrome.slice(prev.track, prev.name, prev.start, kernel.now - prev.start, {
            ...prev.args,
            unfinished: true,
          });
        this.open.set(k, { track, name, start: kernel.now, args });
      },
      end: (track, key, args) => {
        if (!this.chrome) return;
        const k = `${track}\u0000${key}`;
        const o = this.open.get(k);
        if (!o) return;
        this.open.delete(k);
        this.chrome.slice(
          track,
          o.name,
          o.start,
          kernel.now - o.start,
          o.args || args ? { ...o.args, ...args } : undefined,
        );
      },
      mark: (track, name, opts = {}) => {
        if (!this.chrome) return;
        const at = opts.at ?? kernel.now;
        const flow =
          opts.flowOut !== undefined
            ? { id: opts.flowOut, direction: 'out' as const }
            : opts.flowIn !== undefined
              ? { id: opts.flowIn, direction: 'in' as const }
              : undefined;
        this.chrome.slice(track, name, at, 0, opts.args, flow);
      },
      counter: (name, value) => {
        this.chrome?.counter(name, kernel.now, { value });
      },
      newFlow: () => ++this.flows,
    };
  }
}
