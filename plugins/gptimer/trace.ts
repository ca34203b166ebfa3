import type { TraceModel } from '../../core/trace/trace-model.js';
import type { GpTimerBusEvents } from './gptimer-driver.js';

/** GPTimer in traces: an alarm count per timer (scope gptimer) and each alarm as a mark on the timer's track. */
export function gptimerTraceModel(timers: number): TraceModel {
  const alarms = new Array<number>(timers).fill(0);
  return {
    sources: ['gptimer'],
    signals: () =>
      Array.from({ length: timers }, (_, t) => ({ scope: 'gptimer', name: `timer${t}_alarms`, width: 32, initial: 0 })),
    onEvent(e, out) {
      if (e.type !== 'alarm') return;
      const a = e.data as GpTimerBusEvents['alarm'];
      if (a.timer < timers) out.set(a.timer, ++alarms[a.timer]!);
      out.mark(`gptimer${a.timer}`, `alarm at ${a.alarmValue}`, { args: { count: a.count } });
    },
  };
}
