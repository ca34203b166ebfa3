import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as kit from 'soc-fabric';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const guide = readFileSync(join(root, 'docs', 'plugin-authoring.md'), 'utf8');

describe('docs/plugin-authoring.md', () => {
  it('links and quoted files exist', () => {
    const links = [...guide.matchAll(/\]\((\.\.\/[^)#]+)\)/g)].map((m) => m[1]!);
    const quoted = [...guide.matchAll(/^\/\/ (examples\/\S+\.ts)/gm)].map((m) => `../${m[1]!}`);
    expect(links.length + quoted.length).to.be.greaterThan(5);
    for (const rel of [...links, ...quoted]) expect(existsSync(join(root, 'docs', rel)), rel).to.equal(true);
  });

  it('every kit name it uses is a public export, and the Core token table is complete', () => {
    const names = [
      'definePlugin',
      'defineToken',
      'defineContributionPoint',
      'injectable',
      'inject',
      'multiInject',
      'optional',
      'Lifecycle',
      'TraceSinks',
      'EtmEventSources',
      'EtmTaskSinks',
      'Etm',
      'Gpio',
      'Core',
      'extendTarget',
      'defineConfig',
      'createSimulation',
      'esp32c3',
      'esp32c6',
      'etm',
      'ns',
      'us',
      'ms',
      'EspError',
      'ESP_ERR_INVALID_ARG',
      'ESP_ERR_NOT_SUPPORTED',
      'TraceModels',
      'targetHasEtm',
      'defineCapsSection',
      'capsSectionOf',
      'GdmaDriver',
      'DescriptorMemory',
      'writeLinearList',
    ];
    for (const n of names) {
      expect(guide, n).to.include(n);
      expect((kit as Record<string, unknown>)[n], n).to.not.equal(undefined);
    }
    const table = [...guide.matchAll(/^\| `Core\.(\w+)` \|/gm)].map((m) => m[1]);
    expect(table.sort()).to.deep.equal(Object.keys(kit.Core).sort());
  });

  it("the test it shows is the example's own test, line for line", () => {
    const start = guide.indexOf("it('the glitch filter drops");
    const block = guide.slice(start, guide.indexOf('```', start));
    const test = readFileSync(join(root, 'examples', 'pcnt', 'pcnt.test.ts'), 'utf8');
    const lines = block
      .split('\n')
      .map((l) => l.replace(/\s+\/\/ exact simulated times.*$/, '').trim())
      .filter(
        (l) => l && !l.startsWith('const sim =') && !l.startsWith('const gpio =') && !l.startsWith('const unit ='),
      );
    expect(lines.length).to.be.greaterThan(10);
    for (const l of lines) expect(test, l).to.include(l);
  });

  it('the target errors it quotes for DMA triggers are the ones extendTarget gives', () => {
    const owner = (name: string, peripheral: string): kit.Plugin =>
      kit.definePlugin({ name, dmaTriggers: [{ dma: 'gdma', peripheral, id: 8 }], load: () => undefined });
    const quoted =
      '`plugins[7].dmaTriggers[0]: plugin "adc2" declares gdma trigger ADC2 = 8, which plugin "adc"\ndeclares too`';
    expect(guide).to.include(quoted);
    expect(() =>
      kit.extendTarget(kit.esp32c6, { name: 'x', plugins: (p) => [...p, owner('adc', 'ADC'), owner('adc2', 'ADC2')] }),
    ).to.throw(quoted.slice(1, -1).replace('\n', ' '));
  });

  it('the failure messages it quotes are the ones createSimulation gives', async () => {
    const target = (plugins: kit.Plugin[]) => ({ ...kit.esp32c3, name: 'T', plugins });
    const fail = async (plugins: kit.Plugin[]): Promise<string> => {
      try {
        await kit.createSimulation({ target: target(plugins) });
      } catch (e) {
        return (e as Error).message;
      }
      return expect.fail('no failure');
    };
    const Missing = kit.defineToken<unknown>('TOKEN');
    expect(guide).to.include('`plugin "NAME" failed to load: CAUSE`');
    expect(
      await fail([
        kit.definePlugin({
          name: 'NAME',
          load: () => {
            throw new Error('CAUSE');
          },
        }),
      ]),
    ).to.equal('plugin "NAME" failed to load: CAUSE');
    expect(guide).to.include('`plugin "NAME" requires TOKEN, which target "T" does not provide`');
    expect(await fail([kit.definePlugin({ name: 'NAME', requires: [Missing], load: () => undefined })])).to.equal(
      'plugin "NAME" requires TOKEN, which target "T" does not provide',
    );
    expect(guide).to.include('`plugin "NAME" failed to load: binds TOKEN, which plugin "OTHER" already provides`');
    expect(
      await fail([
        kit.definePlugin({
          name: 'OTHER',
          load: ({ bind }) => {
            bind(Missing).toConstantValue(1);
          },
        }),
        kit.definePlugin({
          name: 'NAME',
          load: ({ bind }) => {
            bind(Missing).toConstantValue(2);
          },
        }),
      ]),
    ).to.equal('plugin "NAME" failed to load: binds TOKEN, which plugin "OTHER" already provides');
    expect(guide).to.include('`plugin "NAME" failed to start: CAUSE`');
    expect(
      await fail([
        kit.definePlugin({
          name: 'NAME',
          load: ({ bind }) => {
            bind(kit.Lifecycle).toConstantValue({
              start: () => {
                throw new Error('CAUSE');
              },
            });
          },
        }),
      ]),
    ).to.equal('plugin "NAME" failed to start: CAUSE');
  });
});
