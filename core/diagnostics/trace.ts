import type { TraceModel } from '../trace/trace-model.js';
import type { Finding } from './finding.js';

/**
 * How findings look in a trace: VCD counters of errors and warnings so far (a step marks the instant), and a
 * Perfetto instant event per finding on a 'diagnostics' track, carrying the whole finding as its arguments.
 */
export function diagnosticsTraceModel(): TraceModel {
  let errors = 0;
  let warnings = 0;
  return {
    sources: ['diagnostics'],
    signals: () => [
      { scope: 'diagnostics', name: 'errors', width: 16, initial: 0 },
      { scope: 'diagnostics', name: 'warnings', width: 16, initial: 0 },
    ],
    onEvent(e, out) {
      if (e.type !== 'finding') return;
      const f = e.data as Finding;
      if (f.severity === 'error') out.set(0, ++errors);
      else if (f.severity === 'warning') out.set(1, ++warnings);
      out.mark('diagnostics', `${f.severity}: ${f.rule}`, {
        args: { objects: f.objects.join(', '), message: f.message, fix: f.fix, refs: f.refs.join('; ') },
      });
    },
  };
}
