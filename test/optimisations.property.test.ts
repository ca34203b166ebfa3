/**
 * Each speed-up of issue 17 can be switched off; these properties run random workloads with and without them
 * and require the same events at the same picoseconds, in the same order:
 * - the run loop's microtask drain (`drain: 'microtask'`) against setImmediate after every wake ('macrotask');
 * - delay lines kept in FIFO rings (`delayLines: true`) against one queue event per post (false);
 * - the event queue's small mode (`adaptive: true`) against the wheel alone (false);
 * - the ETM's deliveries through a delay line, on a GPIO workload;
 * - target definitions sealed at define time (validation skipped) against an unsealed copy of the same target.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../create-simulation.js';
import { Kernel, type DelayLine, type KernelOptions } from '../core/kernel/kernel.js';
import type { TargetDefinition } from '../core/target/target.js';
import { Etm } from '../plugins/etm/index.js';
import { Gpio } from '../plugins/gpio/index.js';
import { AsyncMemcpy } from '../plugins/async-memcpy/index.js';
import { esp32c3, esp32c6 } from '../targets/index.js';

/** What a task does: wait, chain plain promises, schedule, post to a delay line, or wait on a deferred. */
type Step =
  | { kind: 'delay'; ps: number }
  | { kind: 'chain'; depth: number }
  | { kind: 'schedule'; ps: number }
  | { kind: 'post'; line: number }
  | { kind: 'deferred'; ps: number; depth: number };

const ps = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 50 }),
  fc.integer({ min: 0, max: 20_000 }),
  fc.integer({ min: 0, max: 10_000_000 }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('delay' as const), ps }),
  fc.record({ kind: fc.constant('chain' as const), depth: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('schedule' as const), ps }),
  fc.record({ kind: fc.constant('post' as const), line: fc.nat(2) }),
  fc.record({ kind: fc.constant('deferred' as const), ps, depth: fc.integer({ min: 0, max: 5 }) }),
);
const workload = fc.record({
  tasks: fc.array(fc.array(step, { maxLength: 12 }), { minLength: 1, maxLength: 5 }),
  /** Background events that reschedule themselves, some many at once (the queue leaves small mode). */
  background: fc.array(
    fc.record({ first: ps, every: fc.integer({ min: 1, max: 200_000 }), times: fc.integer({ min: 0, max: 30 }) }),
    { maxLength: 90 },
  ),
  lineDelays: fc.tuple(
    fc.constantFrom(0, 1, 50_000),
    fc.integer({ min: 0, max: 100_000 }),
    fc.integer({ min: 0, max: 5_000_000 }),
  ),
  stops: fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 3 }),
});
type Workload = typeof workload extends fc.Arbitrary<infer W> ? W : never;

/** Runs `w` on a kernel with `opts`; returns what happened, as `label@time` in order. */
async function runWorkload(w: Workload, opts: KernelOptions): Promise<string[]> {
  const k = new Kernel((s, e) => {
    throw new Error(`fault in ${s}: ${String(e)}`);
  }, opts);
  const log: string[] = [];
  const lines: DelayLine[] = w.lineDelays.map((d) => k.delayLine(d));
  w.background.forEach((b, i) => {
    let left = b.times;
    const fire = (): void => {
      log.push(`bg${i}@${k.now}`);
      if (left-- > 0) k.schedule(b.every, fire, `bg${i}`);
    };
    k.schedule(b.first, fire, `bg${i}`);
  });
  w.tasks.forEach((steps, ti) => {
    k.spawn(`t${ti}`, async () => {
      for (let si = 0; si < steps.length; si++) {
        const s = steps[si]!;
        const label = `t${ti}.${si}`;
        switch (s.kind) {
          case 'delay':
            await k.delay(s.ps);
            break;
          case 'chain':
            for (let i = 0; i < s.depth; i++) await Promise.resolve();
            break;
          case 'schedule':
            k.schedule(s.ps, () => log.push(`${label}:ev@${k.now}`), label);
            break;
          case 'post':
            lines[s.line]!.post(() => log.push(`${label}:line${s.line}@${k.now}`), label);
            break;
          case 'deferred': {
            const d = k.deferred<number>();
            k.schedule(s.ps, () => d.resolve(s.depth), label);
            let v: unknown = await d.promise;
            for (let i = 0; i < s.depth; i++) v = await Promise.resolve(v); // resumes through a chain of hops
            break;
          }
        }
        log.push(`${label}@${k.now}`);
      }
    });
  });
  for (const stop of [...w.stops].sort((a, b) => a - b)) {
    if (stop >= k.now) {
      await k.run(stop);
      log.push(`stop@${k.now}`);
    }
  }
  await k.run();
  log.push(`end@${k.now} events=${k.eventsRun}`);
  return log;
}

const REFERENCE: KernelOptions = { drain: 'macrotask', delayLines: false, adaptive: false };

