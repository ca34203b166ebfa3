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
 * Invariant: the cursor bucket never lies after the kernel's current time, so every insert lands at or after
 * the cursor (peek never advances the cursor past the limit it is given).
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
    if (!Number.isSafeInteger(this.bucketPs) || this.bucketPs < 1) throw new RangeError('bucketPs must be a positive integer');
    if (!Number.isInteger(this.size) || this.size < 2 || (this.size & (this.size - 1)) !== 0) {
      throw new RangeError('buckets must be a power of two >= 2');
    }
    this.mask = this.size - 1;
    this.wheel = Array.from({ length: this.size }, () => []);
    this.unsorted = new Uint8Array(this.size);
  }

  /** Timers waiting (cancelled ones included until they are reached). */
  get length(): number {
    return this.inWheel + this.far.size;
  }

  insert(t: Timer): void {
    const d = Math.floor(t.time / this.bucketPs) - this.curAbs;
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
