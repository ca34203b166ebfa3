import { expect } from 'chai';
import { filter, map } from 'rxjs';
import { EventBus, type SimEvent } from './event-bus.js';
import { FaultLog } from './faults.js';

function makeBus(): { bus: EventBus; faults: FaultLog; setNow: (t: number) => void } {
  let now = 0;
  const faults = new FaultLog(() => now);
  const bus = new EventBus(
    () => now,
    (s, e) => faults.report(s, e),
  );
  return {
    bus,
    faults,
    setNow: (t) => {
      now = t;
    },
  };
}

describe('EventBus', () => {
  it('delivers every event to all$ in publish order, stamped with the current time', () => {
    const { bus, setNow } = makeBus();
    const seen: SimEvent[] = [];
    bus.all$.subscribe((e) => seen.push(e));
    setNow(5);
    bus.publish('gpio', 'level', { pin: 1 });
    setNow(9);
    bus.publish('timer', 'alarm');
    expect(seen.map((e) => [e.time, e.source, e.type])).to.deep.equal([
      [5, 'gpio', 'level'],
      [9, 'timer', 'alarm'],
    ]);
    expect(seen[0]!.data).to.deep.equal({ pin: 1 });
  });

  it('typed sources deliver only their own events, and on(type) only that type', () => {
    const { bus } = makeBus();
    const gpio = bus.source<{ level: { pin: number }; edge: { pin: number } }>('gpio');
    const own: string[] = [];
    const levels: number[] = [];
    gpio.events$.subscribe((e) => own.push(e.type));
    gpio.on('level').subscribe((e) => levels.push(e.data!.pin));
    gpio.emit('level', { pin: 3 });
    bus.publish('other', 'level', { pin: 99 });
    gpio.emit('edge', { pin: 4 });
    expect(own).to.deep.equal(['level', 'edge']);
    expect(levels).to.deep.equal([3]);
    expect(bus.source('gpio')).to.equal(gpio);
  });

  it('turns a throwing subscriber into a fault with time and source, and keeps delivering to it and others', () => {
    const { bus, faults, setNow } = makeBus();
    const good: number[] = [];
    let calls = 0;
    bus.all$.subscribe(() => {
      calls++;
      throw new Error('subscriber broke');
    });
    bus.all$.subscribe((e) => good.push(e.time));
    setNow(42);
    bus.publish('dma', 'eof');
    setNow(43);
    bus.publish('dma', 'eof');
    expect(good).to.deep.equal([42, 43]);
    expect(calls).to.equal(2);
    expect(faults.entries.map((f) => [f.time, f.source, f.error.message])).to.deep.equal([
      [42, 'dma', 'subscriber broke'],
      [43, 'dma', 'subscriber broke'],
    ]);
  });

  it('guards subscribers of piped streams too', () => {
    const { bus, faults } = makeBus();
    const got: string[] = [];
    bus.all$
      .pipe(
        filter((e) => e.type === 'x'),
        map((e) => e.source),
      )
      .subscribe((s) => {
        got.push(s);
        throw new Error(`bad ${s}`);
      });
    bus.publish('a', 'x');
    bus.publish('b', 'y');
    bus.publish('c', 'x');
    expect(got).to.deep.equal(['a', 'c']);
    expect(faults.entries.map((f) => f.error.message)).to.deep.equal(['bad a', 'bad c']);
  });

  it('reports an operator error that ends a piped subscription when the subscriber has no error handler', () => {
    const { bus, faults } = makeBus();
    const got: number[] = [];
    bus.all$
      .pipe(
        map((e) => {
          if (e.type === 'bad') throw new Error('map failed');
          return e.time;
        }),
      )
      .subscribe((t) => got.push(t));
    bus.publish('s', 'ok');
    bus.publish('s', 'bad');
    bus.publish('s', 'ok');
    expect(got).to.have.length(1);
    expect(faults.entries.map((f) => [f.source, f.error.message])).to.deep.equal([['s', 'map failed']]);
  });

  it('direct listeners see every event and their exceptions become faults', () => {
    const { bus, faults } = makeBus();
    const seen: string[] = [];
    const off = bus.listen((e) => {
      seen.push(e.type);
      if (e.type === 'boom') throw new Error('listener');
    });
    bus.publish('s', 'a');
    bus.publish('s', 'boom');
    off();
    bus.publish('s', 'c');
    expect(seen).to.deep.equal(['a', 'boom']);
    expect(faults.entries).to.have.length(1);
  });

  it('unsubscribing stops delivery, and `observed` follows subscriptions', () => {
    const { bus } = makeBus();
    const src = bus.source('spi');
    expect(src.observed).to.equal(false);
    const seen: string[] = [];
    const sub = src.events$.subscribe((e) => seen.push(e.type));
    expect(src.observed).to.equal(true);
    src.emit('t1', undefined);
    sub.unsubscribe();
    src.emit('t2', undefined);
    expect(seen).to.deep.equal(['t1']);
    expect(src.observed).to.equal(false);
  });

  it('a subscriber added during delivery does not see the event being delivered', () => {
    const { bus } = makeBus();
    const late: string[] = [];
    bus.all$.subscribe(() => {
      bus.all$.subscribe((e) => late.push(e.type));
    });
    bus.publish('s', 'first');
    expect(late).to.deep.equal([]);
    bus.publish('s', 'second');
    expect(late).to.deep.equal(['second']);
  });
  it('per-type flags: a subscriber of one type observes only that type; the whole source or the bus observe all', () => {
    const { bus } = makeBus();
    type M = { a: number; b: number; c: number };
    const src = bus.source<M>('dma');
    const fa = src.observedFlag('a');
    const fb = src.observedFlag('b');
    expect(src.observedFlag('a')).to.equal(fa);
    const state = (): boolean[] => [fa.observed, fb.observed, src.observes('c'), src.observed];
    expect(state()).to.deep.equal([false, false, false, false]);
    const offA = src.listen(() => undefined, ['a']);
    expect(state()).to.deep.equal([true, false, false, true]);
    const subB = src.on('b').subscribe(() => undefined);
    expect(state()).to.deep.equal([true, true, false, true]);
    offA();
    expect(state()).to.deep.equal([false, true, false, true]);
    subB.unsubscribe();
    expect(state()).to.deep.equal([false, false, false, false]);
    const offAll = src.listen(() => undefined);
    expect(state()).to.deep.equal([true, true, true, true]);
    offAll();
    const offBus = bus.listen(() => undefined);
    expect(state()).to.deep.equal([true, true, true, true]);
    offBus();
    const subAll = bus.all$.subscribe(() => undefined);
    expect(state()).to.deep.equal([true, true, true, true]);
    subAll.unsubscribe();
    expect(state()).to.deep.equal([false, false, false, false]);
    // a flag asked for after subscriptions exist starts right
    src.listen(() => undefined, ['c']);
    expect(src.observedFlag('c').observed).to.equal(true);
  });

  it('listen(fn, types) hears only those types, each event once, in publish order among other subscribers', () => {
    const { bus, faults } = makeBus();
    type M = { a: number; b: number; c: number };
    const src = bus.source<M>('dma');
    const order: string[] = [];
    src.listen((e) => order.push(`whole ${e.type}`));
    const off = src.listen(
      (e) => {
        order.push(`ab ${e.type}`);
        if (e.type === 'b') throw new Error('typed listener');
      },
      ['a', 'b', 'a'],
    );
    src.on('c').subscribe((e) => order.push(`on-c ${e.type}`));
    src.emit('a', 1);
    src.emit('b', 2);
    src.emit('c', 3);
    off();
    src.emit('a', 4);
    expect(order).to.deep.equal(['whole a', 'ab a', 'whole b', 'ab b', 'whole c', 'on-c c', 'whole a']);
    expect(faults.entries.map((f) => [f.source, f.error.message])).to.deep.equal([['dma', 'typed listener']]);
  });
});
