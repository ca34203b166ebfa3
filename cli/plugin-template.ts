/** The identifiers a plugin's name gives its generated code. */
export interface PluginNames {
  /** The folder, plugin and bus source name (`pulse-counter`). */
  name: string;
  /** The plugin factory (`pulseCounter`). */
  factory: string;
  /** The service token (`PulseCounter`); the service is `PulseCounterService`, the model `PulseCounterModel`. */
  token: string;
}

/** Identifiers the generated files import: a plugin name must not make one of these. */
export const TEMPLATE_IMPORTS = [
  'Core',
  'createSimulation',
  'definePlugin',
  'defineToken',
  'EspError',
  'ESP_ERR_INVALID_ARG',
  'esp32c3',
  'extendTarget',
  'inject',
  'injectable',
  'Plugin',
  'EventBus',
  'EventSource',
  'Kernel',
  'us',
  'expect',
];

/** The files of a new plugin folder, by file name. Everything they import comes from 'soc-fabric' (and chai). */
export function pluginTemplate({ name, factory, token }: PluginNames): Record<string, string> {
  const service = `${token}Service`;
  const model = `${token}Model`;
  const events = `${token}BusEvents`;
  return {
    'index.ts': `import { Core, definePlugin, defineToken, type Plugin } from 'soc-fabric';
import { ${model}, type ${service} } from './${name}-model.js';

export { ${model}, type ${service}, type ${events} } from './${name}-model.js';

/** The ${name} service: \`sim.get(${token})\`. */
export const ${token} = defineToken<${service}>('${token}');

/**
 * The ${name} plugin: add it to a target with \`extendTarget(base, { name, plugins: (p) => [...p, ${factory}()] })\`.
 * See docs/plugin-authoring.md in soc-fabric for ETM events and tasks, Lifecycle and caps.
 */
export const ${factory} = (): Plugin => definePlugin({
  name: '${name}',
  requires: [Core.Kernel, Core.Bus],
  load: ({ bind }) => {
    bind(${model}).toSelf();
    bind(${token}).toService(${model});
  },
});
`,
    [`${name}-model.ts`]: `import { Core, EspError, ESP_ERR_INVALID_ARG, inject, injectable, type EventBus, type EventSource, type Kernel } from 'soc-fabric';

/** What the ${name} peripheral offers. */
export interface ${service} {
  /** Pulses so far. */
  readonly pulses: number;
  /**
   * Emits \`count\` pulses, one every \`periodPs\` picoseconds of simulated time, each a bus event
   * \`${name}\`/\`pulse\`; resolves at the last one with its time. ESP_ERR_INVALID_ARG for a bad argument.
   */
  pulse(count: number, periodPs: number): Promise<number>;
}

/** The bus events of source '${name}'. */
export type ${events} = { pulse: { n: number } };

/** The model behind the ${token} token: the kernel keeps its time, the bus carries its events. */
@injectable()
export class ${model} implements ${service} {
  pulses = 0;
  private readonly bus: EventSource<${events}>;

  constructor(@inject(Core.Kernel) private readonly kernel: Kernel, @inject(Core.Bus) bus: EventBus) {
    this.bus = bus.source<${events}>('${name}');
  }

  pulse(count: number, periodPs: number): Promise<number> {
    // Check everything before changing anything: a refused call leaves the simulation as it was.
    if (!Number.isSafeInteger(count) || count <= 0) throw new EspError(ESP_ERR_INVALID_ARG, \`${name} pulse: count must be a positive integer, got \${String(count)}\`);
    if (!Number.isSafeInteger(periodPs) || periodPs <= 0) throw new EspError(ESP_ERR_INVALID_ARG, \`${name} pulse: periodPs must be a positive integer, got \${String(periodPs)}\`);
    const done = this.kernel.deferred<number>();   // settling it wakes tasks that await it
    let left = count;
    const tick = (): void => {
      this.pulses++;
      if (this.bus.observed) this.bus.emit('pulse', { n: this.pulses });
      if (--left > 0) this.kernel.schedule(periodPs, tick, '${name}');
      else done.resolve(this.kernel.now);
    };
    this.kernel.schedule(periodPs, tick, '${name}');
    return done.promise;
  }
}
`,
    [`${name}.test.ts`]: `import { expect } from 'chai';
import { createSimulation, EspError, ESP_ERR_INVALID_ARG, esp32c3, extendTarget, us } from 'soc-fabric';
import { ${factory}, ${token}, type ${events} } from './index.js';

const target = extendTarget(esp32c3, { name: 'c3-${name}', plugins: (p) => [...p, ${factory}()] });

describe('${name} plugin', () => {
  it('pulses in simulated time and publishes each pulse on the bus', async () => {
    const sim = await createSimulation({ target });
    const seen: number[] = [];
    sim.bus.source<${events}>('${name}').on('pulse').subscribe((e) => seen.push(e.time));
    let doneAt = -1;
    sim.spawn('app', async () => { doneAt = await sim.get(${token}).pulse(3, us(1)); });
    await sim.run();
    expect(seen).to.deep.equal([us(1), us(2), us(3)]);
    expect(doneAt).to.equal(us(3));
    expect(sim.get(${token}).pulses).to.equal(3);
  });

  it('refuses a bad count with ESP_ERR_INVALID_ARG and schedules nothing', async () => {
    const sim = await createSimulation({ target });
    try {
      void sim.get(${token}).pulse(0, us(1));
      expect.fail('no throw');
    } catch (e) {
      expect(e).to.be.instanceOf(EspError);
      expect((e as EspError).code).to.equal(ESP_ERR_INVALID_ARG);
    }
    await sim.run();
    expect(sim.now).to.equal(0);
    expect(sim.get(${token}).pulses).to.equal(0);
  });
});
`,
    'tsconfig.json': `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2022"],
    "types": ["mocha"],
    "strict": true,
    "experimentalDecorators": true,
    "emitDecoratorMetadata": true,
    "declaration": true,
    "skipLibCheck": true,
    "rootDir": ".",
    "outDir": "dist"
  },
  "include": ["."],
  "exclude": ["dist"]
}
`,
    'README.md': `# ${name}

A soc-fabric plugin. \`index.ts\` exports the plugin factory \`${factory}()\` and the service token \`${token}\`;
\`${name}-model.ts\` is the model; \`${name}.test.ts\` tests it in simulated time.

Build and test (in a project of \`"type": "module"\` with soc-fabric, chai, mocha, @types/mocha, @types/chai and typescript installed, as docs/plugin-authoring.md section 1 says):

\`\`\`sh
npx tsc -p ${name}
npx mocha '${name}/dist/**/*.test.js'
\`\`\`

Next steps: docs/plugin-authoring.md in soc-fabric (contribution points, ETM events and tasks, Lifecycle, caps).
`,
  };
}
