import type { EventBus, EventSource } from '../../core/bus/event-bus.js';
import {
  EspError,
  ESP_ERR_INVALID_ARG,
  ESP_ERR_INVALID_STATE,
  ESP_ERR_NOT_FOUND,
  SimulationError,
} from '../../core/errors.js';
import type { DelayLine, Kernel } from '../../core/kernel/kernel.js';
import type {
  EtmChannel,
  EtmEvent,
  EtmEventSourceContribution,
  EtmService,
  EtmTask,
  EtmTaskSinkContribution,
} from '../contracts/etm.js';
import { etmHandleOwner } from '../contracts/etm.js';

/** Data of the bus event `etm`/`fire`: a channel delivered its event to its task. */
export interface EtmFire {
  channel: number;
  event: number;
  task: number;
}
/** The ETM's bus events (source `etm`): a channel delivered its event to its task. */
export type EtmBusEvents = { fire: EtmFire };
/**
 * The esp_etm calls, on a source of their own (`etm-config`) so that `etm` carries only deliveries; published
 * only when something listens (the diagnostics checker).
 */
export type EtmConfigEvents = {
  /** esp_etm_channel_connect (0: none). */
  connect: { channel: number; event: number; task: number };
  /** esp_etm_channel_connect refused: `id` is no event / task of this target (ESP_ERR_INVALID_ARG). */
  'connect-refused': { channel: number; what: 'event' | 'task'; id: unknown };
  enable: { channel: number };
  disable: { channel: number };
  delete: { channel: number };
  /** esp_etm_new_channel refused: all `channels` are in use (ESP_ERR_NOT_FOUND). */
  'alloc-refused': { channels: number };
};

/** esp_etm's channel FSM (INIT, ENABLE), plus the state of a deleted handle. */
const enum ChanState {
  Init,
  Enable,
  Deleted,
}

/** Parameters the ETM reads from the target. */
export interface EtmMatrixParams {
  channels: number;
  /** Event-to-task latency in picoseconds (from caps: latencyCycles of clockHz). */
  latencyPs: number;
}

/** One channel handle (esp_etm_channel_handle_t). A deleted handle stays dead; its slot is reused by a new one. */
class Channel implements EtmChannel {
  state = ChanState.Init;
  eventId = 0;
  taskId = 0;
  /** The sink that performs `taskId` (resolved at connect), undefined when no task is connected. */
  sink: EtmTaskSinkContribution | undefined = undefined;
  /** Kernel source name of this channel's deliveries: names the channel, its event and task in runaway reports. */
  source: string;
  /**
   * The end of the latency: runs the task if the channel is still enabled and connected. Bound once, so that
   * routing allocates nothing but the kernel's Timer.
   */
  readonly fire: () => void;

  constructor(
    readonly index: number,
    private readonly m: EtmMatrix,
    bus: EventSource<EtmBusEvents>,
  ) {
    this.source = `etm ch${index}`;
    this.fire = () => {
      const sink = this.sink;
      if (sink === undefined || this.state !== ChanState.Enable) return;
      if (bus.observed) bus.emit('fire', { channel: this.index, event: this.eventId, task: this.taskId });
      sink.runEtmTask(this.taskId);
    };
  }

  connect(event: EtmEvent | null, task: EtmTask | null): void {
    this.m.connect(this, event, task);
  }
  enable(): void {
    this.m.enable(this);
  }
  disable(): void {
    this.m.disable(this);
  }
  delete(): void {
    this.m.delete(this);
  }
}

/**
 * The Event Task Matrix: channels that each route one event ID to one task ID after a fixed latency.
 *
 * Event sources call `raise(id)` (handed to them by `attachEtm` at start). Routing is indexed by event ID:
 * `routes[id]` lists the enabled channels connected to it, so a raise is an array read plus one post per
 * channel to the kernel's delay line of the ETM latency (ordered exactly as `kernel.schedule` would order it).
 * A zero latency is still a scheduled event, so a zero-latency feedback loop meets the kernel's runaway limit
 * instead of recursing.
 */
