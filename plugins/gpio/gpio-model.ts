import type { EventBus, EventSource } from '../../core/bus/event-bus.js';
import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
} from '../../core/errors.js';
import { capsSectionOf } from '../../core/target/caps-of.js';
import type { TargetInfo } from '../../core/tokens.js';
import { idfOf } from '../../core/idf.js';
import { stampEtmHandle, type EtmEventSourceContribution, type EtmTaskSinkContribution } from '../contracts/etm.js';
import {
  ACTION_NAMES,
  C6_GPIO_EVENT_IDS,
  C6_GPIO_TASK_IDS,
  EDGE_NAMES,
  type GpioAction,
  type GpioEdge,
  type GpioEtmEvent,
  type GpioEtmTask,
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
  /**
   * gpio_new_etm_event with several edges (ESP-IDF v5.3+: `edges[]` and one returned handle per edge): one
   * event channel, one handle per edge; binding any handle binds the channel's pin. ESP_ERR_NOT_SUPPORTED
   * before v5.3; ESP_ERR_INVALID_ARG for an empty list or an edge given twice.
   */
  newEtmEvents(edges: readonly GpioEdge[]): GpioEtmEvent[];
  /**
   * gpio_new_etm_task with several actions (ESP-IDF v5.3+: `actions[]`, one handle per action): one task
   * channel whose pins every handle drives with its own action. ESP_ERR_NOT_SUPPORTED before v5.3.
   */
  newEtmTasks(actions: readonly GpioAction[]): GpioEtmTask[];
}

/** Data of the bus event `gpio`/`level`. */
export interface GpioLevel {
  pin: number;
  level: 0 | 1;
}
/** The GPIO's bus events (source `gpio`). */
export type GpioBusEvents = { level: GpioLevel };

const EDGES: readonly GpioEdge[] = ['pos', 'neg', 'any'];
const ACTIONS: readonly GpioAction[] = ['set', 'clear', 'toggle'];
const NO_IDS: readonly number[] = [];
const noRaise = (_id: number): void => undefined;

/** One GPIO ETM event channel: its pin and the event handles on it (one per edge; several from v5.3). */
interface EventSlot {
  pin: number;
  members: EventChannel[];
}
/** One GPIO ETM task channel: its pins and the task handles on it (one per action; several from v5.3). */
interface TaskSlot {
  pinList: number[];
  members: TaskChannel[];
}

class EventChannel implements GpioEtmEvent {
  deleted = false;
  constructor(
    readonly id: number,
    readonly edge: GpioEdge,
    readonly channel: number,
    readonly slot: EventSlot,
    private readonly g: GpioModel,
  ) {}
  get pin(): number {
    return this.slot.pin;
  }
  bindGpio(pin: number): void {
    this.g.bindEvent(this, pin);
  }
  delete(): void {
    this.g.deleteEvent(this);
  }
}

/** A task's action as the level it drives (clear 0, set 1) or OP_TOGGLE. */
const OP_TOGGLE = 2;
const OPS: Record<GpioAction, number> = { clear: 0, set: 1, toggle: OP_TOGGLE };

class TaskChannel implements GpioEtmTask {
  readonly op: number;
  deleted = false;
  constructor(
    readonly id: number,
    readonly action: GpioAction,
    readonly channel: number,
    readonly slot: TaskSlot,
    private readonly g: GpioModel,
  ) {
    this.op = OPS[action];
  }
  get pinList(): number[] {
    return this.slot.pinList;
  }
  get pins(): readonly number[] {
    return [...this.pinList];
  }
  addGpio(pin: number): void {
    this.g.addTaskPin(this, pin);
  }
  removeGpio(pin: number): void {
    this.g.removeTaskPin(this, pin);
  }
  delete(): void {
    this.g.deleteTask(this);
  }
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
  private readonly eventSlots: (EventSlot | null)[];
  private readonly taskSlots: (TaskSlot | null)[];
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

