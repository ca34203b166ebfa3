import type { EventBus, EventSource } from '../../core/bus/event-bus.js';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, ESP_ERR_NOT_FOUND, ESP_ERR_NOT_SUPPORTED } from '../../core/errors.js';
import { capsSectionOf } from '../../core/target/caps.js';
import type { TargetInfo } from '../../core/tokens.js';
import { stampEtmHandle, type EtmEventSourceContribution, type EtmTaskSinkContribution } from '../contracts/etm.js';
import {
  ACTION_NAMES, C6_GPIO_EVENT_IDS, C6_GPIO_TASK_IDS, EDGE_NAMES,
  type GpioAction, type GpioEdge, type GpioEtmEvent, type GpioEtmTask,
} from './gpio-etm.js';

/** The gpio service: levels, and ETM events and tasks where the target's GPIO has them. */
export interface GpioService {
  /** gpio_set_level. Every change of level is a bus event `gpio`/`level` { pin, level }. */
  setLevel(pin: number, level: 0 | 1): void;
  /** gpio_get_level. */
  getLevel(pin: number): 0 | 1;
  /** gpio_new_etm_event: takes one of the GPIO ETM event channels (ESP_ERR_NOT_FOUND when none is free). */
  newEtmEvent(edge: GpioEdge): GpioEtmEvent;
  /** gpio_new_etm_task: takes one of the GPIO ETM task channels (ESP_ERR_NOT_FOUND when none is free). */
  newEtmTask(action: GpioAction): GpioEtmTask;
}

/** Data of the bus event `gpio`/`level`. */
export interface GpioLevel { pin: number; level: 0 | 1 }
/** The GPIO's bus events (source `gpio`). */
export type GpioBusEvents = { level: GpioLevel };

const EDGES: readonly GpioEdge[] = ['pos', 'neg', 'any'];
const ACTIONS: readonly GpioAction[] = ['set', 'clear', 'toggle'];
const NO_IDS: readonly number[] = [];
const noRaise = (_id: number): void => undefined;

class EventChannel implements GpioEtmEvent {
  pin = -1;
  deleted = false;
  constructor(readonly id: number, readonly edge: GpioEdge, readonly channel: number, private readonly g: GpioModel) {}
  bindGpio(pin: number): void { this.g.bindEvent(this, pin); }
  delete(): void { this.g.deleteEvent(this); }
}

/** A task's action as the level it drives (clear 0, set 1) or OP_TOGGLE. */
const OP_TOGGLE = 2;
const OPS: Record<GpioAction, number> = { clear: 0, set: 1, toggle: OP_TOGGLE };

class TaskChannel implements GpioEtmTask {
  readonly pinList: number[] = [];
  readonly op: number;
  deleted = false;
  constructor(readonly id: number, readonly action: GpioAction, readonly channel: number, private readonly g: GpioModel) {
    this.op = OPS[action];
  }
  get pins(): readonly number[] { return [...this.pinList]; }
  addGpio(pin: number): void { this.g.addTaskPin(this, pin); }
  removeGpio(pin: number): void { this.g.removeTaskPin(this, pin); }
  delete(): void { this.g.deleteTask(this); }
}

/**
 * The GPIO matrix as far as levels and ETM go. Edge events are indexed per pin (`rising[pin]` / `falling[pin]`
 * list the event IDs to raise), so a level change costs an array read when nothing listens.
 */
export class GpioModel implements GpioService {
  readonly pins: number;
  private readonly levels: Uint8Array;
  private readonly rising: (readonly number[])[];
  private readonly falling: (readonly number[])[];
  private readonly eventSlots: (EventChannel | null)[];
  private readonly taskSlots: (TaskChannel | null)[];
  /** Task ID -> task channel, for the ETM's deliveries. */
  private readonly taskById: (TaskChannel | undefined)[] = [];
  /** Pin -> the task channel that owns it (-1: none). */
  private readonly pinOwner: Int16Array;
  private readonly hasEtm: boolean;
  private readonly eventIds: { pos: number; neg: number; any: number };
  private readonly taskIds: { set: number; clear: number; toggle: number };
  private readonly bus: EventSource<GpioBusEvents>;
  private raise: (eventId: number) => void = noRaise;
  /** The ETM contributions (empty where the target's GPIO has no ETM). */
  readonly etmEvents: EtmEventSourceContribution;
  readonly etmTasks: EtmTaskSinkContribution;

