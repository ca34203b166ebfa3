import type { EventBus } from '../bus/event-bus.js';
import type { Kernel } from '../kernel/kernel.js';
import { Lifecycle, type LifecycleContribution } from '../plugin/lifecycle.js';
import { definePlugin, type Plugin } from '../plugin/plugin.js';
import { Core } from '../tokens.js';
import { ChunkedFile } from './chunked-file.js';
import { TraceModels, type TraceModel } from './trace-model.js';
import { TraceRecorder } from './trace-recorder.js';

export interface TraceOutputOptions {
  /** Write an IEEE 1364 VCD (timescale 1 ps) here. */
  vcd?: string;
  /** Write Chrome/Perfetto trace JSON here. */
  trace?: string;
}

/**
 * Records the run into files as it goes: every plugin's TraceModels contribution says what its events look
 * like. Started with the simulation; the files are complete after `sim.dispose()`.
 */
class TraceOutputLifecycle implements LifecycleContribution {
  private files: ChunkedFile[] = [];
  private recorder: TraceRecorder | undefined;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly opts: TraceOutputOptions,
    private readonly kernel: Kernel,
    private readonly bus: EventBus,
    private readonly models: readonly TraceModel[],
  ) {}

  start(): void {
    const vcd = this.opts.vcd ? new ChunkedFile(this.opts.vcd) : undefined;
    const trace = this.opts.trace ? new ChunkedFile(this.opts.trace) : undefined;
    this.files = [vcd, trace].filter((f): f is ChunkedFile => f !== undefined);
    this.recorder = new TraceRecorder(this.models, {
      vcd: vcd && ((t) => vcd.write(t)),
      trace: trace && ((t) => trace.write(t)),
    }, this.kernel, 'soc-fabric');
    const recorder = this.recorder;
    this.unlisten = this.bus.listen((e) => recorder.onEvent(e));
  }

  dispose(): void {
    this.unlisten?.();
    this.recorder?.close();
    for (const f of this.files) f.close();
  }
}

/** A plugin that writes `--vcd` / `--trace` files from the plugins' trace models. */
export function traceOutput(opts: TraceOutputOptions): Plugin {
  return definePlugin({
    name: 'trace-output',
    load: ({ bind }) => {
      bind(Lifecycle).toDynamicValue((ctx) => new TraceOutputLifecycle(
        opts,
        ctx.get(Core.Kernel),
        ctx.get(Core.Bus),
        ctx.getAll(TraceModels, { optional: true }) ?? [],
      ));
    },
  });
}
