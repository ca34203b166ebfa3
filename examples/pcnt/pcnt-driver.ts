import {
  Core,
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  ESP_ERR_NOT_SUPPORTED,
  Gpio,
  inject,
  injectable,
  type EtmEvent,
  type EtmEventSourceContribution,
  type EtmTask,
  type EtmTaskSinkContribution,
  type EventBus,
  type EventSource,
  type FaultLog,
  type GpioBusEvents,
  type GpioService,
  type Kernel,
  type TargetInfo,
  capsSectionOf,
} from 'soc-fabric';
import { ChannelDecoder, PcntCounter } from './pcnt-counter.js';
import { C6_PCNT_ETM_EVENTS, C6_PCNT_ETM_TASKS, EVENT_KINDS, TASK_KINDS } from './pcnt-etm.js';
import type {
  PcntBusEvents,
  PcntCallbacks,
  PcntCaps,
  PcntChannel,
  PcntChannelConfig,
  PcntEdgeAction,
  PcntEtmEventKind,
  PcntEtmTaskKind,
  PcntLevelAction,
  PcntService,
  PcntUnit,
  PcntUnitConfig,
  PcntWatchEventData,
  PcntWatchKind,
} from './pcnt-types.js';

/** The ESP32-C6 PCNT, where the target's caps say nothing else. */
export const C6_PCNT_CAPS: Required<Omit<PcntCaps, 'etm'>> = { units: 4, channelsPerUnit: 2, clockHz: 40_000_000 };
/** The hardware counter's range (PCNT_LL_MIN_LIM / PCNT_LL_MAX_LIM). */
const MIN_LIMIT = -32768;
const MAX_LIMIT = 32767;
/** The glitch filter's largest threshold, in clock cycles (PCNT_LL_MAX_GLITCH_WIDTH). */
const MAX_GLITCH_CYCLES = 1023;

const EDGE_ACTIONS: readonly PcntEdgeAction[] = ['hold', 'increase', 'decrease'];
const LEVEL_ACTIONS: readonly PcntLevelAction[] = ['keep', 'inverse', 'hold'];

const enum Fsm {
  Init,
  Enable,
  Deleted,
}

class ChannelHandle implements PcntChannel {
  deleted = false;
  constructor(
    readonly decoder: ChannelDecoder,
    private readonly unit: UnitHandle,
  ) {}
  get index(): number {
    return this.decoder.index;
  }

