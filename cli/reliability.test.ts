import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, repoRoot } from '../test/helpers/cli.js';
import { parseVcd } from '../core/trace/vcd-reader.js';

const fixture = (f: string): string => join(repoRoot, 'test-fixtures', f);
const mainJs = join(repoRoot, 'dist', 'cli', 'main.js');

/** Runs the built CLI in a child process, sends it SIGINT once it printed `after`, and collects its output. */
function runAndInterrupt(args: string[], after: RegExp): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    const kill = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit after SIGINT; stderr: ${err}`));
    }, 45_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // a little after the run started, so that it is deep in the kernel loop
      if (!sent && after.test(out)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 300);
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, out, err });
    });
  });
}

describe('soc-fabric CLI under interruption and misuse (issue 11 item 8)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-fabric-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('Ctrl-C mid-run says so on stderr, closes both traces so that they parse, and exits 130', async function () {
    this.timeout(60_000);
    const vcd = join(dir, 'run.vcd');
    const trace = join(dir, 'run.json');
    const r = await runAndInterrupt(
      ['run', '--config', fixture('forever.config.mjs'), '--vcd', vcd, '--trace', trace],
      /started/,
    );
    expect(r.code, r.err).to.equal(130);
    expect(r.err).to.match(
      /soc-fabric: interrupted at \S+ simulated after \d+ events; .*run\.vcd and .*run\.json closed/,
    );
    const parsed = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents?: unknown[] };
    expect(parsed.traceEvents).to.be.an('array').that.is.not.empty;
    const v = parseVcd(readFileSync(vcd, 'utf8'));
    const gpio4 = [...v.changes.entries()].find(([k]) => /gpio4$/.test(k));
    expect(gpio4, [...v.changes.keys()].join(', ')).to.not.equal(undefined);
    expect(gpio4![1].length).to.be.greaterThan(100);
  });

  it('refuses the same file for --vcd and --trace, naming it, and writes neither', async () => {
    const same = join(dir, 'same.out');
    const r = await cli('run', '--vcd', same, '--trace', join(dir, '.', 'same.out'));
    expect(r.code).to.equal(1);
    expect(r.err.join('\n')).to.match(/--vcd and --trace name the same file .*same\.out/);
    expect(() => readFileSync(same)).to.throw();
  });

  it('an unwritable trace path is refused before the run, naming the flag and the file', async () => {
    const ro = join(dir, 'ro');
    writeFileSync(join(dir, 'placeholder'), '');
    rmSync(ro, { recursive: true, force: true });
    for (const [flag, path] of [
      ['--vcd', join(dir, 'no-such-dir', 'x.vcd')],
      ['--trace', join(dir, 'no-such-dir', 'x.json')],
    ] as const) {
      const r = await cli('run', flag, path);
      expect(r.code).to.equal(1);
      expect(r.err.join('\n')).to.match(new RegExp(`cannot write the ${flag} file .*x\\.(vcd|json): ENOENT`));
      expect(r.out.join('\n')).to.not.match(/^done:/m);
    }
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.vcd');
      writeFileSync(locked, '');
      chmodSync(locked, 0o444);
      const r = await cli('run', '--vcd', locked);
      expect(r.err.join('\n')).to.match(/cannot write the --vcd file .*locked\.vcd: EACCES/);
    }
  });

  it('a config with a syntax error names the file, the line and the reason', async () => {
    const r = await cli('targets', '--config', fixture('syntax-error.config.ts'));
    expect(r.code).to.equal(1);
    expect(r.err).to.have.length(1);
    expect(r.err[0]).to.match(/syntax-error\.config\.ts:3:\d+: syntax error: Unexpected "\}"/);
  });

  it('a .ts config in a folder without "type": "module" is refused with what to change', async () => {
    const r = await cli('targets', '--config', fixture('cjs-folder/sim.config.ts'));
    expect(r.code).to.equal(1);
    expect(r.err[0]).to.match(
      /CommonJS folder .*cjs-folder.package\.json has no "type": "module".*rename it to sim\.config\.mts or add "type": "module"/,
    );
  });

  it('--until past 2^53 ps is refused at parse time, naming the limit', async () => {
    const r = await cli('run', '--until', '10000s');
    expect(r.code).to.equal(1);
    expect(r.err.join('\n')).to.match(/10000s is past the last exact picosecond .*2\^53 ps/);
    expect(r.out).to.deep.equal([]);
  });
});