  constructor(bus: EventBus, private readonly target: TargetInfo, private readonly owner: object = target) {
    const caps = capsSectionOf(target, 'gpio', 'gpio');
    this.hasEtm = caps.etm !== undefined;
    this.pins = caps.pins;
    this.levels = new Uint8Array(this.pins);
    this.rising = new Array<readonly number[]>(this.pins).fill(NO_IDS);
    this.falling = new Array<readonly number[]>(this.pins).fill(NO_IDS);
    this.pinOwner = new Int16Array(this.pins).fill(-1);
    this.eventSlots = new Array<EventChannel | null>(caps.etm?.eventChannels ?? 0).fill(null);
    this.taskSlots = new Array<TaskChannel | null>(caps.etm?.taskChannels ?? 0).fill(null);
    this.eventIds = caps.etm?.eventIds ?? C6_GPIO_EVENT_IDS;
    this.taskIds = caps.etm?.taskIds ?? C6_GPIO_TASK_IDS;
    this.bus = bus.source<GpioBusEvents>('gpio');

    const events = new Map<number, string>();
    const tasks = new Map<number, string>();
    for (let ch = 0; ch < this.eventSlots.length; ch++) {
      for (const e of EDGES) events.set(this.eventIds[e] + ch, `GPIO_EVT_CH${ch}_${EDGE_NAMES[e]}`);
    }
    for (let ch = 0; ch < this.taskSlots.length; ch++) {
      for (const a of ACTIONS) tasks.set(this.taskIds[a] + ch, `GPIO_TASK_CH${ch}_${ACTION_NAMES[a]}`);
    }
    this.etmEvents = { name: 'gpio', events, attachEtm: (raise) => { this.raise = raise; } };
    this.etmTasks = { name: 'gpio', tasks, runEtmTask: (id) => this.runTask(id) };
  }

  setLevel(pin: number, level: 0 | 1): void {
    this.checkPin(pin, 'gpio_set_level');
    if (level !== 0 && level !== 1) throw new EspError(ESP_ERR_INVALID_ARG, `gpio_set_level: level must be 0 or 1, got ${String(level)}`);
    this.drive(pin, level);
  }

  /** gpio_get_level. */
  getLevel(pin: number): 0 | 1 {
    this.checkPin(pin, 'gpio_get_level');
    return this.levels[pin] as 0 | 1;
  }

  /** The hot path: a level change publishes (when observed) and raises the pin's edge events. */
  private drive(pin: number, level: number): void {
    if (this.levels[pin] === level) return;
    this.levels[pin] = level;
    if (this.bus.observed) this.bus.emit('level', { pin, level: level as 0 | 1 });
    const ids = level === 1 ? this.rising[pin]! : this.falling[pin]!;
    for (let i = 0; i < ids.length; i++) this.raise(ids[i]!);
  }

  private runTask(taskId: number): void {
    const t = this.taskById[taskId];
    if (t === undefined) return;
    const pins = t.pinList;
    const op = t.op;
    for (let i = 0; i < pins.length; i++) {
      const pin = pins[i]!;
      this.drive(pin, op === OP_TOGGLE ? this.levels[pin]! ^ 1 : op);
    }
  }

  // ---- ETM events ----

  newEtmEvent(edge: GpioEdge): GpioEtmEvent {
    this.checkEtm('gpio_new_etm_event');
    if (!EDGES.includes(edge)) throw new EspError(ESP_ERR_INVALID_ARG, `gpio_new_etm_event: edge must be 'pos', 'neg' or 'any', got ${String(edge)}`);
    const ch = this.eventSlots.indexOf(null);
    if (ch < 0) throw new EspError(ESP_ERR_NOT_FOUND, `gpio_new_etm_event: no free GPIO ETM event channel (all ${this.eventSlots.length} in use)`);
    const e = stampEtmHandle(this.owner, new EventChannel(this.eventIds[edge] + ch, edge, ch, this));
    this.eventSlots[ch] = e;
    return e;
  }

