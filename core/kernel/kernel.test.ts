import { expect } from 'chai';
import { EspError, ESP_ERR_INVALID_ARG, ESP_ERR_INVALID_STATE, SimulationError } from '../errors.js';
import { assembleSimulation } from '../simulation.js';
import { bareTarget } from '../testing/bare-target.js';
import { ms, ns, us } from '../time.js';
import { Kernel, type KernelOptions } from './kernel.js';

interface Fault {
  source: string;
  error: unknown;
}

function makeKernel(opts?: KernelOptions): { k: Kernel; faults: Fault[]; log: string[] } {
  const faults: Fault[] = [];
  const k = new Kernel((source, error) => faults.push({ source, error }), opts);
  return { k, faults, log: [] };
}

/** Asserts that `p` rejects; returns the reason. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  expect.fail('expected the promise to reject');
}

function expectInvalidArg(e: unknown, pattern: RegExp): void {
  expect(e).to.be.instanceOf(EspError);
  expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
  expect((e as EspError).message).to.match(pattern);
}

describe('Kernel', () => {
  describe('ordering', () => {
    it('runs events by time, then in the order they were scheduled', async () => {
      const { k, log } = makeKernel();
      k.schedule(ns(5), () => log.push('5a'));
      k.schedule(ns(1), () => log.push('1'));
      k.schedule(ns(5), () => log.push('5b'));
      k.schedule(0, () => log.push('0'));
      k.schedule(us(10), () => log.push('10us')); // beyond the 4.096 us wheel horizon
      k.schedule(ms(3_600_000), () => log.push('far')); // 1 hour: far in the future
      k.schedule(ns(5), () => log.push('5c'));
      await k.run();
      expect(log).to.deep.equal(['0', '1', '5a', '5b', '5c', '10us', 'far']);
      expect(k.now).to.equal(ms(3_600_000));
    });

    it('runs a same-instant event scheduled during a run after those already scheduled for that instant', async () => {
      const { k, log } = makeKernel();
      k.schedule(ns(2), () => {
        log.push('a');
        k.schedule(0, () => {
          log.push('a0');
          k.schedule(0, () => log.push('a00'));
        });
        k.schedule(1, () => log.push('a+1ps'));
      });
      k.schedule(ns(2), () => log.push('b'));
      k.schedule(ns(2) + 1, () => log.push('c'));
      await k.run();
      expect(log).to.deep.equal(['a', 'b', 'a0', 'a00', 'c', 'a+1ps']);
    });

    it('orders events scheduled during a run beyond the wheel horizon with those already there', async () => {
      const { k, log } = makeKernel({ buckets: 4, bucketPs: 10 }); // a 40 ps horizon
      k.schedule(100, () => log.push('100 first'));
      k.schedule(5, () => {
        log.push('5');
        k.schedule(95, () => log.push('100 second')); // same time, scheduled later
        k.schedule(94, () => log.push('99'));
        k.schedule(1000, () => log.push('1005'));
      });
      await k.run();
      expect(log).to.deep.equal(['5', '99', '100 first', '100 second', '1005']);
    });
  });

  describe('cancel', () => {
    it('drops an event cancelled before the run', async () => {
      const { k, log } = makeKernel();
      k.schedule(ns(1), () => log.push('a'));
      const b = k.schedule(ns(1), () => log.push('b'));
      const far = k.schedule(us(100), () => log.push('far'));
      b.cancel();
      far.cancel();
      await k.run();
      expect(log).to.deep.equal(['a']);
      expect(k.eventsRun).to.equal(1);
    });

    it('drops an event cancelled by another event, at the same instant or later', async () => {
      const { k, log } = makeKernel();
      const victims: { cancel(): void }[] = [];
      k.schedule(ns(3), () => {
        log.push('killer');
        for (const v of victims) v.cancel();
      });
      victims.push(k.schedule(ns(3), () => log.push('same instant')));
      victims.push(k.schedule(ns(4), () => log.push('later')));
      victims.push(k.schedule(us(50), () => log.push('far')));
      k.schedule(ns(4), () => log.push('survivor'));
      await k.run();
      expect(log).to.deep.equal(['killer', 'survivor']);
    });

    it('is harmless twice and after the event ran', async () => {
      const { k, log } = makeKernel();
      const a = k.schedule(ns(1), () => log.push('a'));
      const b = k.schedule(ns(2), () => log.push('b'));
      b.cancel();
      b.cancel();
      await k.run();
      a.cancel();
      k.schedule(ns(1), () => log.push('c'));
      await k.run();
      expect(log).to.deep.equal(['a', 'c']);
    });

    it('keeps order for events scheduled at now after a run to idle passed a cancelled future event', async () => {
      // The run skips the cancelled event's bucket on its way to finding nothing, but now stays at 0.
      const { k, log } = makeKernel();
      k.schedule(ns(1), () => log.push('cancelled')).cancel();
      k.schedule(us(6), () => log.push('far cancelled')).cancel();
      await k.run();
      expect(k.now).to.equal(0);
      k.schedule(0, () => {
        log.push(`a@${k.now}`);
        k.schedule(0, () => {
          log.push(`b@${k.now}`);
          k.schedule(0, () => log.push(`d@${k.now}`));
        });
        k.schedule(1, () => log.push(`c@${k.now}`));
      });
      await k.run();
      expect(log).to.deep.equal(['a@0', 'b@0', 'd@0', 'c@1']);
    });
  });

  describe('run({ until })', () => {
    it('runs the events at until, stops with now == until, then continues', async () => {
      const { k, log } = makeKernel();
      for (const t of [ns(1), ns(5), ns(5) + 1, ns(9)]) k.schedule(t, () => log.push(`${t}@${k.now}`));
      await k.run(ns(5));
      expect(log).to.deep.equal(['1000@1000', '5000@5000']);
      expect(k.now).to.equal(ns(5));
      await k.run(ns(7));
      expect(k.now).to.equal(ns(7));
      expect(log).to.have.length(3);
      await k.run();
      expect(log).to.deep.equal(['1000@1000', '5000@5000', '5001@5001', '9000@9000']);
      expect(k.now).to.equal(ns(9));
    });

    it('advances now to until when nothing is scheduled', async () => {
      const { k } = makeKernel();
      await k.run(us(3));
      expect(k.now).to.equal(us(3));
      await k.run(us(3));
      expect(k.now).to.equal(us(3));
    });

    it('keeps order for events scheduled after a run stopped at until before the next far event', async () => {
      const { k, log } = makeKernel();
      k.schedule(us(10), () => log.push(`far@${k.now}`));
      k.schedule(ns(4500), () => log.push(`near@${k.now}`));
      await k.run(ns(5000) + 500); // stops inside a 1 ns bucket, between the wheel and the far event
      k.schedule(0, () => log.push(`now@${k.now}`));
      k.schedule(1, () => log.push(`+1ps@${k.now}`));
      k.schedule(us(1), () => log.push(`+1us@${k.now}`));
      k.schedule(us(10) - (ns(5000) + 500), () => log.push(`same as far@${k.now}`)); // exactly the far event's time
      await k.run();
      expect(log).to.deep.equal([
        'near@4500000',
        'now@5000500',
        '+1ps@5000501',
        '+1us@6000500',
        'far@10000000',
        'same as far@10000000',
      ]);
    });

    it('keeps order when a run stops early with the next event only in the far heap', async () => {
      const { k, log } = makeKernel({ buckets: 4, bucketPs: 10 });
      k.schedule(1000, () => log.push('1000'));
      await k.run(500);
      k.schedule(3, () => log.push('503'));
      k.schedule(600, () => log.push('1100'));
      await k.run(999);
      expect(log).to.deep.equal(['503']);
      k.schedule(1, () => log.push('1000 second'));
      await k.run();
      expect(log).to.deep.equal(['503', '1000', '1000 second', '1100']);
    });
  });

  describe('tasks', () => {
    it("lands a task's delay after an event-resumed await at exactly that event's time + delay", async () => {
      const { k, log } = makeKernel();
      const d = k.deferred<number>();
      k.schedule(ns(3), () => d.resolve(7));
      k.schedule(ns(3) + 1, () => log.push(`next event@${k.now}`));
      const task = k.spawn('t', async () => {
        const v = await d.promise;
        log.push(`resumed ${v}@${k.now}`);
        await k.delay(ns(5));
        log.push(`delayed@${k.now}`);
      });
      await k.run();
      await task.done;
      expect(log).to.deep.equal(['resumed 7@3000', 'next event@3001', 'delayed@8000']);
    });

    it('runs a chain of awaits inside tasks before time advances', async () => {
      const { k, log } = makeKernel();
      const go = k.deferred();
      const handoff = k.deferred();
      const inner = async (n: number): Promise<number> => {
        for (let i = 0; i < n; i++) await Promise.resolve();
        return n;
      };
      k.spawn('a', async () => {
        await go.promise;
        const n = await inner(20);
        log.push(`a after ${n} awaits@${k.now}`);
        handoff.resolve();
      });
      k.spawn('b', async () => {
        await handoff.promise;
        await inner(5);
        log.push(`b@${k.now}`);
        await k.delay(0);
        log.push(`b after delay(0)@${k.now}`);
      });
      k.schedule(ns(1), () => go.resolve());
      k.schedule(ns(1) + 1, () => log.push(`next@${k.now}`));
      await k.run();
      expect(log).to.deep.equal(['a after 20 awaits@1000', 'b@1000', 'b after delay(0)@1000', 'next@1001']);
    });

    it('starts a spawned task at the current instant after the events already scheduled for it', async () => {
      const { k, log } = makeKernel();
      k.schedule(ns(2), () => {
        log.push('event');
        k.spawn('child', async () => {
          log.push(`child@${k.now}`);
        });
        k.schedule(0, () => log.push('later same instant'));
      });
      k.schedule(ns(2), () => log.push('sibling'));
      await k.run();
      expect(log).to.deep.equal(['event', 'sibling', 'child@2000', 'later same instant']);
    });

    it('records a throwing task as a fault of source task:NAME, rejects its done and goes on', async () => {
      const { k, faults, log } = makeKernel();
      const boom = new Error('boom');
      const sync = k.spawn('sync', () => {
        throw boom;
      });
      const asyncTask = k.spawn('async', async () => {
        await k.delay(ns(1));
        throw new Error('late boom');
      });
      k.schedule(ns(2), () => log.push(`after@${k.now}`));
      await k.run();
      expect(log).to.deep.equal(['after@2000']);
      expect(faults.map((f) => f.source)).to.deep.equal(['task:sync', 'task:async']);
      expect(faults[0]!.error).to.equal(boom);
      expect(await rejection(sync.done)).to.equal(boom);
      expect(((await rejection(asyncTask.done)) as Error).message).to.equal('late boom');
    });

    it('records a throwing event as a fault of its source and goes on', async () => {
      const { k, faults, log } = makeKernel();
      k.schedule(
        ns(1),
        () => {
          throw new Error('bad');
        },
        'dma',
      );
      k.schedule(ns(1), () => log.push('next'));
      await k.run();
      expect(log).to.deep.equal(['next']);
      expect(faults.map((f) => f.source)).to.deep.equal(['dma']);
    });
  });

  describe('runaway', () => {
    it('stops a zero-delay self-rescheduling loop with a SimulationError naming its source', async () => {
      const { k, log } = makeKernel({ maxEventsPerInstant: 50 });
      k.schedule(ns(1), () => log.push('before'));
      const loop = (): void => {
        k.schedule(0, loop, 'etm-loop');
      };
      k.schedule(ns(2), loop, 'etm-loop');
      const e = await rejection(k.run());
      expect(e).to.be.instanceOf(SimulationError);
      expect((e as Error).message).to.match(/runaway at 2ns: more than 50 events/);
      expect((e as Error).message).to.match(/sources involved: etm-loop$/);
      expect(k.eventsRun).to.equal(1 + 50);
      expect(k.isRunning).to.equal(false);
    });

    it('stops a task that spins on delay(0), counting across the task wake-ups', async () => {
      const { k } = makeKernel({ maxEventsPerInstant: 100 });
      const spinner = k.spawn('spinner', async () => {
        for (;;) await k.delay(0);
      });
      const e = await rejection(k.run());
      expect(e).to.be.instanceOf(SimulationError);
      expect((e as Error).message).to.match(/runaway at 0ps: more than 100 events.*sources involved: delay$/);
      expect(k.eventsRun).to.equal(100);
      k.dispose();
      void spinner;
    });

    it('names a delay by the source its caller gives', async () => {
      const { k } = makeKernel({ maxEventsPerInstant: 20 });
      k.spawn('poller', async () => {
        for (;;) await k.delay(0, 'spi-driver');
      });
      expect(((await rejection(k.run())) as Error).message).to.match(/sources involved: spi-driver, task:poller$/);
      k.dispose();
    });

    it('names every source of a loop that passes through several', async () => {
      const { k } = makeKernel({ maxEventsPerInstant: 10 });
      const ping = (): void => {
        k.schedule(0, pong, 'gpio');
      };
      const pong = (): void => {
        k.schedule(0, ping, 'etm');
      };
      k.schedule(0, ping, 'gpio');
      const e = await rejection(k.run());
      expect((e as Error).message).to.match(/sources involved: etm, gpio$/);
    });

    it('allows exactly the limit at one instant, and any number spread over instants', async () => {
      const { k } = makeKernel({ maxEventsPerInstant: 10 });
      for (let i = 0; i < 10; i++) k.schedule(ns(1), () => undefined);
      let n = 0;
      const tick = (): void => {
        if (++n < 100) k.schedule(1, tick, 'tick');
      };
      k.schedule(ns(2), tick, 'tick');
      await k.run();
      expect(k.eventsRun).to.equal(110);
      k.schedule(0, () => undefined);
      for (let i = 0; i < 10; i++) k.schedule(0, () => undefined, 'burst');
      expect(((await rejection(k.run())) as Error).message).to.match(/more than 10 events.*burst/);
    });

    it('takes its limit from assembleSimulation(def, { kernel: { maxEventsPerInstant } })', async () => {
      const sim = assembleSimulation(bareTarget(), { kernel: { maxEventsPerInstant: 1000 } });
      try {
        const loop = (): void => {
          sim.schedule(0, loop, 'spin');
        };
        sim.schedule(ns(7), loop, 'spin');
        const e = await rejection(sim.run());
        expect(e).to.be.instanceOf(SimulationError);
        expect((e as Error).message).to.match(/runaway at 7ns: more than 1000 events.*sources involved: spin/);
        expect(sim.eventsRun).to.equal(1000);
      } finally {
        await sim.dispose();
      }
    });
  });

  describe('bad input', () => {
    it('refuses negative, fractional, NaN and infinite delays and schedules nothing', async () => {
      const { k, log } = makeKernel();
      k.schedule(ns(1), () => log.push('kept'));
      for (const d of [-1, 1.5, Number.NaN, Infinity, -Infinity]) {
        expect(() => k.schedule(d, () => log.push(`bad ${d}`)))
          .to.throw(EspError)
          .with.property('code', ESP_ERR_INVALID_ARG);
        expectInvalidArg(await rejection(k.delay(d)), /delay must be a non-negative integer/);
      }
      expect(k.pending).to.equal(1);
      await k.run();
      expect(log).to.deep.equal(['kept']);
    });

    it('refuses a callback that is not a function and a task without a name', () => {
      const { k } = makeKernel();
      expect(() => k.schedule(0, 'x' as unknown as () => void))
        .to.throw(EspError)
        .with.property('code', ESP_ERR_INVALID_ARG);
      expect(() => k.spawn('', async () => undefined))
        .to.throw(EspError)
        .with.property('code', ESP_ERR_INVALID_ARG);
      expect(() => k.spawn('t', null as unknown as () => Promise<void>))
        .to.throw(EspError)
        .with.property('code', ESP_ERR_INVALID_ARG);
      expect(k.pending).to.equal(0);
    });

    it('refuses until before now or not a whole picosecond, and changes nothing', async () => {
      const { k, log } = makeKernel();
      k.schedule(ns(1), () => log.push('a'));
      k.schedule(ns(10), () => log.push('b'));
      await k.run(ns(5));
      for (const u of [ns(5) - 1, 0, -1, 1e6 + 0.5, Number.NaN]) {
        expectInvalidArg(await rejection(k.run(u)), /until/);
      }
      expect(k.now).to.equal(ns(5));
      expect(k.isRunning).to.equal(false);
      await k.run();
      expect(log).to.deep.equal(['a', 'b']);
    });

    it('refuses a second run while one is in progress', async () => {
      const { k } = makeKernel();
      let inner: unknown;
      k.schedule(ns(1), () => {
        inner = k.run();
      });
      await k.run();
      const e = await rejection(inner as Promise<void>);
      expect(e).to.be.instanceOf(EspError);
      expect((e as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
    });

    it('refuses a runaway limit that is not a positive integer', () => {
      for (const m of [0, -1, 1.5, Number.NaN]) {
        expect(() => new Kernel(() => undefined, { maxEventsPerInstant: m }))
          .to.throw(EspError)
          .with.property('code', ESP_ERR_INVALID_ARG);
      }
    });

    it('refuses work after dispose', async () => {
      const { k, log } = makeKernel();
      k.schedule(ns(1), () => log.push('dropped'));
      k.dispose();
      expect(() => k.schedule(0, () => undefined))
        .to.throw(EspError)
        .with.property('code', ESP_ERR_INVALID_STATE);
      expect(((await rejection(k.run())) as EspError).code).to.equal(ESP_ERR_INVALID_STATE);
      expect(log).to.deep.equal([]);
    });
  });

  describe('through the Simulation', () => {
    it('exposes schedule, spawn, delay and run({ until }) and records task faults', async () => {
      const sim = assembleSimulation(bareTarget());
      try {
        const log: string[] = [];
        sim.schedule(ns(2), () => log.push(`event@${sim.now}`), 'ev');
        const t = sim.spawn('worker', async () => {
          await sim.delay(ns(3));
          log.push(`task@${sim.now}`);
          throw new Error('worker failed');
        });
        await sim.run({ until: ns(10) });
        expect(sim.now).to.equal(ns(10));
        expect(log).to.deep.equal(['event@2000', 'task@3000']);
        expect(((await rejection(t.done)) as Error).message).to.equal('worker failed');
        expect(sim.faults.map((f) => f.source)).to.deep.equal(['task:worker']);
      } finally {
        await sim.dispose();
      }
    });
  });
});

describe('Kernel progress listener', () => {
  it('is called every 65,536 events with the current time, and can be removed', async () => {
    const k = new Kernel(() => undefined);
    const calls: [number, number][] = [];
    k.setProgressListener((now) => calls.push([now, k.eventsRun]));
    let n = 0;
    const tick = (): void => {
      if (++n < 200_000) k.schedule(1000, tick);
    };
    k.schedule(0, tick);
    await k.run();
    expect(calls.map(([, e]) => e)).to.deep.equal([65_536, 131_072, 196_608]);
    expect(calls.map(([t]) => t)).to.deep.equal([65_535_000, 131_071_000, 196_607_000]);
    k.setProgressListener(undefined);
    n = 0;
    k.schedule(0, tick);
    await k.run();
    expect(calls).to.have.length(3);
  });
});
