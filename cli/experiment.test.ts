import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allElements, parseXml } from '../test/helpers/xml.js';
import { cli, repoRoot } from '../test/helpers/cli.js';

const root = repoRoot;

describe('soc-fabric experiment dma-vs-cpu', function () {
  this.timeout(120_000); // each run starts a pool of worker threads, each loading the kit
  const dir = mkdtempSync(join(tmpdir(), 'experiment-'));

  it('prints the tables and crossovers of the named targets and writes the chart with --svg', async () => {
    const file = join(dir, 'two.svg');
    const r = await cli('experiment', 'dma-vs-cpu', '--targets', 'esp32h2,esp32', '--svg', file);
    expect(r.code, r.err.join('\n')).to.equal(0);
    expect(r.err).to.deep.equal([]);
    const text = r.out.join('\n');
    expect(text).to.match(/^esp32h2: time until the transfer and 10000 cycles/m);
    expect(text).to.match(/^\s+esp32h2\s+memcpy: 2 KiB .*; SPI: 256 B$/m);
    expect(text).to.match(/^\s+esp32\s+memcpy: no async memcpy; SPI: 64 B$/m);
    expect(r.out.at(-1)).to.equal(`wrote the crossover chart to ${file}`);
    const svg = parseXml(readFileSync(file, 'utf8'));
    const series = allElements(svg)
      .filter((e) => e.attrs.class === 'series')
      .map((e) => `${e.attrs['data-panel']}:${e.attrs['data-target']}`);
    expect(series).to.deep.equal(['memcpy:esp32h2', 'spi:esp32h2', 'spi:esp32']);
    const rings = allElements(svg)
      .filter((e) => e.attrs.class === 'crossover')
      .map((e) => `${e.attrs['data-panel']}:${e.attrs['data-target']}:${e.attrs['data-size']}`);
    expect(rings).to.deep.equal(['memcpy:esp32h2:2048', 'spi:esp32h2:256', 'spi:esp32:64']);
  });

  it('prints the same with one worker as with several (each point its own simulation)', async () => {
    const one = await cli('experiment', 'dma-vs-cpu', '--targets', 'esp32c6,esp32s2', '--jobs', '1');
    const two = await cli('experiment', 'dma-vs-cpu', '--targets', 'esp32c6,esp32s2', '--jobs', '2');
    expect(one.code, one.err.join('\n')).to.equal(0);
    expect(one.out.length).to.be.greaterThan(20);
    expect(two.out).to.deep.equal(one.out);
  });

  it("runs on the config's targets that are faithful to silicon by default, and leaves out the custom ones", async () => {
    const r = await cli('experiment', 'dma-vs-cpu');
    expect(r.code, r.err.join('\n')).to.equal(0);
    const swept = r.out.filter((l) => /^\S+: time until the transfer/.test(l)).map((l) => l.split(':')[0]);
    expect(swept).to.deep.equal([
      'esp32',
      'esp32s2',
      'esp32s3',
      'esp32c3',
      'esp32c5',
      'esp32c6',
      'esp32c61',
      'esp32h2',
      'esp32p4',
    ]);
  });

  it("the chart in docs/ is the one the README's command makes now", async () => {
    const file = join(dir, 'readme.svg');
    const r = await cli('experiment', 'dma-vs-cpu', '--svg', file);
    expect(r.code, r.err.join('\n')).to.equal(0);
    expect(
      readFileSync(join(root, 'docs', 'dma-vs-cpu.svg'), 'utf8'),
      'docs/dma-vs-cpu.svg is stale: run soc-fabric experiment dma-vs-cpu --svg docs/dma-vs-cpu.svg',
    ).to.equal(readFileSync(file, 'utf8'));
  });

  for (const [argv, match] of [
    [['experiment', 'nope'], /value 'nope' is invalid for argument 'name'\. Allowed choices are dma-vs-cpu/],
    [['experiment'], /missing required argument 'name'/],
    [['experiment', 'dma-vs-cpu', '--bogus'], /unknown option '--bogus'/],
    [
      ['experiment', 'dma-vs-cpu', '--jobs', '0'],
      /option '--jobs <n>' argument '0' is invalid\. expected a whole number >= 1/,
    ],
    [['experiment', 'dma-vs-cpu', '--targets', 'esp99'], /unknown target "esp99"; the config defines esp32, /],
    [['experiment', 'dma-vs-cpu', '--targets', 'esp32,,esp32c3'], /expected target names separated by commas/],
    [['experiment', 'dma-vs-cpu', '--targets', 'esp32,esp32'], /target "esp32" is listed twice/],
    [
      ['experiment', 'dma-vs-cpu', '--svg', '/nonexistent-folder/x.svg'],
      /cannot write \/nonexistent-folder\/x\.svg: folder \/nonexistent-folder does not exist/,
    ],
    [
      ['experiment', 'dma-vs-cpu', '--config', 'does-not-exist.config.ts'],
      /config file does-not-exist\.config\.ts does not exist/,
    ],
  ] as [string[], RegExp][]) {
    it(`${argv.join(' ')}: one line on stderr, a non-zero exit, nothing printed`, async () => {
      const r = await cli(...argv);
      expect(r.code).to.not.equal(0);
      expect(r.err).to.have.length(1);
      expect(r.err[0]).to.match(match);
      expect(r.out).to.deep.equal([]);
    });
  }

  it('a refused call writes no chart', async () => {
    const file = join(dir, 'refused.svg');
    const r = await cli('experiment', 'dma-vs-cpu', '--targets', 'esp32,nope', '--svg', file);
    expect(r.code).to.equal(1);
    expect(existsSync(file)).to.equal(false);
  });
});