export class EtmMatrix implements EtmService {
  private readonly slots: (Channel | null)[];
  private readonly routes: (Channel[] | undefined)[] = [];
  private readonly eventNames = new Map<number, { name: string; owner: string }>();
  private readonly sourceByEvent = new Map<number, EtmEventSourceContribution>();
  private readonly taskNames = new Map<number, { name: string; owner: string }>();
  /** Task ID -> the sink that performs it (read at connect; each channel keeps its own). */
  private readonly sinkByTask: (EtmTaskSinkContribution | undefined)[] = [];
  private readonly bus: EventSource<EtmBusEvents>;
  private readonly config: EventSource<EtmConfigEvents>;
  private attached = false;
  readonly latencyPs: number;
  /** Every delivery takes the same latency: they wait in the kernel's FIFO for it, not as queue events. */
  private readonly deliveries: DelayLine;

  constructor(
    private readonly kernel: Kernel,
    bus: EventBus,
    params: EtmMatrixParams,
  ) {
    this.slots = new Array<Channel | null>(params.channels).fill(null);
    this.latencyPs = params.latencyPs;
    this.deliveries = kernel.delayLine(params.latencyPs);
    this.bus = bus.source<EtmBusEvents>('etm');
    this.config = bus.source<EtmConfigEvents>('etm-config');
  }

