import type { MemoryMap } from '../../../core/memory/memory.js';
import type { TraceModel } from '../../../core/trace/trace-model.js';
import { hex } from '../../../core/errors.js';
import { DescriptorMemory } from './descriptor.js';
import type { DmaBusEvents } from './engine.js';

/** Channel states in waveforms. */
export const DMA_TRACE_STATE = { idle: 0, running: 1, stopped: 2, error: 3 } as const;

/** Bytes a TX list will move: the lengths of its descriptors up to the one with suc_eof (or the list's end). */
function listBytes(dm: DescriptorMemory, head: number): number {
  let bytes = 0;
  for (let addr = head, n = 0; addr !== 0 && n < 65536; n++) {
    const r = dm.regionOf(addr);
    if (!r || addr % 4 !== 0) break;
    const d = dm.read(addr);
    bytes += d.length;
    if (d.sucEof) break;
    addr = d.next;
  }
  return bytes;
}

/**
 * A DMA engine in traces (GDMA, CP DMA): per pair, the TX and RX channel states and the bytes still to move
 * (scope ENGINE/pairN); in the trace, a slice per transfer on each channel's track and descriptor errors as
 * marks.
 */
export function dmaTraceModel(dma: { readonly name: string; readonly pairs: number }, memory: MemoryMap): TraceModel {
  const engine = dma.name;
  const pairs = dma.pairs;
  const dm = new DescriptorMemory(memory);
  const total = new Array<number>(pairs).fill(0);
  const movedAtStart = new Array<number>(pairs).fill(0);
  const moved = new Array<number>(pairs).fill(0);
  // signal index: pair*3 + 0 tx state, +1 rx state, +2 bytes pending
  return {
    sources: [engine],
    signals: () =>
      Array.from({ length: pairs }, (_, p) => [
        { scope: `${engine}/pair${p}`, name: 'tx_state', width: 2, initial: 0 },
        { scope: `${engine}/pair${p}`, name: 'rx_state', width: 2, initial: 0 },
        { scope: `${engine}/pair${p}`, name: 'bytes_pending', width: 32, initial: 0 },
      ]).flat(),
    onEvent(e, out) {
      switch (e.type) {
        case 'channel-start': {
          const d = e.data as DmaBusEvents['channel-start'];
          out.set(d.pair * 3 + (d.dir === 'tx' ? 0 : 1), DMA_TRACE_STATE.running);
          if (d.dir === 'tx') {
            total[d.pair] = listBytes(dm, d.descriptor);
            movedAtStart[d.pair] = moved[d.pair]!;
            out.set(d.pair * 3 + 2, total[d.pair]);
          }
          out.begin(`${engine} pair${d.pair} ${d.dir}`, 'transfer', `transfer from ${hex(d.descriptor)}`);
          break;
        }
        case 'moved': {
          const d = e.data as DmaBusEvents['moved'];
          moved[d.pair] = d.total;
          out.set(d.pair * 3 + 2, Math.max(0, total[d.pair]! - (d.total - movedAtStart[d.pair]!)));
          break;
        }
        case 'eof': {
          const d = e.data as DmaBusEvents['eof'];
          out.mark(`${engine} pair${d.pair} ${d.dir}`, d.dir === 'tx' ? 'OUT_EOF' : 'IN_SUC_EOF', {
            args: { bytes: d.bytes },
          });
          // An RX channel stays enabled after its last descriptor (as on silicon), but its list is done:
          // show it idle and close its transfer once the EOF descriptor ends the list.
          if (d.dir === 'rx' && dm.regionOf(d.descriptor) && dm.read(d.descriptor).next === 0) {
            out.set(d.pair * 3 + 1, DMA_TRACE_STATE.idle);
            out.end(`${engine} pair${d.pair} rx`, 'transfer', { reason: 'end of list' });
          }
          break;
        }
        case 'channel-stop': {
          const d = e.data as DmaBusEvents['channel-stop'];
          const state =
            d.reason === 'error'
              ? DMA_TRACE_STATE.error
              : d.reason === 'end'
                ? DMA_TRACE_STATE.idle
                : DMA_TRACE_STATE.stopped;
          out.set(d.pair * 3 + (d.dir === 'tx' ? 0 : 1), state);
          out.end(`${engine} pair${d.pair} ${d.dir}`, 'transfer', { reason: d.reason });
          break;
        }
        case 'descr-error': {
          const d = e.data as DmaBusEvents['descr-error'];
          out.mark(`${engine} pair${d.pair} ${d.dir}`, `descriptor error: ${d.reason}`);
          break;
        }
      }
    },
  };
}
