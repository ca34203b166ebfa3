import { expect } from 'chai';
import { inject, injectable, multiInject } from 'inversify';
import {
  Core,
  createSimulation,
  defineContributionPoint,
  definePlugin,
  defineToken,
  esp32c3,
  esp32c6,
  EspError,
  Etm,
  EtmEventSources,
  EtmTaskSinks,
  ESP_ERR_NOT_SUPPORTED,
  Lifecycle,
  SimulationError,
  TraceSinks,
  type EventBus,
  type SimEvent,
  type Kernel,
} from 'soc-fabric';
import { rejects } from './helpers/sim.js';

interface Greeter {
  greet(): string;
}
const GreeterToken = defineToken<Greeter>('Greeter');
const Missing = defineToken<unknown>('Missing');
const Widgets = defineContributionPoint<{ name: string }>('Widget');

@injectable()
class KernelGreeter implements Greeter {
  constructor(@inject(Core.Kernel) private readonly kernel: Kernel) {}
  greet(): string {
    return `hello at ${this.kernel.now}`;
  }
}

@injectable()
class WidgetBox {
  constructor(@multiInject(Widgets) readonly widgets: { name: string }[]) {}
}
const WidgetBoxToken = defineToken<WidgetBox>('WidgetBox');

const greeterPlugin = definePlugin({
  name: 'greeter',
  load: (o) => {
    o.bind(GreeterToken).to(KernelGreeter);
  },
});
const target = (plugins: ReturnType<typeof definePlugin>[]) => ({ ...esp32c3, name: 'test-target', plugins });

