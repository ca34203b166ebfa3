import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram } from '../cli/program.js';
import { cli, repoRoot } from '../test/helpers/cli.js';
import type { SweepRecord } from './record.js';

const doc = readFileSync(join(repoRoot, 'docs', 'sweeps.md'), 'utf8');
const blocks = (lang: string): string[] =>
  [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

describe('docs/sweeps.md', function () {
  this.timeout(120_000);

  it('its sweep example is a config that runs, importing only soc-fabric', async () => {
    const example = blocks('ts').find((b) => b.includes('defineSweep'))!;
    expect(example).to.match(/from 'soc-fabric';/);
    // under dist/ so that 'soc-fabric' resolves to this package; loaded through tsx like a user's config
    const dir = join(repoRoot, 'dist', '.doc-sweep');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'sweep.config.ts');
    writeFileSync(file, example);
    const r = await cli(
      'sweep',
      'memcpy-burst',
      '--config',
      file,
      '--jobs',
      '1',
      '--param',
      'target=esp32c3',
      '--param',
      'size=256,4096',
      '--param',
      'rep=0',
    );
    expect(r.code, r.err.join('\n')).to.equal(0);
    const rs = r.out.map((l) => JSON.parse(l) as SweepRecord);
    expect(rs).to.have.length(5); // 2 sizes x 3 bursts, less 256 with burst 32 (the filter)
    for (const x of rs) expect(x.metrics!['copyPs']).to.be.greaterThan(0);
  });

  it('every command it shows uses options the command has', () => {
    const program = buildProgram({ out: () => {}, err: () => {} });
    const text = [...blocks('sh'), ...blocks('bash'), ...blocks('yaml'), ...blocks('')]
      .join('\n')
      .replace(/\\\n/g, ' ');
    const calls = [...text.matchAll(/(?:soc-fabric|dist\/cli\/main\.js) (sweep-report|sweeps|sweep)\b([^\n"'|>&]*)/g)];
    expect(calls.length).to.be.at.least(8);
    for (const [whole, name, rest] of calls) {
      const cmd = program.commands.find((c) => c.name() === name)!;
      const known = cmd.options.map((o) => o.long);
      for (const flag of rest!.match(/--[a-z-]+/g) ?? []) expect(known, whole).to.include(flag);
    }
  });
});
