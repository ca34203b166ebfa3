import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, SimulationError } from '../errors.js';
import { formatTime } from '../time.js';
import { DelayRing } from './delay-line.js';
import { EventQueue, type EventQueueOptions } from './event-queue.js';
import { Timer } from './timer.js';

/** Kernel tuning: the runaway limit and the event queue's shape. */
export interface KernelOptions extends EventQueueOptions {
  /** Events allowed at one instant before the run stops as a runaway (an ETM loop, say). Default 1,000,000. */
  maxEventsPerInstant?: number;
  /**
   * How the run loop lets resumed tasks run before time moves on: 'microtask' (default) waits for the host's
   * microtask queue to empty (process.nextTick from a microtask); 'macrotask' goes through setImmediate every
   * time, the original and simplest path, kept as the reference the property tests compare against. Both run
   * every resumed task, and every promise chain it starts, before the next event.
   */
  drain?: 'microtask' | 'macrotask';
  /**
   * Whether `delayLine` keeps its events in a FIFO ring beside the event queue (default true) or schedules
   * each one as an ordinary event (false: the reference the property tests compare against). Same order either way.
   */
  delayLines?: boolean;
}

/** Posts events that all run a fixed delay after they are posted (see Kernel.delayLine). */
export interface DelayLine {
  /** The line's delay in picoseconds. */
  readonly delayPs: number;
  /** Runs `fn` `delayPs` from now, in the same (time, schedule order) as `schedule(delayPs, fn, source)`. */
  post(fn: () => void, source: string): void;
}

/** What the kernel does with an exception thrown by an event callback: record it and go on. */
export type FaultReporter = (source: string, error: unknown) => void;

/** A scheduled kernel event; `cancel()` drops it if it has not run yet. */
export interface ScheduledEvent {
  /** Drops the event if it has not run yet; after it ran, does nothing. */
  cancel(): void;
}

/**
 * How the run loop waits, after a wake, for the tasks it resumed: it calls `then` once the host's microtask
 * queue is empty.
 *
 * 'macrotask': the host's quickest macrotask (hostMacrotask below). A libuv loop turn (microseconds), after which
 * every microtask has run.
 *
 * 'microtask': Node runs `process.nextTick` callbacks queued from inside a microtask only after V8 has drained
 * the whole microtask queue (processTicksAndRejections: ticks, then runMicrotasks, until both are empty). So a
 * tick queued from a microtask fires once every task the wake resumed, and everything those tasks chained
 * through promises, has run: the guarantee setImmediate gives, for a few hundred ns. The queueMicrotask hop
 * first makes sure the tick is queued from inside the microtask drain (the run loop itself runs in a tick or
 * in plain code, where a tick would fire before the pending microtasks). Hosts without process.nextTick
 * (browsers) take the macrotask path.
 *
 * What 'microtask' does not wait for: a process.nextTick callback that a resumed task queues after the loop's
 * own tick was queued (the two run in queue order, so the loop may go on first). Simulation code waits on
 * promises; code that defers through process.nextTick needs drain: 'macrotask'.
 *
 * Coordination note (issue 11, plain promises resolved from kit callbacks): a task resumes at the current
 * instant as long as something sets `wakePending` (wake()) when the promise it awaits settles; the drain itself
 * is cheap now, so calling wake() after every user callback a plugin runs costs a few hundred ns, not a libuv
 * loop turn.
 */
const hostNextTick: ((fn: () => void) => void) | undefined = (() => {
  // through globalThis: core also builds for the browser (playground/), without Node's typings
  const host = (globalThis as { process?: { nextTick?: (fn: () => void) => void } }).process;
  return typeof host?.nextTick === 'function' ? host.nextTick.bind(host) : undefined;
})();

/** In microtask mode one drain in YIELD_EVERY still takes a macrotask: the host's event loop gets its turns. */
const YIELD_EVERY = 256;

/**
 * The host's quickest macrotask: setImmediate in Node; in a browser, which has none, a MessageChannel message
 * (setTimeout(0) would be clamped to 4 ms once nested).
 */
const hostMacrotask: (fn: () => void) => void = (() => {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function')
    return (fn) => {
      immediate(fn);
    };
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  // typed as the DOM's MessagePort: Node's typings describe its own (an EventEmitter), never used here
  (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => {
    queue.shift()?.();
  };
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(null);
  };
})();

