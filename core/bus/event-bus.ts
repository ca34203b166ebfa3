import { Observable } from 'rxjs';
import { GuardedObservable } from './guarded-observable.js';

/** Every observable happening in a simulation. `time` is in picoseconds. */
export interface SimEvent<D = unknown> {
  readonly time: number;
  readonly source: string;
  readonly type: string;
  readonly data?: D;
}

/** Maps each event type of a source to its data type. */
export type EventMap = { [type: string]: unknown };

/** A direct (non-RxJS) listener for hot paths and trace sinks. */
export type EventListener = (event: SimEvent) => void;

/**
 * Whether anything listens to one event type of one source, kept current by the bus as subscriptions come and
 * go: a hot path reads `observed` (a field, no lookup) before building that event's data.
 */
export interface ObservedFlag {
  readonly observed: boolean;
}

/** A typed stream of one source's events, and the way to publish them. */
export interface EventSource<M extends EventMap> {
  readonly name: string;
  /** Whether anything listens to this source (or to the whole bus): skip building costly event data if not. */
  readonly observed: boolean;
  /**
   * Whether anything listens to events of `type` of this source: a subscriber of that type (`on(type)`,
   * `listen(fn, [type])`), of the whole source, or of the whole bus.
   */
  observes(type: keyof M & string): boolean;
  /**
   * The live flag of `observes(type)` (the same object on every call): publishers keep it and test
   * `flag.observed` per event, so one subscriber of one type does not make them build every type's events.
   */
  observedFlag(type: keyof M & string): ObservedFlag;
  /** Publishes an event of this source at the current simulated time. */
  emit<K extends keyof M & string>(type: K, data: M[K]): void;
  /** All events of this source. */
  readonly events$: Observable<SimEvent<M[keyof M]>>;
  /** Events of one type of this source. */
  on<K extends keyof M & string>(type: K): Observable<SimEvent<M[K]>>;
  /**
   * A direct (non-RxJS) listener for hot paths (diagnostics checkers): every event of this source, or only
   * those of `types` (then the source's publishers skip building the other types for it). A throw becomes a
   * fault of the source and delivery goes on. Returns its removal.
   */
  listen(listener: EventListener, types?: readonly (keyof M & string)[]): () => void;
}

/**
 * The part of an RxJS subscriber the bus drives; `type` set: only events of that type reach it. `direct`: a
 * direct listener, called without a wrapper (the bus catches its throw).
 */
interface Sink {
  readonly type?: string;
  readonly direct?: boolean;
  next(event: SimEvent): void;
  complete(): void;
}

/** A list of subscribers that can be iterated while members come and go. */
class Fanout<T> {
  items: T[] = [];
  /** `changed` runs after every addition and removal. */
  constructor(private readonly changed: () => void = () => undefined) {}
  add(item: T): () => void {
    this.items = [...this.items, item];
    this.changed();
    return () => {
      const before = this.items.length;
      this.items = this.items.filter((x) => x !== item);
      if (this.items.length !== before) this.changed();
    };
  }
}

/**
 * The event fabric. Publishing builds one SimEvent and hands it, synchronously and in order, to direct
 * listeners, to `all$` subscribers and to the subscribers of its source. Subscriber exceptions become faults
 * (attributed to the event's source at the current time) and delivery goes on.
 */
export class EventBus {
  readonly all$: Observable<SimEvent>;
  private readonly allSubs = new Fanout<Sink>(() => this.refreshFlags());
  private readonly listeners = new Fanout<EventListener>(() => this.refreshFlags());
  private readonly sources = new Map<string, SourceImpl<EventMap>>();
  private delivering = 'bus';
  /** Events published so far. */
  published = 0;

  /**
   * `userCodeRan` hears after events reached RxJS subscribers (user code): the kernel then lets a task awaiting
   * a promise a subscriber settled resume before time moves on.
   */
  constructor(
    private readonly now: () => number,
    private readonly reportFault: (source: string, error: unknown) => void,
    private readonly userCodeRan: () => void = () => undefined,
  ) {
    this.all$ = this.guard(new Observable<SimEvent>((s) => this.allSubs.add(s)));
  }

  /** The typed stream of source `name` (created on first use; the same object afterwards). */
  source<M extends EventMap = EventMap>(name: string): EventSource<M> {
    let s = this.sources.get(name);
    if (!s) {
      s = new SourceImpl<EventMap>(name, this);
      this.sources.set(name, s);
    }
    return s as unknown as EventSource<M>;
  }

  /** Publishes an event at the current time. */
  publish(source: string, type: string, data?: unknown): void {
    const own = this.sources.get(source);
    this.deliver(source, own ? own.typeState(type).sinks : EMPTY, type, data);
  }

