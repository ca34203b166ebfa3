import type { TraceModel } from '../../core/trace/trace-model.js';
import type { AsyncMemcpyEvents } from './driver.js';

/** async memcpy in traces: the queue depth (a signal and a counter) and a slice per copy. */
export function asyncMemcpyTraceModel(): TraceModel {
  return {
    sources: ['async-memcpy'],
    signals: () => [{ scope: 'async_memcpy', name: 'queue_depth', width: 16, initial: 0 }],
    onEvent(e, out) {
      const d = e.data as AsyncMemcpyEvents['copy-queued'];
      out.set(0, d.depth);
      out.counter('async memcpy queue depth', d.depth);
      if (e.type === 'copy-start') out.begin('async memcpy', 'copy', `copy ${d.n} B`, { dst: d.dst, src: d.src });
      if (e.type === 'copy-done') out.end('async memcpy', 'copy');
    },
  };
}
