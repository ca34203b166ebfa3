import { expect } from 'chai';
import { createSimulation } from '../create-simulation.js';
import { ESP_ERR_INVALID_ARG, EspError } from '../core/errors.js';
import { definePlugin } from '../core/plugin/plugin.js';
import { extendTarget } from '../core/target/target.js';
import { esp32c3 } from '../targets/index.js';
import { Core } from '../core/tokens.js';
import { Checkers, type Checker } from '../core/diagnostics/checker.js';
import type { Finding } from '../core/diagnostics/finding.js';
import { Diagnostics } from '../core/diagnostics/tokens.js';
import { us } from '../core/time.js';

/** A user's checker: reports once per `tick` bus event of source 'user', and counts its starts. */
const starts: string[] = [];
function userChecker(): Checker {
  return {
    name: 'user-ticks',
    rules: [
      { id: 'user.tick', summary: 'a tick happened' },
      { id: 'user.end', summary: 'end of run' },
    ],
    start(_ctx) {
      starts.push('start');
      return undefined;
    },
    endOfRun(ctx) {
      ctx.report({
        rule: 'user.end',
        severity: 'info',
        objects: ['user'],
        message: 'run ended',
        fix: 'none',
        refs: [],
      });
    },
  };
}
const userPlugin = definePlugin({
  name: 'user-checks',
  load: ({ bind }) => {
    bind(Checkers).toDynamicValue(() => userChecker());
  },
});
const target = extendTarget(esp32c3, { name: 'c3-user-checks', plugins: (base) => [...base, userPlugin] });

describe('diagnostics core', () => {
  beforeEach(() => {
    starts.length = 0;
  });

  it('with checks off binds no Diagnostics, starts no checker and sim.diagnostics stays empty', async () => {
    const sim = await createSimulation({ target });
    expect(sim.has(Diagnostics)).to.equal(false);
    expect(starts).to.deep.equal([]);
    await sim.run();
    expect(sim.diagnostics).to.deep.equal([]);
    await sim.dispose();
  });

  it('with checks on starts contributed checkers, stamps findings with the time and publishes them on the bus', async () => {
    const sim = await createSimulation({ target, checks: true });
    expect(starts).to.deep.equal(['start']);
    const seen: Finding[] = [];
    sim.bus
      .source('diagnostics')
      .on('finding')
      .subscribe((e) => seen.push(e.data as Finding));
    sim.schedule(us(3), () =>
      sim
        .get(Diagnostics)
        .report({ rule: 'user.tick', severity: 'warning', objects: ['a'], message: 'm', fix: 'f', refs: ['r'] }),
    );
    await sim.run();
    expect(sim.diagnostics.map((f) => [f.rule, f.time, f.severity])).to.deep.equal([
      ['user.tick', us(3), 'warning'],
      ['user.end', us(3), 'info'],
    ]);
    expect(seen).to.deep.equal([...sim.diagnostics]);
    await sim.dispose();
  });

  it('a selection keeps only the rules it names (id, dotted prefix or checker name)', async () => {
    for (const [checks, rules] of [
      [['user.end'], ['user.end']],
      [['user'], ['user.tick', 'user.end']],
      [['user-ticks'], ['user.tick', 'user.end']],
    ] as const) {
      const sim = await createSimulation({ target, checks: [...checks] });
      sim
        .get(Diagnostics)
        .report({ rule: 'user.tick', severity: 'error', objects: [], message: 'm', fix: 'f', refs: [] });
      await sim.run();
      expect(sim.diagnostics.map((f) => f.rule)).to.deep.equal(rules);
      await sim.dispose();
    }
  });

  it('refuses a selection naming no rule, and a bad checks value, with ESP_ERR_INVALID_ARG', async () => {
    for (const checks of [['no-such-rule'], 'yes', [''], 3]) {
      try {
        await createSimulation({ target, checks: checks as never });
        expect.fail('expected a refusal');
      } catch (e) {
        expect(e).to.be.instanceOf(EspError);
        expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
      }
    }
  });

  it('a finding with an unknown severity is refused and not recorded', async () => {
    const sim = await createSimulation({ target, checks: true });
    expect(() =>
      sim
        .get(Diagnostics)
        .report({ rule: 'user.tick', severity: 'fatal' as never, objects: [], message: '', fix: '', refs: [] }),
    ).to.throw(EspError);
    expect(sim.diagnostics).to.have.length(0);
    expect(sim.get(Core.Bus)).to.equal(sim.bus);
    await sim.dispose();
  });
});