  constructor(
    bus: EventBus,
    private readonly target: TargetInfo,
    private readonly owner: object = target,
  ) {
    const caps = capsSectionOf(target, 'gpio', 'gpio');
    this.hasEtm = caps.etm !== undefined;
    this.pins = caps.pins;
    this.levels = new Uint8Array(this.pins);
    this.rising = new Array<readonly number[]>(this.pins).fill(NO_IDS);
    this.falling = new Array<readonly number[]>(this.pins).fill(NO_IDS);
    this.pinOwner = new Int16Array(this.pins).fill(-1);
    this.eventSlots = new Array<EventSlot | null>(caps.etm?.eventChannels ?? 0).fill(null);
    this.taskSlots = new Array<TaskSlot | null>(caps.etm?.taskChannels ?? 0).fill(null);
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
    this.etmEvents = {
      name: 'gpio',
      events,
      attachEtm: (raise) => {
        this.raise = raise;
      },
      unconfigured: (id) => this.eventUnconfigured(id),
    };
    this.etmTasks = { name: 'gpio', tasks, runEtmTask: (id) => this.runTask(id) };
  }

  /** Why GPIO ETM event `id` cannot happen now: its channel is free, or bound to no pin (undefined: it can). */
  private eventUnconfigured(id: number): string | undefined {
    for (const edge of EDGES) {
      const ch = id - this.eventIds[edge];
      if (ch < 0 || ch >= this.eventSlots.length) continue;
      const slot = this.eventSlots[ch];
      if (!slot) return `GPIO ETM event channel ${ch} is not allocated (gpio_new_etm_event, or the event was deleted)`;
      if (slot.pin < 0) return `GPIO ETM event channel ${ch} is bound to no GPIO (gpio_etm_event_bind_gpio not called)`;
      return undefined;
    }
    return undefined;
  }

  setLevel(pin: number, level: 0 | 1): void {
    this.checkPin(pin, 'gpio_set_level');
    if (level !== 0 && level !== 1)
      throw new EspError(ESP_ERR_INVALID_ARG, `gpio_set_level: level must be 0 or 1, got ${String(level)}`);
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
    return this.newEvents([edge], 'gpio_new_etm_event')[0]!;
  }

  newEtmEvents(edges: readonly GpioEdge[]): GpioEtmEvent[] {
    this.checkMulti('gpio_new_etm_event', 'edges');
    return this.newEvents(edges, 'gpio_new_etm_event');
  }

