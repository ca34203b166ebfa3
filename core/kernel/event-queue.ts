import { EspError, ESP_ERR_INVALID_ARG } from '../errors.js';
import { Timer, compareTimers } from './timer.js';
import { TimerHeap } from './timer-heap.js';

export interface EventQueueOptions {
  /** Width of one wheel bucket in ps (default 1000: 1 ns). */
  bucketPs?: number;
  /** Number of buckets, a power of two (default 4096: with 1 ns buckets, a 4.096 us horizon). */
  buckets?: number;
  /**
   * Whether a queue holding few timers keeps them in the binary heap alone (default true): with a handful of
   * timers spread over many buckets, walking the wheel costs more than a small heap. The queue moves them into
   * the wheel when they exceed SMALL_MAX and back when the wheel empties with at most SMALL_MIN left. false:
   * always the wheel (the reference the property tests compare against). Same order either way.
   */
  adaptive?: boolean;
}

/** Timers the heap alone holds before they move into the wheel. */
const SMALL_MAX = 64;
/** Timers left, the wheel empty, at or under which the heap alone takes over again. */
const SMALL_MIN = 16;

/** What emptied bucket entries hold. */
const SPENT = new Timer(0, 0, () => undefined, '');
SPENT.fn = null;

/**
 * The kernel's event queue: a timing wheel for the near future in front of a binary heap for the rest.
 *
 * SoC models schedule mostly near-future events (beats, cycles, latencies of nanoseconds to microseconds);
 * the wheel makes those O(1) to insert and to pop. Each bucket covers `bucketPs` of time and keeps its timers
 * in (time, seq) order: appends that keep order are free, the rare out-of-order append marks the bucket for
 * one sort when the cursor reaches it. Timers beyond the horizon wait in the heap and move into the wheel as
 * the cursor advances. Cancelled timers stay in place (their `fn` is null) and are skipped when reached. A bitmap
 * of occupied buckets lets the cursor jump over empty ones instead of walking them one by one.
 *
 * The cursor never passes the limit given to `peek` (a run's `until`), but it may pass the kernel's time when
 * it skips cancelled timers and finds nothing: an insert behind it moves it back (`rewind`).
 */
export class EventQueue {
  private readonly bucketPs: number;
  private readonly mask: number;
  private readonly size: number;
  /** The buckets, each in (time, seq) order unless marked unsorted; `counts` says how many entries are live. */
  /** Bucket arrays are made on first use: a kernel is cheap to create (createSimulation makes one each time). */
  private wheel: (Timer[] | undefined)[] = [];
  private counts = new Int32Array(0);
  private unsorted = new Uint8Array(0);
  /** One bit per bucket, set while it holds timers: the cursor jumps over runs of empty buckets. */
  private occupied = new Int32Array(0);
  private readonly far = new TimerHeap();
  /** Absolute index (time / bucketPs) of the cursor bucket, and its slot in the ring. */
  private curAbs = 0;
  private curSlot = 0;
  /** Position of the next timer to run within the cursor bucket. */
  private pos = 0;
  /** Timers in the wheel not yet popped (cancelled ones included). */
  private inWheel = 0;
  /**
   * The next occupied bucket found by a `peek` that stopped at its limit (-1: none known). A run loop that
   * looks at the queue only up to an earlier event elsewhere (a delay line's head) peeks again soon after;
   * with nothing inserted before it in between, the bitmap need not be scanned again.
   */
  private nextHint = -1;
  private readonly adaptive: boolean;
  /** Whether every timer is in the heap (`far`) and the wheel is empty and unused. */
  private small: boolean;
  /** Time of the last timer popped in small mode: the wheel's cursor starts from its bucket. */
  private lastTime = 0;

  constructor(opts: EventQueueOptions = {}) {
    this.bucketPs = opts.bucketPs ?? 1000;
    this.size = opts.buckets ?? 4096;
    if (!Number.isSafeInteger(this.bucketPs) || this.bucketPs < 1) {
      throw new EspError(ESP_ERR_INVALID_ARG, `kernel: bucketPs must be a positive integer, got ${this.bucketPs}`);
    }
    if (!Number.isInteger(this.size) || this.size < 2 || this.size > 2 ** 24 || (this.size & (this.size - 1)) !== 0) {
      throw new EspError(
        ESP_ERR_INVALID_ARG,
        `kernel: buckets must be a power of two from 2 to 2^24, got ${this.size}`,
      );
    }
    this.mask = this.size - 1;
    this.adaptive = opts.adaptive ?? true;
    this.small = this.adaptive;
    if (!this.small) this.allocateWheel();
  }

