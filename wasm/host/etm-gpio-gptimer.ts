import { EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import { Etm, type EtmChannel, type EtmEvent, type EtmTask } from '../../plugins/etm/index.js';
import { Gpio, type GpioEtmEvent, type GpioEtmTask } from '../../plugins/gpio/index.js';
import { GpTimer, type GpTimerEtmTaskKind, type GpTimerHandle } from '../../plugins/gptimer/index.js';
import { espCall, type HostContext, type HostFunctions } from './context.js';

const EDGES = ['pos', 'neg', 'any'] as const;
const ACTIONS = ['set', 'clear', 'toggle'] as const;
const TIMER_TASKS: GpTimerEtmTaskKind[] = ['start-count', 'stop-count', 'en-alarm', 'reload', 'capture'];

function pick<T>(list: readonly T[], i: number, fn: string, what: string): T {
  const v = list[i];
  if (v === undefined) throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: ${what} ${i} is not one of the header's values`);
  return v;
}

/** esp_etm, GPIO (levels and ETM) and GPTimer (with its alarm ISR and ETM) over the kit's services. */
export function etmGpioTimerFunctions(ctx: HostContext, scratch: () => number): HostFunctions {
  const h = ctx.handles;
  const out = (p: number, kind: string, v: unknown): void => ctx.mem.setU32(p, h.add(kind, v));
  const chan = (x: number, fn: string): EtmChannel => h.get<EtmChannel>('etm-channel', x, fn);
  const timer = (x: number, fn: string): GpTimerHandle => h.get<GpTimerHandle>('gptimer', x, fn);
  const gpio = () => ctx.sim.get(Gpio);

  return {
    // ---- esp_etm ----
    __sf_etm_new_channel: espCall(ctx, (p) => out(p, 'etm-channel', ctx.sim.get(Etm).newChannel())),
    __sf_etm_channel_op: espCall(ctx, (x, op) => {
      const c = chan(
        x,
        ['esp_etm_channel_enable', 'esp_etm_channel_disable', 'esp_etm_del_channel'][op] ?? 'esp_etm_channel',
      );
      if (op === 0) c.enable();
      else if (op === 1) c.disable();
      else {
        c.delete();
        h.delete(x);
      }
    }),
    __sf_etm_connect: espCall(ctx, (x, ev, task) => {
      const e = ev === 0 ? null : h.get<EtmEvent>('etm-event', ev, 'esp_etm_channel_connect');
      const t = task === 0 ? null : h.get<EtmTask>('etm-task', task, 'esp_etm_channel_connect');
      chan(x, 'esp_etm_channel_connect').connect(e, t);
    }),
    __sf_etm_del_event: espCall(ctx, (ev) => {
      const e = h.get<EtmEvent & { delete?: () => void }>('etm-event', ev, 'esp_etm_del_event');
      e.delete?.();
      h.delete(ev);
    }),
    __sf_etm_del_task: espCall(ctx, (task) => {
      const t = h.get<EtmTask & { delete?: () => void }>('etm-task', task, 'esp_etm_del_task');
      t.delete?.();
      h.delete(task);
    }),
    // esp_etm_dump ends each line with "\r\n" (esp_etm.c): print lines, as a terminal shows them
    __sf_etm_dump: espCall(ctx, () => {
      for (const line of ctx.sim
        .get(Etm)
        .dump()
        .split(/\r?\n/)
        .filter((l) => l !== ''))
        ctx.print(line);
    }),

    // ---- GPIO ----
    __sf_gpio_check: espCall(ctx, (pin) => {
      gpio().getLevel(pin);
    }),
    __sf_gpio_set_level: espCall(ctx, (pin, level) => gpio().setLevel(pin, level ? 1 : 0)),
    __sf_gpio_get_level: (pin) => {
      try {
        return gpio().getLevel(pin);
      } catch (e) {
        if (e instanceof EspError) return 0;
        throw e;
      }
    },
    __sf_gpio_new_etm_event: espCall(ctx, (edge, p) =>
      out(p, 'etm-event', gpio().newEtmEvent(pick(EDGES, edge, 'gpio_new_etm_event', 'edge'))),
    ),
    __sf_gpio_etm_event_bind: espCall(ctx, (ev, pin) => {
      const e = h.get<Partial<GpioEtmEvent>>('etm-event', ev, 'gpio_etm_event_bind_gpio');
      if (typeof e.bindGpio !== 'function')
        throw new EspError(ESP_ERR_INVALID_ARG, 'gpio_etm_event_bind_gpio: the event is not a GPIO ETM event');
      e.bindGpio(pin);
    }),
    __sf_gpio_new_etm_task: espCall(ctx, (action, p) =>
      out(p, 'etm-task', gpio().newEtmTask(pick(ACTIONS, action, 'gpio_new_etm_task', 'action'))),
    ),
    __sf_gpio_etm_task_pin: espCall(ctx, (task, pin, add) => {
      const fn = add ? 'gpio_etm_task_add_gpio' : 'gpio_etm_task_rm_gpio';
      const t = h.get<Partial<GpioEtmTask>>('etm-task', task, fn);
      if (typeof t.addGpio !== 'function' || typeof t.removeGpio !== 'function') {
        throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: the task is not a GPIO ETM task`);
      }
      if (add) t.addGpio(pin);
      else t.removeGpio(pin);
    }),

    // ---- GPTimer ----
    __sf_gptimer_new: espCall(ctx, (res, up, p) => {
      out(p, 'gptimer', ctx.sim.get(GpTimer).newTimer({ resolutionHz: res >>> 0, direction: up ? 'up' : 'down' }));
    }),
    __sf_gptimer_op: espCall(ctx, (x, op) => {
      const t = timer(
        x,
        ['gptimer_del_timer', 'gptimer_enable', 'gptimer_disable', 'gptimer_start', 'gptimer_stop'][op] ?? 'gptimer',
      );
      if (op === 0) {
        t.delete();
        h.delete(x);
      } else if (op === 1) t.enable();
      else if (op === 2) t.disable();
      else if (op === 3) t.start();
      else t.stop();
    }),
    __sf_gptimer_set_count: espCall(ctx, (x, v) => timer(x, 'gptimer_set_raw_count').setRawCount(v)),
    __sf_gptimer_get_count: espCall(ctx, (x, captured, p) => {
      const t = timer(x, captured ? 'gptimer_get_captured_count' : 'gptimer_get_raw_count');
      ctx.mem.setU64(p, captured ? t.getCapturedCount() : t.getRawCount());
    }),
    __sf_gptimer_get_resolution: espCall(ctx, (x, p) =>
      ctx.mem.setU32(p, timer(x, 'gptimer_get_resolution').getResolution()),
    ),
    __sf_gptimer_set_alarm: espCall(ctx, (x, enabled, alarm, reload, auto) => {
      timer(x, 'gptimer_set_alarm_action').setAlarmAction(
        enabled ? { alarmCount: alarm, reloadCount: reload, autoReloadOnAlarm: auto !== 0 } : null,
      );
    }),
    __sf_gptimer_register_cb: espCall(ctx, (x, cb, user) => {
      timer(x, 'gptimer_register_event_callbacks').registerEventCallbacks({
        onAlarm:
          cb === 0
            ? null
            : (_t, edata) => {
                const p = scratch(); // gptimer_alarm_event_data_t: two uint64
                ctx.mem.setU64(p, edata.countValue);
                ctx.mem.setU64(p + 8, edata.alarmValue);
                return ctx.runner.callIsr(cb, x, p, user) !== 0;
              },
      });
    }),
    __sf_gptimer_new_etm_event: espCall(ctx, (x, type, p) => {
      if (type !== 0) throw new EspError(ESP_ERR_INVALID_ARG, `gptimer_new_etm_event: unknown event type ${type}`);
      out(p, 'etm-event', timer(x, 'gptimer_new_etm_event').newEtmEvent('alarm-match'));
    }),
    __sf_gptimer_new_etm_task: espCall(ctx, (x, type, p) => {
      out(
        p,
        'etm-task',
        timer(x, 'gptimer_new_etm_task').newEtmTask(pick(TIMER_TASKS, type, 'gptimer_new_etm_task', 'task type')),
      );
    }),
  };
}
