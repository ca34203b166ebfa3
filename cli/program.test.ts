import { expect } from 'chai';
import { join } from 'node:path';
import { cli, repoRoot } from '../test/helpers/cli.js';

const root = repoRoot;
const fixture = (f: string): string => join(root, 'test-fixtures', f);

describe('soc-fabric CLI', () => {
  it('run with no arguments runs the default scenario and prints its timeline and summary', async () => {
    const r = await cli('run');
    expect(r.code).to.equal(0);
    expect(r.err).to.deep.equal([]);
    expect(r.out[0]).to.match(/^scenario \S+ on \S+ \(seed 1\): /);
    expect(r.out.at(-1)).to.match(
      /^done: \S+ simulated, \d+ events, 0 faults, [\d.]+ s wall, [\d.]+ [kM]? ?events\/s$/,
    );
  });

  it('targets prints a table with every target and its capabilities', async () => {
    const r = await cli('targets');
    expect(r.code).to.equal(0);
    const text = r.out.join('\n');
    for (const t of ['esp32 ', 'esp32s2', 'esp32s3', 'esp32c3', 'esp32c5', 'esp32c6', 'esp32c61', 'esp32h2', 'esp32p4'])
      expect(text).to.include(t);
    expect(text).to.match(/esp32s3\s+240 MHz\s+yes\s+GDMA 5 AHB \(M2M 0x1F\)/);
    expect(text).to.match(
      /esp32p4\s+360 MHz\s+yes\s+GDMA 3 AHB\+3 AXI \(M2M 0x6, AXI 0x7\)\s+yes\s+50 ch\s+8\/8\s+yes\s+yes \(DMA\)\s+SPI2\+SPI3 \(gdma-axi\)/,
    );
    expect(text).to.match(/esp32c61\s+160 MHz\s+yes\s+GDMA 2 AHB \(M2M 0x3\)\s+yes\s+50 ch/);
    expect(text).to.match(/esp32s2\s+240 MHz\s+yes\s+CP DMA 1 ch/);
  });

  it("scenarios lists the config's scenarios and marks the default", async () => {
    const r = await cli('scenarios');
    expect(r.code).to.equal(0);
    expect(r.out.join('\n')).to.match(/\(default\)/);
  });

  for (const [argv, match] of [
    [['run', '--bogus'], /unknown option '--bogus'/],
    [['run', '--target', 'esp99'], /unknown target "esp99"; the config defines esp32, /],
    [['run', '--scenario', 'nope'], /unknown scenario "nope"; the config defines /],
    [['run', '--until', 'soon'], /argument 'soon' is invalid\. expected a positive time/],
    [['run', '--seed', '-3'], /argument '-3' is invalid|unknown option '-3'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['run', '--config', 'does-not-exist.config.ts'], /config file does-not-exist\.config\.ts does not exist/],
  ] as [string[], RegExp][]) {
    it(`${argv.join(' ')}: one line on stderr and a non-zero exit`, async () => {
      const r = await cli(...argv);
      expect(r.code).to.not.equal(0);
      expect(r.err).to.have.length(1);
      expect(r.err[0]).to.match(match);
    });
  }

  it('loads a TypeScript config that imports from soc-fabric, and lists its custom target as beyond silicon', async () => {
    const t = await cli('targets', '--config', fixture('custom.config.ts'));
    expect(t.code, t.err.join()).to.equal(0);
    expect(t.out.join('\n')).to.match(
      /c3-custom\s+160 MHz\s+yes\s+GDMA 5 AHB.*BEYOND SILICON: 5 GDMA pairs \(silicon: 3\)/,
    );
    const r = await cli('run', '--config', fixture('custom.config.ts'));
    expect(r.code, r.err.join()).to.equal(0);
    expect(r.out.join('\n')).to.include('hello from c3-custom at 3us');
  });

  it('a config with a bad field fails with its path, in one line', async () => {
    const r = await cli('targets', '--config', fixture('bad.config.ts'));
    expect(r.code).to.equal(1);
    expect(r.err).to.have.length(1);
    expect(r.err[0]).to.match(/targets\[0\]\.cpu\.freqHz: Too small/);
  });

  it('--until stops the run at that simulated time', async () => {
    const r = await cli('run', '--config', fixture('custom.config.ts'), '--until', '2us');
    expect(r.code).to.equal(0);
    expect(r.out.join('\n')).to.not.include('hello from');
    expect(r.out.at(-1)).to.match(/^done: 2us simulated/);
  });

  it('targets --config lists the example custom target as beyond silicon, and run runs its scenario', async () => {
    const file = join(root, 'examples', 'custom-target', 'sim.config.ts');
    const t = await cli('targets', '--config', file);
    expect(t.code, t.err.join()).to.equal(0);
    const row = t.out
      .join('\n')
      .split('\n')
      .find((l) => l.startsWith('esp32c3-lab'));
    expect(row).to.match(/^esp32c3-lab\s+160 MHz\s+yes\s+GDMA 5 AHB \(M2M 0x1F\)\s+-\s+50 ch\s+8\/8\s+yes\s/);
    expect(row).to.match(
      /gpio,gptimer,gdma,async-memcpy,spi,etm,pcnt\s+BEYOND SILICON: 5 GDMA pairs \(the ESP32-C3 has 3\);/,
    );
    const r = await cli('run', '--config', file);
    expect(r.code, r.err.join()).to.equal(0);
    expect(r.out[0]).to.match(/^scenario pulse-gate on esp32c3-lab \(seed 1\): /);
    expect(r.out.join('\n')).to.include('report: 10 pulses counted; timer stopped at count 0; GPIO4 is 1');
  });
});
