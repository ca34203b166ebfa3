import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, repoRoot } from '../test/helpers/cli.js';

const main = join(repoRoot, 'dist', 'cli', 'main.js');
const bundle = join(repoRoot, 'dist', 'cli', 'program.bundle.cjs');

type Result = { code: number; out: string[]; err: string[] };

/** Output as lines (an in-process line may hold several). */
const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

/** `node dist/cli/main.js ...args` in a fresh process: the bundled CLI unless --config is given. */
function spawnCli(...args: string[]): Result {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status ?? -1, out: lines(r.stdout), err: lines(r.stderr) };
}

/** The unbundled CLI in this process. */
async function direct(...args: string[]): Promise<Result> {
  const r = await cli(...args);
  return { code: r.code, out: lines(r.out.join('\n')), err: lines(r.err.join('\n')) };
}

describe('soc-fabric CLI from its bundle (dist/cli/main.js)', function () {
  this.timeout(60_000);
  before(function () {
    if (existsSync(bundle)) return;
    if (process.env['CI']) throw new Error(`${bundle} is missing: npm run build makes it (scripts/bundle-cli.mjs)`);
    this.skip(); // outside CI: built by `npm run build` (scripts/bundle-cli.mjs), not by tsc alone
  });

  for (const args of [
    ['targets'],
    ['scenarios'],
    ['run', '--until', 'soon'],
    ['frobnicate'],
    ['run', '--target', 'esp99'],
  ]) {
    it(`${args.join(' ')}: the same output and exit code as the unbundled CLI`, async () => {
      const bundled = spawnCli(...args);
      expect(bundled).to.deep.equal(await direct(...args));
    });
  }

  it('run: the same timeline as the unbundled CLI (the summary line holds wall-clock figures), with or without its code cache', async () => {
    rmSync(`${bundle}.v8cache`, { force: true });
    const first = spawnCli('run', '--until', '20us');
    const second = spawnCli('run', '--until', '20us'); // with the cache the first run left
    const same = await direct('run', '--until', '20us');
    for (const r of [first, second]) {
      expect(r.code).to.equal(same.code);
      expect(r.out.slice(0, -1)).to.deep.equal(same.out.slice(0, -1));
      expect(r.out.at(-1)).to.match(/^done: 20us simulated, /);
    }
    expect(existsSync(`${bundle}.v8cache`)).to.equal(true);
  });

  it("a command outside the bundle's (frobnicate above; sweep) runs the unbundled modules", () => {
    const r = spawnCli('sweep', '--help');
    expect(r.code).to.equal(0);
    expect(r.out.join('\n')).to.match(/sweep/);
  });

  it("--config runs the unbundled modules, so that the config's plugins share the CLI's tokens", () => {
    const r = spawnCli('run', '--config', join(repoRoot, 'test-fixtures', 'custom.config.ts'));
    expect(r.code, r.err.join('\n')).to.equal(0);
    expect(r.out.join('\n')).to.include('hello from');
  });
});
