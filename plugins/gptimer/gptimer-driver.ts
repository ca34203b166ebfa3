import type { EventBus, EventSource } from '../../core/bus/event-bus.js';
import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
} from '../../core/errors.js';
import type { Kernel } from '../../core/kernel/kernel.js';
import { capsSectionOf } from '../../core/target/caps-of.js';
import type { TargetInfo } from '../../core/tokens.js';
import { C6_GPTIMER_ETM_IDS, type GpTimerEtmIds } from './etm-ids.js';
import {
  stampEtmHandle,
  type EtmEvent,
  type EtmEventSourceContribution,
  type EtmTask,
  type EtmTaskSinkContribution,
} from '../contracts/etm.js';
import { TimerUnit } from './timer-unit.js';

/** gptimer_config_t. */
export interface GpTimerConfig {
  /** Counter resolution (gptimer_config_t.resolution_hz); the prescaler is source clock / resolution, 2..65536. */
  resolutionHz: number;
  direction?: 'up' | 'down';
}
/** gptimer_alarm_config_t. */
export interface GpTimerAlarmConfig {
  alarmCount: number;
  reloadCount?: number;
  autoReloadOnAlarm?: boolean;
}
/** gptimer_alarm_event_data_t. */
export interface GpTimerAlarmEventData {
  countValue: number;
  alarmValue: number;
}
/** gptimer_event_callbacks_t. */
export interface GpTimerCallbacks {
  /** Runs in "ISR context" at the alarm instant; returns whether it woke a higher-priority task. */
  onAlarm?: ((timer: GpTimerHandle, edata: GpTimerAlarmEventData) => boolean | void) | null;
}
/** gptimer_etm_event_type_t. */
export type GpTimerEtmEventKind = 'alarm-match';
/** gptimer_etm_task_type_t. */
export type GpTimerEtmTaskKind = 'start-count' | 'stop-count' | 'en-alarm' | 'reload' | 'capture';

/** One timer (gptimer_handle_t); one method per gptimer_* function. */
export interface GpTimerHandle {
  /** Which hardware timer it is (timer group index). */
  readonly index: number;
  /** gptimer_set_raw_count. */
  setRawCount(value: number): void;
  /** gptimer_get_raw_count. */
  getRawCount(): number;
  /** gptimer_get_captured_count. */
  getCapturedCount(): number;
  /** The resolution actually in use (source clock / integer prescaler). */
  getResolution(): number;
  /** gptimer_set_alarm_action (null: no alarm). */
  setAlarmAction(config: GpTimerAlarmConfig | null): void;
  /** gptimer_register_event_callbacks: the first registration only in the init state. */
  registerEventCallbacks(cbs: GpTimerCallbacks): void;
  /** gptimer_enable: init -> enable. */
  enable(): void;
  /** gptimer_disable: enable -> init. */
  disable(): void;
  /** gptimer_start: enable -> run. */
  start(): void;
  /** gptimer_stop: run -> enable. */
  stop(): void;
  /** gptimer_del_timer: only in the init state. */
  delete(): void;
  /** gptimer_new_etm_event (ESP_ERR_NOT_SUPPORTED where the target's timers have no ETM). */
  newEtmEvent(kind: GpTimerEtmEventKind): EtmEvent;
  /** gptimer_new_etm_task (ESP_ERR_NOT_SUPPORTED where the target's timers have no ETM). */
  newEtmTask(kind: GpTimerEtmTaskKind): EtmTask;
}

/** The gptimer driver: `newTimer` is gptimer_new_timer. */
export interface GpTimerService {
  /** gptimer_new_timer: ESP_ERR_NOT_FOUND when every timer is taken. */
  newTimer(config: GpTimerConfig): GpTimerHandle;
}

/** Data of the bus event `gptimer`/`alarm`. */
export interface GpTimerAlarm {
  timer: number;
  alarmValue: number;
  count: number;
}
/** The GPTimer's bus events (source `gptimer`). */
export type GpTimerBusEvents = { alarm: GpTimerAlarm };

