import { EspError, ESP_ERR_INVALID_ARG } from '../errors.js';
import { Timer, compareTimers } from './timer.js';
import { TimerHeap } from './timer-heap.js';

export interface EventQueueOptions {
  /** Width of one wheel bucket in ps (default 1000: 1 ns). */
  bucketPs?: number;
  /** Number of buckets, a power of two (default 4096: with 1 ns buckets, a 4.096 us horizon). */
  buckets?: number;
}

/**
 * The kernel's event queue: a timing wheel for the near future in front of a binary heap for the rest.
 *
 * SoC models schedule mostly near-future events (beats, cycles, latencies of nanoseconds to microseconds);
 * the wheel makes those O(1) to insert and to pop. Each bucket covers `bucketPs` of time and keeps its timers
 * in (time, seq) order: appends that keep order are free, the rare out-of-order append marks the bucket for
 * one sort when the cursor reaches it. Timers beyond the horizon wait in the heap and move into the wheel as
 * the cursor advances. Cancelled timers stay in place (their `fn` is null) and are skipped when reached.
 *
 * The cursor never passes the limit given to `peek` (a run's `until`), but it may pass the kernel's time when
 * it skips cancelled timers and finds nothing: an insert behind it moves it back (`rewind`).
 */
export class EventQueue {
  private readonly bucketPs: number;
  private readonly mask: number;
  private readonly size: number;
  private readonly wheel: Timer[][];
  private readonly unsorted: Uint8Array;
  private readonly far = new TimerHeap();
  /** Absolute index (time / bucketPs) of the cursor bucket, and its slot in the ring. */
  private curAbs = 0;
  private curSlot = 0;
  /** Position of the next timer to run within the cursor bucket. */
  private pos = 0;
  /** Timers in the wheel not yet popped (cancelled ones included). */
  private inWheel = 0;

  constructor(opts: EventQueueOptions = {}) {
    this.bucketPs = opts.bucketPs ?? 1000;
    this.size = opts.buckets ?? 4096;
    if (!Number.isSafeInteger(this.bucketPs) || this.bucketPs < 1) {
      throw new EspError(ESP_ERR_INVALID_ARG, `kernel: bucketPs must be a positive integer, got ${this.bucketPs}`);
    }
    if (!Number.isInteger(this.size) || this.size < 2 || this.size > 2 ** 24 || (this.size & (this.size - 1)) !== 0) {
      throw new EspError(ESP_ERR_INVALID_ARG, `kernel: buckets must be a power of two from 2 to 2^24, got ${this.size}`);
    }
    this.mask = this.size - 1;
    this.wheel = Array.from({ length: this.size }, () => []);
    this.unsorted = new Uint8Array(this.size);
  }

  /** Timers waiting (cancelled ones included until they are reached). */
  get length(): number {
    return this.inWheel + this.far.size;
  }

  /** Adds `t`, whose time must not be before the last timer popped (the kernel's `now`). */
  insert(t: Timer): void {
    let d = Math.floor(t.time / this.bucketPs) - this.curAbs;
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
    const b = this.wheel[slot]!;
    const n = b.length;
    if (n === 0 || compareTimers(b[n - 1]!, t) <= 0) {
      b.push(t);
    } else if (d === 0) {
      // The cursor bucket is being consumed in order: insert in place after the consumed part.
      let i = n - 1;
      while (i > this.pos && compareTimers(b[i - 1]!, t) > 0) i--;
      b.splice(i, 0, t);
    } else {
      b.push(t);
      this.unsorted[slot] = 1;
    }
  }

  /**
   * The next live timer with time <= limit, or undefined. Moves the cursor forward only up to the bucket
   * of `limit`, so that a later insert at a time >= limit is never behind it.
   */
  peek(limit: number): Timer | undefined {
    const limitAbs = limit === Infinity ? Infinity : Math.floor(limit / this.bucketPs);
    for (;;) {
      const b = this.wheel[this.curSlot]!;
      while (this.pos < b.length) {
        const t = b[this.pos]!;
        if (t.fn !== null) return t.time <= limit ? t : undefined;
        this.pos++;
        this.inWheel--;
      }
      if (b.length !== 0) b.length = 0;
      this.pos = 0;
      let next: number;
      if (this.inWheel === 0) {
        const f = this.far.peek();
        if (f === undefined) return undefined;
        next = Math.floor(f.time / this.bucketPs);
      } else {
        next = this.curAbs + 1;
      }
      if (next > limitAbs) return undefined;
      this.moveCursor(next);
    }
  }

  /** Removes the timer that `peek` returned. */
  shift(): void {
    this.pos++;
    this.inWheel--;
  }

  clear(): void {
    for (const b of this.wheel) b.length = 0;
    this.unsorted.fill(0);
    this.far.clear();
    this.pos = 0;
    this.inWheel = 0;
  }

  /**
   * Moves the cursor back to the bucket `abs`. Looking for the next live timer, `peek` may carry the cursor
   * past the kernel's time over buckets that held only cancelled timers (a run to idle does, leaving `now` at
   * its last event); an insert at `now` then lands behind the cursor. The buckets in between are empty, but
   * the horizon shrinks: the slots they share with the buckets now beyond it hand their timers to the heap.
   */
  private rewind(abs: number): void {
    const back = this.curAbs - abs;
    const cur = this.wheel[this.curSlot]!;
    if (this.pos > 0) {
      cur.splice(0, this.pos); // already skipped (and no longer counted in inWheel)
      this.pos = 0;
    }
    const n = Math.min(back, this.size);
    for (let i = 1; i <= n; i++) {
      const slot = (this.curSlot - i) & this.mask;
      const b = this.wheel[slot]!;
      if (b.length === 0) continue;
      for (const t of b) if (t.fn !== null) this.far.push(t);
      this.inWheel -= b.length;
      b.length = 0;
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
      this.wheel[this.curSlot]!.sort(compareTimers);
      this.unsorted[this.curSlot] = 0;
    }
  }
}