  setEdgeAction(pos: PcntEdgeAction, neg: PcntEdgeAction): void {
    this.live('pcnt_channel_set_edge_action');
    for (const a of [pos, neg]) {
      if (!EDGE_ACTIONS.includes(a))
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `pcnt_channel_set_edge_action: action must be ${EDGE_ACTIONS.join(', ')}; got ${String(a)}`,
        );
    }
    this.decoder.pos = pos;
    this.decoder.neg = neg;
  }

  setLevelAction(high: PcntLevelAction, low: PcntLevelAction): void {
    this.live('pcnt_channel_set_level_action');
    for (const a of [high, low]) {
      if (!LEVEL_ACTIONS.includes(a))
        throw new EspError(
          ESP_ERR_INVALID_ARG,
          `pcnt_channel_set_level_action: action must be ${LEVEL_ACTIONS.join(', ')}; got ${String(a)}`,
        );
    }
    this.decoder.high = high;
    this.decoder.low = low;
  }

  delete(): void {
    this.live('pcnt_del_channel');
    this.deleted = true;
    this.unit.removeChannel(this);
  }

  private live(fn: string): void {
    if (this.deleted) throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: the channel was deleted`);
  }
}

class UnitHandle implements PcntUnit {
  fsm = Fsm.Init;
  onReach: PcntCallbacks['onReach'] = null;
  intrInstalled = false;
  readonly channels: (ChannelHandle | null)[];
  /** The ETM events this unit raises and the ETM tasks it performs. */
  readonly etmEvents = new Set<PcntEtmEventKind>();
  readonly etmTasks = new Set<PcntEtmTaskKind>();

  constructor(
    readonly hw: PcntCounter,
    private readonly pcnt: PcntController,
  ) {
    this.channels = new Array<ChannelHandle | null>(hw.channels.length).fill(null);
  }

  get index(): number {
    return this.hw.index;
  }

  newChannel(config: PcntChannelConfig): PcntChannel {
    this.live('pcnt_new_channel');
    if (config === null || typeof config !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'pcnt_new_channel: config must be an object');
    if (this.fsm !== Fsm.Init)
      throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_new_channel: unit not in init state (disable it first)');
    this.pcnt.checkPin(config.edgeGpio, 'pcnt_new_channel', 'edgeGpio');
    const levelGpio = config.levelGpio ?? -1;
    if (levelGpio !== -1) this.pcnt.checkPin(levelGpio, 'pcnt_new_channel', 'levelGpio');
    const slot = this.channels.indexOf(null);
    if (slot < 0)
      throw new EspError(
        ESP_ERR_NOT_FOUND,
        `pcnt_new_channel: no free channel in unit ${this.index} (all ${this.channels.length} in use)`,
      );
    const decoder = new ChannelDecoder(
      slot,
      this.hw,
      { pin: config.edgeGpio, level: this.pcnt.levelOf(config.edgeGpio) },
      levelGpio === -1 ? null : { pin: levelGpio, level: this.pcnt.levelOf(levelGpio) },
    );
    const ch = new ChannelHandle(decoder, this);
    this.channels[slot] = ch;
    this.hw.channels[slot] = decoder;
    this.pcnt.connectInputs(decoder);
    return ch;
  }

  /** @internal */
  removeChannel(ch: ChannelHandle): void {
    this.channels[ch.index] = null;
    this.hw.channels[ch.index] = null;
    this.pcnt.disconnectInputs(ch.decoder);
  }

  setGlitchFilter(config: { maxGlitchNs: number } | null): void {
    this.live('pcnt_unit_set_glitch_filter');
    if (this.fsm !== Fsm.Init)
      throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_unit_set_glitch_filter: unit not in init state');
    if (config === null) {
      this.hw.filterPs = 0;
      return;
    }
    const glitchNs = typeof config === 'object' ? config.maxGlitchNs : undefined;
    if (typeof glitchNs !== 'number' || !Number.isInteger(glitchNs) || glitchNs <= 0) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `pcnt_unit_set_glitch_filter: maxGlitchNs must be a positive integer, got ${String(glitchNs)}`,
      );
    }
    // As the driver: threshold in clock cycles = MHz * ns / 1000, at most 1023 cycles.
    const cycles = Math.floor((Math.floor(this.pcnt.clockHz / 1e6) * glitchNs) / 1000);
    if (cycles > MAX_GLITCH_CYCLES) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `pcnt_unit_set_glitch_filter: glitch width out of range (${cycles} cycles of ${this.pcnt.clockHz / 1e6} MHz; at most ${MAX_GLITCH_CYCLES})`,
      );
    }
    this.hw.filterPs = Math.round((cycles * 1e12) / this.pcnt.clockHz);
  }

  registerEventCallbacks(cbs: PcntCallbacks): void {
    this.live('pcnt_unit_register_event_callbacks');
    if (cbs === null || typeof cbs !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'pcnt_unit_register_event_callbacks: cbs must be an object');
    if (cbs.onReach != null && typeof cbs.onReach !== 'function') {
      throw new EspError(ESP_ERR_INVALID_ARG, 'pcnt_unit_register_event_callbacks: onReach must be a function');
    }
    // The interrupt is installed lazily by the first registration, which needs the init state.
    if (!this.intrInstalled && this.fsm !== Fsm.Init) {
      throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_unit_register_event_callbacks: unit not in init state');
    }
    this.intrInstalled = true;
    this.onReach = cbs.onReach ?? null;
  }

  addWatchPoint(value: number): void {
    this.live('pcnt_unit_add_watch_point');
    const hw = this.hw;
    if (!Number.isInteger(value) || value < hw.low || value > hw.high) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `pcnt_unit_add_watch_point: watch point ${String(value)} out of limit [${hw.low}, ${hw.high}]`,
      );
    }
    const already = (): never => {
      throw new EspError(ESP_ERR_INVALID_STATE, `pcnt_unit_add_watch_point: watch point ${value} was added already`);
    };
    if (value === 0) {
      if (hw.watchZero) already();
      hw.watchZero = true;
      return;
    }
    if (value === hw.high) {
      if (hw.watchHigh) already();
      hw.watchHigh = true;
      return;
    }
    if (value === hw.low) {
      if (hw.watchLow) already();
      hw.watchLow = true;
      return;
    }
    // The driver fills thres1 first, then thres0.
    for (const i of [1, 0]) {
      if (hw.thresholds[i] === null) {
        hw.thresholds[i] = value;
        return;
      }
      if (hw.thresholds[i] === value) already();
    }
    throw new EspError(
      ESP_ERR_NOT_FOUND,
      `pcnt_unit_add_watch_point: no free threshold for ${value} (both hold ${hw.thresholds.join(' and ')})`,
    );
  }

  removeWatchPoint(value: number): void {
    this.live('pcnt_unit_remove_watch_point');
    const hw = this.hw;
    // The driver's watcher order: the limits and zero before the thresholds.
    if (value === hw.low && hw.watchLow) {
      hw.watchLow = false;
      return;
    }
    if (value === hw.high && hw.watchHigh) {
      hw.watchHigh = false;
      return;
    }
    if (value === 0 && hw.watchZero) {
      hw.watchZero = false;
      return;
    }
    const i = hw.thresholds.indexOf(value);
    if (i < 0 || !Number.isInteger(value))
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `pcnt_unit_remove_watch_point: watch point ${String(value)} not added yet`,
      );
    hw.thresholds[i] = null;
  }

  enable(): void {
    this.live('pcnt_unit_enable');
    if (this.fsm !== Fsm.Init) throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_unit_enable: unit not in init state');
    this.fsm = Fsm.Enable;
  }

  disable(): void {
    this.live('pcnt_unit_disable');
    if (this.fsm !== Fsm.Enable)
      throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_unit_disable: unit not in enable state');
    this.fsm = Fsm.Init;
  }

  start(): void {
    this.live('pcnt_unit_start');
    if (this.fsm !== Fsm.Enable) throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_unit_start: unit not enabled yet');
    this.hw.paused = false;
  }

  stop(): void {
    this.live('pcnt_unit_stop');
    if (this.fsm !== Fsm.Enable) throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_unit_stop: unit not enabled yet');
    this.hw.paused = true;
  }

  clearCount(): void {
    this.live('pcnt_unit_clear_count');
    this.hw.reset();
    this.hw.accumulated = 0;
  }

  getCount(): number {
    this.live('pcnt_unit_get_count');
    return this.hw.value + this.hw.accumulated;
  }

  delete(): void {
    this.live('pcnt_del_unit');
    if (this.fsm !== Fsm.Init) throw new EspError(ESP_ERR_INVALID_STATE, 'pcnt_del_unit: unit not in init state');
    const busy = this.channels.findIndex((c) => c !== null);
    if (busy >= 0)
      throw new EspError(ESP_ERR_INVALID_STATE, `pcnt_del_unit: channel ${busy} still in working (delete it first)`);
    this.fsm = Fsm.Deleted;
    this.pcnt.release(this);
  }

  newEtmEvent(kind: PcntEtmEventKind): EtmEvent {
    this.live('pcnt_new_etm_event');
    this.pcnt.checkEtm('pcnt_new_etm_event');
    if (!EVENT_KINDS.includes(kind))
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `pcnt_new_etm_event: kind must be ${EVENT_KINDS.join(', ')}; got ${String(kind)}`,
      );
    this.etmEvents.add(kind);
    return { id: C6_PCNT_ETM_EVENTS[kind].id };
  }

  newEtmTask(kind: PcntEtmTaskKind): EtmTask {
    this.live('pcnt_new_etm_task');
    this.pcnt.checkEtm('pcnt_new_etm_task');
    if (!TASK_KINDS.includes(kind))
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `pcnt_new_etm_task: kind must be ${TASK_KINDS.join(', ')}; got ${String(kind)}`,
      );
    this.etmTasks.add(kind);
    return { id: C6_PCNT_ETM_TASKS[kind].id };
  }

  private live(fn: string): void {
    if (this.fsm === Fsm.Deleted) throw new EspError(ESP_ERR_INVALID_ARG, `${fn}: the unit was deleted`);
  }
}

/**
 * The pulse counter controller: the pulse_cnt driver's units over the counters' hardware. It listens to the
 * GPIO's `level` bus events (attached at simulation start, see index.ts) and offers its ETM events and tasks
 * through the ETM's contribution points.
 */
@injectable()
export class PcntController implements PcntService {
  readonly clockHz: number;
  private readonly units: (UnitHandle | null)[];
  private readonly counters: PcntCounter[];
  private readonly etm: boolean;
  /** GPIO -> the filtered inputs fed by it (the hot path: one array read per level change). */
  private readonly inputsByPin = new Map<number, ChannelDecoder['edge'][]>();
  private readonly bus: EventSource<PcntBusEvents>;
  private subscription: { unsubscribe(): void } | undefined;
  private raise: (eventId: number) => void = () => undefined;
  /** Offered to the ETM (empty where the target's PCNT has no ETM). */
  readonly etmEvents: EtmEventSourceContribution;
  readonly etmTasks: EtmTaskSinkContribution;

  constructor(
    @inject(Core.Kernel) kernel: Kernel,
    @inject(Core.Bus) private readonly eventBus: EventBus,
    @inject(Core.Target) private readonly target: TargetInfo,
    @inject(Gpio) private readonly gpio: GpioService,
    @inject(Core.Faults) private readonly faults: FaultLog,
  ) {
    // caps.pcnt was checked by pcntCapsSchema when the target was defined
    const caps = { ...C6_PCNT_CAPS, ...target.caps.pcnt };
    this.clockHz = caps.clockHz;
    this.etm = caps.etm ?? target.caps.etm !== undefined;
    this.units = new Array<UnitHandle | null>(caps.units).fill(null);
    const report = (c: PcntCounter, kind: PcntWatchKind, edata: PcntWatchEventData): void =>
      this.reached(c, kind, edata);
    this.counters = Array.from(
      { length: caps.units },
      (_, i) => new PcntCounter(i, caps.channelsPerUnit, kernel, report),
    );
    this.bus = eventBus.source<PcntBusEvents>('pcnt');

    const events = new Map<number, string>();
    const tasks = new Map<number, string>();
    if (this.etm) {
      for (const e of Object.values(C6_PCNT_ETM_EVENTS)) events.set(e.id, e.name);
      for (const t of Object.values(C6_PCNT_ETM_TASKS)) tasks.set(t.id, t.name);
    }
    this.etmEvents = {
      name: 'pcnt',
      events,
      attachEtm: (raise) => {
        this.raise = raise;
      },
    };
    this.etmTasks = { name: 'pcnt', tasks, runEtmTask: (id) => this.runEtmTask(id) };
  }

  newUnit(config: PcntUnitConfig): PcntUnit {
    if (config === null || typeof config !== 'object')
      throw new EspError(ESP_ERR_INVALID_ARG, 'pcnt_new_unit: config must be an object');
    const { lowLimit, highLimit } = config;
    if (
      !Number.isInteger(lowLimit) ||
      !Number.isInteger(highLimit) ||
      !(lowLimit < 0 && highLimit > 0 && lowLimit >= MIN_LIMIT && highLimit <= MAX_LIMIT)
    ) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `pcnt_new_unit: invalid limit range [${String(lowLimit)}, ${String(highLimit)}] (need ${MIN_LIMIT} <= low < 0 < high <= ${MAX_LIMIT})`,
      );
    }
    const i = this.units.indexOf(null);
    if (i < 0) throw new EspError(ESP_ERR_NOT_FOUND, `pcnt_new_unit: no free unit (all ${this.units.length} in use)`);
    const hw = this.counters[i]!;
    // pcnt_new_unit: every comparator off, no filter, stopped and cleared.
    Object.assign(hw, {
      low: lowLimit,
      high: highLimit,
      accumCount: config.accumCount ?? false,
      paused: true,
      value: 0,
      accumulated: 0,
      watchZero: false,
      watchHigh: false,
      watchLow: false,
      filterPs: 0,
    });
    hw.thresholds.fill(null);
    const unit = new UnitHandle(hw, this);
    this.units[i] = unit;
    return unit;
  }

  /** Starts listening to the GPIO (called by the plugin's Lifecycle at simulation start). */
  attach(): void {
    this.subscription ??= this.eventBus
      .source<GpioBusEvents>('gpio')
      .on('level')
      .subscribe((e) => {
        const inputs = this.inputsByPin.get(e.data!.pin);
        if (inputs !== undefined) for (const input of inputs) input.raw(e.data!.level);
      });
  }

  /** Stops listening (at dispose). */
  detach(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /** @internal */
  connectInputs(d: ChannelDecoder): void {
    for (const input of d.control === null ? [d.edge] : [d.edge, d.control]) {
      this.inputsByPin.set(input.pin, [...(this.inputsByPin.get(input.pin) ?? []), input]);
    }
  }

  /** @internal */
  disconnectInputs(d: ChannelDecoder): void {
    for (const input of [d.edge, d.control]) {
      if (input === null) continue;
      input.cancel();
      const rest = (this.inputsByPin.get(input.pin) ?? []).filter((x) => x !== input);
      if (rest.length) this.inputsByPin.set(input.pin, rest);
      else this.inputsByPin.delete(input.pin);
    }
  }

  /** @internal */
  release(unit: UnitHandle): void {
    this.units[unit.index] = null;
  }

  /** @internal */
  levelOf(pin: number): 0 | 1 {
    return this.gpio.getLevel(pin);
  }

  /** @internal */
  checkPin(pin: unknown, fn: string, what: string): void {
    const pins = capsSectionOf(this.target, 'gpio', 'pcnt').pins;
    if (typeof pin !== 'number' || !Number.isInteger(pin) || pin < 0 || pin >= pins) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${fn}: ${what} GPIO${String(pin)} does not exist on ${this.target.name} (GPIO0..GPIO${pins - 1})`,
      );
    }
  }

  /** @internal */
  checkEtm(fn: string): void {
    if (!this.etm)
      throw new EspError(ESP_ERR_NOT_SUPPORTED, `${fn}: the PCNT of target "${this.target.name}" has no ETM`);
  }

  /** A counter reached an enabled watch point: bus event, the unit's callback, its ETM event. */
  private reached(c: PcntCounter, kind: PcntWatchKind, edata: PcntWatchEventData): void {
    if (this.bus.observed) this.bus.emit('watch', { unit: c.index, kind, value: edata.watchPointValue });
    const unit = this.units[c.index];
    if (unit === null || unit === undefined) return;
    if (unit.onReach && unit.fsm === Fsm.Enable) {
      // A throwing callback is the user's bug, not the hardware's: record it and let the counters go on.
      try {
        unit.onReach(unit, edata);
      } catch (e) {
        this.faults.report(`pcnt unit${c.index} onReach`, e);
      }
    }
    if (unit.etmEvents.has(kind)) this.raise(C6_PCNT_ETM_EVENTS[kind].id);
  }

  private runEtmTask(id: number): void {
    const kind = TASK_KINDS.find((k) => C6_PCNT_ETM_TASKS[k].id === id);
    if (kind === undefined) return;
    for (const unit of this.units) {
      if (unit === null || !unit.etmTasks.has(kind)) continue;
      const hw = unit.hw;
      switch (kind) {
        case 'start':
          hw.paused = false;
          break;
        case 'stop':
          hw.paused = true;
          break;
        case 'increase':
          hw.count(1);
          break;
        case 'decrease':
          hw.count(-1);
          break;
        case 'reset':
          hw.reset();
          break;
      }
    }
  }
}