  /** Collects the contributions (once, at simulation start) and hands every source its raise function. */
  attach(sources: readonly EtmEventSourceContribution[], sinks: readonly EtmTaskSinkContribution[]): void {
    if (this.attached) return;
    for (const src of sources) {
      for (const [id, name] of src.events) {
        checkId(id, `ETM event source "${src.name}"`);
        const prev = this.eventNames.get(id);
        if (prev)
          throw new SimulationError(
            `ETM event ${id} is offered by both "${prev.owner}" (${prev.name}) and "${src.name}" (${name})`,
          );
        this.eventNames.set(id, { name, owner: src.name });
        this.sourceByEvent.set(id, src);
      }
    }
    for (const sink of sinks) {
      for (const [id, name] of sink.tasks) {
        checkId(id, `ETM task sink "${sink.name}"`);
        const prev = this.taskNames.get(id);
        if (prev)
          throw new SimulationError(
            `ETM task ${id} is offered by both "${prev.owner}" (${prev.name}) and "${sink.name}" (${name})`,
          );
        this.taskNames.set(id, { name, owner: sink.name });
        this.sinkByTask[id] = sink;
      }
    }
    const raise = (eventId: number): void => this.raise(eventId);
    for (const src of sources) {
      try {
        src.attachEtm(raise);
      } catch (e) {
        throw new SimulationError(
          `ETM event source "${src.name}": attachEtm threw: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    this.attached = true;
  }

  /** An event happened: every enabled channel connected to it delivers to its task after the latency. */
  raise(eventId: number): void {
    const list = this.routes[eventId];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const ch = list[i]!;
      this.deliveries.post(ch.fire, ch.source);
    }
  }

  // ---- esp_etm API ----

  newChannel(): EtmChannel {
    const i = this.slots.indexOf(null);
    if (i < 0 && this.config.observed) this.config.emit('alloc-refused', { channels: this.slots.length });
    if (i < 0)
      throw new EspError(ESP_ERR_NOT_FOUND, `esp_etm_new_channel: no free channel (all ${this.slots.length} in use)`);
    const ch = new Channel(i, this, this.bus);
    this.slots[i] = ch;
    return ch;
  }

  /** @internal */
  connect(ch: Channel, event: EtmEvent | null, task: EtmTask | null): void {
    this.live(ch, 'esp_etm_channel_connect');
    const eventId = event === null ? 0 : this.idOf(ch, event, 'event', this.eventNames);
    const taskId = task === null ? 0 : this.idOf(ch, task, 'task', this.taskNames);
    if (this.config.observed) this.config.emit('connect', { channel: ch.index, event: eventId, task: taskId });
    const old = ch.eventId;
    ch.eventId = eventId;
    ch.taskId = taskId;
    ch.sink = taskId === 0 ? undefined : this.sinkByTask[taskId];
    ch.source = `etm ch${ch.index} (${this.eventName(eventId) ?? 'no event'} -> ${this.taskName(taskId) ?? 'no task'})`;
    if (ch.state === ChanState.Enable && old !== eventId) {
      this.unroute(ch, old);
      this.route(ch);
    }
  }

  /** @internal */
  enable(ch: Channel): void {
    this.live(ch, 'esp_etm_channel_enable');
    if (ch.state !== ChanState.Init)
      throw new EspError(ESP_ERR_INVALID_STATE, `esp_etm_channel_enable: channel ${ch.index} is already enabled`);
    ch.state = ChanState.Enable;
    this.route(ch);
    if (this.config.observed) this.config.emit('enable', { channel: ch.index });
  }

  /** @internal */
  disable(ch: Channel): void {
    this.live(ch, 'esp_etm_channel_disable');
    if (ch.state !== ChanState.Enable)
      throw new EspError(ESP_ERR_INVALID_STATE, `esp_etm_channel_disable: channel ${ch.index} is not enabled`);
    ch.state = ChanState.Init;
    this.unroute(ch, ch.eventId);
    if (this.config.observed) this.config.emit('disable', { channel: ch.index });
  }

  /** @internal */
  delete(ch: Channel): void {
    this.live(ch, 'esp_etm_del_channel');
    if (ch.state !== ChanState.Init) {
      throw new EspError(
        ESP_ERR_INVALID_STATE,
        `esp_etm_del_channel: channel ${ch.index} is enabled; disable it first`,
      );
    }
    ch.state = ChanState.Deleted;
    this.slots[ch.index] = null;
    if (this.config.observed) this.config.emit('delete', { channel: ch.index });
  }

  /**
   * esp_etm_dump: the text esp_etm.c prints, byte for byte: a start line, one line per created channel
   * (`channel %d: event %u ==> task %u`, a missing event or task printed as 0, or `channel %d is created but
   * not enabled`), an end line, each ended by "\r\n".
   */
  dump(): string {
    const lines = ['===========ETM Dump Start=========='];
    for (const ch of this.slots) {
      if (ch === null) continue;
      lines.push(
        ch.state === ChanState.Enable
          ? `channel ${ch.index}: event ${ch.eventId} ==> task ${ch.taskId}`
          : `channel ${ch.index} is created but not enabled`,
      );
    }
    lines.push('===========ETM Dump End============');
    return lines.join('\r\n') + '\r\n';
  }

  /** The hardware name of an event ID some plugin offers (e.g. 'GPIO_EVT_CH0_ANY_EDGE'), or undefined. */
  eventName(id: number): string | undefined {
    return this.eventNames.get(id)?.name;
  }
  /** Why event `id` cannot happen as its source stands now (its plugin's `unconfigured`), or undefined. */
  eventUnconfigured(id: number): string | undefined {
    return this.sourceByEvent.get(id)?.unconfigured?.(id);
  }
  /** The hardware name of a task ID some plugin offers, or undefined. */
  taskName(id: number): string | undefined {
    return this.taskNames.get(id)?.name;
  }

  private idOf(ch: Channel, h: EtmEvent | EtmTask, what: 'event' | 'task', known: Map<number, unknown>): number {
    const id = typeof h === 'object' && h !== null ? (h as { id?: unknown }).id : undefined;
    const owner = etmHandleOwner(h);
    if (owner !== undefined && owner !== this.kernel) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_etm_channel_connect: that ${what} handle comes from another simulation; get ${what} handles from this simulation's drivers`,
      );
    }
    if (typeof id !== 'number' || !known.has(id)) {
      if (this.config.observed) this.config.emit('connect-refused', { channel: ch.index, what, id });
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `esp_etm_channel_connect: ${what} ${String(id)} is not an ETM ${what} of this target ` +
          `(get ${what} handles from the peripheral drivers, e.g. gpio.newEtm${what === 'event' ? 'Event' : 'Task'}())`,
      );
    }
    return id;
  }

  private live(ch: Channel, fn: string): void {
    if (!(ch instanceof Channel) || ch.state === ChanState.Deleted || this.slots[ch.index] !== ch) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `${fn}: invalid channel handle (deleted, or not from this simulation's ETM)`,
      );
    }
  }

  private route(ch: Channel): void {
    if (ch.eventId === 0) return;
    const list = this.routes[ch.eventId];
    // Keep channel order, so that fan-out delivers in channel-number order at one instant.
    this.routes[ch.eventId] = list === undefined ? [ch] : [...list, ch].sort((a, b) => a.index - b.index);
  }

  private unroute(ch: Channel, eventId: number): void {
    const list = this.routes[eventId];
    if (list === undefined) return;
    const rest = list.filter((c) => c !== ch);
    this.routes[eventId] = rest.length ? rest : undefined;
  }
}

function checkId(id: number, who: string): void {
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new SimulationError(`${who} offers ID ${id}; ETM IDs are positive integers (0 means "none")`);
}