/** Progress listeners hear from the loop every PROGRESS_MASK + 1 events. */
const PROGRESS_MASK = 0xffff;

/** The queue of every disposed kernel: empty and never written (a disposed kernel refuses to schedule). */
const DISPOSED_QUEUE = new EventQueue({ buckets: 2 });

const SOURCE_RING = 64;

/**
 * The discrete-event kernel. Time is an integer number of picoseconds; events run in (time, schedule order).
 *
 * Firmware-like code runs as tasks (async functions). A task resumed by an event runs before simulated time
 * moves on: whoever resolves a promise that simulation code may await calls `wake()`, and the run loop then
 * lets the host drain its microtasks before it takes the next event.
 */
export class Kernel {
  private queue: EventQueue;
  private readonly maxPerInstant: number;
  private seq = 0;
  private _now = 0;
  private running = false;
  private disposed = false;
  private wakePending = false;
  private stopRequested = false;
  /** Set every PROGRESS_MASK + 1 events: the next drain goes through the host's event loop (a Ctrl-C, a stop()). */
  private hostYieldDue = false;
  /** Tasks spawned and not yet settled: while there are none, nothing can be waiting for a promise a callback settles. */
  private liveTasks = 0;
  private readonly recentSources: string[] = new Array<string>(SOURCE_RING).fill('');
  private recentIdx = 0;
  /** Events run at the current instant in this run. */
  private instantCount = 0;
  /** Events run so far (cancelled ones not counted). */
  eventsRun = 0;
  private progress: ((nowPs: number) => void) | undefined;
  private readonly drainMode: 'microtask' | 'macrotask';
  private readonly useDelayLines: boolean;
  /** The delay lines' rings (never removed: a line lives as long as the kernel). */
  private readonly rings: DelayRing[] = [];
  private drains = 0;

