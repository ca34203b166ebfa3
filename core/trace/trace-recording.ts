import type { EventBus } from '../bus/event-bus.js';
import type { Kernel } from '../kernel/kernel.js';
import { Lifecycle, type LifecycleContribution } from '../plugin/lifecycle.js';
import { definePlugin, type Plugin } from '../plugin/plugin.js';
import { Core } from '../tokens.js';
import { TraceModels, type TraceModel } from './trace-model.js';
import { TraceRecorder, type TraceFiles } from './trace-recorder.js';

/** Where `traceRecording()` sends its text: each output a sink of text chunks, and what to do at dispose. */
export interface TraceSinkOptions extends TraceFiles {
  /** Runs at dispose, after the recorder wrote its last text (file sinks close here). */
  close?: () => void;
}

/** Records the run as it goes into the sinks; the recorder is closed (VCD end stamp, open slices) at dispose. */
class TraceRecordingLifecycle implements LifecycleContribution {
  private recorder: TraceRecorder | undefined;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly opts: () => TraceSinkOptions,
    private readonly kernel: Kernel,
    private readonly bus: EventBus,
    private readonly models: readonly TraceModel[],
  ) {}

  start(): void {
    const sinks = this.opts();
    this.recorder = new TraceRecorder(this.models, { vcd: sinks.vcd, trace: sinks.trace }, this.kernel, 'soc-fabric');
    const recorder = this.recorder;
    this.unlisten = this.bus.listen((e) => recorder.onEvent(e));
    this.close = sinks.close;
  }

  private close: (() => void) | undefined;

  dispose(): void {
    this.unlisten?.();
    this.recorder?.close();
    this.close?.();
  }
}

/**
 * A plugin that records the run as VCD and Chrome/Perfetto trace text into sinks (no file system: it runs in a
 * browser too). `sinks` is called once when the simulation starts. `traceOutput()` is this with file sinks.
 */
export function traceRecording(sinks: TraceSinkOptions | (() => TraceSinkOptions)): Plugin {
  const get = typeof sinks === 'function' ? sinks : () => sinks;
  return definePlugin({
    name: 'trace-output',
    load: ({ bind }) => {
      bind(Lifecycle).toDynamicValue(
        (ctx) =>
          new TraceRecordingLifecycle(
            get,
            ctx.get(Core.Kernel),
            ctx.get(Core.Bus),
            ctx.getAll(TraceModels, { optional: true }) ?? [],
          ),
      );
    },
  });
}