type EtmIds = GpTimerEtmIds;
const TASK_KEYS: Record<GpTimerEtmTaskKind, Exclude<keyof EtmIds, 'alarmMatch'>> = {
  'start-count': 'startCount',
  'stop-count': 'stopCount',
  'en-alarm': 'enAlarm',
  reload: 'reload',
  capture: 'capture',
};
const TASK_NAMES: Record<Exclude<keyof EtmIds, 'alarmMatch'>, string> = {
  startCount: 'CNT_START',
  stopCount: 'CNT_STOP',
  enAlarm: 'ALARM_START',
  reload: 'CNT_RELOAD',
  capture: 'CNT_CAP',
};
/** The GPTimer source clock where caps.gptimer gives none (80 MHz). */
export const DEFAULT_GPTIMER_CLOCK_HZ = 80_000_000;
const MAX_COUNT = 2 ** 53 - 1;

const enum Fsm {
  Init,
  Enable,
  Run,
  Deleted,
}

class Driver implements GpTimerHandle {
  fsm = Fsm.Init;
  alarmEn = false;
  intrInstalled = false;
  onAlarm: GpTimerCallbacks['onAlarm'] = null;
  resolutionHz = 0;

  constructor(
    readonly unit: TimerUnit,
    private readonly svc: GpTimers,
  ) {}

  get index(): number {
    return this.unit.index;
  }

  setRawCount(value: number): void {
    this.live('gptimer_set_raw_count');
    checkCount(value, 'gptimer_set_raw_count', 'value');
    this.unit.setCount(value);
  }
  getRawCount(): number {
    this.live('gptimer_get_raw_count');
    return this.unit.count();
  }
  getCapturedCount(): number {
    this.live('gptimer_get_captured_count');
    return this.unit.captured;
  }
  getResolution(): number {
    this.live('gptimer_get_resolution');
    return this.resolutionHz;
  }

