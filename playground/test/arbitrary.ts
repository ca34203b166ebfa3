import fc from 'fast-check';
import type { EventRef, Experiment, TaskRef } from '../src/experiment.js';

/**
 * Experiments as a person could compose them in the form: targets with and without ETM, derived ones, a few of
 * each piece of hardware, and channels between them (some of which the kit refuses, e.g. two tasks on one pin).
 */
export function arbitraryExperiment(): fc.Arbitrary<Experiment> {
  const when = fc.option(fc.integer({ min: 0, max: 40 }), { nil: null });
  return fc
    .record({
      target: fc.constantFrom('esp32c6', 'esp32h2', 'esp32c3-etm', 'esp32c6-spi-etm', 'esp32s3', 'esp32c3'),
      gdmaPairs: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      etm: fc.constantFrom(undefined, 'on', 'off'),
      seed: fc.integer({ min: 0, max: 1000 }),
      pins: fc.array(fc.record({ pin: fc.integer({ min: 0, max: 8 }), level: fc.constantFrom(0, 1) }), {
        maxLength: 2,
      }),
      timers: fc.array(
        fc.record({
          resolutionHz: fc.constantFrom(1_000_000, 10_000_000),
          alarmCount: fc.integer({ min: 1, max: 300 }),
          autoReload: fc.boolean(),
          start: fc.constantFrom('cpu', 'etm'),
        }),
        { maxLength: 2 },
      ),
      gdma: fc.array(fc.record({ bytes: fc.integer({ min: 1, max: 9000 }), atUs: when }), { maxLength: 2 }),
      copies: fc.array(
        fc.record({
          bytes: fc.integer({ min: 4, max: 4096 }).map((n) => n & ~3),
          atUs: fc.integer({ min: 0, max: 40 }),
        }),
        { maxLength: 3 },
      ),
      spi: fc.array(
        fc.record({
          bytes: fc.integer({ min: 1, max: 2048 }),
          clockHz: fc.constantFrom(10_000_000, 20_000_000),
          atUs: when,
        }),
        { maxLength: 2 },
      ),
      nChannels: fc.integer({ min: 0, max: 4 }),
      picks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 8 })), { minLength: 4, maxLength: 4 }),
    })
    .map((r) => {
      const events: EventRef[] = [
        ...r.timers.map((_, timer): EventRef => ({ kind: 'timer-alarm', timer })),
        ...r.gdma.flatMap((_, xfer): EventRef[] => [
          { kind: 'gdma-eof', xfer, dir: 'rx' },
          { kind: 'gdma-eof', xfer, dir: 'tx' },
        ]),
        { kind: 'gpio-edge', pin: 0, edge: 'any' },
        { kind: 'gpio-edge', pin: 0, edge: 'pos' },
        { kind: 'memcpy-done' },
      ];
      const tasks: TaskRef[] = [
        ...r.gdma.flatMap((_, xfer): TaskRef[] => [
          { kind: 'gdma-start', xfer, dir: 'rx' },
          { kind: 'gdma-start', xfer, dir: 'tx' },
        ]),
        { kind: 'gpio', pin: 0, action: 'toggle' },
        { kind: 'gpio', pin: 0, action: 'set' },
        ...r.timers.flatMap((_, timer): TaskRef[] => [
          { kind: 'timer-task', timer, task: 'start-count' },
          { kind: 'timer-task', timer, task: 'en-alarm' },
        ]),
        ...r.spi.map((_, xfer): TaskRef => ({ kind: 'spi-start', xfer })),
      ];
      const channels = r.picks.slice(0, r.nChannels).map(([e, t, pin]) => {
        const event = { ...events[e % events.length]! };
        const task = { ...tasks[t % tasks.length]! };
        if ('pin' in event) (event as { pin: number }).pin = pin;
        if ('pin' in task) (task as { pin: number }).pin = pin;
        return { event, task };
      });
      const x: Experiment = {
        v: 1,
        target: r.target,
        seed: r.seed,
        untilUs: 400,
        pins: r.pins as Experiment['pins'],
        timers: r.timers as Experiment['timers'],
        gdma: r.gdma,
        copies: r.copies.map((c) => ({ ...c, bytes: Math.max(4, c.bytes) })),
        spi: r.spi,
        channels,
      };
      if (r.gdmaPairs !== undefined) x.gdmaPairs = r.gdmaPairs;
      if (r.etm !== undefined) x.etm = r.etm as 'on' | 'off';
      return x;
    });
}