  /** @internal */
  bindEvent(e: EventChannel, pin: number): void {
    this.liveEvent(e, 'gpio_etm_event_bind_gpio');
    this.checkPin(pin, 'gpio_etm_event_bind_gpio');
    if (e.pin === pin) return;
    if (e.pin >= 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `gpio_etm_event_bind_gpio: event channel ${e.channel} is already bound to GPIO${e.pin}`);
    }
    e.pin = pin;
    this.rebuildEdges(pin);
  }

  /** @internal */
  deleteEvent(e: EventChannel): void {
    this.liveEvent(e, 'esp_etm_del_event');
    e.deleted = true;
    this.eventSlots[e.channel] = null;
    if (e.pin >= 0) this.rebuildEdges(e.pin);
  }

  private rebuildEdges(pin: number): void {
    const up: number[] = [];
    const down: number[] = [];
    for (const e of this.eventSlots) {
      if (e === null || e.pin !== pin) continue;
      if (e.edge !== 'neg') up.push(e.id);
      if (e.edge !== 'pos') down.push(e.id);
    }
    this.rising[pin] = up.length ? up : NO_IDS;
    this.falling[pin] = down.length ? down : NO_IDS;
  }

  // ---- ETM tasks ----

  newEtmTask(action: GpioAction): GpioEtmTask {
    this.checkEtm('gpio_new_etm_task');
    if (!ACTIONS.includes(action)) throw new EspError(ESP_ERR_INVALID_ARG, `gpio_new_etm_task: action must be 'set', 'clear' or 'toggle', got ${String(action)}`);
    const ch = this.taskSlots.indexOf(null);
    if (ch < 0) throw new EspError(ESP_ERR_NOT_FOUND, `gpio_new_etm_task: no free GPIO ETM task channel (all ${this.taskSlots.length} in use)`);
    const t = stampEtmHandle(this.owner, new TaskChannel(this.taskIds[action] + ch, action, ch, this));
    this.taskSlots[ch] = t;
    this.taskById[t.id] = t;
    return t;
  }

  /** @internal */
  addTaskPin(t: TaskChannel, pin: number): void {
    this.liveTask(t, 'gpio_etm_task_add_gpio');
    this.checkPin(pin, 'gpio_etm_task_add_gpio');
    const owner = this.pinOwner[pin]!;
    if (owner === t.channel) return;
    if (owner >= 0) {
      const other = this.taskSlots[owner]!;
      throw new EspError(ESP_ERR_INVALID_STATE,
        `gpio_etm_task_add_gpio: GPIO${pin} is already owned by GPIO ETM task channel ${owner} (${other.action}); remove it there first`);
    }
    this.pinOwner[pin] = t.channel;
    t.pinList.push(pin);
  }

  /** @internal */
  removeTaskPin(t: TaskChannel, pin: number): void {
    this.liveTask(t, 'gpio_etm_task_rm_gpio');
    this.checkPin(pin, 'gpio_etm_task_rm_gpio');
    const i = t.pinList.indexOf(pin);
    if (i < 0) throw new EspError(ESP_ERR_INVALID_ARG, `gpio_etm_task_rm_gpio: GPIO${pin} was not added to this task`);
    t.pinList.splice(i, 1);
    this.pinOwner[pin] = -1;
  }

  /** @internal */
  deleteTask(t: TaskChannel): void {
    this.liveTask(t, 'esp_etm_del_task');
    if (t.pinList.length) {
      throw new EspError(ESP_ERR_INVALID_STATE, `esp_etm_del_task: GPIO${t.pinList.join(', GPIO')} still added to the task; remove them first`);
    }
    t.deleted = true;
    this.taskSlots[t.channel] = null;
    this.taskById[t.id] = undefined;
  }

  // ---- checks ----

  private checkPin(pin: number, fn: string): void {
    if (!Number.isInteger(pin) || pin < 0 || pin >= this.pins) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: GPIO${String(pin)} does not exist on ${this.target.name} (GPIO0..GPIO${this.pins - 1})`);
    }
  }

  private checkEtm(fn: string): void {
    if (!this.hasEtm) throw new EspError(ESP_ERR_NOT_SUPPORTED, `${fn}: the GPIO of target "${this.target.name}" has no ETM`);
  }

  private liveEvent(e: EventChannel, fn: string): void {
    if (!(e instanceof EventChannel) || e.deleted || this.eventSlots[e.channel] !== e) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: not a live GPIO ETM event of this simulation`);
    }
  }

  private liveTask(t: TaskChannel, fn: string): void {
    if (!(t instanceof TaskChannel) || t.deleted || this.taskSlots[t.channel] !== t) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: not a live GPIO ETM task of this simulation`);
    }
  }
}