  setAlarmAction(config: GpTimerAlarmConfig | null): void {
    this.live('gptimer_set_alarm_action');
    if (config === null) {
      this.alarmEn = false;
      this.unit.configure(this.unit.alarmCount, this.unit.reloadCount, false);
      this.unit.setAlarmEnabled(false);
      return;
    }
    if (typeof config !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'gptimer_set_alarm_action: config must be an object or null');
    const reload = config.reloadCount ?? 0;
    const auto = config.autoReloadOnAlarm ?? false;
    checkCount(config.alarmCount, 'gptimer_set_alarm_action', 'alarmCount');
    checkCount(reload, 'gptimer_set_alarm_action', 'reloadCount');
    if (auto && config.alarmCount === reload) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        'gptimer_set_alarm_action: with auto-reload, alarmCount must differ from reloadCount',
      );
    }
    this.alarmEn = true;
    this.unit.configure(config.alarmCount, reload, auto);
    this.unit.setAlarmEnabled(true);
  }

  registerEventCallbacks(cbs: GpTimerCallbacks): void {
    this.live('gptimer_register_event_callbacks');
    if (cbs === null || typeof cbs !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'gptimer_register_event_callbacks: cbs must be an object');
    if (cbs.onAlarm != null && typeof cbs.onAlarm !== 'function') {
      throw new EspError(ESP_ERR_INVALID_ARG, 'gptimer_register_event_callbacks: onAlarm must be a function');
    }
    // The interrupt is installed lazily, by the first registration, which needs the INIT state.
    if (!this.intrInstalled && this.fsm !== Fsm.Init) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        'gptimer_register_event_callbacks: timer not in init state (disable it first)',
      );
    }
    this.intrInstalled = true;
    this.onAlarm = cbs.onAlarm ?? null;
  }

  enable(): void {
    this.live('gptimer_enable');
    if (this.fsm !== Fsm.Init) throw new EspError(ESP_ERR_INVALID_STATE, 'gptimer_enable: timer not in init state');
    this.fsm = Fsm.Enable;
  }

  disable(): void {
    this.live('gptimer_disable');
    if (this.fsm !== Fsm.Enable) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `gptimer_disable: timer not in enable state${this.fsm === Fsm.Run ? ' (stop it first)' : ''}`,
      );
    }
    this.fsm = Fsm.Init;
  }

  start(): void {
    this.live('gptimer_start');
    if (this.fsm === Fsm.Run) return;
    if (this.fsm !== Fsm.Enable) throw new EspError(ESP_ERR_INVALID_STATE, 'gptimer_start: timer not enabled');
    this.fsm = Fsm.Run;
    this.unit.setAlarmEnabled(this.alarmEn);
    this.unit.setCounting(true);
  }

  stop(): void {
    this.live('gptimer_stop');
    if (this.fsm === Fsm.Enable) return;
    if (this.fsm !== Fsm.Run) throw new EspError(ESP_ERR_INVALID_STATE, 'gptimer_stop: timer not enabled');
    this.fsm = Fsm.Enable;
    this.unit.setCounting(false);
    this.unit.setAlarmEnabled(false);
  }

  delete(): void {
    this.live('gptimer_del_timer');
    if (this.fsm !== Fsm.Init)
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        'gptimer_del_timer: timer not in init state (stop and disable it first)',
      );
    this.fsm = Fsm.Deleted;
    this.svc.release(this);
  }

  newEtmEvent(kind: GpTimerEtmEventKind): EtmEvent {
    this.live('gptimer_new_etm_event');
    const ids = this.svc.etmIds('gptimer_new_etm_event');
    if (kind !== 'alarm-match')
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `gptimer_new_etm_event: unknown event type ${String(kind)} (only 'alarm-match')`,
      );
    const id = ids.alarmMatch[this.index];
    if (id === undefined)
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        `gptimer_new_etm_event: timer ${this.index} has no alarm event ID in caps.gptimer.etmIds`,
      );
    return stampEtmHandle(this.svc.kernel, { id });
  }

  newEtmTask(kind: GpTimerEtmTaskKind): EtmTask {
    this.live('gptimer_new_etm_task');
    const ids = this.svc.etmIds('gptimer_new_etm_task');
    const key = Object.hasOwn(TASK_KEYS, kind) ? TASK_KEYS[kind] : undefined;
    if (key === undefined) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `gptimer_new_etm_task: unknown task type ${String(kind)} (${Object.keys(TASK_KEYS).join(', ')})`,
      );
    }
    const id = ids[key][this.index];
    if (id === undefined)
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        `gptimer_new_etm_task: timer ${this.index} has no ${kind} task ID in caps.gptimer.etmIds`,
      );
    return stampEtmHandle(this.svc.kernel, { id });
  }

  /** The alarm interrupt: with a callback registered and the timer enabled, re-arms auto-reload and calls it. */
  isr(alarmValue: number): void {
    if (!this.intrInstalled || this.onAlarm === null || (this.fsm !== Fsm.Enable && this.fsm !== Fsm.Run)) return;
    if (this.unit.autoReload) this.unit.setAlarmEnabled(true);
    // user code: a throw is a fault naming the timer; a task awaiting a promise it settles resumes now
    const cb = this.onAlarm;
    if (cb)
      this.svc.kernel.invoke<GpTimerHandle, GpTimerAlarmEventData>(
        `gptimer${this.index}: on_alarm callback`,
        cb,
        this,
        { countValue: this.unit.count(), alarmValue },
      );
  }

  private live(fn: string): void {
    if (this.fsm === Fsm.Deleted) throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: the timer was deleted`);
  }
}

function checkCount(v: unknown, fn: string, what: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_COUNT) {
    throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: ${what} must be a non-negative integer count, got ${String(v)}`);
  }
}

/**
 * The timers of a target (`caps.gptimer.timers`, each a TimerUnit) and the gptimer driver on them. The ETM side
 * (alarm event; start, stop, en-alarm, reload, capture tasks) exists where `caps.gptimer.etm` is set.
 */
export class GpTimers implements GpTimerService {
  private readonly units: TimerUnit[] = [];
  private readonly owners: (Driver | null)[];
  private readonly clockHz: number;
  private readonly ids: EtmIds | undefined;
  private readonly bus: EventSource<GpTimerBusEvents>;
  private raise: (id: number) => void = () => undefined;
  /** Task ID -> [timer index, task key], for the ETM's deliveries. */
  private readonly taskById: ([number, Exclude<keyof EtmIds, 'alarmMatch'>] | undefined)[] = [];
  readonly etmEvents: EtmEventSourceContribution;
  readonly etmTasks: EtmTaskSinkContribution;

