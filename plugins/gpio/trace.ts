import type { TraceModel } from '../../core/trace/trace-model.js';
import type { GpioBusEvents, GpioModel } from './gpio-model.js';

/** GPIO in traces: one wire per pin (scope gpio), and each level change as a mark on the 'gpio' track. */
export function gpioTraceModel(gpio: GpioModel): TraceModel {
  return {
    sources: ['gpio'],
    signals: () =>
      Array.from({ length: gpio.pins }, (_, pin) => ({
        scope: 'gpio',
        name: `gpio${pin}`,
        width: 1,
        initial: gpio.getLevel(pin),
      })),
    onEvent(e, out) {
      if (e.type !== 'level') return;
      const { pin, level } = e.data as GpioBusEvents['level'];
      out.set(pin, level);
      out.mark('gpio', `GPIO${pin} -> ${level}`);
    },
  };
}
