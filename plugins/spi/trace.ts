import type { SpiHost } from './caps.js';
import type { TraceModel } from '../../core/trace/trace-model.js';
import type { SpiBusEvents } from './types.js';

/**
 * SPI in traces: per host a wire that is 1 while a transaction is on the bus and the chip select in use
 * (scope spi/SPIn); in the trace, a slice per transaction on the host's track and ignored ETM starts as marks.
 */
export function spiTraceModel(hosts: readonly SpiHost[]): TraceModel {
  return {
    sources: ['spi'],
    signals: () =>
      hosts.flatMap((h) => [
        { scope: `spi/${h}`, name: 'active', width: 1, initial: 0 },
        { scope: `spi/${h}`, name: 'cs', width: 3 },
      ]),
    onEvent(e, out) {
      if (e.type === 'etm-start-ignored') {
        const d = e.data as SpiBusEvents['etm-start-ignored'];
        out.mark(d.host, `ETM start ignored: ${d.reason}`);
        return;
      }
      const d = e.data as SpiBusEvents['trans-start'];
      const i = 2 * hosts.indexOf(d.host);
      if (i < 0) return;
      if (e.type === 'trans-start') {
        out.set(i, 1);
        out.set(i + 1, d.device);
        out.begin(d.host, 'trans', `CS${d.device} ${d.length} B${d.dma ? ' DMA' : ''}`, {
          length: d.length,
          dma: d.dma,
        });
      } else if (e.type === 'trans-done') {
        out.set(i, 0);
        out.set(i + 1, undefined);
        out.end(d.host, 'trans');
      }
    },
  };
}