  constructor(
    readonly kernel: Kernel,
    bus: EventBus,
    private readonly target: TargetInfo,
  ) {
    const caps = capsSectionOf(target, 'gptimer', 'gptimer');
    this.clockHz = caps.clockHz ?? DEFAULT_GPTIMER_CLOCK_HZ;
    this.ids = caps.etm ? (caps.etmIds ?? C6_GPTIMER_ETM_IDS) : undefined;
    this.bus = bus.source<GpTimerBusEvents>('gptimer');
    this.owners = new Array<Driver | null>(caps.timers).fill(null);
    for (let i = 0; i < caps.timers; i++) {
      this.units.push(new TimerUnit(kernel, i, (alarmValue) => this.alarm(i, alarmValue), `gptimer${i} alarm`));
    }
    const events = new Map<number, string>();
    const tasks = new Map<number, string>();
    if (this.ids) {
      for (let i = 0; i < caps.timers; i++) {
        const ev = this.ids.alarmMatch[i];
        if (ev !== undefined) events.set(ev, `TIMER${i}_EVT_CNT_CMP_TIMER0`);
        for (const key of Object.values(TASK_KEYS)) {
          const id = this.ids[key][i];
          if (id === undefined) continue;
          tasks.set(id, `TIMER${i}_TASK_${TASK_NAMES[key]}_TIMER0`);
          this.taskById[id] = [i, key];
        }
      }
    }
    this.etmEvents = {
      name: 'gptimer',
      events,
      attachEtm: (raise) => {
        this.raise = raise;
      },
      // an alarm event of a timer unit nobody created (gptimer_new_timer) can never happen
      unconfigured: (id) => {
        const i = this.ids?.alarmMatch.indexOf(id) ?? -1;
        return i >= 0 && !this.owners[i]
          ? `timer ${i} was not created (gptimer_new_timer), so it never counts`
          : undefined;
      },
    };
    this.etmTasks = { name: 'gptimer', tasks, runEtmTask: (id) => this.runTask(id) };
  }

  newTimer(config: GpTimerConfig): GpTimerHandle {
    if (config === null || typeof config !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'gptimer_new_timer: config must be an object');
    const { resolutionHz } = config;
    if (typeof resolutionHz !== 'number' || !Number.isInteger(resolutionHz) || resolutionHz <= 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `gptimer_new_timer: invalid timer resolution: ${String(resolutionHz)}`);
    }
    const dir = config.direction ?? 'up';
    if (dir !== 'up' && dir !== 'down')
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `gptimer_new_timer: direction must be 'up' or 'down', got ${String(dir)}`,
      );
    const prescale = Math.floor(this.clockHz / resolutionHz);
    if (prescale < 2 || prescale > 65536) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `gptimer_new_timer: prescaler out of range: ${this.clockHz} Hz / ${resolutionHz} Hz gives ${prescale}, the divider takes 2..65536`,
      );
    }
    const i = this.owners.indexOf(null);
    if (i < 0)
      throw new EspError(
        ESP_ERR_NOT_FOUND,
        `gptimer_new_timer: no free timer (${this.target.name} has ${this.owners.length})`,
      );
    const unit = this.units[i]!;
    unit.halt();
    unit.tickPs = (prescale * 1e12) / this.clockHz;
    unit.up = dir === 'up';
    unit.configure(0, 0, false);
    unit.setCount(0);
    unit.captured = 0;
    const d = new Driver(unit, this);
    d.resolutionHz = this.clockHz / prescale;
    this.owners[i] = d;
    return d;
  }

  /** Stops every timer (at dispose). */
  halt(): void {
    for (const u of this.units) u.halt();
  }

  /** @internal */
  release(d: Driver): void {
    d.unit.halt();
    this.owners[d.index] = null;
  }

  /** @internal */
  etmIds(fn: string): EtmIds {
    if (!this.ids)
      throw new EspError(ESP_ERR_NOT_SUPPORTED, `${fn}: the timers of target "${this.target.name}" have no ETM`);
    return this.ids;
  }

  private alarm(i: number, alarmValue: number): void {
    const unit = this.units[i]!;
    const ev = this.ids?.alarmMatch[i];
    if (ev !== undefined) this.raise(ev);
    if (this.bus.observed) this.bus.emit('alarm', { timer: i, alarmValue, count: unit.count() });
    this.owners[i]?.isr(alarmValue);
  }

  private runTask(id: number): void {
    const t = this.taskById[id];
    if (t === undefined) return;
    const unit = this.units[t[0]]!;
    switch (t[1]) {
      case 'startCount':
        unit.setCounting(true);
        break;
      case 'stopCount':
        unit.setCounting(false);
        break;
      case 'enAlarm':
        unit.setAlarmEnabled(true);
        break;
      case 'reload':
        unit.reload();
        break;
      case 'capture':
        unit.capture();
        break;
    }
  }
}
