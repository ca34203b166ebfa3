import { expect } from 'chai';
import { EventQueue } from './event-queue.js';
import { Timer } from './timer.js';

/** A queue with a tiny wheel (8 buckets of 10 ps: an 80 ps horizon) so tests cross the horizon and wrap. */
function smallQueue(): {
  q: EventQueue;
  add: (time: number, tag?: string) => Timer;
  drain: (limit?: number) => string[];
} {
  const q = new EventQueue({ bucketPs: 10, buckets: 8 });
  let seq = 0;
  const add = (time: number, tag = String(time)): Timer => {
    const t = new Timer(time, seq++, () => undefined, tag);
    q.insert(t);
    return t;
  };
  const drain = (limit = Infinity): string[] => {
    const out: string[] = [];
    for (let t = q.peek(limit); t !== undefined; t = q.peek(limit)) {
      q.shift();
      t.fn = null;
      out.push(t.source);
    }
    return out;
  };
  return { q, add, drain };
}

describe('EventQueue', () => {
  it('pops in (time, insertion) order across the wheel, past its horizon and far in the future', () => {
    const { add, drain } = smallQueue();
    const times = [75, 3, 1000, 3, 0, 79, 80, 81, 1e9, 12, 12, 500, 0, 9, 10];
    const timers = times.map((t, i) => add(t, `${t}#${i}`));
    const expected = timers
      .map((t) => t)
      .sort((a, b) => a.time - b.time || a.seq - b.seq)
      .map((t) => t.source);
    expect(drain()).to.deep.equal(expected);
  });

  it('sorts a bucket whose appends arrived out of order before popping from it', () => {
    const { add, drain } = smallQueue();
    add(0, 'a');
    add(29, 'late');
    add(21, 'early'); // same bucket [20, 30) as 'late', appended after it
    add(25, 'mid');
    expect(drain()).to.deep.equal(['a', 'early', 'mid', 'late']);
  });

  it('places an insert into the bucket being consumed after the timers of its time already there', () => {
    const { q, add, drain } = smallQueue();
    add(4, 'x1');
    add(4, 'x2');
    add(7, 'y');
    const first = q.peek(Infinity)!;
    q.shift();
    expect(first.source).to.equal('x1');
    add(4, 'x3'); // same instant, scheduled after x1 and x2
    add(5, 'z'); // between x and y, same bucket
    expect(drain()).to.deep.equal(['x2', 'x3', 'z', 'y']);
  });

  it('skips cancelled timers in the wheel and in the heap', () => {
    const { add, drain, q } = smallQueue();
    add(1, 'a');
    add(2, 'b').cancel();
    add(500, 'c').cancel();
    add(600, 'd');
    expect(q.length).to.equal(4);
    expect(drain()).to.deep.equal(['a', 'd']);
    expect(q.length).to.equal(0);
  });

  it('never moves its cursor past the limit it is given', () => {
    const { add, drain } = smallQueue();
    add(1000, 'far');
    expect(drain(500)).to.deep.equal([]);
    // The kernel's clock is now 500: an insert at 500 and one just after must still come out first.
    add(500, 'at-limit');
    add(505, 'after');
    expect(drain()).to.deep.equal(['at-limit', 'after', 'far']);
  });

  it('stops at the limit inside a bucket and resumes there', () => {
    const { add, drain } = smallQueue();
    add(31, 'a');
    add(33, 'b');
    add(36, 'c');
    expect(drain(33)).to.deep.equal(['a', 'b']);
    add(33, 'd');
    add(34, 'e');
    expect(drain()).to.deep.equal(['d', 'e', 'c']);
  });

  it('takes an insert behind a cursor that skipped cancelled timers, and keeps the horizon', () => {
    const { q, add, drain } = smallQueue();
    add(30, 'cancelled').cancel();
    add(75, 'near'); // in the wheel, bucket 7
    add(90, 'far'); // past the 80 ps horizon: in the heap
    expect(drain(60)).to.deep.equal([]); // skips bucket 3 and stops at bucket 6; 'far' enters the wheel
    add(5, 'behind'); // bucket 0, behind the cursor
    add(15, 'next'); // bucket 1, which 'far' (bucket 9) must not share
    expect(q.length).to.equal(4);
    expect(drain()).to.deep.equal(['behind', 'next', 'near', 'far']);
  });

  it('jumps over empty buckets across bitmap words and around the ring', () => {
    const q = new EventQueue({ bucketPs: 1, buckets: 64 });
    let seq = 0;
    const add = (time: number): void => q.insert(new Timer(time, seq++, () => undefined, String(time)));
    add(50);
    q.peek(Infinity);
    q.shift(); // the cursor is at slot 50 (second word of the bitmap)
    for (const t of [114, 113, 100, 70, 60, 51]) add(t); // 114 is past the horizon, 113 its last bucket
    const out: string[] = [];
    for (let t = q.peek(Infinity); t !== undefined; t = q.peek(Infinity)) {
      q.shift();
      out.push(t.source);
    }
    expect(out).to.deep.equal(['51', '60', '70', '100', '113', '114']);
  });

  it('reuses emptied buckets without bringing back their old timers', () => {
    const { add, drain } = smallQueue();
    for (let i = 0; i < 12; i++) add(3, `big${i}`); // a bucket that drops its array
    for (let i = 0; i < 3; i++) add(15, `small${i}`); // one that keeps it
    expect(drain()).to.have.length(15);
    add(83, 'again0'); // the same slots, one lap later
    add(95, 'again1');
    expect(drain()).to.deep.equal(['again0', 'again1']);
  });

  it('refuses a wheel shape it cannot use', () => {
    expect(() => new EventQueue({ buckets: 6 })).to.throw(/power of two/);
    expect(() => new EventQueue({ buckets: 1 })).to.throw(/power of two/);
    expect(() => new EventQueue({ bucketPs: 0 })).to.throw(/bucketPs/);
    expect(() => new EventQueue({ bucketPs: 1.5 })).to.throw(/bucketPs/);
  });
});