  /** The wheel's arrays, made when it is first used (a simulation that never leaves small mode needs none). */
  private allocateWheel(): void {
    this.wheel = new Array<Timer[] | undefined>(this.size).fill(undefined);
    this.counts = new Int32Array(this.size);
    this.unsorted = new Uint8Array(this.size);
    this.occupied = new Int32Array(Math.ceil(this.size / 32));
  }

  /** Timers waiting (cancelled ones included until they are reached). */
  get length(): number {
    return this.inWheel + this.far.size;
  }

  /** Adds `t`, whose time must not be before the last timer popped (the kernel's `now`). */
  insert(t: Timer): void {
    if (this.small) {
      this.far.push(t);
      if (this.far.size > SMALL_MAX) this.toWheel();
      return;
    }
    const abs = Math.floor(t.time / this.bucketPs);
    if (abs < this.nextHint || this.inWheel === 0) this.nextHint = -1;
    let d = abs - this.curAbs;
    if (d < 0) {
      this.rewind(this.curAbs + d);
      d = 0;
    }
    if (d >= this.size) {
      this.far.push(t);
      return;
    }
    this.inWheel++;
    const slot = (this.curSlot + d) & this.mask;
    const n = this.counts[slot]!;
    this.counts[slot] = n + 1;
    if (n === 0) {
      const b = this.wheel[slot];
      if (b === undefined) this.wheel[slot] = [t];
      else b[0] = t;
      // slot is masked to the wheel's size, so its word is inside `occupied`
      this.occupied[slot >>> 5]! |= 1 << (slot & 31);
      return;
    }
    const b = this.wheel[slot]!;
    if (compareTimers(b[n - 1]!, t) <= 0) {
      b[n] = t;
    } else if (d === 0) {
      // The cursor bucket is being consumed in order: insert in place after the consumed part.
      let i = n;
      while (i > this.pos && compareTimers(b[i - 1]!, t) > 0) {
        b[i] = b[i - 1]!;
        i--;
      }
      b[i] = t;
    } else {
      b[n] = t;
      this.unsorted[slot] = 1;
    }
  }

  /**
   * The next live timer with time <= limit, or undefined. Moves the cursor forward only up to the bucket
   * of `limit`, so that a later insert at a time >= limit is never behind it.
   */
  peek(limit: number): Timer | undefined {
    if (this.small) {
      const far = this.far;
      for (let f = far.peek(); f !== undefined; f = far.peek()) {
        if (f.fn !== null) return f.time <= limit ? f : undefined;
        far.pop();
      }
      return undefined;
    }
    const limitAbs = limit === Infinity ? Infinity : Math.floor(limit / this.bucketPs);
    for (;;) {
      const slot = this.curSlot;
      const b = this.wheel[slot]!;
      const n = this.counts[slot]!;
      while (this.pos < n) {
        const t = b[this.pos]!;
        if (t.fn !== null) return t.time <= limit ? t : undefined;
        this.pos++;
        this.inWheel--;
      }
      if (n !== 0) this.empty(slot);
      this.pos = 0;
      let next: number;
      if (this.inWheel === 0) {
        if (this.adaptive && this.far.size <= SMALL_MIN) {
          this.small = true;
          this.lastTime = this.curAbs * this.bucketPs;
          return this.peek(limit);
        }
        const f = this.far.peek();
        if (f === undefined) return undefined;
        next = Math.floor(f.time / this.bucketPs);
      } else {
        next = this.nextHint >= 0 ? this.nextHint : this.curAbs + this.nextOccupied();
      }
      if (next > limitAbs) {
        if (this.inWheel !== 0) this.nextHint = next;
        return undefined;
      }
      this.nextHint = -1;
      this.moveCursor(next);
    }
  }

  /** Removes the timer that `peek` returned. */
  shift(): void {
    if (this.small) {
      this.lastTime = this.far.pop()!.time;
      return;
    }
    this.pos++;
    this.inWheel--;
  }

  /**
   * Leaves small mode: the wheel (empty) gets its cursor at the bucket of the last timer popped, which no
   * timer inserted since precedes (it is the kernel's time or earlier), and takes the heap's near timers.
   */
  private toWheel(): void {
    if (this.counts.length === 0) this.allocateWheel();
    this.small = false;
    this.pos = 0;
    this.nextHint = -1;
    this.curAbs = Math.floor(this.lastTime / this.bucketPs);
    const end = (this.curAbs + this.size) * this.bucketPs;
    for (let f = this.far.peek(); f !== undefined && f.time < end; f = this.far.peek()) {
      this.far.pop();
      if (f.fn !== null) this.insert(f);
    }
  }

