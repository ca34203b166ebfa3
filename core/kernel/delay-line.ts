/**
 * Events that all run a fixed delay after they are posted, waiting in a FIFO ring instead of the kernel's
 * event queue. Posted at nondecreasing times with increasing sequence numbers, they are in (time, seq) order
 * already: the head is always the line's earliest event, and the kernel's run loop takes it or the queue's
 * head, whichever comes first in (time, seq). So a fixed-latency route (the ETM's event-to-task delivery)
 * costs a ring write and a read instead of a Timer, a queue insert and a pop, with the same order.
 */
export class DelayRing {
  private times: number[];
  private seqs: number[];
  private fns: ((() => void) | undefined)[];
  private sources: string[];
  private mask: number;
  private head = 0;
  count = 0;

  constructor(
    readonly delayPs: number,
    capacity = 16,
  ) {
    this.times = new Array<number>(capacity).fill(0);
    this.seqs = new Array<number>(capacity).fill(0);
    this.fns = new Array<(() => void) | undefined>(capacity).fill(undefined);
    this.sources = new Array<string>(capacity).fill('');
    this.mask = capacity - 1;
  }

  /** Time of the head event (count > 0). */
  get headTime(): number {
    return this.times[this.head]!;
  }
  get headSeq(): number {
    return this.seqs[this.head]!;
  }
  get headSource(): string {
    return this.sources[this.head]!;
  }

  push(time: number, seq: number, fn: () => void, source: string): void {
    if (this.count > this.mask) this.grow();
    const i = (this.head + this.count++) & this.mask;
    this.times[i] = time;
    this.seqs[i] = seq;
    this.fns[i] = fn;
    this.sources[i] = source;
  }

  /** Removes the head event and returns its function. */
  shift(): () => void {
    const i = this.head;
    const fn = this.fns[i]!;
    this.fns[i] = undefined;
    this.head = (i + 1) & this.mask;
    this.count--;
    return fn;
  }

  clear(): void {
    this.fns.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const n = this.mask + 1;
    const order = (a: unknown[]): void => {
      const c = a.slice(this.head).concat(a.slice(0, this.head));
      for (let i = 0; i < n; i++) a[i] = c[i];
    };
    order(this.times);
    order(this.seqs);
    order(this.fns);
    order(this.sources);
    this.times.length = this.seqs.length = this.fns.length = this.sources.length = 2 * n;
    this.times.fill(0, n);
    this.seqs.fill(0, n);
    this.fns.fill(undefined, n);
    this.sources.fill('', n);
    this.head = 0;
    this.mask = 2 * n - 1;
  }
}