describe('plugin container', () => {
  it('binds plugin services, injecting core services into them', async () => {
    const sim = await createSimulation({ target: target([greeterPlugin]) });
    expect(sim.has(GreeterToken)).to.equal(true);
    expect(sim.get(GreeterToken).greet()).to.equal('hello at 0');
    expect(sim.get(GreeterToken)).to.equal(sim.get(GreeterToken), 'singleton scope');
  });

  it('sim.get of a service the target lacks throws ESP_ERR_NOT_SUPPORTED naming target and service', async () => {
    const sim = await createSimulation({ target: target([]) });
    expect(sim.has(GreeterToken)).to.equal(false);
    try {
      sim.get(GreeterToken);
      expect.fail('no throw');
    } catch (e) {
      expect(e).to.be.instanceOf(EspError);
      expect((e as EspError).code).to.equal(ESP_ERR_NOT_SUPPORTED);
      expect((e as Error).message).to.equal('ESP_ERR_NOT_SUPPORTED: target "test-target" has no Greeter service');
    }
  });

  it('a missing requirement fails createSimulation with one line naming the plugin and what it lacks', async () => {
    const needy = definePlugin({ name: 'needy', requires: [Missing], load: () => undefined });
    const e = await rejects(
      createSimulation({ target: target([needy]) }),
      SimulationError,
      /^plugin "needy" requires Missing, which target "test-target" does not provide$/,
    );
    expect(e.message).not.to.include('\n');
  });

  it('a requirement provided by another plugin is satisfied whatever the order', async () => {
    const user = definePlugin({ name: 'user', requires: [GreeterToken], load: () => undefined });
    const sim = await createSimulation({ target: target([user, greeterPlugin]) });
    expect(sim.has(GreeterToken)).to.equal(true);
  });

  it('a plugin binding a token another plugin owns fails naming both', async () => {
    const again = definePlugin({
      name: 'impostor',
      load: (o) => {
        o.bind(GreeterToken).toConstantValue({ greet: () => 'x' });
      },
    });
    await rejects(
      createSimulation({ target: target([greeterPlugin, again]) }),
      SimulationError,
      /^plugin "impostor" failed to load: binds Greeter, which plugin "greeter" already provides$/,
    );
    const core = definePlugin({
      name: 'rogue',
      load: (o) => {
        o.bind(Core.Memory).toConstantValue({} as never);
      },
    });
    await rejects(
      createSimulation({ target: target([core]) }),
      SimulationError,
      /binds Memory, which the core already provides/,
    );
  });

  it('a plugin that throws while loading fails naming it', async () => {
    const broken = definePlugin({
      name: 'broken',
      load: () => {
        throw new Error('cannot find my registers');
      },
    });
    await rejects(
      createSimulation({ target: target([broken]) }),
      SimulationError,
      /^plugin "broken" failed to load: cannot find my registers$/,
    );
  });

  it("contribution points collect every plugin's contribution by multi-injection", async () => {
    const box = definePlugin({
      name: 'box',
      load: (o) => {
        o.bind(WidgetBoxToken).to(WidgetBox);
      },
    });
    const a = definePlugin({
      name: 'a',
      load: (o) => {
        o.bind(Widgets).toConstantValue({ name: 'wa' });
      },
    });
    const b = definePlugin({
      name: 'b',
      load: (o) => {
        o.bind(Widgets).toConstantValue({ name: 'wb' });
      },
    });
    const sim = await createSimulation({ target: target([box, a, b]) });
    expect(sim.get(WidgetBoxToken).widgets.map((w) => w.name)).to.deep.equal(['wa', 'wb']);
  });

  it('starts Lifecycle contributions at creation and disposes them in reverse order', async () => {
    const log: string[] = [];
    const mk = (n: string) =>
      definePlugin({
        name: n,
        load: (o) => {
          o.bind(Lifecycle).toConstantValue({
            start: () => log.push(`start ${n}`),
            dispose: () => {
              log.push(`dispose ${n}`);
            },
          });
        },
      });
    const sim = await createSimulation({ target: target([mk('p1'), mk('p2')]) });
    expect(log).to.deep.equal(['start p1', 'start p2']);
    await sim.dispose();
    expect(log).to.deep.equal(['start p1', 'start p2', 'dispose p2', 'dispose p1']);
  });

  it('feeds trace sinks every bus event and closes them at dispose', async () => {
    const seen: string[] = [];
    let closed = false;
    const tracer = definePlugin({
      name: 'tracer',
      load: (o) => {
        o.bind(TraceSinks).toConstantValue({
          onEvent: (e: SimEvent) => seen.push(`${e.time}:${e.type}`),
          close: () => {
            closed = true;
          },
        });
      },
    });
    const sim = await createSimulation({ target: target([tracer]) });
    const src = sim.memory.alloc(64, { caps: ['internal'] });
    const dst = sim.memory.alloc(64, { caps: ['internal'] });
    sim.spawn('copy', async () => {
      await sim.cpu.memcpy(dst, src, 64);
    });
    await sim.run();
    expect(seen).to.have.length(1);
    expect(seen[0]).to.equal(`${sim.now}:memcpy-done`);
    await sim.dispose();
    expect(closed).to.equal(true);
  });

  it('a kernel event that throws becomes a fault and the run goes on', async () => {
    const sim = await createSimulation({ target: target([]) });
    let after = false;
    sim.schedule(
      10,
      () => {
        throw new Error('model bug');
      },
      'my-model',
    );
    sim.schedule(20, () => {
      after = true;
    });
    await sim.run();
    expect(after).to.equal(true);
    expect(sim.faults.map((f) => [f.time, f.source, f.error.message])).to.deep.equal([[10, 'my-model', 'model bug']]);
  });

  it('refuses bad options with ESP_ERR_INVALID_ARG', async () => {
    await rejects(
      createSimulation({ target: 'esp32c3', seed: -1 }),
      EspError,
      /seed must be an unsigned 32-bit integer/,
    );
    await rejects(
      createSimulation({ target: 'no-such' }),
      EspError,
      /unknown target "no-such"; the config defines esp32, /,
    );
    await rejects(
      createSimulation({ target: 42 as unknown as string }),
      EspError,
      /target must be a target name or a target definition/,
    );
  });

  it('after dispose the kernel refuses work', async () => {
    const sim = await createSimulation({ target: target([]) });
    await sim.dispose();
    try {
      sim.schedule(1, () => undefined);
      expect.fail('no throw');
    } catch (e) {
      expect((e as Error).message).to.match(/disposed/);
    }
  });

  describe("faults of a user's plugin", () => {
    it('a Lifecycle.start that throws fails createSimulation with one line naming the plugin', async () => {
      const log: string[] = [];
      const ok = definePlugin({
        name: 'fine',
        load: (o) => {
          o.bind(Lifecycle).toConstantValue({ start: () => log.push('fine') });
        },
      });
      const bad = definePlugin({
        name: 'grumpy',
        load: (o) => {
          o.bind(Lifecycle).toConstantValue({
            start: () => {
              throw new Error('no clock for my counter\nsecond line');
            },
          });
        },
      });
      const e = await rejects(
        createSimulation({ target: target([ok, bad]) }),
        SimulationError,
        /^plugin "grumpy" failed to start: no clock for my counter$/,
      );
      expect(e.message).not.to.include('\n');
      expect(log).to.deep.equal(['fine'], 'plugins before it were started');
    });

    it('a Lifecycle contribution whose construction throws fails naming the plugin', async () => {
      const bad = definePlugin({
        name: 'fragile',
        load: (o) => {
          o.bind(Lifecycle).toDynamicValue(() => {
            throw new Error('caps.fragile is missing');
          });
        },
      });
      await rejects(
        createSimulation({ target: target([greeterPlugin, bad]) }),
        SimulationError,
        /^plugin "fragile" failed to start: caps\.fragile is missing$/,
      );
    });

    it("a plugin binding a service the core owns, or another plugin's contribution point, is told apart", async () => {
      // contribution points are shared: two plugins may both contribute
      const a = definePlugin({
        name: 'a',
        load: (o) => {
          o.bind(Widgets).toConstantValue({ name: 'a' });
          o.bind(Lifecycle).toConstantValue({});
        },
      });
      const b = definePlugin({
        name: 'b',
        load: (o) => {
          o.bind(Widgets).toConstantValue({ name: 'b' });
          o.bind(Lifecycle).toConstantValue({});
        },
      });
      const sim = await createSimulation({ target: target([a, b]) });
      expect(sim.has(Widgets)).to.equal(true);
      const rogue = definePlugin({
        name: 'rogue-kernel',
        load: (o) => {
          o.bind(Core.Kernel).toConstantValue({} as Kernel);
        },
      });
      await rejects(
        createSimulation({ target: target([rogue]) }),
        SimulationError,
        /^plugin "rogue-kernel" failed to load: binds Kernel, which the core already provides$/,
      );
    });

    it('a bus subscriber of a plugin that throws becomes a fault; other subscribers and the run go on', async () => {
      const seen: number[] = [];
      const throwing = definePlugin({
        name: 'throwing-listener',
        load: (o) => {
          o.bind(Lifecycle).toDynamicValue((ctx) => {
            const bus = ctx.get<EventBus>(Core.Bus);
            return {
              start: () => {
                bus
                  .source<{ tick: number }>('ticker')
                  .on('tick')
                  .subscribe((e) => {
                    if (e.data === 2) throw new Error('cannot handle 2');
                  });
              },
            };
          });
        },
      });
      const calm = definePlugin({
        name: 'calm-listener',
        load: (o) => {
          o.bind(Lifecycle).toDynamicValue((ctx) => {
            const bus = ctx.get<EventBus>(Core.Bus);
            return {
              start: () => {
                bus
                  .source<{ tick: number }>('ticker')
                  .on('tick')
                  .subscribe((e) => {
                    seen.push(e.data!);
                  });
              },
            };
          });
        },
      });
      const sim = await createSimulation({ target: target([throwing, calm]) });
      const ticker = sim.bus.source<{ tick: number }>('ticker');
      for (const n of [1, 2, 3]) sim.schedule(n * 1000, () => ticker.emit('tick', n));
      await sim.run();
      expect(seen).to.deep.equal([1, 2, 3]);
      expect(sim.faults.map((f) => [f.time, f.source, f.error.message])).to.deep.equal([
        [2000, 'ticker', 'cannot handle 2'],
      ]);
    });

    it('an ETM contribution that throws while the ETM collects it fails createSimulation naming its plugin, not "etm"', async () => {
      const broken = definePlugin({
        name: 'adc-like',
        load: (o) => {
          o.bind(EtmEventSources).toDynamicValue(() => {
            throw new Error('no ADC unit configured');
          });
        },
      });
      const target = { ...esp32c6, name: 'c6-broken', plugins: [...esp32c6.plugins, broken] };
      let message = '';
      await createSimulation({ target }).catch((e: Error) => {
        message = e.message;
      });
      expect(message).to.equal('plugin "adc-like" failed to start: no ADC unit configured');
    });

    it('an ETM event source whose attachEtm throws fails createSimulation naming the source', async () => {
      const broken = definePlugin({
        name: 'adc-like',
        load: (o) => {
          o.bind(EtmEventSources).toConstantValue({
            name: 'adc-like',
            events: new Map([[210, 'ADC_EVT']]),
            attachEtm: () => {
              throw new Error('not ready');
            },
          });
        },
      });
      const target = { ...esp32c6, name: 'c6-broken', plugins: [...esp32c6.plugins, broken] };
      let message = '';
      await createSimulation({ target }).catch((e: Error) => {
        message = e.message;
      });
      expect(message).to.equal('plugin "etm" failed to start: ETM event source "adc-like": attachEtm threw: not ready');
    });

    it("a plugin's ETM task that throws when the ETM runs it becomes a fault; other channels go on", async () => {
      const runs: number[] = [];
      let raise: (id: number) => void = () => undefined;
      const etmUser = definePlugin({
        name: 'etm-user',
        load: (o) => {
          o.bind(EtmEventSources).toConstantValue({
            name: 'etm-user',
            events: new Map([[200, 'USER_EVT']]),
            attachEtm: (r) => {
              raise = r;
            },
          });
          o.bind(EtmTaskSinks).toConstantValue({
            name: 'etm-user',
            tasks: new Map([
              [200, 'USER_TASK_BROKEN'],
              [201, 'USER_TASK_OK'],
            ]),
            runEtmTask: (id) => {
              if (id === 200) throw new Error('task 200 is broken');
              runs.push(id);
            },
          });
        },
      });
      const sim = await createSimulation({
        target: { ...esp32c6, name: 'c6-user', plugins: [...esp32c6.plugins, etmUser] },
      });
      const etm = sim.get(Etm);
      const broken = etm.newChannel();
      broken.connect({ id: 200 }, { id: 200 });
      broken.enable();
      const fine = etm.newChannel();
      fine.connect({ id: 200 }, { id: 201 });
      fine.enable();
      sim.schedule(1000, () => raise(200));
      sim.schedule(2000, () => raise(200));
      await sim.run();
      expect(runs).to.deep.equal([201, 201]);
      expect(sim.faults).to.have.length(2);
      expect(sim.faults[0]!.source).to.equal('etm ch0 (USER_EVT -> USER_TASK_BROKEN)');
      expect(sim.faults[0]!.error.message).to.equal('task 200 is broken');
      expect(sim.faults[0]!.time).to.equal(1000 + etm.latencyPs);
    });

    it('a task spawned by a plugin that throws becomes a fault named after the task', async () => {
      const sim = await createSimulation({ target: target([]) });
      let other = false;
      sim.spawn('user-driver', async () => {
        await sim.delay(500);
        throw new Error('driver bug');
      });
      sim.spawn('app', async () => {
        await sim.delay(1000);
        other = true;
      });
      await sim.run();
      expect(other).to.equal(true);
      expect(sim.faults.map((f) => [f.time, f.source, f.error.message])).to.deep.equal([
        [500, 'task:user-driver', 'driver bug'],
      ]);
    });
  });
});
