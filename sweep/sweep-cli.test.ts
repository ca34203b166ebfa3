import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/program.js';
import { allElements, parseXml } from '../test/helpers/xml.js';
import { cli, repoRoot } from '../test/helpers/cli.js';
import { parseResults, type SweepRecord } from './record.js';
import { mergeResults } from './report.js';

const GRID = join(repoRoot, 'sweep', 'test', 'grid.config.ts');
const GRID_POINTS = 22; // 2 targets x 4 sizes x 3 reps, less the 2 with size 16 and rep 0
const dir = mkdtempSync(join(tmpdir(), 'sweep-'));
const file = (name: string): string => join(dir, name);
const records = (f: string): SweepRecord[] => parseResults(readFileSync(f, 'utf8'), f).records;
/** Results with the wall time (the one field that may differ between runs) left out, by index. */
const comparable = (rs: readonly SweepRecord[]): Omit<SweepRecord, 'wallMs'>[] =>
  [...rs].sort((a, b) => a.index - b.index).map(({ wallMs: _w, ...r }) => r);

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('soc-fabric sweep', function () {
  this.timeout(120_000);
  let whole: SweepRecord[];

  before(async () => {
    const r = await cli('sweep', 'grid', '--config', GRID, '--jobs', '2', '--out', file('whole.jsonl'));
    expect(r.err.at(-1)).to.match(/^sweep grid: 22 points; ran 22 on 2 worker\(s\) in .*; 1 failed$/);
    expect(r.code).to.equal(1); // one point throws on purpose
    whole = records(file('whole.jsonl'));
  });

  it('writes one line per point: params, seed, metrics, simulated time, wall time, faults; a throwing point is a line with its error', () => {
    expect(whole).to.have.length(GRID_POINTS);
    expect(new Set(whole.map((r) => r.index)).size).to.equal(GRID_POINTS);
    const failed = whole.filter((r) => r.error !== undefined);
    expect(failed.map((r) => r.params)).to.deep.equal([{ target: 'esp32s3', size: 64, rep: 2 }]);
    expect(failed[0]!.error).to.equal('deliberate failure at esp32s3/64/2');
    expect(failed[0]!.metrics).to.equal(null);
    const faulted = whole.filter((r) => r.faults.length > 0);
    expect(faulted.map((r) => `${r.params['target']}/${r.params['size']}/${r.params['rep']}`).sort()).to.deep.equal([
      'esp32c3/1024/1',
      'esp32s3/1024/1',
    ]);
    expect(faulted[0]!.faults[0]).to.deep.include({ source: 'grid', message: 'deliberate fault' });
    for (const r of whole.filter((x) => x.error === undefined)) {
      expect(r.metrics!['copyPs']).to.be.a('number').greaterThan(0);
      expect(r.simulatedPs).to.be.at.least(Number(r.metrics!['copyPs']));
      expect(r.wallMs).to.be.a('number');
    }
    // the seed drives the point's PRNG: the repetitions of one size start their copy at different times
    const c3 = whole
      .filter((r) => r.params['target'] === 'esp32c3' && r.params['size'] === 256)
      .map((r) => r.simulatedPs);
    expect(new Set(c3).size).to.equal(3);
  });

  it('gives the same results as 3 shards (--shard) as in one process, whatever worker ran a point', async () => {
    for (const i of [0, 1, 2]) {
      const r = await cli(
        'sweep',
        'grid',
        '--config',
        GRID,
        '--jobs',
        '1',
        '--shard',
        `${i}/3`,
        '--out',
        file(`shard${i}.jsonl`),
      );
      expect(r.err.at(-1)).to.match(new RegExp(`shard ${i}/3 \\(--shard ${i}/3\\) has ${[8, 7, 7][i]};`));
    }
    const merged = mergeResults(
      [0, 1, 2].map((i) => ({ file: `shard${i}`, text: readFileSync(file(`shard${i}.jsonl`), 'utf8') })),
    );
    expect(merged.duplicates).to.equal(0);
    expect(comparable(merged.records)).to.deep.equal(comparable(whole));
  });

  it('takes its shard from JOB_COMPLETION_INDEX/JOB_COMPLETIONS (Kubernetes) and SLURM_ARRAY_TASK_* (Slurm)', async () => {
    const texts: string[] = [];
    for (const i of [0, 1]) {
      const r = await withEnv({ JOB_COMPLETION_INDEX: String(i), JOB_COMPLETIONS: '2' }, () =>
        cli('sweep', 'grid', '--config', GRID, '--jobs', '1', '--out', file(`k8s${i}.jsonl`)),
      );
      expect(r.err.at(-1)).to.include(`shard ${i}/2 (JOB_COMPLETION_INDEX/JOB_COMPLETIONS) has 11`);
      texts.push(readFileSync(file(`k8s${i}.jsonl`), 'utf8'));
    }
    expect(records(file('k8s1.jsonl')).every((r) => r.index % 2 === 1)).to.equal(true);
    expect(comparable(mergeResults(texts.map((text, i) => ({ file: `k8s${i}`, text }))).records)).to.deep.equal(
      comparable(whole),
    );
    // a Slurm array --array=1-4: task 3 is the third of four shards (index 2)
    const r = await withEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }, () =>
      cli('sweep', 'grid', '--config', GRID, '--jobs', '1', '--out', file('slurm.jsonl')),
    );
    expect(r.err.at(-1)).to.include('shard 2/4 (SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT) has 5');
    expect(comparable(records(file('slurm.jsonl')))).to.deep.equal(comparable(whole.filter((x) => x.index % 4 === 2)));
  });

  it('--resume keeps the points already written, drops a cut-off last line and runs the rest', async () => {
    const lines = readFileSync(file('whole.jsonl'), 'utf8').split('\n').filter(Boolean);
    const kept = `${lines.slice(0, 5).join('\n')}\n`;
    writeFileSync(file('resume.jsonl'), kept + lines[5]!.slice(0, 40)); // as an interrupted run leaves it
    const r = await cli('sweep', 'grid', '--config', GRID, '--jobs', '1', '--out', file('resume.jsonl'), '--resume');
    expect(r.err[0]).to.match(/resume\.jsonl: dropped the cut-off last line/);
    expect(r.err.at(-1)).to.match(/22 points, 5 already done; ran 17 on 1 worker/);
    const text = readFileSync(file('resume.jsonl'), 'utf8');
    expect(text.startsWith(kept)).to.equal(true); // the points done were not run again
    expect(comparable(records(file('resume.jsonl')))).to.deep.equal(comparable(whole));
    const again = await cli('sweep', 'grid', '--config', GRID, '--out', file('resume.jsonl'), '--resume');
    expect(again.code).to.equal(0);
    expect(again.err.at(-1)).to.match(/22 already done; ran 0/);
    expect(readFileSync(file('resume.jsonl'), 'utf8')).to.equal(text);
  });

  it("--param replaces a parameter's values, --seed the sweep's seed; stdout gets the lines without --out", async () => {
    const r = await cli(
      'sweep',
      'grid',
      '--config',
      GRID,
      '--jobs',
      '1',
      '--param',
      'size=256',
      '--param',
      'target=esp32c3',
      '--seed',
      '7',
    );
    expect(r.code).to.equal(0);
    const rs = r.out.map((l) => JSON.parse(l) as SweepRecord);
    const same = whole.filter((x) => x.params['size'] === 256 && x.params['target'] === 'esp32c3');
    expect(comparable(rs).map(({ index: _i, ...x }) => x)).to.deep.equal(
      comparable(same).map(({ index: _i, ...x }) => x),
    );
    const other = await cli(
      'sweep',
      'grid',
      '--config',
      GRID,
      '--jobs',
      '1',
      '--param',
      'size=256',
      '--param',
      'target=esp32c3',
      '--seed',
      '8',
    );
    const seeds = other.out.map((l) => (JSON.parse(l) as SweepRecord).seed);
    expect(seeds.filter((s) => rs.some((x) => x.seed === s))).to.deep.equal([]);
  });

  it('a point that kills its worker is a result with the error, and the other points run', async () => {
    const r = await cli('sweep', 'crashy', '--config', GRID, '--jobs', '1');
    expect(r.code).to.equal(1);
    const rs = r.out.map((l) => JSON.parse(l) as SweepRecord).sort((a, b) => a.index - b.index);
    expect(rs.map((x) => x.params['n'])).to.deep.equal([0, 1, 2, 3]);
    expect(rs[1]!.error).to.equal('worker failed: the worker dies');
    expect(rs.filter((x) => x.error === undefined).map((x) => x.metrics)).to.deep.equal([{ n: 0 }, { n: 2 }, { n: 3 }]);
  });

  it('--timeout fails a point that never finishes (a spinning or a forever-waiting one), replaces its worker and runs the rest', async () => {
    const r = await cli('sweep', 'stuck', '--config', GRID, '--jobs', '1', '--timeout', '3');
    expect(r.code).to.equal(1);
    expect(r.err.at(-1)).to.match(/^sweep stuck: 4 points; ran 4 on 1 worker\(s\) in .*; 2 failed$/);
    const rs = r.out.map((l) => JSON.parse(l) as SweepRecord).sort((a, b) => a.index - b.index);
    for (const i of [1, 2]) {
      expect(rs[i]!.error).to.equal(
        'timed out: still running after 3 s of wall time (--timeout); its worker was stopped',
      );
      expect(rs[i]!.metrics).to.equal(null);
    }
    // the points after a stuck one ran on the replacement worker, with the results they give alone
    expect(rs.filter((x) => x.error === undefined).map((x) => [x.metrics, x.simulatedPs])).to.deep.equal([
      [{ n: 0 }, 1000],
      [{ n: 3 }, 4000],
    ]);
  });

  it('runs a scenario as a sweep over --param values', async () => {
    const r = await cli('sweep', 'cpu-copy', '--config', GRID, '--jobs', '1', '--param', 'target=esp32c3,esp32s3');
    expect(r.code, r.err.join('\n')).to.equal(0);
    const rs = r.out.map((l) => JSON.parse(l) as SweepRecord).sort((a, b) => a.index - b.index);
    expect(rs.map((x) => x.params)).to.deep.equal([{ target: 'esp32c3' }, { target: 'esp32s3' }]);
    for (const x of rs) expect(x.metrics!['events']).to.be.greaterThan(0);
    expect(rs[0]!.simulatedPs).to.not.equal(rs[1]!.simulatedPs); // two targets, two clocks
  });

  it('draws a progress bar on a terminal and nothing of the kind when piped', async () => {
    const drawn: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['sweep', 'grid', '--config', GRID, '--jobs', '1', '--param', 'rep=1', '--out', file('tty.jsonl')],
      { out: () => {}, err: (l) => err.push(l), tty: { write: (t) => drawn.push(t), columns: 100 } },
    );
    expect(code).to.equal(0);
    expect(drawn.some((t) => /^\r\[#+\] 100% 8\/8 points, [\d.]+ points\/s, ETA 0s/.test(t))).to.equal(true);
    expect(drawn.at(-1)).to.equal('\r\x1b[K');
    expect(err).to.have.length(1); // the summary only
  });

  for (const [argv, match] of [
    [['sweep', 'nope'], /unknown sweep "nope"; sweeps: dma-vs-cpu; scenarios: cpu-copy, /],
    [
      ['sweep', 'nope', '--config', GRID],
      /unknown sweep "nope"; sweeps: grid, crashy, stuck, dma-vs-cpu; scenarios: cpu-copy$/,
    ],
    [
      ['sweep', 'grid', '--config', GRID, '--timeout', '0'],
      /point timeout must be a number of seconds > 0, got NaN|got 0/,
    ],
    [
      ['sweep', 'grid', '--config', GRID, '--timeout', 'soon'],
      /point timeout must be a number of seconds > 0, got NaN/,
    ],
    [
      ['sweep', 'grid', '--config', GRID, '--param', 'sise=1'],
      /sweep "grid" has no parameter "sise"; it has target, size, rep/,
    ],
    [['sweep', 'grid', '--config', GRID, '--param', 'target=esp99'], /unknown target "esp99"/],
    [['sweep', 'grid', '--config', GRID, '--param', 'size=1', '--param', 'size=2'], /--param size is given twice/],
    [
      ['sweep', 'grid', '--config', GRID, '--shard', '3/3'],
      /the shard index must be a whole number from 0 to 2, got 3/,
    ],
    [['sweep', 'grid', '--config', GRID, '--jobs', '0'], /jobs must be a whole number >= 1, got NaN|got 0/],
    [['sweep', 'grid', '--config', GRID, '--resume'], /--resume needs --out FILE/],
    [
      ['sweep', 'grid', '--config', GRID, '--out', '/nonexistent-folder/x.jsonl'],
      /folder \/nonexistent-folder does not exist/,
    ],
    [['sweep-report', '/nonexistent-folder/x.jsonl'], /cannot read \/nonexistent-folder\/x\.jsonl/],
  ] as [string[], RegExp][]) {
    it(`${argv.join(' ').replace(GRID, 'grid.config.ts')}: one line on stderr, a non-zero exit, nothing printed`, async () => {
      const r = await cli(...argv);
      expect(r.code).to.not.equal(0);
      expect(r.err).to.have.length(1);
      expect(r.err[0]).to.match(match);
      expect(r.out).to.deep.equal([]);
    });
  }

  it('a refused call leaves the output file as it was', async () => {
    writeFileSync(file('other.jsonl'), readFileSync(file('shard0.jsonl')));
    const before = readFileSync(file('other.jsonl'), 'utf8');
    for (const argv of [
      ['--param', 'sise=1'],
      ['--param', 'target=esp99'],
    ]) {
      const r = await cli('sweep', 'grid', '--config', GRID, '--out', file('other.jsonl'), ...argv);
      expect(r.code).to.equal(1);
    }
    const r = await cli('sweep', 'cpu-copy', '--config', GRID, '--out', file('other.jsonl'), '--resume');
    expect(r.err).to.deep.equal([
      `soc-fabric: ESP_ERR_INVALID_ARG: ${file('other.jsonl')} holds results of sweep "grid", not "cpu-copy"`,
    ]);
    const s = await cli('sweep', 'grid', '--config', GRID, '--out', file('other.jsonl'), '--resume', '--seed', '8');
    expect(s.err).to.have.length(1);
    expect(s.err[0]).to.match(
      /other\.jsonl was written with another sweep seed \(point \{.*\} has seed \d+, this run gives it \d+\): resume with the same --seed/,
    );
    expect(readFileSync(file('other.jsonl'), 'utf8')).to.equal(before);
  });

  describe('sweep-report', () => {
    it("merges shard files into one table sorted by point, as the single run's", async () => {
      const shards = [0, 1, 2].map((i) => file(`shard${i}.jsonl`));
      const merged = await cli('sweep-report', ...shards);
      const single = await cli('sweep-report', file('whole.jsonl'));
      expect(merged.code).to.equal(0);
      expect(merged.out[0]).to.equal('sweep grid: 22 points, 1 failed');
      expect(merged.out[1]!.split('\n')[0]).to.match(
        /^target\s+size\s+rep\s+seed\s+copyPs\s+draw\s+simulated\s+faults\s+error$/,
      );
      expect(merged.out[1]!.split('\n')).to.have.length(2 + GRID_POINTS);
      expect(merged.out).to.deep.equal(single.out);
    });

    it('says what it left out: a duplicate point, a cut-off last line', async () => {
      writeFileSync(file('cut.jsonl'), `${readFileSync(file('shard1.jsonl'), 'utf8')}{"sweep":"gr`);
      const r = await cli('sweep-report', file('shard0.jsonl'), file('shard0.jsonl'), file('cut.jsonl'));
      expect(r.code).to.equal(0);
      expect(r.err).to.deep.equal([
        `${file('cut.jsonl')}: left out its cut-off last line (an interrupted run)`,
        'left out 8 line(s) for points already given by an earlier line or file',
      ]);
      expect(r.out[0]).to.equal('sweep grid: 15 points, 1 failed'); // shard 0 has index 15, the failing point
    });

    it('--csv prints one row per point with a header, quoting where needed', async () => {
      const r = await cli('sweep-report', file('whole.jsonl'), '--csv');
      const rows = r.out.join('\n').split('\r\n');
      expect(rows[0]).to.equal('sweep,target,size,rep,seed,copyPs,draw,simulated_ps,faults,error');
      expect(rows).to.have.length(1 + GRID_POINTS);
      const sorted = comparable(whole);
      rows.slice(1).forEach((row, i) => {
        const r0 = sorted[i]!;
        expect(row.split(',').slice(0, 5)).to.deep.equal([
          'grid',
          String(r0.params['target']),
          String(r0.params['size']),
          String(r0.params['rep']),
          String(r0.seed),
        ]);
      });
    });

    it('--svg draws the declared axes: one series per target, a point per size at the mean over the reps', async () => {
      const r = await cli('sweep-report', file('whole.jsonl'), '--config', GRID, '--svg', file('grid.svg'));
      expect(r.code, r.err.join()).to.equal(0);
      const svg = parseXml(readFileSync(file('grid.svg'), 'utf8'));
      const series = allElements(svg).filter((e) => e.attrs.class === 'series');
      expect(series.map((s) => s.attrs['data-series'])).to.deep.equal(['target=esp32c3', 'target=esp32s3']);
      const c3 = series[0]!.children
        .filter((c) => c.attrs.class === 'point')
        .map((c) => [Number(c.attrs['data-x']), Number(c.attrs['data-y'])]);
      const ok = whole.filter((x) => x.params['target'] === 'esp32c3' && x.metrics);
      expect(c3.map((p) => p[0])).to.deep.equal([16, 64, 256, 1024]);
      for (const [size, y] of c3) {
        const ys = ok.filter((x) => x.params['size'] === size).map((x) => Number(x.metrics!['copyPs']));
        expect(y).to.be.closeTo(ys.reduce((a, b) => a + b, 0) / ys.length, 1e-6);
      }
    });

    it('--svg of a sweep without axes asks for --x and --y', async () => {
      const out = file('noaxes.jsonl');
      const r0 = await cli(
        'sweep',
        'cpu-copy',
        '--config',
        GRID,
        '--jobs',
        '1',
        '--param',
        'target=esp32c3,esp32s3',
        '--out',
        out,
      );
      expect(r0.code).to.equal(0);
      const r = await cli('sweep-report', out, '--config', GRID, '--svg', file('x.svg'));
      expect(r.err).to.deep.equal([
        'soc-fabric: ESP_ERR_INVALID_ARG: sweep "cpu-copy" declares no axes: pass --x PARAM and --y METRIC',
      ]);
      expect(existsSync(file('x.svg'))).to.equal(false);
    });
  });
});
