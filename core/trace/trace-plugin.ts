import type { Plugin } from '../plugin/plugin.js';
import { ChunkedFile } from './chunked-file.js';
import { traceRecording } from './trace-recording.js';

/** Where `traceOutput()` writes. */
export interface TraceOutputOptions {
  /** Write an IEEE 1364 VCD (timescale 1 ps) here. */
  vcd?: string;
  /** Write Chrome/Perfetto trace JSON here. */
  trace?: string;
}

/**
 * Records the run into files as it goes (Node only: the files are written with node:fs): every plugin's
 * TraceModels contribution says what its events look like. Started with the simulation; the files are complete
 * after `sim.dispose()`. `traceRecording()` (trace-recording.ts) is the same with sinks of text instead of files.
 */
export function traceOutput(opts: TraceOutputOptions): Plugin {
  return traceRecording(() => {
    // opened when the simulation starts, as before: a simulation never started leaves no empty files behind
    const vcd = opts.vcd ? new ChunkedFile(opts.vcd) : undefined;
    const trace = opts.trace ? new ChunkedFile(opts.trace) : undefined;
    return {
      vcd: vcd && ((t) => vcd.write(t)),
      trace: trace && ((t) => trace.write(t)),
      close: () => {
        vcd?.close();
        trace?.close();
      },
    };
  });
}
