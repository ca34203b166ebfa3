import type { EventBus, SimEvent } from '../../core/bus/event-bus.js';
import type { Checker, CheckerContext } from '../../core/diagnostics/checker.js';
import { formatTime } from '../../core/time.js';
import type { EtmBusEvents, EtmConfigEvents, EtmMatrix } from './etm-matrix.js';

const ESP_ETM_H = 'esp-idf components/esp_hw_support/include/esp_etm.h (esp_etm_channel_connect / enable)';
const ETM_DOC = 'esp-idf docs api-reference/peripherals/etm.rst';
/** Deliveries of one channel at one instant beyond which it is a loop that never lets time advance. */
const LOOP_FIRES = 64;

interface ChannelWatch {
  event: number;
  task: number;
  enabled: boolean;
  fires: number;
  loopAt: number;
  loopFires: number;
  reported: Set<string>;
}

/**
 * ETM wiring: an ID the chip does not have, a channel connected but never enabled, an enabled channel whose
 * event never happens, fan-out that runs out of channels, and a loop that fires again and again at one instant.
 */
export function etmChecker(bus: EventBus, etm: EtmMatrix, channels: number): Checker {
  const ch = new Map<number, ChannelWatch>();
  const get = (i: number): ChannelWatch => {
    let w = ch.get(i);
    if (!w) {
      w = { event: 0, task: 0, enabled: false, fires: 0, loopAt: -1, loopFires: 0, reported: new Set() };
      ch.set(i, w);
    }
    return w;
  };
  const ev = (id: number): string => `${etm.eventName(id) ?? 'event'} (${id})`;
  const tk = (id: number): string => `${etm.taskName(id) ?? 'task'} (${id})`;
  return {
    name: 'etm',
    rules: [
      { id: 'etm.unknown-id', summary: "an event or task ID that is not in the chip's soc_etm_source.h table" },
      { id: 'etm.never-enabled', summary: 'a channel connected but never enabled (at the end of the run)' },
      {
        id: 'etm.never-fired',
        summary: 'an enabled channel whose event never happened in the run (its source not configured?)',
      },
      {
        id: 'etm.fanout-exhausted',
        summary: 'fan-out (one event to several tasks) needs more channels than the ETM has',
      },
      { id: 'etm.zero-latency-loop', summary: 'a channel fires again and again at one instant: an event-task loop' },
      {
        id: 'etm.source-unconfigured',
        summary:
          'an enabled channel whose event can never fire: its source is not configured (a GPIO event bound to no pin, a timer nobody created)',
      },
    ],
    start(ctx: CheckerContext) {
      const onEvent = (e: SimEvent): void => {
        switch (e.type) {
          case 'connect': {
            const d = e.data as EtmConfigEvents['connect'];
            const w = get(d.channel);
            w.event = d.event;
            w.task = d.task;
            w.fires = 0;
            w.reported.clear();
            break;
          }
          case 'enable':
            get((e.data as EtmConfigEvents['enable']).channel).enabled = true;
            break;
          case 'disable':
            get((e.data as EtmConfigEvents['disable']).channel).enabled = false;
            break;
          case 'delete':
            ch.delete((e.data as EtmConfigEvents['delete']).channel);
            break;
          case 'connect-refused': {
            const d = e.data as EtmConfigEvents['connect-refused'];
            ctx.report({
              rule: 'etm.unknown-id',
              severity: 'error',
              objects: [`etm ch${d.channel}`],
              message:
                `esp_etm_channel_connect refused with ESP_ERR_INVALID_ARG: ${d.what} ID ${String(d.id)} is not in this chip's ETM ${d.what} table ` +
                "(an ID from another chip's soc_etm_source.h, or a hand-made handle)",
              fix: `get ${d.what} handles from the peripheral drivers (gpio_new_etm_${d.what}, gptimer_new_etm_${d.what}, gdma_new_etm_${d.what}) instead of numbers`,
              refs: [ESP_ETM_H, 'esp-idf components/soc/<chip>/include/soc/soc_etm_source.h'],
            });
            break;
          }
          case 'alloc-refused': {
            const byEvent = new Map<number, number>();
            for (const w of ch.values()) if (w.event !== 0) byEvent.set(w.event, (byEvent.get(w.event) ?? 0) + 1);
            const fan = [...byEvent].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
            ctx.report({
              rule: 'etm.fanout-exhausted',
              severity: 'error',
              objects: ['etm'],
              message:
                `esp_etm_new_channel refused with ESP_ERR_NOT_FOUND: all ${channels} channels are in use` +
                (fan.length
                  ? `; fan-out takes one channel per task: ${fan.map(([id, n]) => `${ev(id)} drives ${n} channels`).join(', ')}`
                  : ''),
              fix: 'one ETM channel connects one event to one task: fan-out needs a channel per task; free channels (disable + esp_etm_del_channel) or drive several GPIOs from one GPIO ETM task (gpio_etm_task_add_gpio)',
              refs: [ESP_ETM_H, ETM_DOC],
            });
            break;
          }
          case 'fire': {
            const d = e.data as EtmBusEvents['fire'];
            const w = get(d.channel);
            w.fires++;
            if (w.loopAt !== e.time) {
              w.loopAt = e.time;
              w.loopFires = 0;
            }
            if (++w.loopFires === LOOP_FIRES && !w.reported.has('loop')) {
              w.reported.add('loop');
              ctx.report({
                rule: 'etm.zero-latency-loop',
                severity: 'error',
                objects: [`etm ch${d.channel}`],
                message:
                  `channel ${d.channel} (${ev(d.event)} -> ${tk(d.task)}) delivered ${LOOP_FIRES} times at ${formatTime(e.time)} without time advancing: ` +
                  'its task raises its own event (directly or through other channels) with no latency in the loop',
                fix: 'break the loop: connect the task to another event, or put something that takes time (a timer alarm) in the chain',
                refs: [ETM_DOC],
              });
            }
            break;
          }
        }
      };
      const unfire = bus.source('etm').listen(onEvent);
      const unconfig = bus.source('etm-config').listen(onEvent);
      return () => {
        unfire();
        unconfig();
      };
    },
    endOfRun(ctx: CheckerContext) {
      for (const [i, w] of ch) {
        if (!w.enabled && (w.event !== 0 || w.task !== 0) && !w.reported.has('enable')) {
          w.reported.add('enable');
          ctx.report({
            rule: 'etm.never-enabled',
            severity: 'warning',
            objects: [`etm ch${i}`],
            message: `channel ${i} connects ${w.event ? ev(w.event) : 'no event'} to ${w.task ? tk(w.task) : 'no task'} but was not enabled at the end of the run: it never routes anything`,
            fix: 'call esp_etm_channel_enable after esp_etm_channel_connect',
            refs: [ESP_ETM_H],
          });
        }
        if (w.enabled && w.event !== 0 && w.task !== 0 && w.fires === 0 && !w.reported.has('fired')) {
          w.reported.add('fired');
          const why = etm.eventUnconfigured(w.event);
          if (why !== undefined) {
            ctx.report({
              rule: 'etm.source-unconfigured',
              severity: 'warning',
              objects: [`etm ch${i}`],
              message: `channel ${i} is enabled (${ev(w.event)} -> ${tk(w.task)}) but its event can never fire: ${why}`,
              fix: "configure the event's source before the run needs it (bind the GPIO event to a pin, create and start the timer), or delete the channel",
              refs: [
                ETM_DOC,
                'esp-idf components/esp_driver_gpio/include/driver/gpio_etm.h (gpio_etm_event_bind_gpio)',
              ],
            });
            continue;
          }
          ctx.report({
            rule: 'etm.never-fired',
            severity: 'warning',
            objects: [`etm ch${i}`],
            message:
              `channel ${i} is enabled (${ev(w.event)} -> ${tk(w.task)}) but its event never happened in the run: its source is probably not configured ` +
              '(a GPIO event bound to no pin, a timer without an alarm or not started, a DMA channel never started)',
            fix: "configure the event's source (gpio_etm_event_bind_gpio, gptimer_set_alarm_action + gptimer_start, start the DMA), or check the event handle",
            refs: [ETM_DOC],
          });
        }
      }
    },
  };
}