describe('Speed-ups against their switched-off reference (property)', () => {
  it('the kernel: microtask drain, delay lines and small mode run random task workloads exactly as the reference', async () => {
    await fc.assert(
      fc.asyncProperty(workload, fc.constantFrom<KernelOptions>({}, { buckets: 16, bucketPs: 7 }), async (w, shape) => {
        const ref = await runWorkload(w, { ...shape, ...REFERENCE });
        expect(await runWorkload(w, shape)).to.deep.equal(ref);
        // each one alone, the others off
        expect(await runWorkload(w, { ...shape, ...REFERENCE, drain: 'microtask' })).to.deep.equal(ref);
        expect(await runWorkload(w, { ...shape, ...REFERENCE, delayLines: true })).to.deep.equal(ref);
        expect(await runWorkload(w, { ...shape, ...REFERENCE, adaptive: true })).to.deep.equal(ref);
      }),
      { numRuns: 60 },
    );
  });

  it('the ETM: routed GPIO edges give the same levels and firings at the same times with and without delay lines', async () => {
    const edges = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 300_000 }), pin: fc.nat(2) }), {
      minLength: 1,
      maxLength: 40,
    });
    const routes = fc.array(
      fc.record({
        from: fc.nat(2),
        action: fc.constantFrom('set', 'clear', 'toggle') as fc.Arbitrary<'set' | 'clear' | 'toggle'>,
      }),
      { minLength: 1, maxLength: 3 },
    );
    const run = async (
      es: { gap: number; pin: number }[],
      rs: { from: number; action: 'set' | 'clear' | 'toggle' }[],
      delayLines: boolean,
    ): Promise<string[]> => {
      const sim = await createSimulation({ target: 'esp32c6', kernel: { delayLines, maxEventsPerInstant: 2000 } });
      const log: string[] = [];
      sim.bus.all$.subscribe((e) => {
        if (e.source === 'gpio' || e.source === 'etm')
          log.push(`${e.source}.${e.type}@${e.time}:${JSON.stringify(e.data)}`);
      });
      const gpio = sim.get(Gpio);
      for (const [i, r] of rs.entries()) {
        const ev = gpio.newEtmEvent('any');
        ev.bindGpio(r.from);
        // route i drives pin 3 + i (a pin belongs to one task channel), never one of the stimulus pins 0..2
        const task = gpio.newEtmTask(r.action);
        task.addGpio(3 + i);
        const ch = sim.get(Etm).newChannel();
        ch.connect(ev, task);
        ch.enable();
      }
      let t = 0;
      for (const e of es) {
        t += e.gap;
        sim.schedule(t, () => gpio.setLevel(e.pin, gpio.getLevel(e.pin) === 0 ? 1 : 0), 'stimulus');
      }
      await sim.run();
      log.push(`end@${sim.now} events=${sim.eventsRun} faults=${sim.faults.length}`);
      await sim.dispose();
      return log;
    };
    await fc.assert(
      fc.asyncProperty(edges, routes, async (es, rs) => {
        expect(await run(es, rs, true)).to.deep.equal(await run(es, rs, false));
      }),
      { numRuns: 40 },
    );
  });

  it('a sealed target assembles simulations that behave exactly as an unsealed copy of it', async () => {
    /** A copy of `def` that defineTarget never saw: validated in full by every assembleSimulation. */
    const unsealed = (def: TargetDefinition): TargetDefinition => ({
      ...def,
      cpu: { ...def.cpu },
      memory: def.memory.map((r) => ({ ...r })),
      plugins: [...def.plugins],
      caps: JSON.parse(JSON.stringify(def.caps)) as TargetDefinition['caps'],
    });
    const copies = fc.array(
      fc.record({ n: fc.integer({ min: 1, max: 9000 }), gap: fc.integer({ min: 0, max: 50_000 }) }),
      { minLength: 1, maxLength: 8 },
    );
    const run = async (target: TargetDefinition, cs: { n: number; gap: number }[], seed: number): Promise<string[]> => {
      const sim = await createSimulation({ target, seed });
      const log: string[] = [];
      sim.bus.all$.subscribe((e) => log.push(`${e.source}.${e.type}@${e.time}`));
      const drv = sim.get(AsyncMemcpy).install({ dmaBurstSize: 0 });
      const src = sim.memory.alloc(9000, { caps: ['dma', 'internal'] });
      const dst = sim.memory.alloc(9000, { caps: ['dma', 'internal'] });
      sim.spawn('app', async () => {
        for (const c of cs) {
          await drv.memcpy(dst, src, c.n);
          await sim.delay(c.gap);
          log.push(`copied ${c.n}@${sim.now}`);
        }
      });
      await sim.run();
      await sim.dispose();
      return log;
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(esp32c3, esp32c6), copies, fc.nat(), async (def, cs, seed) => {
        expect(Object.isFrozen(def) && Object.isFrozen(def.caps) && Object.isFrozen(def.memory[0])).to.equal(true);
        expect(await run(def, cs, seed)).to.deep.equal(await run(unsealed(def), cs, seed));
      }),
      { numRuns: 15 },
    );
  });
});
