import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, repoRoot } from '../test/helpers/cli.js';

const root = repoRoot;

describe('soc-fabric new plugin', function () {
  this.timeout(120_000);
  // Inside the repository, so that the generated code's 'soc-fabric' resolves to this package (its self-name).
  let parent = '';
  before(() => {
    parent = mkdtempSync(join(root, '.scaffold-test-'));
  });
  after(() => {
    rmSync(parent, { recursive: true, force: true });
  });

  it('writes a plugin folder that builds with tsc and passes its own test as generated', async () => {
    const r = await cli('new', 'plugin', 'pulse-gen', '--dir', parent);
    expect(r.code, r.err.join()).to.equal(0);
    const folder = join(parent, 'pulse-gen');
    expect(readdirSync(folder).sort()).to.deep.equal([
      'README.md',
      'index.ts',
      'pulse-gen-model.ts',
      'pulse-gen.test.ts',
      'tsconfig.json',
    ]);
    expect([...r.out].sort()).to.deep.equal(
      readdirSync(folder)
        .map((f) => `created ${join(folder, f)}`)
        .sort(),
    );
    for (const f of ['index.ts', 'pulse-gen-model.ts', 'pulse-gen.test.ts']) {
      const imports = [...readFileSync(join(folder, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(
        imports.filter((m) => m !== 'soc-fabric' && m !== 'chai' && !m!.startsWith('./')),
        f,
      ).to.deep.equal([]);
    }
    const index = readFileSync(join(folder, 'index.ts'), 'utf8');
    expect(index).to.include("export const PulseGen = defineToken<PulseGenService>('PulseGen')");
    expect(index).to.include('export const pulseGen = (): Plugin => definePlugin({');

    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], {
      cwd: root,
      stdio: 'pipe',
    });
    expect(existsSync(join(folder, 'dist', 'pulse-gen.test.js'))).to.equal(true);
    const out = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
        '--no-config',
        '--reporter',
        'dot',
        join(folder, 'dist', 'pulse-gen.test.js'),
      ],
      { cwd: parent, stdio: 'pipe', encoding: 'utf8' },
    );
    expect(out).to.match(/\b2 passing\b/);
    expect(out).to.not.match(/failing/);
  });

  it('--dma writes a streaming peripheral (GDMA trigger, ring, back-pressure) that builds and passes its test as generated', async () => {
    const r = await cli('new', 'plugin', 'frame-src', '--dma', '--dir', parent);
    expect(r.code, r.err.join()).to.equal(0);
    const folder = join(parent, 'frame-src');
    expect(readdirSync(folder).sort()).to.deep.equal([
      'README.md',
      'frame-src-model.ts',
      'frame-src.test.ts',
      'index.ts',
      'tsconfig.json',
    ]);
    for (const f of ['index.ts', 'frame-src-model.ts', 'frame-src.test.ts']) {
      const imports = [...readFileSync(join(folder, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(
        imports.filter((m) => m !== 'soc-fabric' && m !== 'chai' && !m!.startsWith('./')),
        f,
      ).to.deep.equal([]);
    }
    const index = readFileSync(join(folder, 'index.ts'), 'utf8');
    expect(index).to.include("dmaTriggers: [{ dma: 'gdma', peripheral: 'frame-src', id: 9 }]");
    expect(readFileSync(join(folder, 'frame-src-model.ts'), 'utf8')).to.include('peripheralWrite');
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', folder], {
      cwd: root,
      stdio: 'pipe',
    });
    const out = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'),
        '--no-config',
        '--reporter',
        'dot',
        join(folder, 'dist', 'frame-src.test.js'),
      ],
      { cwd: parent, stdio: 'pipe', encoding: 'utf8' },
    );
    expect(out).to.match(/\b2 passing\b/);
    expect(out).to.not.match(/failing/);
  });

  for (const [name, match] of [
    ['Bad_Name', /plugin name "Bad_Name" must be lower-case letters and digits in words joined by hyphens/],
    ['2fast', /plugin name "2fast" must be/],
    ['trailing-', /plugin name "trailing-" must be/],
    ['new', /would make a factory named "new", a reserved word in JavaScript/],
    ['core', /would make an identifier "Core" that the generated code imports/],
    ['gpio', /plugin name "gpio" is a built-in plugin's \(.*\bgpio\b.*\); a plugin of that name could not join/],
    ['async-memcpy', /plugin name "async-memcpy" is a built-in plugin's/],
  ] as [string, RegExp][]) {
    it(`refuses the name "${name}" with one line on stderr, a non-zero exit and nothing written`, async () => {
      const r = await cli('new', 'plugin', name, '--dir', parent);
      expect(r.code).to.not.equal(0);
      expect(r.err).to.have.length(1);
      expect(r.err[0]).to.match(/^soc-fabric: ESP_ERR_INVALID_ARG: /);
      expect(r.err[0]).to.match(match);
      expect(existsSync(join(parent, name))).to.equal(false);
    });
  }

  it('refuses an existing folder and leaves it as it was', async () => {
    const first = await cli('new', 'plugin', 'twice', '--dir', parent);
    expect(first.code).to.equal(0);
    const before = readFileSync(join(parent, 'twice', 'index.ts'), 'utf8');
    const r = await cli('new', 'plugin', 'twice', '--dir', parent);
    expect(r.code).to.not.equal(0);
    expect(r.err).to.deep.equal([
      `soc-fabric: ESP_ERR_INVALID_STATE: ${join(parent, 'twice')} already exists; choose another name or --dir`,
    ]);
    expect(readFileSync(join(parent, 'twice', 'index.ts'), 'utf8')).to.equal(before);
  });

  it("without a name: commander's one-line error", async () => {
    const r = await cli('new', 'plugin');
    expect(r.code).to.not.equal(0);
    expect(r.err).to.have.length(1);
    expect(r.err[0]).to.match(/missing required argument 'name'/);
  });
});
