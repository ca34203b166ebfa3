import type { ScheduledEvent } from '../../../core/kernel/kernel.js';
import type { Region } from '../../../core/memory/memory.js';

/**
 * One segment of a memory-to-memory transfer: the bytes from the current TX position to the nearer of the
 * TX and RX descriptor ends, with the descriptors it finishes (to write back at commit).
 */
export class SegmentRecord {
  start = 0;
  /** Fixed cost before the first beat of each sub-segment: descriptor fetches (and the start). */
  head = 0;
  beatPs = 0;
  /** Bytes per sub-segment. */
  n = 0;
  /**
   * Sub-segments: a run of `m` identical descriptor pairs (consecutive descriptors, same words, contiguous
   * buffers, each pair finishing both descriptors) is kept as one record; `m` is 1 otherwise.
   */
  m = 1;
  /** Duration of one sub-segment. */
  subDur = 0;
  end = 0;
  src!: Region;
  srcOff = 0;
  dst!: Region;
  dstOff = 0;
  txDesc = 0;
  txDescRegion!: Region;
  txW0 = 0;
  txDone = false;
  /** TX offset in its descriptor after this segment. */
  txOffEnd = 0;
  rxDesc = 0;
  rxDescRegion!: Region;
  rxW0 = 0;
  rxDone = false;
  rxOffEnd = 0;
  eof = false;
}

export type BatchEnd = 'eof' | 'list-end' | 'error' | 'cap' | 'single';

/**
 * The segments of one pair planned in one go and committed by one kernel event: while a pair is alone on
 * the engine, the engine plans up to its next EOF (or the end of its list) and moves the bytes at the end
 * with one `set` per contiguous run. Another pair becoming runnable truncates the batch at the segment in
 * progress; a stop or a status query in the middle moves exactly the beats done so far.
 */
export class Batch {
  readonly segs: SegmentRecord[] = [];
  pair = -1;
  count = 0;
  event: ScheduledEvent | undefined;
  endReason: BatchEnd = 'single';
  /** A descriptor error found while planning, raised when the batch commits. */
  error: { dir: 'tx' | 'rx'; addr: number; reason: string } | undefined;
  /** Memory moved up to segment `movedSeg`, `movedByte` bytes into it. */
  movedSeg = 0;
  movedByte = 0;
  /** Descriptors of records before `wbSeg`, and of the first `wbSub` sub-segments of record `wbSeg`, are written back. */
  wbSeg = 0;
  wbSub = 0;
  /** Descriptor pairs planned. */
  pairsPlanned = 0;

  reset(pair: number): void {
    this.pair = pair;
    this.count = 0;
    this.event = undefined;
    this.endReason = 'single';
    this.error = undefined;
    this.movedSeg = 0;
    this.movedByte = 0;
    this.wbSeg = 0;
    this.wbSub = 0;
    this.pairsPlanned = 0;
  }

  push(): SegmentRecord {
    let s = this.segs[this.count];
    if (!s) {
      s = new SegmentRecord();
      this.segs.push(s);
    }
    this.count++;
    s.m = 1;
    return s;
  }

  get last(): SegmentRecord {
    return this.segs[this.count - 1]!;
  }

  /** Index of the segment in progress at `now` (the first not finished; the last one when all are). */
  indexAt(now: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segs[mid]!.end > now) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
