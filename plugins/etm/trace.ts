import type { TraceModel } from '../../core/trace/trace-model.js';
import type { EtmBusEvents, EtmMatrix } from './etm-matrix.js';

/**
 * ETM in traces: a firing count per channel (scope etm), and per firing an arrow on the channel's track from
 * the event (when it was raised, one latency earlier) to the task it fired.
 */
export function etmTraceModel(etm: EtmMatrix, channels: number): TraceModel {
  const fires = new Array<number>(channels).fill(0);
  return {
    sources: ['etm'],
    signals: () =>
      Array.from({ length: channels }, (_, ch) => ({ scope: 'etm', name: `ch${ch}_fires`, width: 32, initial: 0 })),
    onEvent(e, out) {
      if (e.type !== 'fire') return;
      const { channel, event, task } = e.data as EtmBusEvents['fire'];
      out.set(channel, ++fires[channel]!);
      const track = `etm ch${channel}`;
      const flow = out.newFlow();
      out.mark(track, etm.eventName(event) ?? `event ${event}`, {
        at: e.time - etm.latencyPs,
        flowOut: flow,
        args: { event },
      });
      out.mark(track, etm.taskName(task) ?? `task ${task}`, { flowIn: flow, args: { task } });
    },
  };
}
