import { expect } from 'chai';
import fc from 'fast-check';
import { createSimulation } from '../../create-simulation.js';
import { GpTimer, type GpTimerAlarm } from './index.js';

describe('gptimer properties', () => {
  it('auto-reload alarms fall on the exact ticks of the prescaled clock, whatever the resolution and counts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4'),
        fc.integer({ min: 2, max: 400 }), // prescaler
        fc.integer({ min: 0, max: 50 }), // reload value
        fc.integer({ min: 1, max: 60 }), // alarm - reload
        fc.integer({ min: 0, max: 30 }), // how far below the reload value the count starts
        async (target, prescale, reload, span, below) => {
          const sim = await createSimulation({ target });
          const clockHz = sim.target.caps.gptimer!.clockHz!;
          const t = sim.get(GpTimer).newTimer({ resolutionHz: Math.floor(clockHz / prescale) });
          const tickPs = (Math.floor(clockHz / Math.floor(clockHz / prescale)) * 1e12) / clockHz;
          const times: number[] = [];
          sim.bus
            .source<{ alarm: GpTimerAlarm }>('gptimer')
            .on('alarm')
            .subscribe((e) => times.push(e.time));
          const start = Math.max(0, reload - below);
          t.setRawCount(start);
          t.registerEventCallbacks({ onAlarm: () => false });
          t.setAlarmAction({ alarmCount: reload + span, reloadCount: reload, autoReloadOnAlarm: true });
          t.enable();
          t.start();
          const first = reload + span - start;
          const until = Math.round((first + 4 * span) * tickPs);
          await sim.run({ until });
          const expected = [0, 1, 2, 3, 4].map((k) => Math.round((first + k * span) * tickPs));
          expect(times).to.deep.equal(expected);
          await sim.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the count read at any instant is the whole ticks elapsed since start', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2_000, max: 40_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 8 }),
        async (resolutionHz, steps) => {
          const sim = await createSimulation({ target: 'esp32c6' });
          const t = sim.get(GpTimer).newTimer({ resolutionHz });
          const tickPs = 1e12 / t.getResolution();
          t.enable();
          t.start();
          let now = 0;
          for (const s of steps) {
            now += s;
            await sim.run({ until: now });
            const c = t.getRawCount();
            // tick n falls at round(n * tickPs): c ticks have passed, c + 1 have not
            expect(Math.round(c * tickPs)).to.be.at.most(now);
            expect(Math.round((c + 1) * tickPs)).to.be.greaterThan(now);
          }
          await sim.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });
});
