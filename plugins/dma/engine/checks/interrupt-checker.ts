import type { EventBus } from '../../../../core/bus/event-bus.js';
import type { Checker, CheckerContext } from '../../../../core/diagnostics/checker.js';
import { hex } from '../../../../core/errors.js';
import { formatTime } from '../../../../core/time.js';
import type { DmaStaleInterruptEvent } from '../engine.js';

/** What the interrupt checker knows of the engine it watches. */
export interface InterruptCheckerParams {
  /** Bus source and object prefix: 'gdma', 'gdma-axi', 'cpdma'. */
  engine: string;
}

const ZEPHYR_115726 =
  "zephyrproject-rtos/zephyr#115726 (dma_esp32_stop leaves the raw interrupt status latched, so a later start can deliver the previous transfer's callback)";
const ZEPHYR_DRIVER =
  'zephyr drivers/dma/dma_esp32_gdma.c (dma_esp32_stop/dma_esp32_start clear nothing; dma_esp32_config_rx/tx clear UINT32_MAX)';
const ZEPHYR_113311 =
  'zephyrproject-rtos/zephyr#113311 (merged; its description: dma_stop resets the channel and clears the events the abandoned transfer latched, AHB GDMA only)';
const GDMA_LL =
  'esp-idf components/hal/*/include/hal/gdma_ll.h (gdma_ll_*_clear_interrupt_status, *_get_interrupt_status)';

/**
 * Interrupt status: an ISR that calls back for bits latched before the channel's current start (a stop that
 * masked the interrupt left them raw, the start unmasked them), so the callback reports a transfer that was
 * stopped, at the instant the new one starts.
 */
export function dmaInterruptChecker(bus: EventBus, p: InterruptCheckerParams): Checker {
  return {
    name: 'dma-interrupt',
    rules: [
      {
        id: 'dma.stale-interrupt',
        summary:
          'a callback delivered for interrupt bits latched before the channel was (re)started: an earlier transfer',
      },
    ],
    start(ctx: CheckerContext) {
      const sub = bus
        .source<{ 'stale-interrupt': DmaStaleInterruptEvent }>(p.engine)
        .on('stale-interrupt')
        .subscribe((e) => {
          const d = e.data as DmaStaleInterruptEvent;
          const when = (ps: number): string => (ps < 0 ? 'never' : formatTime(ps));
          ctx.report({
            rule: 'dma.stale-interrupt',
            severity: 'error',
            objects: [`${p.engine} pair ${d.pair} ${d.dir.toUpperCase()}`],
            message:
              `the ISR called back for ${d.names.join('|')}, latched at ${when(d.latchedAt)}` +
              (d.stoppedAt >= 0 ? ` (channel stopped at ${when(d.stoppedAt)})` : '') +
              ` and never cleared: the start at ${when(d.startedAt)} unmasked it, so the callback reports the earlier ` +
              `transfer (EOF descriptor ${hex(d.eofDescriptor)}) while the new one is still running`,
            fix:
              "clear the channel's interrupt status before restarting it: on Zephyr call dma_config() again before " +
              'dma_start() after a dma_stop() (config clears every bit), or have the driver clear in dma_esp32_stop/start; ' +
              'with the gdma_ll API, gdma_ll_*_clear_interrupt_status(UINT32_MAX) before the start',
            refs: [ZEPHYR_115726, ZEPHYR_DRIVER, ZEPHYR_113311, GDMA_LL],
          });
        });
      return () => sub.unsubscribe();
    },
  };
}