  clear(): void {
    for (const b of this.wheel) if (b !== undefined) b.length = 0;
    this.counts.fill(0);
    this.unsorted.fill(0);
    this.occupied.fill(0);
    this.far.clear();
    this.pos = 0;
    this.inWheel = 0;
    this.nextHint = -1;
    this.small = this.adaptive;
  }

  /**
   * Empties a bucket without leaving it references to spent Timers (kept alive, they would be promoted by the
   * GC, which costs far more than anything here). A small bucket keeps its array and has its entries
   * overwritten, so that sparse traffic (one timer per bucket) allocates nothing; a big one drops its array,
   * which is cheaper than the stores and lets the next fill start in a young array.
   */
  private empty(slot: number): void {
    const b = this.wheel[slot]!;
    const n = this.counts[slot]!;
    if (n > 8) b.length = 0;
    else for (let i = n - 1; i >= 0; i--) b[i] = SPENT;
    this.counts[slot] = 0;
    this.occupied[slot >>> 5]! &= ~(1 << (slot & 31)); // a masked slot: its word exists
  }

  /** Distance from the cursor to the next bucket holding timers (there is one: inWheel > 0). */
  private nextOccupied(): number {
    const words = this.occupied.length;
    const from = (this.curSlot + 1) & this.mask;
    let w = from >>> 5;
    let bits = this.occupied[w]! & (-1 << (from & 31));
    for (let i = 0; i <= words; i++) {
      if (bits !== 0) {
        const slot = (w << 5) + 31 - Math.clz32(bits & -bits);
        return (slot - this.curSlot) & this.mask;
      }
      w = w + 1 === words ? 0 : w + 1;
      bits = this.occupied[w]!;
    }
    throw new Error('EventQueue: timers counted in the wheel but no bucket holds any');
  }

  /**
   * Moves the cursor back to the bucket `abs`. Looking for the next live timer, `peek` may carry the cursor
   * past the kernel's time over buckets that held only cancelled timers (a run to idle does, leaving `now` at
   * its last event); an insert at `now` then lands behind the cursor. The buckets in between are empty, but
   * the horizon shrinks: the slots they share with the buckets now beyond it hand their timers to the heap.
   */
  private rewind(abs: number): void {
    this.nextHint = -1;
    const back = this.curAbs - abs;
    if (this.pos > 0) {
      // Drop the cursor bucket's consumed part (no longer counted in inWheel).
      const slot = this.curSlot;
      const b = this.wheel[slot]!;
      const had = this.counts[slot]!;
      const n = had - this.pos;
      if (n === 0) {
        this.empty(slot);
      } else {
        b.copyWithin(0, this.pos, had);
        for (let i = n; i < had; i++) b[i] = SPENT;
        this.counts[slot] = n;
      }
      this.pos = 0;
    }
    const steps = Math.min(back, this.size);
    for (let i = 1; i <= steps; i++) {
      const slot = (this.curSlot - i) & this.mask;
      const n = this.counts[slot]!;
      if (n === 0) continue;
      const b = this.wheel[slot]!;
      for (let j = 0; j < n; j++) if (b[j]!.fn !== null) this.far.push(b[j]!);
      this.inWheel -= n;
      this.empty(slot);
      this.unsorted[slot] = 0;
    }
    this.curSlot = (this.curSlot - (back % this.size)) & this.mask;
    this.curAbs = abs;
  }

  private moveCursor(abs: number): void {
    this.curSlot = (this.curSlot + ((abs - this.curAbs) % this.size)) & this.mask;
    this.curAbs = abs;
    // Timers from the heap whose bucket entered the horizon move into the wheel.
    const end = (abs + this.size) * this.bucketPs;
    for (let f = this.far.peek(); f !== undefined && f.time < end; f = this.far.peek()) {
      this.far.pop();
      if (f.fn !== null) this.insert(f);
    }
    if (this.unsorted[this.curSlot] === 1) {
      this.sortBucket(this.curSlot);
      this.unsorted[this.curSlot] = 0;
    }
  }

  private sortBucket(slot: number): void {
    const b = this.wheel[slot]!;
    const n = this.counts[slot]!;
    if (n > 64) {
      const sorted = b.slice(0, n).sort(compareTimers);
      for (let i = 0; i < n; i++) b[i] = sorted[i]!;
      return;
    }
    // Small and nearly sorted (one late append, typically): insertion sort.
    for (let i = 1; i < n; i++) {
      const t = b[i]!;
      let j = i;
      while (j > 0 && compareTimers(b[j - 1]!, t) > 0) {
        b[j] = b[j - 1]!;
        j--;
      }
      b[j] = t;
    }
  }
}