  constructor(
    private readonly reportFault: FaultReporter,
    opts: KernelOptions = {},
  ) {
    this.queue = new EventQueue(opts);
    this.maxPerInstant = opts.maxEventsPerInstant ?? 1_000_000;
    const drain = opts.drain ?? 'microtask';
    if (drain !== 'microtask' && drain !== 'macrotask') {
      throw new EspError(ESP_ERR_INVALID_ARG, `kernel: drain must be 'microtask' or 'macrotask', got ${String(drain)}`);
    }
    this.drainMode = hostNextTick === undefined ? 'macrotask' : drain;
    this.useDelayLines = opts.delayLines ?? true;
    if (!Number.isSafeInteger(this.maxPerInstant) || this.maxPerInstant < 1) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `kernel: maxEventsPerInstant must be a positive integer, got ${this.maxPerInstant}`,
      );
    }
  }

  /** Current simulated time in picoseconds. */
  get now(): number {
    return this._now;
  }

  /** Whether a run is in progress. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Events waiting (cancelled ones may be counted until they are reached). */
  get pending(): number {
    let n = this.queue.length;
    for (const r of this.rings) n += r.count;
    return n;
  }

  /**
   * Runs `fn` `delayPs` picoseconds from now (0: at this instant, after everything already scheduled for it).
   * `source` names the scheduler in runaway reports and faults.
   */
  schedule(delayPs: number, fn: () => void, source = 'kernel'): ScheduledEvent {
    if (!Number.isSafeInteger(delayPs) || delayPs < 0) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `schedule: delay must be a non-negative integer number of picoseconds, got ${delayPs}`,
      );
    }
    if (typeof fn !== 'function') throw new EspError(ESP_ERR_INVALID_ARG, 'schedule: fn must be a function');
    this.checkAlive('schedule');
    const time = this._now + delayPs;
    if (time > Number.MAX_SAFE_INTEGER) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `schedule: ${formatTime(time)} is past the last exact picosecond (2^53 ps)`,
      );
    }
    const t = new Timer(time, this.seq++, fn, source);
    this.queue.insert(t);
    return t;
  }

  /**
   * A line for events that all run `delayPs` after they are posted (a fixed latency in cycles, such as the ETM's
   * event-to-task delivery). `line.post(fn, source)` runs `fn` exactly when and in the order that
   * `schedule(delayPs, fn, source)` would (it takes a sequence number from the same counter), but costs no Timer
   * and no queue insert: the posts wait in a FIFO ring, already in (time, seq) order, and the run loop takes the
   * earliest of the queue's head and the rings' heads. Posts cannot be cancelled.
   */
  delayLine(delayPs: number): DelayLine {
    if (!Number.isSafeInteger(delayPs) || delayPs < 0) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `delayLine: delay must be a non-negative integer number of picoseconds, got ${delayPs}`,
      );
    }
    this.checkAlive('delayLine');
    if (!this.useDelayLines)
      return {
        delayPs,
        post: (fn, source) => {
          this.schedule(delayPs, fn, source);
        },
      };
    const ring = new DelayRing(delayPs);
    this.rings.push(ring);
    return {
      delayPs,
      post: (fn, source) => {
        if (this.disposed) this.checkAlive('post');
        const time = this._now + delayPs;
        if (time > Number.MAX_SAFE_INTEGER) {
          throw new EspError(
            ESP_ERR_INVALID_ARG,
            `post: ${formatTime(time)} is past the last exact picosecond (2^53 ps)`,
          );
        }
        ring.push(time, this.seq++, fn, source);
      },
    };
  }

  /**
   * A promise that resolves `ps` from now; the awaiting task resumes before time moves on. `source` names the
   * waiter in runaway reports (a driver polling with delay(0) shows up by name, not as 'delay').
   */
  delay(ps: number, source = 'delay'): Promise<void> {
    this.checkAlive('delay');
    return new Promise((resolve) => {
      this.schedule(
        ps,
        () => {
          this.wakePending = true;
          resolve();
        },
        source,
      );
    });
  }

  /** Tells the run loop that a promise simulation code may await was just settled. */
  /**
   * Makes the run in progress return (without error) at its next yield to the host: at once when called from
   * a task, within 65,536 events when called from the host (a signal handler, a timer). Time stays where it
   * stopped; a later `run` goes on from there.
   */
  stop(): void {
    if (this.running) this.stopRequested = true;
  }

  /** Tells the run loop that a promise simulation code may await was just settled. */
  wake(): void {
    this.wakePending = true;
  }

  /** A promise for simulation code to await, whose settling wakes the run loop. */
  deferred<T = void>(): {
    promise: Promise<T>;
    /** Settles the promise and wakes the run loop. */
    resolve: (v: T) => void;
    /** Rejects the promise and wakes the run loop. */
    reject: (e: unknown) => void;
  } {
    let res!: (v: T) => void;
    let rej!: (e: unknown) => void;
    const promise = new Promise<T>((a, b) => {
      res = a;
      rej = b;
    });
    return {
      promise,
      resolve: (v) => {
        this.wakePending = true;
        res(v);
      },
      reject: (e) => {
        this.wakePending = true;
        rej(e);
      },
    };
  }

  /**
   * Starts `body` as a task at the current instant. `done` settles with the task; a task that throws is
   * also recorded as a fault of source `task:NAME`.
   */
  spawn(name: string, body: () => Promise<void> | void): { readonly done: Promise<void> } {
    if (typeof name !== 'string' || name.length === 0)
      throw new EspError(ESP_ERR_INVALID_ARG, 'spawn: the task needs a name');
    if (typeof body !== 'function')
      throw new EspError(ESP_ERR_INVALID_ARG, `spawn("${name}"): body must be an async function`);
    const d = this.deferred<void>();
    d.promise.catch(() => undefined); // the rejection is reported as a fault; awaiting `done` still sees it
    const source = `task:${name}`;
    const fail = (e: unknown): void => {
      this.liveTasks--;
      this.reportFault(source, e);
      d.reject(e);
    };
    this.schedule(
      0,
      () => {
        this.wakePending = true;
        this.liveTasks++;
        let result: Promise<void> | void;
        try {
          result = body();
        } catch (e) {
          fail(e);
          return;
        }
        Promise.resolve(result).then(() => {
          this.liveTasks--;
          d.resolve();
        }, fail);
      },
      source,
    );
    return { done: d.promise };
  }

  /**
   * Runs events in order until none is left, or up to the absolute time `until` (then `now` becomes `until`).
   * Rejects with SimulationError when one instant runs more than `maxEventsPerInstant` events.
   */
  async run(until = Infinity): Promise<void> {
    if (!(until === Infinity || (Number.isSafeInteger(until) && until >= 0))) {
      throw new EspError(ESP_ERR_INVALID_ARG, `run: until must be an absolute time in whole picoseconds, got ${until}`);
    }
    if (until < this._now) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `run: until (${formatTime(until)}) is before now (${formatTime(this._now)})`,
      );
    }
    this.checkAlive('run');
    if (this.running) throw new EspError(ESP_ERR_INVALID_STATE, 'run: the simulation is already running');
    this.running = true;
    this.stopRequested = false;
    this.instantCount = 0;
    try {
      await this.loop(until);
    } finally {
      this.running = false;
    }
  }

  /**
   * The run loop, written with callbacks rather than `await` so that a wake costs no allocation: bursts of
   * events run synchronously until one wakes a task; the loop then waits for the host's microtask queue to
   * empty (see hostNextTick) and goes on. Resolves when no event is left before `until` (setting `now` to
   * `until` when it is finite) or when the kernel is disposed; rejects with what a burst threw (a runaway).
   */
  private loop(until: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const macrotask = this.drainMode === 'macrotask';
      const step = (): void => {
        try {
          for (;;) {
            if (this.disposed || this.stopRequested) {
              resolve();
              return;
            }
            // A wake: let every resumed task run (and schedule at this instant) before the next event is taken.
            if (this.wakePending) {
              this.wakePending = false;
              // One drain in YIELD_EVERY goes through a macrotask even in microtask mode, so that the host's
              // event loop (I/O, timers, signals) still gets a turn during a run that keeps waking tasks.
              if (macrotask || this.hostYieldDue || (++this.drains & (YIELD_EVERY - 1)) === 0) {
                this.hostYieldDue = false;
                hostMacrotask(step);
              } else queueMicrotask(hop);
              return;
            }
            if (!this.burst(until) && !this.wakePending) {
              if (until !== Infinity && !this.disposed) this._now = until;
              resolve();
              return;
            }
          }
        } catch (e) {
          reject(e);
        }
      };
      const hop = (): void => {
        hostNextTick!(step);
      };
      step();
    });
  }

  /**
   * Runs events up to `until`, synchronously, until one wakes a task or disposes the kernel (true) or none is
   * left (false). Kept apart from the async `run` so that the hot loop is plain code.
   */
  private burst(until: number): boolean {
    return this.rings.length === 0 ? this.burstQueue(until) : this.burstWithRings(until);
  }

  /** `burst` while no delay line exists: the queue alone (returns true, to be called again, if one appears). */
  private burstQueue(until: number): boolean {
    const q = this.queue;
    const max = this.maxPerInstant;
    const watchFrom = max - SOURCE_RING;
    for (;;) {
      const t = q.peek(until);
      if (t === undefined) return false;
      if (t.time !== this._now) {
        this._now = t.time;
        this.instantCount = 0;
      }
      const count = ++this.instantCount;
      if (count > max) this.runaway(t.source); // leaves `t` queued
      q.shift();
      // Only the last events before a runaway are ever named: record sources from there on.
      if (count > watchFrom) this.recentSources[this.recentIdx++ & (SOURCE_RING - 1)] = t.source;
      const fn = t.fn!;
      t.fn = null;
      this.eventsRun++;
      try {
        fn();
      } catch (e) {
        this.reportFault(t.source, e);
      }
      if ((this.eventsRun & PROGRESS_MASK) === 0) this.progressTick();
      if (this.wakePending || this.disposed || this.rings.length !== 0) return true;
    }
  }

  /** `burst` with delay lines: each step takes the earliest of the queue's head and the rings' heads. */
  private burstWithRings(until: number): boolean {
    const q = this.queue;
    const rings = this.rings;
    const max = this.maxPerInstant;
    const watchFrom = max - SOURCE_RING;
    for (;;) {
      // The earliest delay-line head, if any: the queue is looked at only up to its time, so that the wheel's
      // cursor never passes an event still to run.
      let ring: DelayRing | undefined;
      for (let i = 0; i < rings.length; i++) {
        const r = rings[i]!;
        if (
          r.count !== 0 &&
          (ring === undefined ||
            r.headTime < ring.headTime ||
            (r.headTime === ring.headTime && r.headSeq < ring.headSeq))
        )
          ring = r;
      }
      const limit = ring !== undefined && ring.headTime < until ? ring.headTime : until;
      const t = q.peek(limit);
      const fromQueue =
        t !== undefined &&
        (ring === undefined || t.time < ring.headTime || (t.time === ring.headTime && t.seq < ring.headSeq));
      if (!fromQueue && (ring === undefined || ring.headTime > until)) return false;
      const time = fromQueue ? t.time : ring!.headTime;
      const source = fromQueue ? t.source : ring!.headSource;
      if (time !== this._now) {
        this._now = time;
        this.instantCount = 0;
      }
      const count = ++this.instantCount;
      if (count > max) this.runaway(source); // leaves the event queued
      let fn: () => void;
      if (fromQueue) {
        q.shift();
        fn = t.fn!;
        t.fn = null;
      } else {
        fn = ring!.shift();
      }
      // Only the last events before a runaway are ever named: record sources from there on.
      if (count > watchFrom) this.recentSources[this.recentIdx++ & (SOURCE_RING - 1)] = source;
      this.eventsRun++;
      try {
        fn();
      } catch (e) {
        this.reportFault(source, e);
      }
      if ((this.eventsRun & PROGRESS_MASK) === 0) this.progressTick();
      if (this.wakePending || this.disposed) return true;
    }
  }

  /**
   * Calls `listener(now)` every 65,536 events during a run (synchronously, from inside the event loop), for
   * progress displays of long runs; undefined removes it.
   */
  setProgressListener(listener: ((nowPs: number) => void) | undefined): void {
    this.progress = listener;
  }

  /**
   * Every PROGRESS_MASK + 1 events: the progress listener, and a yield to the host's event loop at the next
   * step (a Ctrl-C or a stop() from a timer gets in even in a run that wakes no task).
   */
  private progressTick(): void {
    this.progress?.(this._now);
    this.wakePending = true;
    this.hostYieldDue = true;
  }

  /**
   * Calls user code (a driver callback, an alarm, a subscriber) from inside the kit: an exception becomes a
   * fault of `source` and the kit goes on. A task awaiting a plain promise the callback settled resumes at
   * this instant, before time moves on: the run loop drains the host's microtasks after the current event
   * (only while tasks exist; with none, nothing can be waiting).
   */
  invoke<A, B>(source: string, fn: (a: A, b: B) => unknown, a: A, b: B): void {
    try {
      fn(a, b);
    } catch (e) {
      this.reportFault(source, e);
    }
    if (this.liveTasks > 0) this.wakePending = true;
  }

  /** Wakes the run loop after user code ran outside `invoke` (a subscriber), if any task could be waiting. */
  userCodeRan(): void {
    if (this.liveTasks > 0) this.wakePending = true;
  }

  /** Drops every pending event; the kernel refuses further work. */
  dispose(): void {
    this.disposed = true;
    this.queue.clear();
    for (const r of this.rings) r.clear();
    // the wheel's buckets are most of a simulation's footprint: a disposed kernel keeps none of them, even if
    // something (inversify's planning cache, until the host's current job ends) still reaches the kernel
    this.queue = DISPOSED_QUEUE;
    this.progress = undefined;
  }

  /** The error for a runaway instant, naming the sources of its last events (at most SOURCE_RING of them). */
  private runaway(next: string): never {
    const names = new Set([next]);
    const n = Math.min(SOURCE_RING, this.maxPerInstant);
    for (let i = 1; i <= n; i++) names.add(this.recentSources[(this.recentIdx - i) & (SOURCE_RING - 1)]!);
    const sources = [...names].sort();
    throw new SimulationError(
      `runaway at ${formatTime(this._now)}: more than ${this.maxPerInstant} events at one instant without time advancing ` +
        `(a zero-latency feedback loop?); sources involved: ${sources.join(', ')}`,
    );
  }

  private checkAlive(what: string): void {
    if (this.disposed) throw new EspError(ESP_ERR_INVALID_STATE, `${what}: the simulation has been disposed`);
  }
}