  private newEvents(list: readonly GpioEdge[], fn: string): EventChannel[] {
    this.checkEtm(fn);
    const edges: readonly GpioEdge[] = Array.isArray(list) ? list : [];
    if (edges.length === 0) throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: give at least one edge`);
    for (const edge of edges)
      if (!EDGES.includes(edge))
        throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: edge must be 'pos', 'neg' or 'any', got ${String(edge)}`);
    if (new Set(edges).size !== edges.length)
      throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: an edge is given twice (${edges.join(', ')})`);
    const ch = this.eventSlots.indexOf(null);
    if (ch < 0)
      throw new EspError(
        ESP_ERR_NOT_FOUND,
        `${fn}: no free GPIO ETM event channel (all ${this.eventSlots.length} in use)`,
      );
    const slot: EventSlot = { pin: -1, members: [] };
    for (const edge of edges)
      slot.members.push(stampEtmHandle(this.owner, new EventChannel(this.eventIds[edge] + ch, edge, ch, slot, this)));
    this.eventSlots[ch] = slot;
    return [...slot.members];
  }

  /** v5.3 made gpio_new_etm_event / gpio_new_etm_task variadic (several edges / actions on one channel). */
  private checkMulti(fn: string, what: string): void {
    this.checkEtm(fn);
    if (!idfOf(this.target).atLeast('5.3')) {
      throw new EspError(
        ESP_ERR_NOT_SUPPORTED,
        `${fn}: several ${what} on one channel need ESP-IDF v5.3 or later (this simulation models v${idfOf(this.target).version})`,
      );
    }
  }

  /** @internal */
  bindEvent(e: EventChannel, pin: number): void {
    this.liveEvent(e, 'gpio_etm_event_bind_gpio');
    this.checkPin(pin, 'gpio_etm_event_bind_gpio');
    if (e.pin === pin) return;
    if (e.pin >= 0) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `gpio_etm_event_bind_gpio: event channel ${e.channel} is already bound to GPIO${e.pin}`,
      );
    }
    e.slot.pin = pin;
    this.rebuildEdges(pin);
  }

  /** @internal */
  deleteEvent(e: EventChannel): void {
    this.liveEvent(e, 'esp_etm_del_event');
    e.deleted = true;
    e.slot.members.splice(e.slot.members.indexOf(e), 1);
    if (e.slot.members.length === 0) this.eventSlots[e.channel] = null;
    if (e.pin >= 0) this.rebuildEdges(e.pin);
  }

  private rebuildEdges(pin: number): void {
    const up: number[] = [];
    const down: number[] = [];
    for (const slot of this.eventSlots) {
      if (slot === null || slot.pin !== pin) continue;
      for (const e of slot.members) {
        if (e.edge !== 'neg') up.push(e.id);
        if (e.edge !== 'pos') down.push(e.id);
      }
    }
    this.rising[pin] = up.length ? up : NO_IDS;
    this.falling[pin] = down.length ? down : NO_IDS;
  }

  // ---- ETM tasks ----

  newEtmTask(action: GpioAction): GpioEtmTask {
    return this.newTasks([action], 'gpio_new_etm_task')[0]!;
  }

  newEtmTasks(actions: readonly GpioAction[]): GpioEtmTask[] {
    this.checkMulti('gpio_new_etm_task', 'actions');
    return this.newTasks(actions, 'gpio_new_etm_task');
  }

  private newTasks(list: readonly GpioAction[], fn: string): TaskChannel[] {
    this.checkEtm(fn);
    const actions: readonly GpioAction[] = Array.isArray(list) ? list : [];
    if (actions.length === 0) throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: give at least one action`);
    for (const a of actions)
      if (!ACTIONS.includes(a))
        throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: action must be 'set', 'clear' or 'toggle', got ${String(a)}`);
    if (new Set(actions).size !== actions.length)
      throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: an action is given twice (${actions.join(', ')})`);
    const ch = this.taskSlots.indexOf(null);
    if (ch < 0)
      throw new EspError(
        ESP_ERR_NOT_FOUND,
        `${fn}: no free GPIO ETM task channel (all ${this.taskSlots.length} in use)`,
      );
    const slot: TaskSlot = { pinList: [], members: [] };
    for (const a of actions) {
      const t = stampEtmHandle(this.owner, new TaskChannel(this.taskIds[a] + ch, a, ch, slot, this));
      slot.members.push(t);
      this.taskById[t.id] = t;
    }
    this.taskSlots[ch] = slot;
    return [...slot.members];
  }

  /** @internal */
  addTaskPin(t: TaskChannel, pin: number): void {
    this.liveTask(t, 'gpio_etm_task_add_gpio');
    this.checkPin(pin, 'gpio_etm_task_add_gpio');
    const owner = this.pinOwner[pin]!;
    if (owner === t.channel) return;
    if (owner >= 0) {
      const other = this.taskSlots[owner]!;
      // gpio_etm.c: ESP_ERR_INVALID_STATE in ESP-IDF v5.1, ESP_ERR_INVALID_ARG from v5.2 on
      const code = idfOf(this.target).atLeast('5.2') ? ESP_ERR_INVALID_ARG : ESP_ERR_INVALID_STATE;
      throw new EspError(
        code,
        `gpio_etm_task_add_gpio: GPIO${pin} is already owned by GPIO ETM task channel ${owner} (${other.members.map((m) => m.action).join('/')}); remove it there first`,
      );
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
    const last = t.slot.members.length === 1;
    if (last && t.pinList.length) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `esp_etm_del_task: GPIO${t.pinList.join(', GPIO')} still added to the task; remove them first`,
      );
    }
    t.deleted = true;
    t.slot.members.splice(t.slot.members.indexOf(t), 1);
    if (last) this.taskSlots[t.channel] = null;
    this.taskById[t.id] = undefined;
  }

  // ---- checks ----

  private checkPin(pin: number, fn: string): void {
    if (!Number.isInteger(pin) || pin < 0 || pin >= this.pins) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${fn}: GPIO${String(pin)} does not exist on ${this.target.name} (GPIO0..GPIO${this.pins - 1})`,
      );
    }
  }

  private checkEtm(fn: string): void {
    if (!this.hasEtm)
      throw new EspError(ESP_ERR_NOT_SUPPORTED, `${fn}: the GPIO of target "${this.target.name}" has no ETM`);
  }

  private liveEvent(e: EventChannel, fn: string): void {
    if (!(e instanceof EventChannel) || e.deleted || this.eventSlots[e.channel] !== e.slot) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: not a live GPIO ETM event of this simulation`);
    }
  }

  private liveTask(t: TaskChannel, fn: string): void {
    if (!(t instanceof TaskChannel) || t.deleted || this.taskSlots[t.channel] !== t.slot) {
      throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: not a live GPIO ETM task of this simulation`);
    }
  }
}