  /**
   * @internal Delivers to direct listeners, all$ subscribers and `ownSubs`: the subscribers of the source that
   * take events of `type`, in subscription order.
   */
  deliver(source: string, ownSubs: readonly Sink[], type: string, data: unknown): void {
    const all = this.allSubs.items;
    const direct = this.listeners.items;
    this.published++;
    if (all.length === 0 && ownSubs.length === 0 && direct.length === 0) return;
    const ev: SimEvent = { time: this.now(), source, type, data };
    const prev = this.delivering;
    this.delivering = source;
    try {
      for (let i = 0; i < direct.length; i++) {
        try {
          direct[i]!(ev);
        } catch (e) {
          this.reportFault(source, e);
        }
      }
      for (let i = 0; i < all.length; i++) all[i]!.next(ev);
      for (let i = 0; i < ownSubs.length; i++) {
        const s = ownSubs[i]!;
        if (s.direct !== true) s.next(ev);
        else {
          try {
            s.next(ev);
          } catch (e) {
            this.reportFault(source, e);
          }
        }
      }
    } finally {
      this.delivering = prev;
    }
    if (all.length !== 0 || ownSubs.length !== 0) this.userCodeRan();
  }

  /** @internal Whether anything listens to every source (all$ or a direct listener). */
  get observedGlobally(): boolean {
    return this.allSubs.items.length !== 0 || this.listeners.items.length !== 0;
  }

  /** Adds a direct listener for every event (trace sinks, hot paths); returns its removal. */
  listen(listener: EventListener): () => void {
    return this.listeners.add(listener);
  }

  /** Whether anything listens to `source` (or to every source). */
  isObserved(source: string): boolean {
    return this.observedGlobally || (this.sources.get(source)?.subs.items.length ?? 0) > 0;
  }

  /** Completes every stream (at dispose). */
  complete(): void {
    for (const s of this.allSubs.items) s.complete();
    for (const src of this.sources.values()) for (const s of src.subs.items) s.complete();
    this.listeners.items = [];
    this.refreshFlags();
  }

  /** Brings every source's per-type flags up to date (a bus-wide subscription came or went: rare). */
  private refreshFlags(): void {
    for (const s of this.sources.values()) s.refreshFlags();
  }

  /** @internal */
  guard<T>(o: Observable<T>): Observable<T> {
    return new GuardedObservable(o, (e) => this.reportFault(this.delivering, e));
  }
}

const EMPTY: never[] = [];

/** One event type of one source: its ObservedFlag, and the source's subscribers that take it, in order. */
interface TypeState {
  observed: boolean;
  sinks: readonly Sink[];
}

class SourceImpl<M extends EventMap> implements EventSource<M> {
  readonly subs = new Fanout<Sink>(() => this.refreshFlags());
  readonly events$: Observable<SimEvent<M[keyof M]>>;
  private readonly byType = new Map<string, Observable<SimEvent>>();
  /** Per event type asked for (by a publisher's flag or by a publish): whether observed, and who takes it. */
  private readonly types = new Map<string, TypeState>();
  private lastType: string | undefined;
  private lastState: TypeState | undefined;

  constructor(
    readonly name: string,
    private readonly bus: EventBus,
  ) {
    this.events$ = bus.guard(new Observable<SimEvent>((s) => this.subs.add(s))) as Observable<SimEvent<M[keyof M]>>;
  }

  // Hot paths ask this before building event data: no Map lookup, just list lengths.
  get observed(): boolean {
    return this.subs.items.length !== 0 || this.bus.observedGlobally;
  }

  observes(type: keyof M & string): boolean {
    if (this.bus.observedGlobally) return true;
    const subs = this.subs.items;
    for (let i = 0; i < subs.length; i++) {
      const t = subs[i]!.type;
      if (t === undefined || t === type) return true;
    }
    return false;
  }

  observedFlag(type: keyof M & string): ObservedFlag {
    return this.typeState(type);
  }

  /** @internal The state of `type` (made on first use, then kept current). */
  typeState(type: string): TypeState {
    // a hot path publishes one type again and again (a DMA engine's channel starts under diagnostics)
    if (type === this.lastType) return this.lastState!;
    let t = this.types.get(type);
    if (!t) {
      t = { observed: false, sinks: EMPTY };
      this.refreshType(type, t);
      this.types.set(type, t);
    }
    this.lastType = type;
    this.lastState = t;
    return t;
  }

  /** @internal Recomputes the per-type states (a subscription of this source or of the bus came or went). */
  refreshFlags(): void {
    for (const [type, t] of this.types) this.refreshType(type, t);
  }

  private refreshType(type: string, t: TypeState): void {
    t.observed = this.observes(type);
    // a new array: a delivery in progress goes on over the list it started with
    t.sinks = this.subs.items.filter((s) => s.type === undefined || s.type === type);
  }

  emit<K extends keyof M & string>(type: K, data: M[K]): void {
    this.bus.deliver(this.name, this.typeState(type).sinks, type, data);
  }

  listen(listener: EventListener, types?: readonly (keyof M & string)[]): () => void {
    const complete = (): void => undefined;
    if (types === undefined) return this.subs.add({ direct: true, next: listener, complete });
    // one sink per type: an event has one type, so the listener still hears each event once
    const removals = [...new Set(types)].map((type) => this.subs.add({ type, direct: true, next: listener, complete }));
    return () => {
      for (const r of removals) r();
    };
  }

  on<K extends keyof M & string>(type: K): Observable<SimEvent<M[K]>> {
    let o = this.byType.get(type);
    if (!o) {
      o = this.bus.guard(
        new Observable<SimEvent>((s) =>
          this.subs.add({
            type,
            next: (e: SimEvent) => s.next(e),
            complete: () => s.complete(),
          }),
        ),
      );
      this.byType.set(type, o);
    }
    return o as Observable<SimEvent<M[K]>>;
  }
}
